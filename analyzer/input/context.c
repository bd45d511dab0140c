#include "analyzer/input/context.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fid {
	dev_t dev;
	ino_t ino;
};

static int cmp_fid(const void *a, const void *b)
{
	const struct fid *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int aa_discovered_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aa_discovered_file *)a)->path, ((const struct aa_discovered_file *)b)->path);
}

void aa_discovery_add_context(struct aa_discovery *d, const char *const *paths, size_t n_paths,
			      const char *const *excludes, size_t n_excludes)
{
	struct aa_discovery ctx;
	aa_discover(paths, n_paths, excludes, n_excludes, &ctx);
	/* The named files' identities, sorted for bsearch (a file that cannot be stat'ed has
	 * none: the read stage reports it, and no context file can be it). */
	struct fid *named = aa_xmalloc((d->len ? d->len : 1) * sizeof(*named));
	size_t n_named = 0;
	struct stat st;
	for (size_t i = 0; i < d->len; i++)
		if (!d->files[i].unreadable && stat(d->files[i].path, &st) == 0)
			named[n_named++] = (struct fid){ st.st_dev, st.st_ino };
	if (n_named)
		qsort(named, n_named, sizeof(*named), cmp_fid);
	AA_GROW(d->files, d->cap, d->len + ctx.len);
	for (size_t i = 0; i < ctx.len; i++) {
		struct aa_discovered_file *f = &ctx.files[i];
		bool keep = !f->unreadable && stat(f->path, &st) == 0;
		if (keep && n_named) {
			struct fid id = { st.st_dev, st.st_ino };
			keep = !bsearch(&id, named, n_named, sizeof(*named), cmp_fid);
		}
		if (!keep) {
			free(f->path);
			free(f->unreadable);
			continue;
		}
		d->files[d->len++] = (struct aa_discovered_file){ .path = f->path, .context = true };
	}
	if (d->len)
		qsort(d->files, d->len, sizeof(*d->files), aa_discovered_file_cmp);
	AA_GROW(d->errors, d->errors_cap, d->n_errors + ctx.n_errors);
	for (size_t i = 0; i < ctx.n_errors; i++)
		d->errors[d->n_errors++] = ctx.errors[i];
	/* Every string moved to d or was freed above: only the arrays are left. */
	free(ctx.files);
	free(ctx.errors);
	free(named);
}
