# Shared set-up for ops/run and ops/test: Debian packages, builds, and a private PostgreSQL
# cluster. Sourced, not executed.

AQ_PACKAGES=(cmake ninja-build g++ ccache pkg-config git
  libzmq3-dev cppzmq-dev libprotobuf-dev protobuf-compiler
  libboost1.81-dev libboost-json1.81-dev libpqxx-dev libspdlog-dev doctest-dev
  postgresql libsecp256k1-dev libssl-dev wrk)

aq_log() { printf '\033[1m[aqueduct]\033[0m %s\n' "$*" >&2; }

# The maker's signing key for the simulator run (takers.maker_key_file in ops/config): created
# once, readable by the owner only. A real deployment brings its own key and config.
aq_ensure_maker_key() {
  local f="$1"
  [ -f "$f" ] && return 0
  mkdir -p "$(dirname "$f")"
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f")
  aq_log "created a maker signing key for this machine's simulator runs: $f (mode 0600)"
}

aq_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else aq_log "need root to run: $*"; return 1; fi
}

# Installs whatever of AQ_PACKAGES is missing (Debian 12).
aq_install_packages() {
  local missing=()
  for p in "${AQ_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    aq_log "installing Debian packages: ${missing[*]}"
    aq_as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive aq_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Node.js runs the independent signature checks (ethers). The machine's own nodejs is used
# when there is one; otherwise Debian's.
aq_install_node_tools() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    aq_log "installing Debian packages: nodejs npm"
    aq_as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive aq_as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  if [ ! -d "$AQ_ROOT/tests/node/node_modules/ethers" ] || [ ! -d "$AQ_ROOT/tests/node/node_modules/yaml" ]; then
    aq_log "installing npm packages for tests/node (ethers, yaml; pinned by package-lock.json)"
    (cd "$AQ_ROOT/tests/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  aq_install_chain_tools
}

# The local chain: anvil (a binary inside its npm package) and the aggregators' published
# contracts (tests/chain/package-lock.json). Reinstalled when the lock file changes.
aq_install_chain_tools() {
  local dir="$AQ_ROOT/tests/chain" stamp="$AQ_ROOT/tests/chain/node_modules/.aq-lock-sha"
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -x "$dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    aq_log "installing npm packages for tests/chain (anvil, 0x and Hashflow contracts, solc; pinned by package-lock.json)"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" > "$stamp"
  fi
}

# aq_demo_chain_start DIR MAKER_KEY_HEX: anvil on a free loopback port (chain 31337) with the
# aggregators' contracts deployed by tests/chain/deploy.mjs (the maker funded and approving the
# 0x Exchange Proxy, the Hashflow pool and Bebop's settlement address), then a block a second.
# Exports AQ_DEMO_CHAIN_FILE (the deployment), AQ_DEMO_CHAIN_RPC/WS and AQ_DEMO_CHAIN_TOOLS.
aq_demo_chain_start() {
  local dir=$1 key=$2 chain="$AQ_ROOT/tests/chain" port
  mkdir -p "$dir"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "$chain/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" --host 127.0.0.1 --port "$port" \
    --chain-id 31337 --silent >"$dir/anvil.log" 2>&1 &
  AQ_DEMO_ANVIL_PID=$!
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  aq_log "local chain: anvil on 127.0.0.1:$port (chain 31337); deploying the 0x Exchange Proxy and Hashflow router/pool"
  if ! node "$chain/deploy.mjs" --rpc "http://127.0.0.1:$port" --maker-key "0x$key" \
      --out "$dir/chain.json" --also-approve 0xbbbbbBB520d69a9775E85b458C58c648259FAD5F \
      --interval-mining 1 >"$dir/deploy.log" 2>&1; then
    cat "$dir/deploy.log" >&2
    aq_log "deploying the demo's contracts failed (log: $dir/deploy.log)"
    return 1
  fi
  export AQ_DEMO_CHAIN_FILE="$dir/chain.json" AQ_DEMO_CHAIN_TOOLS="$chain"
  export AQ_DEMO_CHAIN_RPC="http://127.0.0.1:$port" AQ_DEMO_CHAIN_WS="ws://127.0.0.1:$port"
}

aq_demo_chain_stop() {
  [ -n "${AQ_DEMO_ANVIL_PID:-}" ] && kill "$AQ_DEMO_ANVIL_PID" 2>/dev/null || true
}

# aq_build BUILD_DIR BUILD_TYPE [cmake args...]: configures (the arguments apply to a build
# directory made before them too), then builds incrementally.
aq_build() {
  local dir=$1 type=$2; shift 2
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
  [ -f "$dir/build.ninja" ] || aq_log "configuring $type build in $dir"
  mkdir -p "$dir"
  aq_warn_low_disk "$dir"
  cmake -S "$AQ_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  aq_log "building ($type) in $dir"
  local rc=0
  cmake --build "$dir" -j "$(nproc)" >"$dir/build.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    grep -vE '^\[[0-9]+/[0-9]+\] ' "$dir/build.log" | tail -n 80 >&2
    aq_log "build failed (full log: $dir/build.log)"
    aq_warn_low_disk "$dir"
    return "$rc"
  fi
}

# A build that runs out of disk fails with compiler errors about temporary files, far from the
# cause: say how much room there is before (and after a failure), in both places that fill up.
AQ_BUILD_DISK_GB=${AQ_BUILD_DISK_GB:-6}
aq_warn_low_disk() {
  local where free_kb
  for where in "$1" "${TMPDIR:-/tmp}"; do
    free_kb=$(df -Pk "$where" 2>/dev/null | awk 'NR==2 {print $4}')
    [ -n "$free_kb" ] || continue
    if [ "$free_kb" -lt $(( AQ_BUILD_DISK_GB * 1024 * 1024 )) ]; then
      aq_log "warning: $(( free_kb / 1024 )) MiB free for $where; a full build needs about ${AQ_BUILD_DISK_GB} GiB (free some space there, or set TMPDIR elsewhere)"
    fi
  done
}

aq_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Runs a command as the cluster's owner: postgres when we are root (PostgreSQL refuses root).
aq_pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# aq_pg_start DIR: starts (creating if needed) a private cluster listening only on a Unix
# socket inside DIR, and exports AQUEDUCT_DATABASE_URL for it.
aq_pg_start() {
  local dir=$1 bin
  bin=$(aq_pg_bin)
  [ -n "$bin" ] || { aq_log "PostgreSQL server binaries not found (package postgresql)"; return 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    # The server runs as postgres and must reach DIR. Under a private (0700) parent, as a
    # temporary clone has, it cannot: then the cluster lives in a fresh directory under /tmp.
    chown postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      dir=$(mktemp -d /tmp/aqueduct-pg.XXXXXX)
      chmod 755 "$dir"
      chown postgres "$dir"
      AQ_PG_TEMP=1
      aq_log "project directory not reachable by the postgres user; cluster in $dir instead"
    fi
  fi
  AQ_PG_DIR=$dir
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    aq_log "creating a private PostgreSQL cluster in $dir"
    aq_pg_run "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  fi
  mkdir -p "$dir/run"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/run"; fi
  if ! aq_pg_run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    aq_pg_run "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -c port=5432 -c fsync=${AQ_PG_FSYNC:-on} -c max_connections=200" >/dev/null
  fi
  local admin="postgresql:///postgres?host=$dir/run&port=5432&user=postgres"
  if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname='aqueduct'" | grep -q 1; then
    psql "$admin" -qc "CREATE DATABASE aqueduct" >/dev/null
  fi
  export AQUEDUCT_DATABASE_URL="postgresql:///aqueduct?host=$dir/run&port=5432&user=postgres"
  aq_log "PostgreSQL: $AQUEDUCT_DATABASE_URL"
}

aq_pg_stop() {
  [ -n "${AQ_PG_DIR:-}" ] || return 0
  aq_pg_run "$(aq_pg_bin)/pg_ctl" -D "$AQ_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  if [ "${AQ_PG_TEMP:-0}" = 1 ]; then rm -rf "$AQ_PG_DIR"; fi
}
