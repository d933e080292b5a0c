#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, then run them:
# Debian's Chromium for the site's end-to-end tests (driven by Playwright through its
# executable path: no browser download), a virtual environment with the package and
# its test extras (ruff, mypy and import-linter among them); then ruff, mypy --strict
# and lint-imports, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'

# The static checks first, their rules in pyproject.toml: lint, strict types, and the
# import contracts (the layers, one adapter per outside library). Any finding stops here.
.venv/bin/ruff check handover tests
.venv/bin/mypy --strict handover
.venv/bin/lint-imports

exec .venv/bin/python -m pytest "$@"
