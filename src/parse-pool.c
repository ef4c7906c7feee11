/*
 * parse-pool.c - feeds parsed on worker threads while the caller goes on.
 *
 * Two queues under one lock: jobs to parse, which the workers wait on, and
 * jobs parsed, which the caller takes back.  A worker writes a byte to a
 * pipe for each job it finishes, so a caller asleep in poll(2) wakes up.
 * feed_parse keeps no state between calls, and libxml2, set up before the
 * first worker starts, keeps its error handlers per thread, so the workers
 * share nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "feed.h"
#include "parse-pool.h"
#include "xmalloc.h"

#define MAX_THREADS	8

struct queue {
	struct parse_job *head;
	struct parse_job **tail;
};

struct parse_pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* a job to parse, or stop */
	pthread_cond_t	 ready;		/* a job parsed */
	struct queue	 todo;
	struct queue	 done;
	int		 stop;
	size_t		 pending;	/* the caller's count, unlocked */
	int		 wake[2];	/* a byte per finished job, or -1 */
	pthread_t	*threads;
	int		 nthreads;
};

struct parse_job *
parse_job_new(char *body, size_t len, const char *url, const char *charset,
    void *user)
{
	struct parse_job *job = xcalloc(1, sizeof *job);

	job->user = user;
	job->body = body;
	job->len = len;
	job->url = xstrdup_or_null(url);
	job->charset = xstrdup_or_null(charset);
	return job;
}

void
parse_job_free(struct parse_job *job)
{
	if (job == NULL)
		return;
	free(job->body);
	free(job->url);
	free(job->charset);
	feed_free(job->feed);
	free(job->error);
	free(job);
}

/* The body is no longer needed once parsed: it goes at once. */
static void
parse(struct parse_job *job)
{
	job->feed = feed_parse(job->body, job->len, job->url, job->charset,
	    &job->error);
	free(job->body);
	job->body = NULL;
}

static void
queue_init(struct queue *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

static void
queue_put(struct queue *q, struct parse_job *job)
{
	job->next = NULL;
	*q->tail = job;
	q->tail = &job->next;
}

static struct parse_job *
queue_get(struct queue *q)
{
	struct parse_job *job = q->head;

	if (job != NULL && (q->head = job->next) == NULL)
		q->tail = &q->head;
	return job;
}

/* Tells the caller's poll a job is ready; a full pipe has told it already. */
static void
wake_up(struct parse_pool *p)
{
	ssize_t n;

	do
		n = write(p->wake[1], "", 1);
	while (n == -1 && errno == EINTR);
}

static void *
worker(void *arg)
{
	struct parse_pool *p = arg;
	struct parse_job *job;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->todo.head == NULL)
			pthread_cond_wait(&p->work, &p->lock);
		if ((job = queue_get(&p->todo)) == NULL)
			break;		/* stopping, and nothing left */
		pthread_mutex_unlock(&p->lock);
		parse(job);
		pthread_mutex_lock(&p->lock);
		queue_put(&p->done, job);
		pthread_cond_signal(&p->ready);
		wake_up(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
parse_pool_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n <= 1)
		return 0;
	return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static int
open_wake_pipe(int fds[2])
{
	if (pipe(fds) == -1)
		return -1;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(fds[1], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(fds[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	return 0;
}

/* Workers that cannot be had (no pipe, no thread) leave fewer, or none. */
static void
start_workers(struct parse_pool *p, int nthreads)
{
	if (nthreads <= 0 || open_wake_pipe(p->wake) == -1)
		return;
	feed_global_init();
	p->threads = xcalloc((size_t)nthreads, sizeof *p->threads);
	while (p->nthreads < nthreads && pthread_create(
	    &p->threads[p->nthreads], NULL, worker, p) == 0)
		p->nthreads++;
	if (p->nthreads > 0)
		return;
	close(p->wake[0]);
	close(p->wake[1]);
	p->wake[0] = p->wake[1] = -1;
}

struct parse_pool *
parse_pool_new(int nthreads)
{
	struct parse_pool *p = xcalloc(1, sizeof *p);

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->ready, NULL);
	queue_init(&p->todo);
	queue_init(&p->done);
	p->wake[0] = p->wake[1] = -1;
	start_workers(p, nthreads);
	return p;
}

/* Jobs no worker has started are dropped unparsed; the rest finish. */
void
parse_pool_free(struct parse_pool *p)
{
	struct parse_job *job;
	struct queue unstarted;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	unstarted = p->todo;
	if (unstarted.head == NULL)
		unstarted.tail = &unstarted.head;
	queue_init(&p->todo);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	while ((job = queue_get(&unstarted)) != NULL)
		parse_job_free(job);
	while ((job = queue_get(&p->done)) != NULL)
		parse_job_free(job);
	if (p->wake[0] != -1) {
		close(p->wake[0]);
		close(p->wake[1]);
	}
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p);
}

void
parse_pool_submit(struct parse_pool *p, struct parse_job *job)
{
	p->pending++;
	if (p->nthreads == 0) {
		parse(job);
		queue_put(&p->done, job);
		return;
	}
	pthread_mutex_lock(&p->lock);
	queue_put(&p->todo, job);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/* Empties the wake pipe: whatever it told is in the done queue. */
static void
drain_wake_pipe(const struct parse_pool *p)
{
	char bytes[64];

	while (read(p->wake[0], bytes, sizeof bytes) > 0)
		;
}

struct parse_job *
parse_pool_take(struct parse_pool *p, int wait)
{
	struct parse_job *job;

	if (p->pending == 0)
		return NULL;
	if (p->nthreads == 0)
		job = queue_get(&p->done);
	else {
		drain_wake_pipe(p);
		pthread_mutex_lock(&p->lock);
		while (wait && p->done.head == NULL)
			pthread_cond_wait(&p->ready, &p->lock);
		job = queue_get(&p->done);
		pthread_mutex_unlock(&p->lock);
	}
	if (job != NULL)
		p->pending--;
	return job;
}

size_t
parse_pool_pending(const struct parse_pool *p)
{
	return p->pending;
}

int
parse_pool_fd(const struct parse_pool *p)
{
	return p->wake[0];
}
