/*
 * lru.h - which slot of a small, fixed cache a key takes: its own, else an
 * empty one, else the one used longest ago.  The cache keeps its values in
 * an array parallel to the slots and frees a slot's old value when the
 * slot is given to a new key.
 */
#ifndef GZ_LRU_H
#define GZ_LRU_H

#include <stddef.h>
#include <stdint.h>

struct lru_slot {
	uint64_t key;		/* 0: empty */
	uint64_t used;		/* the clock when last taken */
};

/*
 * The slot of key (not 0) among n, marked used now; *hit is 1 when it
 * held key already, 0 when it is given to key now (its value is stale).
 * *clock counts the uses.
 */
size_t	 lru_take(struct lru_slot *slots, size_t n, uint64_t *clock,
	    uint64_t key, int *hit);

#endif
