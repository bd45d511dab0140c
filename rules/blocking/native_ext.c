#include "rules/blocking/native_ext.h"
#include "analyzer/base/arena.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/input/source.h"
#include "parsers/c/creader.h"
#include "parsers/python/node.h"
#include "parsers/python/syms.h"
#include "parsers/toml/toml.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const struct aa_rule aa_rule_blocking_native_call;

/* The C and C++ sources of a directory (paths in the arena). */
struct listing {
	const char **files; /* owned array */
	size_t n, cap;
};

/* An extension module and its C sources. */
struct ext {
	const char *module;     /* "pkg._native"; arena */
	const char *dir;        /* setup.py's directory, or the directory its PyInit_ was found in; arena */
	const char **sources;   /* owned array; paths (arena) */
	size_t n_sources, sources_cap;
	bool wanted;
	struct aa_cunit *units; /* owned; n_sources of them once read */
	struct aa_map funcs;    /* C function name -> unit << 20 | function (keys borrowed from units) */
};

struct aa_native {
	const struct aa_link *lk; /* borrowed */
	unsigned jobs;
	struct aa_arena strings;
	struct aa_map dirs;        /* package name -> index in pkg_dirs */
	struct aa_map py_modules;  /* modules with a .py file (keys borrowed from the summaries) */
	const char **pkg_dirs;     /* arena strings; owned array */
	size_t n_pkg_dirs, pkg_dirs_cap;
	bool dirs_built;
	struct aa_map wanted;      /* candidate extension module names (keys in the arena) */
	const char **want_list;    /* owned array; arena strings, in first-wanted order */
	size_t n_wants, wants_cap;
	struct ext *exts;          /* owned */
	size_t n_exts, exts_cap;
	struct aa_map ext_by_module; /* module -> index in exts */
	struct aa_map setups_seen;   /* directories whose setup.py was looked for */
	struct aa_map scans_seen;    /* directory and module pairs scanned for PyInit_ */
	struct aa_map listed;        /* directory -> its listing */
	struct listing *listings;    /* owned (each listing's array owned) */
	size_t n_listings, listings_cap;
	struct aa_native_chain **found; /* owned; answers given (owned, each with its hops owned) */
	size_t n_found, found_cap;
	size_t units_read, units_partial;
	bool read;
};

static const char *keep(struct aa_native *nv, const char *s, size_t len)
{
	return aa_arena_copy(&nv->strings, s, len);
}

struct aa_native *aa_native_new(const struct aa_link *lk, unsigned jobs)
{
	struct aa_native *nv = aa_xcalloc(1, sizeof(*nv));
	nv->lk = lk;
	nv->jobs = jobs ? jobs : 1;
	nv->strings = (struct aa_arena)AA_ARENA_INIT(4096, 16384);
	return nv;
}

void aa_native_free(struct aa_native *nv)
{
	if (!nv)
		return;
	for (size_t i = 0; i < nv->n_exts; i++) {
		struct ext *e = &nv->exts[i];
		for (size_t k = 0; e->units && k < e->n_sources; k++)
			aa_cunit_release(&e->units[k]);
		free(e->units);
		free(e->sources);
		aa_map_release(&e->funcs);
	}
	for (size_t i = 0; i < nv->n_found; i++) {
		free((void *)nv->found[i]->hops);
		free(nv->found[i]);
	}
	free(nv->found);
	free(nv->exts);
	free(nv->pkg_dirs);
	free(nv->want_list);
	aa_map_release(&nv->dirs);
	aa_map_release(&nv->py_modules);
	aa_map_release(&nv->wanted);
	aa_map_release(&nv->ext_by_module);
	aa_map_release(&nv->setups_seen);
	aa_map_release(&nv->scans_seen);
	aa_map_release(&nv->listed);
	for (size_t i = 0; i < nv->n_listings; i++)
		free(nv->listings[i].files);
	free(nv->listings);
	aa_arena_release(&nv->strings);
	free(nv);
}

/* name[0..len) up to its last dot, or 0 when it has none. */
static size_t parent_len(const char *name, size_t len)
{
	while (len && name[len - 1] != '.')
		len--;
	return len ? len - 1 : 0;
}

/* name[0..len) may be an extension module. */
static void want_module(struct aa_native *nv, const char *name, size_t len)
{
	if (!len || !parent_len(name, len))
		return; /* an extension inside a package only: its package locates its sources */
	struct aa_map_key key = aa_map_key(name, len, 0);
	if (aa_map_get(&nv->wanted, &key) != AA_MAP_NONE)
		return;
	const char *copy = keep(nv, name, len);
	struct aa_map_key owned = aa_map_key(copy, len, 0);
	aa_map_put(&nv->wanted, &owned, (uint32_t)nv->n_wants, NULL);
	AA_GROW(nv->want_list, nv->wants_cap, nv->n_wants + 1);
	nv->want_list[nv->n_wants++] = copy;
}

void aa_native_want(struct aa_native *nv, const char *name, const char *method)
{
	/* `pkg._native.fetch`, or the class `pkg._native.Conn` of a method: the module is
	 * what precedes the last name. A module-level name may also be a method named
	 * through its class, `_native.Conn.query(self, q)`. */
	size_t len = parent_len(name, strlen(name));
	want_module(nv, name, len);
	if (!method)
		want_module(nv, name, parent_len(name, len));
}

/* ---- where packages are ------------------------------------------------------------ */

/* Every package the summaries' modules are in, and its directory: `a/b/c.py` of module
 * "b.c" puts package "b" at `a/b`. */
static void build_dirs(struct aa_native *nv)
{
	nv->dirs_built = true;
	for (size_t i = 0; i < aa_link_count(nv->lk); i++) {
		const struct aa_summary *s = aa_link_summary(nv->lk, i);
		if (!s || !s->module || !s->path)
			continue;
		size_t pl = strlen(s->path);
		if (pl > 3 && !strcmp(s->path + pl - 3, ".py"))
			aa_map_put_str(&nv->py_modules, s->module, 1, NULL);
		/* The directory of the module itself: a package's is its __init__'s. */
		size_t dlen = strlen(s->path);
		while (dlen && s->path[dlen - 1] != '/')
			dlen--;
		if (dlen)
			dlen--;
		size_t mlen = s->is_package ? strlen(s->module) : parent_len(s->module, strlen(s->module));
		while (mlen) {
			struct aa_map_key key = aa_map_key(s->module, mlen, 0);
			if (aa_map_get(&nv->dirs, &key) != AA_MAP_NONE)
				break; /* it and its parents are known */
			const char *m = keep(nv, s->module, mlen);
			struct aa_map_key owned = aa_map_key(m, mlen, 0);
			AA_GROW(nv->pkg_dirs, nv->pkg_dirs_cap, nv->n_pkg_dirs + 1);
			nv->pkg_dirs[nv->n_pkg_dirs] = keep(nv, dlen ? s->path : ".", dlen ? dlen : 1);
			aa_map_put(&nv->dirs, &owned, (uint32_t)nv->n_pkg_dirs++, NULL);
			mlen = parent_len(s->module, mlen);
			while (dlen && s->path[dlen - 1] != '/')
				dlen--;
			if (dlen)
				dlen--;
		}
	}
}

static const char *pkg_dir(struct aa_native *nv, const char *pkg, size_t len)
{
	struct aa_map_key key = aa_map_key(pkg, len, 0);
	uint32_t i = aa_map_get(&nv->dirs, &key);
	return i == AA_MAP_NONE ? NULL : nv->pkg_dirs[i];
}

static const char *parent_dir(struct aa_native *nv, const char *dir)
{
	size_t len = strlen(dir);
	while (len && dir[len - 1] != '/')
		len--;
	if (!len)
		return !strcmp(dir, ".") ? ".." : ".";
	return keep(nv, dir, len - 1 ? len - 1 : 1);
}

static const char *join(struct aa_native *nv, const char *dir, const char *rel)
{
	if (rel[0] == '/' || !strcmp(dir, "."))
		return keep(nv, rel, strlen(rel));
	char *p = aa_xasprintf("%s/%s", dir, rel);
	const char *out = keep(nv, p, strlen(p));
	free(p);
	return out;
}

static struct ext *add_ext(struct aa_native *nv, const char *module, size_t len, const char *dir)
{
	struct aa_map_key key = aa_map_key(module, len, 0);
	uint32_t i = aa_map_get(&nv->ext_by_module, &key);
	if (i != AA_MAP_NONE)
		return NULL; /* the first definition found wins */
	const char *m = keep(nv, module, len);
	struct aa_map_key owned = aa_map_key(m, len, 0);
	aa_map_put(&nv->ext_by_module, &owned, (uint32_t)nv->n_exts, NULL);
	AA_GROW(nv->exts, nv->exts_cap, nv->n_exts + 1);
	struct ext *e = &nv->exts[nv->n_exts++];
	*e = (struct ext){ .module = m, .dir = dir, .funcs = AA_MAP_INIT };
	return e;
}

static void add_source(struct ext *e, const char *path)
{
	AA_GROW(e->sources, e->sources_cap, e->n_sources + 1);
	e->sources[e->n_sources++] = path;
}

/* The bytes of the regular file at path, NUL-terminated (C sources and JSON need no
 * decoding to be searched or parsed), or NULL when it cannot be read. */
static char *read_text(const char *path, size_t *len)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = aa_xmalloc((size_t)st.st_size + 1);
	size_t n = fread(buf, 1, (size_t)st.st_size, f);
	bool bad = ferror(f) != 0;
	if (fclose(f) || bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* read_text of dir/name. */
static char *read_text_in(const char *dir, const char *name, size_t *len)
{
	char *path = aa_xasprintf("%s/%s", dir, name);
	char *text = read_text(path, len);
	free(path);
	return text;
}

/* The language of a source file by its name: 'c' (.c), '+' (C++: .cpp, .cc, .cxx), or 0
 * for anything else (headers, .pyx, assembly). */
static char source_lang(const char *name, size_t len)
{
	static const char *const cxx[] = { ".cpp", ".cc", ".cxx" };
	if (len > 2 && !strcmp(name + len - 2, ".c"))
		return 'c';
	for (size_t i = 0; i < sizeof(cxx) / sizeof(cxx[0]); i++) {
		size_t el = strlen(cxx[i]);
		if (len > el && !strcmp(name + len - el, cxx[i]))
			return '+';
	}
	return 0;
}

/* ---- setup.py ----------------------------------------------------------------------- */

/* The value of a plain string literal node (no f-string, no concatenation), or NULL. */
static const char *string_value(struct aa_native *nv, const char *src, TSNode n, size_t *len)
{
	if (ts_node_is_null(n) || strcmp(ts_node_type(n), "string"))
		return NULL;
	uint32_t tl;
	const char *t = aa_node_text(src, n, &tl);
	uint32_t a = 0;
	while (a < tl && t[a] != '"' && t[a] != '\'')
		a++;
	if (a != 0 || tl < 2 || t[tl - 1] != t[0]) /* prefixes (f, b, r) are not names */
		return NULL;
	*len = tl - 2;
	return keep(nv, t + 1, tl - 2);
}

/* One `Extension("mod", sources=[...])` call (or positional sources) of setup.py in dir. */
static void setup_extension(struct aa_native *nv, const char *src, TSNode call, const char *dir)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	uint32_t fl;
	const char *ft = aa_node_text(src, fn, &fl);
	if (fl < 9 || memcmp(ft + fl - 9, "Extension", 9) || (fl > 9 && ft[fl - 10] != '.'))
		return;
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	const char *module = NULL;
	size_t mlen = 0;
	TSNode sources = { 0 };
	uint32_t positional = 0;
	for (uint32_t i = 0; !ts_node_is_null(args) && i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		if (!strcmp(ts_node_type(a), "keyword_argument")) {
			TSNode k = ts_node_child_by_field_name(a, "name", 4);
			TSNode v = ts_node_child_by_field_name(a, "value", 5);
			if (aa_node_text_is(src, k, "name", 4))
				module = string_value(nv, src, v, &mlen);
			else if (aa_node_text_is(src, k, "sources", 7))
				sources = v;
			continue;
		}
		if (positional == 0)
			module = string_value(nv, src, a, &mlen);
		else if (positional == 1)
			sources = a;
		positional++;
	}
	if (!module || ts_node_is_null(sources) || strcmp(ts_node_type(sources), "list"))
		return;
	struct ext *e = add_ext(nv, module, mlen, dir);
	for (uint32_t i = 0; e && i < ts_node_named_child_count(sources); i++) {
		size_t len;
		const char *rel = string_value(nv, src, ts_node_named_child(sources, i), &len);
		if (rel && source_lang(rel, len))
			add_source(e, join(nv, dir, rel));
	}
}

/* Reads dir/setup.py for its Extension(...) calls. True when dir has a setup.py. */
static bool read_setup_py(struct aa_native *nv, const char *dir)
{
	char *path = aa_xasprintf("%s/setup.py", dir);
	struct aa_source src;
	struct aa_source_error err;
	if (aa_source_load(&src, path, &err) != AA_SOURCE_OK) {
		free(path);
		return false;
	}
	free(path);
	TSParser *parser = ts_parser_new();
	TSTree *tree = NULL;
	if (ts_parser_set_language(parser, tree_sitter_python()))
		tree = ts_parser_parse_string(parser, NULL, src.text, (uint32_t)src.len);
	if (tree) {
		/* Every call of the file, walked with a cursor (no recursion). */
		TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
		for (bool more = true; more;) {
			TSNode n = ts_tree_cursor_current_node(&cur);
			if (!strcmp(ts_node_type(n), "call"))
				setup_extension(nv, src.text, n, dir);
			if (ts_tree_cursor_goto_first_child(&cur))
				continue;
			while (!ts_tree_cursor_goto_next_sibling(&cur))
				if (!ts_tree_cursor_goto_parent(&cur)) {
					more = false;
					break;
				}
		}
		ts_tree_cursor_delete(&cur);
		ts_tree_delete(tree);
	}
	ts_parser_delete(parser);
	aa_source_release(&src);
	return true;
}

/* ---- pyproject.toml ----------------------------------------------------------------- */

/* dir/pyproject.toml's `[[tool.setuptools.ext-modules]]` tables: a string `name` and an
 * array of string `sources` (relative to dir), as setuptools reads them. */
static void read_pyproject(struct aa_native *nv, const char *dir)
{
	size_t len;
	char *text = read_text_in(dir, "pyproject.toml", &len);
	if (!text)
		return;
	struct aa_toml_value root;
	struct aa_toml_error err;
	/* A file TOML rejects yields nothing here: reporting it is the configuration's job. */
	if (aa_toml_parse(text, len, &root, &err) == 0) {
		const struct aa_toml_value *st = aa_toml_path(&root, "tool.setuptools");
		const struct aa_toml_pair *em = st ? aa_toml_find(st, "ext-modules") : NULL;
		for (size_t i = 0; em && em->value.kind == AA_TOML_ARRAY && i < em->value.n_items; i++) {
			const struct aa_toml_value *t = &em->value.items[i];
			const struct aa_toml_pair *name = aa_toml_find(t, "name");
			const struct aa_toml_pair *sources = aa_toml_find(t, "sources");
			if (!name || name->value.kind != AA_TOML_STRING || !sources ||
			    sources->value.kind != AA_TOML_ARRAY)
				continue;
			struct ext *e = add_ext(nv, name->value.str, strlen(name->value.str), dir);
			for (size_t k = 0; e && k < sources->value.n_items; k++) {
				const struct aa_toml_value *v = &sources->value.items[k];
				if (v->kind == AA_TOML_STRING && source_lang(v->str, strlen(v->str)))
					add_source(e, join(nv, dir, v->str));
			}
		}
	}
	aa_toml_release(&root);
	free(text);
}

/* ---- meson.build -------------------------------------------------------------------- */

/* A token of meson.build: a string ('s': s[0..len) between the quotes, undecoded), a
 * name ('i'), one of ( ) [ ] , : . as itself, or anything else ('x'). */
struct mtok {
	char kind;
	const char *s;
	size_t len;
};

/* The tokens of a meson.build text t[0..n) (comments dropped), in *out (owned). */
static size_t meson_tokens(const char *t, size_t n, struct mtok **out)
{
	size_t cnt = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < n;) {
		char c = t[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#') {
			while (i < n && t[i] != '\n')
				i++;
			continue;
		}
		struct mtok k = { 'x', t + i, 1 };
		if (c == '\'') {
			/* '''multi-line''' or 'one line'; one with an escape is not read ('x') */
			bool triple = i + 2 < n && t[i + 1] == '\'' && t[i + 2] == '\'';
			size_t a = i + (triple ? 3 : 1), b = a;
			bool plain = true;
			for (; b < n; b++) {
				bool end = triple ? b + 2 < n && !memcmp(t + b, "'''", 3)
						  : t[b] == '\'' || t[b] == '\n';
				if (end)
					break;
				plain = plain && t[b] != '\\';
			}
			k = (struct mtok){ plain ? 's' : 'x', t + a, b - a };
			i = b + (triple ? 3 : 1);
		} else if (aa_source_ident_byte(c)) {
			size_t b = i;
			while (b < n && aa_source_ident_byte(t[b]))
				b++;
			k = (struct mtok){ 'i', t + i, b - i };
			i = b;
		} else {
			if (strchr("()[],:.", c))
				k.kind = c;
			i++;
		}
		AA_GROW(*out, cap, cnt + 1);
		(*out)[cnt++] = k;
	}
	return cnt;
}

static bool tok_is(const struct mtok *k, const char *name)
{
	return k->kind == 'i' && k->len == strlen(name) && !memcmp(k->s, name, k->len);
}

/* The strings of one argument's value tk[0..n): a string, a list of them, or
 * files(strings), each appended to *out (AA_GROW). False when it is anything else. */
static bool meson_strings(const struct mtok *tk, size_t n, const struct mtok ***out, size_t *len, size_t *cap)
{
	size_t a;
	if (n == 1 && tk[0].kind == 's')
		a = 0, n = 2; /* the loop below sees the one string */
	else if (n >= 3 && tok_is(&tk[0], "files") && tk[1].kind == '(' && tk[n - 1].kind == ')')
		a = 2;
	else if (n >= 2 && tk[0].kind == '[' && tk[n - 1].kind == ']')
		a = 1;
	else
		return false;
	/* strings separated by commas, a trailing one allowed */
	for (size_t i = a; i < n - 1; i++) {
		if (tk[i].kind == 's' && (i + 1 == n - 1 || tk[i + 1].kind == ',')) {
			AA_GROW(*out, *cap, *len + 1);
			(*out)[(*len)++] = &tk[i];
		} else if (tk[i].kind != ',') {
			return false;
		}
	}
	return true;
}

/* One `<py>.extension_module(...)` call's arguments tk[0..n) (the closing parenthesis
 * excluded): the module `subdir.name` (subdir's slashes made dots) with the sources given
 * positionally or as `sources:`, relative to dir. */
static void meson_call(struct aa_native *nv, const char *dir, const struct mtok *tk, size_t n)
{
	const struct mtok **name = NULL, **subdir = NULL, **sources = NULL; /* owned arrays */
	size_t n_name = 0, name_cap = 0, n_subdir = 0, subdir_cap = 0, n_sources = 0, sources_cap = 0;
	size_t positional = 0;
	bool bad = false;
	for (size_t a = 0; a < n && !bad;) {
		size_t b = a, depth = 0;
		for (; b < n && (depth || tk[b].kind != ','); b++) {
			depth += tk[b].kind == '(' || tk[b].kind == '[';
			depth -= depth && (tk[b].kind == ')' || tk[b].kind == ']');
		}
		if (b > a + 1 && tk[a].kind == 'i' && tk[a + 1].kind == ':') {
			if (tok_is(&tk[a], "sources"))
				bad = !meson_strings(tk + a + 2, b - a - 2, &sources, &n_sources, &sources_cap);
			else if (tok_is(&tk[a], "subdir"))
				bad = !meson_strings(tk + a + 2, b - a - 2, &subdir, &n_subdir, &subdir_cap);
		} else if (b > a && positional++ == 0) {
			bad = !meson_strings(tk + a, b - a, &name, &n_name, &name_cap);
		} else if (b > a) {
			bad = !meson_strings(tk + a, b - a, &sources, &n_sources, &sources_cap);
		}
		a = b + 1;
	}
	/* A name, subdir or source made by meson code (a variable, a join) is not evaluated:
	 * the module is then left to the PyInit_ search. */
	if (!bad && n_name == 1 && name[0]->len && n_subdir <= 1) {
		struct aa_buf mod = AA_BUF_INIT;
		for (size_t i = 0; n_subdir && i < subdir[0]->len; i++)
			aa_buf_addc(&mod, subdir[0]->s[i] == '/' ? '.' : subdir[0]->s[i]);
		while (mod.len && mod.data[mod.len - 1] == '.')
			mod.len--;
		aa_buf_addf(&mod, "%s%.*s", mod.len ? "." : "", (int)name[0]->len, name[0]->s);
		struct ext *e = add_ext(nv, mod.data, mod.len, dir);
		for (size_t i = 0; e && i < n_sources; i++) {
			const char *rel = keep(nv, sources[i]->s, sources[i]->len);
			if (source_lang(rel, sources[i]->len))
				add_source(e, join(nv, dir, rel));
		}
		aa_buf_release(&mod);
	}
	free(name);
	free(subdir);
	free(sources);
}

/* dir/meson.build's `<py>.extension_module('name', 'a.c', ..., subdir: 'pkg')` calls;
 * nothing else of meson's language is read. */
static void read_meson(struct aa_native *nv, const char *dir)
{
	size_t len;
	char *text = read_text_in(dir, "meson.build", &len);
	if (!text)
		return;
	struct mtok *tk;
	size_t n = meson_tokens(text, len, &tk);
	for (size_t i = 1; i + 1 < n; i++) {
		if (tk[i - 1].kind != '.' || !tok_is(&tk[i], "extension_module") || tk[i + 1].kind != '(')
			continue;
		size_t end = i + 2, depth = 1;
		for (; end < n; end++) {
			depth += tk[end].kind == '(' || tk[end].kind == '[';
			depth -= tk[end].kind == ')' || tk[end].kind == ']';
			if (!depth)
				break;
		}
		if (end < n)
			meson_call(nv, dir, tk + i + 2, end - i - 2);
		i = end;
	}
	free(tk);
	free(text);
}

/* Reads dir's build files (once per directory) for the extensions they declare:
 * setup.py, pyproject.toml, meson.build. True when dir has a setup.py. */
static bool read_build(struct aa_native *nv, const char *dir)
{
	bool added;
	uint32_t *has = aa_map_put_str(&nv->setups_seen, dir, 0, &added);
	if (!added)
		return *has;
	bool setup = read_setup_py(nv, dir);
	*has = setup; /* the readers do not touch setups_seen: has is still valid */
	read_pyproject(nv, dir);
	read_meson(nv, dir);
	return setup;
}

/* ---- PyInit_ ------------------------------------------------------------------------ */

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Does a C file's text define module name (its last part)? It has `PyInit_name`, or a
 * PyModuleDef and the string "name" (PyInit_ made by a macro, as in psycopg2). */
static bool defines_init(const char *text, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(text, "PyInit_"); p; p = strstr(p + 1, "PyInit_")) {
		const char *q = p + 7;
		if (!strncmp(q, name, nl) && !aa_source_ident_byte(q[nl]))
			return true;
	}
	if (!strstr(text, "PyModuleDef"))
		return false;
	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name))
		if (p > text && p[-1] == '"' && p[nl] == '"')
			return true;
	return false;
}

/* The C and C++ sources of dir, sorted (readdir's order is the file system's), listed once per
 * directory: most directories a tree's packages are in have none. */
static const struct listing *list_dir(struct aa_native *nv, const char *dir)
{
	bool added;
	uint32_t *slot = aa_map_put_str(&nv->listed, dir, (uint32_t)nv->n_listings, &added);
	if (!added)
		return &nv->listings[*slot];
	AA_GROW(nv->listings, nv->listings_cap, nv->n_listings + 1);
	struct listing *l = &nv->listings[nv->n_listings++];
	*l = (struct listing){ 0 };
	DIR *d = opendir(dir);
	if (!d)
		return l;
	for (struct dirent *de; (de = readdir(d));) {
		if (!source_lang(de->d_name, strlen(de->d_name)))
			continue;
		AA_GROW(l->files, l->cap, l->n + 1);
		l->files[l->n++] = join(nv, dir, de->d_name);
	}
	closedir(d);
	if (l->n > 1)
		qsort(l->files, l->n, sizeof(*l->files), compare_paths);
	return l;
}

/* The sources of dir (once per directory and module): one defining the module's last
 * part (defines_init) makes module an extension whose sources are every one of dir. */
static void scan_dir(struct aa_native *nv, const char *dir, const char *module, size_t mlen)
{
	const struct listing *l = list_dir(nv, dir);
	if (!l->n)
		return;
	char *seen = aa_xasprintf("%s\n%.*s", dir, (int)mlen, module);
	bool added;
	const char *key = keep(nv, seen, strlen(seen));
	free(seen);
	aa_map_put_str(&nv->scans_seen, key, 1, &added);
	if (!added)
		return;
	const char *last = module + parent_len(module, mlen) + 1;
	char *name = aa_xstrndup(last, mlen - (size_t)(last - module));
	bool found = false;
	for (size_t i = 0; i < l->n && !found; i++) {
		size_t len;
		char *text = read_text(l->files[i], &len);
		if (text)
			found = defines_init(text, name);
		free(text);
	}
	free(name);
	struct ext *e = found ? add_ext(nv, module, mlen, dir) : NULL;
	for (size_t i = 0; e && i < l->n; i++)
		add_source(e, l->files[i]);
}

/* scan_dir on each directory directly under root (at most 64: a source tree's top). */
static void scan_subdirs(struct aa_native *nv, const char *root, const char *module, size_t mlen)
{
	DIR *d = opendir(root);
	if (!d)
		return;
	const char **dirs = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *de; n < 64 && (de = readdir(d));) {
		struct stat st;
		const char *path = join(nv, root, de->d_name);
		if (de->d_name[0] == '.' || stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		AA_GROW(dirs, cap, n + 1);
		dirs[n++] = path;
	}
	closedir(d);
	/* readdir's order is the file system's: sorted, the first match is always the same. */
	qsort(dirs, n, sizeof(*dirs), compare_paths);
	struct aa_map_key key = aa_map_key(module, mlen, 0);
	for (size_t i = 0; i < n && aa_map_get(&nv->ext_by_module, &key) == AA_MAP_NONE; i++)
		scan_dir(nv, dirs[i], module, mlen);
	free(dirs);
}

/* ---- compile flags ------------------------------------------------------------------ */

struct args {
	char **v; /* owned strings */
	size_t n, cap;
};

static void arg_add(struct args *a, char *owned)
{
	AA_GROW(a->v, a->cap, a->n + 1);
	a->v[a->n++] = owned;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The preprocessor flags of one compile_commands.json entry: -I (relative ones made
 * from its directory), -D, -U, -include, -isystem, -std. */
static void command_flags(cJSON *entry, const char *cdir, struct args *a)
{
	cJSON *argv = cJSON_GetObjectItemCaseSensitive(entry, "arguments");
	char *command = NULL;
	char **words = NULL;
	size_t n = 0, cap = 0;
	if (cJSON_IsArray(argv)) {
		cJSON *w;
		cJSON_ArrayForEach(w, argv) if (cJSON_IsString(w))
		{
			AA_GROW(words, cap, n + 1);
			words[n++] = w->valuestring;
		}
	} else {
		cJSON *cmd = cJSON_GetObjectItemCaseSensitive(entry, "command");
		if (!cJSON_IsString(cmd))
			return;
		/* Split on blanks: quoted arguments with spaces are rare in include flags. */
		command = aa_xstrdup(cmd->valuestring);
		for (char *save = NULL, *w = strtok_r(command, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			AA_GROW(words, cap, n + 1);
			words[n++] = w;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *w = words[i];
		bool takes = !strcmp(w, "-I") || !strcmp(w, "-isystem") || !strcmp(w, "-include") || !strcmp(w, "-D");
		if (takes && i + 1 < n) {
			/* The flag and its value as two arguments; a relative path made from the
			 * entry's directory. */
			const char *v = words[++i];
			arg_add(a, aa_xstrdup(w));
			arg_add(a, strcmp(w, "-D") && v[0] != '/' ? aa_xasprintf("%s/%s", cdir, v) : aa_xstrdup(v));
		} else if (!strncmp(w, "-I", 2) && w[2] != '/') {
			arg_add(a, aa_xasprintf("-I%s/%s", cdir, w + 2));
		} else if (!strncmp(w, "-I", 2) || !strncmp(w, "-D", 2) || !strncmp(w, "-U", 2) ||
			   !strncmp(w, "-std=", 5)) {
			arg_add(a, aa_xstrdup(w));
		}
	}
	free(words);
	free(command);
}

/* Flags for path from dir/compile_commands.json; false when it has no entry for it. */
static bool database_flags(const char *dir, const char *path, struct args *a)
{
	size_t len;
	char *text = read_text_in(dir, "compile_commands.json", &len);
	if (!text)
		return false;
	cJSON *root = cJSON_ParseWithLength(text, len);
	free(text);
	bool found = false;
	cJSON *entry;
	cJSON_ArrayForEach(entry, root)
	{
		cJSON *file = cJSON_GetObjectItemCaseSensitive(entry, "file");
		cJSON *cdir = cJSON_GetObjectItemCaseSensitive(entry, "directory");
		if (!cJSON_IsString(file) || !cJSON_IsString(cdir))
			continue;
		char *full = file->valuestring[0] == '/' ? aa_xstrdup(file->valuestring)
							 : aa_xasprintf("%s/%s", cdir->valuestring, file->valuestring);
		bool same = same_file(full, path);
		free(full);
		if (same) {
			command_flags(entry, cdir->valuestring, a);
			found = true;
			break;
		}
	}
	cJSON_Delete(root);
	return found;
}

static void default_flags(const struct ext *e, const char *path, struct args *a)
{
	const char *py = aa_creader_python_include();
	if (py[0])
		arg_add(a, aa_xasprintf("-isystem%s", py)); /* system: its inline functions are not the extension's */
	size_t dl = strlen(path);
	while (dl && path[dl - 1] != '/')
		dl--;
	arg_add(a, dl ? aa_xasprintf("-I%.*s", (int)(dl - 1 ? dl - 1 : 1), path) : aa_xstrdup("-I."));
	arg_add(a, aa_xasprintf("-I%s", e->dir));
	arg_add(a, aa_xasprintf("-I%s/include", e->dir));
	/* A directory found by its PyInit_ may include its headers as "dir/x.h" (psycopg2). */
	arg_add(a, aa_xasprintf("-I%s/..", e->dir));
}

/* ---- reading units on threads ------------------------------------------------------- */

struct task {
	struct ext *ext;
	size_t source;
	struct args args;
	bool ok;
};

struct pool {
	struct aa_creader *reader; /* borrowed */
	struct task *tasks;        /* borrowed */
	size_t n;
	atomic_size_t next;
};

static void *worker(void *p)
{
	struct pool *pl = p;
	for (size_t i; (i = atomic_fetch_add(&pl->next, 1)) < pl->n;) {
		struct task *t = &pl->tasks[i];
		t->ok = aa_creader_read(pl->reader, t->ext->sources[t->source], (const char *const *)t->args.v,
					t->args.n, &t->ext->units[t->source]);
	}
	return NULL;
}

static void read_units(struct aa_native *nv, struct task *tasks, size_t n)
{
	const char *why;
	struct aa_creader *reader = aa_creader_open(&why);
	if (!reader) {
		/* No libclang: nothing is read, every unit counts as unread. */
		nv->units_read += n;
		nv->units_partial += n;
		return;
	}
	struct pool pl = { .reader = reader, .tasks = tasks, .n = n };
	atomic_init(&pl.next, 0);
	/* The units are read on threads of their own, joined here: libclang's thread-local
	 * storage then dies with them, never the calling thread's (LeakSanitizer's exit scan
	 * read the main thread's libclang TLS entry as a range from 0x400 and crashed). */
	size_t threads = nv->jobs < n ? nv->jobs : n;
	pthread_t *th = aa_xcalloc(threads ? threads : 1, sizeof(*th));
	size_t started = 0;
	for (; started < threads; started++)
		if (pthread_create(&th[started], NULL, worker, &pl))
			break;
	if (!started)
		worker(&pl); /* no thread at all: the calling thread reads them */
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	aa_creader_close(reader);
	for (size_t i = 0; i < n; i++) {
		nv->units_read++;
		if (!tasks[i].ok || !tasks[i].ext->units[tasks[i].source].complete)
			nv->units_partial++;
	}
}

/* The functions of an extension's units, by name (the first definition wins: a static
 * function of the same name in two units is rare). */
static void index_funcs(struct ext *e)
{
	for (size_t u = 0; u < e->n_sources; u++)
		for (size_t f = 0; f < e->units[u].n_funcs && f < (1u << 20); f++)
			aa_map_put_str(&e->funcs, e->units[u].funcs[f].name, (uint32_t)(u << 20 | f), NULL);
}

void aa_native_read(struct aa_native *nv)
{
	if (nv->read)
		return;
	nv->read = true;
	if (!nv->n_wants)
		return;
	build_dirs(nv);
	for (size_t i = 0; i < nv->n_wants; i++) {
		const char *m = nv->want_list[i];
		size_t ml = strlen(m);
		/* A Python module is no extension (a .pyi stub beside one may be). */
		if (aa_map_get_str(&nv->py_modules, m) != AA_MAP_NONE)
			continue;
		size_t pl = parent_len(m, ml);
		const char *pdir = pkg_dir(nv, m, pl);
		if (!pdir)
			continue;
		/* setup.py beside the top package, or one or two levels up (src/ layouts). */
		const char *top = pdir;
		for (size_t l = parent_len(m, pl); l; l = parent_len(m, l))
			top = parent_dir(nv, top);
		const char *root = parent_dir(nv, top);
		bool setup = read_build(nv, root);
		read_build(nv, parent_dir(nv, root));
		read_build(nv, pdir); /* a meson.build beside the package's own sources */
		struct aa_map_key key = aa_map_key(m, ml, 0);
		if (aa_map_get(&nv->ext_by_module, &key) == AA_MAP_NONE) {
			scan_dir(nv, pdir, m, ml);
			scan_dir(nv, root, m, ml);
			scan_dir(nv, join(nv, root, "src"), m, ml);
		}
		/* A source tree whose setup.py computes the sources: its other directories. */
		if (setup && aa_map_get(&nv->ext_by_module, &key) == AA_MAP_NONE)
			scan_subdirs(nv, root, m, ml);
		uint32_t e = aa_map_get(&nv->ext_by_module, &key);
		if (e != AA_MAP_NONE)
			nv->exts[e].wanted = true;
	}
	size_t n = 0;
	for (size_t i = 0; i < nv->n_exts; i++)
		if (nv->exts[i].wanted)
			n += nv->exts[i].n_sources;
	if (!n)
		return;
	struct task *tasks = aa_xcalloc(n, sizeof(*tasks));
	size_t k = 0;
	for (size_t i = 0; i < nv->n_exts; i++) {
		struct ext *e = &nv->exts[i];
		if (!e->wanted)
			continue;
		e->units = aa_xcalloc(e->n_sources ? e->n_sources : 1, sizeof(*e->units));
		for (size_t s = 0; s < e->n_sources; s++, k++) {
			tasks[k].ext = e;
			tasks[k].source = s;
			/* libclang goes by the file's name too; said, since a database entry may
			 * carry `-x c` for a whole target */
			if (source_lang(e->sources[s], strlen(e->sources[s])) == '+')
				arg_add(&tasks[k].args, aa_xstrdup("-xc++"));
			/* The database beside setup.py, or above the directory a PyInit_ was found in. */
			if (!database_flags(e->dir, e->sources[s], &tasks[k].args) &&
			    !database_flags(parent_dir(nv, e->dir), e->sources[s], &tasks[k].args))
				default_flags(e, e->sources[s], &tasks[k].args);
		}
	}
	read_units(nv, tasks, n);
	for (size_t i = 0; i < n; i++) {
		for (size_t a = 0; a < tasks[i].args.n; a++)
			free(tasks[i].args.v[a]);
		free(tasks[i].args.v);
	}
	free(tasks);
	for (size_t i = 0; i < nv->n_exts; i++)
		if (nv->exts[i].wanted)
			index_funcs(&nv->exts[i]);
}

/* ---- answers ------------------------------------------------------------------------ */

static const struct aa_ctable *table_named(const struct ext *e, const char *var)
{
	for (size_t u = 0; u < e->n_sources; u++)
		for (size_t t = 0; t < e->units[u].n_tables; t++)
			if (!strcmp(e->units[u].tables[t].var, var))
				return &e->units[u].tables[t];
	return NULL;
}

/* How deep base types (tp_base) and returned types are followed. */
#define MAX_TYPE_STEPS 8

/* The C function of name in the PyMethodDef tables that table names (directly, or
 * through a PyType_Slot array), else in those of the types it names (its tp_base, or a
 * Py_tp_base slot: a type's own methods come first, as CPython's lookup goes), or NULL. */
static const char *method_impl(const struct ext *e, const struct aa_ctable *table, const char *name, int depth)
{
	if (depth > MAX_TYPE_STEPS)
		return NULL;
	for (size_t r = 0; r < table->n_refs; r++) {
		const struct aa_ctable *t = table_named(e, table->refs[r]);
		if (t && t->kind == AA_CTABLE_SLOTS && table->kind != AA_CTABLE_SLOTS) {
			const char *impl = method_impl(e, t, name, depth + 1); /* slots name no slots */
			if (impl)
				return impl;
		}
		for (size_t k = 0; t && t->kind == AA_CTABLE_METHODS && k < t->n_entries; k++)
			if (!strcmp(t->entries[k].name, name))
				return t->entries[k].impl;
	}
	for (size_t r = 0; table->kind != AA_CTABLE_MODULE && r < table->n_refs; r++) {
		const struct aa_ctable *t = table_named(e, table->refs[r]);
		bool base = t && t->kind == AA_CTABLE_TYPE && t != table;
		const char *impl = base ? method_impl(e, t, name, depth + 1) : NULL;
		if (impl)
			return impl;
	}
	return NULL;
}

/* The last part of a type's tp_name, or NULL. */
static const char *type_name(const struct aa_ctable *t)
{
	const char *tp = t->name ? strrchr(t->name, '.') : NULL;
	return tp ? tp + 1 : t->name;
}

/* The C function behind module function or cls.method of e, or NULL. */
static const char *python_impl(const struct ext *e, const char *cls, const char *name)
{
	for (size_t u = 0; u < e->n_sources; u++)
		for (size_t k = 0; k < e->units[u].n_tables; k++) {
			const struct aa_ctable *t = &e->units[u].tables[k];
			if (cls ? t->kind != AA_CTABLE_TYPE : t->kind != AA_CTABLE_MODULE)
				continue;
			if (cls && (!type_name(t) || strcmp(type_name(t), cls)))
				continue;
			const char *impl = method_impl(e, t, name, 0);
			if (impl)
				return impl;
		}
	return NULL;
}

static const struct aa_cfunc *func_of(const struct ext *e, uint32_t v)
{
	return &e->units[v >> 20].funcs[v & ((1u << 20) - 1)];
}

/* The shortest chain from impl to a certain blocking call (breadth first over the
 * direct calls; cycles end), stored in nv->found; NULL when none. */
static const struct aa_native_chain *chain_from(struct aa_native *nv, const struct ext *e, const char *shown,
						const char *impl)
{
	uint32_t start = aa_map_get_str(&e->funcs, impl);
	if (start == AA_MAP_NONE)
		return NULL;
	struct aa_map seen = AA_MAP_INIT;
	uint32_t *queue = NULL, *parent = NULL;
	size_t qn = 0, qcap = 0, pcap = 0;
	AA_GROW(queue, qcap, 1);
	AA_GROW(parent, pcap, 1);
	queue[qn] = start;
	parent[qn++] = UINT32_MAX;
	aa_map_put_str(&seen, func_of(e, start)->name, 0, NULL);
	const struct aa_native_chain *out = NULL;
	for (size_t h = 0; h < qn && !out; h++) {
		const struct aa_cfunc *f = func_of(e, queue[h]);
		for (size_t c = 0; c < f->n_calls && !out; c++) {
			const struct aa_ccall *call = &f->calls[c];
			uint32_t g = aa_map_get_str(&e->funcs, call->callee);
			if (g == AA_MAP_NONE) {
				const struct aa_target *t = aa_rule_match_function(&aa_rule_blocking_native_call, call->callee);
				if (!t || (t->flags & AA_TARGET_CONDITIONAL))
					continue;
				/* Found: the hops are the BFS parents back to impl, then this call. */
				size_t n = 1;
				for (size_t p = h; parent[p] != UINT32_MAX; p = parent[p])
					n++;
				struct aa_native_hop *hops = aa_xcalloc(n, sizeof(*hops));
				hops[n - 1] = (struct aa_native_hop){ f->name, call->callee, f->path, call->line };
				size_t i = n - 1;
				for (size_t p = h; parent[p] != UINT32_MAX; p = parent[p]) {
					const struct aa_cfunc *pf = func_of(e, queue[parent[p]]);
					unsigned line = 0;
					for (size_t k = 0; k < pf->n_calls; k++)
						if (!strcmp(pf->calls[k].callee, func_of(e, queue[p])->name)) {
							line = pf->calls[k].line;
							break;
						}
					hops[--i] = (struct aa_native_hop){ pf->name, func_of(e, queue[p])->name, pf->path,
									    line };
				}
				const struct aa_cfunc *sf = func_of(e, start);
				struct aa_native_chain *chain = aa_xmalloc(sizeof(*chain));
				*chain = (struct aa_native_chain){ shown, sf->name, sf->path, sf->line, hops, n };
				AA_GROW(nv->found, nv->found_cap, nv->n_found + 1);
				nv->found[nv->n_found++] = chain;
				out = chain;
				continue;
			}
			bool added;
			aa_map_put_str(&seen, func_of(e, g)->name, 0, &added);
			if (!added)
				continue;
			AA_GROW(queue, qcap, qn + 1);
			AA_GROW(parent, pcap, qn + 1);
			queue[qn] = g;
			parent[qn++] = (uint32_t)h;
		}
	}
	aa_map_release(&seen);
	free(queue);
	free(parent);
	return out;
}

/* The type whose instance C function impl returns (creader.h's returns, through the
 * functions it returns the result of), or NULL when that is not one known type. */
static const struct aa_ctable *returned_type(const struct ext *e, const char *impl)
{
	for (int i = 0; impl && i < MAX_TYPE_STEPS; i++) {
		uint32_t f = aa_map_get_str(&e->funcs, impl);
		const char *ret = f == AA_MAP_NONE ? NULL : func_of(e, f)->returns;
		if (ret && ret[0] == '&') {
			const struct aa_ctable *t = table_named(e, ret + 1);
			return t && t->kind == AA_CTABLE_TYPE && type_name(t) ? t : NULL;
		}
		impl = ret ? ret + 2 : NULL; /* "()f" */
	}
	return NULL;
}

/* The chain of key (a module function, or a method of the class cls[0..cls_len) when
 * cls is not NULL) of extension module name[0..mlen), or NULL. */
static const struct aa_native_chain *find_in(struct aa_native *nv, const char *name, size_t mlen, const char *cls,
					     size_t cls_len, const char *key)
{
	struct aa_map_key mk = aa_map_key(name, mlen, 0);
	uint32_t ei = aa_map_get(&nv->ext_by_module, &mk);
	if (ei == AA_MAP_NONE || !nv->exts[ei].units)
		return NULL;
	const struct ext *e = &nv->exts[ei];
	char *clsname = cls ? aa_xstrndup(cls, cls_len) : NULL;
	const char *impl = python_impl(e, clsname, key);
	if (!impl && clsname) {
		/* cls may be a module function whose C side returns an instance of one type
		 * (`conn = _native.connect(); conn.query()`) */
		const struct aa_ctable *t = returned_type(e, python_impl(e, NULL, clsname));
		impl = t ? method_impl(e, t, key, 0) : NULL;
		if (impl) {
			free(clsname);
			clsname = aa_xstrdup(type_name(t));
		}
	}
	const char *last = e->module + parent_len(e->module, strlen(e->module)) + 1;
	const struct aa_native_chain *out = NULL;
	if (impl) {
		char *shown = clsname ? aa_xasprintf("%s.%s.%s", last, clsname, key) : aa_xasprintf("%s.%s", last, key);
		out = chain_from(nv, e, keep(nv, shown, strlen(shown)), impl);
		free(shown);
	}
	free(clsname);
	return out;
}

const struct aa_native_chain *aa_native_find(struct aa_native *nv, const char *name, const char *method)
{
	size_t len = strlen(name);
	size_t ml = parent_len(name, len);
	if (!ml)
		return NULL;
	if (method)
		return find_in(nv, name, ml, name + ml + 1, len - ml - 1, method);
	const struct aa_native_chain *out = find_in(nv, name, ml, NULL, 0, name + ml + 1);
	size_t cl = parent_len(name, ml);
	if (!out && cl)
		out = find_in(nv, name, cl, name + cl + 1, ml - cl - 1, name + ml + 1);
	return out;
}

void aa_native_units(const struct aa_native *nv, size_t *read, size_t *partial)
{
	*read = nv->units_read;
	*partial = nv->units_partial;
}
