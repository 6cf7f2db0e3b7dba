// Bundles the CLI (and the tests and benchmark) with esbuild and copies the two
// .wasm files beside the bundle. Type checking is separate: `npm run typecheck`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning',
  // The ESM build of web-tree-sitter uses import.meta, which esbuild empties in CJS output.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
  external: ['vscode'],
  define: { HMM_LENS_VERSION: JSON.stringify(version) },
};

mkdirSync('dist', { recursive: true });
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' });
// The extension: one file, `vscode` provided by the editor; it loads the .wasm files from dist/.
await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', sourcemap: false });
for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'],
  ['node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm'],
]) copyFileSync(from, to);

// Tests and benchmark: one bundle per entry under out/.
rmSync('out', { recursive: true, force: true });
const tests = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => join('test', f));
if (tests.length) await build({ ...common, entryPoints: tests, outdir: 'out/test' });
const bench = readdirSync('test/bench', { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => join('test/bench', e.name));
if (bench.length) await build({ ...common, entryPoints: bench, outdir: 'out/bench' });
// Editor tests: the extension-host suite (mocha is loaded at run time from node_modules,
// inside code-server's extension host) and the driver scripts (playwright-core, Node).
await build({ ...common, entryPoints: ['test/editor/suite/index.ts'], outdir: 'out/editor/suite', external: ['vscode', 'mocha'] });
await build({ ...common, entryPoints: ['test/editor/host.ts', 'test/editor/ui.ts'], outdir: 'out/editor', external: ['vscode', 'playwright-core'] });
