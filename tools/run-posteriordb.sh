#!/usr/bin/env bash
# Builds varia_posteriordb in the release preset, fits every variational family to the
# posteriordb posteriors in benchmarks/posteriordb/data with 5 seeds, plots the results and
# prints where the report is.
# Usage: tools/run-posteriordb.sh [OUTPUT_FOLDER]   (default: build/posteriordb)
# Environment: VARIA_POSTERIORDB_BUILD sets the build folder (default build/release),
# VARIA_POSTERIORDB_JOBS the number of fits run in parallel (default 2).
# Installs nothing: a missing dependency stops it with the command that installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
output=${1:-build/posteriordb}
build=${VARIA_POSTERIORDB_BUILD:-build/release}
jobs=${VARIA_POSTERIORDB_JOBS:-2}

missing=()
for program in cmake ninja g++ /usr/bin/python3; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
if [ ! -f /usr/include/nlohmann/json.hpp ] && [ ! -f /usr/local/include/nlohmann/json.hpp ]; then
  missing+=("nlohmann-json (nlohmann/json.hpp)")
fi
if ! /usr/bin/python3 -c "import numpy, matplotlib" >/dev/null 2>&1; then
  missing+=("/usr/bin/python3 with numpy and matplotlib")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "run-posteriordb: missing: ${missing[*]}" >&2
  echo "run-posteriordb: install them with: sudo tools/install-dependencies.sh" >&2
  exit 1
fi

if ! configure_output=$(cmake --preset release -B "$build" 2>&1); then
  echo "$configure_output" >&2
  echo "run-posteriordb: configuring $build failed; if a package is missing, install the" \
    "dependencies with: sudo tools/install-dependencies.sh" >&2
  exit 1
fi
cmake --build "$build" --target varia_posteriordb -j 2

start=$(date +%s)
status=0
"$build/benchmarks/posteriordb/varia_posteriordb" --data benchmarks/posteriordb/data \
  --out "$output" --seeds 5 --jobs "$jobs" || status=$?
/usr/bin/python3 tools/posteriordb_plots.py "$output" --data benchmarks/posteriordb/data || status=$?
echo "run-posteriordb: fits took $(( $(date +%s) - start )) s"
case "$output" in
  /*) echo "run-posteriordb: report: $output/report.md" ;;
  *) echo "run-posteriordb: report: $root/$output/report.md" ;;
esac
exit "$status"
