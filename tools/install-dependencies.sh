#!/usr/bin/env bash
# Installs what varia's build, tests, benchmarks and examples need from Debian 12's packages.
# Run as root (or through sudo). Packages already installed are left as they are.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang libclang-rt-14-dev clang-format
  libeigen3-dev catch2 libbenchmark-dev librandom123-dev nlohmann-json3-dev
  python3 python3-numpy python3-scipy python3-matplotlib
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-dependencies: all packages are installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-dependencies: missing packages: ${missing[*]}" >&2
  echo "install-dependencies: run this script as root, for example: sudo $0" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
