#!/usr/bin/env bash
# A local cluster without Docker: a throwaway PostgreSQL and Redis and N silo nodes on 127.0.0.1.
#   scripts/cluster.sh up [N]    start (default 3 nodes); prints the node URLs
#   scripts/cluster.sh status    readiness of each node and of the servers
#   scripts/cluster.sh down      stop everything and delete the cluster directory
# Environment: CLUSTER_DIR (default .cluster), BASE_PORT (default 5100; node i listens on BASE_PORT+i).
# Nodes use a signing key generated into $CLUSTER_DIR/signing-key; clients mint their tokens with it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
dir=${CLUSTER_DIR:-$repo/.cluster}
base_port=${BASE_PORT:-5100}
silo_dll=$repo/silo/Cluster.Silo/bin/Release/net10.0/Cluster.Silo.dll

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

up() {
  local nodes=${1:-3}
  [ ! -e "$dir/nodes" ] || { echo "A cluster is already up in $dir; run '$0 down' first." >&2; exit 1; }
  mkdir -p "$dir/pg" "$dir/redis" "$dir/logs"
  [ -n "${CLUSTER_NO_BUILD:-}" ] || dotnet build silo/Cluster.Silo -c Release -v quiet >"$dir/logs/build.log" 2>&1 \
    || { echo "build failed; see $dir/logs/build.log" >&2; exit 1; }
  chmod 777 "$dir" "$dir/pg"
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir/pg"

  local pg_port redis_port bin
  pg_port=$(free_port); redis_port=$(free_port); bin=$(pg_bin)
  as_postgres "$bin/initdb" -D "$dir/pg/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/logs/initdb.log"
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w start \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE cluster" >/dev/null
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/redis" \
    --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/logs/redis.log"
  head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$dir/signing-key"
  echo "$pg_port" >"$dir/pg-port"; echo "$redis_port" >"$dir/redis-port"

  local connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cluster;Timeout=3;Command Timeout=5;Maximum Pool Size=100"
  : >"$dir/nodes"
  for i in $(seq 1 "$nodes"); do
    local port=$((base_port + i))
    Cluster__NodeId="node-$i" \
    Cluster__Storage__Provider=PostgreSql Cluster__Storage__ConnectionString="$connection" \
    Cluster__Backplane__Provider=Redis Cluster__Backplane__Redis="127.0.0.1:$redis_port" \
    Auth__DevTokens=false Auth__SigningKey="$(cat "$dir/signing-key")" \
      nohup dotnet "$silo_dll" --urls "http://127.0.0.1:$port" >"$dir/logs/node-$i.log" 2>&1 &
    echo "$! $port" >>"$dir/nodes"
  done
  while read -r pid port; do
    wait_for 60 curl -sf "http://127.0.0.1:$port/readyz" || { echo "node on port $port did not become ready; see $dir/logs" >&2; exit 1; }
  done <"$dir/nodes"
  echo "PostgreSQL: 127.0.0.1:$pg_port (database cluster)"
  echo "Redis:      127.0.0.1:$redis_port"
  echo "Signing key: $dir/signing-key"
  while read -r pid port; do echo "Node:       http://127.0.0.1:$port (pid $pid)"; done <"$dir/nodes"
}

status() {
  [ -f "$dir/nodes" ] || { echo "No cluster in $dir."; return 0; }
  while read -r pid port; do
    printf 'http://127.0.0.1:%s (pid %s): %s\n' "$port" "$pid" "$(curl -s -m 3 "http://127.0.0.1:$port/readyz" || echo unreachable)"
  done <"$dir/nodes"
}

down() {
  [ -d "$dir" ] || return 0
  if [ -f "$dir/nodes" ]; then
    while read -r pid _; do kill -TERM "$pid" 2>/dev/null || true; done <"$dir/nodes"
    while read -r pid _; do wait_for 20 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true; done <"$dir/nodes"
  fi
  [ ! -f "$dir/redis/redis.pid" ] || kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  [ ! -d "$dir/pg/data" ] || as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up [N] | status | down" >&2; exit 2 ;;
esac
