#!/usr/bin/env bash
# Starts the release build on a fresh database with the demo organisation (for Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ROOT=target/site
export ONBOARD_ADDR="127.0.0.1:${E2E_PORT:-3310}"
# Sign-in with the identity provider Playwright starts beside the app (see playwright.config.ts).
export ONBOARD_OIDC_ISSUER="http://127.0.0.1:${E2E_OIDC_PORT:-3311}"
export ONBOARD_OIDC_CLIENT_ID=onboard-e2e
export ONBOARD_OIDC_CLIENT_SECRET=onboard-e2e-secret
export ONBOARD_OIDC_NAME="Acme ID"
target/release/onboard demo >/dev/null
exec target/release/onboard serve
