#!/bin/sh
# cmp-hosts.sh A B — two transcripts of the same embedded program on two
# runtimes must be equal line for line, except where A answers EBADF (8): a
# call on an fd the library does not know (closed, never opened) goes to the
# host untouched, and hosts differ there (the preview1 adapter answers an empty
# read with 0 before it looks at the fd; @tybys/wasm-util answers fd_advise
# with ENOSYS whatever the fd).  Prints the first lines that differ otherwise.
[ -s "$1" ] || { echo "empty transcript: $1"; exit 1; }
awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
     { if (FNR > n) { print "extra: " $0; bad = 1; next }
       x = a[FNR]; if (x == $0) next
       px = x; sub(/ = .*/, "", px); py = $0; sub(/ = .*/, "", py)
       if (px == py && x ~ / = 8( |$)/) { tolerated++; next }
       if (bad++ < 5) print "differs: " x "  |  " $0 }
     END { if (FNR < n) { print "missing lines"; bad = 1 }
           if (n == 0) { print "empty transcript"; bad = 1 }
           exit bad != 0 }' "$1" "$2"
