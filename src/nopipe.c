/*
 * nopipe.c - SIGPIPE held off around writes to a peer that may have gone
 * (see nopipe.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "nopipe.h"

void
nopipe_begin(struct nopipe *np)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	np->was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &np->old);
}

void
nopipe_end(struct nopipe *np)
{
	struct timespec zero = { 0, 0 };
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	if (!np->was_pending && sigismember(&pending, SIGPIPE))
		while (sigtimedwait(&set, NULL, &zero) == -1 && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &np->old, NULL);
}

