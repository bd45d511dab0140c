/* The language server's pieces below the protocol: message framing (rpc), position
 * conversion (position), file URIs (uri) and document edits (documents). The protocol
 * itself is driven by real clients in tests/t_lsp.sh. */
#include "tests/check.h"
#include "analyzer/server/documents.h"
#include "analyzer/server/position.h"
#include "analyzer/server/rpc.h"
#include "analyzer/server/uri.h"

#include <cjson/cJSON.h>
#include <unistd.h>

/* Reads messages from bytes through a pipe: the statuses and bodies, "|"-joined. */
static char *read_all(const char *bytes, size_t len)
{
	int fds[2];
	if (pipe(fds) < 0 || write(fds[1], bytes, len) != (ssize_t)len) {
		fprintf(stderr, "server_test: cannot set up a pipe\n");
		exit(2);
	}
	close(fds[1]);
	struct aa_rpc_reader r;
	aa_rpc_reader_init(&r, fds[0], -1);
	struct aa_buf out = AA_BUF_INIT;
	for (;;) {
		char *body;
		size_t n;
		enum aa_rpc_status st = aa_rpc_read(&r, &body, &n);
		aa_buf_addf(&out, "%s%s%s", out.len ? "|" : "",
			    st == AA_RPC_MESSAGE ? "msg:" : st == AA_RPC_EOF ? "eof" : "error:", body ? body : "");
		free(body);
		if (st != AA_RPC_MESSAGE)
			break;
	}
	aa_rpc_reader_release(&r);
	close(fds[0]);
	return aa_buf_detach(&out);
}

static void check_rpc(struct check *t)
{
	static const char two[] = "Content-Length: 2\r\n\r\n{}content-length:  7\r\nContent-Type: x\r\n\r\n[1,2,3]";
	char *got = read_all(two, sizeof(two) - 1);
	CHECK_STR(t, "two messages, header case and extra headers", "msg:{}|msg:[1,2,3]|eof", got);
	free(got);
	static const struct {
		const char *in, *want;
	} bad[] = {
		{ "Content-Length: x1\r\n\r\n", "error:the Content-Length header is not a number" },
		{ "Content-Length:\r\n\r\n", "error:the Content-Length header has no value" },
		{ "X-Other: 1\r\n\r\n{}", "error:a message has no Content-Length header" },
		{ "garbage\r\n\r\n", "error:a header line has no ':'" },
		{ "Content-Length: 99999999999999999999\r\n\r\n", "error:the message is larger than the server accepts" },
		{ "Content-Length: 5\r\n\r\n{}", "error:the input ended inside a message" },
		{ "Content-Length: 5\r\n", "error:the input ended inside a message header" },
		{ "", "eof" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		got = read_all(bad[i].in, strlen(bad[i].in));
		CHECK_STR(t, bad[i].in, bad[i].want, got);
		free(got);
	}
	/* A header section past the bound is refused without waiting for its end. */
	char *big = aa_xmalloc(AA_RPC_MAX_HEADER + 100);
	memset(big, 'a', AA_RPC_MAX_HEADER + 100);
	got = read_all(big, AA_RPC_MAX_HEADER + 100);
	CHECK_STR(t, "endless header", "error:the message header is longer than the server accepts", got);
	free(got);
	free(big);
}

static void check_positions(struct check *t)
{
	/* "é" is 2 UTF-8 bytes, 1 UTF-16 unit; the emoji 4 bytes, 2 units; both 1 code point. */
	const char *text = "ab\r\n\xc3\xa9\xf0\x9f\x98\x80x\nlast";
	size_t len = strlen(text);
	uint32_t line;
	CHECK_UINT(t, "utf-16 column after é and an emoji", 3, aa_pos_from_span(text, len, 2, 3, AA_POS_UTF16, &line));
	CHECK_UINT(t, "its line", 1, line);
	CHECK_UINT(t, "utf-8 column", 6, aa_pos_from_span(text, len, 2, 3, AA_POS_UTF8, &line));
	CHECK_UINT(t, "utf-32 column", 2, aa_pos_from_span(text, len, 2, 3, AA_POS_UTF32, &line));
	CHECK_UINT(t, "a column past the line's end stops before \\r\\n", 2,
		   aa_pos_from_span(text, len, 1, 40, AA_POS_UTF16, &line));
	aa_pos_from_span(text, len, 9, 1, AA_POS_UTF16, &line);
	CHECK_UINT(t, "a line past the end is the last line", 2, line);
	CHECK_UINT(t, "offset of (1, 3) in utf-16", 10, aa_pos_to_offset(text, len, 1, 3, AA_POS_UTF16));
	CHECK_UINT(t, "inside a surrogate pair: the emoji's start", 6, aa_pos_to_offset(text, len, 1, 2, AA_POS_UTF16));
	CHECK_UINT(t, "offset of (1, 6) in utf-8", 10, aa_pos_to_offset(text, len, 1, 6, AA_POS_UTF8));
	CHECK_UINT(t, "a character past the end: before \\r\\n", 2, aa_pos_to_offset(text, len, 0, 99, AA_POS_UTF16));
	CHECK_UINT(t, "a line past the end: the end of the text", len, aa_pos_to_offset(text, len, 7, 0, AA_POS_UTF16));
	/* A byte that starts no valid sequence is one unit, never a failure. */
	CHECK_UINT(t, "malformed UTF-8", 2, aa_pos_from_span("\xff\xc3x", 3, 1, 3, AA_POS_UTF16, &line));
}

static void check_uris(struct check *t)
{
	char *p = aa_uri_to_path("file:///a%20b/%C3%A9.py");
	CHECK_STR(t, "decoded", "/a b/\xc3\xa9.py", p);
	free(p);
	p = aa_uri_to_path("file://localhost/x.py");
	CHECK_STR(t, "localhost authority", "/x.py", p);
	free(p);
	CHECK(t, !aa_uri_to_path("untitled:Untitled-1"), "not a file: URI");
	CHECK(t, !aa_uri_to_path("file:///a%00b"), "an escaped NUL");
	p = aa_uri_from_path("/a b/\xc3\xa9#.py");
	CHECK_STR(t, "encoded", "file:///a%20b/%C3%A9%23.py", p);
	free(p);
}

static void apply(struct aa_document *doc, const char *json)
{
	cJSON *change = cJSON_Parse(json);
	if (!change) {
		fprintf(stderr, "server_test: bad test JSON %s\n", json);
		exit(2);
	}
	aa_document_apply(doc, change, AA_POS_UTF16);
	cJSON_Delete(change);
}

static void check_documents(struct check *t)
{
	struct aa_documents docs = { 0 };
	struct aa_document *d = aa_documents_open(&docs, "file:///w/a.py", "x = 1\ny = \xf0\x9f\x98\x80 + 2\n", 1);
	CHECK_STR(t, "path of the uri", "/w/a.py", d->path);
	apply(d, "{\"range\": {\"start\": {\"line\": 1, \"character\": 6}, \"end\": {\"line\": 1, \"character\": 9}}, \"text\": \"-\"}");
	CHECK_STR(t, "a range after an emoji, in UTF-16 units", "x = 1\ny = \xf0\x9f\x98\x80-2\n", d->text.data);
	apply(d, "{\"range\": {\"start\": {\"line\": 2, \"character\": 0}, \"end\": {\"line\": 0, \"character\": 0}}, \"text\": \"\"}");
	CHECK_STR(t, "a reversed range", "", d->text.data);
	apply(d, "{\"text\": \"whole\"}");
	CHECK_STR(t, "a full change", "whole", d->text.data);
	cJSON *bad = cJSON_Parse("{\"range\": 3, \"text\": \"z\"}");
	CHECK(t, aa_document_apply(d, bad, AA_POS_UTF16) < 0 && !strcmp(d->text.data, "whole"), "a malformed range changes nothing");
	cJSON_Delete(bad);
	aa_documents_open(&docs, "untitled:1", "u", 1);
	CHECK(t, docs.len == 2 && aa_documents_find(&docs, "untitled:1"), "a second document");
	aa_documents_close(&docs, "file:///w/a.py");
	CHECK(t, docs.len == 1 && !aa_documents_find(&docs, "file:///w/a.py"), "closed");
	aa_documents_release(&docs);
}

int main(void)
{
	struct check t = CHECK_INIT("server_test");
	check_rpc(&t);
	check_positions(&t);
	check_uris(&t);
	check_documents(&t);
	return check_done(&t);
}
