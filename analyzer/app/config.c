#include "analyzer/app/config.h"
#include "analyzer/app/ruff_config.h"
#include "analyzer/app/select.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/input/discover.h"
#include "parsers/toml/toml.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ORIGIN_DEFAULT = 0, ORIGIN_FILE = 1, ORIGIN_CLI = 2 };

static void add_error(struct aa_configs *c, char *msg)
{
	AA_GROW(c->errors, c->errors_cap, c->n_errors + 1);
	c->errors[c->n_errors++] = msg;
}

static void error_at(struct aa_configs *c, const char *path, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void error_at(struct aa_configs *c, const char *path, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct aa_buf b = AA_BUF_INIT;
	aa_buf_addf(&b, "%s:%u:%u: ", path, line, col);
	va_list ap;
	va_start(ap, fmt);
	char *m = aa_xvasprintf(fmt, ap);
	va_end(ap);
	aa_buf_adds(&b, m);
	free(m);
	add_error(c, aa_buf_detach(&b));
}

static char *absolute(const struct aa_configs *c, const char *path)
{
	if (path[0] == '/')
		return aa_xstrdup(path);
	if (!strcmp(path, ".") || !path[0])
		return aa_xstrdup(c->cwd);
	return aa_xasprintf("%s/%s", strcmp(c->cwd, "/") ? c->cwd : "", path);
}

static void free_config(struct aa_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < AA_OPT_COUNT; i++) {
		for (size_t k = 0; k < cfg->n_lists[i]; k++)
			free(cfg->lists[i][k]);
		free(cfg->lists[i]);
		for (size_t k = 0; k < cfg->n_pfi[i]; k++) {
			free(cfg->pfi[i][k].glob);
			free(cfg->pfi[i][k].codes);
		}
		free(cfg->pfi[i]);
	}
	free(cfg->severity);
	free(cfg->path);
	free(cfg->dir);
}

/* --- reading a file ------------------------------------------------------------------ */

struct reader {
	struct aa_configs *c;
	struct aa_config *cfg;
	const char *path; /* display */
};

/* Checks that v is an array of strings; each is checked by check (NULL: any string). */
static bool string_array(struct reader *r, const struct aa_toml_pair *p, const char *what,
			 bool (*check)(struct reader *r, const struct aa_toml_value *s, const char *key))
{
	const struct aa_toml_value *v = &p->value;
	if (v->kind != AA_TOML_ARRAY) {
		error_at(r->c, r->path, v->line, v->col, "'%s' must be an array of %s, not a %s", p->key, what,
			 aa_toml_kind_name(v->kind));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < v->n_items; i++) {
		const struct aa_toml_value *s = &v->items[i];
		if (s->kind != AA_TOML_STRING || strlen(s->str) != s->len) {
			error_at(r->c, r->path, s->line, s->col, "'%s' must be an array of %s: item %zu is a %s", p->key,
				 what, i + 1, s->kind == AA_TOML_STRING ? "string holding a NUL" : aa_toml_kind_name(s->kind));
			ok = false;
		} else if (check && !check(r, s, p->key)) {
			ok = false;
		}
	}
	return ok;
}

static bool check_selector(struct reader *r, const struct aa_toml_value *s, const char *key)
{
	if (aa_select_known(s->str))
		return true;
	error_at(r->c, r->path, s->line, s->col, "'%s': unknown rule selector '%s' (see `async-analyzer rule --all`)",
		 key, s->str);
	return false;
}

static bool check_name(struct reader *r, const struct aa_toml_value *s, const char *key)
{
	char *msg = NULL;
	if (aa_cli_check_qualname(key, s->str, &msg) == 0)
		return true;
	error_at(r->c, r->path, s->line, s->col, "%s", msg);
	free(msg);
	return false;
}

/* Keeps s (owned) with the option's list of cfg, which frees it. */
static void own(struct aa_config *cfg, enum aa_opt id, char *s)
{
	size_t n = cfg->n_lists[id];
	cfg->lists[id] = aa_xrealloc(cfg->lists[id], (n + 2) * sizeof(char *));
	cfg->lists[id][n] = s;
	cfg->lists[id][n + 1] = NULL;
	cfg->n_lists[id] = n + 1;
}

static char **copy_strings(const struct aa_toml_value *v, size_t *n)
{
	char **out = aa_xcalloc(v->n_items + 1, sizeof(*out));
	for (size_t i = 0; i < v->n_items; i++)
		out[i] = aa_xstrdup(v->items[i].str);
	*n = v->n_items;
	return out;
}

static bool read_glob_codes(struct reader *r, const struct aa_option *o, const struct aa_toml_pair *p)
{
	const struct aa_toml_value *t = &p->value;
	if (t->kind != AA_TOML_TABLE) {
		error_at(r->c, r->path, t->line, t->col, "'%s' must be a table of glob = [rule codes], not a %s", p->key,
			 aa_toml_kind_name(t->kind));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < t->n_pairs; i++)
		ok &= string_array(r, &t->pairs[i], "rule codes", check_selector);
	if (!ok)
		return false;
	struct aa_config_pfi *pfi = aa_xcalloc(t->n_pairs ? t->n_pairs : 1, sizeof(*pfi));
	for (size_t i = 0; i < t->n_pairs; i++) {
		const struct aa_toml_value *codes = &t->pairs[i].value;
		pfi[i].glob = aa_xstrdup(t->pairs[i].key);
		pfi[i].codes = aa_xcalloc(codes->n_items + 1, sizeof(char *));
		for (size_t k = 0; k < codes->n_items; k++) {
			char *code = aa_xstrdup(codes->items[k].str);
			own(r->cfg, o->id, code);
			pfi[i].codes[pfi[i].n_codes++] = code;
		}
	}
	r->cfg->pfi[o->id] = pfi;
	r->cfg->n_pfi[o->id] = t->n_pairs;
	return true;
}

static bool read_severities(struct reader *r, const struct aa_toml_pair *p)
{
	const struct aa_toml_value *t = &p->value;
	if (t->kind != AA_TOML_TABLE) {
		error_at(r->c, r->path, t->line, t->col, "'severity' must be a table of rule = \"error\", \"warning\" or "
			 "\"note\", not a %s", aa_toml_kind_name(t->kind));
		return false;
	}
	r->cfg->severity = aa_xmalloc(aa_rules_count ? aa_rules_count : 1);
	memset(r->cfg->severity, -1, aa_rules_count);
	bool ok = true;
	static const char *const names[] = { "error", "warning", "note" };
	for (size_t i = 0; i < t->n_pairs; i++) {
		const struct aa_toml_pair *q = &t->pairs[i];
		const struct aa_rule *rule = aa_rule_find(q->key);
		if (!rule) {
			error_at(r->c, r->path, q->line, q->col, "'severity': unknown rule '%s' (a rule's code or name)",
				 q->key);
			ok = false;
			continue;
		}
		int sev = -1;
		for (int k = 0; k < 3 && q->value.kind == AA_TOML_STRING; k++)
			if (!strcmp(q->value.str, names[k]))
				sev = k;
		if (sev < 0) {
			error_at(r->c, r->path, q->value.line, q->value.col,
				 "'severity': the severity of %s must be \"error\", \"warning\" or \"note\"", q->key);
			ok = false;
			continue;
		}
		for (size_t k = 0; k < aa_rules_count; k++)
			if (aa_rules[k] == rule)
				r->cfg->severity[k] = (signed char)sev;
	}
	return ok;
}

static bool expect_string(struct reader *r, const struct aa_toml_pair *p, const char *what)
{
	if (p->value.kind == AA_TOML_STRING)
		return true;
	error_at(r->c, r->path, p->value.line, p->value.col, "'%s' must be %s, not a %s", p->key, what,
		 aa_toml_kind_name(p->value.kind));
	return false;
}

/* Reads one key of the configuration table. */
static void read_key(struct reader *r, const struct aa_toml_pair *p)
{
	const struct aa_option *o = NULL;
	for (size_t i = 0; i < AA_OPT_COUNT && !o; i++)
		if (aa_options[i].key && !strcmp(aa_options[i].key, p->key))
			o = &aa_options[i];
	if (!o) {
		error_at(r->c, r->path, p->line, p->col, "unknown key '%s' (the keys are listed in docs/configuration.md)",
			 p->key);
		return;
	}
	struct aa_config *cfg = r->cfg;
	const struct aa_toml_value *v = &p->value;
	bool ok = false;
	switch (o->type) {
	case AA_TYPE_BOOL:
		ok = v->kind == AA_TOML_BOOLEAN;
		if (!ok)
			error_at(r->c, r->path, v->line, v->col, "'%s' must be true or false, not a %s", p->key,
				 aa_toml_kind_name(v->kind));
		else
			cfg->flags[o->id] = v->boolean;
		break;
	case AA_TYPE_SELECTORS:
	case AA_TYPE_GLOBS:
	case AA_TYPE_PATHS:
	case AA_TYPE_NAMES:
		ok = string_array(r, p,
				  o->type == AA_TYPE_SELECTORS ? "rule codes"
				  : o->type == AA_TYPE_NAMES   ? "qualified names"
				  : o->type == AA_TYPE_GLOBS   ? "globs"
							       : "directories",
				  o->type == AA_TYPE_SELECTORS ? check_selector : o->type == AA_TYPE_NAMES ? check_name : NULL);
		if (ok)
			cfg->lists[o->id] = copy_strings(v, &cfg->n_lists[o->id]);
		break;
	case AA_TYPE_GLOB_CODES:
		ok = read_glob_codes(r, o, p);
		break;
	case AA_TYPE_SEVERITIES:
		ok = read_severities(r, p);
		break;
	case AA_TYPE_VERSION:
		ok = expect_string(r, p, "a version such as \"py311\"");
		if (ok && aa_cli_parse_version(v->str, &cfg->target_version) < 0) {
			error_at(r->c, r->path, v->line, v->col, "'%s': expected \"py38\" to \"py314\", got \"%s\"", p->key,
				 v->str);
			ok = false;
		}
		break;
	case AA_TYPE_JOBS:
		ok = v->kind == AA_TOML_INTEGER && v->integer >= 1 && v->integer <= 1024;
		if (!ok)
			error_at(r->c, r->path, v->line, v->col, "'%s' must be an integer from 1 to 1024", p->key);
		else
			cfg->jobs = (unsigned)v->integer;
		break;
	case AA_TYPE_FORMAT: {
		enum aa_format f;
		ok = expect_string(r, p, "a string");
		if (ok && aa_cli_parse_format(v->str, &f) < 0) {
			error_at(r->c, r->path, v->line, v->col, "'%s': expected \"text\", \"json\", \"sarif\" or \"github\", "
				 "got \"%s\"", p->key, v->str);
			ok = false;
		}
		if (ok)
			cfg->format = (int)f;
		break;
	}
	default:
		break;
	}
	if (ok) {
		cfg->set[o->id] = true;
		cfg->line[o->id] = p->line;
		cfg->col[o->id] = p->col;
	}
}

/* Reads the file at abs (display: shown). Returns the new config, or NULL when it is a
 * pyproject.toml without [tool.async-analyzer]; on an error, the config holds what was
 * valid and the errors are collected. */
static struct aa_config *read_config(struct aa_configs *c, const char *abs, const char *display, bool pyproject,
				     bool *is_config)
{
	struct aa_buf text = AA_BUF_INIT;
	bool opened;
	int err = aa_buf_read_file(&text, abs, AA_BUF_CONFIG_MAX, &opened);
	*is_config = opened; /* a file that opened and did not read is one, broken */
	if (err) {
		error_at(c, display, 1, 1, "cannot read the configuration file: %s",
			 err == EFBIG ? "larger than 4 MiB" : strerror(err));
		aa_buf_release(&text);
		return NULL;
	}
	*is_config = false;
	/* A pyproject.toml that never names us is another tool's business, even when it is
	 * not valid TOML (a test fixture's, say): it is not parsed at all. */
	if (pyproject && !memmem(text.data, text.len, "async-analyzer", 14)) {
		aa_buf_release(&text);
		return NULL;
	}
	struct aa_toml_value root;
	struct aa_toml_error terr;
	int rc = aa_toml_parse(text.data, text.len, &root, &terr);
	aa_buf_release(&text);
	if (rc < 0) {
		error_at(c, display, terr.line, terr.col, "%s", terr.message);
		aa_toml_release(&root);
		*is_config = true;
		return NULL;
	}
	const struct aa_toml_value *table = &root;
	if (pyproject) {
		const struct aa_toml_value *tool = aa_toml_path(&root, "tool");
		const struct aa_toml_pair *p = tool ? aa_toml_find(tool, "async-analyzer") : NULL;
		if (!p) {
			aa_toml_release(&root);
			return NULL;
		}
		table = &p->value;
		if (table->kind != AA_TOML_TABLE) {
			error_at(c, display, table->line, table->col, "'tool.async-analyzer' must be a table, not a %s",
				 aa_toml_kind_name(table->kind));
			aa_toml_release(&root);
			*is_config = true;
			return NULL;
		}
	}
	*is_config = true;
	struct aa_config *cfg = aa_xcalloc(1, sizeof(*cfg));
	cfg->path = aa_xstrdup(display);
	cfg->dir = aa_xstrdup(abs);
	char *slash = strrchr(cfg->dir, '/');
	if (slash == cfg->dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	struct reader r = { c, cfg, display };
	for (size_t i = 0; i < table->n_pairs; i++)
		read_key(&r, &table->pairs[i]);
	aa_toml_release(&root);
	return cfg;
}

static uint32_t add_config(struct aa_configs *c, struct aa_config *cfg)
{
	AA_GROW(c->files, c->files_cap, c->n_files + 1);
	c->files[c->n_files] = cfg;
	return (uint32_t)c->n_files++;
}

/* The display form of dir/name: relative to the current directory when under it. */
static char *display_of(const struct aa_configs *c, const char *abs)
{
	size_t n = strlen(c->cwd);
	if (!strncmp(abs, c->cwd, n) && abs[n] == '/')
		return aa_xstrdup(abs + n + 1);
	if (n == 1 && abs[0] == '/')
		return aa_xstrdup(abs + 1);
	return aa_xstrdup(abs);
}

const char *const aa_config_names[] = { ".async-analyzer.toml", "async-analyzer.toml", "pyproject.toml", NULL };

void aa_configs_listed(struct aa_configs *c, const char *dir, unsigned found)
{
	free(c->listed_dir);
	c->listed_dir = absolute(c, dir);
	c->listed_found = found;
}

/* The configuration file in dir itself, as an index into files, or AA_MAP_NONE. A
 * directory discovery has just listed is known to hold only the names it reported:
 * stat-ing three names in each of thousands of deep directories costs more than the
 * walk. */
static uint32_t probe_dir(struct aa_configs *c, const char *dir)
{
	bool listed = c->listed_dir && !strcmp(c->listed_dir, dir);
	for (size_t i = 0; aa_config_names[i]; i++) {
		if (listed && !(c->listed_found & (1u << i)))
			continue;
		char *abs = aa_xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", aa_config_names[i]);
		struct stat st;
		uint32_t found = AA_MAP_NONE;
		if (stat(abs, &st) == 0 && S_ISREG(st.st_mode)) {
			char *display = display_of(c, abs);
			bool is_config;
			struct aa_config *cfg = read_config(c, abs, display, !strcmp(aa_config_names[i], "pyproject.toml"),
							    &is_config);
			free(display);
			if (cfg)
				found = add_config(c, cfg);
			else if (is_config) /* an erroneous one still stops the search: exit 2 */
				found = add_config(c, aa_xcalloc(1, sizeof(struct aa_config)));
		}
		free(abs);
		if (found != AA_MAP_NONE)
			return found;
	}
	return AA_MAP_NONE;
}

enum { NO_CONFIG = AA_MAP_NONE - 1 };

static uint32_t for_dir(struct aa_configs *c, const char *abs_dir)
{
	if (c->forced >= 0)
		return (uint32_t)c->forced;
	if (c->cli->isolated)
		return NO_CONFIG;
	if (c->last_dir && !strcmp(c->last_dir, abs_dir))
		return c->last_answer;
	char *d = aa_xstrdup(abs_dir);
	char **chain = NULL;
	size_t n_chain = 0, chain_cap = 0;
	uint32_t answer = NO_CONFIG;
	for (;;) {
		uint32_t known = aa_map_get_str(&c->by_dir, d);
		if (known != AA_MAP_NONE) {
			answer = known;
			free(d);
			break;
		}
		AA_GROW(chain, chain_cap, n_chain + 1);
		chain[n_chain++] = d;
		uint32_t here = probe_dir(c, d);
		if (here != AA_MAP_NONE) {
			answer = here;
			break;
		}
		char *slash = strrchr(d, '/');
		if (!slash || !strcmp(d, "/"))
			break;
		d = slash == d ? aa_xstrdup("/") : aa_xstrndup(d, (size_t)(slash - d));
	}
	for (size_t i = 0; i < n_chain; i++) {
		AA_GROW(c->dirs, c->dirs_cap, c->n_dirs + 1);
		c->dirs[c->n_dirs++] = chain[i];
		aa_map_put_str(&c->by_dir, chain[i], answer, NULL);
	}
	free(chain);
	free(c->last_dir);
	c->last_dir = aa_xstrdup(abs_dir);
	c->last_answer = answer;
	return answer;
}

/* --- the command line's settings ------------------------------------------------------ */

static void cli_list(struct aa_config *cfg, enum aa_opt id, const struct aa_strlist *l)
{
	if (!l->len)
		return;
	cfg->set[id] = true;
	cfg->lists[id] = aa_xcalloc(l->len + 1, sizeof(char *));
	for (size_t i = 0; i < l->len; i++)
		cfg->lists[id][i] = aa_xstrdup(l->items[i]);
	cfg->n_lists[id] = l->len;
}

/* --per-file-ignores GLOB:CODES items into the config's table form. */
static int cli_pfi(struct aa_configs *c, enum aa_opt id, const struct aa_strlist *l)
{
	struct aa_config *cfg = &c->cli_config;
	if (!l->len)
		return 0;
	cfg->set[id] = true;
	cfg->pfi[id] = aa_xcalloc(l->len, sizeof(struct aa_config_pfi));
	cfg->n_pfi[id] = l->len;
	for (size_t i = 0; i < l->len; i++) {
		const char *colon = strrchr(l->items[i], ':');
		struct aa_config_pfi *p = &cfg->pfi[id][i];
		p->glob = aa_xstrndup(l->items[i], (size_t)(colon - l->items[i]));
		p->codes = aa_xcalloc(strlen(colon) + 1, sizeof(char *));
		for (const char *s = colon + 1; *s;) {
			while (*s == ',' || *s == ' ')
				s++;
			const char *e = s;
			while (*e && *e != ',' && *e != ' ')
				e++;
			if (e == s)
				break;
			char *code = aa_xstrndup(s, (size_t)(e - s));
			own(cfg, id, code);
			p->codes[p->n_codes++] = code;
			if (!aa_select_known(code)) {
				add_error(c, aa_xasprintf("%s '%s': unknown rule selector '%s'", aa_options[id].flag,
							  l->items[i], code));
				return -1;
			}
			s = e;
		}
	}
	return 0;
}

int aa_configs_init(struct aa_configs *c, const struct aa_cli *cli)
{
	memset(c, 0, sizeof(*c));
	c->cli = cli;
	c->forced = -1;
	c->by_dir = (struct aa_map)AA_MAP_INIT;
	c->cwd = getcwd(NULL, 0);
	if (!c->cwd) {
		add_error(c, aa_xasprintf("cannot determine the current directory: %s", strerror(errno)));
		c->cwd = aa_xstrdup("/");
		return -1;
	}
	struct aa_config *k = &c->cli_config;
	k->dir = aa_xstrdup(c->cwd);
	cli_list(k, AA_OPT_SELECT, &cli->select);
	cli_list(k, AA_OPT_EXTEND_SELECT, &cli->extend_select);
	cli_list(k, AA_OPT_IGNORE, &cli->ignore);
	cli_list(k, AA_OPT_EXCLUDE, &cli->exclude);
	cli_list(k, AA_OPT_EXTEND_EXCLUDE, &cli->extend_exclude);
	cli_list(k, AA_OPT_BLOCKING_CALLS, &cli->blocking_calls);
	cli_list(k, AA_OPT_TRANSPARENT_DECORATORS, &cli->transparent_decorators);
	cli_list(k, AA_OPT_SRC, &cli->src);
	k->set[AA_OPT_TARGET_VERSION] = cli->target_version != 0;
	k->target_version = cli->target_version;
	k->set[AA_OPT_JOBS] = cli->jobs != 0;
	k->jobs = cli->jobs;
	k->set[AA_OPT_FORMAT] = cli->have_format;
	k->format = (int)cli->format;
	k->set[AA_OPT_RESPECT_GITIGNORE] = cli->respect_gitignore >= 0;
	k->flags[AA_OPT_RESPECT_GITIGNORE] = cli->respect_gitignore > 0;
	k->set[AA_OPT_RESPECT_RUFF_IGNORES] = cli->respect_ruff_ignores >= 0;
	k->flags[AA_OPT_RESPECT_RUFF_IGNORES] = cli->respect_ruff_ignores > 0;
	k->set[AA_OPT_REPORT_IN_TESTS] = cli->report_in_tests;
	k->flags[AA_OPT_REPORT_IN_TESTS] = cli->report_in_tests;
	if (cli_pfi(c, AA_OPT_PER_FILE_IGNORES, &cli->per_file_ignores) < 0 ||
	    cli_pfi(c, AA_OPT_EXTEND_PER_FILE_IGNORES, &cli->extend_per_file_ignores) < 0)
		return -1;
	if (cli->config_file) {
		char *abs = absolute(c, cli->config_file);
		const char *base = strrchr(abs, '/') + 1;
		bool is_config;
		struct aa_config *cfg = read_config(c, abs, cli->config_file, !strcmp(base, "pyproject.toml"), &is_config);
		free(abs);
		if (!cfg && !is_config)
			error_at(c, cli->config_file, 1, 1, "no [tool.async-analyzer] table in this pyproject.toml");
		c->forced = (int)add_config(c, cfg ? cfg : aa_xcalloc(1, sizeof(struct aa_config)));
	}
	return c->n_errors ? -1 : 0;
}

static void free_resolved(struct aa_resolved *r)
{
	if (!r)
		return;
	free(r->enabled);
	free(r);
}

void aa_configs_release(struct aa_configs *c)
{
	aa_ruff_configs_free(c->ruff);
	for (size_t i = 0; i < c->n_files; i++) {
		free_resolved(c->files[i]->resolved);
		free_config(c->files[i]);
		free(c->files[i]);
	}
	free(c->files);
	free_resolved(c->none);
	free_config(&c->cli_config);
	aa_map_release(&c->by_dir);
	for (size_t i = 0; i < c->n_dirs; i++)
		free(c->dirs[i]);
	free(c->dirs);
	free(c->last_dir);
	free(c->shown_dir);
	free(c->listed_dir);
	free(c->cwd);
	for (size_t i = 0; i < c->n_errors; i++)
		free(c->errors[i]);
	free(c->errors);
	memset(c, 0, sizeof(*c));
}

static uint32_t for_path(struct aa_configs *c, const char *path);

const struct aa_config *aa_configs_for(struct aa_configs *c, const char *path)
{
	/* Discovery and the post-run pass ask for the files of one directory in a row: the
	 * directory as written answers without building its absolute form. */
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	/* The key keeps its '/' ("/x" lives in "/", "x" in the current directory); "." and
	 * ".." name directories elsewhere than where they are written. */
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	if (!strcmp(base, ".") || !strcmp(base, "..")) {
		uint32_t k = for_path(c, path);
		return k == NO_CONFIG ? NULL : c->files[k];
	}
	if (c->shown_dir && c->shown_dir_len == dir_len && !memcmp(c->shown_dir, path, dir_len))
		return c->shown_answer == NO_CONFIG ? NULL : c->files[c->shown_answer];
	uint32_t k = for_path(c, path);
	free(c->shown_dir);
	c->shown_dir = aa_xstrndup(path, dir_len);
	c->shown_dir_len = dir_len;
	c->shown_answer = k;
	return k == NO_CONFIG ? NULL : c->files[k];
}

/* The index of the configuration for path (NO_CONFIG: none), without the cache of the
 * last directory as written. */
static uint32_t for_path(struct aa_configs *c, const char *path)
{
	char *abs = absolute(c, path);
	char *slash = strrchr(abs, '/');
	if (slash == abs)
		slash[1] = '\0';
	else
		*slash = '\0';
	uint32_t k = for_dir(c, abs);
	free(abs);
	return k;
}

const struct aa_config *aa_configs_for_dir(struct aa_configs *c, const char *dir)
{
	char *abs = absolute(c, dir);
	uint32_t k = for_dir(c, abs);
	free(abs);
	return k == NO_CONFIG ? NULL : c->files[k];
}

bool aa_config_flag_default(enum aa_opt id)
{
	return id == AA_OPT_RESPECT_GITIGNORE;
}

const struct aa_config *aa_configs_source(const struct aa_configs *c, const struct aa_config *cfg, enum aa_opt id)
{
	if (c->cli_config.set[id])
		return &c->cli_config;
	return cfg && cfg->set[id] ? cfg : NULL;
}

/* The command line's list for id when given, else cfg's (NULL when neither): *origin
 * says which. */
static const char *const *pick(const struct aa_configs *c, const struct aa_config *cfg, enum aa_opt id,
			       unsigned char *origin)
{
	if (c->cli_config.set[id]) {
		*origin = ORIGIN_CLI;
		return (const char *const *)c->cli_config.lists[id];
	}
	if (cfg && cfg->set[id]) {
		*origin = ORIGIN_FILE;
		return (const char *const *)cfg->lists[id];
	}
	*origin = ORIGIN_DEFAULT;
	return NULL;
}

/* a and b (either may be NULL) concatenated, into *out (a grown array, NULL-terminated). */
static size_t concat(const char *const *a, const char *const *b, const char ***out)
{
	size_t n = 0, cap = 0;
	const char *const *lists[] = { a, b };
	for (size_t l = 0; l < 2; l++)
		for (const char *const *s = lists[l]; s && *s; s++) {
			AA_GROW(*out, cap, n + 2);
			(*out)[n++] = *s;
			(*out)[n] = NULL;
		}
	return n;
}

size_t aa_configs_cli_excludes(const struct aa_configs *c, const char ***out)
{
	*out = NULL;
	const struct aa_cli *k = c->cli;
	return concat(k->exclude.len ? k->exclude.items : NULL, k->extend_exclude.len ? k->extend_exclude.items : NULL,
		      out);
}

const struct aa_resolved *aa_configs_resolve(struct aa_configs *c, const struct aa_config *cfg)
{
	struct aa_resolved **slot = cfg ? &((struct aa_config *)cfg)->resolved : &c->none;
	if (*slot)
		return *slot;
	struct aa_resolved *r = aa_xcalloc(1, sizeof(*r));
	r->file = cfg;
	r->enabled = aa_xcalloc(aa_rules_count ? aa_rules_count : 1, sizeof(bool));
	const struct aa_config *k = &c->cli_config;
	for (size_t i = 0; i < AA_OPT_COUNT; i++)
		r->origin[i] = k->set[i] ? ORIGIN_CLI : cfg && cfg->set[i] ? ORIGIN_FILE : ORIGIN_DEFAULT;
	/* A selection on the command line replaces the file's; otherwise the command line's
	 * extend-select and ignore add to the file's (Ruff's layering). */
	const struct aa_family *preset = aa_family_of_program(c->cli->program);
	const char **ext = NULL, **ign = NULL;
	struct aa_selection sel = {
		.preset = preset ? &preset->prefix : NULL,
		.n_preset = preset ? 1 : 0,
	};
	if (c->cli->have_select) {
		sel.select = c->cli->select.items;
		sel.n_select = c->cli->select.len;
		sel.n_extend_select = concat(c->cli->extend_select.items, NULL, &ext);
		sel.n_ignore = concat(c->cli->ignore.items, NULL, &ign);
	} else {
		bool file_select = cfg && cfg->set[AA_OPT_SELECT];
		sel.select = file_select ? (const char *const *)cfg->lists[AA_OPT_SELECT] : NULL;
		sel.n_select = file_select ? cfg->n_lists[AA_OPT_SELECT] : 0;
		sel.n_extend_select = concat(cfg ? (const char *const *)cfg->lists[AA_OPT_EXTEND_SELECT] : NULL,
					     c->cli->extend_select.len ? c->cli->extend_select.items : NULL, &ext);
		sel.n_ignore = concat(cfg ? (const char *const *)cfg->lists[AA_OPT_IGNORE] : NULL,
				      c->cli->ignore.len ? c->cli->ignore.items : NULL, &ign);
		if (cfg && cfg->set[AA_OPT_EXTEND_SELECT] && c->cli->extend_select.len)
			r->origin[AA_OPT_EXTEND_SELECT] = ORIGIN_FILE | ORIGIN_CLI;
		if (cfg && cfg->set[AA_OPT_IGNORE] && c->cli->ignore.len)
			r->origin[AA_OPT_IGNORE] = ORIGIN_FILE | ORIGIN_CLI;
	}
	sel.extend_select = ext;
	sel.ignore = ign;
	char *err = NULL;
	if (aa_select_resolve(&sel, r->enabled, &err) < 0) {
		add_error(c, err);
		memset(r->enabled, 0, aa_rules_count);
	}
	free(ext);
	free(ign);
	unsigned char o;
	r->settings.blocking_calls = pick(c, cfg, AA_OPT_BLOCKING_CALLS, &o);
	r->settings.transparent_decorators = pick(c, cfg, AA_OPT_TRANSPARENT_DECORATORS, &o);
	const struct aa_config *tv = aa_configs_source(c, cfg, AA_OPT_TARGET_VERSION);
	r->settings.target_version = tv ? tv->target_version : 0;
	const struct aa_config *bt = aa_configs_source(c, cfg, AA_OPT_REPORT_IN_TESTS);
	r->settings.report_in_tests = bt ? bt->flags[AA_OPT_REPORT_IN_TESTS] : aa_config_flag_default(AA_OPT_REPORT_IN_TESTS);
	*slot = r;
	return r;
}

/* path's form relative to base (an absolute directory), or NULL when outside it. */
static const char *relative_to(const char *abs, const char *base)
{
	size_t n = strlen(base);
	if (n == 1)
		return abs + 1;
	if (strncmp(abs, base, n) || (abs[n] != '/' && abs[n] != '\0'))
		return NULL;
	return abs[n] ? abs + n + 1 : abs + n;
}

/* Discovery's filter: the excludes of the configuration file that applies. */
static bool config_skip(void *ud, const char *path, bool is_dir)
{
	(void)is_dir;
	return aa_configs_excluded(ud, path);
}

static void config_listed(void *ud, const char *dir, unsigned found)
{
	aa_configs_listed(ud, dir, found);
}

bool aa_configs_respect_gitignore(struct aa_configs *c, const char *dir)
{
	const struct aa_config *v = aa_configs_source(c, aa_configs_for_dir(c, dir), AA_OPT_RESPECT_GITIGNORE);
	return v ? v->flags[AA_OPT_RESPECT_GITIGNORE] : aa_config_flag_default(AA_OPT_RESPECT_GITIGNORE);
}

struct aa_discover_opts aa_configs_discover_opts(struct aa_configs *c, bool respect_gitignore)
{
	return (struct aa_discover_opts){ config_skip, c, config_listed, aa_config_names, respect_gitignore };
}

bool aa_configs_excluded(struct aa_configs *c, const char *path)
{
	const struct aa_config *cfg = aa_configs_for(c, path);
	if (!cfg || !cfg->dir)
		return false;
	/* The command line's --exclude replaces the file's exclude (discovery applies it);
	 * extend-exclude always adds. */
	const char *const *ex = c->cli_config.set[AA_OPT_EXCLUDE] ? NULL : (const char *const *)cfg->lists[AA_OPT_EXCLUDE];
	const char *const *ext = (const char *const *)cfg->lists[AA_OPT_EXTEND_EXCLUDE];
	if (!ex && !ext)
		return false;
	char *abs = absolute(c, path);
	const char *rel = relative_to(abs, cfg->dir);
	bool hit = rel && *rel &&
		   ((ex && aa_path_excluded(rel, ex, cfg->n_lists[AA_OPT_EXCLUDE])) ||
		    (ext && aa_path_excluded(rel, ext, cfg->n_lists[AA_OPT_EXTEND_EXCLUDE])));
	free(abs);
	return hit;
}

/* Whether one of pfi[0..n) (globs relative to base) drops rule at abs. */
static bool pfi_drops(const struct aa_config_pfi *pfi, size_t n, const char *base, const char *abs,
		      const struct aa_rule *rule)
{
	const char *rel = base ? relative_to(abs, base) : NULL;
	if (!rel || !*rel)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool covers = false;
		for (size_t k = 0; k < pfi[i].n_codes && !covers; k++)
			covers = aa_select_covers(pfi[i].codes[k], rule);
		const char *glob = pfi[i].glob;
		if (covers && aa_path_excluded(rel, &glob, 1))
			return true;
	}
	return false;
}

bool aa_resolved_ignores(const struct aa_configs *c, const struct aa_resolved *r, const char *path,
			 const struct aa_rule *rule)
{
	const struct aa_config *k = &c->cli_config, *cfg = r->file;
	char *abs = absolute(c, path);
	bool cli_pfi = k->set[AA_OPT_PER_FILE_IGNORES];
	bool drop = cli_pfi ? pfi_drops(k->pfi[AA_OPT_PER_FILE_IGNORES], k->n_pfi[AA_OPT_PER_FILE_IGNORES], k->dir, abs, rule)
		    : cfg   ? pfi_drops(cfg->pfi[AA_OPT_PER_FILE_IGNORES], cfg->n_pfi[AA_OPT_PER_FILE_IGNORES], cfg->dir, abs,
				      rule)
			    : false;
	drop = drop || pfi_drops(k->pfi[AA_OPT_EXTEND_PER_FILE_IGNORES], k->n_pfi[AA_OPT_EXTEND_PER_FILE_IGNORES], k->dir,
				 abs, rule);
	if (cfg)
		drop = drop || pfi_drops(cfg->pfi[AA_OPT_EXTEND_PER_FILE_IGNORES], cfg->n_pfi[AA_OPT_EXTEND_PER_FILE_IGNORES],
					 cfg->dir, abs, rule);
	free(abs);
	return drop;
}

/* Whether the project's Ruff configuration turned d's rule off at d's file, when the
 * file's configuration respects it. */
static bool ruff_ignores(struct aa_configs *c, const struct aa_config *cfg, const struct aa_diag *d)
{
	const struct aa_config *v = aa_configs_source(c, cfg, AA_OPT_RESPECT_RUFF_IGNORES);
	if (!(v ? v->flags[AA_OPT_RESPECT_RUFF_IGNORES] : aa_config_flag_default(AA_OPT_RESPECT_RUFF_IGNORES)))
		return false;
	if (!c->ruff)
		c->ruff = aa_ruff_configs_new();
	char *abs = absolute(c, d->path);
	bool ignored = aa_ruff_ignores(c->ruff, abs, d->rule);
	free(abs);
	return ignored;
}

void aa_configs_apply(struct aa_configs *c, struct aa_diag_list *diags)
{
	size_t kept = 0;
	for (size_t i = 0; i < diags->len; i++) {
		struct aa_diag *d = &diags->items[i];
		const struct aa_config *cfg = aa_configs_for(c, d->path);
		const struct aa_resolved *r = aa_configs_resolve(c, cfg);
		size_t k = 0;
		while (k < aa_rules_count && aa_rules[k] != d->rule)
			k++;
		if (k == aa_rules_count || !r->enabled[k] || aa_resolved_ignores(c, r, d->path, d->rule) ||
		    ruff_ignores(c, cfg, d)) {
			aa_diag_release(d);
			continue;
		}
		if (cfg && cfg->severity && cfg->severity[k] >= 0) {
			d->has_severity = true;
			d->severity = (unsigned char)cfg->severity[k];
		}
		diags->items[kept++] = *d;
	}
	diags->len = kept;
}

static void push_owned(char ***out, size_t *n, char *s)
{
	*out = aa_xrealloc(*out, (*n + 1) * sizeof(char *));
	(*out)[(*n)++] = s;
}

static void add_src(const struct aa_configs *c, const struct aa_config *cfg, char ***out, size_t *n)
{
	for (size_t i = 0; i < cfg->n_lists[AA_OPT_SRC]; i++) {
		const char *e = cfg->lists[AA_OPT_SRC][i];
		char *abs = e[0] == '/' ? aa_xstrdup(e) : aa_xasprintf("%s/%s", strcmp(cfg->dir, "/") ? cfg->dir : "", e);
		char *shown = display_of(c, abs);
		if (strcmp(shown, abs))
			push_owned(out, n, shown);
		else
			free(shown);
		push_owned(out, n, abs);
	}
}

void aa_configs_src(const struct aa_configs *c, char ***out, size_t *n)
{
	if (c->cli_config.set[AA_OPT_SRC]) {
		add_src(c, &c->cli_config, out, n);
		return;
	}
	for (size_t i = 0; i < c->n_files; i++)
		if (c->files[i]->set[AA_OPT_SRC])
			add_src(c, c->files[i], out, n);
}

/* --- --show-settings ---------------------------------------------------------------- */

static void print_list(FILE *out, const char *const *l)
{
	fputc('[', out);
	for (size_t i = 0; l && l[i]; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : "", l[i]);
	fputc(']', out);
}

static void print_pfi(FILE *out, const struct aa_config_pfi *pfi, size_t n)
{
	fputc('{', out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\"%s\" = ", i ? ", " : " ", pfi[i].glob);
		print_list(out, pfi[i].codes);
	}
	fputs(n ? " }" : "}", out);
}

static const char *const format_names[] = { "text", "json", "sarif", "github" };

static void print_value(FILE *out, const struct aa_configs *c, const struct aa_config *cfg, const struct aa_option *o)
{
	switch (o->type) {
	case AA_TYPE_SELECTORS:
	case AA_TYPE_GLOBS:
	case AA_TYPE_NAMES:
	case AA_TYPE_PATHS: {
		const char **both = NULL;
		const struct aa_config *k = &c->cli_config;
		bool replaces = k->set[o->id] && (o->id == AA_OPT_SELECT || o->id == AA_OPT_EXCLUDE ||
						  o->type == AA_TYPE_NAMES);
		concat(replaces || !cfg ? NULL : (const char *const *)cfg->lists[o->id],
		       (const char *const *)k->lists[o->id], &both);
		print_list(out, both);
		free(both);
		break;
	}
	case AA_TYPE_GLOB_CODES: {
		const struct aa_config *src = c->cli_config.set[o->id] ? &c->cli_config : cfg;
		print_pfi(out, src ? src->pfi[o->id] : NULL, src ? src->n_pfi[o->id] : 0);
		break;
	}
	case AA_TYPE_SEVERITIES:
		fputc('{', out);
		for (size_t i = 0, n = 0; cfg && cfg->severity && i < aa_rules_count; i++)
			if (cfg->severity[i] >= 0)
				fprintf(out, "%s%s = \"%s\"", n++ ? ", " : " ", aa_rules[i]->code,
					aa_severity_name((enum aa_severity)cfg->severity[i]));
		fputs(" }", out);
		break;
	case AA_TYPE_VERSION: {
		const struct aa_config *src = aa_configs_source(c, cfg, o->id);
		if (src)
			fprintf(out, "\"py%u\"", src->target_version);
		else
			fputs("(unknown)", out);
		break;
	}
	case AA_TYPE_JOBS: {
		const struct aa_config *src = aa_configs_source(c, cfg, o->id);
		if (src)
			fprintf(out, "%u", src->jobs);
		else
			fputs("(the number of online CPUs)", out);
		break;
	}
	case AA_TYPE_FORMAT: {
		const struct aa_config *src = aa_configs_source(c, cfg, o->id);
		fprintf(out, "\"%s\"", format_names[src ? src->format : 0]);
		break;
	}
	case AA_TYPE_BOOL: {
		const struct aa_config *src = aa_configs_source(c, cfg, o->id);
		fputs((src ? src->flags[o->id] : aa_config_flag_default(o->id)) ? "true" : "false", out);
		break;
	}
	default:
		break;
	}
}

void aa_resolved_print(const struct aa_configs *c, const struct aa_resolved *r, const char *path, FILE *out)
{
	const struct aa_config *cfg = r->file;
	fprintf(out, "# settings for %s\n# configuration file: %s\n", path,
		cfg && cfg->path ? cfg->path : c->cli->isolated ? "none (--isolated)" : "none");
	for (size_t i = 0; i < AA_OPT_COUNT; i++) {
		const struct aa_option *o = &aa_options[i];
		if (!o->key)
			continue;
		fprintf(out, "%s = ", o->key);
		print_value(out, c, cfg, o);
		unsigned char from = r->origin[i];
		fputs("  # ", out);
		if (from & ORIGIN_FILE)
			fprintf(out, "%s:%u:%u", cfg->path, cfg->line[i], cfg->col[i]);
		if (from == (ORIGIN_FILE | ORIGIN_CLI))
			fputs(" + ", out);
		if (from & ORIGIN_CLI)
			fprintf(out, "command line (%s)", o->flag ? o->flag : "");
		if (!from)
			fputs("default", out);
		fputc('\n', out);
	}
	fputs("# rules enabled:", out);
	for (size_t i = 0; i < aa_rules_count; i++)
		if (r->enabled[i])
			fprintf(out, " %s", aa_rules[i]->code);
	fputc('\n', out);
}
