// Shared helpers for the benchmarks: where the kernel tree is, how to get it,
// and how to load the parser. Not a benchmark itself (it has no side effects
// when bundled and run on its own).
//
// The tree is taken, in order, from:
//   1. $KERNEL_SRC (a kernel source root, e.g. /tmp/k/linux-source-6.12);
//   2. /tmp/hmm-lens-kernel/linux-source-6.12 when it exists;
//   3. Debian's /usr/src/linux-source-6.12.tar.xz, extracting only the
//      subdirectories the benchmarks read into /tmp/hmm-lens-kernel.
// Kernel files are never copied into the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createCParser, type CParser } from '../../src/core/parse/parser';

export const REPO_ROOT = path.resolve(__dirname, '../..');

const TARBALL = '/usr/src/linux-source-6.12.tar.xz';
const CACHE_DIR = '/tmp/hmm-lens-kernel';
const TOP = 'linux-source-6.12';
/** Subdirectories of the tree the benchmarks need (lib, drivers and arch for the migration map and rules). */
const NEEDED = ['mm', 'lib', 'drivers', 'arch'];

/** Returns the kernel source root, extracting it if needed; exits 2 when impossible. */
export function kernelTree(): string {
  const fromEnv = process.env.KERNEL_SRC;
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, 'mm'))) fail(`KERNEL_SRC=${fromEnv} has no mm/ directory`);
    return path.resolve(fromEnv);
  }
  const cached = path.join(CACHE_DIR, TOP);
  if (NEEDED.every((d) => fs.existsSync(path.join(cached, d)))) return cached;
  if (!fs.existsSync(TARBALL)) {
    fail(`no kernel tree: set KERNEL_SRC, or install the sources with\n  apt-get install linux-source-6.12\n(expected ${TARBALL})`);
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  process.stderr.write(`extracting ${NEEDED.join(', ')} from ${TARBALL} into ${CACHE_DIR} (once)...\n`);
  try {
    execFileSync('tar', ['-xJf', TARBALL, '-C', CACHE_DIR, ...NEEDED.map((d) => `${TOP}/${d}`)], { stdio: 'inherit' });
  } catch (e) {
    fail(`extracting ${TARBALL} failed: ${(e as Error).message}`);
  }
  return cached;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** All files under dir (recursively, sorted) whose name matches re. */
export function filesUnder(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && re.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** The C parser, with the wasm files read from node_modules. */
export function loadParser(): Promise<CParser> {
  return createCParser({
    runtime: fs.readFileSync(path.join(REPO_ROOT, 'node_modules/web-tree-sitter/tree-sitter.wasm')),
    grammar: fs.readFileSync(path.join(REPO_ROOT, 'node_modules/tree-sitter-c/tree-sitter-c.wasm')),
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
