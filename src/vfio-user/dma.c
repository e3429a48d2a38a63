// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user server: the DMA map table.  The client's maps are kept sorted
 * by address and disjoint, so finding one is a binary search; the table
 * grows with the maps (up to the negotiated max_dma_maps) and each map's fd
 * is held until it is unmapped or the client goes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio-user/server_internal.h"

/* Close every map's fd and empty the table (keeping its memory). */
void vu_dma_drop_all(struct vu_server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_dma; i++)
		if (s->dma[i].fd >= 0)
			close(s->dma[i].fd);
	s->nr_dma = 0;
}

/* The table itself, freed when the client goes. */
void vu_dma_free(struct vu_server *s)
{
	free(s->dma);
	s->dma = NULL;
	s->dma_cap = 0;
}

/* Index of the first map that ends above @address (the table is sorted). */
static unsigned int vu_dma_find(const struct vu_server *s, uint64_t address)
{
	unsigned int lo = 0, hi = s->nr_dma;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (s->dma[mid].address + s->dma[mid].size <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more map, growing the table by doubling; 0 or -errno. */
static int vu_dma_reserve(struct vu_server *s)
{
	unsigned int cap = s->dma_cap ? 2 * s->dma_cap : 16;
	struct vu_dma *dma;

	if (s->nr_dma >= s->agreed.max_dma_maps) {
		vu_why(s, "%u maps already", s->nr_dma);
		return -ENOSPC;
	}
	if (s->nr_dma < s->dma_cap)
		return 0;
	if (cap > s->agreed.max_dma_maps)
		cap = s->agreed.max_dma_maps;
	dma = realloc(s->dma, cap * sizeof(*dma));
	if (!dma)
		return -ENOMEM;
	s->dma = dma;
	s->dma_cap = cap;
	return 0;
}

int vu_dma_map(struct vu_server *s, struct vu_msg *m)
{
	struct vu_dma_map req;
	struct vu_dma *d;
	unsigned int i;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (ret)
		return ret;
	if ((req.flags & ~(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)) ||
	    req.size == 0 || req.address + req.size < req.address) {
		vu_why(s, "flags 0x%x address 0x%llx size 0x%llx", req.flags,
		       (unsigned long long)req.address,
		       (unsigned long long)req.size);
		return -EINVAL;
	}
	if (m->nr_fds > 1) {
		vu_why(s, "%zu fds", m->nr_fds);
		return -EINVAL;
	}
	i = vu_dma_find(s, req.address);
	if (i < s->nr_dma && s->dma[i].address < req.address + req.size) {
		d = &s->dma[i];
		vu_why(s, "0x%llx+0x%llx overlaps 0x%llx+0x%llx",
		       (unsigned long long)req.address,
		       (unsigned long long)req.size,
		       (unsigned long long)d->address,
		       (unsigned long long)d->size);
		return -EEXIST;
	}
	ret = vu_dma_reserve(s);
	if (ret)
		return ret;
	memmove(&s->dma[i + 1], &s->dma[i], (s->nr_dma - i) * sizeof(*d));
	s->nr_dma++;
	d = &s->dma[i];
	d->address = req.address;
	d->size = req.size;
	d->offset = req.offset;
	d->flags = req.flags;
	d->fd = -1;
	if (m->nr_fds) {
		d->fd = m->fds[0]; /* kept until unmap or disconnect */
		m->fds[0] = -1;
	}
	return 0;
}

int vu_dma_unmap(struct vu_server *s, struct vu_msg *m, uint8_t *out)
{
	struct vu_dma_unmap req;
	unsigned int i;
	int ret;

	ret = vu_take_args(s, m, &req, sizeof(req));
	if (ret)
		return ret;
	if (req.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		vu_why(s, "dirty bitmaps not supported");
		return -ENOTSUP;
	}
	if (req.flags & ~VFIO_DMA_UNMAP_FLAG_ALL) {
		vu_why(s, "flags 0x%x", req.flags);
		return -EINVAL;
	}
	if (req.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (req.address || req.size) {
			vu_why(s, "UNMAP_ALL with address or size");
			return -EINVAL;
		}
		vu_dma_drop_all(s);
	} else {
		i = vu_dma_find(s, req.address);
		if (i == s->nr_dma || s->dma[i].address != req.address ||
		    s->dma[i].size != req.size) {
			vu_why(s, "no mapping 0x%llx+0x%llx",
			       (unsigned long long)req.address,
			       (unsigned long long)req.size);
			return -ENOENT;
		}
		if (s->dma[i].fd >= 0)
			close(s->dma[i].fd);
		s->nr_dma--;
		memmove(&s->dma[i], &s->dma[i + 1],
			(s->nr_dma - i) * sizeof(*s->dma));
	}
	/* The reply carries the request's entry back. */
	memcpy(out, &req, sizeof(req));
	return sizeof(req);
}
