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
# CPython: the app's modules compiled ahead, as the standard library is, by
# the host's python3.11 (the same 3.11.2 magic) into a staged copy (the app
# folder is left as it is): the .pyc record the sources' mtimes, which the
# image keeps, so they are valid inside; a .pyc already there is kept only
# if valid for its source (compileall's own check), else compiled again.
if [ "$NAME" = python ]; then
  if command -v python3.11 > /dev/null; then
    rm -rf "$B/app-stage" && mkdir -p "$B/app-stage" && cp -a "$APP/." "$B/app-stage/"
    python3.11 -m compileall -q -d "$AT" "$B/app-stage" > "$B/app-stage.log" 2>&1 ||
      { echo "python-app: compileall failed:"; head -20 "$B/app-stage.log"; exit 1; }
    APP=$B/app-stage
  else
    echo "python-app: no python3.11 here, so the app's modules are compiled at every start;"
    echo "  run 'python3.11 -m compileall -d $AT APP' on a copy of the app first to ship them compiled"
  fi
fi
pack_app "$BASE" "$OUT" --mapdir "$AT::$APP" --tmpdir /tmp
sizes "$NAME-app" "$OUT" "${OUT%.wasm}.json"
echo "$NAME-app: where its image's bytes go: ${OUT%.wasm}.html"
echo "$NAME-app: run it: $RUN"
