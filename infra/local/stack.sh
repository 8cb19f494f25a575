#!/usr/bin/env bash
# pg2ddb local stack without Docker: PostgreSQL 15 (logical decoding), moto's DynamoDB emulator
# (open source, in memory), a single-node Kafka (KRaft) and a Kafka Connect distributed worker with
# the Debezium PostgreSQL connector. The JVM parts come from Maven Central (see infra/local/maven/),
# the emulator from PyPI into a virtual environment (see infra/local/moto/).
#
#   stack.sh fetch|start|stop|status|env|reset|help
#
# See infra/local/README.md for the details, environment variables and troubleshooting.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)

abspath() {
  case $1 in
    /*) printf '%s\n' "${1%/}" ;;
    *) printf '%s\n' "$PWD/${1%/}" ;;
  esac
}

# ---------------------------------------------------------------- configuration
STATE_DIR=$(abspath "${PG2DDB_STACK_DIR:-$REPO_ROOT/.stack}")
CACHE_DIR=$(abspath "${PG2DDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pg2ddb}")
PG_PORT=${PG2DDB_PG_PORT:-54329}
DYNAMO_PORT=${PG2DDB_DYNAMO_PORT:-58000}
KAFKA_PORT=${PG2DDB_KAFKA_PORT:-59092}
KAFKA_CONTROLLER_PORT=${PG2DDB_KAFKA_CONTROLLER_PORT:-59093}
# Kafka's second listener: SASL_SSL (SCRAM-SHA-512 over TLS with the stack's test CA)
KAFKA_SSL_PORT=${PG2DDB_KAFKA_SSL_PORT:-$((${KAFKA_PORT:-59092} + 3))}
CONNECT_PORT=${PG2DDB_CONNECT_PORT:-58083}
MAVEN_REPO=${PG2DDB_MAVEN_REPO:-}
# readiness / shutdown bounds, seconds
PG_TIMEOUT=${PG2DDB_PG_TIMEOUT:-60}
DYNAMO_TIMEOUT=${PG2DDB_DYNAMO_TIMEOUT:-90}
KAFKA_TIMEOUT=${PG2DDB_KAFKA_TIMEOUT:-120}
CONNECT_TIMEOUT=${PG2DDB_CONNECT_TIMEOUT:-180}
STOP_TIMEOUT=${PG2DDB_STOP_TIMEOUT:-30}
PYTHON=${PG2DDB_PYTHON:-python3}

PG_DB=pg2ddb
PG_USER=pg2ddb
# Least-privilege roles (docs/security.md): the connector's (REPLICATION, SELECT on the published
# tables, granted by 'pg2ddb connector apply') and the reconciler's (read-only); PG_USER owns the
# database and is the admin/CLI role.
PG_CONNECTOR_USER=pg2ddb_connector
PG_RECONCILER_USER=pg2ddb_reconciler
KAFKA_MAIN=kafka.Kafka
MAVEN_DEPENDENCY_PLUGIN=3.8.1
CONNECT_MAIN=org.apache.kafka.connect.cli.ConnectDistributed
JAVA_COMPONENTS=(kafka connect)

LOG_DIR=$STATE_DIR/logs
PW_FILE=$STATE_DIR/pg-password
CONNECTOR_PW_FILE=$STATE_DIR/pg-connector-password
RECONCILER_PW_FILE=$STATE_DIR/pg-reconciler-password
ENV_FILE=$STATE_DIR/stack.env
STATE_MARKER=$STATE_DIR/.pg2ddb-stack
PG_DIR_FILE=$STATE_DIR/postgres.dir
TLS_DIR=$STATE_DIR/tls
KAFKA_SASL_USER=pg2ddb
KAFKA_SASL_PW_FILE=$STATE_DIR/kafka-sasl-password

# ---------------------------------------------------------------- output helpers
log() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
# die MESSAGE [HINT...]: print an error (and indented hints) and exit 1
die() {
  printf '[stack] ERROR: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '        %s\n' "$line" >&2; done
  exit 1
}
now() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then printf '%s\n' "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
# tail_log FILE...: print the last lines of the given log files to stderr
tail_log() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf '        --- last lines of %s ---\n' "$f" >&2
    tail -n "${PG2DDB_LOG_LINES:-25}" "$f" | sed 's/^/        | /' >&2
  done
}

usage() {
  cat <<EOF
Usage: infra/local/stack.sh COMMAND

  fetch    download Kafka, Kafka Connect + Debezium (Maven) and the DynamoDB emulator (PyPI), once
  start    start PostgreSQL, the DynamoDB emulator, Kafka and Kafka Connect (idempotent)
  stop     stop everything this stack started
  status   one line per component; exit 0 only when all are up
  env      print the connection settings (KEY=value)
  reset    stop and delete the state dir ($STATE_DIR); the jar cache is kept

State: $STATE_DIR   Cache: $CACHE_DIR
EOF
}

validate_config() {
  local name value seen=" "
  for name in PG_PORT DYNAMO_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_SSL_PORT CONNECT_PORT; do
    value=${!name}
    if [[ ! $value =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
      die "PG2DDB_$name=$value is not a valid TCP port"
    fi
    [[ $seen != *" $value "* ]] || die "port $value is configured for two components" \
      "set distinct PG2DDB_PG_PORT, PG2DDB_DYNAMO_PORT, PG2DDB_KAFKA_PORT, PG2DDB_KAFKA_CONTROLLER_PORT, PG2DDB_KAFKA_SSL_PORT, PG2DDB_CONNECT_PORT"
    seen+="$value "
  done
  for name in PG_TIMEOUT DYNAMO_TIMEOUT KAFKA_TIMEOUT CONNECT_TIMEOUT STOP_TIMEOUT; do
    [[ ${!name} =~ ^[0-9]+$ ]] || die "PG2DDB_$name=${!name} is not a number of seconds"
  done
}

# ---------------------------------------------------------------- prerequisites
JAVA=
require_java() {
  [[ -z $JAVA ]] || return 0
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    JAVA=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then
    JAVA=$(command -v java)
  else
    die "Java 17+ not found (needed by Kafka and Kafka Connect)" \
      "install it, e.g.: apt-get install -y openjdk-17-jre-headless" \
      "or put a JDK/JRE 17+ on PATH / set JAVA_HOME"
  fi
  local version major
  version=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = *//p' | head -n 1)
  major=${version#1.}
  major=${major%%.*}
  [[ $major =~ ^[0-9]+$ ]] || die "cannot determine the version of $JAVA" "check that '$JAVA -version' works"
  ((major >= 17)) || die "Java $version at $JAVA is too old: Java 17+ is required" \
    "install it, e.g.: apt-get install -y openjdk-17-jre-headless, and put it first on PATH or set JAVA_HOME"
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) not found: it is needed once to download the jars into $CACHE_DIR" \
    "install it, e.g.: apt-get install -y maven"
}

require_tools() {
  local t missing=()
  for t in curl awk sed timeout dd od setsid nohup; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]}" \
    "install them, e.g.: apt-get install -y curl coreutils util-linux gawk sed"
  if ((EUID == 0)); then
    command -v runuser >/dev/null 2>&1 || die "runuser not found (needed to run PostgreSQL as user postgres)" \
      "install it: apt-get install -y util-linux"
  fi
}

PG_BIN=
find_pg_bin() {
  [[ -z $PG_BIN ]] || return 0
  if [[ -n ${PG2DDB_PG_BIN:-} ]]; then
    [[ -x $PG2DDB_PG_BIN/postgres && -x $PG2DDB_PG_BIN/pg_ctl ]] ||
      die "PG2DDB_PG_BIN=$PG2DDB_PG_BIN does not contain the PostgreSQL server binaries (postgres, pg_ctl)"
    PG_BIN=$PG2DDB_PG_BIN
  elif [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then
    PG_BIN=/usr/lib/postgresql/15/bin
  fi
}

require_pg_bin() {
  find_pg_bin
  [[ -z $PG_BIN ]] || return 0
  if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
    local t0 apt_log=/tmp/pg2ddb-apt-postgresql-15.log
    t0=$(now)
    log "PostgreSQL 15 not found: installing postgresql-15 with apt-get (log: $apt_log)"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15; } >"$apt_log" 2>&1; then
      tail_log "$apt_log"
      die "apt-get install postgresql-15 failed" \
        "on distributions without postgresql-15 add the PGDG apt repository, or install another" \
        "PostgreSQL 12-17 server and set PG2DDB_PG_BIN to its bin directory"
    fi
    log "postgresql-15 installed ($(since "$t0"))"
    PG_BIN=/usr/lib/postgresql/15/bin
    [[ -x $PG_BIN/postgres ]] || die "postgresql-15 was installed but $PG_BIN/postgres is missing"
    return 0
  fi
  local others='' d
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/postgres ]] && others+="$d "; done
  die "PostgreSQL 15 server binaries not found in /usr/lib/postgresql/15/bin" \
    "install them as root: apt-get update && apt-get install -y postgresql-15" \
    "or set PG2DDB_PG_BIN to the bin directory of a PostgreSQL 12-17 server${others:+ (found: $others)}"
}

# ---------------------------------------------------------------- ports
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

port_holder() {
  local users=
  if command -v ss >/dev/null 2>&1; then
    users=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(.*)' | head -n 1 || true)
  fi
  printf '%s\n' "${users:-an unknown process (as root, \"ss -ltnp sport = :$1\" names it)}"
}

# check_port PORT COMPONENT ENVVAR: fail when something that is not ours listens on PORT
check_port() {
  port_in_use "$1" || return 0
  die "port $1 (needed by $2) is already in use by $(port_holder "$1")" \
    "stop that process, or choose another port: export $3=<free port>"
}

# ---------------------------------------------------------------- fetch (Maven)
# component_dir NAME: cache directory of a component, keyed by the hash of its pom
component_dir() {
  local pom=$SCRIPT_DIR/maven/$1/pom.xml hash
  [[ -f $pom ]] || die "missing $pom"
  hash=$(sha256sum "$pom" | cut -c1-12)
  printf '%s\n' "$CACHE_DIR/$1-$hash"
}

fetch_component() {
  local name=$1 dir work t0 mvn_log
  dir=$(component_dir "$name")
  [[ -f $dir/.complete ]] && return 0
  require_mvn
  t0=$(now)
  mkdir -p "$CACHE_DIR"
  work=$CACHE_DIR/.work-$name-$$
  rm -rf "$work"
  mkdir -p "$work"
  cp "$SCRIPT_DIR/maven/$name/pom.xml" "$work/pom.xml"
  # the goal is spelled out in full (same plugin as 'dependency:copy-dependencies', version pinned in
  # the poms) so that no plugin-prefix metadata has to be downloaded first
  local args=(-B -q -U -Dstyle.color=never -f "$work/pom.xml"
    "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies"
    -DoutputDirectory="$work/lib" -DincludeScope=runtime)
  if [[ -n $MAVEN_REPO ]]; then
    # a mirror for everything (plugins included); given as *global* settings so that the
    # user's ~/.m2/settings.xml (proxies, credentials) still applies
    cat >"$work/settings.xml" <<EOF
<settings>
  <mirrors>
    <mirror>
      <id>pg2ddb-mirror</id>
      <mirrorOf>*</mirrorOf>
      <url>$MAVEN_REPO</url>
    </mirror>
  </mirrors>
</settings>
EOF
    args+=(-gs "$work/settings.xml")
  fi
  log "fetching $name from ${MAVEN_REPO:-Maven Central} ..."
  mvn_log=$CACHE_DIR/$name.mvn.log
  if ! (cd "$work" && mvn "${args[@]}") >"$mvn_log" 2>&1; then
    rm -rf "$work"
    sed -i 's/\x1b\[[0-9;]*m//g' "$mvn_log"
    grep -F '[ERROR]' "$mvn_log" | grep -viE '^\[ERROR\] *($|\[Help)|re-run Maven|For more information' |
      head -n 5 | sed 's/^/        | /' >&2 || true
    if grep -qiE 'UnknownHost|Could not transfer|transfer failed|Connection refused|Connect(ion)? timed out|Read timed out|Network is unreachable|No route to host|Could not resolve|Name or service not known|PKIX|Remote host terminated|No plugin found for prefix|Plugin .* could not be resolved|Failed to read artifact descriptor' "$mvn_log"; then
      die "cannot download $name: the Maven repository (${MAVEN_REPO:-Maven Central, https://repo.maven.apache.org/maven2}) is unreachable" \
        "set PG2DDB_MAVEN_REPO=<url of a Maven mirror> or configure a proxy in ~/.m2/settings.xml (<proxies>)" \
        "full log: $mvn_log"
    fi
    die "mvn failed while fetching $name (full log: $mvn_log)"
  fi
  if [[ -f $dir/.complete ]]; then
    rm -rf "$work" # a concurrent fetch won
  else
    rm -rf "$dir"
    mv "$work" "$dir"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$dir/.complete"
  fi
  log "fetched $name: $(find "$dir/lib" -name '*.jar' | wc -l) jars, $(du -sh "$dir" | cut -f1) ($(since "$t0"))"
}

# moto_dir: the emulator's virtual environment, keyed by the hash of its requirements file
moto_dir() {
  local req=$SCRIPT_DIR/moto/requirements.txt
  [[ -f $req ]] || die "missing $req"
  printf '%s\n' "$CACHE_DIR/moto-$(sha256sum "$req" | cut -c1-12)"
}

require_python() {
  command -v "$PYTHON" >/dev/null 2>&1 || die "Python 3.9+ not found ($PYTHON; needed by the DynamoDB emulator, moto)" \
    "install it, e.g.: apt-get install -y python3 python3-venv, or set PG2DDB_PYTHON to a python3 binary"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null ||
    die "$PYTHON is $("$PYTHON" --version 2>&1): the DynamoDB emulator (moto 5.2) needs Python 3.9+" \
      "install a newer python3, or set PG2DDB_PYTHON to one"
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
      local apt_log=/tmp/pg2ddb-apt-python3-venv.log
      log "python3 has no venv/ensurepip module: installing python3-venv with apt-get (log: $apt_log)"
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; } >"$apt_log" 2>&1 ||
        { tail_log "$apt_log"; die "apt-get install python3-venv failed"; }
    else
      die "$PYTHON cannot create virtual environments (no venv/ensurepip module)" \
        "install it as root: apt-get install -y python3-venv"
    fi
  fi
}

# fetch_moto: pip-install the pinned emulator into <cache>/moto-<hash> (once). A venv is not
# relocatable, so it is built in place under a lock (stacks with other state dirs share the cache)
# and marked complete only once pip succeeded.
fetch_moto() {
  local dir t0 pip_log
  dir=$(moto_dir)
  [[ -f $dir/.complete ]] && return 0
  require_python
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/.moto.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 900 8 || die "another stack.sh has been installing the emulator for 15 minutes ($CACHE_DIR/.moto.lock)"
  fi
  if [[ -f $dir/.complete ]]; then
    exec 8>&-
    return 0
  fi
  t0=$(now)
  pip_log=$CACHE_DIR/moto.pip.log
  log "installing the DynamoDB emulator (moto $(sed -n 's/^moto\[[a-z,]*\]==//p' "$SCRIPT_DIR/moto/requirements.txt")) from ${PIP_INDEX_URL:-PyPI} into $dir ..."
  rm -rf "$dir"
  if ! { "$PYTHON" -m venv "$dir" && "$dir/bin/python" -m pip install -q --disable-pip-version-check \
    --no-input -r "$SCRIPT_DIR/moto/requirements.txt"; } >"$pip_log" 2>&1; then
    rm -rf "$dir"
    exec 8>&-
    tail_log "$pip_log"
    die "cannot install the DynamoDB emulator (moto) from ${PIP_INDEX_URL:-PyPI}" \
      "check the network, or set PIP_INDEX_URL to a PyPI mirror; full log: $pip_log"
  fi
  date -u +%Y-%m-%dT%H:%M:%SZ >"$dir/.complete"
  exec 8>&-
  log "installed the DynamoDB emulator: $(du -sh "$dir" | cut -f1) ($(since "$t0"))"
}

cmd_fetch() {
  local name t0 all=1
  t0=$(now)
  require_java
  for name in "${JAVA_COMPONENTS[@]}"; do
    [[ -f $(component_dir "$name")/.complete ]] || all=0
  done
  [[ -f $(moto_dir)/.complete ]] || all=0
  if ((all)); then
    log "jars and the emulator already in $CACHE_DIR"
    return 0
  fi
  # sequential on purpose: concurrent mvn runs share ~/.m2 without locking
  for name in "${JAVA_COMPONENTS[@]}"; do fetch_component "$name"; done
  fetch_moto
  log "fetch done ($(since "$t0"))"
}

# ---------------------------------------------------------------- process helpers
# has_marker PID COMPONENT: the process is this stack's JVM for COMPONENT
has_marker() {
  local arg s=0 c=0
  [[ -r /proc/$1/cmdline ]] || return 1
  while IFS= read -r -d '' arg; do
    [[ $arg == "-Dpg2ddb.stack=$STATE_DIR" || $arg == "-Xpg2ddb.stack=$STATE_DIR" ]] && s=1
    [[ $arg == "-Dpg2ddb.component=$2" || $arg == "-Xpg2ddb.component=$2" ]] && c=1
  done 2>/dev/null <"/proc/$1/cmdline" || true
  ((s && c))
}

# java_pid COMPONENT: pid of the running JVM (or, for dynamodb, Python) process of COMPONENT
# (pid file, else a /proc scan for its -D/-X pg2ddb.stack marker)
java_pid() {
  local pid f
  pid=$(cat "$STATE_DIR/$1.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && has_marker "$pid" "$1"; then
    printf '%s\n' "$pid"
    return 0
  fi
  for f in $(grep -lzxF -e "-Dpg2ddb.stack=$STATE_DIR" -e "-Xpg2ddb.stack=$STATE_DIR" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    if has_marker "$pid" "$1"; then
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}

# cds_flags COMPONENT: AppCDS. The first run of a JVM dumps the classes it loaded into an archive
# when it exits (at 'stop'); later starts map that archive instead of loading and verifying the
# classes again, which cuts the start time. The archive name is keyed by the JVM and the jar set.
cds_flags() {
  local key jsa
  [[ ${PG2DDB_CDS:-1} != 0 ]] || return 0
  key=$(printf '%s\n' "$JAVA" "$("$JAVA" -version 2>&1)" "$(component_dir "$1")" | sha256sum | cut -c1-12)
  jsa=$STATE_DIR/cds/$1-$key.jsa
  mkdir -p "$STATE_DIR/cds"
  if [[ -s $jsa ]]; then
    printf '%s\n' "-XX:SharedArchiveFile=$jsa"
  else
    # written at exit; 'stop' renames it to .jsa only after a clean exit (see stop_java)
    printf '%s\n' "-XX:ArchiveClassesAtExit=$jsa.new"
  fi
  printf '%s\n' "-Xlog:cds*=error" # no warning per class that cannot be archived
}

# launch_java COMPONENT OUTLOG JVM-ARGS...: start a detached JVM, pid in <state>/COMPONENT.pid
launch_java() {
  local comp=$1 out=$2 cds=()
  shift 2
  mapfile -t cds < <(cds_flags "$comp")
  rm -f "$STATE_DIR/$comp.pid"
  printf '==== %s starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$comp" >>"$out"
  # setsid: own session, no controlling terminal; the inner bash records its pid and execs the
  # JVM, so the pid file holds the JVM's pid. fd 9 (the stack lock) must not leak into the JVM.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' pg2ddb-launch "$STATE_DIR/$comp.pid" \
    "$JAVA" "-Dpg2ddb.stack=$STATE_DIR" "-Dpg2ddb.component=$comp" \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
    -Dfile.encoding=UTF-8 "${cds[@]}" "$@" </dev/null >>"$out" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $STATE_DIR/$comp.pid ]] && return 0
    sleep 0.1
  done
  die "$comp: the launcher did not write $STATE_DIR/$comp.pid"
}

# wait_ready COMPONENT TIMEOUT PROBE ALIVE-CHECK LOG...: poll PROBE until it succeeds
wait_ready() {
  local comp=$1 timeout=$2 probe=$3 alive=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  while ! "$probe"; do
    if ! "$alive"; then
      tail_log "$@"
      die "$comp exited during startup (logs: $*)"
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$@"
      local var=PG2DDB_${comp^^}_TIMEOUT
      case $comp in postgres) var=PG2DDB_PG_TIMEOUT ;; dynamodb) var=PG2DDB_DYNAMO_TIMEOUT ;; esac
      die "$comp did not become ready within ${timeout}s; it is still running ('$0 stop' stops it)" \
        "if the machine is just slow, raise $var (seconds)" "logs: $*"
    fi
    sleep 0.25
  done
}

# stop_pids NAME PIDS...: TERM, wait up to STOP_TIMEOUT, then KILL (returns 1 when it had to)
stop_pids() {
  local name=$1 t0 deadline p alive rc=0
  shift
  t0=$(now)
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while :; do
    alive=()
    for p in "$@"; do has_marker "$p" "$name" && alive+=("$p"); done
    ((${#alive[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      kill -KILL "${alive[@]}" 2>/dev/null || true
      sleep 0.5
      warn "$name did not stop within ${STOP_TIMEOUT}s: killed (pid ${alive[*]})"
      rc=1
      break
    fi
    sleep 0.2
  done
  log "$name stopped (pid $*, $(since "$t0"))"
  return "$rc"
}

stop_java() {
  local comp=$1 pids=() pid f
  while pid=$(java_pid "$comp"); do
    pids+=("$pid")
    if stop_pids "$comp" "$pid"; then
      # a clean exit has written the class archive completely: keep it for the next start
      for f in "$STATE_DIR/cds/$comp"-*.jsa.new; do
        if [[ -s $f ]]; then mv -f "$f" "${f%.new}"; fi
      done
    else
      rm -f "$STATE_DIR/cds/$comp"-*.jsa.new
    fi
    ((${#pids[@]} < 5)) || break
  done
  rm -f "$STATE_DIR/$comp.pid"
  ((${#pids[@]} > 0)) || log "$comp not running"
}

# ---------------------------------------------------------------- PostgreSQL
PG_RUN_AS=
PG_ROOT=
PG_DATA=
PG_SOCK=
PG_LOG=
PG_SUPERUSER=

# as_pg CMD...: run CMD as the PostgreSQL OS user (postgres when we are root)
as_pg() {
  if [[ -n $PG_RUN_AS ]]; then
    (cd / && runuser -u "$PG_RUN_AS" -- "$@")
  else
    "$@"
  fi
}

# pg_layout [create]: decide where the cluster lives. As root, postgres must reach the data dir:
# when it cannot traverse the state dir, the cluster goes to /var/tmp (keyed by the state dir).
pg_layout() {
  local create=${1:-}
  if ((EUID == 0)); then
    PG_RUN_AS=postgres
    PG_SUPERUSER=postgres
  else
    PG_RUN_AS=
    PG_SUPERUSER=$(id -un)
  fi
  if [[ -s $PG_DIR_FILE ]]; then
    PG_ROOT=$(cat "$PG_DIR_FILE")
  elif [[ -n $create ]]; then
    PG_ROOT=$STATE_DIR/postgres
    if [[ -n $PG_RUN_AS ]]; then
      id -u "$PG_RUN_AS" >/dev/null 2>&1 || die "running as root but there is no '$PG_RUN_AS' user to run PostgreSQL" \
        "PostgreSQL refuses to run as root; install the postgresql-15 package (it creates the user) or: useradd --system --home /var/lib/postgresql postgres"
      if ! as_pg test -x "$STATE_DIR"; then
        PG_ROOT=/var/tmp/pg2ddb-postgres-$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)
        log "postgres: user $PG_RUN_AS cannot traverse $STATE_DIR, so the cluster lives in $PG_ROOT"
      fi
    fi
    printf '%s\n' "$PG_ROOT" >"$PG_DIR_FILE"
  else
    PG_ROOT=$STATE_DIR/postgres
  fi
  PG_DATA=$PG_ROOT/data
  PG_SOCK=$PG_ROOT/run
  if [[ $PG_ROOT == "$STATE_DIR"/* ]]; then
    PG_LOG=$LOG_DIR/postgres.log
  else
    PG_LOG=$PG_ROOT/postgres.log
  fi
}

pg_pid() {
  local pid
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PG_DATA" || return 1
  printf '%s\n' "$pid"
}
pg_alive() { pg_pid >/dev/null; }
pg_probe() {
  if [[ -n $PG_BIN && -x $PG_BIN/pg_isready ]]; then
    "$PG_BIN/pg_isready" -q -t 2 -h 127.0.0.1 -p "$PG_PORT" -d "$PG_DB" >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null
  fi
}

# pg_write FILE < content: write a file the PostgreSQL user owns
pg_write() {
  cat >"$1"
  chmod 600 "$1"
  [[ -z $PG_RUN_AS ]] || chown "$PG_RUN_AS:" "$1"
}

pg_sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

pg_configure() {
  # pg2ddb.conf is rewritten on every start so that port changes take effect
  pg_write "$PG_DATA/pg2ddb.conf" <<EOF
# written by infra/local/stack.sh on every start; edit the script, not this file
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = $(pg_sql_quote "$PG_SOCK")
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
wal_level = logical
# TLS with the stack's test CA (clients choose: PG2DDB_PG_SSLMODE, Debezium's database.sslmode)
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
max_replication_slots = 20
max_wal_senders = 20
# Dev/test stack only: no fsync and asynchronous commit make it fast, and a power loss or an OS
# crash can corrupt the cluster ('stack.sh reset' starts over). Never use these settings in production.
fsync = off
synchronous_commit = off
EOF
  # trust only on the unix socket (in a 0700 directory: the script's own access); passwords over TCP
  pg_write "$PG_DATA/pg_hba.conf" <<'EOF'
# written by infra/local/stack.sh on every start
# TYPE  DATABASE     USER  ADDRESS        METHOD
local   all          all                  trust
host    all          all   127.0.0.1/32   scram-sha-256
host    replication  all   127.0.0.1/32   scram-sha-256
EOF
}

# pg_password [FILE]: the password kept in FILE (default the admin's), generated at the first start
pg_password() {
  local file=${1:-$PW_FILE}
  if [[ ! -s $file ]]; then
    (umask 077 && head -c 24 /dev/urandom | od -An -tx1 -v | tr -d ' \n' >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

pg_bootstrap() {
  local pw cpw rpw
  pw=$(pg_password)
  cpw=$(pg_password "$CONNECTOR_PW_FILE")
  rpw=$(pg_password "$RECONCILER_PW_FILE")
  # fed on stdin, so the password never shows up in a process list
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres >/dev/null <<EOF
SELECT 'CREATE ROLE $PG_USER LOGIN REPLICATION' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') \gexec
ALTER ROLE $PG_USER WITH LOGIN REPLICATION PASSWORD '$pw';
-- lets the admin (cli) see other roles' sessions in pg_stat_activity: connector apply names the
-- backend whose open transaction blocks the connector's slot creation (not a superuser)
GRANT pg_read_all_stats TO $PG_USER;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB') \gexec
ALTER DATABASE $PG_DB OWNER TO $PG_USER;
SELECT 'CREATE ROLE $PG_CONNECTOR_USER LOGIN REPLICATION' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_CONNECTOR_USER') \gexec
ALTER ROLE $PG_CONNECTOR_USER WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$cpw';
SELECT 'CREATE ROLE $PG_RECONCILER_USER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_RECONCILER_USER') \gexec
ALTER ROLE $PG_RECONCILER_USER WITH LOGIN NOREPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$rpw';
REVOKE CREATE ON DATABASE $PG_DB FROM PUBLIC;
EOF
}

start_postgres() {
  local t0 pid
  t0=$(now)
  pg_layout create
  if pid=$(pg_pid); then
    wait_ready postgres "$PG_TIMEOUT" pg_probe pg_alive "$PG_LOG"
    log "postgres already running (pid $pid, 127.0.0.1:$PG_PORT)"
    return 0
  fi
  mkdir -p "$PG_ROOT"
  if [[ -n $PG_RUN_AS ]]; then
    chown "$PG_RUN_AS:" "$PG_ROOT"
    chmod 700 "$PG_ROOT"
  fi
  as_pg mkdir -p "$PG_SOCK"
  as_pg chmod 700 "$PG_SOCK"
  if [[ ! -f $PG_LOG ]]; then
    : >"$PG_LOG"
    [[ -z $PG_RUN_AS ]] || chown "$PG_RUN_AS:" "$PG_LOG"
  fi
  [[ $PG_LOG == "$LOG_DIR"/* ]] || ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -E UTF8 --locale=C --auth-local=trust \
      --auth-host=scram-sha-256 --no-sync >>"$PG_LOG" 2>&1 9>&-; then
      tail_log "$PG_LOG"
      die "postgres: initdb failed (log: $PG_LOG)"
    fi
    printf "\ninclude_if_exists = 'pg2ddb.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
    log "postgres: initialised $PG_DATA"
  fi
  # the server's certificate and key, readable by the PostgreSQL user only
  pg_write "$PG_DATA/server.crt" <"$TLS_DIR/postgres-server.crt"
  pg_write "$PG_DATA/server.key" <"$TLS_DIR/postgres-server.key"
  pg_configure
  local out
  # pg_ctl detaches the server and points its stdin/stdout/stderr at /dev/null and the log file
  if ! out=$(as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" -s start 2>&1 9>&-); then
    tail_log "$PG_LOG"
    die "postgres did not start within ${PG_TIMEOUT}s (log: $PG_LOG)" "pg_ctl: ${out:-no output}"
  fi
  wait_ready postgres "$PG_TIMEOUT" pg_probe pg_alive "$PG_LOG"
  pg_bootstrap || {
    tail_log "$PG_LOG"
    die "postgres: creating role/database $PG_USER failed (log: $PG_LOG)"
  }
  log "postgres ready on 127.0.0.1:$PG_PORT (pid $(pg_pid), $(since "$t0"))"
}

stop_postgres() {
  local pid t0
  pg_layout
  if ! pid=$(pg_pid); then
    log "postgres not running"
    return 0
  fi
  t0=$(now)
  find_pg_bin
  local bin=$PG_BIN
  [[ -n $bin ]] || bin=$(dirname "$(readlink "/proc/$pid/exe" 2>/dev/null || echo /usr/lib/postgresql/15/bin/postgres)")
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" -s stop >/dev/null 2>&1; then
    warn "postgres did not stop within ${STOP_TIMEOUT}s (fast): stopping with -m immediate"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 -s stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
  fi
  log "postgres stopped (pid $pid, $(since "$t0"))"
}

# ---------------------------------------------------------------- DynamoDB emulator (moto)
dynamo_alive() { java_pid dynamodb >/dev/null; }
dynamo_probe() {
  # a real ListTables call, as a client would make it
  curl -fsS -o /dev/null --noproxy '*' --max-time 3 -X POST "http://127.0.0.1:$DYNAMO_PORT/" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'X-Amz-Date: 20240101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000' \
    --data '{}' 2>/dev/null
}

# moto keeps every table in its process's memory: a stop loses them (the demo recreates its table
# and replays the Kafka topics, which keep every event). See infra/local/README.md.
start_dynamodb() {
  local t0 pid dir
  t0=$(now)
  if pid=$(java_pid dynamodb); then
    wait_ready dynamodb "$DYNAMO_TIMEOUT" dynamo_probe dynamo_alive "$LOG_DIR/dynamodb.log"
    log "dynamodb already running (pid $pid, 127.0.0.1:$DYNAMO_PORT)"
    return 0
  fi
  dir=$(moto_dir)
  rm -f "$STATE_DIR/dynamodb.pid"
  printf '==== %s starting dynamodb (moto)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$LOG_DIR/dynamodb.log"
  # -X options are free-form in CPython: they carry the same stack/component markers as the JVMs'
  # -D properties, so stop/status find this process the same way.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' pg2ddb-launch "$STATE_DIR/dynamodb.pid" \
    "$dir/bin/python" "-Xpg2ddb.stack=$STATE_DIR" "-Xpg2ddb.component=dynamodb" \
    "$SCRIPT_DIR/moto/serve.py" -H 127.0.0.1 -p "$DYNAMO_PORT" </dev/null >>"$LOG_DIR/dynamodb.log" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $STATE_DIR/dynamodb.pid ]] && break
    sleep 0.1
  done
  wait_ready dynamodb "$DYNAMO_TIMEOUT" dynamo_probe dynamo_alive "$LOG_DIR/dynamodb.log"
  log "dynamodb (moto) ready on 127.0.0.1:$DYNAMO_PORT (pid $(java_pid dynamodb), $(since "$t0"))"
}

# ---------------------------------------------------------------- test CA (TLS)
# ensure_tls: a test CA and server certificates for Kafka's SASL_SSL listener (PKCS12 keystore;
# names localhost and 127.0.0.1) and PostgreSQL (names 127.0.0.1 only, so that verify-full to
# "localhost" shows a wrong host name being refused), generated once per state dir (never
# committed; docs/security.md).
ensure_tls() {
  [[ -s $TLS_DIR/ca.crt && -s $TLS_DIR/kafka.p12 ]] || make_tls
  [[ -s $TLS_DIR/postgres-server.crt ]] && return 0
  (
    cd "$TLS_DIR" && umask 077
    openssl req -newkey rsa:2048 -nodes -subj "/CN=pg2ddb local postgres" -keyout postgres-server.key -out postgres-server.csr
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >postgres-server.ext
    openssl x509 -req -in postgres-server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile postgres-server.ext -out postgres-server.crt
  ) >>"$LOG_DIR/tls.log" 2>&1 || { tail_log "$LOG_DIR/tls.log"; die "making the PostgreSQL certificate failed (log: $LOG_DIR/tls.log)"; }
}

make_tls() {
  command -v openssl >/dev/null 2>&1 || die "openssl not found (needed to make the stack's test CA)" "install it: apt-get install -y openssl"
  local t0 name
  t0=$(now)
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  (
    cd "$TLS_DIR" && umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=pg2ddb local test CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout kafka.key -out kafka.csr
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >kafka.ext
    openssl x509 -req -in kafka.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile kafka.ext -out kafka.crt
    head -c 18 /dev/urandom | od -An -tx1 -v | tr -d ' \n' >kafka-keystore-password
    openssl pkcs12 -export -in kafka.crt -inkey kafka.key -certfile ca.crt -name kafka \
      -passout file:kafka-keystore-password -out kafka.p12
    chmod 644 ca.crt
  ) >"$LOG_DIR/tls.log" 2>&1 || { tail_log "$LOG_DIR/tls.log"; die "making the test CA failed (log: $LOG_DIR/tls.log)"; }
  log "test CA and server certificates in $TLS_DIR ($(since "$t0"))"
}

# kafka_scram_user: the SCRAM-SHA-512 credentials of the SASL_SSL listener's user, set through the
# PLAINTEXT listener once per password. (ConfigCommand takes them on its command line only: a local
# test password, briefly visible to this machine's process list; its output is masked.)
kafka_scram_user() {
  local dir pw done_file=$STATE_DIR/kafka/scram.done out
  pw=$(pg_password "$KAFKA_SASL_PW_FILE")
  [[ -s $done_file && $(cat "$done_file") == "$(printf '%s' "$pw" | sha256sum | cut -c1-16)" ]] && return 0
  dir=$(component_dir kafka)
  if ! out=$("$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 "-Dlog4j.configuration=file:$STATE_DIR/kafka/log4j.properties" -cp "$dir/lib/*" \
    kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --alter --entity-type users \
    --entity-name "$KAFKA_SASL_USER" --add-config "SCRAM-SHA-512=[iterations=8192,password=$pw]" 2>&1 9>&-); then
    printf '%s\n' "${out//$pw/***}" >>"$LOG_DIR/kafka.out.log"
    tail_log "$LOG_DIR/kafka.out.log"
    die "kafka: setting the SCRAM credentials of $KAFKA_SASL_USER failed (log: $LOG_DIR/kafka.out.log)"
  fi
  printf '%s\n' "${out//$pw/***}" >>"$LOG_DIR/kafka.out.log"
  printf '%s' "$pw" | sha256sum | cut -c1-16 >"$done_file"
}

# ---------------------------------------------------------------- Kafka (KRaft)
kafka_alive() { java_pid kafka >/dev/null; }
# A Metadata request (v4, all topics) over /dev/tcp; ready when the answer lists a live broker.
kafka_probe() (
  exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT" || exit 1
  # size=21 | api_key=3 | api_version=4 | correlation_id="pg2d" | client_id="pg2ddb" | topics=null | allow_auto_topic_creation=false
  printf '\x00\x00\x00\x15\x00\x03\x00\x04\x70\x67\x32\x64\x00\x06pg2ddb\xff\xff\xff\xff\x00' >&3 || exit 1
  # answer: size(4) correlation_id(4) throttle_time_ms(4) brokers.length(4) ...
  b=()
  read -r -a b < <(timeout 5 dd bs=1 count=16 status=none <&3 | od -An -tu1 -v | tr '\n' ' ') || true
  ((${#b[@]} == 16)) || exit 1
  [[ "${b[4]} ${b[5]} ${b[6]} ${b[7]}" == "112 103 50 100" ]] || exit 1
  (((b[12] << 24 | b[13] << 16 | b[14] << 8 | b[15]) > 0))
) 2>/dev/null

kafka_cluster_id() {
  local f=$STATE_DIR/kafka/cluster.id id
  if [[ ! -s $f ]]; then
    id=$(sed -n 's/^cluster\.id=//p' "$STATE_DIR/kafka/data/meta.properties" 2>/dev/null || true)
    # like Kafka's Uuid.randomUuid(): 16 random bytes, base64url without padding, no leading '-'
    while [[ -z $id || $id == -* ]]; do
      id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    done
    printf '%s\n' "$id" >"$f"
  fi
  cat "$f"
}

log4j_config() { # FILE LOGFILE [extra lines]
  local file=$1 logfile=$2
  shift 2
  {
    printf '%s\n' \
      "# written by infra/local/stack.sh on every start" \
      "log4j.rootLogger=INFO, file" \
      "log4j.appender.file=org.apache.log4j.RollingFileAppender" \
      "log4j.appender.file.File=$logfile" \
      "log4j.appender.file.MaxFileSize=20MB" \
      "log4j.appender.file.MaxBackupIndex=3" \
      "log4j.appender.file.layout=org.apache.log4j.PatternLayout" \
      "log4j.appender.file.layout.ConversionPattern=[%d] %p %X{connector.context}%m (%c)%n" \
      "$@"
  } >"$file"
}

start_kafka() {
  local t0 pid dir id k=$STATE_DIR/kafka
  t0=$(now)
  if pid=$(java_pid kafka); then
    wait_ready kafka "$KAFKA_TIMEOUT" kafka_probe kafka_alive "$LOG_DIR/kafka.log" "$LOG_DIR/kafka.out.log"
    kafka_scram_user
    log "kafka already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  dir=$(component_dir kafka)
  mkdir -p "$k/data"
  (umask 077 && : >"$k/server.properties")
  cat >"$k/server.properties" <<EOF
# written by infra/local/stack.sh on every start; single node, KRaft combined broker+controller
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://127.0.0.1:$KAFKA_SSL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SSL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
# the secure listener (docs/security.md): TLS with the stack's test CA, SCRAM-SHA-512 users
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS_DIR/kafka.p12
ssl.keystore.password=$(cat "$TLS_DIR/kafka-keystore-password")
log.dirs=$k/data
auto.create.topics.enable=true
num.partitions=1
# A dev stack keeps every event, so a table created anew can be rebuilt by replaying the topics.
log.retention.hours=-1
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
EOF
  log4j_config "$k/log4j.properties" "$LOG_DIR/kafka.log"
  id=$(kafka_cluster_id)
  if [[ ! -f $k/data/meta.properties ]]; then
    if ! "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 "-Dlog4j.configuration=file:$k/log4j.properties" \
      -cp "$dir/lib/*" kafka.tools.StorageTool format -t "$id" -c "$k/server.properties" -g \
      >>"$LOG_DIR/kafka.out.log" 2>&1 9>&-; then
      tail_log "$LOG_DIR/kafka.out.log"
      die "kafka: formatting the storage failed (log: $LOG_DIR/kafka.out.log)"
    fi
    log "kafka: formatted $k/data (cluster id $id)"
  fi
  launch_java kafka "$LOG_DIR/kafka.out.log" -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    "-Dlog4j.configuration=file:$k/log4j.properties" "-Dkafka.logs.dir=$LOG_DIR" \
    -cp "$dir/lib/*" "$KAFKA_MAIN" "$k/server.properties"
  wait_ready kafka "$KAFKA_TIMEOUT" kafka_probe kafka_alive "$LOG_DIR/kafka.log" "$LOG_DIR/kafka.out.log"
  kafka_scram_user
  log "kafka ready on 127.0.0.1:$KAFKA_PORT, SASL_SSL on $KAFKA_SSL_PORT (pid $(java_pid kafka), cluster id $id, $(since "$t0"))"
}

# ---------------------------------------------------------------- Kafka Connect
connect_alive() { java_pid connect >/dev/null; }
connect_probe() {
  curl -fsS -o /dev/null --noproxy '*' --max-time 3 "http://127.0.0.1:$CONNECT_PORT/health" 2>/dev/null
}

start_connect() {
  local t0 pid dir c=$STATE_DIR/connect
  t0=$(now)
  if pid=$(java_pid connect); then
    wait_ready connect "$CONNECT_TIMEOUT" connect_probe connect_alive "$LOG_DIR/connect.log" "$LOG_DIR/connect.out.log"
    log "connect already running (pid $pid, 127.0.0.1:$CONNECT_PORT)"
    return 0
  fi
  dir=$(component_dir connect)
  mkdir -p "$c"
  cat >"$c/worker.properties" <<EOF
# written by infra/local/stack.sh on every start; Debezium is on the worker's classpath
bootstrap.servers=127.0.0.1:$KAFKA_PORT
group.id=pg2ddb-connect
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
config.storage.topic=pg2ddb-connect-configs
offset.storage.topic=pg2ddb-connect-offsets
status.storage.topic=pg2ddb-connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.flush.interval.ms=1000
listeners=http://127.0.0.1:$CONNECT_PORT
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$CONNECT_PORT
# one worker: after an unclean restart, reassign its tasks at once instead of waiting up to 5 minutes
scheduled.rebalance.max.delay.ms=0
# Connectors reference secrets as \${env:NAME} (as in the Helm chart); only this variable resolves.
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
config.providers.env.param.allowlist.pattern=^PG2DDB_DEBEZIUM_PASSWORD\$
EOF
  log4j_config "$c/log4j.properties" "$LOG_DIR/connect.log" "log4j.logger.org.reflections=ERROR"
  # the connector role's password reaches the worker through its environment only
  PG2DDB_DEBEZIUM_PASSWORD=$(pg_password "$CONNECTOR_PW_FILE") launch_java connect "$LOG_DIR/connect.out.log" -Xms128m -Xmx768m -XX:+UseG1GC \
    "-Dlog4j.configuration=file:$c/log4j.properties" \
    -cp "$dir/lib/*" "$CONNECT_MAIN" "$c/worker.properties"
  wait_ready connect "$CONNECT_TIMEOUT" connect_probe connect_alive "$LOG_DIR/connect.log" "$LOG_DIR/connect.out.log"
  log "connect ready on 127.0.0.1:$CONNECT_PORT (pid $(java_pid connect), $(since "$t0"))"
}

# ---------------------------------------------------------------- env
print_env() {
  local pw
  pw=$(cat "$PW_FILE")
  cat <<EOF
PG2DDB_PG_HOST=127.0.0.1
PG2DDB_PG_PORT=$PG_PORT
PG2DDB_PG_USER=$PG_USER
PG2DDB_PG_PASSWORD=$pw
PG2DDB_PG_DATABASE=$PG_DB
PG2DDB_PG_SSLMODE=verify-full
PG2DDB_PG_SSL_ROOT_CERT=$TLS_DIR/ca.crt
PG2DDB_CONNECTOR_DB_USER=$PG_CONNECTOR_USER
PG2DDB_DEBEZIUM_PASSWORD=$(cat "$CONNECTOR_PW_FILE")
PG2DDB_RECONCILER_PG_USER=$PG_RECONCILER_USER
PG2DDB_RECONCILER_PG_PASSWORD=$(cat "$RECONCILER_PW_FILE")
PG2DDB_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
PG2DDB_STACK_KAFKA_SASL_SSL_BROKERS=127.0.0.1:$KAFKA_SSL_PORT
PG2DDB_STACK_KAFKA_SASL_USERNAME=$KAFKA_SASL_USER
PG2DDB_STACK_KAFKA_SASL_PASSWORD=$(cat "$KAFKA_SASL_PW_FILE" 2>/dev/null)
PG2DDB_STACK_TLS_CA_FILE=$TLS_DIR/ca.crt
PG2DDB_TOPIC_PREFIX=${PG2DDB_TOPIC_PREFIX:-pg2ddb}
PG2DDB_CONNECT_URL=http://127.0.0.1:$CONNECT_PORT
PG2DDB_DYNAMO_ENDPOINT=http://127.0.0.1:$DYNAMO_PORT
AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=local
AWS_SECRET_ACCESS_KEY=local
EOF
}

write_env() {
  [[ -s $PW_FILE ]] || return 0
  (umask 077 && print_env >"$ENV_FILE.tmp" && mv "$ENV_FILE.tmp" "$ENV_FILE")
}

cmd_env() {
  [[ -s $PW_FILE ]] || die "the stack has not been started yet (no $PW_FILE): run '$0 start' first"
  print_env
}

# ---------------------------------------------------------------- lock
lock_state() {
  mkdir -p "$STATE_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$STATE_DIR/.lock"
  flock -w 600 9 || die "another stack.sh holds $STATE_DIR/.lock for more than 600s"
}

# ---------------------------------------------------------------- commands
cmd_start() {
  local t0 c rc
  t0=$(now)
  validate_config
  require_tools
  require_java
  cmd_fetch
  require_pg_bin
  if [[ -d $STATE_DIR && ! -e $STATE_MARKER && -n $(find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name .lock -print -quit) ]]; then
    die "$STATE_DIR exists, is not empty and was not created by this script" \
      "choose another directory: export PG2DDB_STACK_DIR=<dir>"
  fi
  lock_state
  mkdir -p "$LOG_DIR"
  : >"$STATE_MARKER"
  ensure_tls

  # prerequisites first: ports of the components that are not running yet
  pg_layout
  pg_alive || check_port "$PG_PORT" postgres PG2DDB_PG_PORT
  dynamo_alive || check_port "$DYNAMO_PORT" "the DynamoDB emulator" PG2DDB_DYNAMO_PORT
  if ! kafka_alive; then
    check_port "$KAFKA_PORT" kafka PG2DDB_KAFKA_PORT
    check_port "$KAFKA_CONTROLLER_PORT" "kafka (controller)" PG2DDB_KAFKA_CONTROLLER_PORT
    check_port "$KAFKA_SSL_PORT" "kafka (SASL_SSL)" PG2DDB_KAFKA_SSL_PORT
  fi
  connect_alive || check_port "$CONNECT_PORT" "kafka connect" PG2DDB_CONNECT_PORT

  # postgres, dynamodb and kafka in parallel; connect needs kafka
  local -A job=()
  start_postgres &
  job[postgres]=$!
  start_dynamodb &
  job[dynamodb]=$!
  start_kafka &
  job[kafka]=$!
  local failed=()
  for c in postgres dynamodb kafka; do
    rc=0
    wait "${job[$c]}" || rc=$?
    ((rc == 0)) || failed+=("$c")
  done
  if [[ " ${failed[*]} " == *" kafka "* ]]; then
    failed+=(connect)
    warn "connect not started: kafka is not up"
  else
    rc=0
    (start_connect) || rc=$?
    ((rc == 0)) || failed+=(connect)
  fi
  write_env
  if ((${#failed[@]} > 0)); then
    die "stack start failed: ${failed[*]} ($(since "$t0")); logs in $LOG_DIR" \
      "the components that came up keep running: '$0 status', '$0 stop'"
  fi
  log "stack up in $(since "$t0"); settings in $ENV_FILE ('$0 env')"
}

cmd_stop() {
  local c
  if [[ -e $STATE_MARKER ]]; then lock_state; fi
  # Connect first (it needs Kafka to shut down cleanly), Postgres last
  for c in connect kafka dynamodb; do stop_java "$c"; done
  stop_postgres
}

cmd_status() {
  local ok=0 pid state
  validate_config
  find_pg_bin
  pg_layout
  status_line() { # name port pid-or-empty probe
    local note=
    if [[ -n $3 ]] && "$4"; then
      state=up
    else
      state=down
      ok=1
      [[ -z $3 ]] || note=" (process running, not answering)"
    fi
    printf '%-9s %-5s 127.0.0.1:%-6s pid %s%s\n' "$1" "$state" "$2" "${3:--}" "$note"
  }
  pid=$(pg_pid || true)
  status_line postgres "$PG_PORT" "$pid" pg_probe
  pid=$(java_pid dynamodb || true)
  status_line dynamodb "$DYNAMO_PORT" "$pid" dynamo_probe
  pid=$(java_pid kafka || true)
  status_line kafka "$KAFKA_PORT" "$pid" kafka_probe
  pid=$(java_pid connect || true)
  status_line connect "$CONNECT_PORT" "$pid" connect_probe
  return "$ok"
}

cmd_reset() {
  local pg_root=
  if [[ -d $STATE_DIR && ! -e $STATE_MARKER && -n $(find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name .lock -print -quit) ]]; then
    die "refusing to delete $STATE_DIR: it was not created by this script (no $STATE_MARKER)"
  fi
  cmd_stop
  if [[ -s $PG_DIR_FILE ]]; then pg_root=$(cat "$PG_DIR_FILE"); fi
  rm -rf "$STATE_DIR"
  if [[ $pg_root == /var/tmp/pg2ddb-postgres-* ]]; then
    rm -rf "$pg_root"
  else
    pg_root=
  fi
  log "state deleted ($STATE_DIR${pg_root:+, $pg_root}); jar and emulator cache kept in $CACHE_DIR"
}

main() {
  local cmd=${1:-help}
  case $cmd in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset) cmd_reset ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
