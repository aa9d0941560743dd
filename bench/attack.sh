#!/usr/bin/env bash
# The attacks a commit under release (or a person) could make on its own gate, each run against a
# running worker on the real Temporal dev server and the local infrastructure, and each checked:
# refused with a clear reason, nothing changed on the hosts, and no secret value anywhere.
#
#   policy: a release.yaml naming its requester as approver with self-approval; one loosening
#     `required`; one whose staging hosts are production's; one claiming another team's service;
#     a start by someone the policy does not allow;
#   gates: a scanner command (bench/attacks/gate-probe.sh) that prints its environment, reads the
#     hosts file and the SSH key folder, looks for the Docker socket at DOCKER_HOST's path, and tries
#     production's sshd.
#
# secrets_leaked counts occurrences of the worker's secret values (Slack token and signing secret,
# the hosts' SSH private key) in every workflow history, every release status, the worker's log and
# what reached the Slack stub. Loopback only; bounded (about 3 minutes once built).
# Ends with: attacks=N refused=N secrets_leaked=0
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
. scripts/lib/temporal-tools.sh
bench_build
bench_infra
TEMPORAL=$(temporal_cli)

work=$(mktemp -d /tmp/release-attack.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The worker's secrets: values that must never appear anywhere a commit or a person can read.
slack_token="xoxb-attack-$(openssl rand -hex 12)"
slack_secret="$(openssl rand -hex 16)"
key_line=$(sed -n 2p "$RELEASE_INFRA_DIR/keys/id_ed25519")

# The operator's policy for this run: the infra's hosts; hello-app needs 2 approvals; billing is
# another team's service on the same production host.
sed -e 's/required: 1/required: 2/' -e 's/services: \[hello-app\]/services: [hello-app, billing]/' \
  "$RELEASE_POLICY_FILE" >"$work/policy.yaml"
cat >>"$work/policy.yaml" <<'POLICY'
  billing:
    start: [billing-ci]
    environments:
      - {name: staging, hosts: [staging-1]}
      - name: production
        hosts: [production-1]
        approval: {approvers: [erin], required: 1}
POLICY

slack_port=$(free_port)
python3 bench/attacks/slack-stub.py "$slack_port" "$work/slack.log" &
pids+=($!)
port=$(free_port)
export TEMPORAL_ADDRESS=127.0.0.1:$port
RELEASE_SERVER_DIR="$work/server" RELEASE_SERVER_HEADLESS=1 bin/release-server "$port" >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do "$TEMPORAL" operator namespace describe -n default --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break; sleep 0.1; done
RELEASE_POLICY_FILE="$work/policy.yaml" SLACK_BOT_TOKEN="$slack_token" SLACK_SIGNING_SECRET="$slack_secret" \
  SLACK_API_URL="http://127.0.0.1:$slack_port/api/" SLACK_INTERACTIONS_PORT=$(free_port) \
  bin/release-worker >"$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do grep -q "release-worker ready" "$work/worker.log" && break; sleep 0.1; done
grep -q "release-worker ready" "$work/worker.log" || { cat "$work/worker.log"; exit 1; }

# The commit under release: a copy of the example app in a git repository of its own.
repo="$work/repo"
cp -r examples/hello-app "$repo"
cp bench/attacks/gate-probe.sh "$repo/probe.sh"
git -C "$repo" init -q && git -C "$repo" add -A &&
  git -C "$repo" -c user.name=attacker -c user.email=a@example.com commit -q -m attack
sha=$(git -C "$repo" rev-parse HEAD)

serves() { curl -fsS "$1/version" 2>/dev/null || echo none; }
before="$(serves http://127.0.0.1:18080) $(serves http://127.0.0.1:19080)"

attacks=0
refused=0
CLI=bin/release-cli
# policy_attack NAME AS EXPECTED FILE: `start` must exit 2 with one line naming EXPECTED, and start nothing.
policy_attack() {
  local name=$1 as=$2 expected=$3 file=$4 out rc=0
  attacks=$((attacks + 1))
  out=$(RELEASE_USER=$as "$CLI" start --config "$file" --sha "$sha" 2>&1) || rc=$?
  if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && [[ "$out" == *"$expected"* ]] &&
    ! "$CLI" list --output json | grep -q "$sha"; then
    refused=$((refused + 1))
    echo "refused  $name: ${out#*policy: }"
  else
    echo "ALLOWED  $name (exit $rc): $out"
  fi
}
variant() { # variant NAME SED-SCRIPT [APPENDED-YAML]: a release.yaml of the commit, changed
  sed "$2" "$repo/release.yaml" >"$repo/$1.yaml"
  [ -z "${3:-}" ] || printf '%s\n' "$3" >>"$repo/$1.yaml"
  echo "$repo/$1.yaml"
}

policy_attack "self-approval" ci "approval.approvers: ci is not an approver" \
  "$(variant self '/^environments:/i approval: {approvers: [ci], required: 1, allowSelfApproval: true}')"
policy_attack "loosened required" ci "approval.required: 1 is fewer than the policy's 2" \
  "$(variant loose '/^environments:/i approval: {approvers: [alice, bob], required: 1}')"
policy_attack "staging hosts are production's" ci "environments.staging.hosts[0]: production-1" \
  "$(variant hosts '/^    slots: {blue: 18081/a\    hosts: [{name: production-1, address: 127.0.0.1, port: 2223, user: release-deploy, nginxPort: 19080}]')"
policy_attack "another team's service" ci "requester: ci may not start releases of billing" \
  "$(variant billing 's/^service: hello-app/service: billing/')"
policy_attack "a starter the policy does not name" mallory "requester: mallory may not start releases of hello-app" \
  "$repo/release.yaml"

# Gate commands: the probe runs as the release's scanner (admitted: CI starts it) and must find
# nothing; it then fails the scan, so the release stops before any host.
probe_file=$(variant probe '/^scanners:/,/^e2e:/{/command:/s#command: .*#command: sh probe.sh#}')
RELEASE_USER=ci "$CLI" start --config "$probe_file" --sha "$sha" --wait >"$work/probe-start.log" 2>&1 || true
"$CLI" status "hello-app/${sha:0:12}" --output json >"$work/probe-status.json"
findings=$(grep -o 'LEAK [a-z]* [^"\\]*' "$work/probe-status.json" | sort -u || true)
probed=$(grep -c 'PROBE ran' "$work/probe-status.json" || true)
for check in "env" "hosts-file" "ssh-keys" "docker-socket" "sshd"; do
  attacks=$((attacks + 1))
  if [ "$probed" -gt 0 ] && ! grep -q "LEAK $check " <<<"$findings"; then
    refused=$((refused + 1))
    echo "refused  gate command: $check (nothing found)"
  else
    echo "ALLOWED  gate command: $check: $(grep "LEAK $check " <<<"$findings" || echo 'the probe did not run')"
  fi
done

after="$(serves http://127.0.0.1:18080) $(serves http://127.0.0.1:19080)"
[ "$before" = "$after" ] || { echo "the hosts changed: $before -> $after"; refused=0; }

# Every history, every status, the worker's log and what reached Slack, searched for the secrets.
mkdir -p "$work/search"
"$TEMPORAL" workflow list --address "$TEMPORAL_ADDRESS" -o json | grep -o '"workflowId": *"[^"]*"' | cut -d'"' -f4 | sort -u |
  while read -r id; do
    "$TEMPORAL" workflow show --address "$TEMPORAL_ADDRESS" -w "$id" -o json >"$work/search/$(echo "$id" | tr / _).json" 2>/dev/null || true
  done
"$CLI" list --output json >"$work/search/list.json"
cp "$work/probe-status.json" "$work/worker.log" "$work/search/"
[ -f "$work/slack.log" ] && cp "$work/slack.log" "$work/search/"
leaked=0
for secret in "$slack_token" "$slack_secret" "$key_line"; do
  n=$(grep -rFo -- "$secret" "$work/search" | wc -l)
  leaked=$((leaked + n))
done
echo "searched $(ls "$work/search" | wc -l) files: histories, statuses, the worker's log, Slack"
echo "attack attacks=$attacks refused=$refused secrets_leaked=$leaked"
