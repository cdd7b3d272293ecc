/* app.c — prints each file named on the command line, from the image. */
#include <stdio.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        int c;
        while ((c = getc(f)) != EOF)
            putchar(c);
        fclose(f);
    }
    return 0;
}
