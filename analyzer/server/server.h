/*
 * server.h: `async-analyzer server`, a Language Server Protocol 3.17 server over a byte
 * stream (stdin/stdout): diagnostics of the documents the editor has open, computed from
 * their in-memory text, pushed (textDocument/publishDiagnostics) or pulled
 * (textDocument/diagnostic) as the client prefers, under the workspace's configuration
 * files as `check` applies them; the rule's page on hover over a finding.
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

#include "analyzer/server/wsconfig.h"

/* Seconds of quiet after a change before a document is analyzed again. */
#define AA_SERVER_DEBOUNCE 0.15

/* Serves on in_fd/out_fd (borrowed), analyzing each file with the settings config
 * (borrowed for the call) gives it; a configuration error is shown to the user once
 * (window/showMessage) and the last good configuration stays in force. Returns the
 * process exit status LSP prescribes: 0 after `shutdown` then
 * `exit`, 1 when the input ends or `exit` comes without `shutdown`, or when a framing
 * error or a failed write ends the server. Allocation failure exits. */
int aa_server_run(const struct aa_wsconfig_ops *config, int in_fd, int out_fd);

#endif
