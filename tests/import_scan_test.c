/* Unit test for analyzer/facts/import_scan.c: the names a skipped file's import statements
 * bind, found by a line scan. Exit 0 = pass (tests/check.h); each failure prints the
 * expected and the scanned names. */
#include "analyzer/facts/import_scan.h"
#include "tests/check.h"

#include <stdio.h>
#include <string.h>

static bool keep_all(void *ud, const char *name)
{
	(void)ud;
	(void)name;
	return true;
}

/* Scans text as module `module` (a package's __init__ when is_package) and compares the
 * names with want, a space-separated list in order ("" for none), each as "name=bound"
 * when the local name it binds is not its last component. */
#define EXPECT(t, what, module, is_package, text, want) \
	expect((t), __LINE__, (what), (module), (is_package), (text), (want))
static void expect(struct check *t, int line, const char *what, const char *module, bool is_package, const char *text,
		   const char *want)
{
	struct aa_summary *sum = aa_summary_new("t.py", module, is_package, 0);
	aa_import_scan(sum, text, strlen(text), keep_all, NULL);
	char got[1024] = "";
	for (size_t i = 0; i < sum->n_imports; i++) {
		if (i)
			strncat(got, " ", sizeof(got) - strlen(got) - 1);
		const struct aa_sum_import *im = &sum->imports[i];
		const char *dot = strrchr(im->name, '.');
		strncat(got, im->name, sizeof(got) - strlen(got) - 1);
		if (strcmp(im->bound, dot ? dot + 1 : im->name)) {
			strncat(got, "=", sizeof(got) - strlen(got) - 1);
			strncat(got, im->bound, sizeof(got) - strlen(got) - 1);
		}
	}
	check_str_at(t, __FILE__, line, what, want, got);
	aa_summary_free(sum);
}

int main(void)
{
	struct check t = CHECK_INIT("import_scan_test");
	EXPECT(&t, "plain", "app.main", false, "import os\nimport app.db as db, app.web\n", "os app.db app.web=app");
	EXPECT(&t, "from", "app.main", false, "from app.db import save, load as ld\n", "app.db.save app.db.load=ld");
	EXPECT(&t, "relative", "app.main", false, "from . import db\nfrom .web import route\n",
	       "app.db app.web.route");
	EXPECT(&t, "relative in a package", "app", true, "from .db import save\n", "app.db.save");
	EXPECT(&t, "parenthesized", "m", false,
	       "from app.db import (\n    save,  # the writer\n    load,\n)\nimport os\n",
	       "app.db.save app.db.load os");
	/* The continuation line starts with `import`: it is not a statement of its own. */
	EXPECT(&t, "backslash continuation", "m", false, "from app.db \\\n    import save\nimport os\n",
	       "app.db.save os");
	EXPECT(&t, "indented (try, TYPE_CHECKING)", "m", false,
	       "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
	       "if TYPE_CHECKING:\n    from app.db import Repo\n",
	       "ujson=json json app.db.Repo");
	EXPECT(&t, "star import", "m", false, "from app.db import *\nimport os\n", "os");
	EXPECT(&t, "comment and string lines", "m", false, "# import nothing\nx = 'import y'\nimport z\n", "z");
	EXPECT(&t, "stops at a top-level def", "m", false, "import a\ndef f():\n    import b\nimport c\n", "a");
	EXPECT(&t, "stops at a top-level class", "m", false, "import a\nclass C:\n    pass\nimport c\n", "a");
	EXPECT(&t, "stops at a decorator", "m", false, "import a\n@deco\ndef f(): pass\nimport c\n", "a");
	EXPECT(&t, "def on the first line", "m", false, "def f():\n    import b\n", "");
	EXPECT(&t, "no trailing newline", "m", false, "import a", "a");
	EXPECT(&t, "CRLF", "m", false, "import a\r\nfrom b import c\r\n", "a b.c");
	EXPECT(&t, "empty", "m", false, "", "");
	return check_done(&t);
}
