#include "analyzer/fix/rewrite.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool aa_edit_list_take(struct aa_edit_list *list, const struct aa_fix *fix)
{
	size_t fresh = 0;
	for (size_t i = 0; i < fix->n_edits; i++) {
		const struct aa_edit *e = &fix->edits[i];
		bool same = false;
		for (size_t k = 0; k < list->len && !same; k++) {
			if (aa_edit_same(list->items[k], e))
				same = true;
			else if (aa_edit_overlaps(list->items[k], e))
				return false;
		}
		fresh += !same;
	}
	AA_GROW(list->items, list->cap, list->len + fresh);
	for (size_t i = 0; i < fix->n_edits; i++) {
		const struct aa_edit *e = &fix->edits[i];
		bool same = false;
		for (size_t k = 0; k < list->len && !same; k++)
			same = aa_edit_same(list->items[k], e);
		if (same)
			continue;
		/* Keep start order; an insertion goes before a replacement at the same offset. */
		size_t at = list->len;
		while (at > 0 && (list->items[at - 1]->start > e->start ||
				  (list->items[at - 1]->start == e->start && e->start == e->end &&
				   list->items[at - 1]->end > e->start)))
			at--;
		memmove(list->items + at + 1, list->items + at, (list->len - at) * sizeof(*list->items));
		list->items[at] = e;
		list->len++;
	}
	return true;
}

void aa_edit_list_release(struct aa_edit_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Converts text[0..len) from UTF-8 with cd (state kept between calls) and appends it to
 * out; false when a character has no form in the encoding. */
static bool encode(iconv_t cd, const char *text, size_t len, struct aa_buf *out)
{
	char *in = (char *)text;
	size_t in_left = len;
	while (in_left) {
		char chunk[4096];
		char *o = chunk;
		size_t o_left = sizeof(chunk);
		size_t r = iconv(cd, &in, &in_left, &o, &o_left);
		aa_buf_add(out, chunk, (size_t)(o - chunk));
		if (r == (size_t)-1 && errno != E2BIG)
			return false;
	}
	return true;
}

/* The original-byte offset of each decoded offset the edits name: for UTF-8, past the
 * BOM; for a declared encoding, the length of the encoded text before it. The encoded
 * whole must be as long as the bytes, else the mapping cannot be trusted. */
static int map_offsets(size_t len, const struct aa_source *src, const struct aa_edit_list *list,
		       size_t *starts, size_t *ends, iconv_t cd, char **error)
{
	size_t bom = src->bom ? 3 : 0;
	if (cd == (iconv_t)-1) {
		for (size_t i = 0; i < list->len; i++) {
			starts[i] = bom + list->items[i]->start;
			ends[i] = bom + list->items[i]->end;
		}
		return 0;
	}
	struct aa_buf sink = AA_BUF_INIT;
	size_t done = 0, mapped = 0;
	int rc = 0;
	/* Points in order: each edit's start, then its end. */
	for (size_t i = 0; i < list->len && rc == 0; i++) {
		uint32_t pts[2] = { list->items[i]->start, list->items[i]->end };
		for (int k = 0; k < 2 && rc == 0; k++) {
			aa_buf_reset(&sink);
			if (pts[k] < done || !encode(cd, src->text + done, pts[k] - done, &sink))
				rc = -1;
			mapped += sink.len;
			done = pts[k];
			*(k ? &ends[i] : &starts[i]) = mapped;
		}
	}
	aa_buf_reset(&sink);
	if (rc == 0 && (!encode(cd, src->text + done, src->len - done, &sink) || mapped + sink.len != len))
		rc = -1;
	aa_buf_release(&sink);
	if (rc < 0)
		*error = aa_xasprintf("its text does not encode back to its bytes in '%s'", src->encoding);
	return rc;
}

int aa_rewrite_bytes(const char *raw, size_t len, const struct aa_source *src, const struct aa_edit_list *list,
		     char **out, size_t *out_len, char **error)
{
	iconv_t cd = (iconv_t)-1;
	if (src->transcoded) {
		cd = iconv_open(src->encoding, "UTF-8");
		if (cd == (iconv_t)-1) {
			*error = aa_xasprintf("cannot encode '%s'", src->encoding);
			return -1;
		}
	}
	size_t *starts = aa_xcalloc(list->len + 1, sizeof(size_t)), *ends = aa_xcalloc(list->len + 1, sizeof(size_t));
	int rc = map_offsets(len, src, list, starts, ends, cd, error);
	struct aa_buf b = AA_BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; rc == 0 && i < list->len; i++) {
		if (starts[i] < at || ends[i] > len) {
			*error = aa_xstrdup("an edit lies outside the file");
			rc = -1;
			break;
		}
		aa_buf_add(&b, raw + at, starts[i] - at);
		const char *text = list->items[i]->content;
		if (cd == (iconv_t)-1) {
			aa_buf_adds(&b, text);
		} else if (iconv(cd, NULL, NULL, NULL, NULL), !encode(cd, text, strlen(text), &b)) {
			*error = aa_xasprintf("a fix's text cannot be written in '%s'", src->encoding);
			rc = -1;
		}
		at = ends[i];
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(starts);
	free(ends);
	if (rc < 0) {
		aa_buf_release(&b);
		return -1;
	}
	aa_buf_add(&b, raw + at, len - at);
	*out_len = b.len;
	*out = aa_buf_detach(&b);
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int aa_rewrite_file(const char *path, const char *data, size_t len, char **error)
{
	/* A link is written through: the file it resolves to is replaced, the link kept. */
	char *target = realpath(path, NULL);
	if (!target) {
		*error = aa_xasprintf("cannot rewrite '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(target, &st) != 0 || !S_ISREG(st.st_mode)) {
		*error = aa_xasprintf("cannot rewrite '%s': not a regular file", path);
		free(target);
		return -1;
	}
	const char *slash = strrchr(target, '/');
	char *tmp = aa_xasprintf("%.*s/.%s.aa-fix-XXXXXX", (int)(slash - target), target, slash + 1);
	int fd = mkstemp(tmp);
	int rc = fd < 0 ? -1 : 0;
	if (rc == 0 && (write_all(fd, data, len) != 0 || fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0))
		rc = -1;
	int err = errno;
	/* Keeping the owner needs privileges; without them the file becomes ours, as an
	 * editor's save would make it. */
	if (rc == 0 && (st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid) != 0) {
	}
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc == 0 && rename(tmp, target) != 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		if (fd >= 0)
			unlink(tmp);
		*error = aa_xasprintf("cannot rewrite '%s': %s", path, strerror(err));
	}
	free(tmp);
	free(target);
	return rc;
}
