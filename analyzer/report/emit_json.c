#include "analyzer/report/emit.h"
#include "analyzer/check/rule.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* cJSON returns NULL when it runs out of memory, and an item it failed to attach is
 * still ours to free. Every helper returns the attached item or NULL. Keys are string
 * literals, attached without a copy (the CS variants). */
static cJSON *attach(cJSON *parent, const char *key, cJSON *item)
{
	if (!item)
		return NULL;
	cJSON_bool ok = key ? cJSON_AddItemToObjectCS(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

static cJSON *add_str(cJSON *parent, const char *key, const char *s)
{
	char *clean = aa_emit_utf8_clean(s);
	cJSON *item = cJSON_CreateString(clean);
	free(clean);
	return attach(parent, key, item);
}

static cJSON *add_num(cJSON *parent, const char *key, double v)
{
	return attach(parent, key, cJSON_CreateNumber(v));
}

static int add_span(cJSON *obj, const struct aa_span *s)
{
	return add_num(obj, "line", s->line) && add_num(obj, "column", s->col) &&
	       add_num(obj, "end_line", s->end_line) && add_num(obj, "end_column", s->end_col);
}

static int add_diag(cJSON *array, const struct aa_diag *d)
{
	cJSON *obj = attach(array, NULL, cJSON_CreateObject());
	if (!obj || !add_str(obj, "code", d->rule->code) || !add_str(obj, "name", d->rule->name) ||
	    !add_str(obj, "message", d->message) || !add_str(obj, "severity", aa_severity_name(d->rule->severity)) ||
	    !add_str(obj, "path", d->path) || !add_span(obj, &d->span))
		return 0;
	cJSON *related = attach(obj, "related", cJSON_CreateArray());
	if (!related)
		return 0;
	for (size_t i = 0; i < d->n_related; i++) {
		const struct aa_related *r = &d->related[i];
		cJSON *ro = attach(related, NULL, cJSON_CreateObject());
		if (!ro || !add_str(ro, "path", r->path) || !add_span(ro, &r->span) ||
		    !add_str(ro, "message", r->message))
			return 0;
	}
	return attach(obj, "chain", cJSON_CreateBool(d->related_is_chain != 0)) != NULL;
}

int aa_emit_json(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts)
{
	(void)opts;
	cJSON *root = cJSON_CreateArray();
	if (!root)
		goto oom;
	for (size_t i = 0; i < diags->len; i++) {
		if (!add_diag(root, &diags->items[i])) {
			cJSON_Delete(root);
			goto oom;
		}
	}
	int rc = aa_emit_json_write(out, root);
	cJSON_Delete(root);
	return rc;
oom:
	fputs("async-analyzer: error: out of memory\n", stderr);
	return -1;
}
