#!/usr/bin/env bash
# scripts/xen.sh — the real Xen that `xbeam run --vmm xen-dom0` boots
# images under: Debian's Xen 4.17 hypervisor, from its package.
#
# Out: on stdout, the path of the hypervisor as an ELF that QEMU's -kernel
# takes (the package's xen.gz, gunzipped), under .cache/xen/ (outside git;
# a second run prints it at once).  The package is fetched by name with
# `apt-get download` from the machine's configured apt sources (after an
# `apt-get update` if the index lacks it).  Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=xen-hypervisor-4.17-amd64
cache=.cache/xen
if [[ -f "$cache/done" && -f "$cache/xen.elf" ]]; then
  echo "$PWD/$cache/xen.elf"
  exit 0
fi

source scripts/apt-fetch.sh
mkdir -p "$cache"
work=$(mktemp -d "$PWD/$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "xen: fetching $pkg" >&2
apt_fetch "$work" "$pkg"
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/root"
gz=$(ls "$work"/root/boot/xen-*.gz | head -1)
gunzip -c "$gz" > "$cache/xen.elf"
dpkg-deb -f "$deb" Package Version > "$cache/done"
echo "$PWD/$cache/xen.elf"
