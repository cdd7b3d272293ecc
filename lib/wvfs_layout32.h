/* wvfs_layout32.h — the wasm32 layout of the image structs of wasi_vfs.h.
 *
 * wasivfs-gen writes objects (-o FILE.o) on the host, where pointers are 8
 * bytes, so it lays the tables out from these offsets; the library's wasm32
 * build checks every one against the compiler's (wvfs_image.c).
 */
#ifndef WVFS_LAYOUT32_H
#define WVFS_LAYOUT32_H

enum {
    W32_NODE_SIZE = 0, W32_NODE_MTIM = 8, W32_NODE_DATA = 16, W32_NODE_FIRST = 20,
    W32_NODE_PARENT = 24, W32_NODE_NLINK = 28, W32_NODE_ZSIZE = 32, W32_NODE_TYPE = 36,
    W32_NODE_ZFORM = 37, W32_NODE_HTAB = 40, W32_NODE_ZOFF = 44, W32_NODE_BYTES = 48, W32_NODE_ALIGN = 8,

    W32_DIRENT_NAME = 0, W32_DIRENT_NAMELEN = 4, W32_DIRENT_NODE = 8, W32_DIRENT_BYTES = 12,

    W32_MOUNT_PATH = 0, W32_MOUNT_ROOT = 4, W32_MOUNT_FLAGS = 8, W32_MOUNT_BYTES = 12,

    W32_IMAGE_ABI = 0, W32_IMAGE_NMOUNTS = 4, W32_IMAGE_NNODES = 8, W32_IMAGE_NENTS = 12,
    W32_IMAGE_MOUNTS = 16, W32_IMAGE_NODES = 20, W32_IMAGE_ENTS = 24, W32_IMAGE_CODEC = 28,
    W32_IMAGE_DICT = 32, W32_IMAGE_DICTLEN = 36, W32_IMAGE_HTAB = 40, W32_IMAGE_NHTAB = 44,
    W32_IMAGE_LAYERS = 48, W32_IMAGE_NLAYERS = 52, W32_IMAGE_PIDX = 56, W32_IMAGE_NPIDX = 60,
    W32_IMAGE_BYTES = 64,
};

#endif
