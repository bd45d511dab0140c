/*
 * loop_uses.h: how a file's code starts and awaits coroutines, recorded in its summary
 * (summary.h: funcs[].spawns, awaits, fresh_runs, uses, nest_asyncio) for the project
 * index's question whether a coroutine function runs alone on an event loop of its own
 * (index.h's aa_index_runs_alone): reached through awaits only from a coroutine started
 * from sync code on a fresh loop (`asyncio.run(main())`), awaited only by functions that
 * run alone, with nothing on that loop started beside it. Blocking there stalls nobody:
 * a CLI step, a Celery task's `asyncio.run`, a worker thread's private loop.
 *
 * What is recorded errs towards "used": a name is matched by its last component, an
 * await whose callee cannot be named counts as a use of that name, and so does every
 * other mention of a name (called without `await`, passed, stored, decorated with).
 *
 * Part of the summarizer (summarize.h), which calls these while a summary is built.
 */
#ifndef AA_LOOP_USES_H
#define AA_LOOP_USES_H

#include <stdbool.h>
#include <tree_sitter/api.h>

struct aa_summarizer;

/* Before the walk: notes whether the file mentions nest_asyncio, and whether anything
 * in it may run alone at all (aa_loop_uses_possible). */
void aa_loop_uses_begin(struct aa_summarizer *z);

/* For every node of the walk (after aa_summarizer_enter added its def): calls,
 * identifiers, `async with` statements and aliased imports are looked at, nothing else. */
void aa_loop_uses_node(struct aa_summarizer *z, TSNode node);

/* After the walk (the summary's exports made): awaits made in functions that turned
 * out to start concurrent work become uses of their callees' names; the uses are sorted
 * and made distinct into the summary.
 * Fresh runs, awaits and uses are dropped in test code (z->tests: how a test drives a
 * coroutine says nothing of the program; example code and scripts are programs), and
 * awaits and uses when nothing outside the file can reach them (a module no import can
 * name, importing no project module, starting nothing on a fresh loop). */
void aa_loop_uses_finish(struct aa_summarizer *z);

/* Can a coroutine function of this file run alone? Not when its module cannot be
 * imported (a script named `my-tool.py`) and the file does not mention a loop runner
 * (`run(`, `run_until_complete(`): nothing can start it on a fresh loop then. A
 * finding deferred on this question would be reported anyway. */
bool aa_loop_uses_possible(const struct aa_summarizer *z);

#endif
