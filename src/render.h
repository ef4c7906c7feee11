/*
 * render.h - a digest through the templates: subject, HTML and text.
 */
#ifndef GZ_RENDER_H
#define GZ_RENDER_H

#include "piece.h"

struct config;
struct digest;
struct renderer;
struct tmpl;

struct rendered {
	char	*subject;
	char	*html;
	char	*text;
	struct pieces html_pieces;	/* topic sections other digests share */
	struct pieces text_pieces;
};

/*
 * Load and compile digest.html, digest.txt and subject.txt from the
 * template folder ([digest] template_dir, else $GAZETTE_TEMPLATE_DIR, else
 * the installed templates).  NULL with *err naming the file on failure.
 */
struct renderer *renderer_open(const struct config *cfg, char **err);
void	 renderer_free(struct renderer *r);

/* The files renderer_open needs, NULL-terminated. */
extern const char *const render_template_files[];
/*
 * Read and compile DIR/FILE (also for partials, NAME.mustache, which the
 * renderer reads from the same folder).  NULL with *err: "PATH: reason" or
 * "PATH:LINE:COL: what is wrong".
 */
struct tmpl *render_template_load(const char *dir, const char *file,
	    char **err);

/* Render d.  0, or -1 with *err. */
int	 render_digest(struct renderer *r, const struct digest *d,
	    struct rendered *out, char **err);
void	 rendered_free(struct rendered *out);

#endif
