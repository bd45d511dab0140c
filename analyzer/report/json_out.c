#include "analyzer/report/json_out.h"
#include "analyzer/report/emit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* Attaches item (taken over; may be NULL) to parent under key. */
static cJSON *attach(cJSON *parent, const char *key, cJSON *item)
{
	if (!item || !parent) {
		cJSON_Delete(item);
		return NULL;
	}
	cJSON_bool ok = key ? cJSON_AddItemToObjectCS(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

cJSON *aa_json_str(cJSON *parent, const char *key, const char *s)
{
	char *clean = aa_emit_utf8_clean(s);
	cJSON *item = cJSON_CreateString(clean);
	free(clean);
	return attach(parent, key, item);
}

cJSON *aa_json_num(cJSON *parent, const char *key, double v)
{
	return attach(parent, key, cJSON_CreateNumber(v));
}

cJSON *aa_json_bool(cJSON *parent, const char *key, bool v)
{
	return attach(parent, key, cJSON_CreateBool(v));
}

cJSON *aa_json_obj(cJSON *parent, const char *key)
{
	return attach(parent, key, cJSON_CreateObject());
}

cJSON *aa_json_arr(cJSON *parent, const char *key)
{
	return attach(parent, key, cJSON_CreateArray());
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

static void json_value(FILE *out, const cJSON *v, int depth)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool object = cJSON_IsObject(v);
		if (!v->child) {
			fputs(object ? "{}" : "[]", out);
			return;
		}
		fputc(object ? '{' : '[', out);
		for (const cJSON *c = v->child; c; c = c->next) {
			fputc('\n', out);
			json_indent(out, depth + 1);
			if (object) {
				json_string(out, c->string ? c->string : "");
				fputs(": ", out);
			}
			json_value(out, c, depth + 1);
			if (c->next)
				fputc(',', out);
		}
		fputc('\n', out);
		json_indent(out, depth);
		fputc(object ? '}' : ']', out);
	} else if (cJSON_IsString(v)) {
		json_string(out, v->valuestring ? v->valuestring : "");
	} else if (cJSON_IsNumber(v)) {
		fprintf(out, "%.0f", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		fputs(cJSON_IsTrue(v) ? "true" : "false", out);
	} else {
		fputs("null", out);
	}
}

int aa_json_write(FILE *out, const struct cJSON *root)
{
	json_value(out, root, 0);
	fputc('\n', out);
	return fflush(out) || ferror(out) ? -1 : 0;
}

int aa_json_write_array(FILE *out, size_t n, bool (*make)(const void *ud, size_t i, cJSON *holder), const void *ud)
{
	if (!n) {
		fputs("[]\n", out);
		return fflush(out) || ferror(out) ? -1 : 0;
	}
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		cJSON *holder = cJSON_CreateArray();
		if (!holder || !make(ud, i, holder) || !holder->child) {
			cJSON_Delete(holder);
			return aa_json_finish(out, NULL);
		}
		fputc('\n', out);
		json_indent(out, 1);
		json_value(out, holder->child, 1);
		if (i + 1 < n)
			fputc(',', out);
		cJSON_Delete(holder);
	}
	fputs("\n]\n", out);
	return fflush(out) || ferror(out) ? -1 : 0;
}

int aa_json_finish(FILE *out, struct cJSON *root)
{
	if (!root) {
		fputs("async-analyzer: error: out of memory\n", stderr);
		return -1;
	}
	int rc = aa_json_write(out, root);
	cJSON_Delete(root);
	return rc;
}
