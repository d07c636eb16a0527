#!/usr/bin/env bash
# scripts/otp-source.sh — OTP's source tree, the same release as the
# installed erl, through apt's source-package support.
#
# Out: on stdout, the path of the extracted tree (under .cache/otp-src/,
# outside git; a second run prints it at once).  The deb-src entries are
# derived from the machine's own apt sources (every enabled `deb` entry,
# deb822 or one-line, turned into `deb-src`), written to a private apt
# configuration under the cache: the system's apt state is not touched and
# no host name is written anywhere.  dpkg-dev (dpkg-source) is installed
# if missing.  Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(dpkg-query -W -f='${Version}' erlang-base)
cache=.cache/otp-src
stamp="$cache/done-${version//[:~]/_}"
if [[ -f "$stamp" ]]; then
  cat "$stamp"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
if ! command -v dpkg-source >/dev/null; then
  echo "otp-source: installing dpkg-dev" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends dpkg-dev >&2
fi

apt="$PWD/$cache/apt"
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/parts"
# deb822 files: each stanza whose Types has deb, with deb-src instead.
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -e "$f" ]] || continue
  awk 'BEGIN { RS = ""; ORS = "\n\n" }
       /(^|\n)Types:[^\n]*deb([ \n]|$)/ && !/(^|\n)Enabled: *no/ {
         sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f"
done > "$apt/parts/derived.sources"
# One-line files: "deb [opts] URI suite components" -> "deb-src ...".
cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
  | sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' > "$apt/parts/derived.list" || true

opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/parts"
      -o "Dir::State::Lists=$apt/lists" -o "APT::Get::List-Cleanup=false")
echo "otp-source: reading the source indices" >&2
apt-get "${opts[@]}" update -q >&2

work="$PWD/$cache/${version//[:~]/_}"
rm -rf "$work"
mkdir -p "$work"
echo "otp-source: fetching and unpacking erlang $version" >&2
(cd "$work" && apt-get "${opts[@]}" source -q "erlang=$version" >&2)
tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'erlang-*' | head -1)
if [[ -z "$tree" || ! -d "$tree/erts/emulator/test" ]]; then
  echo "otp-source: no OTP tree with erts/emulator/test under $work" >&2
  exit 1
fi
echo "$tree" > "$stamp"
echo "$tree"
