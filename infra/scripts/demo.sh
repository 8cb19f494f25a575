#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, then runs the payments demo
# (stack, data, table, connector, services, progress until in sync, streaming until Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
# The SDK warns that releases from 2027 need Node 22; the locked version runs on Node 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}
exec node -r @swc-node/register apps/cli/src/main.ts demo "$@"
