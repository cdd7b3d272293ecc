/* main.c — runs every host unit test of lib/ and prints "N passed, N failed". */
#include <stdlib.h>

#include "unit.h"

int unit_passed, unit_failed;

int main(void)
{
    test_image();
    test_path();
    test_pidx();
    test_fdtab();
    test_fileops();
    test_pathops();
    test_overlay();
    test_block();
    test_passive();
    const char *suite = getenv("WVFS_SUITE"); /* "valgrind" when run under it */
    printf("%s: %d passed, %d failed\n", suite ? suite : "unit", unit_passed, unit_failed);
    return unit_failed != 0;
}
