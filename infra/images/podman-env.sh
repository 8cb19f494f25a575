# Sourced by the image and k8s-test scripts: podman settings that work on hosts without a Docker
# engine and with hybrid cgroups (crun fails there on RLIMIT_NOFILE; runc works).
# Leaves a CONTAINERS_CONF that the caller already set alone.
if [[ -z "${CONTAINERS_CONF:-}" ]]; then
  _pg2ddb_conf="${XDG_CACHE_HOME:-$HOME/.cache}/pg2ddb/podman/containers.conf"
  if [[ ! -s "$_pg2ddb_conf" ]]; then
    mkdir -p "$(dirname "$_pg2ddb_conf")"
    printf '[engine]\nruntime="runc"\n\n[containers]\ndefault_ulimits=["nofile=20000:20000","nproc=20000:20000"]\n' >"$_pg2ddb_conf"
  fi
  export CONTAINERS_CONF="$_pg2ddb_conf"
fi
