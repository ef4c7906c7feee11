/*
 * lru.c - the slot a key takes in a small, fixed cache (lru.h).  A linear
 * look: the caches are a few dozen slots, consulted once per digest part.
 */
#include "lru.h"

size_t
lru_take(struct lru_slot *slots, size_t n, uint64_t *clock, uint64_t key,
    int *hit)
{
	size_t i, old = 0;

	*hit = 0;
	for (i = 0; i < n; i++) {
		if (slots[i].key == key) {
			*hit = 1;
			break;
		}
		if (slots[i].used < slots[old].used)
			old = i;
	}
	if (!*hit) {
		i = old;
		slots[i].key = key;
	}
	slots[i].used = ++*clock;
	return i;
}
