#!/usr/bin/env bash
# Configures and builds tokgraft into build/ with warnings as errors.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKGRAFT_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
