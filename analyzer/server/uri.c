#include "analyzer/server/uri.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <string.h>

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *aa_uri_to_path(const char *uri)
{
	static const char scheme[] = "file://";
	if (strncmp(uri, scheme, sizeof(scheme) - 1))
		return NULL;
	const char *p = uri + sizeof(scheme) - 1;
	if (!strncmp(p, "localhost/", 10))
		p += 9;
	if (*p != '/')
		return NULL;
	struct aa_buf out = AA_BUF_INIT;
	for (; *p && *p != '?' && *p != '#'; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hex(p[1])) >= 0 && (lo = hex(p[2])) >= 0) {
			if (!hi && !lo) {
				aa_buf_release(&out);
				return NULL;
			}
			aa_buf_addc(&out, (char)(hi * 16 + lo));
			p += 2;
		} else {
			aa_buf_addc(&out, *p);
		}
	}
	return aa_buf_detach(&out);
}

char *aa_uri_from_path(const char *path)
{
	struct aa_buf out = AA_BUF_INIT;
	aa_buf_adds(&out, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			aa_buf_addc(&out, (char)*p);
		else
			aa_buf_addf(&out, "%%%02X", *p);
	}
	return aa_buf_detach(&out);
}
