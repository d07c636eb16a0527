#!/usr/bin/env bash
# scripts/xen-guest.sh — what `xbeam run --vmm xen-guest` boots besides
# Xen itself: Debian's Linux as Xen's dom0, with an initramfs that carries
# Xen's toolstack (xl, xenstored, xenconsoled, xen-init-dom0) and starts
# the image as a PVH guest domain (xen-boot/guest-init.sh is its /init).
#
# Out: on stdout, the directory (under .cache/xen/guest/, outside git; a
# second run prints it at once) holding
#   vmlinux         the dom0 kernel, uncompressed (Xen takes 2.8 s to
#                   decompress the xz bzImage under TCG)
#   initrd.cpio.gz  busybox, the toolstack with its libraries, the Xen
#                   kernel modules, /init
#   version         the packages it was made from
# Packages are fetched by name with `apt-get download` from the machine's
# apt sources (after an `apt-get update` if the index lacks them); the C
# library and the few other libraries the tools need come from this
# (Debian 12, amd64) machine.  Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=.cache/xen/guest
init=xen-boot/guest-init.sh
if [[ -f "$cache/done" && "$cache/done" -nt "$init" && "$cache/done" -nt "$0" && "$cache/done" -nt scripts/apt-fetch.sh ]]; then
  echo "$PWD/$cache"
  exit 0
fi

source scripts/apt-fetch.sh
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -1
}
kernel=$(kernel_package)
if [[ -z "$kernel" ]]; then      # an apt index never updated on this machine
  if [[ $(id -u) -ne 0 ]]; then sudo apt-get update -q >&2; else apt-get update -q >&2; fi
  kernel=$(kernel_package)
fi
if [[ -z "$kernel" ]]; then
  echo "xen-guest: apt knows no linux-image-amd64" >&2
  exit 1
fi
kver=${kernel#linux-image-}
pkgs=(xen-utils-4.17 libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17
      libxenstore4 libxentoollog1 libxentoolcore1 libxenhypfs1 libxendevicemodel1 libyajl2
      busybox-static "$kernel")

mkdir -p "$cache"
work=$(mktemp -d "$PWD/$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "xen-guest: fetching ${pkgs[*]}" >&2
apt_fetch "$work" "${pkgs[@]}"
root="$work/root"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$root"; done

# The kernel: the xz stream inside the bzImage, decompressed.
vmlinuz="$root/boot/vmlinuz-$kver"
offset=$(grep -abo $'\xfd7zXZ' "$vmlinuz" | head -1 | cut -d: -f1)
tail -c +$((offset + 1)) "$vmlinuz" | xz -dc 2>/dev/null > "$cache/vmlinux.new" || true
if ! head -c 4 "$cache/vmlinux.new" | grep -q $'\x7fELF'; then
  echo "xen-guest: no xz-compressed ELF kernel in $vmlinuz" >&2
  exit 1
fi
mv "$cache/vmlinux.new" "$cache/vmlinux"

# The initramfs tree.
fs="$work/initrd"
mkdir -p "$fs"/{bin,sbin,dev,proc,sys,tmp,etc/xen,lib/modules,lib64,lib/x86_64-linux-gnu}
mkdir -p "$fs"/var/{run/xen,run/xenstored,lib/xen,lib/xenstored,log/xen,lock} "$fs/run"
: > "$fs/etc/xen/xl.conf"                       # xl's defaults are right
cp "$root/bin/busybox" "$fs/bin/busybox"
xenbin="$root/usr/lib/xen-4.17/bin"
mkdir -p "$fs/usr/lib/xen-4.17/bin"     # where libxl looks for xenconsole
for tool in xl xenstored xenconsoled xen-init-dom0 xenconsole; do cp "$xenbin/$tool" "$fs/usr/lib/xen-4.17/bin/"; done
cp -a "$root"/usr/lib/x86_64-linux-gnu/lib*.so* "$fs/lib/x86_64-linux-gnu/"
# The libraries outside Xen's packages, as the loader resolves them here.
for tool in xl xenstored xenconsoled xen-init-dom0 xenconsole; do
  LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" ldd "$xenbin/$tool"
done | awk '$2 == "=>" && $3 ~ /^\/lib|^\/usr\/lib/ && $3 !~ /libxen|libxl|libyajl/ { print $3 }' | sort -u |
  while read -r lib; do cp -L "$lib" "$fs/lib/x86_64-linux-gnu/"; done
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$fs/lib/x86_64-linux-gnu/"   # (dlopened for thread cancellation)
cp -L /lib64/ld-linux-x86-64.so.2 "$fs/lib64/"
moddir="$root/lib/modules/$kver/kernel/drivers/xen"
for m in xen-evtchn.ko xenfs/xenfs.ko xen-privcmd.ko xen-gntdev.ko xen-gntalloc.ko; do
  cp "$moddir/$m" "$fs/lib/modules/"
done
cp "$init" "$fs/init"
chmod +x "$fs/init"
(cd "$fs" && find . | sort | "$root/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$cache/initrd.cpio.gz"
# Padded with NULs to a multiple of 4 bytes: Linux reads an archive
# appended after it (the run's /guest/) only from such a boundary.
pad=$(( (4 - $(stat -c %s "$cache/initrd.cpio.gz") % 4) % 4 ))
head -c "$pad" /dev/zero >> "$cache/initrd.cpio.gz"
for deb in "$work"/*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done > "$cache/version"
touch "$cache/done"
echo "$PWD/$cache"
