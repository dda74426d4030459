#!/usr/bin/env bash
# The README's test command (`npm test`). Installs the system packages the tests drive for real
# (Chromium for the GraphiQL browser test, redis-server for the shared-budget tests, which start their
# own server on a free loopback port) when they are missing, then runs every vitest project.
# Extra arguments go to vitest, e.g. `npm test -- test/unit`.
set -euo pipefail
need=()
if [ ! -x /usr/bin/chromium ] && [ "${SKIP_BROWSER_TESTS:-}" != 1 ]; then need+=(chromium); fi
if [ ! -x "${REDIS_SERVER_BIN:-/usr/bin/redis-server}" ]; then need+=(redis-server); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test prerequisites missing, installing with apt-get: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "the tests need: ${need[*]}. Install with: sudo apt-get install -y ${need[*]}" >&2
    echo "(or set SKIP_BROWSER_TESTS=1 to skip the browser test)" >&2
    exit 1
  fi
fi
exec npx vitest run "$@"
