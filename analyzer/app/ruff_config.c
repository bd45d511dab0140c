#include "analyzer/app/ruff_config.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/peer_names.h"
#include "analyzer/input/discover.h"
#include "parsers/toml/toml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ruff_pfi {
	char *glob;       /* owned; relative to the configuration's directory */
	char **selectors; /* owned strings; n_selectors */
	size_t n_selectors;
};

struct ruff_config {
	char *dir;        /* owned; absolute */
	char **ignore;    /* owned strings; n_ignore */
	size_t n_ignore;
	struct ruff_pfi *pfi; /* owned; n_pfi */
	size_t n_pfi;
};

struct aa_ruff_configs {
	struct ruff_config **configs; /* owned */
	size_t n_configs, configs_cap;
	struct aa_map by_dir;         /* directory -> index into configs, or NONE_FOUND */
	char **dirs;                  /* owned; the map's keys */
	size_t n_dirs, dirs_cap;
	/* owned; the last directory asked about and its real path (NULL: none could be
	 * made): findings come sorted, a file's together, and realpath costs a system call
	 * per component */
	char *last_dir, *last_real;
};

#define NONE_FOUND (AA_MAP_NONE - 1)

struct aa_ruff_configs *aa_ruff_configs_new(void)
{
	return aa_xcalloc(1, sizeof(struct aa_ruff_configs));
}

void aa_ruff_configs_free(struct aa_ruff_configs *rc)
{
	if (!rc)
		return;
	for (size_t i = 0; i < rc->n_configs; i++) {
		struct ruff_config *c = rc->configs[i];
		for (size_t k = 0; k < c->n_ignore; k++)
			free(c->ignore[k]);
		free(c->ignore);
		for (size_t k = 0; k < c->n_pfi; k++) {
			for (size_t j = 0; j < c->pfi[k].n_selectors; j++)
				free(c->pfi[k].selectors[j]);
			free(c->pfi[k].selectors);
			free(c->pfi[k].glob);
		}
		free(c->pfi);
		free(c->dir);
		free(c);
	}
	free(rc->configs);
	aa_map_release(&rc->by_dir);
	for (size_t i = 0; i < rc->n_dirs; i++)
		free(rc->dirs[i]);
	free(rc->dirs);
	free(rc->last_dir);
	free(rc->last_real);
	free(rc);
}

/* The whole of dir/name in *out, or false (missing, unreadable, over 4 MiB). */
static bool read_text(const char *dir, const char *name, struct aa_buf *out)
{
	char *path = aa_xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
	int err = aa_buf_read_file(out, path, AA_BUF_CONFIG_MAX, NULL);
	free(path);
	return !err;
}

/* The strings of an array value, appended to *out (non-strings are passed over: Ruff
 * reports them). */
static void add_strings(const struct aa_toml_value *v, char ***out, size_t *n)
{
	if (!v || v->kind != AA_TOML_ARRAY)
		return;
	for (size_t i = 0; i < v->n_items; i++) {
		if (v->items[i].kind != AA_TOML_STRING)
			continue;
		*out = aa_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = aa_xstrndup(v->items[i].str, v->items[i].len);
	}
}

static const struct aa_toml_value *value_of(const struct aa_toml_value *table, const char *key)
{
	const struct aa_toml_pair *p = aa_toml_find(table, key);
	return p ? &p->value : NULL;
}

static void add_pfi(struct ruff_config *c, const struct aa_toml_value *t)
{
	if (!t || t->kind != AA_TOML_TABLE)
		return;
	for (size_t i = 0; i < t->n_pairs; i++) {
		c->pfi = aa_xrealloc(c->pfi, (c->n_pfi + 1) * sizeof(*c->pfi));
		struct ruff_pfi *p = &c->pfi[c->n_pfi++];
		*p = (struct ruff_pfi){ aa_xstrdup(t->pairs[i].key), NULL, 0 };
		add_strings(&t->pairs[i].value, &p->selectors, &p->n_selectors);
	}
}

/* The ignore lists of a Ruff table (the top of ruff.toml, or [tool.ruff]). */
static void read_table(struct ruff_config *c, const struct aa_toml_value *ruff)
{
	const struct aa_toml_value *lint = value_of(ruff, "lint");
	const struct aa_toml_value *tables[] = { ruff, lint && lint->kind == AA_TOML_TABLE ? lint : NULL };
	for (size_t i = 0; i < 2; i++) {
		if (!tables[i])
			continue;
		add_strings(value_of(tables[i], "ignore"), &c->ignore, &c->n_ignore);
		add_strings(value_of(tables[i], "extend-ignore"), &c->ignore, &c->n_ignore);
		add_pfi(c, value_of(tables[i], "per-file-ignores"));
		add_pfi(c, value_of(tables[i], "extend-per-file-ignores"));
	}
}

/* The Ruff configuration in dir, or NULL when it has none (or none that parses). */
static struct ruff_config *read_dir(const char *dir)
{
	static const char *const names[] = { ".ruff.toml", "ruff.toml", "pyproject.toml" };
	for (size_t i = 0; i < 3; i++) {
		struct aa_buf text = AA_BUF_INIT;
		bool pyproject = i == 2;
		/* A pyproject.toml that never names Ruff is no Ruff configuration, and is not
		 * parsed (it may not even be valid TOML). */
		if (!read_text(dir, names[i], &text) || (pyproject && !strstr(text.data, "tool.ruff") &&
							 !strstr(text.data, "[tool]"))) {
			aa_buf_release(&text);
			continue;
		}
		struct aa_toml_value root;
		struct aa_toml_error err;
		int rc = aa_toml_parse(text.data, text.len, &root, &err);
		aa_buf_release(&text);
		const struct aa_toml_value *ruff = rc < 0 ? NULL : pyproject ? aa_toml_path(&root, "tool.ruff") : &root;
		struct ruff_config *c = NULL;
		/* A ruff.toml that does not parse is still the directory's configuration (Ruff
		 * stops there with an error): one that ignores nothing. */
		if ((ruff && ruff->kind == AA_TOML_TABLE) || !pyproject) {
			c = aa_xcalloc(1, sizeof(*c));
			c->dir = aa_xstrdup(dir);
			if (ruff && ruff->kind == AA_TOML_TABLE)
				read_table(c, ruff);
		}
		aa_toml_release(&root);
		if (c)
			return c;
	}
	return NULL;
}

/* The index of the configuration that applies in dir (absolute), or NONE_FOUND; every
 * directory climbed through is remembered. */
static uint32_t config_for_dir(struct aa_ruff_configs *rc, const char *dir)
{
	char *d = aa_xstrdup(dir);
	size_t first_new = rc->n_dirs;
	uint32_t found = NONE_FOUND;
	for (;;) {
		uint32_t known = aa_map_get_str(&rc->by_dir, d);
		if (known != AA_MAP_NONE) {
			found = known;
			free(d);
			break;
		}
		AA_GROW(rc->dirs, rc->dirs_cap, rc->n_dirs + 1);
		rc->dirs[rc->n_dirs++] = d;
		struct ruff_config *c = read_dir(d);
		if (c) {
			AA_GROW(rc->configs, rc->configs_cap, rc->n_configs + 1);
			rc->configs[rc->n_configs] = c;
			found = (uint32_t)rc->n_configs++;
			break;
		}
		char *slash = strrchr(d, '/');
		if (!slash || !strcmp(d, "/"))
			break;
		d = slash == d ? aa_xstrdup("/") : aa_xstrndup(d, (size_t)(slash - d));
	}
	for (size_t i = first_new; i < rc->n_dirs; i++)
		aa_map_put_str(&rc->by_dir, rc->dirs[i], found, NULL);
	return found;
}

static size_t letters(const char *s)
{
	size_t n = 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))
		n++;
	return n;
}

/* Whether a Ruff selector names the peer code or its Ruff name. A code selector is a
 * linter's prefix and maybe digits: "ASYNC", "ASYNC2", "RUF006"; the letters name the
 * linter whole ("A" is flake8-builtins, not the start of "ASYNC"), except Pylint's "PL",
 * whose codes go on with a category letter ("PLE1142"). */
static bool selects(const char *selector, const char *code, const char *name)
{
	if (!strcmp(selector, "ALL") || !strcmp(selector, name))
		return true;
	size_t n = strlen(selector), sl = letters(selector), cl = letters(code);
	bool linter = sl == cl || (sl == 2 && !strncmp(selector, "PL", 2) && n == 2);
	return n && linter && !strncmp(selector, code, n);
}

static bool in_list(char *const *selectors, size_t n, const char *code, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (selects(selectors[i], code, name))
			return true;
	return false;
}

/* Ruff matches a per-file-ignores pattern against the path from the configuration's
 * directory and against the file's name. */
static bool pfi_ignores(const struct ruff_config *c, const char *rel, const char *code, const char *name)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	for (size_t i = 0; i < c->n_pfi; i++) {
		const char *glob = c->pfi[i].glob;
		if ((aa_path_excluded(rel, &glob, 1) || aa_path_excluded(base, &glob, 1)) &&
		    in_list(c->pfi[i].selectors, c->pfi[i].n_selectors, code, name))
			return true;
	}
	return false;
}

bool aa_ruff_ignores(struct aa_ruff_configs *rc, const char *abs, const struct aa_rule *rule)
{
	size_t n_ruff = 0;
	for (const char *const *e = rule->equivalents; e && *e; e++)
		n_ruff += aa_peer_ruff_name(*e) != NULL;
	const char *slash = strrchr(abs, '/');
	if (!n_ruff || !slash)
		return false;
	char *dir = slash == abs ? aa_xstrdup("/") : aa_xstrndup(abs, (size_t)(slash - abs));
	/* `..` and symbolic links resolved: the climb must go through the file's real
	 * ancestors (a path it cannot resolve is used as written). */
	if (!rc->last_dir || strcmp(rc->last_dir, dir)) {
		free(rc->last_dir);
		free(rc->last_real);
		rc->last_dir = aa_xstrdup(dir);
		rc->last_real = realpath(dir, NULL);
	}
	const char *real = rc->last_real;
	char *file = real ? aa_xasprintf("%s/%s", strcmp(real, "/") ? real : "", slash + 1) : aa_xstrdup(abs);
	uint32_t k = config_for_dir(rc, real ? real : dir);
	free(dir);
	bool all = k != NONE_FOUND;
	const struct ruff_config *c = all ? rc->configs[k] : NULL;
	size_t dir_len = c ? strlen(c->dir) : 0;
	const char *rel = c && !strcmp(c->dir, "/") ? file + 1 : file + dir_len + (file[dir_len] == '/');
	for (const char *const *e = rule->equivalents; all && e && *e; e++) {
		const char *name = aa_peer_ruff_name(*e);
		if (name && !in_list(c->ignore, c->n_ignore, *e, name) && !pfi_ignores(c, rel, *e, name))
			all = false;
	}
	free(file);
	return all;
}

