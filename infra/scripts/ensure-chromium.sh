#!/usr/bin/env bash
# Debian's chromium for the status page's browser test (driven by playwright-core with
# executablePath /usr/bin/chromium: no browser download). Idempotent; needs root (or sudo) for
# apt-get the first time. PG2DDB_CHROMIUM overrides the path.
set -euo pipefail
CHROMIUM=${PG2DDB_CHROMIUM:-/usr/bin/chromium}
if [[ -x $CHROMIUM ]]; then
  exit 0
fi
SUDO=
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
$SUDO apt-get install -y -qq --no-install-recommends chromium >&2
[[ -x $CHROMIUM ]] || { echo "ensure-chromium: $CHROMIUM is still missing after apt-get install chromium" >&2; exit 1; }
