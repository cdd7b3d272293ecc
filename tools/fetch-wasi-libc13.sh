#!/bin/sh
# fetch-wasi-libc13.sh DIR — put Debian 13's wasi-libc (the generation with lazy
# preopen discovery, as wasi-sdk 21+ ships) under DIR/usr, without touching
# the machine's apt configuration: a private source list, lists and cache.
# Pinned to the version tested; if Debian no longer serves it, the current
# trixie version is taken and named.
set -eu
DIR=$1
VERSION=0.0~git20241209.574b88d-2
[ -f "$DIR/usr/lib/wasm32-wasi/libc.a" ] && exit 0
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/lists/partial" "$W/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$W/sources.list"
APT="-o Dir::Etc::SourceList=$W/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$W/lists -o Dir::Cache=$W/cache -o Debug::NoDropPrivs=1"
apt-get -q $APT update > "$W/log" 2>&1 || { cat "$W/log"; exit 1; }
cd "$W"
if ! apt-get -q $APT download "wasi-libc=$VERSION" > log 2>&1; then
  echo "fetch-wasi-libc13: wasi-libc $VERSION is no longer served; taking trixie's current one"
  apt-get -q $APT download wasi-libc > log 2>&1 || { cat log; exit 1; }
fi
cd - > /dev/null
mkdir -p "$DIR"
dpkg-deb -x "$W"/wasi-libc_*.deb "$DIR"
echo "fetch-wasi-libc13: $(basename "$W"/wasi-libc_*.deb) unpacked under $DIR"
