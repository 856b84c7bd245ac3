#!/usr/bin/env bash
# Sets up a real VS Code for the end-to-end tests without internet: code-server from the npm
# registry (VS Code 1.100.3 inside), native modules built from source, Debian's ripgrep in place
# of the binary its postinstall would download. Pinned, cached in .vscode-test/code-server,
# idempotent: a finished setup is detected by a marker file.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.100.3
DIR=.vscode-test/code-server
MARK="$DIR/.ready-$VERSION"
if [ -f "$MARK" ]; then
  echo "code-server $VERSION ready in $DIR"
  exit 0
fi

need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get install -y "${need_apt[@]}" >/dev/null
  else echo "run as root or: sudo apt-get install -y ${need_apt[*]}" >&2; exit 1; fi
fi

rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"convlens-code-server","private":true}' > package.json
echo "installing code-server@$VERSION (about 2 minutes)"
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null
CS=node_modules/code-server
(
  cd "$CS/lib/vscode"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild >/dev/null 2>&1 || npm_config_yes=true npm rebuild
)
# code-server loads argon2 at start-up; its prebuilt download fails offline, so build it
for a in node_modules/argon2 "$CS/node_modules/argon2"; do
  if [ -d "$a" ]; then (cd "$a" && npx --yes node-pre-gyp rebuild >/dev/null 2>&1) || { echo "argon2 did not build in $a" >&2; exit 1; }; fi
done
touch "$(basename "$MARK")"
echo "code-server $VERSION ready in $DIR"
