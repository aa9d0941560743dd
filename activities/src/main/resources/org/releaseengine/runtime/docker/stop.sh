#!/bin/sh
# Stops a container (SIGTERM, then SIGKILL after the seconds given) and removes it, unless the
# guard refuses: its line on standard error and its exit code are this script's.
# $1 the Docker endpoint, $2 the container, $3 the seconds docker stop waits, $4 the guard (a
# command; empty: none)
DOCKER_HOST=$1
export DOCKER_HOST
if [ -n "$4" ]; then
  sh -c "$4" || exit $?
fi
docker stop -t "$3" "$2" >/dev/null 2>&1 || true
docker rm -f "$2" >/dev/null 2>&1 || true
