#include "analyzer/index/modmap.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/hash.h"
#include "analyzer/facts/stdlib_modules.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define AMBIGUOUS (-2L)

struct entry {
	char *name; /* owned */
	long file;  /* file index, or AMBIGUOUS */
};

struct aa_modmap {
	char **primary;   /* owned, as are its strings; per file */
	size_t n_files;
	bool *is_package; /* per file */
	struct entry *entries; /* open addressing by name */
	size_t cap, used;
	char **tops;      /* owned; first components, open addressing (NULL = empty) */
	size_t tops_cap;
};

static struct entry *slot(const struct aa_modmap *m, const char *name, size_t len)
{
	size_t mask = m->cap - 1;
	for (size_t i = aa_hash_bytes(name, len, 0) & mask;; i = (i + 1) & mask) {
		struct entry *e = &m->entries[i];
		if (!e->name || (!strncmp(e->name, name, len) && e->name[len] == '\0'))
			return e;
	}
}

static void add_name(struct aa_modmap *m, const char *name, long file)
{
	struct entry *e = slot(m, name, strlen(name));
	if (!e->name) {
		e->name = aa_xstrdup(name);
		e->file = file;
		m->used++;
	} else if (e->file != file) {
		e->file = AMBIGUOUS;
	}
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

/* Memo of "does this directory hold __init__.py", by directory path (open addressing:
 * every file asks for each of its parent directories). */
struct dir_cache {
	char **dirs;    /* owned keys, NULL = empty slot */
	bool *has_init;
	size_t len, cap;
};

/* The slot of dir[0..len), inserted (has_init false) when *is_new. */
static size_t dir_slot(struct dir_cache *c, const char *dir, size_t len, bool *is_new)
{
	if ((c->len + 1) * 2 > c->cap) {
		struct dir_cache old = *c;
		c->cap = old.cap ? old.cap * 2 : 256;
		c->len = 0;
		c->dirs = aa_xcalloc(c->cap, sizeof(*c->dirs));
		c->has_init = aa_xcalloc(c->cap, sizeof(*c->has_init));
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.dirs[i])
				continue;
			size_t at = aa_hash_bytes(old.dirs[i], strlen(old.dirs[i]), 0) & (c->cap - 1);
			while (c->dirs[at])
				at = (at + 1) & (c->cap - 1);
			c->dirs[at] = old.dirs[i];
			c->has_init[at] = old.has_init[i];
			c->len++;
		}
		free(old.dirs);
		free(old.has_init);
	}
	size_t at = aa_hash_bytes(dir, len, 0) & (c->cap - 1);
	while (c->dirs[at]) {
		if (!strncmp(c->dirs[at], dir, len) && c->dirs[at][len] == '\0') {
			*is_new = false;
			return at;
		}
		at = (at + 1) & (c->cap - 1);
	}
	c->dirs[at] = aa_xstrndup(dir, len);
	c->has_init[at] = false;
	c->len++;
	*is_new = true;
	return at;
}

static bool dir_has_init(struct dir_cache *c, const char *dir, size_t len)
{
	bool is_new;
	size_t at = dir_slot(c, dir, len, &is_new);
	if (is_new) {
		char *probe = aa_xasprintf("%.*s%s__init__.py", (int)len, dir, len ? "/" : "");
		struct stat st;
		c->has_init[at] = stat(probe, &st) == 0 && S_ISREG(st.st_mode);
		free(probe);
	}
	return c->has_init[at];
}

/* Directories whose __init__.py discovery found need no stat. */
static void seed_dir_cache(struct dir_cache *c, const struct aa_discovered_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(files[i].path, '/');
		const char *base = slash ? slash + 1 : files[i].path;
		if (strcmp(base, "__init__.py") || files[i].dangling)
			continue;
		bool is_new;
		size_t len = slash ? (size_t)(slash - files[i].path) : 0;
		size_t at = dir_slot(c, files[i].path, len, &is_new); /* may grow has_init */
		c->has_init[at] = true;
	}
}

/* Offset in path where its package root ends: after the last directory, walking up,
 * that has no __init__.py. */
static size_t package_root(struct dir_cache *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) : 0;
	for (;;) {
		if (!slash || !dir_has_init(c, path, dir_len))
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

/* The slot of the first component name[0..len) in tops: where it is, or the empty slot
 * where it would go (the table is at most half full). */
static size_t top_slot(const struct aa_modmap *m, const char *name, size_t len)
{
	size_t mask = m->tops_cap - 1;
	size_t at = aa_hash_bytes(name, len, 0) & mask;
	while (m->tops[at] && (strncmp(m->tops[at], name, len) || m->tops[at][len] != '\0'))
		at = (at + 1) & mask;
	return at;
}

struct aa_modmap *aa_modmap_build(const struct aa_discovered_file *files, size_t n, const char *const *roots,
				  size_t n_roots)
{
	struct aa_modmap *m = aa_xcalloc(1, sizeof(*m));
	m->primary = aa_xcalloc(n ? n : 1, sizeof(char *));
	m->is_package = aa_xcalloc(n ? n : 1, sizeof(bool));
	m->n_files = n;
	m->cap = 64;
	while (m->cap < n * 4)
		m->cap *= 2;
	m->entries = aa_xcalloc(m->cap, sizeof(*m->entries));
	struct dir_cache cache = { 0 };
	seed_dir_cache(&cache, files, n);
	/* Discovery lists a directory's files together: the package root of the previous
	 * file's directory is usually this one's too (one walk up per directory). */
	const char *prev_dir = NULL;
	size_t prev_dir_len = 0, prev_root = 0;
	for (size_t i = 0; i < n; i++) {
		const char *path = files[i].path;
		const char *slash = strrchr(path, '/');
		size_t dir_len = slash ? (size_t)(slash - path) : 0;
		size_t root;
		if (prev_dir && dir_len == prev_dir_len && !memcmp(path, prev_dir, dir_len)) {
			root = prev_root;
		} else {
			root = package_root(&cache, path);
			prev_dir = path;
			prev_dir_len = dir_len;
			prev_root = root;
		}
		bool pkg;
		char *name = dotted_from(path, root, &pkg);
		if (name) {
			m->primary[i] = name;
			m->is_package[i] = pkg;
			add_name(m, name, (long)i);
		}
		/* The name relative to the root that found the file (namespace packages). */
		for (size_t r = 0; r < n_roots; r++) {
			size_t rl = strlen(roots[r]);
			while (rl > 1 && roots[r][rl - 1] == '/')
				rl--;
			size_t from;
			if (rl == 1 && roots[r][0] == '.')
				from = 0;
			else if (!strncmp(path, roots[r], rl) && path[rl] == '/')
				from = rl + 1;
			else
				continue;
			if (from == root)
				break; /* the same name as the package root's, or none either way */
			bool rpkg;
			char *alt = dotted_from(path, from, &rpkg);
			if (alt) {
				if (!m->primary[i]) {
					m->primary[i] = alt;
					m->is_package[i] = rpkg;
					add_name(m, alt, (long)i);
				} else {
					if (strcmp(alt, m->primary[i]))
						add_name(m, alt, (long)i);
					free(alt);
				}
			}
			break;
		}
	}
	/* A name two files claim (two scripts called dictionary.py in different folders)
	 * resolves to nothing, but each file still needs a name of its own, or the index
	 * would mix their definitions: the path from the root that found it when that is
	 * unique, else the name made unique by the file's index (never importable). */
	for (size_t i = 0; i < n; i++) {
		if (!m->primary[i] || slot(m, m->primary[i], strlen(m->primary[i]))->file != AMBIGUOUS)
			continue;
		char *own = NULL;
		for (size_t r = 0; r < n_roots && !own; r++) {
			size_t rl = strlen(roots[r]);
			while (rl > 1 && roots[r][rl - 1] == '/')
				rl--;
			bool dot = rl == 1 && roots[r][0] == '.';
			if (!dot && (strncmp(files[i].path, roots[r], rl) || files[i].path[rl] != '/'))
				continue;
			bool pkg;
			own = dotted_from(files[i].path, dot ? 0 : rl + 1, &pkg);
		}
		if (!own || strcmp(own, m->primary[i]) == 0 || slot(m, own, strlen(own))->file != (long)i) {
			free(own);
			own = aa_xasprintf("%s#%zu", m->primary[i], i);
		}
		free(m->primary[i]);
		m->primary[i] = own;
	}
	for (size_t i = 0; i < cache.cap; i++)
		free(cache.dirs[i]);
	free(cache.dirs);
	free(cache.has_init);
	/* First components but the standard library's, for a cheap "can this name be
	 * project code" test (asked for every import of every skipped file: hashed, not
	 * searched, and the stdlib list is searched once per top here). */
	m->tops_cap = 64;
	while (m->tops_cap < (m->used ? m->used : 1) * 2)
		m->tops_cap *= 2;
	m->tops = aa_xcalloc(m->tops_cap, sizeof(char *));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->entries[i].name)
			continue;
		const char *nm = m->entries[i].name;
		size_t tl = strcspn(nm, ".");
		size_t at = top_slot(m, nm, tl);
		if (!m->tops[at] && !aa_stdlib_module(nm, tl))
			m->tops[at] = aa_xstrndup(nm, tl);
	}
	return m;
}

void aa_modmap_free(struct aa_modmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->entries[i].name);
	free(m->entries);
	for (size_t i = 0; i < m->tops_cap; i++)
		free(m->tops[i]);
	free(m->tops);
	for (size_t i = 0; i < m->n_files; i++)
		free(m->primary[i]);
	free(m->is_package);
	free(m->primary);
	free(m);
}

const char *aa_modmap_module(const struct aa_modmap *m, size_t file, bool *is_package)
{
	*is_package = m->is_package[file];
	return m->primary[file];
}

long aa_modmap_find(const struct aa_modmap *m, const char *name, size_t len)
{
	const struct entry *e = slot(m, name, len);
	return e->name && e->file >= 0 ? e->file : -1;
}

bool aa_modmap_has_project_top(const struct aa_modmap *m, const char *name, size_t len)
{
	return m->tops[top_slot(m, name, len)] != NULL;
}
