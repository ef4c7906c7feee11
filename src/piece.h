/*
 * piece.h - the stretches of a rendered text that many messages share.
 *
 * The template engine renders the section of a shared value (a topic's
 * entries, in every digest showing them) once and copies it into each
 * render; a piece says where it put such a copy.  The encoder of the
 * message part keeps what it made of a piece by its id, so the section is
 * encoded once too.  An id names the same bytes for as long as the
 * process runs and is never given to other bytes.
 */
#ifndef GZ_PIECE_H
#define GZ_PIECE_H

#include <stddef.h>
#include <stdint.h>

struct piece {
	size_t	 off;		/* where in the text */
	size_t	 len;
	uint64_t id;
};

struct pieces {
	struct piece *v;	/* in order of off, not overlapping */
	size_t	 n;
};

void	 pieces_add(struct pieces *p, size_t off, size_t len, uint64_t id);
/* Empty it; p itself is the caller's. */
void	 pieces_clear(struct pieces *p);

#endif
