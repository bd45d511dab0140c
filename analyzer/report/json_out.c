#include "analyzer/report/json_out.h"
#include "analyzer/report/emit.h"
#include "analyzer/base/buf.h"

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
	/* Nearly every string is valid: cJSON's own copy is the only one. */
	if (aa_emit_utf8_valid(s))
		return attach(parent, key, cJSON_CreateString(s));
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

/* The text goes to a buffer that reaches out in blocks: stdio's calls cost about 130
 * instructions each (a lock, checks), taken for every token of a report of 100,000
 * findings. Plain runs of a string are added at once, integers without printf's
 * floating-point formatting. A failed write shows in out's error flag (aa_json_write's
 * ferror). */
struct writer {
	FILE *out;         /* borrowed */
	struct aa_buf buf; /* owned; what out has not been given yet */
};

#define FLUSH_AT 65536

static void flush(struct writer *w)
{
	fwrite(w->buf.data, 1, w->buf.len, w->out);
	aa_buf_reset(&w->buf);
}

static void json_string(struct writer *w, const char *s)
{
	aa_buf_addc(&w->buf, '"');
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		aa_buf_add(&w->buf, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': aa_buf_adds(&w->buf, "\\\""); break;
		case '\\': aa_buf_adds(&w->buf, "\\\\"); break;
		case '\n': aa_buf_adds(&w->buf, "\\n"); break;
		case '\r': aa_buf_adds(&w->buf, "\\r"); break;
		case '\t': aa_buf_adds(&w->buf, "\\t"); break;
		case '\b': aa_buf_adds(&w->buf, "\\b"); break;
		case '\f': aa_buf_adds(&w->buf, "\\f"); break;
		default: aa_buf_addf(&w->buf, "\\u%04x", *p);
		}
		p++;
	}
	aa_buf_addc(&w->buf, '"');
}

static void json_indent(struct writer *w, int depth)
{
	for (int i = 0; i < depth; i++)
		aa_buf_add(&w->buf, "  ", 2);
}

/* v as "%.0f" writes it; the writers' numbers are integers (lines, columns, counts). */
static void json_number(struct writer *w, double v)
{
	if (!(v > -1e15 && v < 1e15) || v != (double)(long long)v || (v == 0 && signbit(v))) {
		aa_buf_addf(&w->buf, "%.0f", v);
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
	aa_buf_add(&w->buf, d, (size_t)(end - d));
}

static void json_value(struct writer *w, const cJSON *v, int depth)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool object = cJSON_IsObject(v);
		if (!v->child) {
			aa_buf_adds(&w->buf, object ? "{}" : "[]");
			return;
		}
		aa_buf_addc(&w->buf, object ? '{' : '[');
		for (const cJSON *c = v->child; c; c = c->next) {
			aa_buf_addc(&w->buf, '\n');
			json_indent(w, depth + 1);
			if (object) {
				json_string(w, c->string ? c->string : "");
				aa_buf_add(&w->buf, ": ", 2);
			}
			json_value(w, c, depth + 1);
			if (c->next)
				aa_buf_addc(&w->buf, ',');
			if (w->buf.len >= FLUSH_AT)
				flush(w);
		}
		aa_buf_addc(&w->buf, '\n');
		json_indent(w, depth);
		aa_buf_addc(&w->buf, object ? '}' : ']');
	} else if (cJSON_IsString(v)) {
		json_string(w, v->valuestring ? v->valuestring : "");
	} else if (cJSON_IsNumber(v)) {
		json_number(w, v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		aa_buf_adds(&w->buf, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		aa_buf_adds(&w->buf, "null");
	}
}

/* Gives out the rest of w's text and frees w's buffer; 0, or -1 if writing failed. */
static int finish(struct writer *w)
{
	flush(w);
	aa_buf_release(&w->buf);
	return fflush(w->out) || ferror(w->out) ? -1 : 0;
}

int aa_json_write(FILE *out, const struct cJSON *root)
{
	struct writer w = { out, AA_BUF_INIT };
	json_value(&w, root, 0);
	aa_buf_addc(&w.buf, '\n');
	return finish(&w);
}

int aa_json_write_array(FILE *out, enum aa_json_made (*make)(void *ud, cJSON *holder), void *ud)
{
	struct writer w = { out, AA_BUF_INIT };
	aa_buf_addc(&w.buf, '[');
	size_t n = 0;
	for (;; n++) {
		cJSON *holder = cJSON_CreateArray();
		enum aa_json_made made = holder ? make(ud, holder) : AA_JSON_FAILED;
		if (made == AA_JSON_END) {
			cJSON_Delete(holder);
			break;
		}
		if (made == AA_JSON_FAILED || !holder->child) {
			cJSON_Delete(holder);
			finish(&w);
			return aa_json_finish(out, NULL);
		}
		/* The comma before an item, not after: whether one follows is not known yet. */
		aa_buf_adds(&w.buf, n ? ",\n" : "\n");
		json_indent(&w, 1);
		json_value(&w, holder->child, 1);
		cJSON_Delete(holder);
	}
	aa_buf_adds(&w.buf, n ? "\n]\n" : "]\n");
	return finish(&w);
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
