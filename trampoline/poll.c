/* poll.c — poll_oneoff over a mix of host and embedded fds.
 *
 * Embedded files are always ready (their bytes are in memory), and unknown fds
 * are reported as events carrying EBADF, both without asking the host.  When
 * any such event exists they are returned at once: poll_oneoff promises at
 * least one event, not all of them, and the next call sees the rest.
 * Otherwise the subscriptions go to the host, with guest fds translated to
 * host fds in a copy when any number differs.
 */
#include <stdlib.h>
#include <string.h>

#include "tramp.h"

enum { SUB_SIZE = 48, SUB_TAG = 8, SUB_FD = 16 };
enum { EV_SIZE = 32, EV_ERROR = 8, EV_TYPE = 10, EV_NBYTES = 16, EV_FLAGS = 24 };

static void put_event(uint8_t *ev, const uint8_t *sub, uint16_t err, uint64_t nbytes)
{
    memset(ev, 0, EV_SIZE);
    memcpy(ev, sub, 8); /* userdata */
    memcpy(ev + EV_ERROR, &err, 2);
    ev[EV_TYPE] = sub[SUB_TAG];
    memcpy(ev + EV_NBYTES, &nbytes, 8);
}

int32_t __imported_wasi_snapshot_preview1_poll_oneoff(int32_t in, int32_t out,
                                                      int32_t nsubscriptions, int32_t nevents)
{
    uint32_t n = (uint32_t)nsubscriptions;
    if (n == 0)
        return WVFS_EINVAL;
    if (!wvfs__in_mem(in, (uint64_t)n * SUB_SIZE) || !wvfs__in_mem(out, (uint64_t)n * EV_SIZE) ||
        !wvfs__in_mem(nevents, sizeof(uint32_t)))
        return WVFS_EFAULT;
    struct wvfs_state *s = wvfs__state();
    const uint8_t *subs = WVFS_PTR(in);
    uint8_t *evs = WVFS_PTR(out);
    uint32_t ready = 0;
    int translate = 0;

    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *sub = subs + (size_t)i * SUB_SIZE;
        if (sub[SUB_TAG] != WVFS_EVENTTYPE_FD_READ && sub[SUB_TAG] != WVFS_EVENTTYPE_FD_WRITE)
            continue;
        uint32_t fd;
        memcpy(&fd, sub + SUB_FD, sizeof fd);
        struct wvfs_fd *f = wvfs__fd_get(s, fd);
        if (f == NULL) {
            /* the one route of every call: an fd the table does not know goes
             * to the host as it is, unless it is the host's name of an fd the
             * guest knows by another number */
            if (wvfs__fd_host_named(s, fd))
                put_event(evs + (size_t)ready++ * EV_SIZE, sub, WVFS_EBADF, 0);
        } else if (f->kind == WVFS_FD_VFS) {
            struct wvfs_view v;
            wvfs__view(s, f->node, &v);
            uint64_t left = 0;
            if (sub[SUB_TAG] == WVFS_EVENTTYPE_FD_READ && v.type == WVFS_FILETYPE_REGULAR_FILE &&
                f->offset < v.size)
                left = v.size - f->offset;
            put_event(evs + (size_t)ready++ * EV_SIZE, sub, WVFS_ESUCCESS, left);
        } else if (f->host != fd) {
            translate = 1;
        }
    }
    if (ready > 0) {
        *(uint32_t *)WVFS_PTR(nevents) = ready;
        return WVFS_ESUCCESS;
    }
    if (!translate)
        return wvfs__host_poll_oneoff(in, out, nsubscriptions, nevents);

    uint8_t *copy = malloc((size_t)n * SUB_SIZE);
    if (copy == NULL)
        return WVFS_ENOMEM;
    memcpy(copy, subs, (size_t)n * SUB_SIZE);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *sub = copy + (size_t)i * SUB_SIZE;
        if (sub[SUB_TAG] == WVFS_EVENTTYPE_FD_READ || sub[SUB_TAG] == WVFS_EVENTTYPE_FD_WRITE) {
            uint32_t fd;
            memcpy(&fd, sub + SUB_FD, sizeof fd);
            const struct wvfs_fd *f = wvfs__fd_get(s, fd);
            if (f != NULL) /* else unknown, passed as it is */
                memcpy(sub + SUB_FD, &f->host, sizeof fd);
        }
    }
    int32_t err = wvfs__host_poll_oneoff((int32_t)(uintptr_t)copy, out, nsubscriptions, nevents);
    free(copy);
    return err;
}
