#!/usr/bin/env bash
# Configures an optimized build, then builds and runs every program in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset test >/dev/null
cmake --build --preset test --target varia_run_examples
