#!/usr/bin/env bash
# Installs the system packages rapporteur needs, when they are missing:
#   cmake, clang, libclang-dev  build whisper.cpp (through whisper-rs)
#   ffmpeg                      decodes audio/video the pure-Rust decoders don't; checks our VTT/SRT
#   espeak-ng, sox              make the speech fixtures
#   chromium, chromium-driver   browser tests of the web pages
# Idempotent: does nothing when everything is there. Uses apt-get (Debian/Ubuntu).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have cmake || need+=(cmake)
have clang || need+=(clang)
[ -n "$(ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/x86_64-linux-gnu/libclang*.so* 2>/dev/null | head -1)" ] || need+=(libclang-dev)
have ffmpeg || need+=(ffmpeg)
have espeak-ng || need+=(espeak-ng)
have sox || need+=(sox)
have pkg-config || need+=(pkg-config)
if [ "${RAPPORTEUR_BROWSER_TESTS:-1}" = 1 ]; then
  have chromium || need+=(chromium)
  have chromedriver || need+=(chromium-driver)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing system packages: ${need[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  if have sudo; then sudo="sudo"; else
    echo "setup: need root (or sudo) to install: ${need[*]}; install them and run again" >&2
    exit 1
  fi
fi
if ! have apt-get; then
  echo "setup: apt-get not found; install these packages with your system's package manager: ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
