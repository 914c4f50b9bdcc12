#!/usr/bin/env bash
# Builds the solution and runs every test suite. Installs the servers the tests start for themselves
# (PostgreSQL, Redis) when they are missing. Ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]}"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

results="TestResults"
rm -rf "$results"
dotnet build Cluster.sln -c Release

status=0
# The hang timeout keeps a stuck test from eating the whole CI budget.
dotnet test Cluster.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx \
  --results-directory "$results" --blame-hang-timeout 10m --blame-hang-dump-type none || status=$?

# ---- Node-based tests (later) ----------------------------------------------------------------------
# Run them here with `node --test` (e.g. the SignalR JavaScript client interop tests), keep their exit
# code in $status, and add their pass/fail counts to the summary line below.
# ------------------------------------------------------------------------------------------------------

shopt -s nullglob
trx=("$results"/*.trx)
read -r total executed passed failed < <(awk '
  match($0, /<Counters [^>]*/) { n = split(substr($0, RSTART, RLENGTH), f, /[ ="]+/); for (i = 2; i < n; i += 2) sum[f[i]] += f[i + 1] }
  END { print sum["total"] + 0, sum["executed"] + 0, sum["passed"] + 0, sum["failed"] + sum["error"] + sum["timeout"] + sum["aborted"] }
' /dev/null "${trx[@]}")
if [ "$executed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status although no test failed: a test host crashed or hung." >&2
fi
echo "$passed passed, $failed failed, $((total - executed)) skipped"
exit "$status"
