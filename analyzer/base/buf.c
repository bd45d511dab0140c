#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Never written: an empty buffer (cap == 0) is read-only. */
static const char empty_string[1];

void aa_buf_init(struct aa_buf *buf)
{
	buf->data = (char *)empty_string;
	buf->len = 0;
	buf->cap = 0;
}

void aa_buf_release(struct aa_buf *buf)
{
	if (buf->cap)
		free(buf->data);
	aa_buf_init(buf);
}

char *aa_buf_detach(struct aa_buf *buf)
{
	char *s = buf->cap ? buf->data : aa_xstrdup("");
	aa_buf_init(buf);
	return s;
}

static void reserve(struct aa_buf *buf, size_t extra)
{
	size_t need = buf->len + extra + 1;
	if (need <= buf->cap)
		return;
	size_t ncap = buf->cap ? buf->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (buf->cap) {
		buf->data = aa_xrealloc(buf->data, ncap);
	} else {
		buf->data = aa_xmalloc(ncap);
		buf->data[0] = '\0';
	}
	buf->cap = ncap;
}

void aa_buf_add(struct aa_buf *buf, const char *data, size_t len)
{
	reserve(buf, len);
	memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void aa_buf_adds(struct aa_buf *buf, const char *s)
{
	aa_buf_add(buf, s, strlen(s));
}

void aa_buf_addc(struct aa_buf *buf, char c)
{
	aa_buf_add(buf, &c, 1);
}

void aa_buf_addf(struct aa_buf *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = aa_xvasprintf(fmt, ap);
	va_end(ap);
	aa_buf_adds(buf, s);
	free(s);
}

void aa_buf_reset(struct aa_buf *buf)
{
	buf->len = 0;
	if (buf->cap)
		buf->data[0] = '\0';
}

void aa_buf_setlen(struct aa_buf *buf, size_t len)
{
	buf->len = len;
	if (buf->cap)
		buf->data[len] = '\0';
}

int aa_buf_read_file(struct aa_buf *buf, const char *path, size_t max, bool *opened)
{
	FILE *f = fopen(path, "rb");
	if (opened)
		*opened = f != NULL;
	if (!f)
		return errno ? errno : EIO;
	size_t start = buf->len;
	char chunk[8192];
	size_t got;
	while (buf->len - start <= max && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		aa_buf_add(buf, chunk, got);
	int err = ferror(f) ? (errno ? errno : EIO) : 0;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	return err ? err : buf->len - start > max ? EFBIG : 0;
}
