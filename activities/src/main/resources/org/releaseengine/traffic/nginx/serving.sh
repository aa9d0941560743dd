#!/bin/sh
# The upstream's server lines as nginx runs them: the copy of what it last loaded, else the file
# (nothing before the first deploy).
# $1 the upstream include file
cat "$1.loaded" 2>/dev/null || cat "$1" 2>/dev/null || true
