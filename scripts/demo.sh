#!/usr/bin/env bash
# One-command demo: a whole release of examples/hello-app on this machine, as a CI step would run it.
#   scripts/demo.sh        install what is missing, build, start the infrastructure, a real Temporal
#                          server (bin/release-server) and a worker, release v1 (approved with
#                          release-cli approve), release v2, roll production back to v1; print a timeline and a RESULT line.
#                          The image goes through the private registry (TLS, login); production's container
#                          gets an env value, a secret from the worker's secret store and a volume.
#                          Then a second app, examples/static-site, through dev, staging and production
#                          over https.
#   scripts/demo.sh --postgres   the same on the Temporal server itself on PostgreSQL
#                          (scripts/temporal-postgres.sh), the topology docker-compose.yml runs
#   scripts/demo.sh down   stop the worker, the server and the infrastructure, remove what the demo made
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib/prereqs.sh
D="${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}"
DEMO="$D/demo"
CLI="$root/bin/release-cli"

say() { printf '\n== %s\n' "$*"; }

stop() { # stop PIDFILE: TERM, up to 10 s, then KILL
  [ -f "$1" ] || return 0
  kill "$(cat "$1")" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$(cat "$1")" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$(cat "$1")" 2>/dev/null || true
}

down() {
  stop "$DEMO/worker.pid"
  stop "$DEMO/slack.pid"
  stop "$DEMO/server.pid"
  [ ! -d "$DEMO/postgres" ] || RELEASE_PG_DIR="$DEMO/postgres" bash scripts/temporal-postgres.sh down
  bash scripts/infra.sh down
}

postgres=""
if [ "${1:-}" = --postgres ]; then
  postgres=1
  shift
fi
if [ "${1:-}" = down ]; then
  down
  exit 0
fi

need_java_and_maven
command -v jq >/dev/null 2>&1 || apt_install jq  # reads release-cli's --output json
if [ ! -f cli/target/release-cli.jar ] || [ ! -f worker/target/release-worker.jar ] ||
   [ -n "$(find signing workflows activities worker cli -name '*.java' -newer worker/target/release-worker.jar -print -quit)" ]; then
  say "building the engine"
  mvn -q -B -ntp -DskipTests package
fi

. scripts/lib/temporal-tools.sh
temporal_cli >/dev/null  # built once from the Go module proxy, then cached

say "starting the infrastructure (Docker engine, registry, staging and production hosts, Prometheus)"
bash scripts/infra.sh up
. "$D/env"
SIGNERS=$RELEASE_SIGNERS_DIR   # the people's and CI's SSH keys (scripts/infra.sh), allowed_signers

for pidfile in "$DEMO/worker.pid" "$DEMO/server.pid" "$DEMO/slack.pid"; do stop "$pidfile"; done
[ ! -d "$DEMO/postgres" ] || RELEASE_PG_DIR="$DEMO/postgres" bash scripts/temporal-postgres.sh down
rm -rf "$DEMO" && mkdir -p "$DEMO"
export TEMPORAL_ADDRESS=127.0.0.1:7233
if [ -n "$postgres" ]; then
  say "starting the Temporal server on PostgreSQL (scripts/temporal-postgres.sh) and the worker"
  RELEASE_PG_DIR="$DEMO/postgres" bash scripts/temporal-postgres.sh up 7233
  export TEMPORAL_UI_ADDRESS=""
else
  say "starting the Temporal server (bin/release-server: Temporal's dev server on SQLite) and the worker"
  RELEASE_SERVER_DIR="$DEMO/server" bin/release-server 7233 >"$DEMO/server.log" 2>&1 &
  echo $! >"$DEMO/server.pid"
  for _ in $(seq 600); do grep -q "release-server ready" "$DEMO/server.log" && break; sleep 0.2; done
  grep "release-server ready" "$DEMO/server.log"
  export TEMPORAL_UI_ADDRESS=http://127.0.0.1:8233
fi
# the operator's side of the container's configuration: production's secret, in the worker's secret
# store ($RELEASE_SECRETS_DIR/<service>/<environment>/<NAME>); release.yaml names it only
demo_secret="demo-secret-$(openssl rand -hex 12)"
(umask 077 && mkdir -p "$RELEASE_SECRETS_DIR/hello-app/production" &&
  printf '%s\n' "$demo_secret" >"$RELEASE_SECRETS_DIR/hello-app/production/DEMO_SECRET")
# a stand-in for Slack's API, so that the messages the worker posts can be read (and searched)
java activities/src/test/java/org/releaseengine/slack/SlackStub.java 18999 "$DEMO/slack-messages.log" >"$DEMO/slack.log" 2>&1 &
echo $! >"$DEMO/slack.pid"
for _ in $(seq 100); do grep -q "slack stub ready" "$DEMO/slack.log" && break; sleep 0.1; done
# the audit archive is the demo's own: a fresh server's environments rebuild their records from it
SLACK_BOT_TOKEN=xoxb-demo SLACK_API_URL=http://127.0.0.1:18999/api/ SLACK_CHANNEL="#releases" \
  RELEASE_AUDIT_DIR="$DEMO/audit" bin/release-worker >"$DEMO/worker.log" 2>&1 &
echo $! >"$DEMO/worker.pid"
for _ in $(seq 300); do grep -q "release-worker ready" "$DEMO/worker.log" && break; sleep 0.1; done
grep "release-worker ready" "$DEMO/worker.log"
grep "^dashboard: " "$DEMO/worker.log" || echo "dashboard: none (see $DEMO/worker.log)"
echo "Temporal UI: ${TEMPORAL_UI_ADDRESS:-none with --postgres (docker-compose.yml adds the UI image)}"

say "the example app's repository, as a team would have it"
repo="$DEMO/hello-app"
cp -r examples/hello-app "$repo"
rm -rf "$repo/.github"
export GIT_AUTHOR_NAME=dev GIT_AUTHOR_EMAIL=dev@example.com GIT_COMMITTER_NAME=dev GIT_COMMITTER_EMAIL=dev@example.com
git -C "$repo" init -q --initial-branch=main
git -C "$repo" add -A && git -C "$repo" commit -q -m "hello-app v1"
first=$(git -C "$repo" rev-parse HEAD)
echo "v1 is $first"

# release SHA APPROVER [SERVICE DIR]: what the CI step does, plus a person approving as soon as it
# waits (hello-app's repository unless another service and its repository are named)
release() {
  local sha=$1 approver=$2 service=${3:-hello-app} dir=${4:-$repo} t0=$SECONDS state
  local id="$service/${sha:0:12}"
  # bounded, so that the wait below ends even if the release never does
  # CI signs its start with its own key; the worker's policy lets ci start hello-app
  timeout 900 "$CLI" start --config "$dir/release.yaml" --sha "$sha" --key "$SIGNERS/ci" --follow >"$DEMO/follow-$sha.log" 2>&1 &
  local follower=$!
  for _ in $(seq 600); do
    state=$("$CLI" status "$id" --output json 2>/dev/null | jq -r '.state' || true)
    case "$state" in AWAITING_APPROVAL|SUCCEEDED|FAILED|REJECTED|EXPIRED|ABORTED|ROLLED_BACK) break ;; esac
    sleep 0.2
  done
  [ "$state" = AWAITING_APPROVAL ] && "$CLI" approve "$id" --key "$SIGNERS/$approver" --comment "demo approval"
  wait "$follower" || { cat "$DEMO/follow-$sha.log"; echo "release of $sha did not succeed" >&2; return 1; }
  cat "$DEMO/follow-$sha.log"
  echo "release of ${sha:0:12}: start to production live in $((SECONDS - t0)) s"
  "$CLI" status "$id"
}

say "release v1 (build once -> scan -> staging blue-green -> E2E -> approval -> production -> verify)"
release "$first" alice

say "a second version, released the same way"
sed -i 's/"hello, "/"hello again, "/' "$repo/src/hello/HelloApp.java"
git -C "$repo" commit -q -am "hello-app v2: a warmer greeting"
second=$(git -C "$repo" rev-parse HEAD)
release "$second" bob
echo "production serves: $(curl -fsS --cacert "$RELEASE_PROXY_CA" https://127.0.0.1:19080/version)"

say "roll production back to v1"
t0=$(date +%s%N)
"$CLI" rollback --service hello-app --env production --sha "$first" --key "$SIGNERS/alice"
echo "rollback took $(( ($(date +%s%N) - t0) / 1000000 )) ms from invoking release-cli"
serves=$(curl -fsS --cacert "$RELEASE_PROXY_CA" https://127.0.0.1:19080/version)
echo "production serves: $serves"
"$CLI" history --service hello-app --env production

say "DORA figures of production (release-cli dora)"
"$CLI" dora --service hello-app

"$CLI" verify "hello-app/${first:0:12}" --allowed-signers "$SIGNERS/allowed_signers"
say "production's container: its configuration as the app reports it (GET /config)"
config=$(curl -fsS --cacert "$RELEASE_PROXY_CA" https://127.0.0.1:19080/config)
echo "$config"
case "$config" in
  *"env GREETING: hello from production"*"secret DEMO_SECRET: set (${#demo_secret} chars)"*"volume /data: mounted"*) ;;
  *) echo "demo: production's container lacks its env value, secret or volume" >&2; exit 1 ;;
esac

# The registry let nothing through without its login and its CA: anonymous and untrusted asks fail,
# the login over TLS with infra.sh's CA answers, and the releases' digests are on it.
registry_auth=no
if [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$RELEASE_REGISTRY_CA" "https://$RELEASE_REGISTRY/v2/")" = 401 ] &&
   ! curl -s -o /dev/null "https://$RELEASE_REGISTRY/v2/" 2>/dev/null &&
   [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$RELEASE_REGISTRY_CA" \
        -u "release:$(cat "$RELEASE_INFRA_DIR/registry/password")" \
        "https://$RELEASE_REGISTRY/v2/hello-app/manifests/$first")" = 200 ]; then
  registry_auth=yes
fi

# Where the demo secret's value could have leaked: every workflow's history (payloads decoded),
# the releases' statuses, the environments' histories, the worker's log, the Slack messages.
temporal=$(temporal_cli)
decoded() { jq -r '.. | objects | select(has("data")) | .data | strings' | while read -r b; do
  printf '%s' "$b" | base64 -d 2>/dev/null; echo; done; }
{
  "$temporal" workflow list --address "$TEMPORAL_ADDRESS" --output json |
    jq -r '(if type == "array" then .[] else . end) | "\(.execution.workflowId) \(.execution.runId)"' |
    while read -r wid rid; do
      "$temporal" workflow show --address "$TEMPORAL_ADDRESS" -w "$wid" -r "$rid" --output json \
        </dev/null >"$DEMO/history.json"
      cat "$DEMO/history.json"; decoded <"$DEMO/history.json"
    done
  for sha in "$first" "$second"; do "$CLI" status "hello-app/${sha:0:12}" --output json; done
  for env in staging production; do "$CLI" history --service hello-app --env "$env" --output json; done
  cat "$DEMO/worker.log" "$DEMO/slack-messages.log"
} >"$DEMO/searched.txt"
rm -f "$DEMO/history.json"
# the search must have read the histories, and in them the secret's name (never its value)
if ! grep -qi workflowExecutionStarted "$DEMO/searched.txt" || ! grep -q DEMO_SECRET "$DEMO/searched.txt"; then
  echo "demo: the leak search read no history" >&2
  exit 1
fi
secret_leaks=$( { grep -oF -- "$demo_secret" "$DEMO/searched.txt" || true; } | wc -l)
rm -f "$DEMO/searched.txt"
echo "registry login and CA required: $registry_auth; the demo secret's value found $secret_leaks time(s)" \
  "in histories, statuses, the worker log and $(wc -l <"$DEMO/slack-messages.log") Slack message(s)"

# ---- The second example app: examples/static-site (busybox httpd), a list of three environments ----
# env_urls RELEASE_YAML: "ENVIRONMENT URL" per environment, in the file's order (the mapping form's
# "  staging:" keys and the list form's "  - name: dev" items alike)
env_urls() {
  awk '/^environments:/ { in_envs = 1; next }
       in_envs && /^[^ #]/ { in_envs = 0 }
       in_envs && /^  - name:/ { name = $3 }
       in_envs && /^  [A-Za-z0-9_.-]+:[ ]*(#.*)?$/ { name = $1; sub(":", "", name) }
       in_envs && /^ +url:/ { print name, $2 }' "$1"
}
# serves_sha URL SHA: whether URL's /version answers SHA (over https, curl verifies the certificate
# against the infrastructure's CA); counts the URLs checked, and those that answered over https
urls_checked=0 urls_https=0
serves_sha() {
  local got
  got=$(curl -fsS --max-time 5 --cacert "$RELEASE_PROXY_CA" "$1/version" 2>&1) || true
  echo "  $1/version: $got"
  urls_checked=$((urls_checked + 1))
  [ "$got" = "$2" ] || return 1
  case "$1" in https://*) urls_https=$((urls_https + 1)) ;; esac
}
# deployed_environments RELEASE_ID: the environments the release deployed to, from its stages
deployed_environments() {
  "$CLI" status "$1" --output json | jq -r '.stages[] | select(.state == "SUCCEEDED")
    | if .stage == "DEPLOY" then (.environment // empty) elif .stage == "DEPLOY_STAGING" then "staging"
      elif .stage == "DEPLOY_PRODUCTION" then "production" else empty end' | sort -u | wc -l
}
release_ids="hello-app/${first:0:12} hello-app/${second:0:12}"
apps=1
say "a second app: examples/static-site (busybox httpd) through dev, staging and production, over https"
site_repo="$DEMO/static-site"
cp -r examples/static-site "$site_repo"
git -C "$site_repo" init -q --initial-branch=main
git -C "$site_repo" add -A && git -C "$site_repo" commit -q -m "static-site v1"
site_sha=$(git -C "$site_repo" rev-parse HEAD)
release "$site_sha" bob static-site "$site_repo"
release_ids="$release_ids static-site/${site_sha:0:12}"
apps=2
echo "static-site's environments serve:"
while read -r env url; do
  serves_sha "$url" "$site_sha" || { echo "demo: static-site's $env does not serve $site_sha" >&2; exit 1; }
done < <(env_urls "$site_repo/release.yaml")
echo "hello-app's environments serve (staging v2, production v1 after the rollback):"
while read -r env url; do
  want=$second
  [ "$env" = production ] && want=$first
  serves_sha "$url" "$want" || { echo "demo: hello-app's $env does not serve $want" >&2; exit 1; }
done < <(env_urls "$repo/release.yaml")
https=no
[ "$urls_checked" -gt 0 ] && [ "$urls_https" = "$urls_checked" ] && https=yes
environments=0
for id in $release_ids; do
  n=$(deployed_environments "$id")
  [ "$n" -gt "$environments" ] && environments=$n
done
echo "environment URLs checked: $urls_checked, answered over https: $urls_https;" \
  "the most environments one release went through: $environments"
# ---- end of the second example app ----

json() { "$CLI" history --service hello-app --env "$1" --output json; }
digest_of() { # digest_of ENV SHA: the digest ENV recorded for SHA
  json "$1" | jq -r --arg sha "$2" 'first(.deployments[] | select(.sha == $sha) | .digest) // empty'
}
built=$(grep -c "built and pushed" "$DEMO/worker.log" || true)
approvers=$(for sha in "$first" "$second"; do
  "$CLI" status "hello-app/${sha:0:12}" --output json | jq -r '.decisions[] | select(.kind == "approve") | "\(.by):\(.key)"'
done | paste -sd, -)
staging_digest=$(digest_of staging "$first")
production_digest=$(digest_of production "$first")
if [ "$registry_auth" != yes ] || [ "$secret_leaks" != 0 ]; then
  echo "demo: registry_auth=$registry_auth secret_leaks=$secret_leaks: not what the engine promises" >&2
  exit 1
fi
if [ "$serves" != "$first" ] || [ -z "$staging_digest" ] || [ "$staging_digest" != "$production_digest" ]; then
  echo "demo: production serves $serves after the rollback, staging had ${staging_digest:-nothing}," \
    "production ${production_digest:-nothing}: not what a release promises" >&2
  exit 1
fi
echo
echo "The server, the worker and the infrastructure keep running for you to explore (release-cli list, status, history);"
echo "stop them with: scripts/demo.sh down"
echo "RESULT built=$built staging_digest=$staging_digest production_digest=$production_digest approved_by=$approvers rollback_serves=$serves registry_auth=$registry_auth secret_leaks=$secret_leaks https=$https environments=$environments apps=$apps"
