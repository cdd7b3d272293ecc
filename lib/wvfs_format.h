/* wvfs_format.h — the byte formats inside an image that are not C structs:
 * how a compressed file is stored.  Shared by the generator, which writes
 * them, and the library, which reads them; docs/image-format.md describes
 * them for anyone writing a generator of their own.
 *
 * A compressed file is one zstd frame, or, when large, zstd's seekable
 * format: frames of one raw size (the last no larger), then a skippable frame
 * holding the seek table — an entry per frame (its compressed size, its raw
 * size: u32 little-endian each), then a footer (the frame count, a descriptor
 * byte of 0: no checksums, and the seekable magic).  A dictionary is stored as
 * a zstd frame of its own.
 */
#ifndef WVFS_FORMAT_H
#define WVFS_FORMAT_H

#define WVFS_ZSTD_MAGIC 0xFD2FB528u      /* a zstd frame's first four bytes (le) */
#define WVFS_SKIPPABLE_MAGIC 0x184D2A5Eu /* the skippable frame of a seek table */
#define WVFS_SEEKABLE_MAGIC 0x8F92EAB1u  /* a seek table's last four bytes */
#define WVFS_SKIP_HEADER 8               /* skippable frame: magic, size (u32 each) */
#define WVFS_SEEK_ENTRY 8                /* per frame: compressed size, raw size */
#define WVFS_SEEK_FOOTER 9               /* frame count, descriptor (0), magic */

#endif
