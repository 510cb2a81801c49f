#!/usr/bin/env bash
# Starts a private RabbitMQ node from the locally installed rabbitmq-server: 127.0.0.1 only, free ports, its data in a
# temp folder, its own epmd. Prints `AMQP_URL=... PID=... DIR=...` once the node accepts connections.
#   infra/rabbitmq-node.sh start         start and print
#   infra/rabbitmq-node.sh stop DIR      stop the node started with that folder (by the process ids it recorded)
#   infra/rabbitmq-node.sh run           in the foreground on AMQP_PORT (else a free port) until TERM/INT, then stopped
#                                        and its folder removed (the app host's executable resource)
set -euo pipefail

bin=/usr/lib/rabbitmq/bin
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

case "${1:-}" in
start|run)
  [ -x "$bin/rabbitmq-server" ] || { echo "rabbitmq-server is not installed: apt-get install rabbitmq-server (or set RABBITMQ_URL)" >&2; exit 1; }
  dir=$(mktemp -d -t rabbitmq-node-XXXXXX)
  amqp=${AMQP_PORT:-$(free_port)}; dist=$(free_port); epmd=$(free_port)
  mkdir -p "$dir/mnesia" "$dir/log"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp
loopback_users.guest = true
log.console = false
log.file.level = warning
CONF
  : > "$dir/enabled_plugins"
  export HOME="$dir" RABBITMQ_NODENAME="local-$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" \
         RABBITMQ_DIST_PORT="$dist" ERL_EPMD_PORT="$epmd" ERL_EPMD_ADDRESS=127.0.0.1 \
         RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
         RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  env | grep -E '^(HOME|RABBITMQ_|ERL_EPMD)' | sed 's/^/export /' > "$dir/env"
  if [ "$1" = run ]; then
    trap '"$0" stop "$dir"; exit 0' TERM INT
    setsid bash -c 'epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 & sleep 0.2; exec "$0"' "$bin/rabbitmq-server" < /dev/null &
    echo $! > "$dir/server.pid"
    echo "RabbitMQ node: amqp://guest:guest@127.0.0.1:$amqp/ (data in $dir)"
    wait $! || true
    "$0" stop "$dir"
    exit 1
  fi
  # epmd runs in the foreground of the node's own process group (not as a daemon), so stopping the group stops it.
  setsid bash -c 'epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 & sleep 0.2; exec "$0"' "$bin/rabbitmq-server" \
    > "$dir/log/stdout.log" 2>&1 < /dev/null &
  echo $! > "$dir/server.pid"
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$amqp") 2>/dev/null; then
      echo "AMQP_URL=amqp://guest:guest@127.0.0.1:$amqp/ PID=$(cat "$dir/server.pid") DIR=$dir"
      exit 0
    fi
    kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { cat "$dir/log/stdout.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "RabbitMQ did not accept connections within 30 s; see $dir/log" >&2
  exit 1
  ;;
stop)
  dir=${2:?the folder printed by start}
  # The session leader we started, its children (beam, the node's epmd): all by process id, none by name.
  if [ -f "$dir/server.pid" ]; then
    pid=$(cat "$dir/server.pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
