#!/bin/sh
# Pulls an image by digest with a registry login that arrives on standard input as a Docker
# config.json: it lives in a directory only the deploy user can read, for the pull alone.
# $1 the Docker endpoint, $2 the image (repository@sha256:...)
set -e
DOCKER_HOST=$1
export DOCKER_HOST
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat >"$d/config.json"
docker --config "$d" pull -q "$2" >/dev/null
