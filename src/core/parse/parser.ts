// Thin wrapper over web-tree-sitter. The core does no I/O: the adapters read
// the two .wasm files and hand their bytes in. Every Tree made here is deleted
// by the caller through withTree(), which guarantees delete() on all paths.
import { Parser, Language } from 'web-tree-sitter';
import type { Tree, Node } from 'web-tree-sitter';

export type { Tree, Node };

export interface CParser {
  /** Parses text and runs fn on the tree; the tree is deleted afterwards, even on throw. */
  withTree<T>(text: string, fn: (tree: Tree) => T): T | undefined;
  /** The raw parser, for incremental use by the editor (caller owns the trees). */
  readonly raw: Parser;
}

export interface ParserWasm {
  /** Bytes of web-tree-sitter's runtime (tree-sitter.wasm). */
  runtime: Uint8Array;
  /** Bytes of tree-sitter-c.wasm. */
  grammar: Uint8Array;
}

let initialised: Promise<void> | undefined; // web-tree-sitter's runtime is process-wide by design

export async function createCParser(wasm: ParserWasm): Promise<CParser> {
  initialised ??= Parser.init({ wasmBinary: wasm.runtime } as unknown as EmscriptenModule);
  await initialised;
  const language = await Language.load(wasm.grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    raw: parser,
    withTree<T>(text: string, fn: (tree: Tree) => T): T | undefined {
      const tree = parser.parse(text);
      if (!tree) return undefined;
      try { return fn(tree); } finally { tree.delete(); }
    },
  };
}
