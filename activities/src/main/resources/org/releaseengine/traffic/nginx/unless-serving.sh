#!/bin/sh
# Refuses while nginx sends a slot traffic (alone or weighted), by the upstream file and by the copy
# of what nginx last loaded, which differ after an attempt died mid-switch.
# $1 the upstream include file, $2 the slot's port, $3 the exit code of a refusal, $4 its line
if cat "$1" "$1.loaded" 2>/dev/null | grep -q "^server 127.0.0.1:$2[ ;]"; then
  printf '%s\n' "$4" >&2
  exit "$3"
fi
