/*
 * template.h - our mustache engine, and the values it renders.
 *
 * Holds to the mustache spec's core modules (comments, delimiters,
 * interpolation, inverted, partials, sections).  {{x}} is HTML-escaped,
 * {{{x}}} and {{&x}} are not.  Nothing here prints or exits.
 */
#ifndef GZ_TEMPLATE_H
#define GZ_TEMPLATE_H

#include <stddef.h>

struct buf;
struct pieces;

/*
 * A value of the render context: a small JSON-like tree.  Sections skip
 * null, false, "" and the empty list; everything else (0 too) is truthy.
 * A map key set twice keeps its place and takes the newer value.
 */
enum tval_kind { TV_NULL, TV_BOOL, TV_NUM, TV_STR, TV_LIST, TV_MAP };

struct tval;

struct tval *tv_null(void);
struct tval *tv_bool(int b);
struct tval *tv_num(double d);
struct tval *tv_str(const char *s);		/* copies s; NULL gives TV_NULL */
struct tval *tv_str_own(char *s);		/* takes s */
/*
 * A borrowed value: renders as target, which must outlive it, and is not
 * freed with it (a part of the context shared by many renders).  A list
 * item that is one renders each section over it once per template: the
 * bytes are kept with target and copied by later renders, as long as
 * they depended on target alone (nothing looked up outside it, no
 * partial).  target must not change while it is shared.
 */
struct tval *tv_ref(const struct tval *target);
struct tval *tv_list(void);
struct tval *tv_map(void);
/* Both take ownership of v and return it. */
struct tval *tv_push(struct tval *list, struct tval *v);
struct tval *tv_set(struct tval *map, const char *key, struct tval *v);
enum tval_kind tv_kind(const struct tval *v);
void	 tv_free(struct tval *v);

/* A compiled template. */
struct tmpl;

/*
 * Where partials come from: return the source text of partial `name`
 * (borrowed; NULL when unknown).
 */
typedef const char *(*tmpl_partial_fn)(const char *name, void *ctx);

/*
 * Compile src.  name is used in error messages, which read
 * "NAME:LINE:COL: what is wrong" (*err, caller frees).
 */
struct tmpl *tmpl_compile(const char *src, const char *name, char **err);
void	 tmpl_free(struct tmpl *t);

/*
 * Render t with ctx into out.  partials may be NULL (then every partial is
 * empty, as the spec says for unknown ones).  Returns 0, or -1 with *err set
 * (a partial that does not compile, or out's cap reached).
 */
int	 tmpl_render(const struct tmpl *t, const struct tval *ctx,
	    tmpl_partial_fn partials, void *pctx, struct buf *out, char **err);
/*
 * tmpl_render, and where it copied a kept section (see tv_ref) into out,
 * appended to pieces: the same bytes wherever their id appears.
 */
int	 tmpl_render_pieces(const struct tmpl *t, const struct tval *ctx,
	    tmpl_partial_fn partials, void *pctx, struct buf *out,
	    struct pieces *pieces, char **err);

#endif
