#!/usr/bin/env bash
# Builds tokgraft and runs every test. Tests that need the shared data
# ($TOKGRAFT_DATA, made by ../shared/data/fetch) say that they are skipped
# and why when it is absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
