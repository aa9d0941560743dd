#!/usr/bin/env bash
# The attacks a commit under release, a person, or anything that reaches Temporal could make on the
# release gate, each run against a running worker (real Temporal dev server, bin/release-worker with
# the operator policy, the local infrastructure) and each checked: refused with its reason, and
# production unchanged.
#
#   policy: a release.yaml naming its requester as approver with self-approval; one loosening
#     `required`; one whose staging hosts are production's; one claiming another team's service;
#     a start by someone the policy does not allow; staging's url at Temporal's frontend and at a
#     metadata address (where the E2E suite's forwarder would connect); the scanner the policy
#     requires dropped, its threshold loosened, its findings waived; a scanner on the network; the
#     release's messages sent to a Slack channel of the commit's;
#   gates: a scanner command (bench/attacks/gate-probe.sh) that prints its environment, reads the
#     hosts file and the SSH key folder, looks for the Docker socket at DOCKER_HOST's path, and tries
#     production's sshd;
#   signed decisions: no key, an unknown key, a non-approver's key, a signature taken from another
#     release, a tampered payload, a replayed request id, an old signature, an unsigned approve
#     signal sent straight to Temporal; a rollback, an abort and a promote by someone the policy
#     does not allow; the CLI to a TLS endpoint without a client certificate;
#   control plane: a rollback signal naming a release that is not there to answer (the
#     environment must still answer afterwards).
#
# secrets_leaked counts occurrences of the worker's secret values (Slack token and signing secret,
# the hosts' SSH private key, the container secret) in every workflow history (payloads decoded), every release status,
# the worker's log and what reached the Slack stub. Loopback only; bounded (a few minutes once built).
# Ends with: attacks=N refused=N secrets_leaked=0
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
. bench/lib-tls.sh
. scripts/lib/temporal-tools.sh
bench_build
bench_infra
TEMPORAL=$(temporal_cli)

work=$(mktemp -d /tmp/release-attack.XXXXXX)
pids=()
tls_port=""
cleanup() {
  [ -z "$tls_port" ] || tls_front_stop "$work/tls" "$tls_port" || true
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
# production's container secret (the example's release.yaml names DEMO_SECRET), in a secret store of
# this worker's own: the admission refuses a release whose secrets the store lacks
container_secret="attack-secret-$(openssl rand -hex 12)"
(umask 077 && mkdir -p "$work/secrets/hello-app/production" &&
  printf '%s\n' "$container_secret" >"$work/secrets/hello-app/production/DEMO_SECRET")

# People: the infra's signers (alice, bob approve; ci starts), mallory (listed in allowed_signers,
# in no list of the policy) and a stranger (in no allowed_signers at all).
keys="$work/keys"
mkdir -p "$keys"
cp "$RELEASE_SIGNERS_DIR"/{alice,bob,ci} "$RELEASE_SIGNERS_DIR"/{alice,bob,ci}.pub "$keys/"
ssh-keygen -q -t ed25519 -N "" -C mallory -f "$keys/mallory"
ssh-keygen -q -t ed25519 -N "" -C stranger -f "$keys/stranger"
cp "$RELEASE_SIGNERS_DIR/allowed_signers" "$keys/allowed_signers"
echo "mallory namespaces=\"release-engine\" $(cut -d' ' -f1,2 "$keys/mallory.pub")" >>"$keys/allowed_signers"

# The operator's policy for this run: the infra's hosts; hello-app needs 2 approvals; billing is
# another team's service on the same hosts.
sed -e 's/required: 1/required: 2/' -e 's/services: \[hello-app\]/services: [hello-app, billing]/' \
  -e "s#^allowedSigners: .*#allowedSigners: $keys/allowed_signers#" \
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
# the tests' stand-in for Slack's Web API; it appends what reaches "Slack" to slack.log, searched below
java activities/src/test/java/org/releaseengine/slack/SlackStub.java "$slack_port" "$work/slack.log" >"$work/slack-stub.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -qs "slack stub ready" "$work/slack-stub.out" && break; sleep 0.1; done
port=$(free_port)
export TEMPORAL_ADDRESS=127.0.0.1:$port
RELEASE_SERVER_DIR="$work/server" RELEASE_SERVER_HEADLESS=1 bin/release-server "$port" >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do "$TEMPORAL" operator namespace describe -n default --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break; sleep 0.1; done
RELEASE_POLICY_FILE="$work/policy.yaml" RELEASE_SECRETS_DIR="$work/secrets" SLACK_BOT_TOKEN="$slack_token" SLACK_SIGNING_SECRET="$slack_secret" \
  SLACK_API_URL="http://127.0.0.1:$slack_port/api/" SLACK_INTERACTIONS_PORT=$(free_port) \
  bin/release-worker >"$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do grep -qs "release-worker ready" "$work/worker.log" && break; sleep 0.1; done
grep -q "release-worker ready" "$work/worker.log" || { cat "$work/worker.log"; exit 1; }

# The commit under release: a copy of the example app in a git repository of its own.
repo="$work/repo"
cp -r examples/hello-app "$repo"
cp bench/attacks/gate-probe.sh "$repo/probe.sh"
git -C "$repo" init -q && git -C "$repo" add -A &&
  git -C "$repo" -c user.name=attacker -c user.email=a@example.com commit -q -m attack
sha=$(git -C "$repo" rev-parse HEAD)
id="release/hello-app/$sha"

# the example's environments are https, with the infra's CA (RELEASE_PROXY_CA)
serves() { curl -fsS --cacert "$RELEASE_PROXY_CA" "$1/version" 2>/dev/null || echo none; }
production_before=$(serves https://127.0.0.1:19080)
staging_before=$(serves https://127.0.0.1:18080)

attacks=0
refused=0
CLI=bin/release-cli
verdict() { # verdict NAME OK DETAIL
  attacks=$((attacks + 1))
  if [ "$2" = yes ]; then refused=$((refused + 1)); echo "refused  $1: $3"; else echo "ALLOWED  $1: $3"; fi
}
one_line_with() { [ "$(printf '%s\n' "$1" | wc -l)" = 1 ] && [[ "$1" == *"$2"* ]] && echo yes || echo no; }

# --- policy: start must exit 2 with one line naming the field, and start nothing
policy_attack() { # NAME SIGNER EXPECTED FILE
  local out rc=0 ok
  out=$("$CLI" start --config "$4" --sha "$sha" --key "$keys/$2" 2>&1) || rc=$?
  ok=$(one_line_with "$out" "$3")
  [ "$rc" = 2 ] && ! "$CLI" list --output json | grep -q "$sha" || ok=no
  verdict "$1" "$ok" "${out#*policy: }"
}
variant() { # variant NAME SED-SCRIPT: a release.yaml of the commit, changed
  sed "$2" "$repo/release.yaml" >"$repo/$1.yaml"
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
# the E2E suite's forwarder connects where staging's url points: never Temporal's frontend, nor a
# metadata address
policy_attack "staging's url at Temporal's frontend" ci "environments.staging.url: http://127.0.0.1:$port is not served by staging's hosts" \
  "$(variant temporal-url "s#url: https://127.0.0.1:18080#url: http://127.0.0.1:$port#")"
policy_attack "staging's url at a metadata address" ci "environments.staging.url: http://169.254.169.254 is not served by staging's hosts" \
  "$(variant metadata-url "s#url: https://127.0.0.1:18080#url: http://169.254.169.254#")"
# the gates the policy requires (scripts/lib/hosts.sh: hello-app's PMD, error or stricter, nothing
# waived), a scanner's network and the Slack channel are the policy's, not the commit's
policy_attack "the required scanner dropped" ci "scanners: pmd is required by the policy" \
  "$(variant noscan '/^scanners:/,/^    allowlist: \[\]$/d')"
policy_attack "the required scanner's threshold loosened" ci "scanners[0].failOn: critical is looser than the policy's error for pmd" \
  "$(variant failon 's/failOn: error/failOn: critical/')"
policy_attack "the required scanner's findings waived" ci "scanners[0].allowlist: the policy does not let pmd's findings be waived" \
  "$(variant waive 's#^    allowlist: \[\]$#    allowlist: [{id: "CVE-2099-0001", reason: waived, expires: 2099-01-01}]#')"
policy_attack "a scanner on the network" ci "scanners[0].network: outbound is not allowed by the policy" \
  "$(variant outbound 's/^    allowlist: \[\]$/    allowlist: []\n    network: outbound/')"
policy_attack "messages to the commit's own Slack channel" ci "notifications.slackChannel: #attacker is not hello-app's channel" \
  "$(variant channel '$a notifications: {slackChannel: "#attacker"}')"

# --- gates: the probe runs as the scanner of an admitted release and must find nothing; it then
# fails the scan, so that release stops before any host
probe=$(variant probe 's#command: sh scan/pmd.sh#command: sh probe.sh; echo PROBE-RAN; exit 1#')
probe_sha=$(git -C "$repo" add -A && git -C "$repo" -c user.name=a -c user.email=a@example.com commit -q -m probe && git -C "$repo" rev-parse HEAD)
"$CLI" start --config "$probe" --sha "$probe_sha" --key "$keys/ci" --wait >"$work/probe.log" 2>&1 || true
"$TEMPORAL" workflow show --address "$TEMPORAL_ADDRESS" -w "release/hello-app/$probe_sha" -o json |
  python3 bench/attacks/history-text.py >"$work/probe-history.txt"
ran=$(grep -c PROBE-RAN "$work/probe-history.txt" || true)
for check in "env " "file " "docker-socket " "tcp 127.0.0.1:2223" "user root"; do
  found=$(grep -o "LEAK $check[^\\\"]*" "$work/probe-history.txt" | head -1 || true)
  [ "$ran" -gt 0 ] && [ -z "$found" ] && ok=yes || ok=no
  verdict "gate command: ${check% }" "$ok" "${found:-nothing found (the probe ran)}"
done
git -C "$repo" reset -q --hard "$sha"

# --- a release to decide on: started by ci (signed), waiting for two approvals
"$CLI" start --config "$repo/release.yaml" --sha "$sha" --key "$keys/ci" >/dev/null
for _ in $(seq 900); do
  state=$("$CLI" status "$id" --output json 2>/dev/null | jq -r .state || true)
  case "$state" in AWAITING_APPROVAL | FAILED | ABORTED) break ;; esac
  sleep 0.2
done
[ "$state" = AWAITING_APPROVAL ] || { "$CLI" status "$id"; echo "the release did not reach approval"; exit 1; }
digest=$("$CLI" status "$id" --output json | jq -r .image.digest)

cli_attack() { # NAME EXPECTED CLI-ARGS...: release-cli must refuse with one line
  local name=$1 expected=$2 out rc=0
  shift 2
  out=$(HOME="$work/nohome" SSH_AUTH_SOCK="" RELEASE_SIGNING_KEY="" "$CLI" "$@" 2>&1) || rc=$?
  [ "$rc" != 0 ] && ok=$(one_line_with "$out" "$expected") || ok=no
  verdict "$name" "$ok" "$out"
}
# sign_payload SIGNER KIND TARGET DIGEST TIME REQUEST-ID: a SignedDecision's JSON, as an attacker
# with that key (or its signature) could send it to Temporal without release-cli
payload_text() {
  printf 'release-engine-decision v1\nkind=%s\ntarget=%s\n' "$1" "$2"
  [ -z "$3" ] || printf 'digest=%s\n' "$3"
  printf 'time=%s\nrequestId=%s\n' "$4" "$5"
}
sign_json() { # SIGNER KIND TARGET DIGEST TIME REQUEST-ID [SENT-KIND]
  local sig
  sig=$(payload_text "$2" "$3" "$4" "$5" "$6" | ssh-keygen -Y sign -n release-engine -f "$keys/$1" 2>/dev/null)
  jq -n --arg kind "${7:-$2}" --arg target "$3" --arg digest "$4" --arg time "$5" --arg rid "$6" --arg sig "$sig" \
    '{payload: {kind: $kind, target: $target, digest: (if $digest == "" then null else $digest end),
      sha: null, environment: null, specHash: null, time: $time, requestId: $rid},
      signature: $sig, comment: null}'
}
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
rid() { openssl rand -hex 16; }
update_attack() { # NAME EXPECTED JSON: the decide update must answer accepted=false with EXPECTED
  local out
  out=$("$TEMPORAL" workflow update execute --address "$TEMPORAL_ADDRESS" -w "$id" --name decide -i "$3" -o json 2>&1 || true)
  [[ "$out" != *'"accepted": true'* && "$out" != *'"accepted":true'* ]] && [[ "$out" == *"$2"* ]] && ok=yes || ok=no
  verdict "$1" "$ok" "$(grep -o '"message": *"[^"]*"' <<<"$out" | head -1)"
}

cli_attack "a decision with no key" "no SSH key to sign with" approve "$id"
cli_attack "an unknown key" "is not in allowed_signers" approve "$id" --key "$keys/stranger"
cli_attack "a non-approver's key" "mallory is not an allowed approver" approve "$id" --key "$keys/mallory"
other="release/hello-app/$(printf 'f%.0s' $(seq 40))"
update_attack "a signature taken from another release" "target release/hello-app/ffff" \
  "$(sign_json bob approve "$other" "$digest" "$(now)" "$(rid)")"
update_attack "a tampered payload (approve signed, reject sent)" "signature" \
  "$(sign_json bob approve "$id" "$digest" "$(now)" "$(rid)" reject)"
update_attack "an old signature" "sign it again" \
  "$(sign_json bob approve "$id" "$digest" "$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)" "$(rid)")"
replayed=$(sign_json bob promote "$id" "$digest" "$(now)" "$(rid)")
"$TEMPORAL" workflow update execute --address "$TEMPORAL_ADDRESS" -w "$id" --name decide -i "$replayed" >/dev/null 2>&1 || true
update_attack "a replayed request id" "was already used" "$replayed"
"$TEMPORAL" workflow signal --address "$TEMPORAL_ADDRESS" -w "$id" --name approve -i '{"approver": "bob", "comment": null}' >/dev/null
sleep 1
last=$("$CLI" status "$id" --output json | jq -r '.refusedSignals[-1].reason')
[[ "$last" == "unsigned decision refused"* ]] && [ "$("$CLI" status "$id" --output json | jq '.decisions | length')" = 0 ] && ok=yes || ok=no
verdict "an unsigned approve signal straight to Temporal" "$ok" "$last"
cli_attack "an abort by someone the policy does not allow" "mallory may not abort" abort "$id" --key "$keys/mallory"
cli_attack "a promote by someone the policy does not allow" "mallory may not promote" promote "$id" --key "$keys/mallory"
cli_attack "a rollback by someone the policy does not allow" "ci may not roll back hello-app" \
  rollback --service hello-app --env staging --sha "$sha" --key "$keys/ci"

# --- a reply to a release that is not there: the environment notes it and still answers (before,
# it finished the operation twice and failed every workflow task after it)
gone="release/hello-app/$(printf 'e%.0s' $(seq 40))"
"$TEMPORAL" workflow signal --address "$TEMPORAL_ADDRESS" -w env/hello-app/staging --name rollback \
  -i "{\"sha\": \"$(printf 'd%.0s' $(seq 40))\", \"requester\": \"nobody\", \"requestId\": \"gone-$(rid)\", \"replyTo\": \"$gone\"}" >/dev/null
sleep 2
out=$("$CLI" history --service hello-app --env staging 2>&1) && rc=0 || rc=$?
[ "$rc" = 0 ] && [[ "$out" == *"never ran"* ]] && ok=yes || ok=no
verdict "a rollback answering a release that is not there" "$ok" "$(grep -o 'never ran [0-9a-f]*' <<<"$out" | head -1)"

# --- the CLI to a TLS endpoint (client certificate required) without a client certificate
tls_certs "$work/tls" >/dev/null
tls_port=$(free_port)
tls_front_start "$work/tls" "$TEMPORAL_ADDRESS" "$tls_port" mtls >/dev/null
out=$(TEMPORAL_ADDRESS=127.0.0.1:$tls_port TEMPORAL_TLS_CA="$work/tls/ca.pem" "$CLI" list 2>&1) && rc=0 || rc=$?
[ "$rc" = 5 ] && [[ "$out" == *[Cc]ertificate* ]] && ok=yes || ok=no
verdict "the CLI to the TLS endpoint without a client certificate" "$ok" "$out"

# what the attacks leave: production as it was; the release still waiting for its approvals
"$CLI" abort "$id" --key "$keys/alice" --reason "attack bench done" >/dev/null || true
[ "$(serves https://127.0.0.1:19080)" = "$production_before" ] || { echo "production changed"; refused=0; }
echo "staging: $staging_before before, $(serves https://127.0.0.1:18080) after (the admitted release deployed it)"

# Every history, every status, the worker's log and what reached Slack, searched for the secrets.
mkdir -p "$work/search"
"$TEMPORAL" workflow list --address "$TEMPORAL_ADDRESS" -o json | jq -r '.. | .workflowId? // empty' | sort -u |
  while read -r wid; do
    "$TEMPORAL" workflow show --address "$TEMPORAL_ADDRESS" -w "$wid" -o json </dev/null 2>/dev/null |
      python3 bench/attacks/history-text.py >"$work/search/$(echo "$wid" | tr / _).txt" || true
    case "$wid" in release/*) "$CLI" status "$wid" --output json </dev/null >"$work/search/$(echo "$wid" | tr / _).status.json" || true ;; esac
  done
cp "$work/worker.log" "$work/search/"
[ ! -f "$work/slack.log" ] || cp "$work/slack.log" "$work/search/"
leaked=0
for secret in "$slack_token" "$slack_secret" "$key_line" "$container_secret"; do
  n=$({ grep -rFo -- "$secret" "$work/search" || true; } | wc -l)
  leaked=$((leaked + n))
done
echo "searched $(ls "$work/search" | wc -l) files: histories, statuses, the worker's log, Slack"
echo "attack attacks=$attacks refused=$refused secrets_leaked=$leaked"
