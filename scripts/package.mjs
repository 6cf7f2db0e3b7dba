// Builds the .vsix: type check (tsc --noEmit), esbuild bundle, then @vscode/vsce with
// no dependencies (the bundle has them) and the allow-list in .vscodeignore. Prints
// the file and its contents, and fails if either .wasm file is missing from it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.']);
run('node', ['scripts/build.mjs']);
run('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out]);
const listing = execFileSync('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
for (const f of ['dist/extension.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-c.wasm']) {
  if (!listing.split('\n').includes(f)) { console.error(`package: ${f} is not in the .vsix`); process.exit(1); }
}
if (/node_modules\//.test(listing)) { console.error('package: node_modules leaked into the .vsix'); process.exit(1); }
console.log(`\n${out}:\n${listing}`);
