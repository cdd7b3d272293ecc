#!/bin/sh
# fetch-source.sh PACKAGE VERSION DIR [SUITE] — Debian's source of PACKAGE at VERSION,
# unpacked into DIR with Debian's patches (SKIP_PATCHES=1: upstream as released), through a private source list, lists
# and cache: the machine's apt configuration is not changed.  If that Debian
# revision is no longer served, the same upstream version's orig tarball is
# taken from whichever revision is.  Reuses DIR when it is already there.
set -eu
PKG=$1 VERSION=$2 DIR=$3 SUITE=${4:-bookworm}
[ -f "$DIR/.fetched" ] && exit 0
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/lists/partial" "$W/cache/archives/partial" "$W/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" > "$W/sources.list"
case $SUITE in bookworm) echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main" >> "$W/sources.list" ;; esac
APT="-o Dir::Etc::SourceList=$W/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$W/lists -o Dir::Cache=$W/cache -o Debug::NoDropPrivs=1"
apt-get -q $APT update > "$W/log" 2>&1 || { cat "$W/log"; exit 1; }
cd "$W/src"
if ! apt-get -q $APT source --download-only "$PKG=$VERSION" > ../log 2>&1; then
  upstream=${VERSION%-*}
  have=$(apt-cache $APT showsrc "$PKG" | awk '/^Version:/ { print $2; exit }')
  [ "${have%-*}" = "$upstream" ] || { echo "fetch-source: $PKG $VERSION not served (have $have)"; exit 1; }
  echo "fetch-source: $PKG $VERSION not served; using $have (same upstream $upstream)"
  apt-get -q $APT source --download-only "$PKG=$have" > ../log 2>&1 || { cat ../log; exit 1; }
fi
dpkg-source ${SKIP_PATCHES:+--skip-patches} -x ./*.dsc x > ../log 2>&1 || { cat ../log; exit 1; }
cd - > /dev/null
rm -rf "$DIR" && mkdir -p "$(dirname "$DIR")" && mv "$W/src/x" "$DIR"
touch "$DIR/.fetched"
echo "fetch-source: $PKG $VERSION unpacked in $DIR"
