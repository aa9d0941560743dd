#!/bin/sh
# Pulls an image by digest, never by tag.
# $1 the Docker endpoint, $2 the image (repository@sha256:...)
DOCKER_HOST=$1
export DOCKER_HOST
docker pull -q "$2" >/dev/null
