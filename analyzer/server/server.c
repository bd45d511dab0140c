#include "analyzer/server/server.h"
#include "analyzer/server/analyst.h"
#include "analyzer/server/documents.h"
#include "analyzer/server/events.h"
#include "analyzer/server/rpc.h"
#include "analyzer/server/uri.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/engine/run.h"
#include "analyzer/fix/fixer.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/ruledoc.h"
#include "parsers/python/syms.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* JSON-RPC and LSP error codes. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_CANCELLED = -32800,
};

/* A textDocument/diagnostic request waiting for the analysis of its document's text. */
struct pending_pull {
	cJSON *id;  /* owned (a copy of the request's id) */
	char *uri;  /* owned */
};

struct server {
	int out_fd;
	struct aa_documents docs;
	enum aa_pos_encoding enc;
	bool initialized, shut_down, exiting, client_pulls, write_failed;
	bool can_watch; /* the client registers file watchers for us (dynamic registration) */
	int exit_status;
	struct aa_event_queue events;
	struct aa_analyst analyst;
	struct pending_pull *pulls; /* owned */
	size_t n_pulls, pulls_cap;
	/* The grammar and a parser for the noqa code action (made on first use; parser NULL
	 * until then) */
	struct aa_syms syms;
	TSParser *parser;
	/* The configuration errors shown to the user since the configuration was last read
	 * without any (owned strings): each is shown once. */
	char **shown;
	size_t n_shown, shown_cap;
};

struct reader {
	struct aa_rpc_reader rpc;
	struct aa_event_queue *events; /* borrowed */
	pthread_t thread;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	for (;;) {
		char *body;
		size_t len;
		enum aa_rpc_status st = aa_rpc_read(&r->rpc, &body, &len);
		struct aa_event *ev = aa_xcalloc(1, sizeof(*ev));
		ev->kind = st == AA_RPC_MESSAGE ? AA_EVENT_MESSAGE : AA_EVENT_END;
		ev->body = body;
		aa_event_queue_push(r->events, ev);
		if (st != AA_RPC_MESSAGE)
			return NULL;
	}
}

static void send_message(struct server *s, cJSON *msg)
{
	if (!msg)
		return; /* out of memory while building it: nothing sensible to send */
	if (!s->write_failed && aa_rpc_write(s->out_fd, msg) < 0)
		s->write_failed = true;
	cJSON_Delete(msg);
}

static cJSON *new_message(void)
{
	cJSON *msg = cJSON_CreateObject();
	if (msg && !aa_json_str(msg, "jsonrpc", "2.0")) {
		cJSON_Delete(msg);
		return NULL;
	}
	return msg;
}

/* Attaches a copy of id (borrowed; NULL: JSON null) as msg's "id". */
static cJSON *with_id(cJSON *msg, const cJSON *id)
{
	cJSON *copy = id ? cJSON_Duplicate(id, true) : cJSON_CreateNull();
	if (!msg || !copy || !cJSON_AddItemToObjectCS(msg, "id", copy)) {
		cJSON_Delete(copy);
		cJSON_Delete(msg);
		return NULL;
	}
	return msg;
}

/* Sends the response to id with result (taken; NULL: JSON null). */
static void respond(struct server *s, const cJSON *id, cJSON *result)
{
	cJSON *msg = with_id(new_message(), id);
	if (!result)
		result = cJSON_CreateNull();
	if (!msg || !result || !cJSON_AddItemToObjectCS(msg, "result", result)) {
		cJSON_Delete(result);
		cJSON_Delete(msg);
		return;
	}
	send_message(s, msg);
}

static void respond_error(struct server *s, const cJSON *id, int code, const char *message)
{
	cJSON *msg = with_id(new_message(), id);
	cJSON *err = aa_json_obj(msg, "error");
	if (!err || !aa_json_num(err, "code", code) || !aa_json_str(err, "message", message)) {
		cJSON_Delete(msg);
		return;
	}
	send_message(s, msg);
}

/* Sends the notification method with params (taken). */
static void notify(struct server *s, const char *method, cJSON *params)
{
	cJSON *msg = new_message();
	if (!msg || !params || !aa_json_str(msg, "method", method) || !cJSON_AddItemToObjectCS(msg, "params", params)) {
		cJSON_Delete(params);
		cJSON_Delete(msg);
		return;
	}
	send_message(s, msg);
}

/* window/logMessage at level 1 (error) .. 4 (log). */
static void log_message(struct server *s, int level, const char *text)
{
	cJSON *params = cJSON_CreateObject();
	if (!aa_json_num(params, "type", level) || !aa_json_str(params, "message", text)) {
		cJSON_Delete(params);
		return;
	}
	notify(s, "window/logMessage", params);
}

/* window/showMessage of type 1 (error). */
static void show_error(struct server *s, const char *text)
{
	cJSON *params = cJSON_CreateObject();
	if (!aa_json_num(params, "type", 1) || !aa_json_str(params, "message", text)) {
		cJSON_Delete(params);
		return;
	}
	notify(s, "window/showMessage", params);
}

/* The configuration's errors, from the analyst: each not shown yet is shown; none means
 * the configuration is good again, and an error that comes back is shown again. */
static void on_config(struct server *s, const struct aa_event *ev)
{
	if (!ev->n_errors) {
		for (size_t i = 0; i < s->n_shown; i++)
			free(s->shown[i]);
		s->n_shown = 0;
		return;
	}
	for (size_t i = 0; i < ev->n_errors; i++) {
		bool seen = false;
		for (size_t k = 0; k < s->n_shown && !seen; k++)
			seen = !strcmp(s->shown[k], ev->errors[i]);
		if (seen)
			continue;
		const char *with = ev->defaults ? "the default settings" : "the last good configuration";
		char *text = aa_xasprintf("async-analyzer: configuration error: %s (the server goes on with %s)",
					  ev->errors[i], with);
		show_error(s, text);
		free(text);
		AA_GROW(s->shown, s->shown_cap, s->n_shown + 1);
		s->shown[s->n_shown++] = aa_xstrdup(ev->errors[i]);
	}
}

/* An LSP Range of a span (1-based, code points) in text, or with text NULL, of the
 * span's numbers as they are (another file, whose text is not at hand: exact for ASCII
 * lines). NULL on out of memory. */
static cJSON *range_json(cJSON *parent, const char *key, const struct aa_buf *text, struct aa_span span,
			 enum aa_pos_encoding enc)
{
	uint32_t l0 = span.line ? span.line - 1 : 0, l1 = span.end_line ? span.end_line - 1 : 0;
	uint32_t c0 = span.col ? span.col - 1 : 0, c1 = span.end_col ? span.end_col - 1 : 0;
	if (text) {
		c0 = aa_pos_from_span(text->data, text->len, span.line, span.col, enc, &l0);
		c1 = aa_pos_from_span(text->data, text->len, span.end_line, span.end_col, enc, &l1);
	}
	cJSON *range = aa_json_obj(parent, key);
	cJSON *start = aa_json_obj(range, "start");
	cJSON *end = aa_json_obj(range, "end");
	if (!aa_json_num(start, "line", l0) || !aa_json_num(start, "character", c0) || !aa_json_num(end, "line", l1) ||
	    !aa_json_num(end, "character", c1))
		return NULL;
	return range;
}

/* LSP DiagnosticSeverity: 1 error, 2 warning, 3 information. */
static int lsp_severity(enum aa_severity severity)
{
	return severity == AA_SEVERITY_ERROR ? 1 : severity == AA_SEVERITY_WARNING ? 2 : 3;
}

/* The related places of d. Returns false on out of memory. */
static bool add_related(cJSON *diag, const struct aa_diag *d, const struct aa_document *doc, enum aa_pos_encoding enc)
{
	if (!d->n_related)
		return true;
	cJSON *arr = aa_json_arr(diag, "relatedInformation");
	for (size_t i = 0; arr && i < d->n_related; i++) {
		const struct aa_related *r = &d->related[i];
		bool here = !strcmp(r->path, doc->path);
		char *uri = here ? aa_xstrdup(doc->uri) : aa_uri_from_path(r->path);
		cJSON *info = aa_json_obj(arr, NULL);
		cJSON *loc = aa_json_obj(info, "location");
		bool ok = aa_json_str(loc, "uri", uri) != NULL;
		free(uri);
		if (!ok)
			return false;
		if (!range_json(loc, "range", here ? &doc->text : NULL, r->span, enc) ||
		    !aa_json_str(info, "message", r->message))
			return false;
	}
	return arr != NULL;
}

/* Appends the LSP Diagnostic of d (a finding of doc's last analysis) to arr; false on
 * out of memory. */
static bool add_diagnostic(cJSON *arr, const struct server *s, const struct aa_document *doc, const struct aa_diag *d)
{
	cJSON *o = aa_json_obj(arr, NULL);
	char *url = aa_ruledoc_url(d->rule);
	cJSON *desc = aa_json_obj(o, "codeDescription");
	bool ok = range_json(o, "range", &doc->text, d->span, s->enc) &&
		  aa_json_num(o, "severity", lsp_severity(aa_diag_severity(d))) && aa_json_str(o, "code", d->rule->code) &&
		  aa_json_str(desc, "href", url) && aa_json_str(o, "source", "async-analyzer") &&
		  aa_json_str(o, "message", d->message) && add_related(o, d, doc, s->enc);
	free(url);
	return ok;
}

/* The LSP Diagnostic[] of doc's last analysis; NULL on out of memory. */
static cJSON *diagnostics_json(const struct server *s, const struct aa_document *doc)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < doc->diags.len; i++) {
		const struct aa_diag *d = &doc->diags.items[i];
		if (strcmp(d->path, doc->path))
			continue;
		if (!add_diagnostic(arr, s, doc, d)) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static void publish(struct server *s, const struct aa_document *doc, bool empty)
{
	cJSON *params = cJSON_CreateObject();
	cJSON *items = empty ? cJSON_CreateArray() : diagnostics_json(s, doc);
	if (!aa_json_str(params, "uri", doc->uri) || (!empty && !aa_json_num(params, "version", (double)doc->version)) ||
	    !items || !cJSON_AddItemToObjectCS(params, "diagnostics", items)) {
		cJSON_Delete(items);
		cJSON_Delete(params);
		return;
	}
	notify(s, "textDocument/publishDiagnostics", params);
}

/* A DocumentDiagnosticReport of doc's last analysis (or of no findings when doc is
 * NULL). */
static cJSON *full_report(const struct server *s, const struct aa_document *doc)
{
	cJSON *report = cJSON_CreateObject();
	cJSON *items = doc ? diagnostics_json(s, doc) : cJSON_CreateArray();
	if (!aa_json_str(report, "kind", "full") || !items || !cJSON_AddItemToObjectCS(report, "items", items)) {
		cJSON_Delete(items);
		cJSON_Delete(report);
		return NULL;
	}
	return report;
}

/* Hands doc's current text to the analyst. */
static void submit(struct server *s, struct aa_document *doc)
{
	struct aa_analyst_op op = {
		.kind = AA_OP_TEXT,
		.uri = aa_xstrdup(doc->uri),
		.path = aa_xstrdup(doc->path),
		.text = aa_xstrndup(doc->text.data, doc->text.len),
		.len = doc->text.len,
		.version = doc->version,
	};
	doc->due = 0;
	aa_analyst_submit(&s->analyst, op);
}

static void schedule(struct aa_document *doc, double delay)
{
	double at = aa_run_now() + delay;
	if (!doc->due || at < doc->due || delay > 0)
		doc->due = at;
}

static const cJSON *param(const cJSON *params, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(params, key);
}

static const char *text_document_uri(const cJSON *params)
{
	const cJSON *uri = param(param(params, "textDocument"), "uri");
	return cJSON_IsString(uri) ? uri->valuestring : NULL;
}

/* The position encoding: the first of the client's (in its order of preference) that
 * the server counts; UTF-16 when it names none (LSP's default). */
static enum aa_pos_encoding negotiate_encoding(const cJSON *params)
{
	const cJSON *list = param(param(param(params, "capabilities"), "general"), "positionEncodings");
	const cJSON *item;
	cJSON_ArrayForEach(item, list) {
		if (!cJSON_IsString(item))
			continue;
		if (!strcmp(item->valuestring, "utf-16"))
			return AA_POS_UTF16;
		if (!strcmp(item->valuestring, "utf-8"))
			return AA_POS_UTF8;
		if (!strcmp(item->valuestring, "utf-32"))
			return AA_POS_UTF32;
	}
	return AA_POS_UTF16;
}

static const char *encoding_name(enum aa_pos_encoding enc)
{
	return enc == AA_POS_UTF8 ? "utf-8" : enc == AA_POS_UTF32 ? "utf-32" : "utf-16";
}

/* capabilities.codeActionProvider: the kinds the server offers. */
static bool add_code_action_kinds(cJSON *caps)
{
	cJSON *kinds = aa_json_arr(aa_json_obj(caps, "codeActionProvider"), "codeActionKinds");
	return aa_json_str(kinds, NULL, "quickfix") && aa_json_str(kinds, NULL, "source.fixAll.async-analyzer");
}

/* The workspace's root directory: the first workspace folder, else rootUri, else
 * rootPath (LSP's older forms). NULL when the client opened no folder. Caller frees. */
static char *workspace_root(const cJSON *params)
{
	const cJSON *folders = param(params, "workspaceFolders");
	const cJSON *first = cJSON_IsArray(folders) ? cJSON_GetArrayItem(folders, 0) : NULL;
	const cJSON *uri = param(first, "uri");
	if (!cJSON_IsString(uri))
		uri = param(params, "rootUri");
	if (cJSON_IsString(uri))
		return aa_uri_to_path(uri->valuestring);
	const cJSON *path = param(params, "rootPath");
	return cJSON_IsString(path) && path->valuestring[0] == '/' ? aa_xstrdup(path->valuestring) : NULL;
}

static void on_initialize(struct server *s, const cJSON *id, const cJSON *params)
{
	s->enc = negotiate_encoding(params);
	s->client_pulls = param(param(param(params, "capabilities"), "textDocument"), "diagnostic") != NULL;
	s->can_watch = cJSON_IsTrue(
		param(param(param(param(params, "capabilities"), "workspace"), "didChangeWatchedFiles"), "dynamicRegistration"));
	cJSON *result = cJSON_CreateObject();
	cJSON *caps = aa_json_obj(result, "capabilities");
	cJSON *sync = aa_json_obj(caps, "textDocumentSync");
	cJSON *save = aa_json_obj(sync, "save");
	cJSON *diag = aa_json_obj(caps, "diagnosticProvider");
	cJSON *info = aa_json_obj(result, "serverInfo");
	bool ok = aa_json_str(caps, "positionEncoding", encoding_name(s->enc)) && aa_json_bool(sync, "openClose", true) &&
		  aa_json_num(sync, "change", 2 /* incremental */) && aa_json_bool(save, "includeText", false) &&
		  aa_json_bool(caps, "hoverProvider", true) && add_code_action_kinds(caps) && aa_json_str(diag, "identifier", "async-analyzer") &&
		  aa_json_bool(diag, "interFileDependencies", true) && aa_json_bool(diag, "workspaceDiagnostics", false) &&
		  aa_json_str(info, "name", "async-analyzer") && aa_json_str(info, "version", AA_VERSION);
	if (!ok) {
		cJSON_Delete(result);
		respond_error(s, id, RPC_INVALID_REQUEST, "out of memory");
		return;
	}
	s->initialized = true;
	respond(s, id, result);
	char *root = workspace_root(params);
	if (root)
		aa_analyst_submit(&s->analyst, (struct aa_analyst_op){ .kind = AA_OP_ROOT, .path = root });
}

/* Asks the client to tell us of changes to Python files and configuration files on disk
 * (workspace/didChangeWatchedFiles), which the server cannot watch itself portably. The
 * client's answer needs nothing. */
static void register_watchers(struct server *s)
{
	static const char *const globs[] = { "**/*.py", "**/*.pyi", "**/pyproject.toml", "**/*.toml", "**/*.ini",
					     "**/*.cfg", "**/.gitignore" };
	cJSON *msg = new_message();
	cJSON *params = aa_json_obj(msg, "params");
	cJSON *regs = aa_json_arr(params, "registrations");
	cJSON *reg = aa_json_obj(regs, NULL);
	cJSON *opts = aa_json_obj(reg, "registerOptions");
	cJSON *watchers = aa_json_arr(opts, "watchers");
	bool ok = aa_json_str(msg, "id", "async-analyzer-watch") && aa_json_str(msg, "method", "client/registerCapability") &&
		  aa_json_str(reg, "id", "async-analyzer-watch") &&
		  aa_json_str(reg, "method", "workspace/didChangeWatchedFiles");
	for (size_t i = 0; ok && i < sizeof(globs) / sizeof(globs[0]); i++)
		ok = aa_json_str(aa_json_obj(watchers, NULL), "globPattern", globs[i]) != NULL;
	if (!ok) {
		cJSON_Delete(msg);
		return;
	}
	send_message(s, msg);
}

static void on_did_open(struct server *s, const cJSON *params)
{
	const cJSON *td = param(params, "textDocument");
	const cJSON *text = param(td, "text"), *version = param(td, "version");
	const char *uri = text_document_uri(params);
	if (!uri || !cJSON_IsString(text)) {
		log_message(s, 1, "textDocument/didOpen without a uri and a text: ignored");
		return;
	}
	struct aa_document *doc =
		aa_documents_open(&s->docs, uri, text->valuestring, cJSON_IsNumber(version) ? (int64_t)version->valuedouble : 0);
	schedule(doc, 0);
}

static void on_did_change(struct server *s, const cJSON *params)
{
	const char *uri = text_document_uri(params);
	struct aa_document *doc = uri ? aa_documents_find(&s->docs, uri) : NULL;
	if (!doc) {
		log_message(s, 2, "textDocument/didChange for a document that is not open: ignored");
		return;
	}
	const cJSON *version = param(param(params, "textDocument"), "version");
	const cJSON *change;
	cJSON_ArrayForEach(change, param(params, "contentChanges")) {
		if (aa_document_apply(doc, change, s->enc) < 0)
			log_message(s, 1, "textDocument/didChange: a change without text or with a malformed range: ignored");
	}
	doc->version = cJSON_IsNumber(version) ? (int64_t)version->valuedouble : doc->version + 1;
	schedule(doc, AA_SERVER_DEBOUNCE);
}

/* Answers the pulls waiting for uri with doc's report (NULL: no findings), or, with uri
 * NULL, refuses the one with id as cancelled. */
static void finish_pulls(struct server *s, const char *uri, const cJSON *id, const struct aa_document *doc)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->n_pulls; i++) {
		struct pending_pull *p = &s->pulls[i];
		bool match = uri ? !strcmp(p->uri, uri) : cJSON_Compare(p->id, id, true);
		if (!match) {
			s->pulls[kept++] = *p;
			continue;
		}
		if (uri)
			respond(s, p->id, full_report(s, doc));
		else
			respond_error(s, p->id, RPC_REQUEST_CANCELLED, "cancelled");
		cJSON_Delete(p->id);
		free(p->uri);
	}
	s->n_pulls = kept;
}

/* Files changed on disk: analyzed again; created or deleted ones change the project's
 * file list (and configuration files what applies), so the workspace is scanned again. */
static void on_watched_files(struct server *s, const cJSON *params)
{
	const cJSON *change;
	cJSON_ArrayForEach(change, param(params, "changes")) {
		const cJSON *uri = param(change, "uri"), *type = param(change, "type");
		char *path = cJSON_IsString(uri) ? aa_uri_to_path(uri->valuestring) : NULL;
		size_t n = path ? strlen(path) : 0;
		bool python = n > 3 && (!strcmp(path + n - 3, ".py") || (n > 4 && !strcmp(path + n - 4, ".pyi")));
		if (python && cJSON_IsNumber(type) && type->valuedouble == 2) {
			aa_analyst_submit(&s->analyst, (struct aa_analyst_op){ .kind = AA_OP_CHANGED, .path = path });
			continue;
		}
		free(path);
		aa_analyst_submit(&s->analyst, (struct aa_analyst_op){ .kind = AA_OP_RESCAN });
		return;
	}
}

static void on_did_close(struct server *s, const cJSON *params)
{
	const char *uri = text_document_uri(params);
	struct aa_document *doc = uri ? aa_documents_find(&s->docs, uri) : NULL;
	if (!doc)
		return;
	if (!s->client_pulls)
		publish(s, doc, true);
	finish_pulls(s, uri, NULL, NULL); /* a closed document has no findings */
	aa_analyst_submit(&s->analyst, (struct aa_analyst_op){ .kind = AA_OP_CLOSE, .uri = aa_xstrdup(doc->uri),
							       .path = aa_xstrdup(doc->path) });
	aa_documents_close(&s->docs, uri);
}

/* The finding of doc's last analysis under the LSP position, or NULL. */
static const struct aa_diag *diag_at(const struct server *s, const struct aa_document *doc, const cJSON *pos)
{
	const cJSON *line = param(pos, "line"), *ch = param(pos, "character");
	if (!doc->analyzed || doc->diags_version != doc->version || !cJSON_IsNumber(line) || !cJSON_IsNumber(ch))
		return NULL;
	double l = line->valuedouble, c = ch->valuedouble;
	for (size_t i = 0; i < doc->diags.len; i++) {
		const struct aa_diag *d = &doc->diags.items[i];
		if (strcmp(d->path, doc->path))
			continue;
		uint32_t l0, l1;
		uint32_t c0 = aa_pos_from_span(doc->text.data, doc->text.len, d->span.line, d->span.col, s->enc, &l0);
		uint32_t c1 = aa_pos_from_span(doc->text.data, doc->text.len, d->span.end_line, d->span.end_col, s->enc, &l1);
		bool after_start = l > l0 || (l == l0 && c >= c0);
		bool before_end = l < l1 || (l == l1 && c <= c1);
		if (after_start && before_end)
			return d;
	}
	return NULL;
}

static void on_hover(struct server *s, const cJSON *id, const cJSON *params)
{
	const char *uri = text_document_uri(params);
	struct aa_document *doc = uri ? aa_documents_find(&s->docs, uri) : NULL;
	const struct aa_diag *d = doc ? diag_at(s, doc, param(params, "position")) : NULL;
	if (!d) {
		respond(s, id, NULL);
		return;
	}
	char *page = aa_ruledoc_markdown(d->rule);
	cJSON *result = cJSON_CreateObject();
	cJSON *contents = aa_json_obj(result, "contents");
	bool ok = aa_json_str(contents, "kind", "markdown") && aa_json_str(contents, "value", page) &&
		  range_json(result, "range", &doc->text, d->span, s->enc);
	free(page);
	if (!ok) {
		cJSON_Delete(result);
		result = NULL;
	}
	respond(s, id, result);
}

/* Appends to edits (a TextEdit[]) the edits of fix, in doc's positions; false on out of
 * memory. */
static bool add_text_edits(cJSON *edits, const struct server *s, const struct aa_document *doc,
			   const struct aa_fix *fix)
{
	for (size_t i = 0; i < fix->n_edits; i++) {
		cJSON *e = aa_json_obj(edits, NULL);
		if (!range_json(e, "range", &doc->text, fix->edits[i].span, s->enc) ||
		    !aa_json_str(e, "newText", fix->edits[i].content))
			return false;
	}
	return true;
}

/* A CodeAction of kind titled title, appended to actions, whose WorkspaceEdit changes doc;
 * returns its TextEdit[] to fill (NULL on out of memory). With d, the action names the
 * finding it repairs. */
static cJSON *add_action(cJSON *actions, const struct server *s, const struct aa_document *doc, const char *title,
			 const char *kind, const struct aa_diag *d, bool preferred)
{
	cJSON *a = aa_json_obj(actions, NULL);
	if (!aa_json_str(a, "title", title) || !aa_json_str(a, "kind", kind))
		return NULL;
	if (d && (!add_diagnostic(aa_json_arr(a, "diagnostics"), s, doc, d) || !aa_json_bool(a, "isPreferred", preferred)))
		return NULL;
	cJSON *changes = aa_json_obj(aa_json_obj(a, "edit"), "changes");
	return changes ? aa_json_arr(changes, doc->uri) : NULL;
}

/* The `# noqa: CODE` suppression of d, as --add-noqa writes it (analyzer/fix/fixer.h: on
 * the line its suppression reads, added to a noqa directive there, never inside a
 * string), or NULL (the code is there already, or d is the pipeline's own finding). The
 * document is parsed with the server's own parser, made on first use. */
static struct aa_fix *noqa_fix(struct server *s, const struct aa_document *doc, const struct aa_diag *d)
{
	if (!s->parser) {
		const char *missing;
		if (aa_syms_init(&s->syms, tree_sitter_python(), &missing) < 0)
			return NULL; /* a build/pin mismatch: the analyst says so */
		s->parser = ts_parser_new();
		ts_parser_set_language(s->parser, s->syms.lang);
	}
	return aa_fixer_noqa_fix(&s->syms, s->parser, doc->text.data, doc->text.len, d);
}

/* Whether kind is asked for by the request's context.only (absent: every kind); a
 * requested kind covers its sub-kinds ("source" covers "source.fixAll.async-analyzer"). */
static bool kind_wanted(const cJSON *only, const char *kind)
{
	if (!cJSON_IsArray(only))
		return true;
	const cJSON *k;
	cJSON_ArrayForEach(k, only) {
		size_t n = cJSON_IsString(k) ? strlen(k->valuestring) : 0;
		if (n && !strncmp(kind, k->valuestring, n) && (kind[n] == '\0' || kind[n] == '.'))
			return true;
	}
	return false;
}

/* textDocument/codeAction: for each finding in the range, its fix (quickfix; a safe one
 * is preferred) and its suppression with `# noqa: CODE`; and every safe fix of the
 * document at once (source.fixAll.async-analyzer), skipping one whose edits overlap
 * another's. From the last analysis, when it is of the current text (else none). */
static void on_code_action(struct server *s, const cJSON *id, const cJSON *params)
{
	const char *uri = text_document_uri(params);
	struct aa_document *doc = uri ? aa_documents_find(&s->docs, uri) : NULL;
	cJSON *actions = cJSON_CreateArray();
	const cJSON *range = param(params, "range"), *only = param(param(params, "context"), "only");
	const cJSON *rs = param(param(range, "start"), "line"), *re = param(param(range, "end"), "line");
	bool current = doc && doc->analyzed && doc->diags_version == doc->version && !doc->due;
	bool ok = actions != NULL;
	for (size_t i = 0; ok && current && kind_wanted(only, "quickfix") && i < doc->diags.len; i++) {
		const struct aa_diag *d = &doc->diags.items[i];
		uint32_t first = d->span.line ? d->span.line - 1 : 0, last = d->span.end_line ? d->span.end_line - 1 : 0;
		if (strcmp(d->path, doc->path) || !cJSON_IsNumber(rs) || !cJSON_IsNumber(re) || last < rs->valuedouble ||
		    first > re->valuedouble)
			continue;
		if (d->fix) {
			char *title = aa_xasprintf("%s (%s)%s", d->rule->fix.title ? d->rule->fix.title : "Fix", d->rule->code,
						   d->fix->kind == AA_FIX_UNSAFE ? ": may change behaviour" : "");
			cJSON *edits = add_action(actions, s, doc, title, "quickfix", d, d->fix->kind == AA_FIX_SAFE);
			ok = edits && add_text_edits(edits, s, doc, d->fix);
			free(title);
		}
		struct aa_fix *noqa = ok ? noqa_fix(s, doc, d) : NULL;
		if (noqa) {
			char *title = aa_xasprintf("Suppress %s on this line (# noqa)", d->rule->code);
			cJSON *edits = add_action(actions, s, doc, title, "quickfix", d, false);
			ok = edits && add_text_edits(edits, s, doc, noqa);
			free(title);
			aa_fix_free(noqa);
		}
	}
	if (ok && current && kind_wanted(only, "source.fixAll.async-analyzer")) {
		cJSON *edits = NULL;
		uint32_t last_end = 0;
		bool any = false;
		for (size_t i = 0; ok && i < doc->diags.len; i++) {
			const struct aa_fix *f = doc->diags.items[i].fix;
			/* Findings are sorted by position: a fix starting before the last one taken
			 * ended overlaps it, and waits for the next round. */
			if (!f || f->kind != AA_FIX_SAFE || !f->n_edits || strcmp(doc->diags.items[i].path, doc->path) ||
			    (any && f->edits[0].start < last_end))
				continue;
			if (!edits)
				ok = (edits = add_action(actions, s, doc, "Fix all safe async-analyzer findings",
							 "source.fixAll.async-analyzer", NULL, false)) != NULL;
			ok = ok && add_text_edits(edits, s, doc, f);
			last_end = f->edits[f->n_edits - 1].end;
			any = true;
		}
	}
	if (!ok) {
		cJSON_Delete(actions);
		respond_error(s, id, RPC_INVALID_REQUEST, "out of memory");
		return;
	}
	respond(s, id, actions);
}

static void on_pull(struct server *s, const cJSON *id, const cJSON *params)
{
	const char *uri = text_document_uri(params);
	if (!uri) {
		respond_error(s, id, RPC_INVALID_PARAMS, "textDocument/diagnostic needs textDocument.uri");
		return;
	}
	struct aa_document *doc = aa_documents_find(&s->docs, uri);
	if (!doc || (doc->analyzed && doc->diags_version == doc->version && !doc->due)) {
		respond(s, id, full_report(s, doc));
		return;
	}
	/* Answered when the analysis of the current text comes in; meanwhile other messages
	 * are served. The client asked now: no need to wait for the debounce. */
	cJSON *copy = cJSON_Duplicate(id, true);
	if (!copy) {
		respond_error(s, id, RPC_INVALID_REQUEST, "out of memory");
		return;
	}
	AA_GROW(s->pulls, s->pulls_cap, s->n_pulls + 1);
	s->pulls[s->n_pulls++] = (struct pending_pull){ copy, aa_xstrdup(uri) };
	if (doc->due)
		submit(s, doc);
}

static void on_result(struct server *s, struct aa_event *ev)
{
	struct aa_document *doc = aa_documents_find(&s->docs, ev->uri);
	/* Findings of a text the document no longer has are dropped: a newer analysis is due. */
	if (!doc || ev->version != doc->version || doc->due)
		return;
	aa_diag_list_release(&doc->diags);
	doc->diags = ev->diags;
	aa_diag_list_init(&ev->diags);
	doc->diags_version = ev->version;
	doc->analyzed = true;
	if (!s->client_pulls)
		publish(s, doc, false);
	finish_pulls(s, doc->uri, NULL, doc);
}

static void on_request(struct server *s, const char *method, const cJSON *id, const cJSON *params)
{
	if (!strcmp(method, "initialize")) {
		if (s->initialized)
			respond_error(s, id, RPC_INVALID_REQUEST, "initialize was already received");
		else
			on_initialize(s, id, params);
	} else if (!s->initialized) {
		respond_error(s, id, RPC_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
	} else if (s->shut_down) {
		respond_error(s, id, RPC_INVALID_REQUEST, "the server is shut down");
	} else if (!strcmp(method, "shutdown")) {
		s->shut_down = true;
		respond(s, id, NULL);
	} else if (!strcmp(method, "textDocument/hover")) {
		on_hover(s, id, params);
	} else if (!strcmp(method, "textDocument/diagnostic")) {
		on_pull(s, id, params);
	} else if (!strcmp(method, "textDocument/codeAction")) {
		on_code_action(s, id, params);
	} else {
		respond_error(s, id, RPC_METHOD_NOT_FOUND, "method not found");
	}
}

static void on_notification(struct server *s, const char *method, const cJSON *params)
{
	if (!strcmp(method, "exit")) {
		s->exiting = true;
		s->exit_status = s->shut_down ? 0 : 1;
		return;
	}
	if (!s->initialized || s->shut_down)
		return; /* LSP: notifications before initialize (or after shutdown) are dropped */
	if (!strcmp(method, "textDocument/didOpen"))
		on_did_open(s, params);
	else if (!strcmp(method, "textDocument/didChange"))
		on_did_change(s, params);
	else if (!strcmp(method, "textDocument/didClose"))
		on_did_close(s, params);
	else if (!strcmp(method, "workspace/didChangeConfiguration"))
		/* The server's settings are the configuration files': read them again. */
		aa_analyst_submit(&s->analyst, (struct aa_analyst_op){ .kind = AA_OP_RESCAN });
	else if (!strcmp(method, "workspace/didChangeWatchedFiles"))
		on_watched_files(s, params);
	else if (!strcmp(method, "initialized") && s->can_watch)
		register_watchers(s);
	else if (!strcmp(method, "$/cancelRequest"))
		finish_pulls(s, NULL, param(params, "id"), NULL);
	/* Other notifications (didSave: the editor's text is already the document's;
	 * $/setTrace, ...) need nothing. */
}

static void on_message(struct server *s, const char *body)
{
	cJSON *msg = cJSON_Parse(body);
	if (!msg) {
		respond_error(s, NULL, RPC_PARSE_ERROR, "the message is not JSON");
		return;
	}
	const cJSON *method = param(msg, "method");
	const cJSON *id = param(msg, "id");
	const cJSON *params = param(msg, "params");
	bool valid_id = !id || cJSON_IsString(id) || cJSON_IsNumber(id);
	if (!cJSON_IsObject(msg) || !valid_id) {
		respond_error(s, NULL, RPC_INVALID_REQUEST, "not a JSON-RPC request or notification");
	} else if (!method) {
		/* A response to a request of ours (the server sends none that wait): ignored. */
	} else if (!cJSON_IsString(method)) {
		if (id)
			respond_error(s, id, RPC_INVALID_REQUEST, "the method is not a string");
	} else if (id) {
		on_request(s, method->valuestring, id, params);
	} else {
		on_notification(s, method->valuestring, params);
	}
	cJSON_Delete(msg);
}

/* The earliest time a document is due for analysis, or 0. */
static double next_due(const struct server *s)
{
	double due = 0;
	for (size_t i = 0; i < s->docs.len; i++) {
		double d = s->docs.items[i]->due;
		if (d && (!due || d < due))
			due = d;
	}
	return due;
}

static void submit_due(struct server *s)
{
	double now = aa_run_now();
	for (size_t i = 0; i < s->docs.len; i++)
		if (s->docs.items[i]->due && s->docs.items[i]->due <= now)
			submit(s, s->docs.items[i]);
}

static void serve(struct server *s)
{
	while (!s->exiting && !s->write_failed) {
		submit_due(s);
		struct aa_event *ev = aa_event_queue_pop(&s->events, next_due(s));
		if (!ev)
			continue; /* a document fell due */
		if (ev->kind == AA_EVENT_MESSAGE) {
			on_message(s, ev->body);
		} else if (ev->kind == AA_EVENT_RESULT) {
			on_result(s, ev);
		} else if (ev->kind == AA_EVENT_CONFIG) {
			on_config(s, ev);
		} else {
			if (ev->body)
				fprintf(stderr, "async-analyzer server: %s\n", ev->body);
			s->exiting = true;
			s->exit_status = 1;
		}
		aa_event_free(ev);
	}
}

int aa_server_run(const struct aa_wsconfig_ops *config, int in_fd, int out_fd)
{
	struct server s = { .out_fd = out_fd, .exit_status = 1 };
	int wake[2];
	if (pipe(wake) < 0) {
		fprintf(stderr, "async-analyzer server: cannot make a pipe: %s\n", strerror(errno));
		return 1;
	}
	aa_event_queue_init(&s.events);
	struct reader reader = { .events = &s.events };
	aa_rpc_reader_init(&reader.rpc, in_fd, wake[0]);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = cpus > 1 ? (unsigned)(cpus > 64 ? 64 : cpus) : 1;
	bool analyst_up = aa_analyst_start(&s.analyst, config, &s.events, jobs) == 0;
	bool reader_up = analyst_up && pthread_create(&reader.thread, NULL, reader_main, &reader) == 0;
	if (reader_up)
		serve(&s);
	else
		fprintf(stderr, "async-analyzer server: cannot start a thread\n");
	if (s.write_failed)
		fprintf(stderr, "async-analyzer server: cannot write to the client\n");
	/* Wake the reader out of its read and wait for both helpers. */
	if (reader_up) {
		ssize_t w;
		do
			w = write(wake[1], "x", 1);
		while (w < 0 && errno == EINTR);
		pthread_join(reader.thread, NULL);
	}
	if (analyst_up)
		aa_analyst_stop(&s.analyst);
	for (size_t i = 0; i < s.n_pulls; i++) {
		cJSON_Delete(s.pulls[i].id);
		free(s.pulls[i].uri);
	}
	free(s.pulls);
	if (s.parser)
		ts_parser_delete(s.parser);
	for (size_t i = 0; i < s.n_shown; i++)
		free(s.shown[i]);
	free(s.shown);
	aa_documents_release(&s.docs);
	aa_event_queue_release(&s.events);
	aa_rpc_reader_release(&reader.rpc);
	close(wake[0]);
	close(wake[1]);
	return s.write_failed ? 1 : s.exit_status;
}
