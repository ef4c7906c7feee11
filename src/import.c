/*
 * import.c - subscriber import rows checked one by one: header mapping,
 * addresses, names, topics, status and frequency, and duplicates.
 *
 * The store is not consulted here (whether a topic exists is the
 * command's business), so the fuzzer can run every check.  Never prints.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "csv.h"
#include "import.h"
#include "xmalloc.h"

#define NAME_MAX_LEN	200
#define TOPICS_MAX	64

const char *const import_columns[IMPORT_NCOLS] = { "email", "name",
    "topics", "status", "frequency" };

static const char *const statuses[] = { "pending", "active", "unsubscribed",
    "bounced", NULL };
static const char *const frequencies[] = { "weekly", "daily", NULL };

int
import_header(const struct csv_record *rec, struct import_header *h,
    char **err)
{
	size_t i;
	int c;

	if (rec->problem) {
		*err = xasprintf("the header: %s", rec->problem);
		return -1;
	}
	for (c = 0; c < IMPORT_NCOLS; c++)
		h->col[c] = -1;
	for (i = 0; i < rec->nfields; i++) {
		for (c = 0; c < IMPORT_NCOLS; c++)
			if (strcasecmp(rec->fields[i], import_columns[c]) == 0)
				break;
		if (c == IMPORT_NCOLS) {
			*err = xasprintf("unknown column '%s' (expected email, "
			    "name, topics, status, frequency)", rec->fields[i]);
			return -1;
		}
		if (h->col[c] != -1) {
			*err = xasprintf("column '%s' appears twice",
			    import_columns[c]);
			return -1;
		}
		h->col[c] = (int)i;
	}
	if (h->col[IMPORT_EMAIL] == -1) {
		*err = xstrdup("the header has no 'email' column");
		return -1;
	}
	return 0;
}

static const char *
field(const struct import_header *h, const struct csv_record *rec, int c)
{
	return h->col[c] == -1 ? NULL : rec->fields[h->col[c]];
}

static const char *
control_char(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	return NULL;
}

static int
one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Slugs separated by spaces or ';', sorted and unique. */
static int
split_topics(const char *v, struct import_row *row, char **why)
{
	const char *p = v;
	size_t n, i, out;

	row->has_topics = 1;
	while (*p) {
		if (*p == ' ' || *p == ';' || *p == '\t') {
			p++;
			continue;
		}
		n = strcspn(p, " ;\t");
		if (row->ntopics == TOPICS_MAX) {
			*why = xasprintf("more than %d topics", TOPICS_MAX);
			return -1;
		}
		row->topics = xreallocarray(row->topics, row->ntopics + 1,
		    sizeof *row->topics);
		row->topics[row->ntopics++] = xstrndup(p, n);
		p += n;
	}
	if (row->ntopics > 1)
		qsort(row->topics, row->ntopics, sizeof *row->topics, cmp_str);
	for (i = out = 0; i < row->ntopics; i++) {
		if (out > 0 && strcmp(row->topics[out - 1], row->topics[i]) == 0)
			free(row->topics[i]);
		else
			row->topics[out++] = row->topics[i];
	}
	row->ntopics = out;
	return 0;
}

static int
check_email(const char *v, struct import_row *row, char **why)
{
	const char *reason;

	if (*v == '\0') {
		*why = xstrdup("the email is empty");
		return -1;
	}
	if ((reason = control_char(v)) != NULL) {
		*why = xasprintf("invalid address: %s", reason);
		return -1;
	}
	if ((row->email = address_normalize(v, &reason)) == NULL) {
		*why = xasprintf("invalid address '%s': %s", v, reason);
		return -1;
	}
	return 0;
}

static int
check_rest(struct import_row *row, char **why)
{
	const char *reason;

	if (row->name && strlen(row->name) > NAME_MAX_LEN) {
		*why = xstrdup("the name is longer than 200 bytes");
		return -1;
	}
	if (row->name && (reason = control_char(row->name)) != NULL) {
		*why = xasprintf("the name %s", reason);
		return -1;
	}
	if (row->status && !one_of(row->status, statuses)) {
		*why = xasprintf("status must be pending, active, unsubscribed "
		    "or bounced, not '%s'", row->status);
		return -1;
	}
	if (row->frequency && !one_of(row->frequency, frequencies)) {
		*why = xasprintf("frequency must be weekly or daily, not '%s'",
		    row->frequency);
		return -1;
	}
	return 0;
}

int
import_row_parse(const struct import_header *h, const struct csv_record *rec,
    struct import_row *row, char **why)
{
	const char *v;

	memset(row, 0, sizeof *row);
	if (rec->problem) {
		*why = xstrdup(rec->problem);
		return -1;
	}
	if (check_email(field(h, rec, IMPORT_EMAIL), row, why) == -1)
		return -1;
	row->name = field(h, rec, IMPORT_NAME);
	if ((v = field(h, rec, IMPORT_STATUS)) != NULL && *v)
		row->status = v;
	if ((v = field(h, rec, IMPORT_FREQUENCY)) != NULL && *v)
		row->frequency = v;
	if (check_rest(row, why) == -1)
		goto fail;
	if ((v = field(h, rec, IMPORT_TOPICS)) != NULL &&
	    split_topics(v, row, why) == -1)
		goto fail;
	return 0;
fail:
	import_row_free(row);
	return -1;
}

void
import_row_free(struct import_row *row)
{
	size_t i;

	for (i = 0; i < row->ntopics; i++)
		free(row->topics[i]);
	free(row->topics);
	free(row->email);
	memset(row, 0, sizeof *row);
}

char *
import_topics_join(const struct import_row *row, char sep)
{
	size_t i, len = 1;
	char *out, *p;

	for (i = 0; i < row->ntopics; i++)
		len += strlen(row->topics[i]) + 1;
	p = out = xmalloc(len);
	*p = '\0';
	for (i = 0; i < row->ntopics; i++) {
		if (i > 0)
			*p++ = sep;
		p = stpcpy(p, row->topics[i]);
	}
	return out;
}

/* ------------------------------------------------- duplicate addresses */

struct seen_slot {
	char	*key;		/* lower-cased address, NULL when free */
	unsigned long line;
};

struct import_seen {
	struct seen_slot *slots;
	size_t	 n, cap;	/* cap is a power of two */
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct import_seen *
import_seen_new(void)
{
	struct import_seen *s = xcalloc(1, sizeof *s);

	s->cap = 1024;
	s->slots = xcalloc(s->cap, sizeof *s->slots);
	return s;
}

static struct seen_slot *
find_slot(struct seen_slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void
grow(struct import_seen *s)
{
	struct seen_slot *old = s->slots, *to;
	size_t i, cap = s->cap;

	s->cap *= 2;
	s->slots = xcalloc(s->cap, sizeof *s->slots);
	for (i = 0; i < cap; i++)
		if (old[i].key) {
			to = find_slot(s->slots, s->cap, old[i].key);
			*to = old[i];
		}
	free(old);
}

unsigned long
import_seen_add(struct import_seen *s, const char *email, unsigned long line)
{
	char *key = xstrdup(email), *p;
	struct seen_slot *slot;

	for (p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	slot = find_slot(s->slots, s->cap, key);
	if (slot->key) {
		free(key);
		return slot->line;
	}
	slot->key = key;
	slot->line = line;
	if (++s->n * 2 > s->cap)
		grow(s);
	return 0;
}

void
import_seen_free(struct import_seen *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->slots[i].key);
	free(s->slots);
	free(s);
}
