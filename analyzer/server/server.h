/*
 * server.h: `async-analyzer server`, a Language Server Protocol 3.17 server over a byte
 * stream (stdin/stdout): diagnostics of the documents the editor has open, computed from
 * their in-memory text, pushed (textDocument/publishDiagnostics) or pulled
 * (textDocument/diagnostic) as the client prefers; the rule's page on hover over a
 * finding.
 *
 * Three threads: the reader frames client messages, the analyst keeps the workspace's
 * project warm and analyzes what changed (analyst.h), the calling thread owns every
 * other piece of state and answers. Edits are
 * debounced (AA_SERVER_DEBOUNCE after the last change of a document). Malformed input
 * gets a JSON-RPC error response; a framing error (which cannot be resynchronised) ends
 * the server.
 */
#ifndef AA_SERVER_H
#define AA_SERVER_H

#include "analyzer/engine/analyze.h"

/* Seconds of quiet after a change before a document is analyzed again. */
#define AA_SERVER_DEBOUNCE 0.15

/* Serves on in_fd/out_fd (borrowed) with engine (borrowed: built, outliving the call;
 * the server sets its module map to the workspace's). Returns the process exit status LSP prescribes: 0 after `shutdown` then
 * `exit`, 1 when the input ends or `exit` comes without `shutdown`, or when a framing
 * error or a failed write ends the server. Allocation failure exits. */
int aa_server_run(struct aa_engine *engine, int in_fd, int out_fd);

#endif
