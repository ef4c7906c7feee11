/*
 * store-int.h - what the store-*.c files share; nothing outside the store
 * includes this (or sqlite3.h).
 */
#ifndef GZ_STORE_INT_H
#define GZ_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

#define STMT_CACHE 96

struct store {
	sqlite3	*db;
	char	*path;
	struct {
		const char *sql;	/* static string: compared by address */
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	int	 depth;			/* nesting of store_begin */
	double	 busy_since;		/* when the current lock wait began */
	int	 busy_failed;		/* a call gave up waiting for a lock */
	struct section_cache *sections;	/* written in this transaction */
};

/* A prepared, reset statement for sql (a string literal), or NULL + *err. */
sqlite3_stmt *stmt_get(struct store *st, const char *sql, char **err);
/* Set *err from the connection's last error, prefixed with what. */
int	 store_fail(struct store *st, const char *what, char **err);
/* Bind text, NULL when s is NULL. */
int	 bind_text(sqlite3_stmt *s, int i, const char *v);
/* Step a statement that returns no rows; reset it.  0 or -1 with *err. */
int	 step_done(struct store *st, sqlite3_stmt *s, const char *what,
	    char **err);
/*
 * End a loop of sqlite3_step whose last result was rc: reset s; 0 when
 * rc is a row or the end, else -1 with *err.
 */
int	 step_end(struct store *st, sqlite3_stmt *s, int rc, const char *what,
	    char **err);
/* step_done, then the number of rows it changed, or -1 with *err. */
int	 step_changes(struct store *st, sqlite3_stmt *s, const char *what,
	    char **err);
/* Column text as const char *, NULL for SQL NULL. */
const char *col_text(sqlite3_stmt *s, int i);
/* The ten columns of an entry row (unseen_row's order) into r. */
void	 entry_row_read(sqlite3_stmt *s, struct unseen_row *r);

/* Run sql (one text parameter, key) for the first row's integer: 0 with
 * *id, STORE_NOTFOUND, or -1 with *err naming what. */
int	 store_lookup_id(struct store *st, const char *sql, const char *key,
	    int64_t *id, const char *what, char **err);

/* store-sections.c: the section showing topic (an index into d's topics)
 * in *id, written unless this transaction wrote the same one; 0 when the
 * topic shows nothing.  0 or -1 with *err. */
int	 store_section_for(struct store *st, const struct digest *d,
	    size_t topic, int64_t *id, char **err);
/* The end of a transaction: forget the sections it wrote. */
void	 store_sections_forget(struct store *st);

/* Mark a subscriber 'bounced' and drop their unsent digests (no
 * transaction of its own).  0 or -1 with *err. */
int	 store_retire(struct store *st, int64_t subscriber_id, char **err);

#endif
