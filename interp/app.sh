#!/bin/sh
# app.sh NAME APP OUT — an app packed into a prebuilt interpreter, the one
# way every *-app target works: wasivfs-gen pack puts APP's files, and a
# scratch /tmp, into build/interp/NAME.wasm (make NAME); nothing is compiled
# or relinked.  Where APP goes: python and ruby /src, sqlite /db, lua /lua.
# COMPRESS=0: a raw image.  SLIM='ARGS; ...' (and KEEP='GLOB ...'): slim from
# a trace of those runs, the interpreter's own tree cut to what they used too.
# Needs BUILD (interp/env.sh).
set -eu
. interp/env.sh
NAME=$1 APP=$2 OUT=$3
BASE=$BUILD/interp/$NAME.wasm B=$BUILD/$NAME
case $NAME in
  python) AT=/src SLIM_BASE=$B/python-nofs.wasm
          SLIM_MOUNTS="--mapdir /usr/local/lib/python3.11::$B/stdlib/lib/python3.11"
          RUN="tools/wasi-run $OUT /src/main.py" ;;
  ruby)   AT=/src SLIM_BASE=$B/ruby-nofs.wasm SLIM_MOUNTS="--mapdir /usr::$B/usr"
          RUN="tools/wasi-run $OUT /src/<your script>.rb" ;;
  sqlite) AT=/db SLIM_BASE=$BASE SLIM_MOUNTS= RUN="tools/wasi-run $OUT /db/<your database>" ;;
  lua)    AT=/lua SLIM_BASE=$BASE SLIM_MOUNTS= RUN="tools/wasi-run $OUT /lua/<your script>.lua" ;;
  *) echo "app.sh: no interpreter '$NAME' (python, ruby, sqlite, lua)"; exit 2 ;;
esac
[ -f "$BASE" ] && [ -f "$SLIM_BASE" ] || { echo "$NAME-app: run 'make $NAME' first"; exit 1; }
[ -d "$APP" ] || { echo "$NAME-app: APP=$APP is not a directory"; exit 1; }
pack_app "$BASE" "$OUT" --mapdir "$AT::$APP" --tmpdir /tmp
sizes "$NAME-app" "$OUT" "${OUT%.wasm}.json"
echo "$NAME-app: run it: $RUN"
