#!/usr/bin/env bash
# Runs every test project once against real local servers and closes with one summary line:
# "tests: N passed, N failed, N skipped". One RabbitMQ node serves the whole run (RABBITMQ_URL if set, else a private
# node started here and stopped at the end). The build and the test projects run in parallel: each test process puts its
# own Messaging:Prefix in front of every queue and exchange it uses, so two of them never share a queue nor see each
# other's messages on the one broker.
set -uo pipefail
cd "$(dirname "$0")/.."

if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid" || exit 1
  docker-compose -f docker-compose.yml --profile cluster config -q && echo "docker-compose.yml, cluster profile: valid" || exit 1
else
  echo "docker-compose.yml: not validated (docker-compose is not installed)"
fi

node_dir=""
if [ -z "${RABBITMQ_URL:-}" ] && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  node=$(infra/rabbitmq-node.sh start) || exit 1
  export RABBITMQ_URL=$(sed 's/^AMQP_URL=\([^ ]*\).*/\1/' <<< "$node")
  node_dir=$(sed 's/.*DIR=//' <<< "$node")
  trap 'infra/rabbitmq-node.sh stop "$node_dir"' EXIT
  echo "RabbitMQ for this run: $RABBITMQ_URL"
fi

dotnet build Microservices.sln --nologo -v q || exit 1
log=$(mktemp)
results=$(mktemp -d)
# A test that hangs fails after 10 min with a dump (blame) instead of holding the run to CI's limit.
dotnet test Microservices.sln --nologo --no-build --logger trx --results-directory "$results" --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Every skipped test says why: the reasons recorded in the test results, counted.
python3 - "$results" <<'PY'
import collections, glob, sys, xml.etree.ElementTree as et
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
reasons = collections.Counter()
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    for result in et.parse(trx).getroot().iterfind(".//t:UnitTestResult[@outcome='NotExecuted']", ns):
        reasons[result.findtext(".//t:Message", "no reason given", ns).strip()] += 1
for reason, count in reasons.items():
    print(f"skipped {count}: {reason}")
PY
awk '/^(Passed|Failed)! +- /{
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -rf "$log" "$results"
exit "$status"
