#!/usr/bin/env bash
# Which images a change touches: prints one image name per line (pg2ddb-transformer, -writer,
# -reconciler, -cli, -connect). Uses Nx's project graph, so a change in a lib reaches every app
# that imports it; image-level inputs (Containerfiles, lockfile, the Connect pom) count too.
#   infra/images/affected-images.sh [BASE [HEAD]]     (default: main..HEAD; HEAD may be omitted)
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE="${1:-main}"
HEAD="${2:-HEAD}"
files=$(git diff --name-only "$BASE" "$HEAD")
export NX_DAEMON=false NX_NO_CLOUD=true
projects=$(npx nx show projects --affected --base="$BASE" --head="$HEAD" 2>/dev/null || true)
all_node=0
grep -qE '^(package\.json|package-lock\.json|tsconfig\.base\.json|tsconfig\.build\.json|nx\.json|infra/images/service\.Containerfile|infra/scripts/register-dist-paths\.cjs)$' <<<"$files" && all_node=1
for app in transformer writer reconciler cli; do
  if ((all_node)) || grep -qx "$app" <<<"$projects"; then echo "pg2ddb-$app"; fi
done
if ((all_node == 0)) && grep -qE '^(infra/debezium/|examples/)' <<<"$files"; then
  grep -qx cli <<<"$projects" || echo "pg2ddb-cli"
fi
grep -qE '^(infra/images/connect\.Containerfile|infra/local/maven/connect/)' <<<"$files" && echo "pg2ddb-connect"
exit 0
