/*
 * discover_test: glob semantics and a walk over a temporary tree built here (noise
 * directories, a virtualenv, symlink loops, dangling and duplicate links, directory links
 * out of the root, an unreadable directory, explicit paths, excludes, display forms). Exit 0 when everything holds (tests/check.h); 2 when the tree
 * cannot be built.
 */
#include "analyzer/input/discover.h"
#include "tests/check.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- glob ------------------------------------------------------------------------- */

#define EXPECT_GLOB(t, pattern, path, want) expect_glob_at((t), __LINE__, (pattern), (path), (want))
static void expect_glob_at(struct check *t, int line, const char *pattern, const char *path, bool want)
{
	char what[256];
	snprintf(what, sizeof(what), "aa_glob_match(\"%s\", \"%s\")", pattern, path);
	check_bool_at(t, __FILE__, line, what, want, aa_glob_match(pattern, path));
}

#define EXPECT_EXCLUDED(t, path, pattern, want) expect_excluded_at((t), __LINE__, (path), (pattern), (want))
static void expect_excluded_at(struct check *t, int line, const char *path, const char *pattern, bool want)
{
	const char *pats[1] = { pattern };
	char what[256];
	snprintf(what, sizeof(what), "aa_path_excluded(\"%s\", {\"%s\"})", path, pattern);
	check_bool_at(t, __FILE__, line, what, want, aa_path_excluded(path, pats, 1));
}

static void test_glob(struct check *t)
{
	/* '*' stops at '/' */
	EXPECT_GLOB(t, "src/*.py", "src/a.py", true);
	EXPECT_GLOB(t, "src/*.py", "src/a/b.py", false);
	EXPECT_GLOB(t, "src/*", "src/a/b.py", false);
	EXPECT_GLOB(t, "*", "", false);
	/* '**' crosses '/', including zero directories */
	EXPECT_GLOB(t, "src/**/*.py", "src/a/b/c.py", true);
	EXPECT_GLOB(t, "src/**/*.py", "src/c.py", true);
	EXPECT_GLOB(t, "**/gen/*.py", "gen/a.py", true);
	EXPECT_GLOB(t, "**/gen/*.py", "x/y/gen/a.py", true);
	EXPECT_GLOB(t, "**/gen/*.py", "xgen/a.py", false);
	EXPECT_GLOB(t, "**/gen/*.py", "gen/sub/a.py", false);
	EXPECT_GLOB(t, "a/**/b", "a/b", true);
	EXPECT_GLOB(t, "a/**/b", "a/x/y/b", true);
	EXPECT_GLOB(t, "a/**/b", "a/xb", false);
	EXPECT_GLOB(t, "a/**", "a/x/y", true);
	/* git's rule: `**` crosses directories only as a whole component; elsewhere it is `*` */
	EXPECT_GLOB(t, "src/**.py", "src/a/b.py", false);
	EXPECT_GLOB(t, "src/**.py", "src/b.py", true);
	EXPECT_GLOB(t, "**/*.py", "a.py", true);
	EXPECT_GLOB(t, "a/**/**/b", "a/b", true);
	EXPECT_GLOB(t, "[[:digit:]]x", "7x", true);
	/* '?' is one character, never '/' */
	EXPECT_GLOB(t, "a?c", "abc", true);
	EXPECT_GLOB(t, "a?c", "ac", false);
	EXPECT_GLOB(t, "x/a?c", "x/a/c", false);
	/* classes */
	EXPECT_GLOB(t, "[ab].py", "a.py", true);
	EXPECT_GLOB(t, "[ab].py", "c.py", false);
	EXPECT_GLOB(t, "[!ab].py", "a.py", false);
	EXPECT_GLOB(t, "[!ab].py", "c.py", true);
	EXPECT_GLOB(t, "[^ab].py", "c.py", true);
	EXPECT_GLOB(t, "[a-c]x", "bx", true);
	EXPECT_GLOB(t, "[a-c]x", "dx", false);
	EXPECT_GLOB(t, "[]]x", "]x", true);
	EXPECT_GLOB(t, "x[!a]y", "x/y", false);
	EXPECT_GLOB(t, "[ab", "[ab", true); /* unterminated: literal '[' */
	EXPECT_GLOB(t, "\\*.py", "*.py", true);
	EXPECT_GLOB(t, "\\*.py", "a.py", false);
	/* a pattern without '/' matches any single component */
	EXPECT_GLOB(t, "migrations", "app/migrations/x.py", true);
	EXPECT_GLOB(t, "migrations", "app/migrations2/x.py", false);
	EXPECT_GLOB(t, "migrations", "migrations", true);
	EXPECT_GLOB(t, "*.py", "a/b.py", true);
	EXPECT_GLOB(t, "test_*", "pkg/test_x/y.py", true);
	/* a pattern with '/' is anchored at the start */
	EXPECT_GLOB(t, "app/x.py", "src/app/x.py", false);
	/* leading "./" ignored, on either side; a trailing '/' too */
	EXPECT_GLOB(t, "./src/*.py", "src/a.py", true);
	EXPECT_GLOB(t, "src/*.py", "./src/a.py", true);
	EXPECT_GLOB(t, "./migrations", "app/migrations/x.py", true);
	EXPECT_GLOB(t, "build/", "x/build/y.py", true);
	/* no exponential backtracking */
	EXPECT_GLOB(t, "*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false);
	EXPECT_GLOB(t, "**a**a**a**a**a**a**a**b", "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", false);

	/* aa_path_excluded: also every parent directory */
	EXPECT_EXCLUDED(t, "app/migrations/x.py", "migrations", true);
	EXPECT_EXCLUDED(t, "app/sub/x.py", "app/sub", true);
	EXPECT_EXCLUDED(t, "app/sub/x.py", "app/s*", true);
	EXPECT_EXCLUDED(t, "app/sub/x.py", "app/*.py", false);
	EXPECT_EXCLUDED(t, "./app/x.py", "app", true);
	EXPECT_EXCLUDED(t, "lib/x.py", "*.pyi", false);
	EXPECT_EXCLUDED(t, "lib/x.pyi", "*.pyi", true);
	EXPECT_EXCLUDED(t, "src/gen/deep/a.py", "**/gen", true);
	const char *two[2] = { "nothing", "lib" };
	CHECK_BOOL(t, "aa_path_excluded(\"lib/x.py\", {\"nothing\", \"lib\"})", true,
		   aa_path_excluded("lib/x.py", two, 2));
	CHECK_BOOL(t, "aa_path_excluded with no patterns", false, aa_path_excluded("lib/x.py", NULL, 0));
}

/* ---- walk ------------------------------------------------------------------------- */

static void must(int rc, const char *what, const char *path)
{
	if (rc != 0) {
		fprintf(stderr, "discover_test: setup: %s %s: %s\n", what, path, strerror(errno));
		exit(2);
	}
}

static void put_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		must(-1, "create", path);
	if (write(fd, "x = 1\n", 6) != 6)
		must(-1, "write", path);
	must(close(fd), "close", path);
}

static void put_dir(const char *path)
{
	must(mkdir(path, 0755), "mkdir", path);
}

static void put_link(const char *target, const char *path)
{
	must(symlink(target, path), "symlink", path);
}

static void build_tree(void)
{
	put_dir("src");
	put_dir("src/app");
	put_file("src/app/a.py");
	put_file("src/app/b.pyi");
	put_file("src/app/readme.txt");
	put_file("src/app/script");
	put_dir("src/app/sub");
	put_dir("src/app/sub/deep");
	put_file("src/app/sub/deep/c.py");
	put_dir("src/app/migrations");
	put_file("src/app/migrations/m.py");
	put_dir("src/gen");
	put_file("src/gen/g.py");
	static const char *const noise[] = {
		".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__",
		"node_modules", "build", "dist", "foo.egg-info", "site-packages",
	};
	char path[256];
	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
		snprintf(path, sizeof(path), "src/%s", noise[i]);
		put_dir(path);
		snprintf(path, sizeof(path), "src/%s/x.py", noise[i]);
		put_file(path);
	}
	put_dir("src/myenv");
	put_file("src/myenv/pyvenv.cfg");
	put_file("src/myenv/x.py");
	put_dir("src/myenv/lib");
	put_dir("src/myenv/lib/site-packages");
	put_file("src/myenv/lib/site-packages/y.py");
	put_file("src/myenv/lib/z.py");
	/* loops: a directory link to its parent, one to itself, and two file links that
	 * point at each other */
	put_link("..", "src/app/up");
	put_link(".", "src/app/self");
	put_link("ping.py", "src/app/pong.py");
	put_link("pong.py", "src/app/ping.py");
	put_link("missing.py", "src/app/dangling.py");
	put_link("missing.txt", "src/app/dangling.txt");
	put_link("a.py", "src/app/link.py");	  /* duplicate of a.py */
	put_link("app/a.py", "src/0first.py");	  /* duplicate sorting before the real one */
	put_link("app", "src/a_link");		  /* a second way into app */
	put_link("../external", "src/ext");	  /* out of src: not followed from src */
	put_link("../external", "src/node_modules/ext"); /* unreached: parent is noise */
	put_dir("external");
	put_file("external/e.py");
}

struct want {
	const char *path;
	const char *unreadable; /* NULL for a file to read */
};

#define DANGLING "dangling symbolic link: its target does not exist"
#define LOOP "symbolic link loop: too many levels of symbolic links"

static bool same_reason(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void expect_files(struct check *t, int line, const char *label, const struct aa_discovery *d,
			 const struct want *want, size_t n_want)
{
	bool bad = d->len != n_want;
	for (size_t i = 0; !bad && i < n_want; i++)
		bad = strcmp(d->files[i].path, want[i].path) != 0 ||
		      !same_reason(d->files[i].unreadable, want[i].unreadable);
	if (!check_true_at(t, __FILE__, line, !bad, "the file list", "%s: the file lists differ", label)) {
		check_note(t, "  expected (%zu):", n_want);
		for (size_t i = 0; i < n_want; i++)
			check_note(t, "    %s%s%s", want[i].path, want[i].unreadable ? ": " : "",
				   want[i].unreadable ? want[i].unreadable : "");
		check_note(t, "  got (%zu):", d->len);
		for (size_t i = 0; i < d->len; i++)
			check_note(t, "    %s%s%s", d->files[i].path, d->files[i].unreadable ? ": " : "",
				   d->files[i].unreadable ? d->files[i].unreadable : "");
	}
}

static void expect_errors(struct check *t, int line, const char *label, const struct aa_discovery *d,
			  const char *const *want, size_t n_want)
{
	bool bad = d->n_errors != n_want;
	for (size_t i = 0; !bad && i < n_want; i++)
		bad = strcmp(d->errors[i], want[i]) != 0;
	if (!check_true_at(t, __FILE__, line, !bad, "the errors", "%s: the errors differ", label)) {
		for (size_t i = 0; i < n_want; i++)
			check_note(t, "  expected: %s", want[i]);
		for (size_t i = 0; i < d->n_errors; i++)
			check_note(t, "  got:      %s", d->errors[i]);
	}
}

static void expect_sorted(struct check *t, int line, const char *label, const struct aa_discovery *d)
{
	for (size_t i = 1; i < d->len; i++)
		check_true_at(t, __FILE__, line, strcmp(d->files[i - 1].path, d->files[i].path) < 0, "sorted, unique",
			      "%s: at %zu: \"%s\" then \"%s\"", label, i, d->files[i - 1].path, d->files[i].path);
	for (size_t i = 0; i < d->len; i++)
		check_true_at(t, __FILE__, line,
			      !strstr(d->files[i].path, "//") && strncmp(d->files[i].path, "./", 2) != 0,
			      "a well-formed path", "%s: \"%s\"", label, d->files[i].path);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs discovery and checks the files and errors (failures name the caller's line). */
#define CHECK_WALK(t, ...) check_walk_at((t), __LINE__, __VA_ARGS__)
static void check_walk_at(struct check *t, int line, const char *label, const char *const *paths, size_t n_paths,
			  const char *const *ex, size_t n_ex, const struct want *want, size_t n_want,
			  const char *const *errs, size_t n_errs)
{
	struct aa_discovery d;
	aa_discover(paths, n_paths, ex, n_ex, &d);
	expect_files(t, line, label, &d, want, n_want);
	expect_errors(t, line, label, &d, errs, n_errs);
	expect_sorted(t, line, label, &d);
	aa_discovery_release(&d);
}

static const struct want src_all[] = {
	{ "src/app/a.py", NULL },
	{ "src/app/b.pyi", NULL },
	{ "src/app/dangling.py", DANGLING },
	{ "src/app/migrations/m.py", NULL },
	{ "src/app/ping.py", LOOP },
	{ "src/app/pong.py", LOOP },
	{ "src/app/sub/deep/c.py", NULL },
	{ "src/gen/g.py", NULL },
};

/* Drops (on = false) or restores the capabilities that let root read any directory
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) in the effective set only, so that they can
 * come back. Returns 0, or -1 when the system call fails. */
static int dac_capabilities(bool on)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	uint32_t bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
	if (on)
		data[0].effective |= bits & data[0].permitted;
	else
		data[0].effective &= ~bits;
	return syscall(SYS_capset, &hdr, data) == 0 ? 0 : -1;
}

static void test_walk(struct check *t, const char *root)
{
	static const char *const no_errs[1] = { NULL };

	const char *src[] = { "src" };
	CHECK_WALK(t, "src", src, 1, NULL, 0, src_all, N(src_all), no_errs, 0);
	const char *dot_src[] = { "./src" };
	CHECK_WALK(t, "./src", dot_src, 1, NULL, 0, src_all, N(src_all), no_errs, 0);
	const char *src_slash[] = { "src//" };
	CHECK_WALK(t, "src//", src_slash, 1, NULL, 0, src_all, N(src_all), no_errs, 0);
	const char *twice[] = { "src", "./src/", "src/app" };
	CHECK_WALK(t, "same path twice", twice, N(twice), NULL, 0, src_all, N(src_all), no_errs, 0);

	/* "." keeps no prefix; external/ is reached directly, so not again via src/ext */
	static const struct want dot_all[] = {
		{ "external/e.py", NULL },
		{ "src/app/a.py", NULL },
		{ "src/app/b.pyi", NULL },
		{ "src/app/dangling.py", DANGLING },
		{ "src/app/migrations/m.py", NULL },
		{ "src/app/ping.py", LOOP },
		{ "src/app/pong.py", LOOP },
		{ "src/app/sub/deep/c.py", NULL },
		{ "src/gen/g.py", NULL },
	};
	const char *dot[] = { "." };
	CHECK_WALK(t, ".", dot, 1, NULL, 0, dot_all, N(dot_all), no_errs, 0);

	/* a deeper "." */
	must(chdir("src/app"), "chdir", "src/app");
	static const struct want app_dot[] = {
		{ "a.py", NULL },
		{ "b.pyi", NULL },
		{ "dangling.py", DANGLING },
		{ "migrations/m.py", NULL },
		{ "ping.py", LOOP },
		{ "pong.py", LOOP },
		{ "sub/deep/c.py", NULL },
		/* "up" leads out of "." to src: not followed */
	};
	CHECK_WALK(t, ". in src/app", dot, 1, NULL, 0, app_dot, N(app_dot), no_errs, 0);
	const char *dotdot[] = { "../gen" };
	static const struct want up_gen[] = { { "../gen/g.py", NULL } };
	CHECK_WALK(t, "../gen", dotdot, 1, NULL, 0, up_gen, N(up_gen), no_errs, 0);
	must(chdir(root), "chdir", root);

	/* absolute paths stay absolute, without "//" */
	char abs1[PATH_MAX], abs2[PATH_MAX], want_abs[PATH_MAX];
	snprintf(abs1, sizeof(abs1), "%s/src/app/sub", root);
	snprintf(abs2, sizeof(abs2), "%s/src/app/sub/", root);
	snprintf(want_abs, sizeof(want_abs), "%s/src/app/sub/deep/c.py", root);
	const struct want abs_want[] = { { want_abs, NULL } };
	const char *abs_a[] = { abs1 };
	CHECK_WALK(t, "absolute", abs_a, 1, NULL, 0, abs_want, 1, no_errs, 0);
	const char *abs_b[] = { abs2, "src/app/sub/deep/c.py" };
	CHECK_WALK(t, "absolute with '/' + relative duplicate", abs_b, 2, NULL, 0, abs_want, 1, no_errs, 0);
	/* an absolute path under the current directory honours relative excludes */
	const char *deep_ex[] = { "src/app/sub/deep" };
	CHECK_WALK(t, "absolute, relative exclude", abs_a, 1, deep_ex, 1, NULL, 0, no_errs, 0);

	/* excludes while walking */
	static const struct want no_mig[] = {
		{ "src/app/a.py", NULL },
		{ "src/app/b.pyi", NULL },
		{ "src/app/dangling.py", DANGLING },
		{ "src/app/ping.py", LOOP },
		{ "src/app/pong.py", LOOP },
		{ "src/app/sub/deep/c.py", NULL },
		{ "src/gen/g.py", NULL },
	};
	const char *mig[] = { "migrations" };
	CHECK_WALK(t, "exclude migrations", src, 1, mig, 1, no_mig, N(no_mig), no_errs, 0);
	static const struct want few[] = {
		{ "src/app/a.py", NULL },
		{ "src/app/migrations/m.py", NULL },
	};
	const char *several[] = { "**/deep/*.py", "./src/app/*.pyi", "src/gen/", "*ng.py" };
	CHECK_WALK(t, "exclude several", src, 1, several, N(several), few, N(few), no_errs, 0);
	/* From ".", src/ext leads inside the root: followed, and the only way to external/
	 * once that is excluded; excluded by its own name, it is not followed either. */
	const char *external_ex[] = { "external" };
	static const struct want via_ext[] = {
		{ "src/app/a.py", NULL },
		{ "src/app/b.pyi", NULL },
		{ "src/app/dangling.py", DANGLING },
		{ "src/app/migrations/m.py", NULL },
		{ "src/app/ping.py", LOOP },
		{ "src/app/pong.py", LOOP },
		{ "src/app/sub/deep/c.py", NULL },
		{ "src/ext/e.py", NULL },
		{ "src/gen/g.py", NULL },
	};
	CHECK_WALK(t, "a directory link inside the root", dot, 1, external_ex, 1, via_ext, N(via_ext), no_errs, 0);
	const char *ext_ex[] = { "external", "ext" };
	static const struct want no_ext[] = {
		{ "src/app/a.py", NULL },
		{ "src/app/b.pyi", NULL },
		{ "src/app/dangling.py", DANGLING },
		{ "src/app/migrations/m.py", NULL },
		{ "src/app/ping.py", LOOP },
		{ "src/app/pong.py", LOOP },
		{ "src/app/sub/deep/c.py", NULL },
		{ "src/gen/g.py", NULL },
	};
	CHECK_WALK(t, "exclude a directory link by name", dot, 1, ext_ex, 2, no_ext, N(no_ext), no_errs, 0);
	char abs_pat[PATH_MAX];
	snprintf(abs_pat, sizeof(abs_pat), "%s/src/gen", root);
	const char *abs_ex[] = { abs_pat };
	CHECK_WALK(t, "absolute exclude pattern", src, 1, abs_ex, 1, src_all, N(src_all) - 1, no_errs, 0);

	/* noise directories named on the command line are walked; their noise children not */
	const char *nm[] = { "src/node_modules" };
	static const struct want nm_want[] = { { "src/node_modules/x.py", NULL } };
	CHECK_WALK(t, "explicit node_modules", nm, 1, NULL, 0, nm_want, N(nm_want), no_errs, 0);
	const char *git[] = { "src/.git" };
	static const struct want git_want[] = { { "src/.git/x.py", NULL } };
	CHECK_WALK(t, "explicit .git", git, 1, NULL, 0, git_want, N(git_want), no_errs, 0);
	const char *egg[] = { "src/foo.egg-info/" };
	static const struct want egg_want[] = { { "src/foo.egg-info/x.py", NULL } };
	CHECK_WALK(t, "explicit egg-info", egg, 1, NULL, 0, egg_want, N(egg_want), no_errs, 0);
	const char *venv[] = { "src/myenv" };
	static const struct want venv_want[] = {
		{ "src/myenv/lib/z.py", NULL },
		{ "src/myenv/x.py", NULL },
	};
	CHECK_WALK(t, "explicit virtualenv", venv, 1, NULL, 0, venv_want, N(venv_want), no_errs, 0);
	/* walked as part of src first (and skipped there), then named explicitly */
	const char *src_venv[] = { "src", "src/myenv" };
	static const struct want src_venv_want[] = {
		{ "src/app/a.py", NULL },
		{ "src/app/b.pyi", NULL },
		{ "src/app/dangling.py", DANGLING },
		{ "src/app/migrations/m.py", NULL },
		{ "src/app/ping.py", LOOP },
		{ "src/app/pong.py", LOOP },
		{ "src/app/sub/deep/c.py", NULL },
		{ "src/gen/g.py", NULL },
		{ "src/myenv/lib/z.py", NULL },
		{ "src/myenv/x.py", NULL },
	};
	CHECK_WALK(t, "src then explicit virtualenv", src_venv, 2, NULL, 0, src_venv_want, N(src_venv_want), no_errs,
		   0);
	/* but --exclude filters even explicit paths */
	const char *nm_ex[] = { "node_modules" };
	CHECK_WALK(t, "explicit node_modules excluded", nm, 1, nm_ex, 1, NULL, 0, no_errs, 0);

	/* explicit files */
	const char *one_mig[] = { "src/app/migrations/m.py" };
	CHECK_WALK(t, "explicit file excluded by component", one_mig, 1, mig, 1, NULL, 0, no_errs, 0);
	const char *star_py[] = { "*.py" };
	const char *one_a[] = { "./src/app/a.py" };
	CHECK_WALK(t, "explicit file excluded by *.py", one_a, 1, star_py, 1, NULL, 0, no_errs, 0);
	static const struct want a_want[] = { { "src/app/a.py", NULL } };
	CHECK_WALK(t, "explicit file", one_a, 1, NULL, 0, a_want, 1, no_errs, 0);
	/* the real name wins over links, whatever the order */
	const char *dup_files[] = { "src/0first.py", "src/app/link.py", "./src/app/a.py",
				    "src/app/a.py" };
	CHECK_WALK(t, "one file four ways", dup_files, N(dup_files), NULL, 0, a_want, 1, no_errs, 0);
	const char *two_links[] = { "src/app/link.py", "src/0first.py" };
	static const struct want first_link[] = { { "src/0first.py", NULL } };
	CHECK_WALK(t, "one file, two links", two_links, 2, NULL, 0, first_link, 1, no_errs, 0);
	const char *txt[] = { "src/app/readme.txt", "src/app/script" };
	static const struct want txt_want[] = {
		{ "src/app/readme.txt", NULL },
		{ "src/app/script", NULL },
	};
	CHECK_WALK(t, "explicit non-Python files", txt, N(txt), NULL, 0, txt_want, N(txt_want), no_errs, 0);
	const char *dang[] = { "src/app/dangling.py" };
	static const struct want dang_want[] = { { "src/app/dangling.py", DANGLING } };
	CHECK_WALK(t, "explicit dangling link", dang, 1, NULL, 0, dang_want, 1, no_errs, 0);
	const char *via_link[] = { "src/a_link" };
	static const struct want via_link_want[] = {
		{ "src/a_link/a.py", NULL },
		{ "src/a_link/b.pyi", NULL },
		{ "src/a_link/dangling.py", DANGLING },
		{ "src/a_link/migrations/m.py", NULL },
		{ "src/a_link/ping.py", LOOP },
		{ "src/a_link/pong.py", LOOP },
		{ "src/a_link/sub/deep/c.py", NULL },
		/* its "up" leads to src, out of the root (src/app once resolved) */
	};
	CHECK_WALK(t, "explicit directory link", via_link, 1, NULL, 0, via_link_want, N(via_link_want), no_errs, 0);

	/* missing paths */
	const char *missing[] = { "nope", "src/app/a.py", "src/app/a.py/x", "" };
	static const char *const missing_errs[] = {
		"path 'nope' does not exist",
		"path 'src/app/a.py/x' does not exist",
		"path '' does not exist",
	};
	CHECK_WALK(t, "missing paths", missing, N(missing), NULL, 0, a_want, 1, missing_errs, N(missing_errs));

	/* determinism: two runs, same answer */
	struct aa_discovery d1, d2;
	aa_discover(dot, 1, NULL, 0, &d1);
	aa_discover(dot, 1, NULL, 0, &d2);
	bool same = d1.len == d2.len;
	for (size_t i = 0; same && i < d1.len; i++)
		same = strcmp(d1.files[i].path, d2.files[i].path) == 0;
	CHECK(t, same, "two runs over \".\" differ");
	aa_discovery_release(&d1);
	aa_discovery_release(&d2);

	/* An unreadable sub-directory is listed with the reason (an AA002); named on the
	 * command line, it is an error. Root reads a mode-000 directory anyway: without the
	 * capabilities that let it. */
	put_dir("locked");
	put_file("locked/l.py");
	must(chmod("locked", 0), "chmod", "locked");
	bool dropped = dac_capabilities(false) == 0;
	/* Not access(2): for root it asks the permitted capabilities, not the effective. */
	int probe = open("locked", O_RDONLY | O_DIRECTORY);
	if (probe >= 0)
		close(probe);
	if (probe < 0) {
		static const struct want locked_want[] = {
			{ "external/e.py", NULL },
			{ "locked", "cannot read directory: Permission denied" },
			{ "src/app/a.py", NULL },
			{ "src/app/b.pyi", NULL },
			{ "src/app/dangling.py", DANGLING },
			{ "src/app/migrations/m.py", NULL },
			{ "src/app/ping.py", LOOP },
			{ "src/app/pong.py", LOOP },
			{ "src/app/sub/deep/c.py", NULL },
			{ "src/gen/g.py", NULL },
		};
		CHECK_WALK(t, "unreadable directory", dot, 1, NULL, 0, locked_want, N(locked_want), no_errs, 0);
		struct aa_discovery d;
		aa_discover(dot, 1, NULL, 0, &d);
		CHECK_BOOL(t, "an unreadable directory is marked a directory", true, d.len > 1 && d.files[1].directory);
		aa_discovery_release(&d);
		const char *locked[] = { "locked" };
		static const char *const locked_errs[] = { "cannot read directory 'locked': Permission denied" };
		CHECK_WALK(t, "explicit unreadable directory", locked, 1, NULL, 0, NULL, 0, locked_errs, 1);
		/* Met while walking first, then named: still the error. */
		const char *dot_locked[] = { ".", "locked" };
		CHECK_WALK(t, "unreadable directory walked, then named", dot_locked, 2, NULL, 0, locked_want,
			   N(locked_want), locked_errs, 1);
	} else {
		printf("note: mode-000 directories are readable here: check skipped\n");
	}
	if (dropped)
		dac_capabilities(true);
	must(chmod("locked", 0755), "chmod", "locked");
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

int main(void)
{
	struct check t = CHECK_INIT("discover_test");
	test_glob(&t);

	char root[] = "/tmp/aa_discover_test.XXXXXX";
	if (!mkdtemp(root)) {
		fprintf(stderr, "discover_test: mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	char *cwd = getcwd(NULL, 0);
	must(chdir(root), "chdir", root);
	build_tree();
	test_walk(&t, root);
	if (cwd)
		must(chdir(cwd), "chdir", cwd);
	free(cwd);
	if (nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "warning: could not remove %s\n", root);
	return check_done(&t);
}
