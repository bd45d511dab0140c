/*
 * ts_parse_all: the baseline for bench/run.sh. Parses every file of a list with
 * the same pinned tree-sitter runtime and Python grammar as the analyzer, on one
 * thread with one TSParser, and prints one JSON line:
 *
 *   {"tool":"ts_parse_all","files":N,"bytes":B,"parse_seconds":P,
 *    "read_seconds":R,"error_trees":E}
 *
 * Usage: ts_parse_all FILELIST   (one path per line; empty lines are skipped)
 * parse_seconds sums CLOCK_MONOTONIC time around parse + tree delete only;
 * read_seconds around reading the files. error_trees counts trees holding an
 * ERROR or MISSING node (syntax the grammar rejects).
 * Exit: 0 on success, 1 if a file cannot be read or parsed, 2 on usage or
 * list errors. A bench tool, not the analyzer: plain malloc, results checked.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

static double now(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Reads the whole file at path into *buf (grown as needed, reused across files
 * so the peak RSS reflects parsing, not the corpus). Returns the length, or -1
 * with errno set.
 */
static ssize_t read_file(const char *path, char **buf, size_t *cap)
{
	struct stat st;
	size_t len = 0;
	int saved;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	for (;;) {
		/* +1 so that a file read to its stat size ends with a read of 0. */
		size_t need = len < (size_t)st.st_size ? (size_t)st.st_size + 1 : len + 1;

		if (*cap < need) {
			size_t ncap = *cap ? *cap : 65536;
			char *p;

			while (ncap < need)
				ncap *= 2;
			p = realloc(*buf, ncap);
			if (!p) {
				errno = ENOMEM;
				goto fail;
			}
			*buf = p;
			*cap = ncap;
		}
		ssize_t n = read(fd, *buf + len, *cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (close(fd) < 0)
		return -1;
	return (ssize_t)len;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int main(int argc, char **argv)
{
	FILE *list;
	TSParser *parser;
	char *line = NULL, *buf = NULL;
	size_t line_cap = 0, buf_cap = 0;
	ssize_t line_len;
	unsigned long long files = 0, bytes = 0, error_trees = 0;
	double read_s = 0, parse_s = 0;
	bool failed = false, list_failed = false;

	if (argc != 2) {
		fputs("usage: ts_parse_all FILELIST\n", stderr);
		return 2;
	}
	list = fopen(argv[1], "r");
	if (!list) {
		fprintf(stderr, "ts_parse_all: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	parser = ts_parser_new();
	if (!ts_parser_set_language(parser, tree_sitter_python())) {
		fputs("ts_parse_all: grammar ABI does not match the runtime\n", stderr);
		return 2;
	}

	while ((line_len = getline(&line, &line_cap, list)) >= 0) {
		if (line_len > 0 && line[line_len - 1] == '\n')
			line[--line_len] = '\0';
		if (line_len == 0)
			continue;

		double t0 = now();
		ssize_t len = read_file(line, &buf, &buf_cap);
		double t1 = now();
		read_s += t1 - t0;
		if (len < 0) {
			fprintf(stderr, "ts_parse_all: %s: %s\n", line, strerror(errno));
			failed = true;
			continue;
		}
		if ((size_t)len > UINT32_MAX) {
			fprintf(stderr, "ts_parse_all: %s: too large for tree-sitter\n", line);
			failed = true;
			continue;
		}

		/* Timed per file rather than around one loop so that reading stays out
		 * of the parse time without holding the whole corpus in memory. */
		t0 = now();
		TSTree *tree = ts_parser_parse_string(parser, NULL, buf, (uint32_t)len);
		if (!tree) {
			fprintf(stderr, "ts_parse_all: %s: parse returned no tree\n", line);
			failed = true;
			continue;
		}
		bool has_error = ts_node_has_error(ts_tree_root_node(tree));
		ts_tree_delete(tree);
		t1 = now();
		parse_s += t1 - t0;
		files++;
		bytes += (unsigned long long)len;
		error_trees += has_error;
	}
	if (ferror(list) || !feof(list)) {
		fprintf(stderr, "ts_parse_all: %s: read error\n", argv[1]);
		list_failed = true;
	}
	fclose(list);
	free(line);
	free(buf);
	ts_parser_delete(parser);

	printf("{\"tool\":\"ts_parse_all\",\"files\":%llu,\"bytes\":%llu,"
	       "\"parse_seconds\":%.6f,\"read_seconds\":%.6f,\"error_trees\":%llu}\n",
	       files, bytes, parse_s, read_s, error_trees);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("ts_parse_all: cannot write to stdout\n", stderr);
		return 2;
	}
	if (list_failed)
		return 2;
	return failed ? 1 : 0;
}
