# The local "staging" and "production" hosts of scripts/infra.sh: for each, an OpenSSH sshd on its own
# port with its own host key (the worker's key authorized), and an nginx of its own whose sites and
# upstreams the blue-green deploy writes. Containers run on the shared local Docker engine with host
# networking; each environment has its own public and slot ports:
#   staging:    ssh 2222, nginx 18080, slots blue 18081 / green 18082
#   production: ssh 2223, nginx 19080, slots blue 19081 / green 19082
# and, for examples/static-site's three environments, an nginx
# of its own per environment on those machines (see site_proxy_up):
#   dev:        staging's machine,    nginx 28080, slots blue 28081 / green 28082
#   staging:    staging's machine,    nginx 28180, slots blue 28181 / green 28182
#   production: production's machine, nginx 28280, slots blue 28281 / green 28282
#
# Sourced by scripts/infra.sh. It needs, set before it is sourced: D (the infrastructure's directory)
# and DOCKER_HOST (the local engine's socket, which commands over SSH use); and the process helpers
# of procs.sh, which it sources itself.
: "${D:?scripts/lib/hosts.sh needs D, the infrastructure directory}"
: "${DOCKER_HOST:?scripts/lib/hosts.sh needs DOCKER_HOST, the local Docker engine}"
# shellcheck source=scripts/lib/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"
# shellcheck source=scripts/lib/nginx.sh
. "$(dirname "${BASH_SOURCE[0]}")/nginx.sh"

# Commands arrive as this unprivileged user (login shell /bin/sh, no rc files): it owns each host's
# nginx and is in the group of the Docker engine's socket. Root cannot log in.
DEPLOY_USER=release-deploy

deploy_user_up() {
  id -u "$DEPLOY_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh "$DEPLOY_USER"
  # '*' (no password) rather than the locked '!' that sshd without PAM would refuse
  usermod -p '*' "$DEPLOY_USER"
}

deploy_user_down() {
  id -u "$DEPLOY_USER" >/dev/null 2>&1 && userdel "$DEPLOY_USER" 2>/dev/null || true
}

ssh_port() { [ "$1" = staging ] && echo 2222 || echo 2223; }
nginx_port() { [ "$1" = staging ] && echo 18080 || echo 19080; }
slot_port() { local base; base=$(nginx_port "$1"); [ "$2" = blue ] && echo $((base + 1)) || echo $((base + 2)); }

# examples/static-site walks dev, staging and production (a list of environments). The policy gives a
# host one nginxPort, and a host's nginx holds one site per service, so each of its environments gets
# an nginx of its own on the machine that serves it (the same sshd, deploy user, Docker engine and
# TLS certificate), which the policy and the hosts file name as a host of its own: static-<env>-1.
SITE_ENVIRONMENTS="dev staging production"
site_machine() { [ "$1" = production ] && echo production || echo staging; }
site_nginx_port() { case "$1" in dev) echo 28080 ;; staging) echo 28180 ;; *) echo 28280 ;; esac; }
site_slot_port() { local base; base=$(site_nginx_port "$1"); [ "$2" = blue ] && echo $((base + 1)) || echo $((base + 2)); }

keys_up() {
  mkdir -p "$D/keys"
  [ -f "$D/keys/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C release-worker -f "$D/keys/id_ed25519"
  : >"$D/keys/known_hosts"
}

sshd_start() {
  local env=$1 dir="$D/hosts/$1"
  alive "$dir/sshd.pid" && return 0
  mkdir -p /run/sshd
  /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
  wait_for 10 "sshd ($env)" bash -c "echo > /dev/tcp/127.0.0.1/$(ssh_port "$env")"
}

sshd_stop() { # the daemon and every session it opened, so that no connection survives
  local dir="$D/hosts/$1"
  [ -f "$dir/sshd.pid" ] || return 0
  pkill -9 -f "sshd: .*@" --parent "$(cat "$dir/sshd.pid")" 2>/dev/null || true
  pkill -9 -P "$(cat "$dir/sshd.pid")" 2>/dev/null || true
  stop_pid "$dir/sshd.pid"
}

host_up() {
  local env=$1 dir="$D/hosts/$1" port
  port=$(ssh_port "$env")
  mkdir -p "$dir"
  [ -f "$dir/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh_host_ed25519_key"
  cp "$D/keys/id_ed25519.pub" "$dir/authorized_keys"
  chmod 644 "$dir/authorized_keys"
  cat >"$dir/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin no
AllowUsers $DEPLOY_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
MaxSessions 50
MaxStartups 50:30:100
Subsystem sftp internal-sftp
SetEnv DOCKER_HOST=$DOCKER_HOST
CFG
  mkdir -p /run/sshd
  /usr/sbin/sshd -t -f "$dir/sshd_config"
  sshd_start "$env"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$dir/ssh_host_ed25519_key.pub")" >>"$D/keys/known_hosts"

  host_tls_up "$env"
  nginx_up "$dir/nginx"
  cat >>"$D/hosts.properties" <<PROPS
$env-1.privateKey=$D/keys/id_ed25519
$env-1.knownHosts=$D/keys/known_hosts
$env-1.dockerHost=$DOCKER_HOST
$env-1.nginxPrefix=$dir/nginx
$env-1.tlsCertificate=$dir/tls/proxy.crt
$env-1.tlsKey=$dir/tls/proxy.key
PROPS
}

# nginx_up PREFIX: an nginx of the deploy user's with PREFIX as its prefix, serving the sites the
# deploys write into PREFIX/sites (none at first: it listens on nothing until a deploy writes one)
nginx_up() {
  local prefix=$1
  mkdir -p "$prefix/sites" "$prefix/upstreams"
  echo "  include $prefix/sites/*.conf;" | nginx_conf "$prefix" 2 2048
  chown -R "$DEPLOY_USER" "$prefix"
  if ! alive "$prefix/nginx.pid"; then
    runuser -u "$DEPLOY_USER" -- nginx -p "$prefix" -c "$prefix/nginx.conf" -t -q 2>/dev/null
    runuser -u "$DEPLOY_USER" -- nginx -p "$prefix" -c "$prefix/nginx.conf"
  fi
}

nginx_down() {
  local prefix=$1
  alive "$prefix/nginx.pid" || return 0
  nginx -p "$prefix" -c "$prefix/nginx.conf" -s quit 2>/dev/null || true
  for _ in $(seq 50); do alive "$prefix/nginx.pid" || break; sleep 0.1; done
  stop_pid "$prefix/nginx.pid"
}

# site_proxy_up ENV: static-site's nginx for ENV, on its machine, as the host static-ENV-1 of the
# hosts file (the machine's SSH key, known_hosts, Docker engine and certificate; its own prefix)
site_proxy_up() {
  local env=$1 machine prefix="$D/hosts/static-$1/nginx"
  machine=$(site_machine "$env")
  nginx_up "$prefix"
  cat >>"$D/hosts.properties" <<PROPS
static-$env-1.privateKey=$D/keys/id_ed25519
static-$env-1.knownHosts=$D/keys/known_hosts
static-$env-1.dockerHost=$DOCKER_HOST
static-$env-1.nginxPrefix=$prefix
static-$env-1.tlsCertificate=$D/hosts/$machine/tls/proxy.crt
static-$env-1.tlsKey=$D/hosts/$machine/tls/proxy.key
PROPS
}

# The host's certificate for 127.0.0.1, signed by the infrastructure's CA (the registry's, made by
# scripts/infra.sh; the worker trusts it as RELEASE_PROXY_CA). nginx serves it only to environments
# whose url is https; its key is the deploy user's alone. It also names host.docker.internal, the
# name a sealed E2E container reaches an https url on loopback by (docs/release-yaml.md).
host_tls_up() {
  local dir="$D/hosts/$1/tls" ca="$D/registry"
  mkdir -p "$dir"
  if [ ! -f "$dir/proxy.crt" ] || ! grep -q host.docker.internal "$dir/ext.cnf" 2>/dev/null; then
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$1 proxy" \
      -keyout "$dir/proxy.key" -out "$dir/proxy.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:host.docker.internal\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
      >"$dir/ext.cnf"
    openssl x509 -req -in "$dir/proxy.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" \
      -CAcreateserial -days 30 -extfile "$dir/ext.cnf" -out "$dir/proxy.crt" 2>/dev/null
  fi
  chmod 600 "$dir/proxy.key"
  chown -R "$DEPLOY_USER" "$dir"
}

hosts_up() {
  deploy_user_up
  keys_up
  : >"$D/hosts.properties"
  host_up staging
  host_up production
  local env
  for env in $SITE_ENVIRONMENTS; do site_proxy_up "$env"; done
  policy_write
}

# SSH signing keys for the local people and CI, and the allowed_signers file that names them
# (docs/signing.md): every decision the demo makes is signed with one of these.
signers_up() {
  local dir="$D/signers" who
  mkdir -p "$dir" && chmod 700 "$dir"
  : >"$dir/allowed_signers.new"
  for who in alice bob ci; do
    [ -f "$dir/$who" ] || ssh-keygen -q -t ed25519 -N "" -C "$who" -f "$dir/$who"
    echo "$who namespaces=\"release-engine\" $(cut -d' ' -f1,2 "$dir/$who.pub")" >>"$dir/allowed_signers.new"
  done
  mv "$dir/allowed_signers.new" "$dir/allowed_signers"
}

# The operator policy of these hosts (docs/policy.md): the example services, hello-app and
# static-site, on them; CI starts their releases, alice and bob approve, roll back, abort and
# promote; every decision is signed with a key of $D/signers. The gates the examples run are
# required: production's verification for both, hello-app's PMD (error or stricter, nothing
# waived) and staging's E2E suite, static-site's suites after dev and staging. The top-level
# require comes before services, which stays last: bench/attack.sh appends a service to it.
policy_write() {
  signers_up
  {
  cat <<POLICY
# written by scripts/infra.sh: the local hosts and who may release hello-app and static-site to them
allowedSigners: $D/signers/allowed_signers
slackUsers: {U012AB3CD: alice, U045EF6GH: bob}
hosts:
  staging-1: {address: 127.0.0.1, port: $(ssh_port staging), user: $DEPLOY_USER, nginxPort: $(nginx_port staging), environments: [staging], services: [hello-app]}
  production-1: {address: 127.0.0.1, port: $(ssh_port production), user: $DEPLOY_USER, nginxPort: $(nginx_port production), environments: [production], services: [hello-app]}
POLICY
  site_policy_hosts
  cat <<POLICY
require: {verification: [production]}
services:
  hello-app:
    start: [ci]
    rollback: [alice, bob]
    abort: [alice, bob]
    promote: [alice, bob]
    slackChannel: "#releases"
    require:
      scanners: {pmd: {failOn: error, allowlist: false}}
      e2e: [staging]
    environments:
      - {name: staging, hosts: [staging-1]}
      - name: production
        hosts: [production-1]
        approval: {approvers: [alice, bob], required: 1, allowSelfApproval: false, timeout: 24h}
POLICY
  site_policy_service
  } >"$D/policy.yaml"
}

# static-site's hosts and service in the policy: each
# environment on its own nginx (site_proxy_up), the machine's sshd; production after an approval
site_policy_hosts() {
  local env machine
  for env in $SITE_ENVIRONMENTS; do
    machine=$(site_machine "$env")
    echo "  static-$env-1: {address: 127.0.0.1, port: $(ssh_port "$machine"), user: $DEPLOY_USER," \
      "nginxPort: $(site_nginx_port "$env"), environments: [$env], services: [static-site]}"
  done
}

site_policy_service() {
  cat <<SERVICE
  static-site:
    start: [ci]
    rollback: [alice, bob]
    abort: [alice, bob]
    promote: [alice, bob]
    require: {e2e: [dev, staging]}
    environments:
      - {name: dev, hosts: [static-dev-1]}
      - {name: staging, hosts: [static-staging-1]}
      - name: production
        hosts: [static-production-1]
        approval: {approvers: [alice, bob], required: 1, allowSelfApproval: false, timeout: 24h}
SERVICE
}

hosts_down() {
  for env in staging production; do
    local dir="$D/hosts/$env"
    [ -d "$dir" ] || continue
    sshd_stop "$env"
    nginx_down "$dir/nginx"
  done
  for env in $SITE_ENVIRONMENTS; do nginx_down "$D/hosts/static-$env/nginx"; done
}

hosts_status() {
  local ok=0
  for env in staging production; do
    local dir="$D/hosts/$env" s n
    alive "$dir/sshd.pid" && s="sshd up on $(ssh_port "$env")" || { s="sshd down"; ok=1; }
    alive "$dir/nginx/nginx.pid" && n="nginx up on $(nginx_port "$env")" || { n="nginx down"; ok=1; }
    echo "$env host: $s, $n"
  done
  for env in $SITE_ENVIRONMENTS; do
    if alive "$D/hosts/static-$env/nginx/nginx.pid"; then
      echo "static-site $env proxy: nginx up (port $(site_nginx_port "$env") once deployed)"
    else
      echo "static-site $env proxy: nginx down"; ok=1
    fi
  done
  return $ok
}
