#include "analyzer/check/findings.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

void aa_findings_init(struct aa_findings *f)
{
	memset(f, 0, sizeof(*f));
	/* A path is a few dozen bytes; 100,000 of them fill a few MB. */
	f->kept = (struct aa_arena)AA_ARENA_INIT(4096, 1 << 20);
	aa_diag_list_init(&f->rest);
}

void aa_findings_release(struct aa_findings *f)
{
	free(f->files);
	aa_arena_release(&f->kept);
	aa_diag_list_release(&f->rest);
	aa_findings_init(f);
}

void aa_findings_take_arena(struct aa_findings *f, struct aa_arena *arena)
{
	aa_arena_take(&f->kept, arena);
}

void aa_findings_add_block(struct aa_findings *f, const char *path, const unsigned char *block)
{
	if (!block)
		return;
	AA_GROW(f->files, f->cap, f->n_files + 1);
	f->files[f->n_files++] = (struct aa_findings_file){ aa_arena_copy(&f->kept, path, strlen(path)), block };
}

void aa_findings_take_list(struct aa_findings *f, struct aa_diag_list *list)
{
	aa_diag_list_take(&f->rest, list);
	aa_diag_list_sort(&f->rest);
}

void aa_findings_copy_all(const struct aa_findings *f, struct aa_diag_list *out)
{
	for (size_t i = 0; i < f->n_files; i++)
		aa_diag_thaw(f->files[i].block, f->files[i].path, out);
	for (size_t i = 0; i < f->rest.len; i++)
		aa_diag_list_copy(out, &f->rest.items[i]);
}

void aa_findings_read(struct aa_findings_reader *r, const struct aa_findings *f)
{
	*r = (struct aa_findings_reader){ f, 0, 0 };
}

bool aa_findings_next_group(struct aa_findings_reader *r, struct aa_diag_list *group)
{
	const struct aa_findings *f = r->f;
	const char *path = NULL;
	if (r->file < f->n_files)
		path = f->files[r->file].path;
	if (r->rest < f->rest.len && (!path || strcmp(f->rest.items[r->rest].path, path) < 0))
		path = f->rest.items[r->rest].path;
	if (!path)
		return false;
	/* path may point into rest's items: copies are appended to group, not to rest. */
	while (r->rest < f->rest.len && !strcmp(f->rest.items[r->rest].path, path))
		aa_diag_list_copy(group, &f->rest.items[r->rest++]);
	while (r->file < f->n_files && !strcmp(f->files[r->file].path, path)) {
		aa_diag_thaw(f->files[r->file].block, f->files[r->file].path, group);
		r->file++;
	}
	return true;
}
