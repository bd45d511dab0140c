#include "rules/testing/pytest_config.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/subtree.h"
#include "parsers/python/syms.h"
#include "parsers/toml/toml.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory levels searched upwards: deeper trees are unknown. */
#define MAX_LEVELS 64
/* pytest's norecursedirs when the option is absent (_pytest/main.py). */
#define DEFAULT_NORECURSEDIRS "*.egg .* _darcs build CVS dist node_modules venv {arch}"

/* The conftest names that list paths pytest does not collect, relative to the conftest. */
enum { COLLECT_IGNORE, COLLECT_IGNORE_GLOB, N_COLLECT };
static const char *const collect_names[N_COLLECT] = { "collect_ignore", "collect_ignore_glob" };
enum name_state { NAME_ABSENT, NAME_LITERAL, NAME_UNKNOWN };

/* One conftest.py that names collect_ignore or collect_ignore_glob. */
struct aa_pytest_conftest {
	char *dir; /* owned; its directory */
	enum name_state state[N_COLLECT];
	char **values[N_COLLECT]; /* owned; the literal list's strings (NAME_LITERAL) */
	size_t n[N_COLLECT], cap[N_COLLECT];
};

static void push_str(char ***items, size_t *n, size_t *cap, const char *s, size_t len)
{
	AA_GROW(*items, *cap, *n + 1);
	(*items)[(*n)++] = aa_xstrndup(s, len);
}

static void free_strs(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void set_str(char **slot, const char *s, size_t len)
{
	free(*slot);
	*slot = aa_xstrndup(s, len);
}

static bool is_true(const char *s, size_t len)
{
	static const char *const yes[] = { "y", "yes", "t", "true", "on", "1" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strlen(yes[i]) == len && !strncasecmp(yes[i], s, len))
			return true;
	return false;
}

static bool mode_is_strict(const char *s, size_t len)
{
	return len == 6 && !strncasecmp(s, "strict", 6);
}

/* An `-o name=value` / `--override-ini=name=value` item of addopts. */
static void apply_override(struct aa_pytest_config *cfg, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	if (!eq)
		return;
	size_t klen = (size_t)(eq - s), vlen = len - klen - 1;
	if (klen == 12 && !memcmp(s, "asyncio_mode", 12))
		cfg->asyncio_auto = !mode_is_strict(eq + 1, vlen);
	else if (klen == 9 && !memcmp(s, "trio_mode", 9))
		cfg->trio_mode = is_true(eq + 1, vlen);
}

/* A path value of addopts: pytest splits addopts as a shell would, so a value quoted whole
 * loses its quotes; other quoting is not interpreted. */
static void push_path(char ***items, size_t *n, size_t *cap, const char *t, size_t len)
{
	if (len >= 2 && (t[0] == '"' || t[0] == '\'') && t[len - 1] == t[0]) {
		t++;
		len -= 2;
	}
	if (len)
		push_str(items, n, cap, t, len);
}

/* addopts: command-line options pytest prepends. Quotes are not interpreted (but around a
 * whole --ignore value): the options that matter here never need them. */
static void apply_addopts(struct aa_pytest_config *cfg, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	enum { NONE, MODE, OVERRIDE, PLUGIN, IGNORE, IGNORE_GLOB } want = NONE;
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *t = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - t);
		if (!n)
			break;
		if (want == MODE) {
			cfg->asyncio_auto = !mode_is_strict(t, n);
		} else if (want == OVERRIDE) {
			apply_override(cfg, t, n);
		} else if (want == PLUGIN) {
			/* A plugin may run coroutines or add marks: unknown. */
			if (!(n > 3 && !memcmp(t, "no:", 3)))
				cfg->unknown = true;
		} else if (want == IGNORE) {
			push_path(&cfg->ignore, &cfg->n_ignore, &cfg->ignore_cap, t, n);
		} else if (want == IGNORE_GLOB) {
			push_path(&cfg->ignore_glob, &cfg->n_ignore_glob, &cfg->ignore_glob_cap, t, n);
		}
		if (want != NONE) {
			want = NONE;
			continue;
		}
		if (n == 14 && !memcmp(t, "--asyncio-mode", 14))
			want = MODE;
		else if (n > 15 && !memcmp(t, "--asyncio-mode=", 15))
			cfg->asyncio_auto = !mode_is_strict(t + 15, n - 15);
		else if ((n == 2 && !memcmp(t, "-o", 2)) || (n == 14 && !memcmp(t, "--override-ini", 14)))
			want = OVERRIDE;
		else if (n > 15 && !memcmp(t, "--override-ini=", 15))
			apply_override(cfg, t + 15, n - 15);
		else if (n > 2 && !memcmp(t, "-o", 2))
			apply_override(cfg, t + 2, n - 2);
		else if (n == 2 && !memcmp(t, "-p", 2))
			want = PLUGIN;
		else if (n > 2 && !memcmp(t, "-p", 2) && !(n > 5 && !memcmp(t + 2, "no:", 3)))
			cfg->unknown = true;
		else if (n == 8 && !memcmp(t, "--ignore", 8))
			want = IGNORE;
		else if (n > 9 && !memcmp(t, "--ignore=", 9))
			push_path(&cfg->ignore, &cfg->n_ignore, &cfg->ignore_cap, t + 9, n - 9);
		else if (n == 13 && !memcmp(t, "--ignore-glob", 13))
			want = IGNORE_GLOB;
		else if (n > 14 && !memcmp(t, "--ignore-glob=", 14))
			push_path(&cfg->ignore_glob, &cfg->n_ignore_glob, &cfg->ignore_glob_cap, t + 14, n - 14);
	}
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* One option of the pytest section; the value is the raw text (continuation lines
 * joined by newlines). */
static void apply_option(struct aa_pytest_config *cfg, const char *key, size_t klen, const char *v, size_t vlen)
{
	trim(&v, &vlen);
#define KEY_IS(lit) (klen == sizeof(lit) - 1 && !memcmp(key, lit, klen))
	if (KEY_IS("asyncio_mode")) {
		size_t w = 0;
		while (w < vlen && !isspace((unsigned char)v[w]))
			w++;
		cfg->asyncio_auto = !mode_is_strict(v, w);
	} else if (KEY_IS("trio_mode")) {
		cfg->trio_mode = is_true(v, vlen);
	} else if (KEY_IS("addopts")) {
		apply_addopts(cfg, v, vlen);
	} else if (KEY_IS("python_files")) {
		set_str(&cfg->python_files, v, vlen);
	} else if (KEY_IS("python_functions")) {
		set_str(&cfg->python_functions, v, vlen);
	} else if (KEY_IS("python_classes")) {
		set_str(&cfg->python_classes, v, vlen);
	} else if (KEY_IS("norecursedirs")) {
		set_str(&cfg->norecursedirs, v, vlen);
	}
#undef KEY_IS
}

/* --- INI (iniconfig's grammar) ------------------------------------------------------ */

int aa_pytest_parse_ini(struct aa_pytest_config *cfg, const char *text, size_t len, const char *section,
			bool *has_section)
{
	*has_section = false;
	bool in_section = false, have_section = false;
	const char *key = NULL;
	size_t klen = 0;
	struct aa_buf value = AA_BUF_INIT;
	const char *p = text, *end = text + len;
	int rc = 0;
	/* Options are applied once the file has parsed: a malformed file changes nothing. */
	struct pending {
		const char *key;
		size_t klen;
		char *value;
	} *opts = NULL;
	size_t n_opts = 0, opts_cap = 0;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *lend = nl ? nl : end;
		p = nl ? nl + 1 : end;
		size_t n = (size_t)(lend - line);
		while (n && (line[n - 1] == '\r' || isspace((unsigned char)line[n - 1])))
			n--;
		size_t lead = 0;
		while (lead < n && isspace((unsigned char)line[lead]))
			lead++;
		if (lead == n || line[lead] == '#' || line[lead] == ';')
			continue;
		bool ends_value = lead == 0;
		if (ends_value && key) {
			if (in_section) {
				AA_GROW(opts, opts_cap, n_opts + 1);
				opts[n_opts++] = (struct pending){ key, klen, aa_buf_detach(&value) };
			}
			aa_buf_reset(&value);
			key = NULL;
		}
		if (line[0] == '[') {
			size_t m = n;
			for (size_t i = 0; i < n; i++)
				if (line[i] == '#' || line[i] == ';') {
					m = i;
					break;
				}
			while (m && isspace((unsigned char)line[m - 1]))
				m--;
			if (m < 2 || line[m - 1] != ']') {
				rc = -1;
				break;
			}
			have_section = true;
			in_section = strlen(section) == m - 2 && !memcmp(line + 1, section, m - 2);
			if (in_section)
				*has_section = true;
		} else if (lead == 0) {
			const char *eq = memchr(line, '=', n), *colon = memchr(line, ':', n);
			const char *sep = eq && !(colon && colon < eq) ? eq : colon;
			if (!sep || !have_section) {
				rc = -1;
				break;
			}
			key = line;
			klen = (size_t)(sep - line);
			trim(&key, &klen);
			const char *v = sep + 1;
			size_t vlen = n - (size_t)(v - line);
			trim(&v, &vlen);
			aa_buf_add(&value, v, vlen);
		} else {
			if (!key) {
				rc = -1;
				break;
			}
			aa_buf_addc(&value, '\n');
			aa_buf_add(&value, line + lead, n - lead);
		}
	}
	if (rc == 0 && key && in_section) {
		AA_GROW(opts, opts_cap, n_opts + 1);
		opts[n_opts++] = (struct pending){ key, klen, aa_buf_detach(&value) };
	}
	if (rc == 0)
		for (size_t i = 0; i < n_opts; i++)
			apply_option(cfg, opts[i].key, opts[i].klen, opts[i].value, strlen(opts[i].value));
	for (size_t i = 0; i < n_opts; i++)
		free(opts[i].value);
	free(opts);
	aa_buf_release(&value);
	if (rc)
		*has_section = false;
	return rc;
}

/* --- TOML (parsers/toml) ------------------------------------------------------------ */

/* The options of one pytest section: a string, a boolean, or an array of strings joined
 * by spaces, as the INI form writes them; other values are not pytest's options here. */
static void apply_table(struct aa_pytest_config *cfg, const struct aa_toml_value *section)
{
	for (size_t i = 0; i < section->n_pairs; i++) {
		const struct aa_toml_pair *p = &section->pairs[i];
		const struct aa_toml_value *v = &p->value;
		struct aa_buf text = AA_BUF_INIT;
		if (v->kind == AA_TOML_STRING || v->kind == AA_TOML_BOOLEAN) {
			aa_buf_add(&text, v->str, v->len);
		} else if (v->kind == AA_TOML_ARRAY) {
			for (size_t k = 0; k < v->n_items; k++) {
				if (v->items[k].kind != AA_TOML_STRING)
					continue;
				if (text.len)
					aa_buf_addc(&text, ' ');
				aa_buf_add(&text, v->items[k].str, v->items[k].len);
			}
		} else {
			continue;
		}
		apply_option(cfg, p->key, strlen(p->key), text.data, text.len);
		aa_buf_release(&text);
	}
}

int aa_pytest_parse_toml(struct aa_pytest_config *cfg, const char *text, size_t len, bool *has_section)
{
	*has_section = false;
	struct aa_toml_value root;
	struct aa_toml_error err;
	if (aa_toml_parse(text, len, &root, &err) < 0) {
		aa_toml_release(&root);
		return -1;
	}
	/* pytest 9's [tool.pytest], then the older [tool.pytest.ini_options] (a table
	 * inside it, skipped by apply_table as a value that is no option). */
	static const char *const sections[] = { "tool.pytest", "tool.pytest.ini_options" };
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		const struct aa_toml_value *t = aa_toml_path(&root, sections[i]);
		if (t && t->kind == AA_TOML_TABLE) {
			*has_section = true;
			apply_table(cfg, t);
		}
	}
	aa_toml_release(&root);
	return 0;
}

/* --- lookup ------------------------------------------------------------------------- */

static bool exists(const char *dir, const char *name, bool *is_file)
{
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return false;
	if (stat(path, &st) != 0)
		return false;
	if (is_file)
		*is_file = S_ISREG(st.st_mode);
	return true;
}

/* Reads dir/name whole. Returns the malloc'd text (caller frees) or NULL when it cannot
 * be read (missing, too large, an I/O error). */
static char *read_file(const char *dir, const char *name, size_t *len)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return NULL;
	struct aa_buf b = AA_BUF_INIT;
	if (aa_buf_read_file(&b, path, AA_BUF_CONFIG_MAX, NULL)) {
		aa_buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return aa_buf_detach(&b);
}

/* A conftest.py that names one of these may add marks, run coroutines itself, or
 * change the mode at run time (docs/rules/AA601.md's and AA602.md's anyio_backend and
 * pytest_collection_modifyitems, and the hooks and settings that do the same). */
static const char *const conftest_words[] = {
	"anyio_backend", "pytest_collection_modifyitems", "pytest_pycollect_makeitem", "pytest_pyfunc_call",
	"pytest_runtest_call", "pytest_itemcollected", "pytest_plugins", "asyncio_mode", "trio_mode", NULL,
};

/* A plain string literal ('x' or "x": no prefix, not triple-quoted, no backslash): its
 * text between the quotes, or NULL. */
static const char *plain_string(const char *src, TSNode n, size_t *len)
{
	if (strcmp(ts_node_type(n), "string"))
		return NULL;
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	const char *t = src + a;
	size_t tl = b - a;
	if (tl < 2 || (t[0] != '"' && t[0] != '\'') || t[tl - 1] != t[0] || (tl > 2 && t[1] == t[0]) ||
	    memchr(t, '\\', tl))
		return NULL;
	*len = tl - 2;
	return t + 1;
}

/* Records use, an identifier naming collect_names[k]: the one module-level `name = [...]`
 * (or annotated) with a list or tuple of plain string literals is NAME_LITERAL, anything
 * else (a second use, a computed value, an append) NAME_UNKNOWN. */
static void collect_use(struct aa_pytest_conftest *c, int k, const char *src, TSNode use)
{
	if (c->state[k] != NAME_ABSENT) {
		c->state[k] = NAME_UNKNOWN;
		return;
	}
	c->state[k] = NAME_UNKNOWN;
	TSNode as = ts_node_parent(use);
	if (ts_node_is_null(as) || strcmp(ts_node_type(as), "assignment") ||
	    !ts_node_eq(ts_node_child_by_field_name(as, "left", 4), use))
		return;
	TSNode st = ts_node_parent(as);
	TSNode mod = ts_node_is_null(st) ? st : ts_node_parent(st);
	if (ts_node_is_null(mod) || strcmp(ts_node_type(st), "expression_statement") || strcmp(ts_node_type(mod), "module"))
		return;
	TSNode list = ts_node_child_by_field_name(as, "right", 5);
	if (ts_node_is_null(list) || (strcmp(ts_node_type(list), "list") && strcmp(ts_node_type(list), "tuple")))
		return;
	uint32_t m = ts_node_named_child_count(list);
	for (uint32_t i = 0; i < m; i++) {
		TSNode item = ts_node_named_child(list, i);
		size_t len;
		const char *v = plain_string(src, item, &len);
		if (!v && strcmp(ts_node_type(item), "comment"))
			return;
		if (v)
			push_str(&c->values[k], &c->n[k], &c->cap[k], v, len);
	}
	c->state[k] = NAME_LITERAL;
}

struct collect_scan {
	struct aa_pytest_conftest *c;
	const char *text;
};

static enum aa_visit collect_visit(void *ud, TSNode n)
{
	struct collect_scan *sc = ud;
	const char *type = ts_node_type(n);
	if (!strcmp(type, "identifier")) {
		uint32_t a = ts_node_start_byte(n), l = ts_node_end_byte(n) - a;
		for (int k = 0; k < N_COLLECT; k++)
			if (strlen(collect_names[k]) == l && !memcmp(sc->text + a, collect_names[k], l))
				collect_use(sc->c, k, sc->text, n);
	} else if (!strcmp(type, "wildcard_import")) {
		/* `from x import *` may bind either name */
		for (int k = 0; k < N_COLLECT; k++)
			sc->c->state[k] = NAME_UNKNOWN;
	}
	return AA_VISIT_DESCEND;
}

/* The collect_ignore / collect_ignore_glob of dir's conftest.py (text, len bytes), read
 * with the Python grammar, into a new entry of cfg->conftests when the text names one. */
static void read_collect_ignore(struct aa_pytest_config *cfg, const char *dir, const char *text, size_t len)
{
	if (!memmem(text, len, "collect_ignore", 14))
		return;
	AA_GROW(cfg->conftests, cfg->conftests_cap, cfg->n_conftests + 1);
	struct aa_pytest_conftest *c = &cfg->conftests[cfg->n_conftests++];
	memset(c, 0, sizeof *c);
	c->dir = aa_xstrdup(dir);
	TSParser *parser = ts_parser_new();
	TSTree *tree = NULL;
	if (len <= UINT32_MAX && ts_parser_set_language(parser, tree_sitter_python()))
		tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	ts_parser_delete(parser);
	struct collect_scan sc = { c, text };
	/* A syntax error: pytest fails to import the conftest. Either way its lists are not
	 * known. The node bound is the size bound of the text (AA_BUF_CONFIG_MAX: a larger file is not read, "unknown"). */
	if (!tree || ts_node_has_error(ts_tree_root_node(tree)) ||
	    !aa_subtree_walk(ts_tree_root_node(tree), AA_BUF_CONFIG_MAX, collect_visit, &sc))
		for (int k = 0; k < N_COLLECT; k++)
			c->state[k] = NAME_UNKNOWN;
	if (tree)
		ts_tree_delete(tree);
}

static void read_conftest(struct aa_pytest_config *cfg, const char *dir)
{
	bool is_file = false;
	if (!exists(dir, "conftest.py", &is_file))
		return;
	size_t len = 0;
	char *text = is_file ? read_file(dir, "conftest.py", &len) : NULL;
	if (!text) {
		cfg->unknown = true;
		return;
	}
	if (memmem(text, len, "anyio_backend", 13))
		cfg->anyio_conftest = true;
	for (size_t i = 0; conftest_words[i]; i++)
		if (memmem(text, len, conftest_words[i], strlen(conftest_words[i])))
			cfg->unknown = true;
	read_collect_ignore(cfg, dir, text, len);
	free(text);
}

/* Is dir/name the config pytest would take here? Applies it to cfg when it is. */
static bool try_config(struct aa_pytest_config *cfg, const char *dir, const char *name, const char *section,
		       bool toml)
{
	bool is_file = false;
	if (!exists(dir, name, &is_file))
		return false;
	size_t len = 0;
	char *text = is_file ? read_file(dir, name, &len) : NULL;
	if (!text) {
		cfg->unknown = true;
		return true;
	}
	bool has = false;
	int rc = toml ? aa_pytest_parse_toml(cfg, text, len, &has) : aa_pytest_parse_ini(cfg, text, len, section, &has);
	free(text);
	if (rc != 0) {
		/* pytest stops with an error on a malformed config: nothing runs. */
		cfg->unknown = true;
		return true;
	}
	/* pytest.ini is the config even without its section. */
	if (!has && strcmp(name, "pytest.ini") && strcmp(name, ".pytest.ini"))
		return false;
	cfg->rootdir = aa_xstrdup(dir);
	cfg->has_config = true;
	return true;
}

/* --- declared test dependencies ------------------------------------------------------ */

enum {
	DEP_ASYNCIO = 1u,
	DEP_OTHER = 2u,
	DEP_ASYNCIO_BEFORE_MODES = 4u, /* a requirement of pytest-asyncio bounds it below 0.17 */
};
enum { MAX_REQUIREMENT_FILES = 32 }; /* per project, -r includes counted */

/* Plugins that run coroutine tests without pytest-asyncio (docs/rules/AA601.md). */
static const char *const other_runners[] = { "pytest-sanic", "pytest-aiohttp", "pytest-tornasync", "pytest-trio",
					     "anyio", NULL };

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Is the token t[0..len) the distribution name (lower case, '-' separated) under PEP
 * 503's normalisation (case, and '_' or '.' for '-')? */
static bool token_is(const char *t, size_t len, const char *name)
{
	if (strlen(name) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = t[i] == '_' || t[i] == '.' ? '-' : (char)tolower((unsigned char)t[i]);
		if (c != name[i])
			return false;
	}
	return true;
}

/* A version's first two numbers (`0.10.2`: 0, 10) from t[*i..len), *i moved past the
 * version; *parts the count of its dot-separated numbers. False when there is none. */
static bool read_version(const char *t, size_t len, size_t *i, unsigned *major, unsigned *minor, int *parts)
{
	unsigned v[2] = { 0, 0 };
	*parts = 0;
	while (*i < len && isdigit((unsigned char)t[*i])) {
		unsigned n = 0;
		while (*i < len && isdigit((unsigned char)t[*i]) && n < 100000)
			n = n * 10 + (unsigned)(t[(*i)++] - '0');
		if (*parts < 2)
			v[*parts] = n;
		(*parts)++;
		if (*i + 1 < len && t[*i] == '.' && isdigit((unsigned char)t[*i + 1]))
			(*i)++;
		else
			break;
	}
	while (*i < len && (t[*i] == '.' || t[*i] == '*' || isalnum((unsigned char)t[*i])))
		(*i)++; /* `.*`, `rc1`, `.post1` */
	*major = v[0];
	*minor = v[1];
	return *parts > 0;
}

/* Does the version specifier after a requirement's name (`>=0.10.0,<0.11`, `==0.10.0`,
 * Poetry's ` = "^0.10"`) bound it below 0.17? For pytest-asyncio: 0.17 brought
 * asyncio_mode; every release before runs each async fixture, `@pytest.fixture` or not. */
static bool pinned_before_modes(const char *t, size_t len)
{
	size_t i = 0;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i < len && t[i] == '[') /* extras: `pytest-asyncio[testing]<0.11` */
		while (i < len && t[i++] != ']')
			;
	if (i < len && t[i] == '=' && (i + 1 == len || t[i + 1] != '=')) /* Poetry: ` = "^0.10"` */
		i++;
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '"' || t[i] == '\''))
		i++;
	for (int clauses = 0; i < len && clauses < 8; clauses++) {
		size_t op = i;
		while (i < len && (t[i] == '<' || t[i] == '>' || t[i] == '=' || t[i] == '!' || t[i] == '~' || t[i] == '^'))
			i++;
		size_t oplen = i - op;
		while (i < len && t[i] == ' ')
			i++;
		unsigned major, minor;
		int parts;
		if (!oplen || !read_version(t, len, &i, &major, &minor, &parts))
			return false;
		bool below = major == 0 && minor < 17;
		if (oplen == 1 && t[op] == '<')
			below = major == 0 && (minor < 17 || (minor == 17 && parts == 2)); /* `<0.17` */
		else if (oplen == 2 && !memcmp(t + op, "<=", 2))
			(void)0; /* below as computed */
		else if ((oplen == 2 && !memcmp(t + op, "==", 2)) || (oplen == 3 && !memcmp(t + op, "===", 3)))
			(void)0;
		else if (oplen == 2 && !memcmp(t + op, "~=", 2))
			below = below && parts >= 3; /* `~=0.10.0` is 0.10.*; `~=0.10` is any 0.x */
		else if (oplen == 1 && (t[op] == '^' || t[op] == '~'))
			below = below && parts >= 2; /* `^0` and `~0` are any 0.x */
		else
			below = false; /* `>=`, `>`, `!=`: no upper bound */
		if (below)
			return true;
		while (i < len && (t[i] == ' ' || t[i] == ','))
			i++;
	}
	return false;
}

/* The DEP_* bits for the requirement names text[0..len) mentions as whole tokens. */
static unsigned scan_names(const char *text, size_t len)
{
	unsigned found = 0;
	for (size_t i = 0; i < len;) {
		if (!name_char(text[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && name_char(text[j]))
			j++;
		if (token_is(text + i, j - i, "pytest-asyncio"))
			found |= DEP_ASYNCIO | (pinned_before_modes(text + j, len - j) ? DEP_ASYNCIO_BEFORE_MODES : 0);
		for (const char *const *o = other_runners; *o; o++)
			if (token_is(text + i, j - i, *o))
				found |= DEP_OTHER;
		i = j;
	}
	return found;
}

/* The DEP_* bits of the sections of an INI or TOML text whose header (`[name]`, `[[name]]`)
 * starts with one of prefixes; comment lines (`#`, `;`) are skipped. */
static unsigned scan_sections(const char *text, size_t len, const char *const *prefixes)
{
	unsigned found = 0;
	bool in = false;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t b = i;
		while (b < end && (text[b] == ' ' || text[b] == '\t'))
			b++;
		if (b < end && text[b] == '[' && b == i) {
			while (b < end && text[b] == '[')
				b++;
			in = false;
			for (const char *const *p = prefixes; *p; p++)
				if (end - b >= strlen(*p) && !strncmp(text + b, *p, strlen(*p)))
					in = true;
		} else if (in && b < end && text[b] != '#' && text[b] != ';') {
			found |= scan_names(text + b, end - b);
		}
		i = end + 1;
	}
	return found;
}

struct deps {
	unsigned found;
	int files; /* requirement files read, includes counted */
};

/* A requirements file: each line that is not a comment names a requirement, or
 * includes another file (`-r other.txt`, `--requirement other.txt`, relative to this
 * one's directory), read in turn up to MAX_REQUIREMENT_FILES in all. */
static void read_requirements(struct deps *d, const char *dir, const char *name)
{
	if (++d->files > MAX_REQUIREMENT_FILES)
		return;
	size_t len = 0;
	char *text = read_file(dir, name, &len);
	if (!text)
		return;
	char *sub = aa_xstrdup(name);
	char *slash = strrchr(sub, '/');
	if (slash)
		slash[1] = 0;
	else
		sub[0] = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t b = i;
		while (b < end && isspace((unsigned char)text[b]))
			b++;
		size_t opt = end - b >= 3 && !strncmp(text + b, "-r ", 3) ? 3
			     : end - b >= 14 && !strncmp(text + b, "--requirement ", 14) ? 14 : 0;
		if (opt) {
			b += opt;
			while (b < end && isspace((unsigned char)text[b]))
				b++;
			size_t e = b;
			while (e < end && !isspace((unsigned char)text[e]) && text[e] != '#')
				e++;
			char *inc = aa_xasprintf("%s%.*s", text[b] == '/' ? "" : sub, (int)(e - b), text + b);
			read_requirements(d, text[b] == '/' ? "" : dir, inc);
			free(inc);
		} else if (b < end && text[b] != '#' && text[b] != '-') {
			size_t e = b;
			while (e < end && name_char(text[e]))
				e++;
			d->found |= scan_names(text + b, e - b);
			/* The pin follows the name on its line (scan_names saw the name alone). */
			if (token_is(text + b, e - b, "pytest-asyncio") && pinned_before_modes(text + e, end - e))
				d->found |= DEP_ASYNCIO_BEFORE_MODES;
		}
		i = end + 1;
	}
	free(sub);
	free(text);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_requirements_name(const char *n)
{
	size_t len = strlen(n);
	return !strncmp(n, "requirements", 12) && len > 4 &&
	       (!strcmp(n + len - 4, ".txt") || !strcmp(n + len - 3, ".in"));
}

/* Reads what dir declares: pyproject.toml's project dependencies, optional dependencies,
 * dependency groups and Poetry/PDM/Hatch dependency tables; setup.cfg's [options*]
 * sections; setup.py whole; tox.ini's [testenv*] sections; requirements*.txt / *.in in
 * dir and in dir/requirements/. */
static void read_dependencies(struct deps *d, const char *dir)
{
	static const char *const toml_sections[] = { "project", "dependency-groups", "tool.poetry", "tool.pdm",
						     "tool.hatch.envs", NULL };
	static const char *const cfg_sections[] = { "options", NULL };
	static const char *const tox_sections[] = { "testenv", NULL };
	static const struct {
		const char *name;
		const char *const *sections; /* NULL: the whole file */
	} files[] = { { "pyproject.toml", toml_sections }, { "setup.cfg", cfg_sections }, { "tox.ini", tox_sections },
		      { "setup.py", NULL } };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t len = 0;
		char *text = read_file(dir, files[i].name, &len);
		if (!text)
			continue;
		d->found |= files[i].sections ? scan_sections(text, len, files[i].sections) : scan_names(text, len);
		free(text);
	}
	static const char *const subdirs[] = { "", "requirements/", NULL };
	for (const char *const *sd = subdirs; *sd; sd++) {
		char *path = aa_xasprintf("%s/%s", dir, *sd);
		DIR *dd = opendir(path);
		free(path);
		if (!dd)
			continue;
		/* sorted, so that which files the bound leaves out does not depend on readdir */
		char **names = NULL;
		size_t n = 0, cap = 0;
		for (struct dirent *e; (e = readdir(dd)) != NULL;) {
			size_t len = strlen(e->d_name);
			if (**sd ? len < 5 || strcmp(e->d_name + len - 4, ".txt") : !is_requirements_name(e->d_name))
				continue;
			AA_GROW(names, cap, n + 1);
			names[n++] = aa_xasprintf("%s%s", *sd, e->d_name);
		}
		(void)closedir(dd); /* a directory opened for reading: its close loses nothing */
		if (n)
			qsort(names, n, sizeof *names, compare_names);
		for (size_t i = 0; i < n; i++) {
			read_requirements(d, dir, names[i]);
			free(names[i]);
		}
		free(names);
	}
}

unsigned aa_pytest_declared(const struct aa_pytest_config *cfg)
{
	if (!cfg->dir)
		return 0;
	struct deps d = { 0 };
	char *dir = aa_xstrdup(cfg->dir);
	for (int level = 0; level < MAX_LEVELS; level++) {
		read_dependencies(&d, dir);
		if (exists(dir, ".git", NULL) || !strcmp(dir, "/"))
			break;
		char *up = strrchr(dir, '/');
		if (!up)
			break;
		if (up == dir)
			up[1] = 0;
		else
			*up = 0;
	}
	free(dir);
	return ((d.found & DEP_OTHER) && !(d.found & DEP_ASYNCIO) ? AA_PYTEST_OTHER_RUNNER : 0) |
	       (d.found & DEP_ASYNCIO_BEFORE_MODES ? AA_PYTEST_ASYNCIO_BEFORE_MODES : 0);
}

void aa_pytest_config_load(struct aa_pytest_config *cfg, const char *path)
{
	memset(cfg, 0, sizeof *cfg);
	char *copy = aa_xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *rel = slash ? copy : ".";
	if (slash)
		*slash = 0;
	if (slash == copy)
		rel = "/";
	char *dir = realpath(rel, NULL);
	free(copy);
	if (!dir) {
		/* A name that is not on disk (stdin under a made-up name): unknown. */
		cfg->unknown = true;
		return;
	}
	cfg->dir = aa_xstrdup(dir);
	if (strstr(dir, "/site-packages/") || strstr(dir, "/dist-packages/")) {
		/* An installed package's tests run with a configuration (and plugins: trio's
		 * `-p trio._tests.pytest_plugin`) that was not shipped with them. */
		cfg->unknown = true;
		free(dir);
		return;
	}
	bool found = false;
	/* The search goes on after an unknown conftest: AA603 asks only what is collected. */
	for (int level = 0; level < MAX_LEVELS && !found; level++) {
		read_conftest(cfg, dir);
		found = try_config(cfg, dir, "pytest.ini", "pytest", false) ||
			try_config(cfg, dir, ".pytest.ini", "pytest", false) ||
			try_config(cfg, dir, "pyproject.toml", NULL, true) ||
			try_config(cfg, dir, "tox.ini", "pytest", false) ||
			try_config(cfg, dir, "setup.cfg", "tool:pytest", false);
		if (found)
			break;
		if (exists(dir, ".git", NULL)) {
			/* pytest started at the project root, with no configuration */
			cfg->rootdir = aa_xstrdup(dir);
			break;
		}
		if (!strcmp(dir, "/")) {
			/* Neither a configuration nor a project root: an installed package's
			 * tests (site-packages), run with a configuration that was not shipped. */
			cfg->unknown = true;
			break;
		}
		char *up = strrchr(dir, '/');
		if (up == dir)
			up[1] = 0;
		else
			*up = 0;
		if (level == MAX_LEVELS - 1)
			cfg->unknown = true;
	}
	free(dir);
}

void aa_pytest_config_release(struct aa_pytest_config *cfg)
{
	free(cfg->python_files);
	free(cfg->python_functions);
	free(cfg->python_classes);
	free(cfg->dir);
	free(cfg->rootdir);
	free(cfg->norecursedirs);
	free_strs(cfg->ignore, cfg->n_ignore);
	free_strs(cfg->ignore_glob, cfg->n_ignore_glob);
	for (size_t i = 0; i < cfg->n_conftests; i++) {
		struct aa_pytest_conftest *c = &cfg->conftests[i];
		for (int k = 0; k < N_COLLECT; k++)
			free_strs(c->values[k], c->n[k]);
		free(c->dir);
	}
	free(cfg->conftests);
	memset(cfg, 0, sizeof *cfg);
}

/* --- name matching ------------------------------------------------------------------ */

static bool has_glob(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

/* Calls match on each whitespace-separated pattern of patterns. */
static bool any_pattern(const char *patterns, const char *name, size_t len, bool prefix_ok, const char *full_path)
{
	char *nm = aa_xstrndup(name, len);
	bool hit = false;
	const char *p = patterns;
	while (*p && !hit) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *t = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - t);
		if (!n)
			break;
		char *pat = aa_xstrndup(t, n);
		if (full_path && memchr(pat, '/', n)) {
			/* pytest's fnmatch_ex: a relative pattern with a separator matches the
			 * end of the path. */
			char *anchored = pat[0] == '/' ? aa_xstrdup(pat) : aa_xasprintf("*/%s", pat);
			hit = fnmatch(anchored, full_path, 0) == 0;
			free(anchored);
		} else if (prefix_ok && !has_glob(pat, n)) {
			hit = len >= n && !memcmp(nm, pat, n);
		} else {
			hit = fnmatch(pat, nm, 0) == 0;
		}
		free(pat);
	}
	free(nm);
	return hit;
}

bool aa_pytest_collects_file(const struct aa_pytest_config *cfg, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *full = cfg->dir ? aa_xasprintf("%s/%s", cfg->dir, base) : aa_xstrdup(path);
	bool hit = any_pattern(cfg->python_files ? cfg->python_files : "test_*.py *_test.py", base, strlen(base), false,
			       full);
	free(full);
	return hit;
}

bool aa_pytest_matches_function(const struct aa_pytest_config *cfg, const char *name, size_t len)
{
	return any_pattern(cfg->python_functions ? cfg->python_functions : "test", name, len, true, NULL);
}

bool aa_pytest_matches_class(const struct aa_pytest_config *cfg, const char *name, size_t len)
{
	return any_pattern(cfg->python_classes ? cfg->python_classes : "Test", name, len, true, NULL);
}

/* --- collection exclusions ------------------------------------------------------------ */

/* base/rel (rel as is when absolute), made absolute as os.path.abspath does: `.`, `..`
 * and repeated or trailing slashes resolved lexically. Owned by the caller. */
static char *absolute(const char *base, const char *rel)
{
	char *joined = rel[0] == '/' ? aa_xstrdup(rel) : aa_xasprintf("%s/%s", base, rel);
	char *out = aa_xmalloc(strlen(joined) + 2);
	size_t o = 0;
	for (const char *p = joined; *p;) {
		while (*p == '/')
			p++;
		const char *q = p;
		while (*q && *q != '/')
			q++;
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = q;
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	free(joined);
	return out;
}

/* Does path (absolute) equal (globs: fnmatch as Python's, `*` crossing `/`) one of the
 * values, each relative to base? */
static bool matches_any(char *const *values, size_t n, const char *base, const char *path, bool globs)
{
	bool hit = false;
	for (size_t i = 0; i < n && !hit; i++) {
		char *a = absolute(base, values[i]);
		hit = globs ? fnmatch(a, path, FNM_NOESCAPE) == 0 : !strcmp(a, path);
		free(a);
	}
	return hit;
}

/* pytest_ignore_collect and norecursedirs for one path below the rootdir (absolute, its
 * directory the first parent_len bytes). */
static bool excludes(const struct aa_pytest_config *cfg, const char *path, size_t parent_len, bool is_dir)
{
	if (matches_any(cfg->ignore, cfg->n_ignore, cfg->rootdir, path, false) ||
	    matches_any(cfg->ignore_glob, cfg->n_ignore_glob, cfg->rootdir, path, true))
		return true;
	for (int k = 0; k < N_COLLECT; k++) {
		/* The nearest conftest at or above the directory that defines the name decides
		 * alone (pytest's _getconftest_pathlist); the conftests read all lie on the
		 * file's chain, so "at or above" is "not longer". */
		for (size_t i = 0; i < cfg->n_conftests; i++) {
			const struct aa_pytest_conftest *c = &cfg->conftests[i];
			if (strlen(c->dir) > parent_len || c->state[k] == NAME_ABSENT)
				continue;
			if (c->state[k] == NAME_LITERAL &&
			    matches_any(c->values[k], c->n[k], c->dir, path, k == COLLECT_IGNORE_GLOB))
				return true;
			break;
		}
	}
	if (!is_dir)
		return false;
	const char *base = path + parent_len + (path[parent_len] == '/');
	return any_pattern(cfg->norecursedirs ? cfg->norecursedirs : DEFAULT_NORECURSEDIRS, base, strlen(base), false,
			   path);
}

bool aa_pytest_excluded(const struct aa_pytest_config *cfg, const char *path, bool dirs_only)
{
	if (!cfg->rootdir || !cfg->dir)
		return false;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *full = aa_xasprintf("%s/%s", cfg->dir, base);
	const char *root = cfg->rootdir;
	size_t at = strcmp(root, "/") ? strlen(root) : 0;
	bool hit = false;
	if (!strncmp(full, root, at) && full[at] == '/') {
		/* Each path below the rootdir, from the top: full[0..end) */
		while (!hit) {
			const char *next = strchr(full + at + 1, '/');
			bool is_dir = next != NULL;
			if (!is_dir && dirs_only)
				break;
			size_t end = is_dir ? (size_t)(next - full) : strlen(full);
			char *part = aa_xstrndup(full, end);
			hit = excludes(cfg, part, at ? at : 1, is_dir);
			free(part);
			if (!is_dir)
				break;
			at = end;
		}
	}
	free(full);
	return hit;
}
