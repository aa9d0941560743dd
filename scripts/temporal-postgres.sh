#!/usr/bin/env bash
# The production topology on one machine: the Temporal server itself (go.temporal.io/server's
# cmd/server, built by scripts/lib/temporal-tools.sh) on PostgreSQL (Debian's package), the
# persistence docker-compose.yml uses, its schemas set up by temporal-sql-tool as Temporal documents.
#   scripts/temporal-postgres.sh up [PORT]   start PostgreSQL on 127.0.0.1:$RELEASE_PG_PORT (55432) and
#                                            the server on 127.0.0.1:PORT (7233), namespace default with
#                                            the engine's search attributes; idempotent
#   scripts/temporal-postgres.sh down        stop both (the data stays: `up` carries on from it)
#   scripts/temporal-postgres.sh status
# Everything lives under $RELEASE_PG_DIR (default /var/tmp/release-engine-postgres).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/prereqs.sh"
. "$root/scripts/lib/temporal-tools.sh"

D="${RELEASE_PG_DIR:-/var/tmp/release-engine-postgres}"
PG_PORT="${RELEASE_PG_PORT:-55432}"
PORT="${2:-7233}"

log() { printf '%s temporal-postgres: %s\n' "$(date +%H:%M:%S)" "$*"; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

postgres_up() {
  apt_install postgresql
  local bin
  bin=$(pg_bin)
  mkdir -p "$D"
  if [ ! -f "$D/pg/PG_VERSION" ]; then
    mkdir -p "$D/pg" "$D/pg-socket"
    chown postgres:postgres "$D/pg" "$D/pg-socket"
    runuser -u postgres -- "$bin/initdb" -D "$D/pg" -U temporal --auth=trust -E UTF8 >"$D/initdb.log"
  fi
  if ! runuser -u postgres -- "$bin/pg_ctl" -D "$D/pg" status >/dev/null 2>&1; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$D/pg" -l "$D/pg/postgres.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $PG_PORT -k $D/pg-socket" start >/dev/null
  fi
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

schema_up() {
  local sql dir
  sql=$(temporal_sql_tool)
  dir=$(temporal_schema_dir)/postgresql/v12
  for db in temporal temporal_visibility; do
    local tool=("$sql" --plugin postgres12 --endpoint 127.0.0.1 --port "$PG_PORT" --user temporal
      --password temporal --database "$db")
    local versioned="$dir/temporal/versioned"
    [ "$db" = temporal_visibility ] && versioned="$dir/visibility/versioned"
    "${tool[@]}" create-database >>"$D/schema.log" 2>&1 || true   # exists already on later runs
    # setup-schema -v 0.0 makes the version table (again a no-op later), update-schema brings it up
    "${tool[@]}" setup-schema -v 0.0 >>"$D/schema.log" 2>&1 || true
    "${tool[@]}" update-schema -d "$versioned" >>"$D/schema.log" 2>&1 ||
      { tail -20 "$D/schema.log" >&2; return 1; }
  done
  log "schemas of temporal and temporal_visibility up to date (temporal-sql-tool)"
}

config() {
  mkdir -p "$D/config/dynamicconfig"
  cat >"$D/config/dynamicconfig/release-engine.yaml" <<'EOF'
frontend.enableUpdateWorkflowExecution:
  - value: true
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
# four history shards, each reading its new transfer tasks at most 20 times a second by default
# (bin/release-server says why that is too few for one small cluster)
history.transferProcessorMaxPollRPS:
  - value: 500
EOF
  cat >"$D/config/release-engine.yaml" <<EOF
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
      sql: {pluginName: postgres12, databaseName: temporal, connectAddr: "127.0.0.1:$PG_PORT",
            connectProtocol: tcp, user: temporal, password: temporal, maxConns: 20, maxIdleConns: 20}
    postgres-visibility:
      sql: {pluginName: postgres12, databaseName: temporal_visibility, connectAddr: "127.0.0.1:$PG_PORT",
            connectProtocol: tcp, user: temporal, password: temporal, maxConns: 4, maxIdleConns: 4}
global:
  membership: {maxJoinDuration: 30s, broadcastAddress: "127.0.0.1"}
services:
  frontend: {rpc: {grpcPort: $PORT, membershipPort: $((PORT - 300)), bindOnLocalHost: true, httpPort: $((PORT + 10))}}
  history: {rpc: {grpcPort: $((PORT + 1)), membershipPort: $((PORT - 299)), bindOnLocalHost: true}}
  matching: {rpc: {grpcPort: $((PORT + 2)), membershipPort: $((PORT - 298)), bindOnLocalHost: true}}
  worker: {rpc: {grpcPort: $((PORT + 6)), membershipPort: $((PORT - 294)), bindOnLocalHost: true}}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active: {enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "127.0.0.1:$PORT"}
dcRedirectionPolicy: {policy: noop}
dynamicConfigClient: {filepath: "$D/config/dynamicconfig/release-engine.yaml", pollInterval: 10s}
EOF
}

server_up() {
  local server cli
  server=$(temporal_server)
  cli=$(temporal_cli)
  if [ -f "$D/server.pid" ] && kill -0 "$(cat "$D/server.pid")" 2>/dev/null; then
    log "Temporal server already running"
  else
    config
    "$server" --root "$D" --config config --env release-engine --allow-no-auth start >"$D/server.log" 2>&1 &
    echo $! >"$D/server.pid"
  fi
  local t0=$SECONDS
  until "$cli" operator cluster health --address "127.0.0.1:$PORT" >/dev/null 2>&1; do
    if [ $((SECONDS - t0)) -ge 120 ] || ! kill -0 "$(cat "$D/server.pid")" 2>/dev/null; then
      tail -30 "$D/server.log" >&2
      echo "temporal-postgres: the server did not come up" >&2
      return 1
    fi
    sleep 0.5
  done
  "$cli" operator namespace describe --address "127.0.0.1:$PORT" --namespace default >/dev/null 2>&1 ||
    "$cli" operator namespace create --address "127.0.0.1:$PORT" --namespace default --retention 7d >/dev/null
  # a namespace just created takes some seconds to reach every service: retry until all are there
  local have attempt
  for attempt in $(seq 60); do
    have=$("$cli" operator search-attribute list --address "127.0.0.1:$PORT" --namespace default 2>/dev/null || true)
    local missing=0
    for attribute in $RELEASE_SEARCH_ATTRIBUTES; do
      grep -qw "$attribute" <<<"$have" && continue
      missing=1
      "$cli" operator search-attribute create --address "127.0.0.1:$PORT" --namespace default \
        --name "$attribute" --type Keyword >>"$D/namespace.log" 2>&1 || true
    done
    [ $missing = 0 ] && break
    [ "$attempt" = 60 ] && { tail -5 "$D/namespace.log" >&2; echo "temporal-postgres: search attributes not registered" >&2; return 1; }
    sleep 1
  done
  log "Temporal server $TEMPORAL_SERVER_VERSION on 127.0.0.1:$PORT (PostgreSQL), namespace default, up in $((SECONDS - t0)) s"
}

down() {
  if [ -f "$D/server.pid" ]; then
    local pid
    pid=$(cat "$D/server.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$D/server.pid"
  fi
  if [ -f "$D/pg/PG_VERSION" ]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$D/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  log "stopped"
}

case "${1:-}" in
  up) postgres_up; schema_up; server_up ;;
  down) down ;;
  status)
    [ -f "$D/server.pid" ] && kill -0 "$(cat "$D/server.pid")" 2>/dev/null &&
      echo "Temporal server running (pid $(cat "$D/server.pid"))" || { echo "not running"; exit 1; } ;;
  *) echo "usage: scripts/temporal-postgres.sh up [PORT] | down | status" >&2; exit 2 ;;
esac
