/*
 * quick_command.h: AA103's "a child process that returns at once": a command written out
 * in the source that only prints a version (`["git", "--version"]`, `"ffmpeg -version"`)
 * or runs a utility that reads or changes a few bytes of system state without recursing
 * (`hostname`, `uname`, `kill`, `chmod` without `-R`, `rm` without `-r`...), or hands a
 * path to the desktop and returns (`xdg-open`, `open`, `explorer`, `start`, `code`, not
 * told to wait for what it opened: `open -W`, `code --wait`, `start /wait`). Its run
 * blocks the loop for the few milliseconds of a fork and exec, as any `os` call blocks it
 * for a system call's time: not worth an executor, as readers of real applications judged.
 */
#ifndef AA_BLOCKING_QUICK_COMMAND_H
#define AA_BLOCKING_QUICK_COMMAND_H

#include "analyzer/check/context.h"

/* True when call, a call of target (an AA103 target's qualified name: `subprocess.run`,
 * `os.system`...), runs such a command: its command argument is a string literal (shell
 * words; redirections to /dev/null or of stderr to stdout aside, no other shell syntax)
 * or a list or tuple whose program is a string literal (or a conditional expression of
 * two) and whose other elements are no splat. False for targets whose command is not
 * their first argument (os.spawn*, os.posix_spawn*, the waits). Never fails. */
bool aa_blocking_quick_command(struct aa_ctx *ctx, TSNode call, const char *target);

#endif
