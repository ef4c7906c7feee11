/*
 * template.c - the tval value tree and our mustache engine.
 *
 * tmpl_compile parses a template once into a tree of nodes; tmpl_render
 * walks that tree against a stack of contexts.  Holds to the mustache spec's
 * core modules (comments, delimiters, interpolation, inverted, partials,
 * sections); lambdas are not supported.  Never prints and never exits:
 * errors go back to the caller in *err.
 *
 * Where the spec is silent we chose:
 *  - "" is falsey, like false, null and the empty list, so that
 *    {{#author}} by {{author}}{{/author}} drops its words for an entry
 *    without an author.  0 and every map are truthy.
 *  - {{x}} escapes & < > " and nothing else (the spec's expectations), so
 *    HTML templates must quote attributes with double quotes.
 *  - Booleans interpolate as "true"/"false"; lists and maps as nothing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "piece.h"
#include "template.h"
#include "xmalloc.h"

#define DELIM_MAX	16	/* longest custom delimiter */
#define NEST_MAX	100	/* deepest section nesting in one template */
#define PARTIAL_MAX	64	/* deepest partial nesting at render time */

/* Values. */

struct tval {
	enum tval_kind	  kind;
	int		  b;
	double		  num;
	char		 *str;
	struct tval	**items;	/* list items, or map values */
	char		**keys;		/* map keys, parallel to items */
	uint32_t	 *hashes;	/* key_hash of each key */
	size_t		  n, cap;
	const struct tval *ref;		/* tv_ref: stands for this one */
	struct memo	 *memo;		/* sections rendered over it */
};

/*
 * Keys are compared by hash first (FNV-1a): a name is looked for in
 * every context out from the innermost, and a strcmp per key tried was
 * the engine's largest cost.  Names hash once, when a template compiles.
 */
static uint32_t
key_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* What v stands for: itself, or a tv_ref's target. */
static const struct tval *
deref(const struct tval *v)
{
	return v != NULL && v->ref != NULL ? v->ref : v;
}

static struct tval *
tv_new(enum tval_kind kind)
{
	struct tval *v = xcalloc(1, sizeof *v);

	v->kind = kind;
	return v;
}

struct tval *
tv_null(void)
{
	return tv_new(TV_NULL);
}

struct tval *
tv_bool(int b)
{
	struct tval *v = tv_new(TV_BOOL);

	v->b = b != 0;
	return v;
}

struct tval *
tv_num(double d)
{
	struct tval *v = tv_new(TV_NUM);

	v->num = d;
	return v;
}

struct tval *
tv_str(const char *s)
{
	return s == NULL ? tv_null() : tv_str_own(xstrdup(s));
}

struct tval *
tv_str_own(char *s)
{
	struct tval *v;

	if (s == NULL)
		return tv_null();
	v = tv_new(TV_STR);
	v->str = s;
	return v;
}

static void memo_free(struct memo *);

struct tval *
tv_ref(const struct tval *target)
{
	struct tval *v = tv_new(TV_NULL);

	v->ref = deref(target);
	return v;
}

struct tval *
tv_list(void)
{
	return tv_new(TV_LIST);
}

struct tval *
tv_map(void)
{
	return tv_new(TV_MAP);
}

static void
tv_grow(struct tval *c)
{
	if (c->n < c->cap)
		return;
	c->cap = c->cap ? c->cap * 2 : 8;
	c->items = xreallocarray(c->items, c->cap, sizeof *c->items);
	if (c->kind != TV_MAP)
		return;
	c->keys = xreallocarray(c->keys, c->cap, sizeof *c->keys);
	c->hashes = xreallocarray(c->hashes, c->cap, sizeof *c->hashes);
}

struct tval *
tv_push(struct tval *list, struct tval *v)
{
	if (list == NULL || list->kind != TV_LIST) {
		tv_free(v);
		return NULL;
	}
	tv_grow(list);
	list->items[list->n++] = v;
	return v;
}

/* A key set twice keeps its first place and takes the newer value. */
struct tval *
tv_set(struct tval *map, const char *key, struct tval *v)
{
	uint32_t h;
	size_t i;

	if (map == NULL || map->kind != TV_MAP || key == NULL) {
		tv_free(v);
		return NULL;
	}
	h = key_hash(key);
	for (i = 0; i < map->n; i++) {
		if (map->hashes[i] == h && strcmp(map->keys[i], key) == 0) {
			tv_free(map->items[i]);
			map->items[i] = v;
			return v;
		}
	}
	tv_grow(map);
	map->keys[map->n] = xstrdup(key);
	map->hashes[map->n] = h;
	map->items[map->n++] = v;
	return v;
}

enum tval_kind
tv_kind(const struct tval *v)
{
	return v == NULL ? TV_NULL : deref(v)->kind;
}

void
tv_free(struct tval *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		tv_free(v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->hashes);
	free(v->str);
	memo_free(v->memo);
	free(v);
}

static const struct tval *
map_get(const struct tval *map, const char *key, uint32_t hash)
{
	size_t i;

	if (map == NULL || map->kind != TV_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->hashes[i] == hash && strcmp(map->keys[i], key) == 0)
			return deref(map->items[i]);
	return NULL;
}

static int
truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case TV_NULL:
		return 0;
	case TV_BOOL:
		return v->b;
	case TV_STR:
		return v->str[0] != '\0';
	case TV_LIST:
		return v->n > 0;
	default:
		return 1;
	}
}

/*
 * The shortest text that reads back as d, so 1.21 stays "1.21" rather than
 * %.17g's "1.2100000000000000"; whole numbers print without a fraction.
 */
static void
format_num(double d, char *s, size_t size)
{
	char digits[24], *p = digits + sizeof digits;
	unsigned long long u;
	int prec;

	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		/* Whole numbers by hand: references and counts fill every
		 * digest, and snprintf was 3 % of a send. */
		u = d < 0 ? (unsigned long long)-(long long)d :
		    (unsigned long long)d;
		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (d < 0)
			*--p = '-';
		if (size > 0) {
			if (size > (size_t)(digits + sizeof digits - p))
				size = (size_t)(digits + sizeof digits - p);
			memcpy(s, p, size - 1);
			s[size - 1] = '\0';
		}
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(s, size, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			return;
	}
	snprintf(s, size, "%.17g", d);
}

/* The compiled tree. */

enum nkind {
	N_TEXT,		/* literal text */
	N_INDENT,	/* a line starts: a partial's indent goes here */
	N_VAR,		/* {{x}} */
	N_RAW,		/* {{{x}}} and {{&x}} */
	N_SECTION,	/* {{#x}}...{{/x}} */
	N_INVERTED,	/* {{^x}}...{{/x}} */
	N_PARTIAL	/* {{>x}} */
};

struct nodes {
	struct node	*v;
	size_t		 n, cap;
};

struct node {
	enum nkind	  kind;
	char		 *text;		/* literal text, or the tag's name */
	size_t		  len;
	char		**keys;		/* name split at dots; none for "." */
	uint32_t	 *hashes;	/* key_hash of each */
	size_t		  nkeys;
	char		 *indent;	/* standalone partial: its indent */
	size_t		  pos;		/* offset of the tag in the source */
	struct nodes	  body;		/* a section's contents */
};

struct tmpl {
	char		*name;
	uint64_t	 serial;	/* never the same for two templates */
	struct nodes	 body;
};

static void
nodes_free(struct nodes *ns)
{
	struct node *n;
	size_t i, k;

	for (i = 0; i < ns->n; i++) {
		n = &ns->v[i];
		for (k = 0; k < n->nkeys; k++)
			free(n->keys[k]);
		free(n->keys);
		free(n->hashes);
		free(n->text);
		free(n->indent);
		nodes_free(&n->body);
	}
	free(ns->v);
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	nodes_free(&t->body);
	free(t->name);
	free(t);
}

/* Parsing. */

struct tag {
	int		 sigil;		/* one of #^/>!=&{ or 0 */
	const char	*start, *end;	/* the whole tag, delimiters included */
	const char	*name;		/* its content, blanks trimmed */
	size_t		 nlen;
};

struct parser {
	const char	*src, *p, *end;
	const char	*name;
	char		 otag[DELIM_MAX + 1], ctag[DELIM_MAX + 1];
	size_t		 olen, clen;
	int		 bol;		/* next output starts a line */
	struct nodes	*top;		/* the template's own body */
	struct nodes	*cur;		/* where new nodes go */
	struct node	*open[NEST_MAX];
	int		 depth;
	char		**err;
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *
find(const char *s, const char *end, const char *pat, size_t plen)
{
	while ((size_t)(end - s) >= plen) {
		s = memchr(s, pat[0], (size_t)(end - s) - plen + 1);
		if (s == NULL)
			return NULL;
		if (memcmp(s, pat, plen) == 0)
			return s;
		s++;
	}
	return NULL;
}

static int
parse_error(struct parser *ps, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
parse_error(struct parser *ps, size_t pos, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	size_t i, line = 1, col = 1;

	for (i = 0; i < pos; i++) {
		if (ps->src[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (ps->err != NULL)
		*ps->err = xasprintf("%s:%zu:%zu: %s", ps->name, line, col,
		    msg);
	free(msg);
	return -1;
}

static struct node *
add_node(struct parser *ps, enum nkind kind)
{
	struct nodes *ns = ps->cur;
	struct node *n;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 8;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	n = &ns->v[ns->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	return n;
}

/* Anything that outputs, or a tag that is not alone on its line. */
static void
mark_line(struct parser *ps)
{
	if (ps->bol)
		add_node(ps, N_INDENT);
	ps->bol = 0;
}

static void
add_text(struct parser *ps, const char *s, const char *e)
{
	struct node *n;

	if (s == e)
		return;
	mark_line(ps);
	n = add_node(ps, N_TEXT);
	n->text = xstrndup(s, (size_t)(e - s));
	n->len = (size_t)(e - s);
	ps->bol = e[-1] == '\n';
}

static void
split_name(struct node *n)
{
	char *p, *dot;

	if (strcmp(n->text, ".") == 0)
		return;
	for (p = n->text;; p = dot + 1) {
		n->keys = xreallocarray(n->keys, n->nkeys + 1, sizeof *n->keys);
		dot = strchr(p, '.');
		if (dot == NULL) {
			n->keys[n->nkeys++] = xstrdup(p);
			return;
		}
		n->keys[n->nkeys++] = xstrndup(p, (size_t)(dot - p));
	}
}

static void
hash_keys(struct node *n)
{
	size_t k;

	n->hashes = xreallocarray(NULL, n->nkeys + 1, sizeof *n->hashes);
	for (k = 0; k < n->nkeys; k++)
		n->hashes[k] = key_hash(n->keys[k]);
}

static void
add_named(struct parser *ps, enum nkind kind, const struct tag *tg)
{
	struct node *n = add_node(ps, kind);

	n->text = xstrndup(tg->name, tg->nlen);
	n->pos = (size_t)(tg->start - ps->src);
	split_name(n);
	hash_keys(n);
}

static int
read_tag(struct parser *ps, const char *start, struct tag *tg)
{
	char closer[DELIM_MAX + 2];
	const char *c = start + ps->olen, *close;
	size_t clen = ps->clen;

	memcpy(closer, ps->ctag, clen);
	tg->sigil = c < ps->end ? *c : 0;
	if (tg->sigil != 0 && strchr("#^/>!=&{", tg->sigil) != NULL)
		c++;
	else
		tg->sigil = 0;
	/* {{{x}}} and {{=a b=}} end with '}' or '=' before the delimiter. */
	if (tg->sigil == '{' || tg->sigil == '=') {
		closer[0] = tg->sigil == '{' ? '}' : '=';
		memcpy(closer + 1, ps->ctag, ps->clen);
		clen = ps->clen + 1;
	}
	close = find(c, ps->end, closer, clen);
	if (close == NULL)
		return parse_error(ps, (size_t)(start - ps->src),
		    "unclosed tag %s", ps->otag);
	tg->start = start;
	tg->end = close + clen;
	while (c < close && is_blank(*c))
		c++;
	while (close > c && is_blank(close[-1]))
		close--;
	tg->name = c;
	tg->nlen = (size_t)(close - c);
	if (tg->nlen == 0 && tg->sigil != '!' && tg->sigil != '=')
		return parse_error(ps, (size_t)(start - ps->src),
		    "empty tag name");
	return 0;
}

/*
 * A section, comment, partial or delimiter tag alone on its line (blanks
 * aside) takes the whole line with it.  On success *ls is where the line
 * starts and *next where the following one does.
 */
static int
standalone(struct parser *ps, const struct tag *tg, const char **ls,
    const char **next)
{
	const char *q;

	if (tg->sigil == 0 || strchr("#^/>!=", tg->sigil) == NULL)
		return 0;
	for (q = tg->start; q > ps->p && (q[-1] == ' ' || q[-1] == '\t'); q--)
		continue;
	if (q != ps->src && q[-1] != '\n')
		return 0;
	*ls = q;
	for (q = tg->end; q < ps->end && (*q == ' ' || *q == '\t'); q++)
		continue;
	if (ps->end - q >= 2 && q[0] == '\r' && q[1] == '\n')
		q += 2;
	else if (q < ps->end && *q == '\n')
		q++;
	else if (q != ps->end)
		return 0;
	*next = q;
	return 1;
}

/* {{=OPEN CLOSE=}}: two words without blanks or '=' (spec: delimiters). */
static int
set_delims(struct parser *ps, const struct tag *tg)
{
	const char *s = tg->name, *e = tg->name + tg->nlen, *o, *c, *x;
	size_t pos = (size_t)(tg->start - ps->src);

	for (o = s; o < e && !is_blank(*o); o++)
		continue;
	for (c = o; c < e && is_blank(*c); c++)
		continue;
	for (x = c; x < e && !is_blank(*x); x++)
		continue;
	if (o == s || c == e || x != e || memchr(s, '=', tg->nlen) != NULL)
		return parse_error(ps, pos,
		    "bad delimiter set: want {{=OPEN CLOSE=}}");
	if (o - s > DELIM_MAX || e - c > DELIM_MAX)
		return parse_error(ps, pos,
		    "bad delimiter set: longer than %d bytes", DELIM_MAX);
	ps->olen = (size_t)(o - s);
	memcpy(ps->otag, s, ps->olen);
	ps->otag[ps->olen] = '\0';
	ps->clen = (size_t)(e - c);
	memcpy(ps->ctag, c, ps->clen);
	ps->ctag[ps->clen] = '\0';
	return 0;
}

static int
open_section(struct parser *ps, const struct tag *tg)
{
	struct node *n;

	if (ps->depth == NEST_MAX)
		return parse_error(ps, (size_t)(tg->start - ps->src),
		    "sections nested deeper than %d", NEST_MAX);
	add_named(ps, tg->sigil == '#' ? N_SECTION : N_INVERTED, tg);
	n = &ps->cur->v[ps->cur->n - 1];
	ps->open[ps->depth++] = n;
	ps->cur = &n->body;
	return 0;
}

static int
close_section(struct parser *ps, const struct tag *tg)
{
	struct node *n;
	size_t pos = (size_t)(tg->start - ps->src);

	if (ps->depth == 0)
		return parse_error(ps, pos, "closing tag {{/%.*s}} without an "
		    "open section", (int)tg->nlen, tg->name);
	n = ps->open[ps->depth - 1];
	if (strlen(n->text) != tg->nlen ||
	    memcmp(n->text, tg->name, tg->nlen) != 0)
		return parse_error(ps, pos, "closing tag {{/%.*s}} does not "
		    "match open section {{%c%s}}", (int)tg->nlen, tg->name,
		    n->kind == N_SECTION ? '#' : '^', n->text);
	ps->depth--;
	ps->cur = ps->depth ? &ps->open[ps->depth - 1]->body : ps->top;
	return 0;
}

static int
apply_tag(struct parser *ps, const struct tag *tg, const char *indent,
    size_t ilen)
{
	struct node *n;
	int rc = 0;

	switch (tg->sigil) {
	case 0:
		add_named(ps, N_VAR, tg);
		break;
	case '&':
	case '{':
		add_named(ps, N_RAW, tg);
		break;
	case '#':
	case '^':
		rc = open_section(ps, tg);
		break;
	case '/':
		rc = close_section(ps, tg);
		break;
	case '>':
		add_named(ps, N_PARTIAL, tg);
		n = &ps->cur->v[ps->cur->n - 1];
		if (indent != NULL)
			n->indent = xstrndup(indent, ilen);
		break;
	case '=':
		rc = set_delims(ps, tg);
		break;
	}
	return rc;
}

static int
parse(struct parser *ps)
{
	struct tag tg;
	const char *start, *ls, *next;

	while (ps->p < ps->end) {
		start = find(ps->p, ps->end, ps->otag, ps->olen);
		if (start == NULL) {
			add_text(ps, ps->p, ps->end);
			break;
		}
		if (read_tag(ps, start, &tg) == -1)
			return -1;
		if (standalone(ps, &tg, &ls, &next)) {
			add_text(ps, ps->p, ls);
			ps->p = next;
			if (apply_tag(ps, &tg, ls, (size_t)(start - ls)) == -1)
				return -1;
			continue;
		}
		add_text(ps, ps->p, start);
		ps->p = tg.end;
		mark_line(ps);
		if (apply_tag(ps, &tg, NULL, 0) == -1)
			return -1;
	}
	if (ps->depth > 0)
		return parse_error(ps, ps->open[ps->depth - 1]->pos,
		    "unclosed section {{%c%s}}",
		    ps->open[ps->depth - 1]->kind == N_SECTION ? '#' : '^',
		    ps->open[ps->depth - 1]->text);
	return 0;
}

struct tmpl *
tmpl_compile(const char *src, const char *name, char **err)
{
	static uint64_t serials;	/* one thread renders */
	struct parser ps;
	struct tmpl *t = xcalloc(1, sizeof *t);

	t->name = xstrdup(name != NULL ? name : "template");
	t->serial = ++serials;
	if (src == NULL)
		src = "";
	memset(&ps, 0, sizeof ps);
	ps.src = ps.p = src;
	ps.end = src + strlen(src);
	ps.name = t->name;
	memcpy(ps.otag, "{{", 3);
	memcpy(ps.ctag, "}}", 3);
	ps.olen = ps.clen = 2;
	ps.bol = 1;
	ps.top = ps.cur = &t->body;
	ps.err = err;
	if (parse(&ps) == -1) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/* Rendering. */

struct cached {
	char		*name;
	struct tmpl	*t;		/* NULL: the partial is unknown */
};

struct render {
	tmpl_partial_fn	  fn;
	void		 *pctx;
	struct buf	 *out;
	const struct tval **stack;	/* contexts, innermost last */
	size_t		  depth, scap;
	struct cached	 *cache;	/* partials compiled so far */
	size_t		  ncache, ccap;
	const char	 *indent;	/* put at each line start */
	size_t		  ilen;		/* its length */
	int		  partials;	/* partials being rendered */
	char		**err;
	uint64_t	  serial;	/* the template's */
	size_t		  reach;	/* lowest context a lookup read */
	int		  keeping;	/* sections being rendered to keep */
	struct pieces	 *pieces;	/* NULL: not wanted */
};

static int render_nodes(struct render *, const struct nodes *);

static int
put(struct render *r, const char *s, size_t n)
{
	if (n == 0 || buf_append(r->out, s, n) == 0)
		return 0;
	if (r->err != NULL)
		*r->err = xasprintf("output exceeds %zu bytes", r->out->max);
	return -1;
}

/* Text gets the indent after each newline that more text follows. */
static int
put_text(struct render *r, const struct node *n)
{
	const char *s = n->text, *e = n->text + n->len, *nl;
	size_t ilen = r->ilen;

	if (ilen == 0)
		return put(r, s, n->len);
	while ((nl = memchr(s, '\n', (size_t)(e - s))) != NULL &&
	    nl + 1 < e) {
		if (put(r, s, (size_t)(nl + 1 - s)) == -1 ||
		    put(r, r->indent, ilen) == -1)
			return -1;
		s = nl + 1;
	}
	return put(r, s, (size_t)(e - s));
}

static int
put_escaped(struct render *r, const char *s)
{
	const char *ent;
	size_t run;

	for (;;) {
		run = strcspn(s, "&<>\"");
		if (put(r, s, run) == -1)
			return -1;
		s += run;
		switch (*s) {
		case '\0':
			return 0;
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		default:
			ent = "&quot;";
			break;
		}
		if (put(r, ent, strlen(ent)) == -1)
			return -1;
		s++;
	}
}

/*
 * The first key is looked for from the innermost context out; the rest of a
 * dotted name only inside what the first one found (spec: "Dotted Names -
 * Context Precedence").
 */
static const struct tval *
lookup(struct render *r, const struct node *n)
{
	const struct tval *v = NULL;
	size_t i, k;

	if (n->nkeys == 0) {
		if (r->depth > 0 && r->depth - 1 < r->reach)
			r->reach = r->depth - 1;
		return r->depth ? r->stack[r->depth - 1] : NULL;
	}
	for (i = r->depth; i > 0 && v == NULL; i--)
		v = map_get(r->stack[i - 1], n->keys[0], n->hashes[0]);
	/* i: the context it was found in, or 0 when all were read. */
	if (i < r->reach)
		r->reach = i;
	for (k = 1; k < n->nkeys && v != NULL; k++)
		v = map_get(v, n->keys[k], n->hashes[k]);
	return v;
}

static int
render_var(struct render *r, const struct node *n)
{
	const struct tval *v = lookup(r, n);
	char num[64];
	const char *s;

	switch (tv_kind(v)) {
	case TV_BOOL:
		s = v->b ? "true" : "false";
		break;
	case TV_NUM:
		format_num(v->num, num, sizeof num);
		s = num;
		break;
	case TV_STR:
		s = v->str;
		break;
	default:
		return 0;
	}
	return n->kind == N_VAR ? put_escaped(r, s) : put(r, s, strlen(s));
}

static int
with_context(struct render *r, const struct tval *v, const struct nodes *body)
{
	int rc;

	if (r->depth == r->scap) {
		r->scap = r->scap ? r->scap * 2 : 16;
		r->stack = xreallocarray(r->stack, r->scap, sizeof *r->stack);
	}
	r->stack[r->depth++] = v;
	rc = render_nodes(r, body);
	r->depth--;
	return rc;
}

/*
 * Sections kept with their value.  A value reached through tv_ref is
 * shared by many renders (a topic's section in every digest showing it).
 * The body of a section rendered over it is kept with the value when what
 * it wrote depended on that value alone: every name it looked up was
 * found in the value or in contexts inside it (r->reach tells), and no
 * partial was rendered (a partial's source is the caller's).  Then
 * every later render with the same template copies the bytes.  What
 * depends on more is remembered too, so it is not tried again: the same
 * value takes the same path through the body every time, so a body that
 * read outside its value once would again.
 */
struct memo {
	uint64_t	 serial;	/* the template's */
	const struct node *node;	/* the section */
	char		*out;		/* NULL: depends on more */
	size_t		 len;
	uint64_t	 id;		/* names out (piece.h) */
	struct memo	*next;
};

static void
memo_free(struct memo *m)
{
	struct memo *next;

	for (; m != NULL; m = next) {
		next = m->next;
		free(m->out);
		free(m);
	}
}

static const struct memo *
memo_find(const struct tval *v, uint64_t serial, const struct node *n)
{
	const struct memo *m;

	for (m = v->memo; m != NULL; m = m->next)
		if (m->serial == serial && m->node == n)
			return m;
	return NULL;
}

/* Keep len bytes at out (NULL: depends on more) with v.  The value is
 * const to the renders; what they keep with it is not part of it. */
static const struct memo *
memo_add(const struct tval *v, uint64_t serial, const struct node *n,
    const char *out, size_t len)
{
	static uint64_t ids;		/* one thread renders */
	struct tval *shared = (struct tval *)(uintptr_t)v;
	struct memo *m = xcalloc(1, sizeof *m);

	m->serial = serial;
	m->node = n;
	if (out != NULL) {
		m->out = xmalloc(len + 1);
		memcpy(m->out, out, len);
		m->out[len] = '\0';
		m->len = len;
		m->id = ++ids;
	}
	m->next = shared->memo;
	shared->memo = m;
	return m;
}

/* A kept section's bytes are in the output at off: say so. */
static void
note_piece(struct render *r, size_t off, const struct memo *m)
{
	if (r->pieces != NULL && r->keeping == 0 && m->len > 0)
		pieces_add(r->pieces, off, m->len, m->id);
}

/* The section n over v, a shared value: copied if kept, else rendered
 * and kept if it depended on v alone. */
static int
with_memo(struct render *r, const struct node *n, const struct tval *v)
{
	const struct memo *m = memo_find(v, r->serial, n);
	size_t off = r->out->len, outer = r->reach, mine = r->depth;
	int rc;

	if (m != NULL && m->out == NULL)
		return with_context(r, v, &n->body);
	if (m != NULL) {
		if (put(r, m->out, m->len) == -1)
			return -1;
		note_piece(r, off, m);
		return 0;
	}
	r->reach = SIZE_MAX;
	r->keeping++;
	rc = with_context(r, v, &n->body);
	r->keeping--;
	if (rc == 0) {
		m = memo_add(v, r->serial, n, r->reach >= mine ?
		    r->out->data + off : NULL, r->out->len - off);
		if (m->out != NULL)
			note_piece(r, off, m);
	}
	if (outer < r->reach)
		r->reach = outer;
	return rc;
}

static int
render_section(struct render *r, const struct node *n)
{
	const struct tval *v = lookup(r, n);
	size_t i;
	int rc;

	if (n->kind == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(r, &n->body);
	if (!truthy(v))
		return 0;
	if (v->kind != TV_LIST)
		return with_context(r, v, &n->body);
	for (i = 0, rc = 0; i < v->n && rc == 0; i++)
		if (v->items[i]->ref != NULL && r->partials == 0)
			rc = with_memo(r, n, deref(v->items[i]));
		else
			rc = with_context(r, deref(v->items[i]), &n->body);
	return rc;
}

/* Compiled once per render call, however often it is used. */
static int
partial_get(struct render *r, const char *name, struct tmpl **tp)
{
	const char *src;
	size_t i;

	for (i = 0; i < r->ncache; i++) {
		if (strcmp(r->cache[i].name, name) == 0) {
			*tp = r->cache[i].t;
			return 0;
		}
	}
	*tp = NULL;
	src = r->fn != NULL ? r->fn(name, r->pctx) : NULL;
	if (src != NULL && (*tp = tmpl_compile(src, name, r->err)) == NULL)
		return -1;
	if (r->ncache == r->ccap) {
		r->ccap = r->ccap ? r->ccap * 2 : 8;
		r->cache = xreallocarray(r->cache, r->ccap, sizeof *r->cache);
	}
	r->cache[r->ncache].name = xstrdup(name);
	r->cache[r->ncache++].t = *tp;
	return 0;
}

/*
 * A standalone partial has each of its lines indented like its tag (on top
 * of the indent of the partial it sits in); an inline one has none.
 */
static int
render_partial(struct render *r, const struct node *n)
{
	const char *saved = r->indent;
	size_t saved_len = r->ilen;
	struct tmpl *t;
	char *indent = NULL;
	int rc;

	if (r->partials == PARTIAL_MAX) {
		if (r->err != NULL)
			*r->err = xasprintf("partial %s: partials nested "
			    "deeper than %d (recursive partial?)", n->text,
			    PARTIAL_MAX);
		return -1;
	}
	/* What a partial writes is the caller's to say (see with_memo). */
	r->reach = 0;
	if (partial_get(r, n->text, &t) == -1)
		return -1;
	if (t == NULL)
		return 0;
	if (n->indent != NULL)
		indent = xasprintf("%s%s", r->indent, n->indent);
	r->indent = indent != NULL ? indent : "";
	r->ilen = strlen(r->indent);
	r->partials++;
	rc = render_nodes(r, &t->body);
	r->partials--;
	r->indent = saved;
	r->ilen = saved_len;
	free(indent);
	return rc;
}

static int
render_nodes(struct render *r, const struct nodes *ns)
{
	const struct node *n;
	size_t i;
	int rc = 0;

	for (i = 0; i < ns->n && rc == 0; i++) {
		n = &ns->v[i];
		switch (n->kind) {
		case N_TEXT:
			rc = put_text(r, n);
			break;
		case N_INDENT:
			rc = put(r, r->indent, r->ilen);
			break;
		case N_VAR:
		case N_RAW:
			rc = render_var(r, n);
			break;
		case N_SECTION:
		case N_INVERTED:
			rc = render_section(r, n);
			break;
		case N_PARTIAL:
			rc = render_partial(r, n);
			break;
		}
	}
	return rc;
}

int
tmpl_render(const struct tmpl *t, const struct tval *ctx,
    tmpl_partial_fn partials, void *pctx, struct buf *out, char **err)
{
	return tmpl_render_pieces(t, ctx, partials, pctx, out, NULL, err);
}

int
tmpl_render_pieces(const struct tmpl *t, const struct tval *ctx,
    tmpl_partial_fn partials, void *pctx, struct buf *out,
    struct pieces *pieces, char **err)
{
	struct render r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof r);
	r.fn = partials;
	r.pctx = pctx;
	r.out = out;
	r.indent = "";
	r.err = err;
	r.serial = t->serial;
	r.reach = SIZE_MAX;
	r.pieces = pieces;
	if (ctx != NULL)
		rc = with_context(&r, ctx, &t->body);
	else
		rc = render_nodes(&r, &t->body);
	for (i = 0; i < r.ncache; i++) {
		free(r.cache[i].name);
		tmpl_free(r.cache[i].t);
	}
	free(r.cache);
	free(r.stack);
	return rc;
}
