#!/bin/sh
# test.sh — CRuby with its tree inside: the seed's walk-through (/src/my_app.rb
# prints "Hello, wasi-vfs" with no host directory), and a set of scripts whose
# output must be the same with /usr embedded as with the same tree preopened
# from the host.
set -u
. interp/env.sh
B=$BUILD/ruby
RUN=tools/wasi-run
pass=0 fail=0
check() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1: got '$3', want '$2'"; fi; }
check "the seed: /src/my_app.rb with no host dir" "Hello, wasi-vfs" "$($RUN "$BUILD/ruby.wasm" /src/my_app.rb 2>&1)"
check "require json" "[1]" "$($RUN "$BUILD/ruby.wasm" -e 'require "json"; puts JSON.generate([1])' 2>&1)"
check "exceptions" "caught: boom" "$($RUN "$BUILD/ruby.wasm" -e 'begin; raise "boom"; rescue => e; puts "caught: #{e.message}"; end' 2>&1)"
# deep recursion through C and the VM, with a raise and a GC at the bottom:
# the asyncify buffers of Ruby's wasm port (build.sh) must hold the stack, as
# deep as ruby.wasm's builds go; and a fiber switch that deep
deep='def f(n) n==0 ? (begin; raise "x"; rescue; end; GC.start; :bottom) : [1].each { return f(n-1) } end; p f(ARGV[0].to_i)'
for d in 20 100 334; do
  check "recursion $d levels deep, a raise and GC.start at the bottom" ":bottom" \
    "$($RUN "$BUILD/ruby.wasm" -e "$deep" $d 2>&1 | tail -1)"
done
check "a fiber resumed 300 levels deep" ":deep" \
  "$($RUN "$BUILD/ruby.wasm" -e 'def g(n) n==0 ? Fiber.new { Fiber.yield :deep }.resume : [1].each { return g(n-1) } end; p g(300)' 2>&1 | tail -1)"
mkdir -p "$B/tmp-host"
for s in interp/ruby/scripts/*.rb; do
  name=$(basename "$s")
  e=$($RUN --dir /scripts::interp/ruby/scripts "$BUILD/ruby.wasm" "/scripts/$name" 2>&1)
  h=$($RUN --dir /scripts::interp/ruby/scripts --dir /usr::"$B/usr" --dir /src::interp/ruby/src \
        --dir /tmp::"$B/tmp-host" "$B/ruby-nofs.wasm" "/scripts/$name" 2>&1)
  if [ -n "$e" ] && [ "$e" = "$h" ]; then pass=$((pass + 1)); echo "ok   $name: embedded = host preopen ($(echo "$e" | wc -l) lines)"
  else fail=$((fail + 1)); echo "FAIL $name"; echo "$h" > "$B/h.txt"; echo "$e" > "$B/e.txt"; diff "$B/h.txt" "$B/e.txt" | head -10; fi
done
# slim from a trace of the seed's run: the same output from a smaller program
SLIM='/src/my_app.rb' interp/app.sh ruby interp/ruby/src "$B/ruby-slim.wasm" > "$B/slim.log" 2>&1 || cat "$B/slim.log"
full_size=$(stat -c %s "$BUILD/ruby.wasm"); slim_size=$(stat -c %s "$B/ruby-slim.wasm" 2>/dev/null || echo 0)
if [ "$($RUN "$B/ruby-slim.wasm" /src/my_app.rb 2>&1)" = "Hello, wasi-vfs" ] && [ "$slim_size" -gt 0 ] &&
   [ "$slim_size" -lt "$full_size" ]; then
  pass=$((pass + 1)); echo "ok   slim ruby-app from a trace: the seed's output, $full_size -> $slim_size bytes"
else fail=$((fail + 1)); echo "FAIL slim ruby-app ($full_size -> $slim_size bytes)"; fi
# the quick start: an app with a vendored gem, JSON and data files, packed, as
# native ruby runs it; and slim from a trace of it, listing its data the same
ruby examples/rbapp/main.rb > "$B/rbapp.native" 2>&1
interp/app.sh ruby examples/rbapp "$B/rbapp.wasm" > /dev/null
SLIM=/src/main.rb interp/app.sh ruby examples/rbapp "$B/rbapp-slim.wasm" > /dev/null
$RUN "$B/rbapp.wasm" /src/main.rb > "$B/rbapp.out" 2>&1
$RUN "$B/rbapp-slim.wasm" /src/main.rb > "$B/rbapp-slim.out" 2>&1
if [ -s "$B/rbapp.native" ] && cmp -s "$B/rbapp.native" "$B/rbapp.out" && cmp -s "$B/rbapp.native" "$B/rbapp-slim.out"; then
  pass=$((pass + 1)); echo "ok   examples/rbapp (vendored gem, JSON, data files) packed and slim, as native ruby runs it"
else fail=$((fail + 1)); echo "FAIL examples/rbapp"; diff "$B/rbapp.native" "$B/rbapp.out" | head -5; diff "$B/rbapp.native" "$B/rbapp-slim.out" | head -5; fi
# the slim app replays its trace: Dir.children and Dir.glob list as from the full image
if replays "$B/rbapp-slim.wasm" "$B/rbapp-slim.keep" /src/main.rb; then
  pass=$((pass + 1)); echo "ok   the slim rbapp replays the full run's trace ($(wc -l < "$B/rbapp-slim.keep.full") paths and listings)"
else fail=$((fail + 1)); echo "FAIL slim rbapp replay"; diff "$B/rbapp-slim.keep.full" "$B/rbapp-slim.keep.replay" | head; fi
echo "ruby: $pass passed, $fail failed"
[ $fail -eq 0 ]
