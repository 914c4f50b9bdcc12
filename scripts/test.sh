#!/usr/bin/env bash
# Builds the solution and runs every test suite. Installs the servers the tests start for themselves
# (PostgreSQL, Redis) when they are missing. Ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
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
# The hang timeout keeps a stuck test from eating the whole CI budget. The in-process suites run side by
# side; the multi-process suites (cluster fault tests, load-test smoke runs) run afterwards one after the
# other, so that their node processes do not compete for the machine's cores with the other suites.
test_args=(-c Release --no-build --logger "console;verbosity=normal" --logger trx
  --results-directory "$results" --blame-hang-timeout 10m --blame-hang-dump-type none)
dotnet test Cluster.sln "${test_args[@]}" \
  --filter "FullyQualifiedName!~Cluster.Cluster.Tests&FullyQualifiedName!~Cluster.LoadTests.Tests" || status=$?
dotnet test tests/Cluster.Cluster.Tests "${test_args[@]}" || status=$?
dotnet test tests/Cluster.LoadTests.Tests "${test_args[@]}" || status=$?

# ---- Node-based tests ----------------------------------------------------------------------------------
# The SignalR JavaScript client interop tests start the Release build of the node made above. Readable
# output goes to the console; the TAP report in $results gives the counts for the summary line, and
# their exit code joins $status below.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing nodejs npm"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
fi
mkdir -p "$results"
tap="$results/node-tests.tap"
: >"$tap"
node_status=0
npm ci --prefix tests/interop --no-audit --no-fund || node_status=$?
if [ "$node_status" -eq 0 ]; then
  SILO_DLL="$PWD/silo/Cluster.Silo/bin/Release/net10.0/Cluster.Silo.dll" node --test \
    --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$tap" \
    tests/interop/*.test.mjs || node_status=$?
fi
read -r node_passed node_failed node_skipped < <(awk '
  /^# pass / { p = $3 } /^# fail / { f = $3 } /^# cancelled / { c = $3 } /^# skipped / { s = $3 } /^# todo / { t = $3 }
  END { print p + 0, f + c, s + t }
' "$tap")
if [ "$node_status" -ne 0 ] && [ "$node_failed" -eq 0 ]; then
  echo "The Node-based tests exited with $node_status although no test failed: npm ci or the runner failed." >&2
  node_failed=1
fi
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
# The Node-based tests' exit code counts too (dotnet's is kept when both failed).
[ "$status" -ne 0 ] || status=$node_status
echo "$((passed + node_passed)) passed, $((failed + node_failed)) failed, $((total - executed + node_skipped)) skipped"
exit "$status"
