#!/bin/sh
# Waits until the nginx workers that served before a reload have exited, for at most the given
# seconds.
# $1 seconds, then the workers' pids
checks=$(($1 * 20))
shift
while [ "$checks" -gt 0 ]; do
  alive=0
  for p do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && exit 0
  sleep 0.05
  checks=$((checks - 1))
done
echo 'old nginx workers still running' >&2
exit 1
