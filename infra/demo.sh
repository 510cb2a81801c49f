#!/usr/bin/env bash
# A guided tour against whichever mode is running:
#   infra/demo.sh                                   make run            (all on http://127.0.0.1:5080)
#   infra/demo.sh URL                               one process elsewhere
#   infra/demo.sh CMD_URL QUERY_URL NOTIFY_URL      make run-local (5081 5082 5083) or docker compose
# or COMMAND_URL / QUERY_URL / NOTIFICATION_URL in the environment. Tokens are minted for the development key
# (Auth__SigningKey, else data/auth/signing-key; for the compose stack: Auth__SigningKey=<AUTH_SIGNING_KEY from .env>).
set -euo pipefail
cd "$(dirname "$0")/.."
command_url=${1:-${COMMAND_URL:-http://127.0.0.1:5080}}
query_url=${2:-${QUERY_URL:-$command_url}}
notification_url=${3:-${NOTIFICATION_URL:-$query_url}}

export Auth__SigningKey=${Auth__SigningKey:-$(infra/dev-key.sh)}
mint() { dotnet services/SingleProcessHost/bin/Release/net10.0/SingleProcessHost.dll token "$@"; } # scopes [sub]
TOKEN=${TOKEN:-$(mint "accounts.read accounts.write accounts.admin")}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
curl() { command curl -H "Authorization: Bearer $TOKEN" "$@"; }
post() { curl -fsS -X POST "$command_url$1" -H 'Content-Type: application/json' -d "$2"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

curl -fsS "$command_url/health/ready" > /dev/null || { echo "Nothing answers at $command_url: start it with 'make run' (or pass the URLs)." >&2; exit 1; }
suffix=$(date +%s%N | tail -c 7)

step "Register two users (command service: $command_url)"
ada=$(post /users "{\"email\":\"ada.$suffix@example.org\",\"displayName\":\"Ada Lovelace\"}" | json 'd["id"]')
grace=$(post /users "{\"email\":\"grace.$suffix@example.org\",\"displayName\":\"Grace Hopper\"}" | json 'd["id"]')
echo "Ada   $ada"
echo "Grace $grace"

step "Change them: Ada's e-mail, Grace's name, then Grace leaves and comes back"
v=$(post "/users/$ada/email" "{\"email\":\"countess.$suffix@example.org\"}" | json 'd["version"]'); echo "Ada at version $v"
post "/users/$grace/name" '{"displayName":"Rear Admiral Grace Hopper"}' > /dev/null
post "/users/$grace/deactivate" '{"reason":"retired"}' > /dev/null
g=$(post "/users/$grace/reactivate" '{}' | json 'd["version"]'); echo "Grace at version $g"

step "A rule at work: Grace may not take Ada's address"
curl -sS -X POST "$command_url/users/$grace/email" -H 'Content-Type: application/json' \
  -d "{\"email\":\"countess.$suffix@example.org\"}" | json '"%s %s: %s" % (d["status"], d["type"], d["detail"])'

step "Read your writes (query service: $query_url): wait until the view has Ada's version $v"
start=$(date +%s%N)
view=$(curl -fsS "$query_url/users/$ada?minVersion=$v")
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
json '"%s <%s> %s, version %s" % (d["displayName"], d["email"], d["status"], d["version"])' <<< "$view"
echo "answered in $elapsed ms (the query waits server-side until its view reached version $v)"
curl -fsS "$query_url/users/$grace?minVersion=$g" | json '"%s <%s> %s, version %s" % (d["displayName"], d["email"], d["status"], d["version"])'

step "Time travel (command service): Grace as she was at version 1, and now"
curl -fsS "$command_url/users/$grace/state?version=1" | json '"v%s: %s, %s" % (d["version"], d["displayName"], d["status"])'
curl -fsS "$command_url/users/$grace/state" | json '"v%s: %s, %s" % (d["version"], d["displayName"], d["status"])'
echo "history: $(curl -fsS "$command_url/users/$grace/history" | json '", ".join(e["type"] for e in d)')"

step "Self-service: a token whose sub is Ada's id (no scopes) reads Ada's state, not Grace's"
ada_token=$(mint "" "$ada")
TOKEN=$ada_token curl -fsS "$command_url/users/$ada/state" | json '"own state: v%s %s" % (d["version"], d["status"])'
echo "Grace's state with Ada's token: HTTP $(TOKEN=$ada_token curl -s -o /dev/null -w '%{http_code}' "$command_url/users/$grace/state")"
echo "without a token: HTTP $(command curl -s -o /dev/null -w '%{http_code}' "$command_url/users/$ada/state")"

step "Directory and counts"
curl -fsS "$query_url/users?search=countess.$suffix" | json '"search countess.*: " + ", ".join(u["displayName"] for u in d["items"])'
curl -fsS "$query_url/stats" | json '"active %s, deactivated %s" % (d["active"], d["deactivated"])'

step "Notifications (notification service: $notification_url)"
sleep 1
curl -fsS "$notification_url/users/$ada/notifications" | json '"\n".join("%-8s %-14s to %s" % (n["state"], n["kind"], n["recipient"]) for n in d)'

step "Forget Grace (erasure): her key is destroyed, her view goes, her address is free again"
curl -fsS -X DELETE "$command_url/users/$grace" | json '"erased at version %s" % d["version"]'
curl -fsS "$command_url/users/$grace/state" | json '"state now: %s <%s> %s" % (d["displayName"], d["email"], d["status"])'
for _ in 1 2 3 4 5 6 7 8 9 10; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$query_url/users/$grace"); [ "$code" = 404 ] && break; sleep 0.2
done
echo "query service: GET /users/{grace} -> HTTP $code"
post /users "{\"email\":\"grace.$suffix@example.org\",\"displayName\":\"Another Grace\"}" | json '"the address registers again: %s" % d["id"]'

step "Traces"
echo "With OTEL_EXPORTER_OTLP_ENDPOINT set (docker compose sets it), open Jaeger at http://localhost:16686, pick"
echo "service command-service and find the trace of 'POST /users': it spans all three services."
