#!/bin/sh
# gate-probe.sh: run it as a gate command (a scanner's or the E2E suite's command in release.yaml)
# to check that gate commands are sealed from the worker. It prints one line per finding and
# nothing when sealed:
#   LEAK env NAME             a variable other than the engine's (RELEASE_SHA, BASE_URL), the
#                             container's own (PATH, HOSTNAME, HOME=/, PWD, SHLVL, TERM) and those
#                             named in GATE_PROBE_ALLOW (declare it in release.yaml's env); an E2E
#                             suite against an https url also gets the engine's CA variables
#   LEAK user root            the command runs as root
#   LEAK capabilities HEX     it holds capabilities
#   LEAK file PATH            a path of the worker it can see (hosts file, keys, home, infra)
#   LEAK docker-socket PATH   a Docker socket
#   LEAK tcp HOST:PORT        a connection it could open (a host's sshd, say), also tried at the
#                             container's default gateway, which is the worker on a bridge network
#   LEAK network route        it has a route although GATE_PROBE_OFFLINE=1 says it should have none
# Usage: sh gate-probe.sh [TARGET...]; a TARGET is a path, unix:///socket/path or HOST:PORT. With
# none: the local infrastructure's (scripts/infra.sh) files, sockets and hosts' sshd ports.
# POSIX sh; uses nc (or bash's /dev/tcp) and timeout where the image has them.

allowed="RELEASE_SHA BASE_URL SSL_CERT_FILE CURL_CA_BUNDLE REQUESTS_CA_BUNDLE NODE_EXTRA_CA_CERTS JAVA_TOOL_OPTIONS PATH HOSTNAME HOME PWD OLDPWD SHLVL TERM _ GATE_PROBE_ALLOW GATE_PROBE_OFFLINE $GATE_PROBE_ALLOW"
infra=/var/tmp/release-engine-infra
[ $# -gt 0 ] || set -- "$infra" "$infra/hosts.properties" "$infra/keys" "unix://$infra/docker.sock" \
  unix:///var/run/docker.sock 127.0.0.1:2222 127.0.0.1:2223

for name in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | sort -u); do
  case " $allowed " in *" $name "*) ;; *) echo "LEAK env $name" ;; esac
done
[ "${HOME:-/}" = / ] || echo "LEAK env HOME"

[ "$(id -u 2>/dev/null)" = 0 ] && echo "LEAK user root"
caps=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)
case "$caps" in '' | *[!0]*) [ -n "$caps" ] && echo "LEAK capabilities $caps" ;; esac

# the default gateway, from /proc/net/route (hex, little-endian): the worker, on a bridge
gateway=$(awk '$2 == "00000000" && $1 != "Iface" { print $3; exit }' /proc/net/route 2>/dev/null |
  sed 's/\(..\)\(..\)\(..\)\(..\)/0x\4 0x\3 0x\2 0x\1/')
[ -n "$gateway" ] && gateway=$(printf '%d.%d.%d.%d' $gateway)

if [ "${GATE_PROBE_OFFLINE:-}" = 1 ] && [ "$(awk 'NR > 1' /proc/net/route 2>/dev/null | wc -l)" -gt 0 ]; then
  echo "LEAK network route"
fi

connects() {  # HOST PORT: exit 0 when a TCP connection opens
  t=""; command -v timeout >/dev/null 2>&1 && t="timeout 5"
  if command -v nc >/dev/null 2>&1; then
    $t nc -w 3 "$1" "$2" </dev/null >/dev/null 2>&1
  elif command -v bash >/dev/null 2>&1; then
    $t bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  else
    echo "gate-probe: cannot try $1:$2 (no nc, no bash)" >&2
    return 1
  fi
}

for target in "$@"; do
  case "$target" in
    unix://*)
      socket=${target#unix://}
      [ -S "$socket" ] || [ -e "$socket" ] && echo "LEAK docker-socket $socket" ;;
    /*)
      [ -e "$target" ] && echo "LEAK file $target" ;;
    *:*)
      host=${target%:*} port=${target##*:}
      connects "$host" "$port" && echo "LEAK tcp $host:$port"
      if [ -n "$gateway" ] && [ "$host" != "$gateway" ]; then
        connects "$gateway" "$port" && echo "LEAK tcp $gateway:$port"
      fi ;;
  esac
done
exit 0
