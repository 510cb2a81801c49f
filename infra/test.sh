#!/usr/bin/env bash
# Runs every test project once and closes with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid"
else
  echo "docker-compose.yml: not validated (docker-compose is not installed)"
fi
log=$(mktemp)
dotnet test Microservices.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
awk '/^(Passed|Failed)! +- /{
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { gsub(/,/, "", p); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
