#!/bin/sh
# Points nginx at a slot (or weighs two): writes the service's upstream include and site, each to a
# temp file moved into place, runs nginx -t (restoring the previous files if it fails), then
# reloads. Prints the old worker pids to wait for, or "unchanged" when nginx already ran these.
# $1 the nginx prefix, $2 the service, $3 the upstream's server lines, $4 the site
set -e
# nginx lives in sbin, which an unprivileged deploy user's PATH often lacks
PATH="$PATH:/usr/sbin:/sbin"
site=$1/sites/$2.conf
up=$1/upstreams/$2.conf
changed=0
put() {
  if [ "$(cat "$1" 2>/dev/null)" != "$2" ]; then
    if [ -f "$1" ]; then cp -f "$1" "$1.bak"; else rm -f "$1.bak"; fi
    printf '%s\n' "$2" >"$1.tmp"
    mv -f "$1.tmp" "$1"
    changed=1
  fi
}
restore() {
  for f in "$site" "$up"; do
    if [ -f "$f.bak" ]; then mv -f "$f.bak" "$f"; else rm -f "$f"; fi
  done
}
rm -f "$site.bak" "$up.bak"
put "$up" "$3"
put "$site" "$4"
# nginx may run other files than these (an attempt died before its reload): reload then too
for f in "$site" "$up"; do cmp -s "$f" "$f.loaded" || changed=1; done
if [ $changed = 0 ]; then
  echo unchanged
  exit 0
fi
if ! out=$(nginx -p "$1" -c "$1/nginx.conf" -t 2>&1); then
  restore
  echo "nginx -t failed: $out" >&2
  exit 1
fi
old=$(pgrep -P "$(cat "$1/nginx.pid")" | tr '\n' ' ')
nginx -p "$1" -c "$1/nginx.conf" -s reload
for f in "$site" "$up"; do cp -f "$f" "$f.loaded"; done
echo "old-workers: $old"
