#include "analyzer/input/discover.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/input/gitignore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* ---- glob ------------------------------------------------------------------------- */

/*
 * Built on fnmatch(3): each '/'-separated component of a pattern is matched against one
 * component of the path by fnmatch (flags 0: `*`, `?`, `[...]` with `!`/`^`, ranges and
 * POSIX classes, backslash escapes, exactly as the shell and git do within a name), and
 * a component that is exactly `**` matches any number of path components, zero
 * included, as in .gitignore (git's own rule: any other run of stars is a plain `*`).
 * The components are matched by dynamic programming over (pattern component, path
 * component) pairs, so "**" never backtracks exponentially; libgit2's matcher is not
 * public API, and fnmatch is the libc's. A pattern without '/' is matched against single
 * components, as before.
 */
struct glob {
	char *text;     /* owned; normalized pattern: no leading "./", no trailing '/' */
	char **comps;   /* owned array of n pointers into text (whose '/'s became NULs) */
	size_t n;
	bool has_slash; /* else it is matched against single path components */
	bool literal;	/* no wildcard: plain comparison */
	char *whole;    /* owned; the pattern as one string (for single components) */
};

static const char *skip_dot_slash(const char *s)
{
	while (s[0] == '.' && s[1] == '/') {
		s += 2;
		while (*s == '/')
			s++;
	}
	return s;
}

static void glob_compile(struct glob *g, const char *pattern)
{
	const char *p = skip_dot_slash(pattern);
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		len--;
	g->whole = aa_xstrndup(p, len);
	g->text = aa_xstrndup(p, len);
	g->has_slash = strchr(g->text, '/') != NULL;
	g->literal = strpbrk(g->text, "*?[\\") == NULL;
	g->comps = NULL;
	g->n = 0;
	size_t cap = 0;
	for (char *c = g->text;;) {
		char *slash = strchr(c, '/');
		if (slash)
			*slash = '\0';
		AA_GROW(g->comps, cap, g->n + 1);
		g->comps[g->n++] = c;
		if (!slash)
			break;
		c = slash + 1;
	}
}

static void glob_release(struct glob *g)
{
	free(g->comps);
	free(g->text);
	free(g->whole);
}

/* Does the whole path s[0..len) (components separated by '/') match g? */
static bool glob_run(const struct glob *g, const char *s, size_t len)
{
	if (g->literal)
		return strlen(g->whole) == len && memcmp(g->whole, s, len) == 0;
	if (!g->has_slash) {
		char *one = aa_xstrndup(s, len);
		bool ok = !memchr(s, '/', len) && fnmatch(g->whole, one, 0) == 0;
		free(one);
		return ok;
	}
	/* The path's components, NUL-terminated in a copy. */
	char *copy = aa_xstrndup(s, len);
	size_t m = 1;
	for (size_t i = 0; i < len; i++)
		m += copy[i] == '/';
	char **pc = aa_xmalloc(m * sizeof(*pc));
	pc[0] = copy;
	for (size_t i = 0, k = 1; i < len; i++)
		if (copy[i] == '/') {
			copy[i] = '\0';
			pc[k++] = copy + i + 1;
		}
	/* ok[j]: pattern components i.. match path components j.., for the current i
	 * (computed from the last pattern component back). */
	size_t n = g->n;
	bool *ok = aa_xcalloc(m + 1, sizeof(bool)), *next = aa_xcalloc(m + 1, sizeof(bool));
	next[m] = true; /* the empty pattern matches the empty rest */
	for (size_t i = n; i-- > 0;) {
		bool dstar = !strcmp(g->comps[i], "**");
		ok[m] = dstar && next[m];
		for (size_t j = m; j-- > 0;)
			ok[j] = dstar ? next[j] || ok[j + 1] : next[j + 1] && fnmatch(g->comps[i], pc[j], 0) == 0;
		bool *t = next;
		next = ok;
		ok = t;
	}
	bool hit = next[0];
	free(ok);
	free(next);
	free(pc);
	free(copy);
	return hit;
}

/* A pattern without '/' against each component, else against the whole path. */
static bool glob_match_path(const struct glob *g, const char *path)
{
	if (g->has_slash)
		return glob_run(g, path, strlen(path));
	for (const char *s = path;;) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && glob_run(g, s, len))
			return true;
		if (!e)
			return false;
		s = e + 1;
	}
}

/* Only the path itself, its parents being checked already: a component pattern needs
 * only the last component. */
static bool excluded_self(const struct glob *gs, size_t n, const char *path, size_t len)
{
	const char *base = path + len;
	while (base > path && base[-1] != '/')
		base--;
	size_t blen = (size_t)(path + len - base);
	for (size_t i = 0; i < n; i++) {
		if (gs[i].has_slash ? glob_run(&gs[i], path, len) : glob_run(&gs[i], base, blen))
			return true;
	}
	return false;
}

static bool excluded_full(const struct glob *gs, size_t n, const char *path)
{
	if (!n)
		return false;
	size_t len = strlen(path);
	for (size_t i = 1; i <= len; i++) {
		if ((i == len || path[i] == '/') && path[i - 1] != '/' &&
		    excluded_self(gs, n, path, i))
			return true;
	}
	return false;
}

bool aa_glob_match(const char *pattern, const char *path)
{
	struct glob g;
	glob_compile(&g, pattern);
	bool ok = glob_match_path(&g, skip_dot_slash(path));
	glob_release(&g);
	return ok;
}

bool aa_path_excluded(const char *path, const char *const *excludes, size_t n_excludes)
{
	struct glob *gs = aa_xcalloc(n_excludes, sizeof(*gs));
	for (size_t i = 0; i < n_excludes; i++)
		glob_compile(&gs[i], excludes[i]);
	bool ok = excluded_full(gs, n_excludes, skip_dot_slash(path));
	for (size_t i = 0; i < n_excludes; i++)
		glob_release(&gs[i]);
	free(gs);
	return ok;
}

/* ---- walk ------------------------------------------------------------------------- */

struct fid {
	dev_t dev;
	ino_t ino;
};

struct idset {
	struct fid *slots;
	unsigned char *used;
	size_t cap, len;
};

struct cand {
	char *path;
	struct fid id;
	bool has_id, is_link;
	char *unreadable; /* owned; NULL, or why the entry cannot be read */
	bool directory;
};

enum id_source {
	ID_NONE,   /* unknown: fstat the directory */
	ID_STAT,   /* from stat(): exact */
	ID_DIRENT, /* parent's device + d_ino: exact unless a mount point, checked with "." */
};

struct pending {
	char *path; /* display path; "" is the current directory */
	struct fid id;
	unsigned char id_source;
	bool explicit;
	size_t root; /* the command-line root it was met under (index into walker.roots) */
};

struct entry {
	size_t name; /* offset in walker.names */
	ino_t ino;
	unsigned char type;
};

struct fs_trust {
	dev_t dev;
	bool trusted;
};

struct walker {
	struct glob *ex;
	size_t n_ex;
	char *cwd; /* NULL when unknown */
	size_t cwd_len;
	struct idset dirs;
	struct idset bad_dirs; /* directories met while walking that could not be read */
	struct cand *cands;
	size_t n_cands, cands_cap;
	struct pending *stack;
	size_t n_stack, stack_cap;
	struct pending *deferred; /* symlinked directories, walked after the real ones */
	size_t n_deferred, deferred_cap;
	char *names;
	size_t names_len, names_cap;
	struct entry *ents;
	size_t n_ents, ents_cap;
	char *dents; /* getdents64 buffer */
	struct fs_trust *fs;
	size_t n_fs, fs_cap;
	/* owned; per command-line directory root, its resolved path (realpath), or NULL when
	 * it cannot be resolved (then no directory link under it is followed) */
	char **roots;
	size_t n_roots, roots_cap;
	/* owned; per command-line directory root, its git work tree's ignore rules, or NULL
	 * (outside any work tree, or not asked: opts->respect_gitignore is false) */
	struct aa_gitignore **git;
	size_t *root_len; /* owned; per root, the length of its display path */
	const struct aa_discover_opts *opts; /* borrowed; NULL for none */
	struct aa_buf abs; /* scratch: an entry's absolute path, for git */
	struct aa_discovery *out;
};

static size_t fid_hash(struct fid id)
{
	uint64_t h = (uint64_t)id.ino * 0x9E3779B97F4A7C15ull;
	h ^= (uint64_t)id.dev * 0xC2B2AE3D27D4EB4Full;
	return (size_t)(h ^ (h >> 29));
}

static bool idset_has(const struct idset *s, struct fid id)
{
	if (!s->cap)
		return false;
	for (size_t i = fid_hash(id) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1)) {
		if (s->slots[i].dev == id.dev && s->slots[i].ino == id.ino)
			return true;
	}
	return false;
}

static void idset_insert(struct idset *s, struct fid id)
{
	size_t i = fid_hash(id) & (s->cap - 1);
	while (s->used[i])
		i = (i + 1) & (s->cap - 1);
	s->used[i] = 1;
	s->slots[i] = id;
	s->len++;
}

static void idset_put(struct idset *s, struct fid id)
{
	if (2 * (s->len + 1) > s->cap) {
		struct idset bigger = { NULL, NULL, s->cap ? 2 * s->cap : 256, 0 };
		bigger.slots = aa_xmalloc(bigger.cap * sizeof(*bigger.slots));
		bigger.used = aa_xcalloc(bigger.cap, 1);
		for (size_t i = 0; i < s->cap; i++)
			if (s->used[i])
				idset_insert(&bigger, s->slots[i]);
		free(s->slots);
		free(s->used);
		*s = bigger;
	}
	idset_insert(s, id);
}

static bool is_python_name(const char *name)
{
	size_t len = strlen(name);
	return (len >= 3 && memcmp(name + len - 3, ".py", 3) == 0) ||
	       (len >= 4 && memcmp(name + len - 4, ".pyi", 4) == 0);
}

static bool is_noise_name(const char *name)
{
	static const char *const noise[] = {
		".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__",
		"node_modules", "build", "dist", "site-packages",
	};
	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++)
		if (strcmp(name, noise[i]) == 0)
			return true;
	size_t len = strlen(name);
	return len > 9 && memcmp(name + len - 9, ".egg-info", 9) == 0;
}

/* The form excludes are matched against: relative to the current directory when the
 * path lies under it, else the path as given. */
static const char *rel_form(const struct walker *w, const char *path)
{
	if (path[0] != '/' || !w->cwd)
		return path;
	if (w->cwd_len == 1)
		return path + 1;
	if (strncmp(path, w->cwd, w->cwd_len) != 0)
		return path;
	if (path[w->cwd_len] == '/')
		return path + w->cwd_len + 1;
	if (path[w->cwd_len] == '\0')
		return path + w->cwd_len;
	return path;
}

/* Whether git ignores the entry at path (met while walking under root). */
static bool git_ignored(struct walker *w, const char *path, bool is_dir, size_t root)
{
	struct aa_gitignore *g = w->git ? w->git[root] : NULL;
	if (!g)
		return false;
	size_t rl = w->root_len[root];
	aa_buf_reset(&w->abs);
	aa_buf_adds(&w->abs, w->roots[root]);
	aa_buf_addc(&w->abs, '/');
	aa_buf_adds(&w->abs, path + rl + (rl ? 1 : 0));
	return aa_gitignore_ignored(g, w->abs.data, is_dir);
}

/* An entry met while walking under root: the excludes, the caller's filter, git. */
static bool child_excluded(struct walker *w, const char *path, bool is_dir, size_t root)
{
	if (w->n_ex) {
		const char *rel = rel_form(w, path);
		if (excluded_self(w->ex, w->n_ex, rel, strlen(rel)))
			return true;
	}
	if (w->opts && w->opts->skip && w->opts->skip(w->opts->ud, path, is_dir))
		return true;
	return git_ignored(w, path, is_dir, root);
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool sep = dl && dir[dl - 1] != '/';
	char *p = aa_xmalloc(dl + sep + nl + 1);
	memcpy(p, dir, dl);
	if (sep)
		p[dl] = '/';
	memcpy(p + dl + sep, name, nl + 1);
	return p;
}

/* Drops "." and empty components so that "./src//app/" displays as "src/app"; ".." is
 * kept because dropping it would change the meaning after a symlink. */
static char *normalize(const char *arg)
{
	size_t len = strlen(arg);
	char *out = aa_xmalloc(len + 2);
	size_t o = 0;
	if (arg[0] == '/')
		out[o++] = '/';
	for (const char *s = arg; *s;) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t cl = (size_t)(e - s);
		if (cl && !(cl == 1 && s[0] == '.')) {
			if (o && out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, s, cl);
			o += cl;
		}
		s = e;
	}
	out[o] = '\0';
	return out;
}

static void add_error(struct aa_discovery *d, char *msg)
{
	AA_GROW(d->errors, d->errors_cap, d->n_errors + 1);
	d->errors[d->n_errors++] = msg;
}

/* Takes path and unreadable (NULL for a file to read). */
static void add_cand(struct walker *w, char *path, const struct stat *st, bool is_link,
		     char *unreadable)
{
	AA_GROW(w->cands, w->cands_cap, w->n_cands + 1);
	struct cand *c = &w->cands[w->n_cands++];
	c->path = path;
	c->has_id = st != NULL;
	c->id.dev = st ? st->st_dev : 0;
	c->id.ino = st ? st->st_ino : 0;
	c->is_link = is_link;
	c->unreadable = unreadable;
	c->directory = false;
}

/* Why a symbolic link that stat() cannot follow (errnum) cannot be read. */
static char *link_problem(int errnum)
{
	if (errnum == ENOENT || errnum == ENOTDIR)
		return aa_xstrdup("dangling symbolic link: its target does not exist");
	/* Not "dangling": the target may well exist, the links lead round in a circle. */
	if (errnum == ELOOP)
		return aa_xstrdup("symbolic link loop: too many levels of symbolic links");
	return aa_xasprintf("cannot follow symbolic link: %s", strerror(errnum));
}

static void push(struct pending **v, size_t *n, size_t *cap, char *path, bool explicit,
		 const struct fid *id, enum id_source src, size_t root)
{
	AA_GROW(*v, *cap, *n + 1);
	struct pending *p = &(*v)[*n];
	p->path = path;
	p->explicit = explicit;
	p->id_source = (unsigned char)src;
	p->id.dev = id ? id->dev : 0;
	p->id.ino = id ? id->ino : 0;
	p->root = root;
	(*n)++;
}

/* Whether the directory that the link at path leads to lies inside root (a resolved
 * path, or NULL), once every link on the way is resolved. */
static bool inside_root(const char *root, const char *path)
{
	if (!root)
		return false;
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	size_t n = strlen(root);
	bool inside = !strncmp(real, root, n) && (n == 1 || real[n] == '\0' || real[n] == '/');
	free(real);
	return inside;
}

enum { DENTS_SIZE = 32768 };

/* Reads the whole directory first: a pyvenv.cfg anywhere in it discards it all.
 * getdents64 rather than readdir: fdopendir costs three more system calls per
 * directory. Returns false when the directory cannot be read; *dot is the inode of ".". */
static bool read_entries(struct walker *w, int fd, bool *venv, ino_t *dot, bool *have_dot, unsigned *found)
{
	*found = 0;
	w->names_len = 0;
	w->n_ents = 0;
	*venv = false;
	*have_dot = false;
	if (!w->dents)
		w->dents = aa_xmalloc(DENTS_SIZE);
	for (;;) {
		ssize_t got = getdents64(fd, w->dents, DENTS_SIZE);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got == 0;
		for (ssize_t off = 0; off < got;) {
			const struct dirent64 *de = (const struct dirent64 *)(w->dents + off);
			off += de->d_reclen;
			const char *name = de->d_name;
			if (name[0] == '.' && !name[1]) {
				*dot = de->d_ino;
				*have_dot = true;
				continue;
			}
			if (name[0] == '.' && name[1] == '.' && !name[2])
				continue;
			if (strcmp(name, "pyvenv.cfg") == 0)
				*venv = true;
			for (unsigned k = 0; w->opts && w->opts->markers && w->opts->markers[k] && k < 31; k++)
				if (!strcmp(name, w->opts->markers[k]))
					*found |= 1u << k;
			size_t nl = strlen(name) + 1;
			AA_GROW(w->names, w->names_cap, w->names_len + nl);
			memcpy(w->names + w->names_len, name, nl);
			AA_GROW(w->ents, w->ents_cap, w->n_ents + 1);
			struct entry *e = &w->ents[w->n_ents++];
			e->name = w->names_len;
			e->ino = de->d_ino;
			e->type = de->d_type;
			w->names_len += nl;
		}
	}
}

/*
 * Whether d_ino (with the directory's device) is the file's identity, saving a stat per
 * file and per directory. Only for local filesystems known to keep one device per mount
 * and d_ino == st_ino: not overlayfs (per-layer devices and inode numbers), not btrfs
 * (a subvolume is a new device behind a plain directory entry), not network filesystems.
 */
static bool fs_trusted(struct walker *w, int fd, dev_t dev)
{
	for (size_t i = 0; i < w->n_fs; i++)
		if (w->fs[i].dev == dev)
			return w->fs[i].trusted;
	struct statfs sf;
	bool trusted = false;
	if (fstatfs(fd, &sf) == 0)
		trusted = sf.f_type == EXT4_SUPER_MAGIC || sf.f_type == XFS_SUPER_MAGIC ||
			  sf.f_type == TMPFS_MAGIC;
	AA_GROW(w->fs, w->fs_cap, w->n_fs + 1);
	w->fs[w->n_fs].dev = dev;
	w->fs[w->n_fs].trusted = trusted;
	w->n_fs++;
	return trusted;
}

static unsigned char mode_type(mode_t m)
{
	if (S_ISDIR(m))
		return DT_DIR;
	if (S_ISREG(m))
		return DT_REG;
	if (S_ISLNK(m))
		return DT_LNK;
	return DT_UNKNOWN;
}

static void walk_entry(struct walker *w, int dfd, const struct pending *parent, struct fid dir_id,
		       bool trusted, const char *name, ino_t ino, unsigned char type)
{
	const char *dir = parent->path;
	struct stat st;
	if (type == DT_UNKNOWN) {
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (is_python_name(name)) {
				char *path = join(dir, name);
				if (child_excluded(w, path, false, parent->root))
					free(path);
				else
					add_cand(w, path, NULL, false, NULL);
			}
			return;
		}
		type = mode_type(st.st_mode);
	}
	if (type == DT_DIR) {
		if (is_noise_name(name))
			return;
		char *path = join(dir, name);
		struct fid id = { dir_id.dev, ino };
		if (child_excluded(w, path, true, parent->root))
			free(path);
		else
			push(&w->stack, &w->n_stack, &w->stack_cap, path, false, &id,
			     trusted ? ID_DIRENT : ID_NONE, parent->root);
		return;
	}
	if (type == DT_REG) {
		if (!is_python_name(name))
			return;
		char *path = join(dir, name);
		if (child_excluded(w, path, false, parent->root)) {
			free(path);
		} else if (trusted) {
			st.st_dev = dir_id.dev;
			st.st_ino = ino;
			add_cand(w, path, &st, false, NULL);
		} else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			add_cand(w, path, &st, false, NULL);
		} else {
			add_cand(w, path, NULL, false, NULL);
		}
		return;
	}
	if (type != DT_LNK)
		return;
	if (fstatat(dfd, name, &st, 0) != 0) {
		int err = errno;
		if (!is_python_name(name))
			return;
		char *path = join(dir, name);
		if (child_excluded(w, path, false, parent->root))
			free(path);
		else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			add_cand(w, path, &st, true, link_problem(err));
		else
			add_cand(w, path, NULL, true, link_problem(err));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (is_noise_name(name))
			return;
		char *path = join(dir, name);
		struct fid id = { st.st_dev, st.st_ino };
		/* A directory link is followed only inside its root: one that leads out (to a
		 * parent, "up -> ..", or elsewhere) would widen the walk beyond what was named. */
		if (child_excluded(w, path, true, parent->root) || !inside_root(w->roots[parent->root], path))
			free(path);
		else
			push(&w->deferred, &w->n_deferred, &w->deferred_cap, path, false, &id,
			     ID_STAT, parent->root);
	} else if (S_ISREG(st.st_mode) && is_python_name(name)) {
		char *path = join(dir, name);
		if (child_excluded(w, path, false, parent->root))
			free(path);
		else
			add_cand(w, path, &st, true, NULL);
	}
}

/* A directory that cannot be read (errnum): named on the command line, an error (exit
 * 2); met while walking, an entry of its own, reported as AA002 like an unreadable file,
 * once however many ways lead to it. */
static void unreadable_dir(struct walker *w, const struct pending *item, int errnum)
{
	const char *fs = item->path[0] ? item->path : ".";
	if (item->explicit) {
		add_error(w->out, aa_xasprintf("cannot read directory '%s': %s", fs, strerror(errnum)));
		return;
	}
	/* A set of their own, not dirs: the same directory named on the command line later
	 * must still be tried, and be an error. */
	struct stat st;
	if (stat(fs, &st) == 0) {
		struct fid id = { st.st_dev, st.st_ino };
		if (idset_has(&w->bad_dirs, id))
			return;
		idset_put(&w->bad_dirs, id);
	}
	add_cand(w, aa_xstrdup(item->path), NULL, false,
		 aa_xasprintf("cannot read directory: %s", strerror(errnum)));
	w->cands[w->n_cands - 1].directory = true;
}

static void walk_dir(struct walker *w, const struct pending *item)
{
	const char *fs = item->path[0] ? item->path : ".";
	/* Known already (a revisit, or a loop): no need to open it. A mount point's
	 * ID_DIRENT names the directory it hides, which is never walked: no false hit. */
	if (item->id_source != ID_NONE && idset_has(&w->dirs, item->id))
		return;
	int fd = open(fs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		unreadable_dir(w, item, errno);
		return;
	}
	bool venv, have_dot;
	ino_t dot = 0;
	unsigned found;
	bool ok = read_entries(w, fd, &venv, &dot, &have_dot, &found);
	if (!ok) {
		unreadable_dir(w, item, errno);
		close(fd);
		return;
	}
	struct fid id = item->id;
	if (item->id_source == ID_NONE ||
	    (item->id_source == ID_DIRENT && (!have_dot || dot != id.ino))) {
		struct stat st;
		if (fstat(fd, &st) != 0) {
			unreadable_dir(w, item, errno);
			close(fd);
			return;
		}
		id.dev = st.st_dev;
		id.ino = st.st_ino;
	}
	/* Marked only once walked, so that a virtualenv skipped here is still walked when
	 * it is also named on the command line. */
	if (!idset_has(&w->dirs, id) && (!venv || item->explicit)) {
		idset_put(&w->dirs, id);
		if (w->opts && w->opts->listed)
			w->opts->listed(w->opts->ud, item->path[0] ? item->path : ".", found);
		bool trusted = fs_trusted(w, fd, id.dev);
		for (size_t i = 0; i < w->n_ents; i++)
			walk_entry(w, fd, item, id, trusted, w->names + w->ents[i].name,
				   w->ents[i].ino, w->ents[i].type);
	}
	close(fd);
}

static void drain(struct walker *w)
{
	while (w->n_stack) {
		struct pending item = w->stack[--w->n_stack];
		walk_dir(w, &item);
		free(item.path);
	}
}

static int cmp_pending(const void *a, const void *b)
{
	return strcmp(((const struct pending *)a)->path, ((const struct pending *)b)->path);
}

/* Groups by identity; within a group the real file comes before links, then by path. */
static int cmp_identity(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id) {
		if (x->id.dev != y->id.dev)
			return x->id.dev < y->id.dev ? -1 : 1;
		if (x->id.ino != y->id.ino)
			return x->id.ino < y->id.ino ? -1 : 1;
		if (x->is_link != y->is_link)
			return x->is_link ? 1 : -1;
	}
	return strcmp(x->path, y->path);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct aa_discovered_file *)a)->path,
		      ((const struct aa_discovered_file *)b)->path);
}

static void add_root(struct walker *w, const char *arg)
{
	if (!arg[0]) {
		add_error(w->out, aa_xstrdup("path '' does not exist"));
		return;
	}
	char *path = normalize(arg);
	const char *fs = path[0] ? path : ".";
	struct stat lst, st;
	if (lstat(fs, &lst) != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			add_error(w->out, aa_xasprintf("path '%s' does not exist", arg));
			free(path);
		} else {
			add_cand(w, path, NULL, false, NULL); /* the read stage reports why */
		}
		return;
	}
	if (path[0] && excluded_full(w->ex, w->n_ex, rel_form(w, path))) {
		free(path);
		return;
	}
	if (w->opts && w->opts->skip && w->opts->skip(w->opts->ud, path[0] ? path : ".", S_ISDIR(lst.st_mode))) {
		free(path);
		return;
	}
	bool is_link = S_ISLNK(lst.st_mode);
	if (is_link && stat(fs, &st) != 0) {
		add_cand(w, path, &lst, true, link_problem(errno));
		return;
	}
	if (!is_link)
		st = lst;
	if (S_ISDIR(st.st_mode)) {
		struct fid id = { st.st_dev, st.st_ino };
		size_t cap = w->roots_cap;
		AA_GROW(w->roots, w->roots_cap, w->n_roots + 1);
		if (cap != w->roots_cap) {
			w->git = aa_xrealloc(w->git, w->roots_cap * sizeof(*w->git));
			w->root_len = aa_xrealloc(w->root_len, w->roots_cap * sizeof(*w->root_len));
		}
		w->roots[w->n_roots] = realpath(fs, NULL);
		w->root_len[w->n_roots] = strlen(path);
		w->git[w->n_roots] = w->opts && w->opts->respect_gitignore && w->roots[w->n_roots]
					     ? aa_gitignore_open(w->roots[w->n_roots])
					     : NULL;
		/* A root git ignores (pyenv's versions/, a build/ named on purpose) was named
		 * to be analyzed: git would ignore all of it, so it is walked as outside a
		 * repository, as Ruff and ripgrep walk a named ignored directory. */
		if (w->git[w->n_roots] && aa_gitignore_ignored(w->git[w->n_roots], w->roots[w->n_roots], true)) {
			aa_gitignore_free(w->git[w->n_roots]);
			w->git[w->n_roots] = NULL;
		}
		push(&w->stack, &w->n_stack, &w->stack_cap, path, true, &id, ID_STAT, w->n_roots++);
		drain(w);
	} else {
		add_cand(w, path, &st, is_link, NULL);
	}
}

void aa_discover(const char *const *paths, size_t n_paths, const char *const *excludes,
		 size_t n_excludes, struct aa_discovery *out)
{
	aa_discover_with(paths, n_paths, excludes, n_excludes, NULL, out);
}

void aa_discover_with(const char *const *paths, size_t n_paths, const char *const *excludes, size_t n_excludes,
		      const struct aa_discover_opts *opts, struct aa_discovery *out)
{
	memset(out, 0, sizeof(*out));
	struct walker w;
	memset(&w, 0, sizeof(w));
	w.out = out;
	w.opts = opts;
	aa_buf_init(&w.abs);
	w.cwd = getcwd(NULL, 0);
	w.cwd_len = w.cwd ? strlen(w.cwd) : 0;
	w.n_ex = n_excludes;
	w.ex = aa_xcalloc(n_excludes, sizeof(*w.ex));
	for (size_t i = 0; i < n_excludes; i++) {
		/* An absolute pattern under the current directory is matched in relative form. */
		char *norm = normalize(excludes[i]);
		const char *pat = excludes[i];
		if (rel_form(&w, norm) != norm)
			pat = rel_form(&w, norm);
		glob_compile(&w.ex[i], pat);
		free(norm);
	}

	for (size_t i = 0; i < n_paths; i++)
		add_root(&w, paths[i]);
	/* Symlinked directories last, round by round in path order: a directory reachable
	 * both ways is listed under its real path, and which link wins is deterministic. */
	while (w.n_deferred) {
		qsort(w.deferred, w.n_deferred, sizeof(*w.deferred), cmp_pending);
		AA_GROW(w.stack, w.stack_cap, w.n_deferred);
		for (size_t i = 0; i < w.n_deferred; i++)
			w.stack[i] = w.deferred[w.n_deferred - 1 - i];
		w.n_stack = w.n_deferred;
		w.n_deferred = 0;
		drain(&w);
	}

	if (w.n_cands)
		qsort(w.cands, w.n_cands, sizeof(*w.cands), cmp_identity);
	AA_GROW(out->files, out->cap, w.n_cands);
	for (size_t i = 0; i < w.n_cands; i++) {
		struct cand *c = &w.cands[i];
		const struct cand *prev = i ? &w.cands[i - 1] : NULL;
		bool dup = prev && (c->has_id ? prev->has_id && prev->id.dev == c->id.dev &&
							prev->id.ino == c->id.ino
					      : !prev->has_id && strcmp(prev->path, c->path) == 0);
		if (dup) {
			free(c->path);
			free(c->unreadable);
			continue;
		}
		out->files[out->len].path = c->path;
		out->files[out->len].unreadable = c->unreadable;
		out->files[out->len].directory = c->directory;
		out->files[out->len].context = false;
		out->len++;
	}
	if (out->len)
		qsort(out->files, out->len, sizeof(*out->files), cmp_file);
	/* Kept for the whole run: 100,000 files named one by one left 31,072 slots unused. */
	AA_TRIM(out->files, out->cap, out->len);

	for (size_t i = 0; i < n_excludes; i++)
		glob_release(&w.ex[i]);
	free(w.ex);
	free(w.cwd);
	free(w.dirs.slots);
	free(w.dirs.used);
	free(w.bad_dirs.slots);
	free(w.bad_dirs.used);
	free(w.cands);
	free(w.stack);
	free(w.deferred);
	free(w.names);
	free(w.ents);
	free(w.dents);
	free(w.fs);
	for (size_t i = 0; i < w.n_roots; i++) {
		free(w.roots[i]);
		aa_gitignore_free(w.git[i]);
	}
	free(w.roots);
	free(w.git);
	free(w.root_len);
	aa_buf_release(&w.abs);
}

void aa_discovery_release(struct aa_discovery *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->files[i].path);
		free(d->files[i].unreadable);
	}
	free(d->files);
	for (size_t i = 0; i < d->n_errors; i++)
		free(d->errors[i]);
	free(d->errors);
	memset(d, 0, sizeof(*d));
}
