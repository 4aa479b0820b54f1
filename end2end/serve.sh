#!/usr/bin/env bash
# Starts the release build on a fresh database with the demo organisation (for Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ROOT=target/site
export ONBOARD_ADDR="127.0.0.1:${E2E_PORT:-3310}"
target/release/onboard demo >/dev/null
exec target/release/onboard serve
