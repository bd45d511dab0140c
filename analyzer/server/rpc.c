#include "analyzer/server/rpc.h"
#include "analyzer/base/xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void aa_rpc_reader_init(struct aa_rpc_reader *r, int fd, int wake_fd)
{
	r->fd = fd;
	r->wake_fd = wake_fd;
	aa_buf_init(&r->in);
	r->consumed = 0;
}

void aa_rpc_reader_release(struct aa_rpc_reader *r)
{
	aa_buf_release(&r->in);
	r->consumed = 0;
}

/* Reads more bytes into r->in. Returns the count, 0 at the end of the stream or when
 * wake_fd says stop, -1 on a read error. */
static ssize_t fill(struct aa_rpc_reader *r)
{
	/* Drop what earlier messages used, so the buffer holds at most one message. */
	if (r->consumed) {
		memmove(r->in.data, r->in.data + r->consumed, r->in.len - r->consumed);
		aa_buf_setlen(&r->in, r->in.len - r->consumed);
		r->consumed = 0;
	}
	for (;;) {
		struct pollfd p[2] = { { r->fd, POLLIN, 0 }, { r->wake_fd, POLLIN, 0 } };
		int np = r->wake_fd >= 0 ? 2 : 1;
		if (poll(p, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (np == 2 && p[1].revents)
			return 0;
		char chunk[65536];
		ssize_t n = read(r->fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n > 0)
			aa_buf_add(&r->in, chunk, (size_t)n);
		return n;
	}
}

/* Parses the header section text[0..len) (lines ending in CRLF, the final empty line
 * excluded). Returns the Content-Length, or -1 with *why set (static). */
static long long content_length(const char *text, size_t len, const char **why)
{
	long long length = -1;
	size_t i = 0;
	while (i < len) {
		const char *line = text + i;
		const char *end = memchr(line, '\r', len - i);
		size_t n = end ? (size_t)(end - line) : len - i;
		static const char key[] = "content-length:";
		if (n >= sizeof(key) - 1 && !strncasecmp(line, key, sizeof(key) - 1)) {
			size_t k = sizeof(key) - 1;
			while (k < n && (line[k] == ' ' || line[k] == '\t'))
				k++;
			if (k == n) {
				*why = "the Content-Length header has no value";
				return -1;
			}
			length = 0;
			for (; k < n; k++) {
				if (line[k] < '0' || line[k] > '9' || length > (long long)AA_RPC_MAX_BODY) {
					*why = line[k] >= '0' && line[k] <= '9' ? "the message is larger than the server accepts"
									      : "the Content-Length header is not a number";
					return -1;
				}
				length = length * 10 + (line[k] - '0');
			}
		} else if (!memchr(line, ':', n)) {
			*why = "a header line has no ':'";
			return -1;
		}
		i += n + 2; /* the CRLF */
	}
	if (length < 0)
		*why = "a message has no Content-Length header";
	else if (length > (long long)AA_RPC_MAX_BODY)
		*why = "the message is larger than the server accepts";
	return length <= (long long)AA_RPC_MAX_BODY ? length : -1;
}

enum aa_rpc_status aa_rpc_read(struct aa_rpc_reader *r, char **body, size_t *len)
{
	*body = NULL;
	*len = 0;
	size_t header_end;
	for (;;) {
		const char *start = r->in.data + r->consumed;
		size_t have = r->in.len - r->consumed;
		const char *sep = have >= 4 ? memmem(start, have, "\r\n\r\n", 4) : NULL;
		if (sep) {
			header_end = (size_t)(sep - start);
			break;
		}
		if (have > AA_RPC_MAX_HEADER) {
			*body = aa_xstrdup("the message header is longer than the server accepts");
			return AA_RPC_ERROR;
		}
		ssize_t n = fill(r);
		if (n < 0) {
			*body = aa_xasprintf("cannot read the input: %s", strerror(errno));
			return AA_RPC_ERROR;
		}
		if (n == 0) {
			bool between = r->in.len == r->consumed;
			if (!between)
				*body = aa_xstrdup("the input ended inside a message header");
			return between ? AA_RPC_EOF : AA_RPC_ERROR;
		}
	}
	if (header_end > AA_RPC_MAX_HEADER) {
		*body = aa_xstrdup("the message header is longer than the server accepts");
		return AA_RPC_ERROR;
	}
	const char *why = NULL;
	long long length = content_length(r->in.data + r->consumed, header_end + 2, &why);
	if (length < 0) {
		*body = aa_xstrdup(why);
		return AA_RPC_ERROR;
	}
	size_t need = header_end + 4 + (size_t)length;
	while (r->in.len - r->consumed < need) {
		ssize_t n = fill(r);
		if (n <= 0) {
			*body = n < 0 ? aa_xasprintf("cannot read the input: %s", strerror(errno))
				      : aa_xstrdup("the input ended inside a message");
			return AA_RPC_ERROR;
		}
	}
	*body = aa_xstrndup(r->in.data + r->consumed + header_end + 4, (size_t)length);
	*len = (size_t)length;
	r->consumed += need;
	return AA_RPC_MESSAGE;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int aa_rpc_write(int fd, const struct cJSON *msg)
{
	char *text = cJSON_PrintUnformatted(msg);
	if (!text)
		return -1;
	size_t len = strlen(text);
	char header[64];
	int h = snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", len);
	int rc = write_all(fd, header, (size_t)h) == 0 && write_all(fd, text, len) == 0 ? 0 : -1;
	cJSON_free(text);
	return rc;
}
