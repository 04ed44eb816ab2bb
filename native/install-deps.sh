#!/usr/bin/env bash
# Installs Pbgd's native dependencies: Intel MKL (libmkl_rt.so, from Debian's non-free component), a
# libiomp5.so for MKL's default Intel-OpenMP threading layer (LLVM's libomp-dev provides a compatible one), and
# Open MPI (openmpi-bin: mpirun; libopenmpi-dev: libmpi.so) for data-parallel runs (pbgd hyperclean --mpi).
# Idempotent: does nothing when every library is already loadable. Uses sudo only when not root.
# See docs/environment.md for why these packages and why this way.
set -euo pipefail

log() { printf '[install-deps] %s\n' "$*"; }

# ldconfig's cache lists sonames only (libiomp5.so is an unversioned link to libomp.so), so also look in
# the directories the dynamic loader searches by default.
have_lib() {
  local d
  for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /usr/lib /usr/local/lib; do
    [ -e "$d/$1" ] && return 0
  done
  # grep without -q: with pipefail, -q would close the pipe early and fail the pipeline on SIGPIPE.
  [ -n "$(ldconfig -p 2>/dev/null | grep -F "$1 " || true)" ]
}

have_mpi() { have_lib libmpi.so.40 && command -v mpirun >/dev/null 2>&1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

# Open MPI: in Debian's and Ubuntu's main archives, so no extra component is needed.
install_mpi() {
  if have_mpi; then log "Open MPI (libmpi.so.40, mpirun) is already installed."; return 0; fi
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then log "not root and no sudo: cannot install Open MPI."; return 1; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get: install Open MPI yourself (openmpi-bin and its libmpi.so.40), or set PBGD_MPI_PATH to libmpi.so."
    return 1
  fi
  log "installing openmpi-bin libopenmpi-dev (Open MPI, for pbgd hyperclean --mpi)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends openmpi-bin libopenmpi-dev >/dev/null
  $SUDO ldconfig
  if have_mpi; then log "Open MPI ready: $(mpirun --version 2>/dev/null | head -n1)"; else log "installed, but libmpi.so.40 or mpirun is still missing"; return 1; fi
}

if [ -n "${PBGD_MKL_PATH:-}" ] && [ -f "${PBGD_MKL_PATH}" ] || { have_lib libmkl_rt.so && have_lib libiomp5.so; }; then
  log "libmkl_rt.so and libiomp5.so are already installed."
  install_mpi
  exit $?
fi

if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
  log "not root and no sudo: run this script as root."; exit 1
fi

. /etc/os-release 2>/dev/null || true
case "${ID:-unknown}" in
  debian)
    # Enable 'non-free' next to the machine's own Debian entry (same URIs/Suites/Signed-By, read now:
    # never hard-code a mirror host).
    src=/etc/apt/sources.list.d/debian.sources
    target=/etc/apt/sources.list.d/pbgd-non-free.sources
    if [ ! -f "$target" ]; then
      if [ -f "$src" ]; then
        # First deb822 stanza that is the main archive (not security): copy its fields.
        awk -v RS='' '/URIs:/ && !/security/ {print; exit}' "$src" \
          | grep -E '^(Types|URIs|Suites|Signed-By):' > /tmp/pbgd-stanza.$$ || true
        if ! grep -q '^URIs:' /tmp/pbgd-stanza.$$; then
          log "could not read the Debian entry in $src"; rm -f /tmp/pbgd-stanza.$$; exit 1; fi
        { cat /tmp/pbgd-stanza.$$; echo "Components: non-free"; } | $SUDO tee "$target" >/dev/null
        rm -f /tmp/pbgd-stanza.$$
      elif [ -f /etc/apt/sources.list ] && grep -qE '^deb .*debian' /etc/apt/sources.list; then
        line=$(grep -E '^deb [^ ]*debian[^ ]* [a-z]+ ' /etc/apt/sources.list | grep -v security | head -n1)
        set -- $line
        echo "deb $2 $3 non-free" | $SUDO tee /etc/apt/sources.list.d/pbgd-non-free.list >/dev/null
      else
        log "no Debian apt source found to extend with 'non-free'."; exit 1
      fi
      log "enabled the non-free component in $target"
    fi
    ;;
  ubuntu)
    $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y software-properties-common >/dev/null
    $SUDO add-apt-repository -y multiverse
    ;;
  *)
    cat <<'MSG'
[install-deps] This script supports Debian and Ubuntu. Elsewhere, install Intel oneMKL yourself
(https://www.intel.com/content/www/us/en/developer/tools/oneapi/onemkl.html, or your distribution's
package), then either put libmkl_rt.so on the loader path (ldconfig) or point Pbgd at it with
  export PBGD_MKL_PATH=/path/to/libmkl_rt.so
MKL's default threading layer also needs libiomp5.so (Intel OpenMP, or LLVM's libomp).
MSG
    exit 1
    ;;
esac

export DEBIAN_FRONTEND=noninteractive
# libmkl-rt asks whether to make MKL the system BLAS/LAPACK: answer 'no' and leave the default alone.
echo "libmkl-rt libmkl-rt/use-as-default-blas-lapack boolean false" | $SUDO debconf-set-selections
APT="$SUDO apt-get -o DPkg::Lock::Timeout=300"
log "apt-get update"
$APT update -qq
log "installing libmkl-rt libomp-dev (about 800 MB; a few minutes)"
$APT install -y -qq --no-install-recommends libmkl-rt libomp-dev >/dev/null
$SUDO ldconfig
if have_lib libmkl_rt.so && have_lib libiomp5.so; then
  log "done: $(ldconfig -p | grep -m1 'libmkl_rt\.so' | sed 's/.*=> //')"
else
  log "installed, but libmkl_rt.so or libiomp5.so is still not on the loader path"; exit 1
fi
install_mpi
