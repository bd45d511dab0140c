#include "analyzer/index/modmap.h"
#include "analyzer/base/arena.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/map.h"
#include "analyzer/facts/stdlib_modules.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* by_name's value for a name two files claim (any value but a file index and AA_MAP_NONE). */
#define AMBIGUOUS (AA_MAP_NONE - 1)

/* The names files answer to, in the order the files come; only while the map is built. */
struct claims {
	struct {
		const char *name; /* the map's arena */
		uint32_t file;
	} *items;         /* owned */
	size_t len, cap;
};

struct aa_modmap {
	const char **primary; /* owned array; per file, its strings in the arena (NULL: no name) */
	size_t n_files;
	bool *is_package; /* per file */
	uint32_t *below_root; /* per file: where its path below the first root that found it starts */
	struct aa_map by_name; /* module name -> file index, or AMBIGUOUS; keys borrowed from the arena */
	struct aa_map tops; /* first components but the standard library's (value 0); keys borrowed from the arena */
	/* Every name, copied once (one file's name and its name from its root share a copy
	 * when they are the same): a run may name 100,000 files, each kept to its end. A
	 * file's primary name replaced (an ambiguous one) stays here, a key of by_name. */
	struct aa_arena arena;
};

/* name (malloc'd; freed here) copied into m's arena. */
static const char *intern(struct aa_modmap *m, char *name)
{
	const char *copy = aa_arena_copy(&m->arena, name, strlen(name));
	free(name);
	return copy;
}

static void claim(struct claims *c, const char *name, uint32_t file)
{
	AA_GROW(c->items, c->cap, c->len + 1);
	c->items[c->len].name = name;
	c->items[c->len++].file = file;
}

static void add_name(struct aa_modmap *m, const char *name, uint32_t file)
{
	struct aa_map_key key = aa_map_key(name, strlen(name), 0);
	bool added;
	uint32_t *had = aa_map_put(&m->by_name, &key, file, &added);
	if (!added && *had != file)
		*had = AMBIGUOUS;
}

static uint32_t file_of(const struct aa_modmap *m, const char *name, size_t len)
{
	struct aa_map_key key = aa_map_key(name, len, 0);
	return aa_map_get(&m->by_name, &key);
}

static bool is_identifier(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80))
			return false;
	}
	return true;
}

/* Dotted name of path's components from index `from` (a byte offset just after a '/',
 * or 0) to the end, ".py"/".pyi" and "__init__" removed. NULL when a component is not an
 * identifier (a module Python could not import by that name). */
static char *dotted_from(const char *path, size_t from, bool *is_package)
{
	size_t len = strlen(path);
	if (len > 4 && !strcmp(path + len - 4, ".pyi"))
		len -= 4;
	else if (len > 3 && !strcmp(path + len - 3, ".py"))
		len -= 3;
	*is_package = false;
	if (len >= 8 && !strncmp(path + len - 8, "__init__", 8) && (len == 8 || path[len - 9] == '/')) {
		*is_package = true;
		len = len >= 9 ? len - 9 : 0;
	}
	if (from >= len)
		return NULL;
	struct aa_buf out = AA_BUF_INIT;
	for (size_t p = from; p < len;) {
		const char *slash = memchr(path + p, '/', len - p);
		size_t end = slash ? (size_t)(slash - path) : len;
		if (!is_identifier(path + p, end - p)) {
			aa_buf_release(&out);
			return NULL;
		}
		if (out.len)
			aa_buf_addc(&out, '.');
		aa_buf_add(&out, path + p, end - p);
		p = end + 1;
	}
	return aa_buf_detach(&out);
}

/* Whether dir[0..len) holds an __init__.py, through dirs, the memo of every directory
 * asked about (every file asks for each of its parent directories): directory -> 1 or 0.
 * The keys are prefixes of the discovered files' paths (borrowed). */
static bool dir_has_init(struct aa_map *dirs, const char *dir, size_t len)
{
	struct aa_map_key key = aa_map_key(dir, len, 0);
	bool is_new;
	uint32_t *has_init = aa_map_put(dirs, &key, 0, &is_new);
	if (is_new) {
		char *probe = aa_xasprintf("%.*s%s__init__.py", (int)len, dir, len ? "/" : "");
		struct stat st;
		*has_init = stat(probe, &st) == 0 && S_ISREG(st.st_mode);
		free(probe);
	}
	return *has_init;
}

/* Directories whose __init__.py discovery found need no stat. */
static void seed_dir_cache(struct aa_map *dirs, const struct aa_discovered_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(files[i].path, '/');
		const char *base = slash ? slash + 1 : files[i].path;
		if (strcmp(base, "__init__.py") || files[i].unreadable)
			continue;
		struct aa_map_key key = aa_map_key(files[i].path, slash ? (size_t)(slash - files[i].path) : 0, 0);
		aa_map_put(dirs, &key, 1, NULL);
	}
}

/* Offset in path where its package root ends: after the last directory, walking up,
 * that has no __init__.py. */
static size_t package_root(struct aa_map *dirs, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) : 0;
	for (;;) {
		if (!slash || !dir_has_init(dirs, path, dir_len))
			return slash ? dir_len + 1 : 0;
		const char *up = dir_len ? memrchr(path, '/', dir_len) : NULL;
		if (!up) {
			/* Every directory up to the start of the path is a package: the root is
			 * the path's first directory's parent (the current directory). */
			return 0;
		}
		slash = up;
		dir_len = (size_t)(up - path);
	}
}

/* The command-line roots, to find which ones found a file without trying each (files
 * named one by one are as many roots as files: pre-commit passes them so). */
struct roots {
	struct aa_map by_path; /* a root's path, trailing slashes dropped -> its first index;
				  keys borrowed from the roots */
	size_t dot;            /* the first "." root's index, or SIZE_MAX */
	struct root_match {
		size_t index;  /* into the roots */
		size_t from;   /* where the file's path below that root starts */
	} *matches;            /* owned; root_matches' answer */
	size_t matches_cap;
};

static void roots_init(struct roots *rs, const char *const *roots, size_t n_roots)
{
	*rs = (struct roots){ AA_MAP_INIT, SIZE_MAX, NULL, 0 };
	aa_map_reserve(&rs->by_path, n_roots);
	for (size_t r = 0; r < n_roots; r++) {
		size_t rl = strlen(roots[r]);
		while (rl > 1 && roots[r][rl - 1] == '/')
			rl--;
		if (rl == 1 && roots[r][0] == '.') {
			if (rs->dot == SIZE_MAX)
				rs->dot = r;
			continue;
		}
		struct aa_map_key key = aa_map_key(roots[r], rl, 0);
		aa_map_put(&rs->by_path, &key, (uint32_t)r, NULL); /* the first index wins */
	}
}

static void roots_release(struct roots *rs)
{
	aa_map_release(&rs->by_path);
	free(rs->matches);
}

static int by_index(const void *a, const void *b)
{
	size_t x = ((const struct root_match *)a)->index, y = ((const struct root_match *)b)->index;
	return x < y ? -1 : x > y;
}

/* The roots that found path, in command-line order, one per distinct root path: "."
 * (every path), and each root that is a directory prefix of path (path continues with
 * '/' after it). Fills rs->matches; returns their number. */
static size_t root_matches(struct roots *rs, const char *path)
{
	size_t n = 0;
	if (rs->dot != SIZE_MAX) {
		AA_GROW(rs->matches, rs->matches_cap, n + 1);
		rs->matches[n++] = (struct root_match){ rs->dot, 0 };
	}
	for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		struct aa_map_key key = aa_map_key(path, (size_t)(slash - path), 0);
		uint32_t r = aa_map_get(&rs->by_path, &key);
		if (r == AA_MAP_NONE)
			continue;
		AA_GROW(rs->matches, rs->matches_cap, n + 1);
		rs->matches[n++] = (struct root_match){ r, (size_t)(slash - path) + 1 };
	}
	if (n > 1) /* qsort takes no NULL array, and matches is NULL until a first match */
		qsort(rs->matches, n, sizeof(*rs->matches), by_index);
	return n;
}

/* The offset after the src root that holds path (its '/' included), or 0 when none. */
static size_t src_root(const char *path, const char *const *src, size_t n_src)
{
	for (size_t i = 0; i < n_src; i++) {
		size_t l = strlen(src[i]);
		if (l && !strncmp(path, src[i], l) && path[l] == '/')
			return l + 1;
	}
	return 0;
}

struct aa_modmap *aa_modmap_build(const struct aa_discovered_file *files, size_t n, const char *const *roots,
				  size_t n_roots, const char *const *src, size_t n_src)
{
	struct aa_modmap *m = aa_xcalloc(1, sizeof(*m));
	m->primary = aa_xcalloc(n ? n : 1, sizeof(*m->primary));
	m->is_package = aa_xcalloc(n ? n : 1, sizeof(bool));
	m->below_root = aa_xcalloc(n ? n : 1, sizeof(uint32_t));
	m->n_files = n;
	m->arena = (struct aa_arena)AA_ARENA_INIT(4096, 4096);
	struct claims claims = { NULL, 0, 0 };
	struct aa_map dirs = AA_MAP_INIT;
	seed_dir_cache(&dirs, files, n);
	struct roots rs;
	roots_init(&rs, roots, n_roots);
	/* Discovery lists a directory's files together: the package root of the previous
	 * file's directory is usually this one's too (one walk up per directory). */
	const char *prev_dir = NULL;
	size_t prev_dir_len = 0, prev_root = 0;
	for (size_t i = 0; i < n; i++) {
		/* An unreadable directory listed for its AA002 is no module. */
		if (files[i].directory)
			continue;
		const char *path = files[i].path;
		const char *slash = strrchr(path, '/');
		size_t dir_len = slash ? (size_t)(slash - path) : 0;
		size_t root;
		if (prev_dir && dir_len == prev_dir_len && !memcmp(path, prev_dir, dir_len)) {
			root = prev_root;
		} else {
			root = package_root(&dirs, path);
			/* A configured package root bounds the walk up the packages. */
			size_t s = n_src ? src_root(path, src, n_src) : 0;
			if (s > root)
				root = s;
			prev_dir = path;
			prev_dir_len = dir_len;
			prev_root = root;
		}
		bool pkg;
		char *name = dotted_from(path, root, &pkg);
		if (name) {
			m->primary[i] = intern(m, name);
			m->is_package[i] = pkg;
			claim(&claims, m->primary[i], (uint32_t)i);
		}
		/* The name relative to the first root that found the file (namespace
		 * packages); none when that is the package root's (the same name, or none
		 * either way). */
		bool under_dir = root_matches(&rs, path) != 0;
		size_t from = under_dir ? rs.matches[0].from : root;
		m->below_root[i] = under_dir ? (uint32_t)from : UINT32_MAX;
		bool rpkg;
		char *alt = from == root ? NULL : dotted_from(path, from, &rpkg);
		if (alt) {
			if (!m->primary[i]) {
				m->primary[i] = intern(m, alt);
				m->is_package[i] = rpkg;
				claim(&claims, m->primary[i], (uint32_t)i);
			} else if (strcmp(alt, m->primary[i])) {
				claim(&claims, intern(m, alt), (uint32_t)i);
			} else {
				free(alt);
			}
		}
	}
	/* Counted first, so that the table holds what the files claim and no more (files
	 * whose names are no identifiers claim none). */
	aa_map_reserve(&m->by_name, claims.len);
	for (size_t c = 0; c < claims.len; c++)
		add_name(m, claims.items[c].name, claims.items[c].file);
	/* A name two files claim (two scripts called dictionary.py in different folders)
	 * resolves to nothing, but each file still needs a name of its own, or the index
	 * would mix their definitions: the path from the root that found it when that is
	 * unique, else the name made unique by the file's index (never importable). */
	for (size_t i = 0; i < n; i++) {
		if (!m->primary[i] || file_of(m, m->primary[i], strlen(m->primary[i])) != AMBIGUOUS)
			continue;
		char *own = NULL;
		size_t n_matches = root_matches(&rs, files[i].path);
		for (size_t r = 0; r < n_matches && !own; r++) {
			bool pkg;
			own = dotted_from(files[i].path, rs.matches[r].from, &pkg);
		}
		if (!own || strcmp(own, m->primary[i]) == 0 || file_of(m, own, strlen(own)) != i) {
			free(own);
			own = aa_xasprintf("%s#%zu", m->primary[i], i);
		}
		m->primary[i] = intern(m, own);
	}
	aa_map_release(&dirs);
	roots_release(&rs);
	/* First components but the standard library's, for a cheap "can this name be
	 * project code" test (asked for every import of every skipped file: hashed, not
	 * searched, and the stdlib list is searched once per top here). Not reserved: a
	 * tree has few tops, however many files it has. */
	for (size_t i = 0; i < claims.len; i++) {
		const char *nm = claims.items[i].name;
		struct aa_map_key top = aa_map_key(nm, strcspn(nm, "."), 0);
		if (aa_map_get(&m->tops, &top) == AA_MAP_NONE && !aa_stdlib_module(nm, top.len))
			aa_map_put(&m->tops, &top, 0, NULL);
	}
	free(claims.items);
	return m;
}

void aa_modmap_free(struct aa_modmap *m)
{
	if (!m)
		return;
	aa_map_release(&m->by_name);
	aa_map_release(&m->tops);
	aa_arena_release(&m->arena);
	free(m->is_package);
	free(m->below_root);
	free(m->primary);
	free(m);
}

const char *aa_modmap_module(const struct aa_modmap *m, size_t file, bool *is_package)
{
	*is_package = m->is_package[file];
	return m->primary[file];
}

size_t aa_modmap_below_root(const struct aa_modmap *m, size_t file)
{
	return m->below_root[file] == UINT32_MAX ? SIZE_MAX : m->below_root[file];
}

long aa_modmap_find(const struct aa_modmap *m, const char *name, size_t len)
{
	uint32_t file = file_of(m, name, len);
	return file == AA_MAP_NONE || file == AMBIGUOUS ? -1 : (long)file;
}

bool aa_modmap_has_project_top(const struct aa_modmap *m, const char *name, size_t len)
{
	struct aa_map_key top = aa_map_key(name, len, 0);
	return aa_map_get(&m->tops, &top) != AA_MAP_NONE;
}
