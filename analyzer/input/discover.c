#include "analyzer/input/discover.h"
#include "analyzer/base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* ---- glob ------------------------------------------------------------------------- */

/*
 * A pattern is compiled to a small NFA and simulated state-set by state-set: no
 * backtracking, so no recursion and no exponential blow-up on "*a*a*a*b".
 */
enum gkind {
	G_LIT,   /* one given byte */
	G_ONE,   /* ?: one byte but '/' */
	G_CLASS, /* [...]: one byte of the set, never '/' */
	G_STAR,  /* *: any run without '/' */
	G_DSTAR, /* **: any run */
	G_SKIP,  /* starts a double star followed by a slash: may jump over the next two
		  * states (zero directories) */
};

struct gstate {
	unsigned char kind, ch;
	unsigned char set[32]; /* G_CLASS only, already negated when [!...] */
};

struct glob {
	struct gstate *st;
	size_t n;
	bool has_slash; /* else it is matched against single path components */
	bool literal;	/* no wildcard: plain comparison */
	char *text;	/* normalized pattern */
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

static struct gstate *gpush(struct glob *g, size_t *cap, enum gkind kind, unsigned char ch)
{
	AA_GROW(g->st, *cap, g->n + 1);
	struct gstate *s = &g->st[g->n++];
	memset(s, 0, sizeof(*s));
	s->kind = (unsigned char)kind;
	s->ch = ch;
	return s;
}

static void set_bit(unsigned char *set, unsigned char c)
{
	set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

/* Parses the class opening at p[i] == '['; returns the index past ']' or 0 when the
 * class is unterminated (then '[' is a literal, as in fnmatch). */
static size_t parse_class(const char *p, size_t i, unsigned char *set)
{
	size_t j = i + 1;
	bool neg = false;
	if (p[j] == '!' || p[j] == '^') {
		neg = true;
		j++;
	}
	bool first = true;
	while (p[j] && (p[j] != ']' || first)) {
		first = false;
		unsigned char lo = (unsigned char)p[j];
		if (lo == '\\' && p[j + 1])
			lo = (unsigned char)p[++j];
		j++;
		unsigned char hi = lo;
		if (p[j] == '-' && p[j + 1] && p[j + 1] != ']') {
			hi = (unsigned char)p[j + 1];
			j += 2;
			if (hi == '\\' && p[j]) /* escaped range end */
				hi = (unsigned char)p[j++];
		}
		for (unsigned c = lo; c <= hi; c++)
			set_bit(set, (unsigned char)c);
	}
	if (p[j] != ']')
		return 0;
	if (neg)
		for (size_t k = 0; k < 32; k++)
			set[k] = (unsigned char)~set[k];
	set['/' >> 3] &= (unsigned char)~(1u << ('/' & 7));
	return j + 1;
}

static void glob_compile(struct glob *g, const char *pattern)
{
	const char *p = skip_dot_slash(pattern);
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		len--;
	g->text = aa_xstrndup(p, len);
	p = g->text;
	g->st = NULL;
	g->n = 0;
	g->has_slash = strchr(p, '/') != NULL;
	g->literal = strpbrk(p, "*?[\\") == NULL;
	if (g->literal)
		return;
	size_t cap = 0;
	for (size_t i = 0; i < len;) {
		char c = p[i];
		if (c == '*') {
			size_t run = 0;
			while (p[i + run] == '*')
				run++;
			bool at_dir_start = i == 0 || p[i - 1] == '/';
			if (run >= 2 && at_dir_start && p[i + run] == '/') {
				gpush(g, &cap, G_SKIP, 0);
				gpush(g, &cap, G_DSTAR, 0);
				gpush(g, &cap, G_LIT, '/');
				i += run + 1;
			} else {
				gpush(g, &cap, run >= 2 ? G_DSTAR : G_STAR, 0);
				i += run;
			}
		} else if (c == '?') {
			gpush(g, &cap, G_ONE, 0);
			i++;
		} else if (c == '[') {
			struct gstate *s = gpush(g, &cap, G_CLASS, 0);
			size_t end = parse_class(p, i, s->set);
			if (end) {
				i = end;
			} else {
				s->kind = G_LIT;
				s->ch = '[';
				i++;
			}
		} else if (c == '\\' && p[i + 1]) {
			gpush(g, &cap, G_LIT, (unsigned char)p[i + 1]);
			i += 2;
		} else {
			gpush(g, &cap, G_LIT, (unsigned char)c);
			i++;
		}
	}
}

static void glob_release(struct glob *g)
{
	free(g->st);
	free(g->text);
}

/* Epsilon edges only point forward, so one ascending pass closes the set. */
static void gclose(const struct glob *g, unsigned char *on)
{
	for (size_t k = 0; k < g->n; k++) {
		if (!on[k])
			continue;
		switch (g->st[k].kind) {
		case G_STAR:
		case G_DSTAR:
			on[k + 1] = 1;
			break;
		case G_SKIP:
			on[k + 1] = 1;
			on[k + 3] = 1;
			break;
		default:
			break;
		}
	}
}

static bool glob_run(const struct glob *g, const char *s, size_t len)
{
	if (g->literal)
		return strlen(g->text) == len && memcmp(g->text, s, len) == 0;
	size_t n = g->n;
	unsigned char local[256];
	unsigned char *heap = NULL, *cur = local, *next;
	if (2 * (n + 1) > sizeof(local))
		cur = heap = aa_xmalloc(2 * (n + 1));
	next = cur + n + 1;
	memset(cur, 0, n + 1);
	cur[0] = 1;
	gclose(g, cur);
	bool alive = true;
	for (size_t i = 0; i < len && alive; i++) {
		unsigned char c = (unsigned char)s[i];
		memset(next, 0, n + 1);
		alive = false;
		for (size_t k = 0; k < n; k++) {
			if (!cur[k])
				continue;
			const struct gstate *st = &g->st[k];
			size_t to = SIZE_MAX;
			switch (st->kind) {
			case G_LIT:
				if (c == st->ch)
					to = k + 1;
				break;
			case G_ONE:
				if (c != '/')
					to = k + 1;
				break;
			case G_CLASS:
				if (st->set[c >> 3] & (1u << (c & 7)))
					to = k + 1;
				break;
			case G_STAR:
				if (c != '/')
					to = k;
				break;
			case G_DSTAR:
				to = k;
				break;
			default:
				break;
			}
			if (to != SIZE_MAX) {
				next[to] = 1;
				alive = true;
			}
		}
		gclose(g, next);
		unsigned char *t = cur;
		cur = next;
		next = t;
	}
	bool ok = alive && cur[n];
	free(heap);
	return ok;
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

static bool child_excluded(const struct walker *w, const char *path)
{
	if (!w->n_ex)
		return false;
	const char *rel = rel_form(w, path);
	return excluded_self(w->ex, w->n_ex, rel, strlen(rel));
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
static bool read_entries(struct walker *w, int fd, bool *venv, ino_t *dot, bool *have_dot)
{
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
				if (child_excluded(w, path))
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
		if (child_excluded(w, path))
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
		if (child_excluded(w, path)) {
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
		if (child_excluded(w, path))
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
		if (child_excluded(w, path) || !inside_root(w->roots[parent->root], path))
			free(path);
		else
			push(&w->deferred, &w->n_deferred, &w->deferred_cap, path, false, &id,
			     ID_STAT, parent->root);
	} else if (S_ISREG(st.st_mode) && is_python_name(name)) {
		char *path = join(dir, name);
		if (child_excluded(w, path))
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
	bool ok = read_entries(w, fd, &venv, &dot, &have_dot);
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
	bool is_link = S_ISLNK(lst.st_mode);
	if (is_link && stat(fs, &st) != 0) {
		add_cand(w, path, &lst, true, link_problem(errno));
		return;
	}
	if (!is_link)
		st = lst;
	if (S_ISDIR(st.st_mode)) {
		struct fid id = { st.st_dev, st.st_ino };
		AA_GROW(w->roots, w->roots_cap, w->n_roots + 1);
		w->roots[w->n_roots] = realpath(fs, NULL);
		push(&w->stack, &w->n_stack, &w->stack_cap, path, true, &id, ID_STAT, w->n_roots++);
		drain(w);
	} else {
		add_cand(w, path, &st, is_link, NULL);
	}
}

void aa_discover(const char *const *paths, size_t n_paths, const char *const *excludes,
		 size_t n_excludes, struct aa_discovery *out)
{
	memset(out, 0, sizeof(*out));
	struct walker w;
	memset(&w, 0, sizeof(w));
	w.out = out;
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
	for (size_t i = 0; i < w.n_roots; i++)
		free(w.roots[i]);
	free(w.roots);
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
