/*
 * nopipe.h - a write to a peer that has gone (a socket, a pipe to a
 * command) fails with EPIPE instead of ending the process.
 *
 * Between nopipe_begin and nopipe_end SIGPIPE is blocked for this thread,
 * and a SIGPIPE raised in between is taken off the pending set, so
 * nothing process-wide changes.
 */
#ifndef GZ_NOPIPE_H
#define GZ_NOPIPE_H

#include <signal.h>

struct nopipe {
	sigset_t old;
	int	 was_pending;
};

void	 nopipe_begin(struct nopipe *np);
void	 nopipe_end(struct nopipe *np);

#endif
