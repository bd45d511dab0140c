#include "analyzer/report/json_out.h"
#include "analyzer/report/emit.h"

#include <cjson/cJSON.h>
#include <math.h>
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

/* The writer runs once per finding of a report (100,000 of them for as many files named
 * on the command line): plain runs of a string go out in one fwrite, and integers without
 * printf's floating-point formatting. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		fwrite(run, 1, (size_t)(p - run), out);
		if (!*p)
			break;
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default: fprintf(out, "\\u%04x", *p);
		}
		p++;
	}
	fputc('"', out);
}

static void json_indent(FILE *out, int depth)
{
	static const char spaces[] = "                ";
	size_t n = 2 * (size_t)depth;
	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		fwrite(spaces, 1, sizeof(spaces) - 1, out);
	fwrite(spaces, 1, n, out);
}

/* v as "%.0f" writes it; the writers' numbers are integers (lines, columns, counts). */
static void json_number(FILE *out, double v)
{
	if (!(v > -1e15 && v < 1e15) || v != (double)(long long)v || (v == 0 && signbit(v))) {
		fprintf(out, "%.0f", v);
		return;
	}
	char digits[24], *end = digits + sizeof(digits), *d = end;
	long long n = (long long)v;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		*--d = '-';
	fwrite(d, 1, (size_t)(end - d), out);
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
		json_number(out, v->valuedouble);
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
