/* mprotect.c — what Ruby's calls to mprotect become (link.sh: --wrap=mprotect):
 * WASI has no memory protection, so changing it succeeds and does nothing, as
 * Ruby's own wasm/missing.c stub does on a libc without mprotect. */
#include <stddef.h>

int __wrap_mprotect(void *addr, size_t len, int prot);

int __wrap_mprotect(void *addr, size_t len, int prot)
{
    (void)addr, (void)len, (void)prot;
    return 0;
}
