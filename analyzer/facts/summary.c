#include "analyzer/facts/summary.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/input/source.h"

#include <stdalign.h>
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
	sum->n_records = (uint32_t)n_records;
	sum->path = aa_xstrdup(path);
	sum->module = aa_summary_intern(sum, module, strlen(module));
	sum->is_package = is_package;
	return sum;
}

const char *aa_summary_intern(struct aa_summary *sum, const char *s, size_t len)
{
	return aa_arena_copy(&sum->arena, s, len);
}

static uint32_t fnv1a(uint32_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

uint32_t aa_sum_name_hash(const char *s, size_t len)
{
	return fnv1a(2166136261u, s, len);
}

uint32_t aa_sum_last_hash(const char *q)
{
	const char *dot = strrchr(q, '.');
	const char *name = dot ? dot + 1 : q;
	return aa_sum_name_hash(name, strlen(name));
}

uint32_t aa_sum_ref_hash(const struct aa_ref *ref)
{
	return ref->kind == AA_REF_NAME ? aa_sum_last_hash(ref->name) : aa_sum_name_hash(ref->method, strlen(ref->method));
}

int aa_sum_cmp_hash(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

uint32_t aa_sum_export_hash(const char *s, size_t len)
{
	/* a byte no name holds first: another namespace */
	return fnv1a(fnv1a(2166136261u, "\x01", 1), s, len);
}

const char *aa_summary_next_star(const char *star)
{
	return star + strlen(star) + 1;
}

static bool holds_records(const struct aa_summary *sum)
{
	for (size_t i = 0; i < sum->n_records; i++)
		if (sum->records[i].data)
			return true;
	return false;
}

bool aa_summary_nameable(const struct aa_summary *sum)
{
	const char *m = sum->module;
	bool nameable = *m && !(*m >= '0' && *m <= '9');
	for (; nameable && *m && *m != '.'; m++)
		nameable = aa_source_ident_byte(*m);
	return nameable;
}

bool aa_summary_needed(const struct aa_summary *sum)
{
	return aa_summary_nameable(sum) || sum->imports_only || sum->n_classes || sum->n_defers ||
	       sum->n_fresh_runs || sum->n_hooks || sum->n_awaits || sum->n_uses || holds_records(sum);
}

/* One array of a summary being frozen: where it is, its bytes, and where the block's
 * copy goes. */
struct part {
	void **items;
	size_t size, align, at;
};

static void move_ref(const struct aa_arena *a, char *to, struct aa_ref *ref)
{
	ref->name = aa_arena_moved(a, to, ref->name);
	ref->method = aa_arena_moved(a, to, ref->method);
	ref->path = aa_arena_moved(a, to, ref->path);
}

/* Points every string of sum (its arrays already in their new place) to its copy in a
 * dump of the arena at to, makes the dump and frees the arena. */
static void move_strings(struct aa_summary *sum, char *to)
{
	const struct aa_arena *a = &sum->arena;
#define MOVE(p) ((p) = aa_arena_moved(a, to, (p)))
	MOVE(sum->module);
	MOVE(sum->star_modules);
	for (size_t i = 0; i < sum->n_imports; i++) {
		MOVE(sum->imports[i].name);
		MOVE(sum->imports[i].bound);
	}
	for (size_t i = 0; i < sum->n_funcs; i++) {
		MOVE(sum->funcs[i].qualname);
		MOVE(sum->funcs[i].module);
		MOVE(sum->funcs[i].returns);
	}
	for (size_t i = 0; i < sum->n_classes; i++)
		MOVE(sum->classes[i].qualname);
	for (size_t i = 0; i < sum->n_bases; i++)
		MOVE(sum->bases[i]);
	for (size_t i = 0; i < sum->n_exports; i++) {
		MOVE(sum->exports[i].name);
		MOVE(sum->exports[i].target);
	}
	for (size_t i = 0; i < sum->n_star_bound; i++)
		MOVE(sum->star_bound[i]);
	for (size_t i = 0; i < sum->n_attrs; i++) {
		MOVE(sum->attrs[i].name);
		MOVE(sum->attrs[i].type);
	}
	for (size_t i = 0; i < sum->n_defers; i++)
		move_ref(a, to, &sum->defers[i].ref);
	for (size_t i = 0; i < sum->n_awaits; i++)
		move_ref(a, to, &sum->awaits[i].ref);
	for (size_t i = 0; i < sum->n_fresh_runs; i++)
		move_ref(a, to, &sum->fresh_runs[i]);
	for (size_t i = 0; i < sum->n_hooks; i++)
		move_ref(a, to, &sum->hooks[i]);
#undef MOVE
	aa_arena_dump(a, to);
	aa_arena_release(&sum->arena);
}

struct aa_summary *aa_summary_freeze(struct aa_summary *sum)
{
	/* Without data, no record is kept (readers take a missing record as an empty one),
	 * and none may point into the arena: its strings join the block (a record is the
	 * analysis's own, its pointers are not known here). */
	bool records = holds_records(sum);
	if (!records) {
		free(sum->records);
		sum->records = NULL;
		sum->n_records = 0;
	}
	struct part parts[] = {
		{ (void **)&sum->imports, sum->n_imports * sizeof(*sum->imports), alignof(struct aa_sum_import), 0 },
		{ (void **)&sum->funcs, sum->n_funcs * sizeof(*sum->funcs), alignof(struct aa_sum_func), 0 },
		{ (void **)&sum->classes, sum->n_classes * sizeof(*sum->classes), alignof(struct aa_sum_class), 0 },
		{ (void **)&sum->bases, sum->n_bases * sizeof(*sum->bases), alignof(const char *), 0 },
		{ (void **)&sum->exports, sum->n_exports * sizeof(*sum->exports), alignof(struct aa_sum_export), 0 },
		{ (void **)&sum->star_bound, sum->n_star_bound * sizeof(*sum->star_bound), alignof(const char *), 0 },
		{ (void **)&sum->attrs, sum->n_attrs * sizeof(*sum->attrs), alignof(struct aa_sum_attr), 0 },
		{ (void **)&sum->defers, sum->n_defers * sizeof(*sum->defers), alignof(struct aa_sum_defer), 0 },
		{ (void **)&sum->awaits, sum->n_awaits * sizeof(*sum->awaits), alignof(struct aa_sum_await), 0 },
		{ (void **)&sum->fresh_runs, sum->n_fresh_runs * sizeof(*sum->fresh_runs), alignof(struct aa_ref), 0 },
		{ (void **)&sum->hooks, sum->n_hooks * sizeof(*sum->hooks), alignof(struct aa_ref), 0 },
		{ (void **)&sum->uses, sum->n_uses * sizeof(*sum->uses), alignof(uint32_t), 0 },
		{ (void **)&sum->records, sum->n_records * sizeof(*sum->records), alignof(struct aa_sum_record), 0 },
		{ (void **)&sum->path, strlen(sum->path) + 1, 1, 0 },
	};
	size_t n = sizeof(parts) / sizeof(*parts), size = sizeof(*sum);
	for (size_t i = 0; i < n; i++) {
		size = (size + parts[i].align - 1) / parts[i].align * parts[i].align;
		parts[i].at = size;
		size += parts[i].size;
	}
	size_t strings_at = size;
	if (!records)
		size += aa_arena_used(&sum->arena);
	char *block = aa_xmalloc(size);
	struct aa_summary *frozen = (struct aa_summary *)block;
	for (size_t i = 0; i < n; i++) {
		/* An empty array stays NULL, as it was. */
		void *copy = parts[i].size ? memcpy(block + parts[i].at, *parts[i].items, parts[i].size) : NULL;
		free(*parts[i].items);
		*parts[i].items = copy;
	}
	if (!records)
		move_strings(sum, block + strings_at);
	*frozen = *sum;
	frozen->frozen = true;
	free(sum);
	return frozen;
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
	aa_arena_release(&sum->arena);
	if (!sum->frozen) {
		free(sum->records);
		free(sum->funcs);
		free(sum->classes);
		free(sum->bases);
		free(sum->exports);
		free(sum->star_bound);
		free(sum->attrs);
		free(sum->imports);
		free(sum->defers);
		free(sum->awaits);
		free(sum->fresh_runs);
		free(sum->hooks);
		free(sum->uses);
		free(sum->path);
	}
	free(sum);
}
