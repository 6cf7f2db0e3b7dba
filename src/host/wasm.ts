// Finds the two .wasm files (shared by the CLI and the extension, both Node adapters):
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParserWasm } from '../core/parse/parser';

export function loadWasm(): ParserWasm {
  const here = __dirname;
  const candidates = (name: string, pkgPath: string): string[] => [
    path.join(here, name),
    path.join(here, '..', 'dist', name),
    path.join(here, '..', '..', 'node_modules', pkgPath),
    path.join(here, '..', 'node_modules', pkgPath),
  ];
  const pick = (list: string[]): Uint8Array => {
    for (const p of list) if (fs.existsSync(p)) return fs.readFileSync(p);
    throw new Error(`missing ${path.basename(list[0])} (looked in ${list.join(', ')})`);
  };
  return {
    runtime: pick(candidates('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm')),
    grammar: pick(candidates('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm')),
  };
}
