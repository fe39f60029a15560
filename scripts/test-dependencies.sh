#!/usr/bin/env bash
# Run by `npm test` before the suite (pretest): finds, or installs from Debian, what the tests
# drive besides npm packages. Chromium runs GraphiQL and the CORS checks (never a downloaded
# browser build), boto3 is an independent AWS client of the simulators, redis-server backs the
# shared-cache tests. Installing needs root, or sudo without a password.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: chromium, python3-boto3 and redis-server are installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "test dependencies: ${missing[*]} missing; install them as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "test dependencies: installing ${missing[*]} with apt-get (Debian packages)..."
# Through env, past sudo's env_reset: tzdata (pulled in by python3-boto3) would otherwise ask for a
# time zone and wait.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "test dependencies: installed ${missing[*]}"
