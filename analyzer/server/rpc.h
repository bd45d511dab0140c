/*
 * rpc.h: JSON-RPC 2.0 messages framed as the Language Server Protocol frames them on a
 * byte stream: header lines ("Content-Length: N", optionally "Content-Type: ..."), an
 * empty line, then N bytes of JSON.
 *
 * Reading is bounded: a header section longer than AA_RPC_MAX_HEADER bytes or a body
 * declared longer than AA_RPC_MAX_BODY is a framing error, never an allocation of that
 * size. A framing error cannot be resynchronised (the stream has no markers to find the
 * next message by), so the reader reports it once and the server stops. Allocation
 * failure exits (analyzer/base/xalloc.h).
 */
#ifndef AA_RPC_H
#define AA_RPC_H

#include <stddef.h>

#include "analyzer/base/buf.h"

struct cJSON;

#define AA_RPC_MAX_HEADER 8192
#define AA_RPC_MAX_BODY ((size_t)256 << 20)

struct aa_rpc_reader {
	int fd;             /* borrowed; read from, never closed here */
	int wake_fd;        /* borrowed; readable means stop (-1: none) */
	struct aa_buf in;   /* owned; bytes read and not yet consumed */
	size_t consumed;    /* in.data[0..consumed) belongs to messages already returned */
};

enum aa_rpc_status {
	AA_RPC_MESSAGE = 0, /* *body holds one message's JSON text */
	AA_RPC_EOF,         /* the stream ended between messages, or wake_fd said stop */
	AA_RPC_ERROR,       /* framing error or read error: *body holds why (a sentence) */
};

/* Prepares r to read from fd; wake_fd (or -1) lets another thread end a blocked read by
 * making it readable. Release with aa_rpc_reader_release. */
void aa_rpc_reader_init(struct aa_rpc_reader *r, int fd, int wake_fd);
void aa_rpc_reader_release(struct aa_rpc_reader *r);

/* Reads the next message. Blocks until a whole message is in, the stream ends, or wake_fd
 * is readable. *body (owned by the caller: free) is set for AA_RPC_MESSAGE (the JSON
 * text, NUL-terminated, *len bytes) and AA_RPC_ERROR (the reason); NULL for AA_RPC_EOF.
 * A stream that ends inside a message is AA_RPC_ERROR. */
enum aa_rpc_status aa_rpc_read(struct aa_rpc_reader *r, char **body, size_t *len);

/* Writes msg (borrowed) to fd as one framed message, retrying short writes and EINTR.
 * Returns 0, or -1 when msg cannot be printed (out of memory) or the write failed. */
int aa_rpc_write(int fd, const struct cJSON *msg);

#endif
