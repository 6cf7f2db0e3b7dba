#!/usr/bin/env bash
# Editor tests in a real VS Code: sets up code-server + chromium (scripts/vscode-host.sh),
# builds the .vsix, then runs (a) the extension-host mocha suite and (b) the UI test.
# Fails if either fails. Screenshots: test-output/ui/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/vscode-host.sh
rm -f ./*.vsix
node scripts/package.mjs >/dev/null
echo "==> extension-host tests (mocha in code-server)"
node out/editor/host.js
echo "==> UI test (playwright-core + chromium)"
node out/editor/ui.js
