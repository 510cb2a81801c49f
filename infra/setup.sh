#!/usr/bin/env bash
# Installs what the tests need on a fresh machine: on Debian as root with apt-get; elsewhere it says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
python3 -c 'import aiosmtpd' >/dev/null 2>&1 || /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# The browser test (skipped without them): Debian's Chromium driven by playwright-core (tests/Browser, pinned in its lock file).
optional=()
[ -x /usr/bin/chromium ] || optional+=(chromium)
command -v npm >/dev/null 2>&1 || optional+=(nodejs npm)

browser_packages() {
  [ -d tests/Browser/node_modules/playwright-core ] || ! command -v npm >/dev/null 2>&1 ||
    (cd tests/Browser && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "setup: npm ci in tests/Browser failed: the browser test will be reported skipped" >&2
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK 10 is missing: install it (https://dot.net) and run again." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ ${#need[@]} -gt 0 -o ${#optional[@]} -gt 0 ]; then
  need+=("${optional[@]}")
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The package's own service is not used (tests start private nodes); policy-rc.d keeps it from starting.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
elif [ ${#need[@]} -gt 0 ]; then
  echo "setup: missing ${need[*]}." >&2
  echo "  Debian/Ubuntu: sudo apt-get install ${need[*]}" >&2
  echo "  elsewhere: install RabbitMQ 3.10+ (rabbitmq-server on PATH), Python's aiosmtpd, docker-compose, Chromium, Node.js;" >&2
  echo "  or point the tests at servers you run: RABBITMQ_URL=amqp://user:pass@host:5672/" >&2
  exit 1
elif [ ${#optional[@]} -gt 0 ]; then
  echo "setup: without ${optional[*]} the browser test is reported skipped (Debian: sudo apt-get install ${optional[*]})." >&2
fi
browser_packages
