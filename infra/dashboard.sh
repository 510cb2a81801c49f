#!/usr/bin/env bash
# The Aspire dashboard, standalone: the self-contained binary of the NuGet package Aspire.Dashboard.Sdk.linux-x64 (restored
# into the NuGet cache with the app host project), on 127.0.0.1 in unsecured dev mode (no login, no API key).
#   infra/dashboard.sh run    in the foreground until Ctrl-C: UI + telemetry API on :18888, OTLP gRPC :18889, HTTP :18890
#   infra/dashboard.sh path   prints the binary's path (restores the package first when it is missing)
#   infra/dashboard.sh up     exits 0 when a dashboard answers on the OTLP gRPC port
# Ports: DASHBOARD_PORT, DASHBOARD_OTLP_GRPC_PORT, DASHBOARD_OTLP_HTTP_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
version=13.6.5
ui=${DASHBOARD_PORT:-18888}; grpc=${DASHBOARD_OTLP_GRPC_PORT:-18889}; http=${DASHBOARD_OTLP_HTTP_PORT:-18890}

binary() {
  local cache
  cache=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
  local bin="${cache%/}/aspire.dashboard.sdk.linux-x64/$version/tools/Aspire.Dashboard"
  if [ ! -x "$bin" ]; then
    dotnet restore services/AppHost/AppHost.csproj --nologo -v q >&2
  fi
  [ -x "$bin" ] || { echo "no dashboard binary at $bin (linux-x64 only)" >&2; exit 1; }
  echo "$bin"
}

case "${1:-run}" in
path) binary ;;
up) (exec 3<>"/dev/tcp/127.0.0.1/$grpc") 2>/dev/null ;;
run)
  bin=$(binary)
  echo "Aspire dashboard: http://127.0.0.1:$ui (traces, structured logs, metrics; API /api/telemetry/{traces,spans,logs})"
  echo "  OTLP: gRPC http://127.0.0.1:$grpc, HTTP http://127.0.0.1:$http. Now \`make run\` in another terminal exports to it. Ctrl-C stops it."
  export ASPNETCORE_URLS="http://127.0.0.1:$ui" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$grpc" \
         ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$http" ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
         ASPIRE_DASHBOARD_API_ENABLED=true Logging__LogLevel__Default=Warning
  exec "$bin"
  ;;
*) echo "usage: $0 run | path | up" >&2; exit 2 ;;
esac
