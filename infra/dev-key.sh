#!/usr/bin/env bash
# Prints the development signing key (base64, 32 random bytes) the services check bearer tokens with: Auth__SigningKey
# when set, else the key kept in $DATA/auth/signing-key (default data/), created on first use (readable by its owner only).
set -euo pipefail
if [ -n "${Auth__SigningKey:-}" ]; then echo "$Auth__SigningKey"; exit 0; fi
file="${DATA:-data}/auth/signing-key"
if [ ! -s "$file" ]; then
  mkdir -p "$(dirname "$file")"
  (umask 077; head -c 32 /dev/urandom | base64 > "$file")
  echo "created a development signing key in $file" >&2
fi
cat "$file"
