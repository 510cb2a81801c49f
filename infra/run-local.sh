#!/usr/bin/env bash
# The three services as three processes over a real RabbitMQ: RABBITMQ_URL if set, else a private local node.
# Ctrl-C stops the services and the node. Ports: command 5081, query 5082, notification 5083.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-data}
pids=()
node_dir=""
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$node_dir" ] || infra/rabbitmq-node.sh stop "$node_dir"
  echo "stopped"
}
trap cleanup INT TERM EXIT

for p in services/CommandService services/QueryService services/NotificationService; do dotnet build -c Release --nologo -v q "$p" > /dev/null; done

if [ -z "${RABBITMQ_URL:-}" ]; then
  node=$(infra/rabbitmq-node.sh start)
  RABBITMQ_URL=$(sed 's/^AMQP_URL=\([^ ]*\).*/\1/' <<< "$node")
  node_dir=$(sed 's/.*DIR=//' <<< "$node")
  echo "RabbitMQ: private node at $RABBITMQ_URL (data in $node_dir)"
fi
export ConnectionStrings__rabbitmq="$RABBITMQ_URL"
export Auth__SigningKey=${Auth__SigningKey:-$(infra/dev-key.sh)} # bearer tokens: `make token` mints them for this key

start() { # name project port
  ASPNETCORE_ENVIRONMENT=Development dotnet "services/$2/bin/Release/net10.0/$2.dll" --urls "http://127.0.0.1:$3" \
    --contentRoot "$PWD/services/$2" "${@:4}" &
  pids+=($!)
  echo "$1 service: http://127.0.0.1:$3"
}
start command CommandService 5081 --EventStore:SqlitePath="$DATA/local/command/events.db"
start query QueryService 5082 --Query:SqlitePath="$DATA/local/query/views.db"
start notification NotificationService 5083 --Notifications:SqlitePath="$DATA/local/notification/notifications.db" \
  --Notifications:PickupDirectory="$DATA/local/notification/outbox"
echo "try: TOKEN=\$(make -s token); curl -s -X POST http://127.0.0.1:5081/users -H \"Authorization: Bearer \$TOKEN\" -H 'Content-Type: application/json' -d '{\"email\":\"ada@example.org\",\"displayName\":\"Ada\"}'"
wait -n "${pids[@]}"
