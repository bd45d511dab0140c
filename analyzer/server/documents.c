#include "analyzer/server/documents.h"
#include "analyzer/server/uri.h"
#include "analyzer/base/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct aa_document *aa_documents_find(const struct aa_documents *docs, const char *uri)
{
	for (size_t i = 0; i < docs->len; i++)
		if (!strcmp(docs->items[i]->uri, uri))
			return docs->items[i];
	return NULL;
}

static void set_text(struct aa_document *doc, const char *text)
{
	aa_buf_reset(&doc->text);
	aa_buf_adds(&doc->text, text);
}

struct aa_document *aa_documents_open(struct aa_documents *docs, const char *uri, const char *text, int64_t version)
{
	struct aa_document *doc = aa_documents_find(docs, uri);
	if (!doc) {
		doc = aa_xcalloc(1, sizeof(*doc));
		doc->uri = aa_xstrdup(uri);
		doc->path = aa_uri_to_path(uri);
		if (!doc->path)
			doc->path = aa_xstrdup(uri);
		aa_buf_init(&doc->text);
		aa_diag_list_init(&doc->diags);
		AA_GROW(docs->items, docs->cap, docs->len + 1);
		docs->items[docs->len++] = doc;
	}
	set_text(doc, text);
	doc->version = version;
	return doc;
}

static void free_document(struct aa_document *doc)
{
	free(doc->uri);
	free(doc->path);
	aa_buf_release(&doc->text);
	aa_diag_list_release(&doc->diags);
	free(doc);
}

void aa_documents_close(struct aa_documents *docs, const char *uri)
{
	for (size_t i = 0; i < docs->len; i++) {
		if (strcmp(docs->items[i]->uri, uri))
			continue;
		free_document(docs->items[i]);
		memmove(docs->items + i, docs->items + i + 1, (docs->len - i - 1) * sizeof(*docs->items));
		docs->len--;
		return;
	}
}

void aa_documents_release(struct aa_documents *docs)
{
	for (size_t i = 0; i < docs->len; i++)
		free_document(docs->items[i]);
	free(docs->items);
	docs->items = NULL;
	docs->len = docs->cap = 0;
}

/* The byte offset of an LSP Position object, or -1 when it is not one. */
static long long offset_of(const struct aa_document *doc, const cJSON *pos, enum aa_pos_encoding enc)
{
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(pos, "line");
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(pos, "character");
	if (!cJSON_IsNumber(line) || !cJSON_IsNumber(ch) || line->valuedouble < 0 || ch->valuedouble < 0 ||
	    line->valuedouble > UINT32_MAX || ch->valuedouble > UINT32_MAX)
		return -1;
	return (long long)aa_pos_to_offset(doc->text.data, doc->text.len, (uint32_t)line->valuedouble,
					   (uint32_t)ch->valuedouble, enc);
}

int aa_document_apply(struct aa_document *doc, const struct cJSON *change, enum aa_pos_encoding enc)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(change, "text");
	if (!cJSON_IsString(text))
		return -1;
	const cJSON *range = cJSON_GetObjectItemCaseSensitive(change, "range");
	if (!range) {
		set_text(doc, text->valuestring);
		return 0;
	}
	long long start = offset_of(doc, cJSON_GetObjectItemCaseSensitive(range, "start"), enc);
	long long end = offset_of(doc, cJSON_GetObjectItemCaseSensitive(range, "end"), enc);
	if (start < 0 || end < 0)
		return -1;
	if (end < start) {
		/* A reversed range is the same range (clients are not supposed to send one). */
		long long t = start;
		start = end;
		end = t;
	}
	struct aa_buf next = AA_BUF_INIT;
	aa_buf_add(&next, doc->text.data, (size_t)start);
	aa_buf_adds(&next, text->valuestring);
	aa_buf_add(&next, doc->text.data + end, doc->text.len - (size_t)end);
	aa_buf_release(&doc->text);
	doc->text = next;
	return 0;
}
