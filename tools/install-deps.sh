#!/usr/bin/env bash
# Installs the Debian 12 packages tokgraft builds and tests with. Idempotent:
# installs only what is missing, so it is cheap to run every time.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libabsl-dev libicu-dev libpcre2-dev libsimdjson-dev libsentencepiece-dev libeigen3-dev
  libgtest-dev googletest
  libhunspell-dev
  # Dictionaries for tokgraft stats' word validity (one per corpus language
  # that has one), and a browser to render its report in a test.
  hunspell-en-us hunspell-de-de hunspell-fr hunspell-es hunspell-it hunspell-pt-pt
  hunspell-ru hunspell-pl hunspell-nl
  chromium
  sentencepiece python3 python3-numpy time libopenblas-openmp-dev
  # The LP solver of tokgraft mixture.
  coinor-libclp-dev
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# Node runs the reference tokenizer (../shared/oracle). Some images ship a
# nodejs that bundles npm and conflicts with Debian's npm package: go by the
# commands, not the package names.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
