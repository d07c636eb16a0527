# scripts/apt-fetch.sh — sourced by scripts/xen.sh and scripts/xen-guest.sh.
#
# apt_fetch DIR PACKAGE... — downloads the packages' .deb files into DIR
# by name with `apt-get download`, from the machine's configured apt
# sources, running `apt-get update` first if the index lacks one of them.
# Nothing is installed.  Progress goes to stderr.
apt_fetch() {
  local dir=$1
  shift
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  # (apt's download sandbox user could not write into a private directory.)
  local get=(apt-get -q -o APT::Sandbox::User="$(id -un)" download "$@")
  if ! (cd "$dir" && "${get[@]}" >&2); then
    $sudo apt-get update -q >&2
    (cd "$dir" && "${get[@]}" >&2)
  fi
}
