/* wasm_sjlj.c — the runtime LLVM's wasm setjmp/longjmp lowering calls
 * (-mllvm -wasm-enable-sjlj, clang 19): setjmp records which call of which
 * function armed the buffer; longjmp throws a WebAssembly exception with the
 * C-longjmp tag carrying {env, val}; the lowered code in the function that
 * called setjmp catches it and asks __wasm_setjmp_test whether the buffer is
 * its own.  Written for wasi-libc generations without libsetjmp (Debian 12's).
 */
#include <stdint.h>

struct jmp_state {
    void *invocation;     /* identifies the running call of the setjmp caller */
    uint32_t label;       /* which setjmp call site inside it */
    struct {
        void *env;
        int val;
    } arg;                /* the exception's payload */
};
_Static_assert(sizeof(struct jmp_state) <= 32, "jmp_buf too small");

void __wasm_setjmp(void *env, uint32_t label, void *invocation);
uint32_t __wasm_setjmp_test(void *env, void *invocation);
void __wasm_longjmp(void *env, int val);

void __wasm_setjmp(void *env, uint32_t label, void *invocation)
{
    struct jmp_state *s = env;
    s->invocation = invocation;
    s->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation)
{
    struct jmp_state *s = env;
    return s->invocation == invocation ? s->label : 0; /* 0: not ours, rethrow */
}

void __wasm_longjmp(void *env, int val)
{
    struct jmp_state *s = env;
    s->arg.env = env;
    s->arg.val = val == 0 ? 1 : val; /* longjmp(env, 0) returns 1 from setjmp */
    __builtin_wasm_throw(1, &s->arg); /* tag 1: __c_longjmp */
    __builtin_unreachable();
}
