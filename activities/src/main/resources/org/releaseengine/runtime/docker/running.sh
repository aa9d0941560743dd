#!/bin/sh
# Whether a container runs (exit 0) or not.
# $1 the Docker endpoint, $2 the container
DOCKER_HOST=$1
export DOCKER_HOST
[ "$(docker inspect -f '{{.State.Running}}' "$2" 2>/dev/null)" = true ]
