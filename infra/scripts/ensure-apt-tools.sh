#!/usr/bin/env bash
# Installs the Debian packages some tests drive, when their command is missing (idempotent):
#   chromium  the status page's browser test (playwright-core with executablePath /usr/bin/chromium;
#             no browser download)
#   zsh       the cli's zsh completion test
# usage: infra/scripts/ensure-apt-tools.sh chromium zsh      (needs root, or sudo, the first time)
set -euo pipefail
missing=()
for tool in "$@"; do
  case $tool in
    chromium | zsh) command -v "$tool" >/dev/null 2>&1 || missing+=("$tool") ;;
    *) echo "ensure-apt-tools: unknown tool '$tool' (chromium, zsh)" >&2; exit 2 ;;
  esac
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
SUDO=
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
echo "ensure-apt-tools: installing ${missing[*]} (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
for tool in "${missing[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ensure-apt-tools: $tool still missing after apt-get install" >&2; exit 1; }
done
