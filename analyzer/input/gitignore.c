#include "analyzer/input/gitignore.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <git2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

struct aa_gitignore {
	git_repository *repo;
	char *workdir; /* owned; real path, no trailing '/' */
	size_t workdir_len;
	struct aa_buf rel; /* scratch: the path relative to the work tree */
};

/* Whether dir or a directory above it holds a `.git` (a directory, or a file: a linked
 * work tree or a submodule): a few stats, where git_libgit2_init alone costs 10 to 150
 * ms (libgit2 1.5 with mbedTLS parses the system's CA bundle when it starts). */
static bool in_work_tree(const char *dir)
{
	struct aa_buf probe = AA_BUF_INIT;
	aa_buf_adds(&probe, dir);
	bool found = false;
	for (;;) {
		size_t len = probe.len;
		aa_buf_adds(&probe, len == 1 ? ".git" : "/.git");
		struct stat st;
		found = stat(probe.data, &st) == 0;
		aa_buf_setlen(&probe, len);
		char *slash = strrchr(probe.data, '/');
		if (found || !slash || len <= 1)
			break;
		aa_buf_setlen(&probe, slash == probe.data ? 1 : (size_t)(slash - probe.data));
	}
	aa_buf_release(&probe);
	return found;
}

struct aa_gitignore *aa_gitignore_open(const char *dir)
{
	if (!in_work_tree(dir))
		return NULL;
	/* libgit2 counts its initialisations: each open is paired with a shutdown. */
	if (git_libgit2_init() < 0)
		return NULL;
	git_repository *repo = NULL;
	if (git_repository_open_ext(&repo, dir, 0, NULL) != 0 || git_repository_is_bare(repo)) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return NULL;
	}
	char *real = realpath(git_repository_workdir(repo), NULL);
	if (!real) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return NULL;
	}
	struct aa_gitignore *g = aa_xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->workdir = real;
	g->workdir_len = strlen(real);
	if (g->workdir_len == 1) /* "/" */
		g->workdir_len = 0;
	aa_buf_init(&g->rel);
	return g;
}

bool aa_gitignore_ignored(struct aa_gitignore *g, const char *abs, bool is_dir)
{
	if (strncmp(abs, g->workdir, g->workdir_len) || abs[g->workdir_len] != '/' || !abs[g->workdir_len + 1])
		return false;
	aa_buf_reset(&g->rel);
	aa_buf_adds(&g->rel, abs + g->workdir_len + 1);
	/* A trailing '/' tells libgit2 it is a directory (dir-only patterns: `build/`)
	 * without a stat. */
	if (is_dir)
		aa_buf_addc(&g->rel, '/');
	int ignored = 0;
	if (git_ignore_path_is_ignored(&ignored, g->repo, g->rel.data) != 0)
		return false;
	return ignored == 1;
}

void aa_gitignore_free(struct aa_gitignore *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->workdir);
	aa_buf_release(&g->rel);
	free(g);
	git_libgit2_shutdown();
}
