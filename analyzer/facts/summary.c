#include "analyzer/facts/summary.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct aa_summary *aa_summary_new(const char *path, const char *module, bool is_package, size_t n_records)
{
	struct aa_summary *sum = aa_xcalloc(1, sizeof(*sum));
	/* Small first: most summaries of skipped files hold a few import names, and of files
	 * named one by one (maybe 100,000, each kept to the end of the run), a module name and
	 * a function or two; the blocks double from there. */
	sum->arena = (struct aa_arena)AA_ARENA_INIT(48, 4096);
	sum->records = n_records ? aa_xcalloc(n_records, sizeof(*sum->records)) : NULL;
	sum->n_records = n_records;
	sum->path = aa_xstrdup(path);
	sum->module = aa_summary_intern(sum, module, strlen(module));
	sum->is_package = is_package;
	return sum;
}

const char *aa_summary_intern(struct aa_summary *sum, const char *s, size_t len)
{
	return aa_arena_copy(&sum->arena, s, len);
}

void aa_summary_free(struct aa_summary *sum)
{
	if (!sum)
		return;
	for (size_t i = 0; i < sum->n_defers; i++) {
		free(sum->defers[i].message);
		aa_excerpt_release(&sum->defers[i].line);
		aa_fix_free(sum->defers[i].fix);
	}
	for (size_t i = 0; i < sum->n_records; i++)
		if (sum->records[i].data)
			sum->records[i].free_data(sum->records[i].data);
	free(sum->records);
	aa_arena_release(&sum->arena);
	free(sum->funcs);
	free(sum->classes);
	free(sum->bases);
	free(sum->exports);
	free(sum->star_bound);
	free(sum->attrs);
	free(sum->imports);
	free(sum->defers);
	free(sum->path);
	free(sum);
}
