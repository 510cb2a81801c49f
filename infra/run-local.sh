#!/usr/bin/env bash
# `make run-local`: the Aspire app host (services/AppHost) runs the three services as processes over one RabbitMQ
# (RABBITMQ_URL if set, else a private local node) with the Aspire dashboard: each resource's state and health, console
# and structured logs, traces, metrics. Ctrl-C or TERM stops the app host and everything it started. No Docker needed.
# Ports: dashboard 18888 (OTLP 18889 gRPC, 18890 HTTP), command 5081, query 5082, notification 5083.
set -euo pipefail
cd "$(dirname "$0")/.."
ui=${DASHBOARD_PORT:-18888}; grpc=${DASHBOARD_OTLP_GRPC_PORT:-18889}; http=${DASHBOARD_OTLP_HTTP_PORT:-18890}
dotnet build -c Release --nologo -v q services/AppHost/AppHost.csproj > /dev/null

export DOTNET_ENVIRONMENT=Development DATA="${DATA:-$PWD/data}" \
       ASPNETCORE_URLS="http://127.0.0.1:$ui" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$grpc" \
       ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$http" \
       ASPIRE_ALLOW_UNSECURED_TRANSPORT=true ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true
# Bearer tokens: `make token` mints them for this key (the app host hands it to the three services).
export Auth__SigningKey=${Auth__SigningKey:-$(infra/dev-key.sh)}
cat <<TEXT
Aspire dashboard: http://127.0.0.1:$ui (resources and their health, logs, traces, metrics)
  command service      http://127.0.0.1:5081  API page http://127.0.0.1:5081/scalar/v1
  query service        http://127.0.0.1:5082  API page http://127.0.0.1:5082/scalar/v1
  notification service http://127.0.0.1:5083  API page http://127.0.0.1:5083/scalar/v1
  data                 $DATA/local (sent mail: notification/outbox)
  broker               ${RABBITMQ_URL:-a private RabbitMQ node (resource "rabbitmq")}
  CONTAINERS=1         RabbitMQ, EventStoreDB, MongoDB, Mailpit as containers instead (needs Docker): ${CONTAINERS:-off}
  token                TOKEN=$(make -s token)  (then: curl -H "Authorization: Bearer $TOKEN" ...)
Ctrl-C stops it all.
TEXT
exec dotnet services/AppHost/bin/Release/net10.0/AppHost.dll
