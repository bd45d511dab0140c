#include "analyzer/app/server_config.h"
#include "analyzer/app/config.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>

struct aa_wsconfig {
	/* The command line as configs sees it (a copy: the defaults' reading is --isolated). */
	struct aa_cli cli;
	struct aa_configs configs;
};

static struct aa_wsconfig *load(void *ud, bool defaults)
{
	struct aa_wsconfig *c = aa_xcalloc(1, sizeof(*c));
	/* A shallow copy: its lists stay the caller's, and configs only reads them. */
	c->cli = *(const struct aa_cli *)ud;
	if (defaults) {
		c->cli.isolated = true;
		c->cli.config_file = NULL;
	}
	/* Errors are collected in configs, where errors() finds them; the command line's
	 * selection is checked as the defaults' settings are resolved. */
	if (aa_configs_init(&c->configs, &c->cli) == 0 && defaults)
		aa_configs_resolve(&c->configs, NULL);
	return c;
}

static void free_reading(struct aa_wsconfig *c)
{
	if (!c)
		return;
	aa_configs_release(&c->configs);
	free(c);
}

static size_t errors(const struct aa_wsconfig *c, const char *const **out)
{
	*out = (const char *const *)c->configs.errors;
	return c->configs.n_errors;
}

static void discover(struct aa_wsconfig *c, const char *root, struct aa_discovery *out)
{
	/* Run-wide keys are decided as `check` run in root decides them. */
	bool respect_gitignore = aa_configs_respect_gitignore(&c->configs, root);
	struct aa_discover_opts opts = aa_configs_discover_opts(&c->configs, respect_gitignore);
	const char *roots[] = { root };
	const char **excludes;
	size_t n_excludes = aa_configs_cli_excludes(&c->configs, &excludes);
	aa_discover_with(roots, 1, excludes, n_excludes, &opts, out);
	free(excludes);
}

static void src(const struct aa_wsconfig *c, char ***out, size_t *n)
{
	aa_configs_src(&c->configs, out, n);
}

static const struct aa_file_settings *file(struct aa_wsconfig *c, const char *path, const bool **enabled)
{
	*enabled = NULL;
	if (aa_configs_excluded(&c->configs, path))
		return NULL;
	const struct aa_resolved *r = aa_configs_resolve(&c->configs, aa_configs_for(&c->configs, path));
	*enabled = r->enabled;
	return &r->settings;
}

static void apply(struct aa_wsconfig *c, struct aa_diag_list *diags)
{
	aa_configs_apply(&c->configs, diags);
}

void aa_server_config_ops(struct aa_wsconfig_ops *ops, const struct aa_cli *cli)
{
	static const char *const no_calls[] = { NULL };
	*ops = (struct aa_wsconfig_ops){
		.ud = (void *)cli,
		.load = load,
		.free_reading = free_reading,
		.errors = errors,
		.discover = discover,
		.src = src,
		.file = file,
		.apply = apply,
		.blocking_calls = cli->blocking_calls.len ? cli->blocking_calls.items : no_calls,
	};
}
