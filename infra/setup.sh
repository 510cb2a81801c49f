#!/usr/bin/env bash
# Installs what the tests need on a fresh machine: on Debian as root with apt-get; elsewhere it says what to install.
set -euo pipefail

need=()
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
python3 -c 'import aiosmtpd' >/dev/null 2>&1 || /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK 10 is missing: install it (https://dot.net) and run again." >&2
  exit 1
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The package's own service is not used (tests start private nodes); policy-rc.d keeps it from starting.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
else
  echo "setup: missing ${need[*]}." >&2
  echo "  Debian/Ubuntu: sudo apt-get install ${need[*]}" >&2
  echo "  elsewhere: install RabbitMQ 3.10+ (rabbitmq-server on PATH), Python's aiosmtpd, docker-compose;" >&2
  echo "  or point the tests at servers you run: RABBITMQ_URL=amqp://user:pass@host:5672/" >&2
  exit 1
fi
