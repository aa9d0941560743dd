#!/bin/sh
# Asks the slot directly (not through the proxy) until it answers the expected status, for at most
# the given seconds (its start-up time included).
# $1 the slot's port, $2 the health path, $3 the expected status, $4 seconds
end=$(($(date +%s) + $4))
while :; do
  code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")
  [ "$code" = "$3" ] && exit 0
  [ "$(date +%s)" -ge "$end" ] && break
  sleep 0.25
done
echo "$2 answered ${code:-nothing}, not $3, for $4 s (healthTimeout)" >&2
exit 1
