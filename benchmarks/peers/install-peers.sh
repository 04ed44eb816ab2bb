#!/usr/bin/env bash
# Installs what the peer benchmarks (`dotnet cake --target=Bench --bench=peers`) need into Debian's own python
# (/usr/bin/python3; a pyenv python3 earlier on PATH lacks these packages): PyTorch, SciPy (with numpy),
# threadpoolctl (to report which BLAS each peer loaded) and the pthread OpenBLAS, without which numpy and torch
# run on the slow reference BLAS (libblas3). Idempotent; sudo only when not root; apt waits for the lock.
set -euo pipefail

log() { printf '[install-peers] %s\n' "$*"; }

PY=/usr/bin/python3
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

wanted=(python3-torch python3-scipy python3-numpy libopenblas0-pthread)
optional=(python3-threadpoolctl)
missing=()
for p in "${wanted[@]}" "${optional[@]}"; do have_pkg "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  log "python3-torch, python3-scipy, python3-threadpoolctl and libopenblas0-pthread are installed; nothing to do."
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: run this script as root (missing: ${missing[*]})."; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -o DPkg::Lock::Timeout=300"
log "apt-get update"
$APT update -qq
# threadpoolctl only reports; install it when the archive serves it, carry on without it otherwise.
install=()
for p in "${missing[@]}"; do
  if [[ " ${optional[*]} " == *" $p "* ]] && [ -z "$(apt-cache policy "$p" 2>/dev/null | grep -F 'Candidate:' | grep -v '(none)' || true)" ]; then
    log "$p is not served here: BLAS reports will come from numpy/torch alone."
    continue
  fi
  install+=("$p")
done
log "installing ${install[*]} (PyTorch is several hundred MB; a few minutes)"
$APT install -y -qq --no-install-recommends "${install[@]}" >/dev/null
$PY -c 'import numpy, scipy, torch' || { log "installed, but $PY cannot import numpy, scipy and torch"; exit 1; }
log "done"
