#include "rules/blocking/quick_command.h"

#include <string.h>

#include "analyzer/base/buf.h"
#include "parsers/python/node.h"
#include "rules/blocking/blocking.h"

/* The keyword of the command argument of target, or NULL: not a command-taking target. */
static const char *command_keyword(const char *target)
{
	if (!strcmp(target, "os.system"))
		return "command";
	if (!strcmp(target, "os.popen") || !strcmp(target, "subprocess.getoutput") ||
	    !strcmp(target, "subprocess.getstatusoutput"))
		return "cmd";
	if (!strncmp(target, "subprocess.", 11) && !strchr(target + 11, '.'))
		return "args"; /* run, call, check_call, check_output, Popen */
	return NULL;
}

static bool word_is(const char *w, uint32_t len, const char *text)
{
	return strlen(text) == len && !memcmp(w, text, len);
}

static bool any_word_is(const char *w, uint32_t len, const char *const *texts)
{
	for (; *texts; texts++)
		if (word_is(w, len, *texts))
			return true;
	return false;
}

/* Programs that return in milliseconds whatever their (non-recursive) arguments. */
static const char *const quick_programs[] = { "arch", "chgrp", "chmod", "chown", "date", "echo", "false", "getconf",
					      "groups", "hostname", "id", "kill", "ln", "logname", "mkdir",
					      "nproc", "pkill", "pwd", "rm", "rmdir", "touch", "true", "tty", "uname",
					      "which", "whoami", NULL };
/* Programs that hand a path or URL to the desktop (its file manager, browser, editor)
 * and return without waiting for what they opened, unless told to wait. */
static const char *const openers[] = { "xdg-open", "open", "explorer", "explorer.exe", "start", "code", NULL };
static const char *const wait_flags[] = { "-W", "--wait-apps", "-w", "--wait", "/wait", "/WAIT", "/w", "/W", NULL };
/* Those of them that recurse with -r, -R or --recursive. */
static const char *const recursing_programs[] = { "chgrp", "chmod", "chown", "rm", NULL };
static const char *const version_flags[] = { "--version", "-version", "-V", "version", NULL };

/* What the words of a command have shown so far. */
struct words {
	uint32_t n;          /* words seen */
	bool quick_program;  /* the first is in quick_programs or openers */
	bool opener;         /* ... in openers */
	bool recurses;       /* ... and in recursing_programs */
	bool slow;           /* a word rules the command out */
	bool version_second; /* the second word is a version flag */
};

/* One word: known text (w, len), or unknown (w NULL: a computed argument). */
static void add_word(struct words *ws, const char *w, uint32_t len)
{
	uint32_t i = ws->n++;
	if (i == 0) {
		if (!w) {
			ws->slow = true;
			return;
		}
		const char *slash = NULL;
		for (uint32_t k = 0; k < len; k++)
			if (w[k] == '/')
				slash = w + k;
		if (slash) { /* /usr/bin/uname is uname */
			len -= (uint32_t)(slash + 1 - w);
			w = slash + 1;
		}
		ws->opener = any_word_is(w, len, openers);
		ws->quick_program = ws->opener || any_word_is(w, len, quick_programs);
		ws->recurses = any_word_is(w, len, recursing_programs);
		return;
	}
	/* `open -W`, `code --wait`, `start /wait`: it waits for what it opened. An unknown
	 * option may be one: only operands come unwritten (`["xdg-open", path]`). */
	if (ws->opener && w && any_word_is(w, len, wait_flags))
		ws->slow = true;
	if (i == 1 && w)
		ws->version_second = any_word_is(w, len, version_flags);
	/* A recursive flag (`rm -rf`, `chmod -R`, `--recursive`) walks a tree. */
	if (ws->recurses && w && len > 1 && w[0] == '-')
		for (uint32_t k = 1; k < len; k++)
			if ((w[k] == 'r' || w[k] == 'R') && (w[1] != '-' || word_is(w, len, "--recursive")))
				ws->slow = true;
}

/* A shell redirection the command's duration does not depend on: `>/dev/null`,
 * `2>/dev/null`, `&>/dev/null`, `2>&1`. */
static bool harmless_redirection(const char *w, uint32_t len)
{
	static const char *const forms[] = { ">/dev/null", "1>/dev/null", "2>/dev/null", "&>/dev/null", "2>&1", NULL };
	return any_word_is(w, len, forms);
}

/* An interpolation of an f-string command (fstring_command) in its words: quoted (one
 * argument), or bare (the shell splits it: any number of arguments, options included).
 * Bytes no shell word of a literal command holds. */
#define UNWRITTEN '\x01'
#define UNWRITTEN_SPLIT '\x02'

/* Shell words; a word that is an interpolation (UNWRITTEN) is an argument not written
 * out, which may be an option only when another word follows it. */
static void add_shell_words(struct words *ws, const char *text, uint32_t len)
{
	uint32_t i = 0;
	bool unwritten_before = false;
	while (i < len && !ws->slow) {
		while (i < len && text[i] == ' ')
			i++;
		uint32_t start = i;
		while (i < len && text[i] != ' ')
			i++;
		if (i == start)
			break;
		const char *w = text + start;
		uint32_t wl = i - start;
		if (harmless_redirection(w, wl))
			continue;
		if (unwritten_before && (ws->recurses || ws->opener)) {
			ws->slow = true;
			break;
		}
		if (wl == 1 && (w[0] == UNWRITTEN || w[0] == UNWRITTEN_SPLIT)) {
			/* a bare one may be `-rf x` or `-W x`: only a program whose options do not
			 * matter takes it */
			if (w[0] == UNWRITTEN_SPLIT && (ws->recurses || ws->opener)) {
				ws->slow = true;
				break;
			}
			add_word(ws, NULL, 0);
			unwritten_before = true;
			continue;
		}
		bool shell = false; /* pipes, lists, expansions, globs, quoting; part of a word computed */
		for (uint32_t k = 0; k < wl && !shell; k++)
			shell = strchr("|;&$`<>()*?\\\"'\t\n\x01\x02", w[k]) != NULL;
		if (shell)
			ws->slow = true;
		else
			add_word(ws, w, wl);
	}
}

/* The words of an f-string command (`f"xdg-open {path}"`, `f'explorer "{path}"'`): its
 * literal parts as written, each interpolation one word not written out (quotes right
 * around it only keep it one word). False when str is no f-string of plain parts. */
static bool fstring_command(struct aa_ctx *ctx, TSNode str, struct words *ws)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(str) || ts_node_symbol(str) != s->string)
		return false;
	struct aa_buf sk = AA_BUF_INIT;
	uint32_t n = ts_node_named_child_count(str);
	bool interpolated = false, plain = true;
	for (uint32_t i = 1; i + 1 < n && plain; i++) {
		TSNode c = ts_node_named_child(str, i);
		uint32_t len;
		if (ts_node_symbol(c) == s->string_content && !ts_node_named_child_count(c)) {
			const char *t = aa_ctx_text(ctx, c, &len);
			aa_buf_add(&sk, t, len);
		} else if (ts_node_symbol(c) == s->interpolation) {
			/* `"{path}"`: the quote before it goes, and the one after it is skipped */
			bool quoted = sk.len && (sk.data[sk.len - 1] == '"' || sk.data[sk.len - 1] == '\'');
			if (quoted)
				sk.data[--sk.len] = '\0';
			aa_buf_addc(&sk, quoted ? UNWRITTEN : UNWRITTEN_SPLIT);
			interpolated = true;
			TSNode next = ts_node_named_child(str, i + 1);
			if (i + 2 < n && ts_node_symbol(next) == s->string_content && !ts_node_named_child_count(next)) {
				const char *t = aa_ctx_text(ctx, next, &len);
				uint32_t skip = quoted && len && (t[0] == '"' || t[0] == '\'');
				aa_buf_add(&sk, t + skip, len - skip);
				i++;
			}
		} else {
			plain = false;
		}
	}
	if (plain && interpolated)
		add_shell_words(ws, sk.data, (uint32_t)sk.len);
	aa_buf_release(&sk);
	return plain && interpolated;
}

/* The program of a list command: a literal, or a conditional expression of two
 * (`"gcc" if c else "g++"`), each of which must be quick the same way. */
static bool list_command(struct aa_ctx *ctx, TSNode list, struct words *ws)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(list);
	if (!n)
		return false;
	TSNode prog = aa_node_unparen_at_most(s, ts_node_named_child(list, 0), AA_UNPAREN_SOLE, 16);
	TSNode alts[2];
	alts[0] = prog;
	alts[1] = (TSNode){ 0 };
	if (!ts_node_is_null(prog) && ts_node_symbol(prog) == s->conditional_expression) {
		alts[0] = ts_node_named_child(prog, 0);
		alts[1] = ts_node_named_child(prog, 2);
	}
	struct words first = { 0 };
	for (int a = 0; a < 2 && !ts_node_is_null(alts[a]); a++) {
		struct words one = { 0 };
		uint32_t len;
		const char *w = aa_blocking_literal_text(ctx, alts[a], &len);
		add_word(&one, w, len);
		if (one.slow || (a && (one.quick_program != first.quick_program || one.recurses != first.recurses ||
					 one.opener != first.opener)))
			return false;
		first = one;
	}
	*ws = first;
	for (uint32_t i = 1; i < n && !ws->slow; i++) {
		TSNode e = ts_node_named_child(list, i);
		if (ts_node_symbol(e) == s->list_splat) {
			ws->slow = true;
			break;
		}
		uint32_t len;
		const char *w = aa_blocking_literal_text(ctx, e, &len);
		/* An option not written out (`["rm", flag, path]`) may be `-rf`; the operands
		 * come last (`["rm", path]`). */
		if (!w && (ws->recurses || ws->opener) && i + 1 < n)
			ws->slow = true;
		add_word(ws, w, len);
	}
	return true;
}

bool aa_blocking_quick_command(struct aa_ctx *ctx, TSNode call, const char *target)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *keyword = command_keyword(target);
	if (!keyword)
		return false;
	TSNode cmd = aa_node_unparen_at_most(s, aa_call_arg(ctx, call, 0, keyword), AA_UNPAREN_SOLE, 16);
	if (ts_node_is_null(cmd))
		return false;
	struct words ws = { 0 };
	TSSymbol k = ts_node_symbol(cmd);
	if (k == s->list || k == s->tuple) {
		if (!list_command(ctx, cmd, &ws))
			return false;
	} else {
		uint32_t len;
		const char *text = aa_blocking_literal_text(ctx, cmd, &len);
		if (text)
			add_shell_words(&ws, text, len);
		else if (!fstring_command(ctx, cmd, &ws))
			return false;
	}
	if (ws.slow || !ws.n)
		return false;
	return ws.quick_program || (ws.n == 2 && ws.version_second);
}
