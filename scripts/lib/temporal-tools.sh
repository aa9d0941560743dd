# Sourced by the scripts that run a real Temporal server. Builds Temporal's own binaries from the Go
# module proxy, pinned to exact versions, into a per-user cache outside the checkout, so a fresh clone
# and CI reuse them (Go's module and build caches persist as well):
#   temporal_cli          -> ~/.cache/release-engine/tools/temporal-cli-<v>/temporal
#                            (`temporal server start-dev`: a real server on SQLite with the Web UI)
#   temporal_server       -> ~/.cache/release-engine/tools/temporal-server-<v>/temporal-server
#   temporal_sql_tool     -> ~/.cache/release-engine/tools/temporal-server-<v>/temporal-sql-tool
# Each function prints the binary's path, building it first when it is missing.
#
# Versions: the CLI's newest release on the proxy (v1.9.1) carries `replace ./cliext`, a module nested
# in its repository that the proxy does not serve, so it cannot be built from modules (not even from a
# wrapper module with the same replaces). v1.5.1 has no replaces; it embeds server v1.29.1 and UI server
# v2.42.1, and the production binaries use the same server version, as does docker-compose.yml.

TEMPORAL_CLI_VERSION=1.5.1
TEMPORAL_SERVER_VERSION=1.29.1
TEMPORAL_UI_VERSION=2.42.1
# the engine's custom search attributes (workflows' SearchAttributesKeys), all keywords
RELEASE_SEARCH_ATTRIBUTES="ReleaseService ReleaseSha ReleaseState ReleaseEnvironment"
TEMPORAL_TOOLS_DIR="${RELEASE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/release-engine/tools}"

# _temporal_go_build NAME VERSION PACKAGE@VERSION BINARY: go install into a scratch GOBIN, then move
# the binary into place (atomically, so a build that is interrupted leaves nothing half made).
_temporal_go_build() {
  local dir="$TEMPORAL_TOOLS_DIR/$1-$2" pkg=$3 bin=$4 out tmp started
  out="$dir/$bin"
  [ -x "$out" ] && return 0
  if ! command -v go >/dev/null 2>&1; then
    echo "temporal-tools: building $pkg needs Go (1.21 or newer; it fetches the toolchain the module asks for)" >&2
    return 1
  fi
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/.build.XXXXXX")
  started=$SECONDS
  echo "building $pkg (once; cached in $dir)" >&2
  # the machines have 2 shared cores: two compile jobs, at a low priority; no symbol table and no
  # DWARF (-s -w): the link, the longest single step, does less, and nobody debugs these binaries
  if ! (cd "$tmp" && GOBIN="$tmp" GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
        nice go install -p 2 -trimpath -ldflags="-s -w" "$pkg") >&2; then
    rm -rf "$tmp"
    echo "temporal-tools: cannot build $pkg" >&2
    return 1
  fi
  mv -f "$tmp/$(basename "${pkg%@*}")" "$out"
  rm -rf "$tmp"
  echo "built $out in $((SECONDS - started)) s" >&2
}

temporal_cli() {
  _temporal_go_build temporal-cli "$TEMPORAL_CLI_VERSION" \
    "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" temporal || return 1
  echo "$TEMPORAL_TOOLS_DIR/temporal-cli-$TEMPORAL_CLI_VERSION/temporal"
}

temporal_server() {
  _temporal_go_build temporal-server "$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" temporal-server || return 1
  echo "$TEMPORAL_TOOLS_DIR/temporal-server-$TEMPORAL_SERVER_VERSION/temporal-server"
}

temporal_sql_tool() {
  _temporal_go_build temporal-server "$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" temporal-sql-tool || return 1
  echo "$TEMPORAL_TOOLS_DIR/temporal-server-$TEMPORAL_SERVER_VERSION/temporal-sql-tool"
}

# The server module's SQL schemas (schema/postgresql/v12/…), from Go's module cache.
temporal_schema_dir() {
  local dir
  dir=$(cd "$TEMPORAL_TOOLS_DIR" && GOFLAGS=-mod=mod go mod download -json "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/schema" ] || { echo "temporal-tools: no schemas in go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" >&2; return 1; }
  echo "$dir/schema"
}
