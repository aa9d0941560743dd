# Shared by the scripts that start and stop local processes (scripts/infra.sh, scripts/lib/hosts.sh):
# pid files and waiting, without anything else.

alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }  # the file may vanish as it exits

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "infra: $what did not come up within ${seconds}s" >&2
      return 1
    fi
    sleep 0.1
  done
}

stop_pid() { # stop_pid PIDFILE: TERM, wait up to 10 s, then KILL
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null) || return 0   # it may vanish as the process exits
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
