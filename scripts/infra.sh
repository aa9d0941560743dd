#!/usr/bin/env bash
# Local infrastructure for the tests and the demo, each part as its own processes with its own
# sockets, ports and data directories (nothing system-wide is started):
#   - a Docker engine (own socket, data root; host networking only)
#   - a private registry on 10.211.0.1:5000 (an address of its own, not loopback, so that Docker
#     treats it as any remote registry): TLS with a certificate of a CA made here, and a login
#     (htpasswd); the Docker engine trusts the CA, the worker gets the login and the CA
#   - base images made from local material: release-engine/busybox, release-engine/jdk:17 (build
#     stage) and release-engine/jre:17 (a jlink'd runtime, FROM scratch)
#   - the gate runner image the example's scanner and E2E suite run sealed in:
#     release-engine/gate-runner (the JDK and PMD 7; PMD fetched once through Maven, then cached)
#   - a staging host and a production host: each an OpenSSH sshd and an nginx of its own, with a
#     certificate of the same CA for environments whose url is https (RELEASE_PROXY_CA)
#   - for examples/static-site, an nginx of its own per environment (dev, staging, production) on
#     those hosts' machines (scripts/lib/hosts.sh)
#   - Prometheus on 127.0.0.1:9090, scraping the example apps' slots
# Usage: scripts/infra.sh up|down|status      (as root; installs what is missing on Debian)
# Everything lives under $RELEASE_INFRA_DIR (default /var/tmp/release-engine-infra); `up` writes
# $RELEASE_INFRA_DIR/env with the variables the tests, the demo and the worker read.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/prereqs.sh"
. "$root/scripts/lib/procs.sh"

D="${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}"
REGISTRY_IP="${RELEASE_REGISTRY_IP:-10.211.0.1}"
REGISTRY_ADDR="$REGISTRY_IP:5000"
REGISTRY_USER=release
PROMETHEUS_ADDR="127.0.0.1:9090"
DOCKER=/usr/bin/docker            # Debian's client, the same version as its engine
export DOCKER_HOST="unix://$D/docker.sock"
. "$root/scripts/lib/hosts.sh"    # after D and DOCKER_HOST, which it needs

log() { printf '%s infra: %s\n' "$(date +%H:%M:%S)" "$*"; }

docker_up() {
  if alive "$D/dockerd.pid"; then return 0; fi
  mkdir -p "$D/docker" "$D/docker-exec"
  # host networking only: no bridge, no iptables rules to clean up afterwards
  deploy_user_up  # its group may use the engine's socket (commands over SSH run as that user)
  dockerd --data-root "$D/docker" --exec-root "$D/docker-exec" --pidfile "$D/dockerd.pid" \
    -H "$DOCKER_HOST" -G "$DEPLOY_USER" --bridge=none --iptables=false --ip-masq=false --storage-driver=overlay2 \
    >"$D/dockerd.log" 2>&1 &
  wait_for 30 "dockerd" $DOCKER version
}

registry_up() {
  if alive "$D/registry.pid"; then return 0; fi
  registry_address_up
  registry_tls_up
  mkdir -p "$D/registry-data"
  cat >"$D/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $D/registry-data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
  tls:
    certificate: $D/registry/registry.crt
    key: $D/registry/registry.key
auth:
  htpasswd:
    realm: release-engine
    path: $D/registry/htpasswd
EOF
  docker-registry serve "$D/registry.yml" >"$D/registry.log" 2>&1 &
  echo $! >"$D/registry.pid"
  wait_for 20 "registry" curl -fsS --cacert "$D/registry/ca.crt" \
    -u "$REGISTRY_USER:$(cat "$D/registry/password")" "https://$REGISTRY_ADDR/v2/"
}

# The registry's own address: on a dummy interface where the kernel has one, else on lo (an
# address outside 127.0.0.0/8 is not one Docker lets through without TLS either way).
registry_address_up() {
  ip -o addr show | grep -q " $REGISTRY_IP/" && return 0
  if ip link add relreg0 type dummy 2>/dev/null; then
    ip addr add "$REGISTRY_IP/32" dev relreg0 && ip link set relreg0 up
    echo relreg0 >"$D/registry-address"
  else
    ip addr add "$REGISTRY_IP/32" dev lo
    echo lo >"$D/registry-address"
  fi
}

registry_address_down() {
  [ -f "$D/registry-address" ] || return 0
  if [ "$(cat "$D/registry-address")" = relreg0 ]; then
    ip link del relreg0 2>/dev/null || true
  else
    ip addr del "$REGISTRY_IP/32" dev lo 2>/dev/null || true
  fi
}

# A CA made here, the registry's certificate for its IP signed by it, a random password for the
# login (bcrypt in htpasswd, as the registry wants it), the login as a Docker config.json for the
# worker, and the CA in the Docker engine's certs.d (the engine reads it on each pull and push).
registry_tls_up() {
  local dir="$D/registry"
  mkdir -p "$dir" && chmod 700 "$dir"
  if [ ! -f "$dir/registry.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=release-engine local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$REGISTRY_IP" \
      -keyout "$dir/registry.key" -out "$dir/registry.csr" 2>/dev/null
    printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
      "$REGISTRY_IP" >"$dir/ext.cnf"
    openssl x509 -req -in "$dir/registry.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
      -CAcreateserial -days 30 -extfile "$dir/ext.cnf" -out "$dir/registry.crt" 2>/dev/null
  fi
  [ -f "$dir/password" ] || (umask 077 && openssl rand -hex 16 >"$dir/password")
  htpasswd -Bbn "$REGISTRY_USER" "$(cat "$dir/password")" >"$dir/htpasswd"
  (umask 077 && printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$REGISTRY_ADDR" \
    "$(printf '%s:%s' "$REGISTRY_USER" "$(cat "$dir/password")" | base64 -w0)" >"$dir/auth.json")
  mkdir -p "/etc/docker/certs.d/$REGISTRY_ADDR"
  cp "$dir/ca.crt" "/etc/docker/certs.d/$REGISTRY_ADDR/ca.crt"
}

registry_tls_down() {
  rm -rf "/etc/docker/certs.d/$REGISTRY_ADDR"
}

# The operator's secret store the worker reads (RELEASE_SECRETS_DIR): owner-only.
secrets_up() {
  mkdir -p "$D/secrets" && chmod 700 "$D/secrets"
}

# copy_libs DEST FILE...: the shared libraries the files need, at the same paths, plus the loader
copy_libs() {
  local dest=$1; shift
  { ldd "$@" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib64/{print $1}'; echo /lib64/ld-linux-x86-64.so.2; } |
    sort -u | while read -r lib; do
      [ -e "$lib" ] || continue
      case "$lib" in "$dest"/*) continue ;; esac  # the runtime's own libraries, already in place
      mkdir -p "$dest$(dirname "$lib")"
      cp -L "$lib" "$dest$lib"
    done
}

busybox_rootfs() {
  local dest=$1
  mkdir -p "$dest/bin" "$dest/tmp" "$dest/etc"
  cp /bin/busybox "$dest/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dest/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dest/etc/passwd"
}

image_exists() { $DOCKER image inspect "$1" >/dev/null 2>&1; }

base_images() {
  local work="$D/rootfs"
  if ! image_exists release-engine/busybox:local; then
    rm -rf "$work" && busybox_rootfs "$work/busybox"
    tar -C "$work/busybox" -c . | $DOCKER import --change 'CMD ["/bin/sh"]' - release-engine/busybox:local >/dev/null
  fi
  if ! image_exists release-engine/jdk:17; then
    local jdk
    jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    rm -rf "$work/jdk" && busybox_rootfs "$work/jdk"
    mkdir -p "$work/jdk/opt"
    cp -rL "$jdk" "$work/jdk/opt/jdk" 2>/dev/null || true
    copy_libs "$work/jdk" "$work/jdk/opt/jdk/bin/"* "$work/jdk/opt/jdk/lib/"*.so "$work/jdk/opt/jdk/lib/server/libjvm.so"
    tar -C "$work/jdk" -c . | $DOCKER import --change 'ENV PATH=/opt/jdk/bin:/bin' \
      --change 'CMD ["/bin/sh"]' - release-engine/jdk:17 >/dev/null
  fi
  if ! image_exists release-engine/jre:17; then
    rm -rf "$work/jre" && mkdir -p "$work/jre/tmp"
    jlink --add-modules java.base,jdk.httpserver,java.net.http --strip-debug --no-header-files \
      --no-man-pages --compress=2 --output "$work/jre/opt/jre"
    copy_libs "$work/jre" "$work/jre/opt/jre/bin/java" "$work/jre/opt/jre/lib/"*.so "$work/jre/opt/jre/lib/server/libjvm.so"
    tar -C "$work/jre" -c . | $DOCKER import --change 'ENV PATH=/opt/jre/bin' - release-engine/jre:17 >/dev/null
  fi
  rm -rf "$work"
}

PMD_POM="$root/examples/hello-app/scan/pmd-runner.xml"   # PMD's version is the one this names
PMD_VERSION=$(sed -n 's:.*<version>\(7\.[^<]*\)</version>.*:\1:p' "$PMD_POM" | head -1)
GATE_RUNNER=release-engine/gate-runner:17-pmd$PMD_VERSION
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/release-engine"

# The runner image: FROM release-engine/jdk:17 with PMD's jars, which Maven fetches once into the
# cache (from its local repository, else Maven Central); after that a build is one COPY.
gate_runner_image() {
  image_exists "$GATE_RUNNER" && return 0
  local jars="$CACHE/pmd-$PMD_VERSION" ctx="$D/gate-runner"
  if [ ! -d "$jars" ]; then
    need_java_and_maven
    rm -rf "$jars.tmp"
    mvn -q -B -ntp -f "$PMD_POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$jars.tmp"
    mv "$jars.tmp" "$jars"
  fi
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$root/scripts/lib/gate-runner/Dockerfile" "$ctx/"
  cp -r "$jars" "$ctx/lib"
  DOCKER_BUILDKIT=0 $DOCKER build -q -t "$GATE_RUNNER" "$ctx" >/dev/null
  rm -rf "$ctx"
}

prometheus_up() {
  if alive "$D/prometheus.pid"; then return 0; fi
  mkdir -p "$D/prometheus-data"
  {
    echo "global: {scrape_interval: 1s, evaluation_interval: 1s}"
    echo "scrape_configs:"
    echo "  - job_name: hello-app"
    echo "    static_configs:"
    for env in staging production; do  # each slot's port named with its environment and slot
      for slot in blue green; do
        echo "      - targets: ['127.0.0.1:$(slot_port "$env" "$slot")']"
        echo "        labels: {environment: $env, slot: $slot}"
      done
    done
    echo "  - job_name: static-site"  # busybox httpd's answers by status, counted by a CGI
    echo "    metrics_path: /cgi-bin/metrics"
    echo "    static_configs:"
    for env in $SITE_ENVIRONMENTS; do
      for slot in blue green; do
        echo "      - targets: ['127.0.0.1:$(site_slot_port "$env" "$slot")']"
        echo "        labels: {environment: $env, slot: $slot}"
      done
    done
    echo "  - job_name: release-engine"  # a worker's /metrics on its default RELEASE_WEB_ADDRESS
    echo "    static_configs:"
    echo "      - targets: ['127.0.0.1:7280']"
  } >"$D/prometheus.yml"
  prometheus --config.file="$D/prometheus.yml" --web.listen-address="$PROMETHEUS_ADDR" \
    --storage.tsdb.path="$D/prometheus-data" --storage.tsdb.retention.time=2h \
    >"$D/prometheus.log" 2>&1 &
  echo $! >"$D/prometheus.pid"
  wait_for 20 "prometheus" curl -fsS "http://$PROMETHEUS_ADDR/-/ready"
}

write_env() {
  cat >"$D/env" <<EOF
export RELEASE_INFRA_DIR=$D
export DOCKER_HOST=$DOCKER_HOST
export RELEASE_REGISTRY=$REGISTRY_ADDR
export RELEASE_REGISTRY_AUTH=$D/registry/auth.json
export RELEASE_REGISTRY_CA=$D/registry/ca.crt
export RELEASE_PROXY_CA=$D/registry/ca.crt
export RELEASE_SECRETS_DIR=$D/secrets
export RELEASE_PROMETHEUS=http://$PROMETHEUS_ADDR
export RELEASE_HOSTS_FILE=$D/hosts.properties
export RELEASE_POLICY_FILE=$D/policy.yaml
export RELEASE_SIGNERS_DIR=$D/signers
export RELEASE_GATE_RUNNER=$GATE_RUNNER
EOF
}

up() {
  local t0=$SECONDS
  apt_install docker.io docker-registry busybox-static nginx openssh-server prometheus curl git iproute2 \
    openssl apache2-utils
  mkdir -p "$D"
  log "installed packages in $((SECONDS - t0))s"
  docker_up && log "docker engine up ($DOCKER_HOST)"
  registry_up && log "registry up on https://$REGISTRY_ADDR (TLS with $D/registry/ca.crt, login $REGISTRY_USER)"
  secrets_up
  base_images && log "base images ready: $($DOCKER images --format '{{.Repository}}:{{.Tag}}' | grep release-engine/ | tr '\n' ' ')"
  gate_runner_image && log "gate runner image ready: $GATE_RUNNER"
  hosts_up && log "hosts up: staging and production (sshd + nginx), static-site's nginx for dev, staging, production"
  prometheus_up && log "prometheus up on $PROMETHEUS_ADDR"
  write_env
  log "up in $((SECONDS - t0))s; variables in $D/env"
}

down() {
  [ -d "$D" ] || { log "nothing to stop"; return 0; }
  if alive "$D/dockerd.pid"; then
    # containers started by the tests or the demo belong to this engine: remove them with it
    $DOCKER ps -aq | xargs -r $DOCKER rm -f >/dev/null 2>&1 || true
  fi
  hosts_down
  stop_pid "$D/prometheus.pid"
  stop_pid "$D/registry.pid"
  registry_address_down
  registry_tls_down
  stop_pid "$D/dockerd.pid"
  deploy_user_down
  # dockerd unmounts its layers on exit; anything still mounted below $D goes now
  grep -o " $D/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$D"
  log "down: stopped and removed everything under $D"
}

status() {
  local ok=0
  for part in dockerd registry prometheus; do
    if alive "$D/$part.pid"; then echo "$part: running (pid $(cat "$D/$part.pid"))"; else echo "$part: stopped"; ok=1; fi
  done
  hosts_status || ok=1
  return $ok
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  sshd-stop) sshd_stop "${2:?environment}" ;;    # tests: make a host unreachable
  sshd-start) sshd_start "${2:?environment}" ;;
  *) echo "usage: scripts/infra.sh up|down|status" >&2; exit 2 ;;
esac
