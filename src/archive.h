/*
 * archive.h - the static web archive: pages built from the store through
 * the templates (archive.c, archive-model.c), written into a folder so that
 * a re-run only touches what changed (archive-site.c).
 *
 * Layout, relative to the archive folder (and to [general] base_url):
 *   index.html                 the topics and the issues
 *   SLUG/index.html            a topic's newest entries (page 1)
 *   SLUG/page/N.html           its older entries, N = 2, 3, ...
 *   issue-YYYY-Www.html        what the digests sent that ISO week held
 *   issue-YYYY-Www-KEY.html    one sent digest's content (its topics and
 *                              entries; KEY: archive_digest_path)
 *   .gazette-archive           the manifest: every file gazette wrote
 * Slugs are [a-z0-9_-], so no slug folder can be an issue page or the
 * manifest.  Nothing here prints or exits.
 */
#ifndef GZ_ARCHIVE_H
#define GZ_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct store;

#define ARCHIVE_MANIFEST ".gazette-archive"

struct archive_page {
	char	*path;		/* relative to the archive folder */
	char	*data;
	size_t	 len;
};

struct archive_site {
	struct archive_page *pages;
	size_t	 npages;
};

struct archive_stats {
	size_t	 written;
	size_t	 unchanged;
	size_t	 removed;
};

/*
 * Render every page from the store with the archive templates (from
 * [digest] template_dir, falling back per file to the installed ones).
 * 0, or -1 with *err.
 */
int	 archive_build(struct store *st, const struct config *cfg,
	    struct archive_site *site, char **err);
void	 archive_site_free(struct archive_site *site);
/* Add a page (takes data). */
void	 archive_site_add(struct archive_site *site, char *path, char *data);

/*
 * Write site into dir (created if missing): files whose content is already
 * on disk are left alone, others are replaced atomically; files listed in
 * the previous manifest but no longer in site are removed, and nothing
 * else ever is.  0, or -1 with *err (dir not writable, ...).
 */
int	 archive_write(const char *dir, const struct archive_site *site,
	    struct archive_stats *stats, char **err);

/* "issue-2026-W48.html": the issue page of a digest made at t (UTC). */
char	*archive_issue_path(int64_t t);
struct digest;
/*
 * "issue-2026-W48-3fa2c1d0e5b7.html": the page of a digest's content, named
 * by the week it was made in and a hash of what it shows (each topic that
 * shows entries, in order, with its entries' ids in order).  Digests that
 * show the same share the page, which tells nothing of who got them.
 */
char	*archive_digest_path(const struct digest *d);
/* base_url/issue-...: a digest's "view in browser" link. */
char	*archive_digest_url(const char *base_url, const struct digest *d);

#endif
