/* wvfs_layers.h — layered images (wvfs_layers.c), merged into one node space
 * at start. */
#ifndef WVFS_LAYERS_H
#define WVFS_LAYERS_H

#include "wvfs_state.h"

/* One image holding img's layers, img itself and then top, a packed app
 * image (either may be NULL; img as it is when it is all there is), its parts
 * in *parts; NULL with *err set when two parts mount the same guest path or
 * memory runs out. */
const struct wvfs_image *wvfs__layers_merge(const struct wvfs_image *img, const struct wvfs_image *top,
                                            const struct wvfs_part **parts, uint32_t *nparts,
                                            const char **err);

#endif
