// Turns command-line paths into a sorted list of C files, or one clear error.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class InputError extends Error {}

const C_FILE = /\.[ch]$/;

export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { throw new InputError(`no such file or directory: ${p}`); }
    if (st.isDirectory()) {
      const before = out.length;
      walk(p, out);
      if (out.length === before) throw new InputError(`no .c or .h files under ${p}`);
    } else if (st.isFile()) {
      out.push(p);
    } else {
      throw new InputError(`not a regular file: ${p}`);
    }
  }
  return [...new Set(out)];
}

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch {
    throw new InputError(`cannot read directory: ${dir}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);            // symlinked directories are not followed
    else if (e.isFile() && C_FILE.test(e.name)) out.push(full);
  }
}

/** Reads a file as text; rejects binary content (a NUL byte) with a clear error. */
export function readText(file: string): string {
  let buf: Buffer;
  try { buf = fs.readFileSync(file); } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (buf.subarray(0, 65536).includes(0)) throw new InputError(`not a text file: ${file}`);
  return buf.toString('utf8');
}

/** The workspace file: --config, else the nearest .hmm-lens.json above the first path, else none. */
export function findConfig(explicit: string | undefined, firstPath: string | undefined): string | undefined {
  if (explicit) return explicit;
  let dir = path.resolve(firstPath ?? '.');
  try { if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir); } catch { return undefined; }
  for (;;) {
    const candidate = path.join(dir, '.hmm-lens.json');
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
