/* setjmp.h — setjmp/longjmp for wasm32, for wasi-libc generations that lack
 * them (Debian 12's).  Compiled with -mllvm -wasm-enable-sjlj, clang turns
 * setjmp/longjmp into calls to the three runtime functions in wasm_sjlj.c,
 * and longjmp into a WebAssembly exception (Node 20 and browsers run it).
 */
#ifndef WVFS_SETJMP_H
#define WVFS_SETJMP_H
typedef unsigned long long jmp_buf[4]; /* wasm_sjlj.c's struct jmp_state fits */
int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);
#endif
