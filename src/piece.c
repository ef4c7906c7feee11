/*
 * piece.c - the list of shared stretches of a rendered text (piece.h).
 */
#include <stdlib.h>

#include "piece.h"
#include "xmalloc.h"

void
pieces_add(struct pieces *p, size_t off, size_t len, uint64_t id)
{
	/* Room doubles at each power of two: the count implies it. */
	if ((p->n & (p->n - 1)) == 0)
		p->v = xreallocarray(p->v, p->n ? 2 * p->n : 1, sizeof *p->v);
	p->v[p->n++] = (struct piece){ off, len, id };
}

void
pieces_clear(struct pieces *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
