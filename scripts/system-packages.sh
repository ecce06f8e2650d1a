#!/usr/bin/env bash
# Install the Debian packages Navis needs, skipping those already installed.
# Usage: scripts/system-packages.sh run|test|bench
set -euo pipefail

# clamav-daemon scans every upload; clamdscan is its client, used by scripts/clamd.sh to ping it.
# Tesseract reads scanned records (optional for the pipeline, but a patient's scans deserve it).
run_packages=(libmagic1 clamav-daemon clamdscan tesseract-ocr tesseract-ocr-eng)
# Tests also drive a real browser, restart a redis-server of their own (the pipeline's faults), and install
# axe-core with npm (package.json). Node's own packages bring npm with them: Debian's only when it is missing.
test_packages=("${run_packages[@]}" chromium chromium-driver redis-server nodejs)
command -v npm >/dev/null || test_packages+=(npm)
# Benchmarks load the server with wrk.
bench_packages=("${run_packages[@]}" wrk)

case "${1:-run}" in
  run) wanted=("${run_packages[@]}") ;;
  test) wanted=("${test_packages[@]}") ;;
  bench) wanted=("${bench_packages[@]}") ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Navis needs these Debian packages, and this machine has no apt-get: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
