/*
 * import.h - subscriber import rows: the header's columns and each row
 * checked into the values to store, without the store.
 *
 * Kept apart from the command so that the fuzzer can drive it.  Never
 * prints; problems come back as new strings for "FILE:LINE: reason".
 */
#ifndef GZ_IMPORT_H
#define GZ_IMPORT_H

#include <stddef.h>

struct csv_record;

enum import_col { IMPORT_EMAIL, IMPORT_NAME, IMPORT_TOPICS, IMPORT_STATUS,
    IMPORT_FREQUENCY, IMPORT_NCOLS };

/* The column names, in export order. */
extern const char *const import_columns[IMPORT_NCOLS];

struct import_header {
	int	 col[IMPORT_NCOLS];	/* field index, or -1 when absent */
};

/* Map a header record; 0, or -1 with *err. */
int	 import_header(const struct csv_record *rec, struct import_header *h,
	    char **err);

struct import_row {
	char	*email;		/* normalized */
	const char *name;	/* NULL: no column; "": no name */
	const char *status;	/* NULL: no column or empty */
	const char *frequency;	/* NULL: no column or empty */
	int	 has_topics;
	char	**topics;	/* sorted, without duplicates */
	size_t	 ntopics;
};

/* Check rec into row (which points into rec); 0, or -1 with *why. */
int	 import_row_parse(const struct import_header *h,
	    const struct csv_record *rec, struct import_row *row, char **why);
void	 import_row_free(struct import_row *row);
/* The row's topics joined with sep ("a,b"), a new string. */
char	*import_topics_join(const struct import_row *row, char sep);

/* The addresses seen so far in one import, any case. */
struct import_seen;
struct import_seen *import_seen_new(void);
/* 0 after recording email for line, or the line that had it first. */
unsigned long import_seen_add(struct import_seen *s, const char *email,
	    unsigned long line);
void	 import_seen_free(struct import_seen *s);

#endif
