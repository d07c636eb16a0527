#!/bin/busybox sh
# xen-boot/guest-init.sh — /init of the Linux dom0 that runs an xbeam image
# as a Xen PVH guest domain (`xbeam run --vmm xen-guest`; scripts/xen-guest.sh
# puts this in the initramfs, loader/vmm.ts appends /guest/ to it).
#
# In:  /guest/image.elf (the image), /guest/guest.cfg (its xl config).
# Out: the guest's console (its stdout: the PV console ring, served by
#      xenconsoled) on the dom0's second serial port, ttyS1, and nothing
#      else there; progress lines "xbeam-dom0: ..." with the dom0's
#      monotonic time on the first serial console (Xen's, through hvc0).
#      When the guest is gone: reboot, which ends Xen and so QEMU.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/lib/xen-4.17/bin
say() { echo "xbeam-dom0: $(cut -d' ' -f1 /proc/uptime) $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts           # xenconsoled gives each guest a pty
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do   # (xenfs needs privcmd)
  insmod /lib/modules/$m.ko || say "insmod $m failed"
done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /var/run/xenstored.pid
xen-init-dom0 >/dev/null
xenconsoled --pid-file=/var/run/xenconsoled.pid
stty -F /dev/ttyS1 raw -echo 115200
say "toolstack up"

say "xl create"
# Created paused, so that the console client is there from the guest's
# first byte; its stdin must be a terminal (it sets it raw).
if xl create -p /guest/guest.cfg >/tmp/xl.log 2>&1; then
  xl console xbeam </dev/ttyS1 >/dev/ttyS1 2>/tmp/console.log &
  console=$!
  sleep 0.2
  say "unpause"
  xl unpause xbeam
  wait $console    # the console client returns when the domain is gone
  say "guest console closed"
  [ -s /tmp/console.log ] && cat /tmp/console.log
else
  say "xl create failed:"
  cat /tmp/xl.log
fi
# Until xl says the domain is gone (its output drained first).
while xl list xbeam >/dev/null 2>&1; do sleep 0.05; done
say "guest gone"
reboot -f
