#!/bin/sh
# Asks through nginx until the slot answers (nginx names the upstream that answered in
# X-Upstream), for at most the given seconds. Over TLS with -k: this asks which slot answers on the
# host's own nginx; the worker's checks through the public URL verify the certificate.
# $1 http or https, $2 nginx's address, $3 its port, $4 the health path, $5 the slot's port,
# $6 seconds
k=
[ "$1" = https ] && k=-k
end=$(($(date +%s) + $6))
while [ "$(date +%s)" -lt "$end" ]; do
  # HTTP/2 (https) sends header names in lower case
  a=$(curl -s ${k:+"$k"} -m 1 -o /dev/null -D - "$1://$2:$3$4" | tr -d '\r' | sed -n 's/^[Xx]-[Uu]pstream: //p')
  [ "$a" = "127.0.0.1:$5" ] && exit 0
  sleep 0.05
done
echo "nginx still answers from ${a:-nowhere}" >&2
exit 1
