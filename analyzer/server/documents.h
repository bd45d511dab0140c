/*
 * documents.h: the documents the editor has open, with the text it sent (not the file on
 * disk) and the findings of their last analysis.
 *
 * An editor has tens of documents open, not thousands: lookups are linear. A document is
 * found by its URI exactly as the client sent it. Allocation failure exits
 * (analyzer/base/xalloc.h).
 */
#ifndef AA_DOCUMENTS_H
#define AA_DOCUMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/base/buf.h"
#include "analyzer/check/diag.h"
#include "analyzer/server/position.h"

struct cJSON;

struct aa_document {
	char *uri;            /* owned */
	char *path;           /* owned; the file the URI names, or the URI when it is not a file: URI */
	struct aa_buf text;   /* owned; UTF-8 */
	int64_t version;      /* the client's version of text */
	struct aa_diag_list diags; /* owned; the findings of the analysis of diags_version */
	int64_t diags_version;
	bool analyzed;        /* diags holds an analysis (of diags_version) */
	double due;           /* when to analyze the current text (monotonic seconds), 0 = not pending */
};

struct aa_documents {
	struct aa_document **items; /* owned (each document owned) */
	size_t len, cap;
};

/* The open document of uri (borrowed), or NULL. */
struct aa_document *aa_documents_find(const struct aa_documents *docs, const char *uri);

/* Opens (or, when the client opens it again, replaces) the document of uri with text
 * (both borrowed, copied) at version. Returns it. */
struct aa_document *aa_documents_open(struct aa_documents *docs, const char *uri, const char *text, int64_t version);

/* Closes the document of uri; nothing when it is not open. */
void aa_documents_close(struct aa_documents *docs, const char *uri);

/* Frees every document and the array. */
void aa_documents_release(struct aa_documents *docs);

/* Applies one TextDocumentContentChangeEvent (borrowed): {"text"} replaces the whole
 * text, {"range", "text"} replaces the range, whose positions count enc's units.
 * Returns 0, or -1 when change has neither shape (then doc is unchanged). */
int aa_document_apply(struct aa_document *doc, const struct cJSON *change, enum aa_pos_encoding enc);

#endif
