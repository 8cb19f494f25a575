#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, then runs the payments demo
# (stack, data, table, connector, services, progress until in sync, streaming until Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node -r @swc-node/register apps/cli/src/main.ts demo "$@"
