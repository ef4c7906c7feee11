/*
 * compose.h - who gets which entries.
 */
#ifndef GZ_COMPOSE_H
#define GZ_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct digest;
struct store;

/*
 * The digest subscriber_id would get now: per subscribed topic, the entries
 * above the subscription's mark, newest first, at most max_per_topic, an
 * article reached through two feeds or topics only once.  Changes nothing.
 * NULL with *err on a store error; a digest with no entries when nothing
 * is new.
 */
struct digest *compose_pick(struct store *st, int64_t subscriber_id,
	    int max_per_topic, char **err);

/*
 * A digest with no subscriber: the newest entries of one topic, at most
 * max_per_topic (preview --topic).  Changes nothing.
 */
struct digest *compose_topic_preview(struct store *st, int64_t topic_id,
	    int max_per_topic, char **err);

/*
 * Queue a digest for every active subscriber with something new, each in
 * one transaction with its advanced marks, whatever their schedule.
 * *queued counts them.
 */
int	 compose_all(struct store *st, const struct config *cfg, int64_t now,
	    int *queued, char **err);

/*
 * Like compose_all, but only for subscribers who are due: their frequency
 * (weekly 7 days, daily 1 day, less an hour's slack) has passed since their
 * last digest, or they never had one.  *waiting counts those not due.
 */
int	 compose_due(struct store *st, const struct config *cfg, int64_t now,
	    int *queued, int *waiting, char **err);
/*
 * Editors' notes for one compose run: Markdown the caller already checked
 * (valid UTF-8).  Each is stored once, on the first digest that carries
 * it; id is 0 until then.
 */
struct compose_topic_note {
	const char *slug;
	const char *markdown;
	int64_t	 id;
};
struct compose_notes {
	const char *markdown;		/* the run's note, NULL: none */
	int64_t	 id;
	struct compose_topic_note *topics;
	size_t	 ntopics;
};

/*
 * compose_all (due_only 0) or compose_due (1), with notes (may be NULL):
 * the run's note tops every digest queued, a topic's note every digest
 * carrying that topic.  With [digest] when_empty = note, a due subscriber
 * with nothing new gets a digest with no entries, saying so.
 */
int	 compose_notes_run(struct store *st, const struct config *cfg,
	    int64_t now, int due_only, struct compose_notes *notes,
	    int *queued, int *waiting, char **err);

/* Whether a subscriber with this frequency and last digest is due. */
int	 compose_is_due(const char *frequency, int64_t last_digest,
	    int64_t now);

/* The domain of [mail] from, for Message-IDs. */
const char *compose_domain(const struct config *cfg);

#endif
