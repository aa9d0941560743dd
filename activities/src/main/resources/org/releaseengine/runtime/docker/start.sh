#!/bin/sh
# Starts a slot's container unless it already runs exactly this image with this configuration (its
# fingerprint, on the container's release.config label). With an env file, the container's
# variables (plain values and secrets) arrive on standard input and are written to a file only the
# deploy user can read, given to docker run and removed when it has read it.
# $1 the Docker endpoint, $2 the container, $3 the image, $4 the configuration fingerprint,
# $5 the seconds docker stop waits, $6 "env-file" when the variables come on standard input (else
# "none"), $7 a guard: a command run once the container is to be replaced, whose refusal (a line on
# standard error, an exit code) is this script's; then docker run's options, "--", and the
# container's command words (none: the image's own)
set -e
DOCKER_HOST=$1
export DOCKER_HOST
c=$2 img=$3 cfg=$4 stop=$5 env=$6 guard=$7
shift 7
running=$(docker inspect -f '{{.Config.Image}} {{.State.Running}} {{index .Config.Labels "release.config"}}' "$c" 2>/dev/null) || true
if [ "$running" = "$img true $cfg" ]; then
  echo already-running
  exit 0
fi
sh -c "$guard" || exit $?
docker stop -t "$stop" "$c" >/dev/null 2>&1 || true
docker rm -f "$c" >/dev/null 2>&1 || true
# the options, then the fingerprint's label and the image where "--" stands, then the command words
first=1 placed=
for word do
  if [ -n "$first" ]; then
    set --
    first=
  fi
  if [ -z "$placed" ] && [ "$word" = -- ]; then
    set -- "$@" --label "release.config=$cfg" "$img"
    placed=1
  else
    set -- "$@" "$word"
  fi
done
if [ "$env" = env-file ]; then
  envf=$(mktemp)
  trap 'rm -f "$envf"' EXIT
  cat >"$envf"
  set -- --env-file "$envf" "$@"
fi
docker run -d --name "$c" --init --network host --restart unless-stopped --stop-timeout "$stop" "$@" >/dev/null
