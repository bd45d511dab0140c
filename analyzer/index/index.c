#include "analyzer/index/index.h"
#include "analyzer/index/index_impl.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/map.h"
#include "analyzer/facts/stdlib_modules.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RESOLVE_DEPTH 16
/* Lookups one name's resolution may make (resolve()). */
#define MAX_RESOLVE_STEPS 256
#define MAX_MRO 64
#define MAX_SUBCLASSES 256


enum ent_kind { ENT_NONE, ENT_FUNC, ENT_CLASS, ENT_MODULE };

struct ent {
	enum ent_kind kind;
	uint32_t id;
};

static struct ent resolve(struct aa_index *x, const char *q, int depth, int *steps);
static struct ent resolve_name(struct aa_index *x, const char *q);

/* buf = "<qualname>.<member[0..len)>", without printf: lookups build it for every class
 * of every MRO searched. */
static const char *member_name(struct aa_buf *buf, const char *qualname, const char *member, size_t len)
{
	aa_buf_reset(buf);
	aa_buf_adds(buf, qualname);
	aa_buf_addc(buf, '.');
	aa_buf_add(buf, member, len);
	return buf->data;
}

static uint32_t class_of(struct aa_index *x, const char *q)
{
	struct ent e = resolve_name(x, q);
	return e.kind == ENT_CLASS ? e.id : NONE;
}

/* Depth-first, left to right, first occurrence: Python 2's MRO, equal to C3 except on
 * diamonds, where it only reorders classes that are all searched anyway. */
static void compute_mro(struct aa_index *x, uint32_t cls)
{
	struct class_ent *c = &x->classes[cls];
	c->mro_done = true;
	uint32_t stack[MAX_MRO];
	size_t sp = 0;
	c->mro = aa_xcalloc(MAX_MRO, sizeof(uint32_t));
	stack[sp++] = cls;
	while (sp && c->n_mro < MAX_MRO) {
		uint32_t k = stack[--sp];
		bool seen = false;
		for (uint32_t i = 0; i < c->n_mro && !seen; i++)
			seen = c->mro[i] == k;
		if (seen)
			continue;
		c->mro[c->n_mro++] = k;
		const struct class_ent *ke = &x->classes[k];
		/* Push bases in reverse so the leftmost is searched first. */
		for (uint32_t b = ke->c->n_bases; b-- > 0 && sp < MAX_MRO;) {
			const char *bq = ke->sum->bases[ke->c->first_base + b];
			uint32_t bid = bq ? class_of(x, bq) : NONE;
			if (bid != NONE)
				stack[sp++] = bid;
		}
	}
}

/* Looks member[0..len) up in the classes of cls's MRO from position skip on, as
 * "<class>.<member>" names: the answer of the first class for which look answers (true;
 * its answer in *found, which may be NONE), or NONE when none does. */
static uint32_t mro_lookup(struct aa_index *x, uint32_t cls, uint32_t skip, const char *member, size_t len,
			   bool (*look)(struct aa_index *x, const char *name, uint32_t *found))
{
	struct class_ent *c = &x->classes[cls];
	if (!c->mro_done)
		compute_mro(x, cls);
	struct aa_buf name = AA_BUF_INIT;
	uint32_t found = NONE;
	for (uint32_t i = skip; i < c->n_mro; i++)
		if (look(x, member_name(&name, x->classes[c->mro[i]].c->qualname, member, len), &found))
			break;
	aa_buf_release(&name);
	return found;
}

static bool look_method(struct aa_index *x, const char *name, uint32_t *found)
{
	*found = aa_map_get_str(&x->func_by_name, name);
	return *found != NONE;
}

static uint32_t method_in(struct aa_index *x, uint32_t cls, const char *method, uint32_t skip)
{
	return mro_lookup(x, cls, skip, method, strlen(method), look_method);
}

/* The file of the module named key, or NONE. A module stays in the map when its file is
 * read again on demand, and that reading may leave no summary (a file that fails to read
 * then, or a whole-file suppression): that module is unknown. A name the map lacks may
 * be another name of a file (aa_index_use_modmap): resolve() then retries under the
 * summary's name, as for an alias. */
static uint32_t module_id(const struct aa_index *x, const struct aa_map_key *key)
{
	uint32_t id = aa_map_get(&x->module_by_name, key);
	if (id == NONE && x->modmap) {
		long f = aa_modmap_find(x->modmap, key->data, key->len);
		id = f >= 0 && (size_t)f < x->n_sums ? (uint32_t)f : NONE;
	}
	return id != NONE && x->sums[id] ? id : NONE;
}

void aa_index_use_modmap(struct aa_index *x, const struct aa_modmap *modmap)
{
	x->modmap = modmap;
}

/* Can module s get name[0..len) (one component) from its star imports: it has some (of
 * project modules, at module level), and binds the name in no other way? */
static bool star_gives(const struct aa_summary *s, const char *name, size_t len)
{
	if (!s->n_star_modules)
		return false;
	for (size_t i = 0; i < s->n_star_bound; i++)
		if (strlen(s->star_bound[i]) == len && !memcmp(s->star_bound[i], name, len))
			return false;
	return true;
}

/* name (one component) in module s that binds it only through its star imports
 * (`from .workers import *` in pkg/__init__.py makes pkg.run mean pkg.workers.run): what
 * the last star-imported module that binds it makes of it, as Python's later import wins
 * (followed through that module's own star imports). A star-imported module the index
 * does not hold is passed over (it may bind the name: then the answer is wrong), and so
 * is one that binds it in a way the index does not see when it has no star import of
 * its own (an assignment); `__all__` is not read. Each module looked at costs a step. */
static struct ent resolve_starred(struct aa_index *x, const struct aa_summary *s, const char *name, int depth,
				  int *steps)
{
	/* The summary keeps at most AA_SUM_MAX_STARS, first to last: looked at last first. */
	const char *star[AA_SUM_MAX_STARS];
	size_t n = s->n_star_modules;
	star[0] = s->star_modules;
	for (size_t i = 1; i < n; i++)
		star[i] = aa_summary_next_star(star[i - 1]);
	size_t len = strlen(name);
	struct ent r = { ENT_NONE, NONE };
	struct aa_buf q = AA_BUF_INIT;
	for (size_t i = n; i-- > 0 && r.kind == ENT_NONE && --*steps >= 0;) {
		struct aa_map_key key = aa_map_key_str(star[i]);
		uint32_t id = module_id(x, &key);
		if (id == NONE)
			continue;
		const struct aa_summary *ms = x->sums[id];
		if (ms->n_star_modules && !star_gives(ms, name, len))
			break; /* it binds the name itself, in a way the index does not follow */
		member_name(&q, star[i], name, len);
		r = resolve(x, q.data, depth, steps);
	}
	aa_buf_release(&q);
	return r;
}

/* What q names: resolve() with a fresh budget. */
static struct ent resolve_name(struct aa_index *x, const char *q)
{
	int steps = MAX_RESOLVE_STEPS;
	return resolve(x, q, 0, &steps);
}

/* *steps bounds the lookups of one question: resolution branches (a head, an alias, each
 * star import), and packages that star-import each other would multiply them. */
static struct ent resolve(struct aa_index *x, const char *q, int depth, int *steps)
{
	struct ent none = { ENT_NONE, NONE };
	if (depth > MAX_RESOLVE_DEPTH || --*steps < 0)
		return none;
	uint32_t id;
	struct aa_map_key key = aa_map_key_str(q);
	if ((id = aa_map_get(&x->func_by_name, &key)) != NONE)
		return (struct ent){ ENT_FUNC, id };
	if ((id = aa_map_get(&x->class_by_name, &key)) != NONE)
		return (struct ent){ ENT_CLASS, id };
	if ((id = aa_map_get(&x->export_by_name, &key)) != NONE) {
		const char *target = x->export_targets[id];
		/* A name exported as itself (`from . import db` in pkg/__init__.py exports
		 * pkg.db = pkg.db) is whatever the maps below say it is: the module. */
		if (strcmp(target, q))
			return resolve(x, target, depth + 1, steps);
	}
	if ((id = module_id(x, &key)) != NONE)
		return (struct ent){ ENT_MODULE, id };
	const char *dot = strrchr(q, '.');
	if (!dot)
		return none;
	/* The head on the stack: resolution splits names at every level. */
	char head_buf[256];
	size_t head_len = (size_t)(dot - q);
	char *head = head_len < sizeof(head_buf) ? head_buf : aa_xmalloc(head_len + 1);
	memcpy(head, q, head_len);
	head[head_len] = '\0';
	struct ent h = resolve(x, head, depth + 1, steps);
	struct ent r = none;
	if (h.kind == ENT_CLASS) {
		uint32_t f = method_in(x, h.id, dot + 1, 0);
		if (f != NONE)
			r = (struct ent){ ENT_FUNC, f };
	} else if (h.kind == ENT_MODULE && strcmp(x->sums[h.id]->module, head)) {
		/* head named a module through an alias: retry under its real name. */
		char *real = aa_xasprintf("%s.%s", x->sums[h.id]->module, dot + 1);
		r = resolve(x, real, depth + 1, steps);
		free(real);
	} else if (h.kind == ENT_MODULE && star_gives(x->sums[h.id], dot + 1, strlen(dot + 1))) {
		r = resolve_starred(x, x->sums[h.id], dot + 1, depth + 1, steps);
	}
	if (head != head_buf)
		free(head);
	return r;
}

/* One step of aa_index_reexported: the longest prefix of q that is re-exported as
 * another name, or a module that star-imports the name after it; NULL when none. */
static char *reexport_step(struct aa_index *x, const char *q)
{
	size_t len = strlen(q);
	for (size_t p = len; p; p--) {
		if (p < len && q[p] != '.')
			continue;
		struct aa_map_key key = aa_map_key(q, p, 0);
		uint32_t id = aa_map_get(&x->export_by_name, &key);
		if (id != NONE) {
			const char *target = x->export_targets[id];
			if (strlen(target) == p && !memcmp(target, q, p))
				return NULL; /* exported as itself: the module it names */
			return aa_xasprintf("%s%s", target, q + p);
		}
		if ((id = module_id(x, &key)) != NONE) {
			/* The first module along q decides: its star import gives the next name
			 * only when the module binds that name in no other way. */
			/* Only a module with one star import: with several, the name's module is
			 * the one that defines it, which an extension's name does not say. */
			const char *star = x->sums[id]->n_star_modules == 1 ? x->sums[id]->star_modules : NULL;
			if (!star || p == len)
				return NULL;
			size_t sl = strlen(star), next = p + 1 + strcspn(q + p + 1, ".");
			if (!strncmp(q, star, sl) && q[sl] == '.')
				return NULL; /* already a name of that module (`pkg._native.fetch`) */
			struct aa_map_key own = aa_map_key(q, next, 0);
			if (aa_map_get(&x->module_by_name, &own) != NONE)
				return NULL; /* a submodule */
			if (!star_gives(x->sums[id], q + p + 1, next - p - 1))
				return NULL; /* a name the module binds itself */
			return aa_xasprintf("%s%s", star, q + p);
		}
	}
	return NULL;
}

const char *aa_index_foreign_base(struct aa_index *x, const char *cls)
{
	uint32_t id = class_of(x, cls);
	if (id == NONE)
		return NULL;
	struct class_ent *c = &x->classes[id];
	if (!c->mro_done)
		compute_mro(x, id);
	if (c->n_mro == MAX_MRO)
		return NULL; /* maybe cut short: not certain */
	const char *found = NULL;
	for (uint32_t i = 0; i < c->n_mro; i++) {
		const struct class_ent *ke = &x->classes[c->mro[i]];
		for (uint32_t b = 0; b < ke->c->n_bases; b++) {
			const char *bq = ke->sum->bases[ke->c->first_base + b];
			if (!bq)
				return NULL;
			if (class_of(x, bq) != NONE || !strcmp(bq, "builtins.object"))
				continue;
			if (found && strcmp(found, bq))
				return NULL;
			found = bq;
		}
	}
	return found;
}

char *aa_index_reexported(struct aa_index *x, const char *q)
{
	char *cur = NULL;
	for (int i = 0; i < MAX_RESOLVE_DEPTH; i++) {
		char *next = reexport_step(x, cur ? cur : q);
		if (!next)
			break;
		free(cur);
		cur = next;
	}
	return cur;
}

/* The class of the object q names: q itself when it is a class, or the return
 * annotation of the function q (`repo = make_repo()` is made by calling make_repo). */
static uint32_t type_of(struct aa_index *x, const char *q)
{
	struct ent e = resolve_name(x, q);
	if (e.kind == ENT_CLASS)
		return e.id;
	if (e.kind == ENT_FUNC && x->funcs[e.id].f->returns)
		return class_of(x, x->funcs[e.id].f->returns);
	return NONE;
}

/* name as a typed attribute (`core: Core`, `self.core = Core()`) or a property, and the
 * class of its type or return annotation. */
static bool look_attr_type(struct aa_index *x, const char *name, uint32_t *found)
{
	uint32_t a = aa_map_get_str(&x->attr_by_name, name);
	if (a != NONE) {
		*found = class_of(x, x->attr_types[a]);
		return true;
	}
	uint32_t f = aa_map_get_str(&x->func_by_name, name);
	if (f != NONE) {
		*found = x->funcs[f].f->returns ? class_of(x, x->funcs[f].f->returns) : NONE;
		return true;
	}
	return false;
}

/* The class of attribute attr[0..len) of an instance of cls, through its MRO: a typed
 * attribute or a property's return annotation. The nearest class that binds the name
 * decides, also when its type is unknown. */
static uint32_t attr_type(struct aa_index *x, uint32_t cls, const char *attr, size_t len)
{
	return mro_lookup(x, cls, 0, attr, len, look_attr_type);
}

/* The function a call reference lands on, or NONE; *receiver is the class the method
 * was looked up from (for the override check), or NONE. */
uint32_t aa_index_resolve_ref(struct aa_index *x, const struct aa_ref *ref, uint32_t *receiver)
{
	*receiver = NONE;
	if (ref->kind == AA_REF_NAME) {
		struct ent e = resolve_name(x, ref->name);
		return e.kind == ENT_FUNC ? e.id : NONE;
	}
	uint32_t cls = ref->kind == AA_REF_SUPER ? class_of(x, ref->name) : type_of(x, ref->name);
	if (ref->kind == AA_REF_CHAIN) {
		for (const char *p = ref->path; cls != NONE && *p;) {
			size_t len = strcspn(p, ".");
			cls = attr_type(x, cls, p, len);
			p += len + (p[len] == '.');
		}
	}
	if (cls == NONE)
		return NONE;
	*receiver = cls;
	return method_in(x, cls, ref->method, ref->kind == AA_REF_SUPER ? 1 : 0);
}

static void link_classes(struct aa_index *x)
{
	for (uint32_t i = 0; i < x->n_classes; i++) {
		const struct class_ent *ce = &x->classes[i];
		for (uint32_t b = 0; b < ce->c->n_bases; b++) {
			const char *bq = ce->sum->bases[ce->c->first_base + b];
			uint32_t bid = bq ? class_of(x, bq) : NONE;
			if (bid == NONE || bid == i)
				continue;
			struct class_ent *be = &x->classes[bid];
			AA_GROW(be->children, be->children_cap, be->n_children + 1);
			be->children[be->n_children++] = i;
		}
	}
}

/* Does a project subclass of cls define `method` with another async-ness than f? */
static bool overridden_differently(struct aa_index *x, uint32_t cls, const char *method, bool is_async)
{
	uint32_t stack[MAX_SUBCLASSES];
	uint32_t seen[MAX_SUBCLASSES];
	size_t sp = 0, n_seen = 0;
	stack[sp++] = cls;
	struct aa_buf name = AA_BUF_INIT;
	bool differs = false;
	while (sp && !differs) {
		uint32_t k = stack[--sp];
		const struct class_ent *ke = &x->classes[k];
		for (size_t i = 0; i < ke->n_children; i++) {
			uint32_t ch = ke->children[i];
			bool dup = false;
			for (size_t j = 0; j < n_seen && !dup; j++)
				dup = seen[j] == ch;
			if (dup || n_seen == MAX_SUBCLASSES || sp == MAX_SUBCLASSES)
				continue;
			seen[n_seen++] = ch;
			stack[sp++] = ch;
			uint32_t f = aa_map_get_str(&x->func_by_name,
						    member_name(&name, x->classes[ch].c->qualname, method, strlen(method)));
			if (f != NONE && x->funcs[f].f->is_async != is_async)
				differs = true;
		}
	}
	aa_buf_release(&name);
	return differs;
}

/* Could a file the index did not parse define a subclass of cls? One whose import
 * statements name cls's module (or something in it) might. */
static bool unread_importer(const struct aa_index *x, uint32_t cls)
{
	const char *mod = x->classes[cls].sum->module;
	size_t ml = strlen(mod);
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		if (!s || !s->imports_only)
			continue;
		for (size_t k = 0; k < s->n_imports; k++)
			if (!strncmp(s->imports[k].name, mod, ml) &&
			    (s->imports[k].name[ml] == '\0' || s->imports[k].name[ml] == '.'))
				return true;
	}
	return false;
}

size_t aa_index_subclass_defs(struct aa_index *x, uint32_t cls, const char *method, uint32_t *out, size_t max)
{
	uint32_t stack[MAX_SUBCLASSES];
	uint32_t seen[MAX_SUBCLASSES];
	size_t sp = 0, n_seen = 0, n = 0;
	stack[sp++] = cls;
	struct aa_buf name = AA_BUF_INIT;
	bool complete = !unread_importer(x, cls);
	while (sp && complete) {
		uint32_t k = stack[--sp];
		const struct class_ent *ke = &x->classes[k];
		for (size_t i = 0; i < ke->n_children && complete; i++) {
			uint32_t ch = ke->children[i];
			bool dup = false;
			for (size_t j = 0; j < n_seen && !dup; j++)
				dup = seen[j] == ch;
			if (dup)
				continue;
			if (n_seen == MAX_SUBCLASSES || unread_importer(x, ch)) {
				complete = false;
				break;
			}
			seen[n_seen++] = ch;
			uint32_t f = aa_map_get_str(&x->func_by_name,
						    member_name(&name, x->classes[ch].c->qualname, method, strlen(method)));
			stack[sp++] = ch; /* its own subclasses may define it (again) */
			if (f != NONE && n == max)
				complete = false;
			else if (f != NONE)
				out[n++] = f;
		}
	}
	aa_buf_release(&name);
	return complete ? n : SIZE_MAX;
}

/* Adds the definitions of sums[i] (not NULL) to the arrays and maps. */
static void add_summary(struct aa_index *x, size_t i)
{
	const struct aa_summary *s = x->sums[i];
	x->func_base[i] = (uint32_t)x->n_funcs;
	AA_GROW(x->funcs, x->funcs_cap, x->n_funcs + s->n_funcs);
	AA_GROW(x->classes, x->classes_cap, x->n_classes + s->n_classes);
	AA_GROW(x->attr_types, x->attrs_cap, x->n_attrs + s->n_attrs);
	AA_GROW(x->export_targets, x->exports_cap, x->n_exports + s->n_exports);
	/* A replaced summary's module is already in the map, under the same name. */
	aa_map_put_str(&x->module_by_name, s->module, (uint32_t)i, NULL);
	for (size_t k = 0; k < s->n_funcs; k++) {
		x->funcs[x->n_funcs] = (struct func_ref){ s, &s->funcs[k], (uint32_t)i };
		aa_map_put_str(&x->func_by_name, s->funcs[k].qualname, (uint32_t)x->n_funcs, NULL);
		x->n_funcs++;
	}
	for (size_t k = 0; k < s->n_classes; k++) {
		x->classes[x->n_classes] = (struct class_ent){ .sum = s, .c = &s->classes[k] };
		aa_map_put_str(&x->class_by_name, s->classes[k].qualname, (uint32_t)x->n_classes, NULL);
		x->n_classes++;
	}
	for (size_t k = 0; k < s->n_attrs; k++) {
		x->attr_types[x->n_attrs] = s->attrs[k].type;
		aa_map_put_str(&x->attr_by_name, s->attrs[k].name, (uint32_t)x->n_attrs, NULL);
		x->n_attrs++;
	}
	for (size_t k = 0; k < s->n_exports; k++) {
		x->export_targets[x->n_exports] = s->exports[k].target;
		aa_map_put_str(&x->export_by_name, s->exports[k].name, (uint32_t)x->n_exports, NULL);
		x->n_exports++;
	}
}

/* Makes room for need items in *items (an AA_GROW array of *cap items), no more. */
static void reserve_exact(void **items, size_t *cap, size_t need, size_t item_size)
{
	if (need <= *cap)
		return;
	*items = aa_xrealloc(*items, need * item_size);
	*cap = need;
}

/* Reserves array and map room for what files[0..k) (or, when files is NULL, sums[0..k)) add. */
static void reserve_for(struct aa_index *x, const size_t *files, size_t k)
{
	size_t nf = 0, nc = 0, ne = 0, na = 0;
	for (size_t j = 0; j < k; j++) {
		const struct aa_summary *s = x->sums[files ? files[j] : j];
		if (s) {
			nf += s->n_funcs;
			nc += s->n_classes;
			ne += s->n_exports;
			na += s->n_attrs;
		}
	}
	/* Exactly what they add: kept to the end of the run, a function or two per file for
	 * maybe 100,000 files, where doubling would leave up to half unused. */
	reserve_exact((void **)&x->funcs, &x->funcs_cap, x->n_funcs + nf, sizeof(*x->funcs));
	reserve_exact((void **)&x->classes, &x->classes_cap, x->n_classes + nc, sizeof(*x->classes));
	reserve_exact((void **)&x->attr_types, &x->attrs_cap, x->n_attrs + na, sizeof(*x->attr_types));
	reserve_exact((void **)&x->export_targets, &x->exports_cap, x->n_exports + ne, sizeof(*x->export_targets));
	aa_map_reserve(&x->module_by_name, k);
	aa_map_reserve(&x->func_by_name, nf);
	aa_map_reserve(&x->class_by_name, nc);
	aa_map_reserve(&x->export_by_name, ne);
	aa_map_reserve(&x->attr_by_name, na);
}

/* What depends on the whole set of classes and functions: subclass lists, the classes
 * with coroutine methods, and (cleared, recomputed lazily) method resolution orders. */
static void relink(struct aa_index *x)
{
	aa_index_forget_alone(x);
	for (uint32_t i = 0; i < x->n_classes; i++) {
		struct class_ent *c = &x->classes[i];
		free(c->mro);
		c->mro = NULL;
		c->n_mro = 0;
		c->mro_done = false;
		c->n_children = 0;
		c->n_coro_methods = 0;
	}
	link_classes(x);
	for (size_t f = 0; f < x->n_funcs; f++) {
		const struct aa_sum_func *fn = x->funcs[f].f;
		const char *dot = strrchr(fn->qualname, '.');
		if (!fn->is_coroutine || fn->opaque || !dot)
			continue;
		char *cls = aa_xstrndup(fn->qualname, (size_t)(dot - fn->qualname));
		uint32_t c = aa_map_get_str(&x->class_by_name, cls);
		if (c != NONE) {
			struct class_ent *ce = &x->classes[c];
			AA_GROW(ce->coro_methods, ce->coro_methods_cap, ce->n_coro_methods + 1);
			ce->coro_methods[ce->n_coro_methods++] = (uint32_t)f;
		}
		free(cls);
	}
}

static void build(struct aa_index *x, struct aa_summary *const *sums, size_t n)
{
	memset(x, 0, sizeof(*x));
	x->sums = sums;
	x->n_sums = n;
	x->func_base = aa_xcalloc(n ? n : 1, sizeof(uint32_t));
	reserve_for(x, NULL, n);
	for (size_t i = 0; i < n; i++) {
		x->func_base[i] = (uint32_t)x->n_funcs;
		if (sums[i])
			add_summary(x, i);
	}
	relink(x);
}

#define MAX_NEEDLES 64

static const char *tail_of(const char *q)
{
	const char *dot = strrchr(q, '.');
	return dot ? dot + 1 : q;
}

/* Adds the tails of what sums[files[0..k)] (sums[0..k) when files is NULL) define. */
static void add_tails(struct aa_index *x, const size_t *files, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		const struct aa_summary *s = x->sums[files ? files[j] : j];
		for (size_t i = 0; s && i < s->n_funcs; i++) {
			if (!s->funcs[i].is_coroutine)
				continue;
			aa_map_put_str(&x->callable_tails, tail_of(s->funcs[i].qualname), 0, NULL);
			if (!s->funcs[i].opaque)
				aa_map_put_str(&x->coroutine_tails, tail_of(s->funcs[i].qualname), 0, NULL);
		}
		for (size_t i = 0; s && i < s->n_classes; i++)
			aa_map_put_str(&x->callable_tails, tail_of(s->classes[i].qualname), 0, NULL);
		for (size_t i = 0; s && i < s->n_exports; i++)
			aa_map_put_str(&x->callable_tails, tail_of(s->exports[i].name), 0, NULL);
		/* A module reaches coroutines through what it defines or re-exports. */
		bool reaches = s && s->n_exports;
		for (size_t i = 0; s && i < s->n_funcs && !reaches; i++)
			reaches = s->funcs[i].is_coroutine;
		if (reaches)
			aa_map_put_str(&x->callable_tails, tail_of(s->module), 0, NULL);
	}
}

/* The coroutine functions a module defines or re-exports at its top level: a file that
 * imports the module calls them as ".name(". Appends to needles (owned strings). */
static bool module_needles(struct aa_index *x, uint32_t sum, char **needles, size_t *n)
{
	const struct aa_summary *s = x->sums[sum];
	size_t ml = strlen(s->module);
	bool any = false;
	for (size_t i = 0; i < s->n_funcs && *n < MAX_NEEDLES; i++) {
		const struct aa_sum_func *f = &s->funcs[i];
		if (f->is_coroutine && !f->opaque && !strncmp(f->qualname, s->module, ml) && f->qualname[ml] == '.' &&
		    !strchr(f->qualname + ml + 1, '.')) {
			needles[(*n)++] = aa_xasprintf(".%s(", f->qualname + ml + 1);
			any = true;
		}
	}
	for (size_t i = 0; i < s->n_exports && *n < MAX_NEEDLES; i++) {
		struct ent e = resolve_name(x, s->exports[i].name);
		if (e.kind == ENT_FUNC && x->funcs[e.id].f->is_coroutine && !x->funcs[e.id].f->opaque) {
			needles[(*n)++] = aa_xasprintf(".%s(", tail_of(s->exports[i].name));
			any = true;
		}
	}
	return any;
}

/* What a file that imports q would have to write to call a project coroutine through
 * it, besides the name the import binds (*by_name: q is a coroutine function, called
 * by that name): ".method(" for each coroutine method of a class (its own or
 * inherited), ".name(" for each coroutine function of a module. Appends to needles
 * (owned strings); returns false when q names no coroutine. *unresolved: q's last
 * component is a coroutine function's name but q does not resolve (yet): a package
 * that was not read may re-export it. */
static bool coroutine_needles(struct aa_index *x, const char *q, char **needles, size_t *n, bool *by_name,
			      bool *unresolved)
{
	*by_name = false;
	*unresolved = false;
	/* Resolution keeps a name's last component (an aliased module is retried under
	 * its real name, a method is looked up by it); only an export can rename it, and
	 * export names are in the set too. So a tail that no coroutine function, class,
	 * export or module with coroutines has cannot resolve to a coroutine: most imports
	 * stop here, unresolved. */
	if (aa_map_get_str(&x->callable_tails, tail_of(q)) == NONE)
		return false;
	struct ent e = resolve_name(x, q);
	*unresolved = e.kind == ENT_NONE && aa_map_get_str(&x->coroutine_tails, tail_of(q)) != NONE;
	if (e.kind == ENT_FUNC) {
		const struct aa_sum_func *f = x->funcs[e.id].f;
		*by_name = f->is_coroutine && !f->opaque;
		return *by_name;
	}
	if (e.kind == ENT_MODULE)
		return module_needles(x, e.id, needles, n);
	if (e.kind != ENT_CLASS)
		return false;
	struct class_ent *c = &x->classes[e.id];
	if (!c->mro_done)
		compute_mro(x, e.id);
	bool any = false;
	for (uint32_t i = 0; i < c->n_mro; i++) {
		const struct class_ent *k = &x->classes[c->mro[i]];
		size_t ql = strlen(k->c->qualname);
		for (size_t m = 0; m < k->n_coro_methods && *n < MAX_NEEDLES; m++) {
			needles[(*n)++] = aa_xasprintf(".%s(", x->funcs[k->coro_methods[m]].f->qualname + ql + 1);
			any = true;
		}
	}
	return any;
}

/* coroutine_needles per import name, for one pass over the skipped files: the same
 * names are imported by many files (about 69,000 imports of 21,800 names per pass on
 * the pyenv tree). */
struct memo_entry {
	bool any, by_name, unresolved;
	/* the package that re-exports a coroutine function under this name's last
	 * component (alias_reexporter); 0 not looked for yet, 1 none, 2 found */
	uint8_t alias_state;
	size_t alias_file;
	uint32_t first, n; /* into pool */
};

struct needle_memo {
	struct aa_map by_name;       /* import name (borrowed from a summary) -> entry */
	struct memo_entry *entries;
	size_t n_entries, entries_cap;
	char **pool;                 /* owned needles: the entries', then per-file "bound(" */
	size_t n_pool, pool_cap;
};

/* The id of q's entry in the memo (made on first use). Entries may move when the memo
 * grows: keep ids, not pointers, across calls. */
static uint32_t memo_id(struct aa_index *x, struct needle_memo *m, const char *q)
{
	uint32_t id = aa_map_get_str(&m->by_name, q);
	if (id != NONE)
		return id;
	char *found[MAX_NEEDLES];
	size_t n = 0;
	bool by_name, unresolved;
	bool any = coroutine_needles(x, q, found, &n, &by_name, &unresolved);
	AA_GROW(m->pool, m->pool_cap, m->n_pool + n);
	AA_GROW(m->entries, m->entries_cap, m->n_entries + 1);
	m->entries[m->n_entries] = (struct memo_entry){ any, by_name, unresolved, 0, 0, (uint32_t)m->n_pool, (uint32_t)n };
	if (n) /* the pool may still be NULL */
		memcpy(m->pool + m->n_pool, found, n * sizeof(*found));
	m->n_pool += n;
	aa_map_put_str(&m->by_name, q, (uint32_t)m->n_entries, NULL);
	return (uint32_t)m->n_entries++;
}

static const struct memo_entry *memo_needles(struct aa_index *x, struct needle_memo *m, const char *q)
{
	return &m->entries[memo_id(x, m, q)];
}

/* "bound(", kept in the memo's pool until memo_release. */
static const char *memo_call_needle(struct needle_memo *m, const char *bound)
{
	AA_GROW(m->pool, m->pool_cap, m->n_pool + 1);
	m->pool[m->n_pool] = aa_xasprintf("%s(", bound);
	return m->pool[m->n_pool++];
}

static void memo_release(struct needle_memo *m)
{
	for (size_t i = 0; i < m->n_pool; i++)
		free(m->pool[i]);
	free(m->pool);
	free(m->entries);
	aa_map_release(&m->by_name);
}

static void release(struct aa_index *x)
{
	for (size_t i = 0; i < x->n_classes; i++) {
		free(x->classes[i].mro);
		free(x->classes[i].children);
		free(x->classes[i].coro_methods);
	}
	free(x->classes);
	free(x->funcs);
	free(x->export_targets);
	free(x->func_base);
	aa_map_release(&x->func_by_name);
	aa_map_release(&x->class_by_name);
	aa_map_release(&x->export_by_name);
	aa_map_release(&x->module_by_name);
	aa_map_release(&x->attr_by_name);
	aa_map_release(&x->callable_tails);
	aa_map_release(&x->coroutine_tails);
	free(x->attr_types);
	aa_index_forget_alone(x);
}

/* ---- questions the cross-file analyses ask --------------------------------------- */

size_t aa_index_func_count(const struct aa_index *x)
{
	return x->n_funcs;
}

const struct aa_sum_func *aa_index_func(const struct aa_index *x, uint32_t f)
{
	return x->funcs[f].f;
}

size_t aa_index_func_file(const struct aa_index *x, uint32_t f)
{
	return x->funcs[f].sum_index;
}

const struct aa_summary *aa_index_func_summary(const struct aa_index *x, uint32_t f)
{
	return x->funcs[f].sum;
}

uint32_t aa_index_func_local(const struct aa_index *x, uint32_t f)
{
	return f - x->func_base[x->funcs[f].sum_index];
}

uint32_t aa_index_func_id(const struct aa_index *x, size_t file, uint32_t local)
{
	return x->func_base[file] + local;
}

const char *aa_index_func_name(const struct aa_index *x, uint32_t f)
{
	const struct aa_sum_func *fn = x->funcs[f].f;
	size_t ml = strlen(fn->module);
	const char *q = fn->qualname;
	return !strncmp(q, fn->module, ml) && q[ml] == '.' ? q + ml + 1 : q;
}

bool aa_index_overridden_differently(struct aa_index *x, uint32_t cls, const char *method, bool is_async)
{
	return overridden_differently(x, cls, method, is_async);
}

/* ---- on-demand files --------------------------------------------------------------- */

struct wants {
	bool packages_only; /* only package __init__ modules (re-export hubs) */
	const struct aa_modmap *modmap;
	const bool *analyzed;
	size_t n_files;
	bool *queued;
	size_t **wanted, *len, *cap;
};

/* Wants file f unless it was analyzed or is queued already. */
static void want_file(struct wants *w, size_t f)
{
	if (w->analyzed[f] || w->queued[f])
		return;
	w->queued[f] = true;
	AA_GROW(*w->wanted, *w->cap, *w->len + 1);
	(*w->wanted)[(*w->len)++] = f;
}

/* Wants the module a dotted name lives in: its longest prefix that is a module. */
static void want_module_of(struct wants *w, const char *name)
{
	/* The standard library is never project code, even when the tree holds it (a base
	 * class `unittest.TestCase` reads no unittest module). */
	if (aa_stdlib_module(name, strcspn(name, ".")))
		return;
	size_t l = strlen(name);
	for (;;) {
		long f = aa_modmap_find(w->modmap, name, l);
		if (f >= 0 && (size_t)f < w->n_files) {
			bool is_package;
			aa_modmap_module(w->modmap, (size_t)f, &is_package);
			if (!w->packages_only || is_package)
				want_file(w, (size_t)f);
			return;
		}
		const char *dot = memrchr(name, '.', l);
		if (!dot)
			return;
		l = (size_t)(dot - name);
	}
}

/* The package that name[0..its last dot) names when that package was not read (no async
 * code) nor wanted yet, else -1. name comes from an import-only summary: a project name. */
static long unread_package(const struct wants *w, const char *name)
{
	const char *dot = strrchr(name, '.');
	long f = dot ? aa_modmap_find(w->modmap, name, (size_t)(dot - name)) : -1;
	if (f < 0 || (size_t)f >= w->n_files || w->analyzed[f] || w->queued[f])
		return -1;
	bool is_package;
	aa_modmap_module(w->modmap, (size_t)f, &is_package);
	return is_package ? f : -1;
}

/* `from pkg import fetch` that does not resolve while some project coroutine is called
 * `fetch`: wants the package the name goes through when it was not read (no async
 * code) and its text names `fetch` (a package that does not cannot re-export it by that
 * name; star re-exports are not followed by the index anyway). */
static void want_reexporter(struct wants *w, const char *name, const struct aa_index_text_check *check)
{
	long f = unread_package(w, name);
	const char *needles[] = { strrchr(name, '.') + 1 };
	if (f >= 0 && (!check || check->mentions(check->ud, (size_t)f, needles, 1)))
		want_file(w, (size_t)f);
}

/* `from pkg import get_data` where pkg's __init__, not read (no async code), has `from
 * .impl import fetch as get_data` and fetch is a coroutine function: the package's
 * import-only summary shows the alias, and reading the package lets the next pass
 * resolve the name. id is name's entry in the memo. The file index of that package, or
 * SIZE_MAX. Memoised in the entry. */
static size_t alias_reexporter(struct aa_index *x, const struct wants *w, struct needle_memo *memo, uint32_t id,
			       const char *name)
{
	/* An entry made while the package was queued says none: it is wanted already. */
	if (memo->entries[id].alias_state)
		return memo->entries[id].alias_state == 2 ? memo->entries[id].alias_file : SIZE_MAX;
	size_t found = SIZE_MAX;
	long f = unread_package(w, name);
	const struct aa_summary *pkg = f >= 0 && (size_t)f < x->n_sums ? x->sums[f] : NULL;
	const char *tail = strrchr(name, '.') + 1; /* unread_package found a dot */
	for (size_t k = 0; pkg && pkg->imports_only && k < pkg->n_imports && found == SIZE_MAX; k++) {
		const struct aa_sum_import *im = &pkg->imports[k];
		if (strcmp(im->bound, tail) || !strcmp(im->name, name))
			continue;
		/* One level: the alias names what the package imports, not another alias. */
		const struct memo_entry *target = memo_needles(x, memo, im->name);
		if (target->any && target->by_name)
			found = (size_t)f;
	}
	memo->entries[id].alias_state = found == SIZE_MAX ? 1 : 2;
	memo->entries[id].alias_file = found;
	return found;
}

/* Wants what resolving ref needs: the modules of its names, and of the bases of the
 * classes along the way (a method may be inherited from another module). */
static void want_ref(struct aa_index *x, struct wants *w, const struct aa_ref *ref)
{
	want_module_of(w, ref->name);
	if (ref->kind == AA_REF_NAME)
		return;
	uint32_t cls = ref->kind == AA_REF_SUPER ? class_of(x, ref->name) : type_of(x, ref->name);
	if (cls == NONE) {
		struct ent e = resolve_name(x, ref->name);
		if (e.kind == ENT_FUNC && x->funcs[e.id].f->returns)
			want_module_of(w, x->funcs[e.id].f->returns);
		return;
	}
	/* Along the chain, every class met: their bases' and attributes' modules. */
	const char *p = ref->kind == AA_REF_CHAIN ? ref->path : "";
	for (int guard = 0; cls != NONE && guard < 8; guard++) {
		struct class_ent *c = &x->classes[cls];
		for (uint32_t b = 0; b < c->c->n_bases; b++)
			if (c->sum->bases[c->c->first_base + b])
				want_module_of(w, c->sum->bases[c->c->first_base + b]);
		if (!*p)
			break;
		size_t len = strcspn(p, ".");
		struct aa_buf name = AA_BUF_INIT;
		member_name(&name, c->c->qualname, p, len);
		uint32_t a = aa_map_get_str(&x->attr_by_name, name.data);
		if (a != NONE)
			want_module_of(w, x->attr_types[a]);
		uint32_t f = aa_map_get_str(&x->func_by_name, name.data);
		if (f != NONE && x->funcs[f].f->returns)
			want_module_of(w, x->funcs[f].f->returns);
		aa_buf_release(&name);
		cls = attr_type(x, cls, p, len);
		p += len + (p[len] == '.');
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

struct aa_index *aa_index_new(struct aa_summary *const *sums, size_t n)
{
	struct aa_index *x = aa_xmalloc(sizeof(*x));
	build(x, sums, n);
	return x;
}

void aa_index_add(struct aa_index *x, const size_t *files, size_t k)
{
	reserve_for(x, files, k);
	for (size_t j = 0; j < k; j++)
		if (x->sums[files[j]])
			add_summary(x, files[j]);
	relink(x);
	if (x->tails_made)
		add_tails(x, files, k);
}

void aa_index_free(struct aa_index *x)
{
	if (!x)
		return;
	release(x);
	free(x);
}

/* ---- what the cross-file analyses' demand hooks see -------------------------------- */

struct aa_demand {
	struct aa_index *x;
	struct wants *w;
	size_t slot; /* the analysis's record slot in the summaries */
};

struct aa_index *aa_demand_index(const struct aa_demand *d)
{
	return d->x;
}

size_t aa_demand_count(const struct aa_demand *d)
{
	return d->x->n_sums;
}

void *aa_demand_record(const struct aa_demand *d, size_t file)
{
	const struct aa_summary *s = d->x->sums[file];
	return s && d->slot < s->n_records ? s->records[d->slot].data : NULL;
}

size_t aa_demand_ref(struct aa_demand *d, const struct aa_ref *ref, bool packages_only)
{
	size_t before = *d->w->len;
	d->w->packages_only = packages_only;
	want_ref(d->x, d->w, ref);
	d->w->packages_only = false;
	return *d->w->len - before;
}

size_t aa_index_wanted_files(struct aa_index *x, const struct aa_modmap *modmap, const bool *analyzed, size_t n_files,
			     bool importers, const struct aa_demand_hook *hooks, size_t n_hooks, size_t **wanted,
			     size_t *wanted_cap, const struct aa_index_text_check *check)
{
	/* Marks deferred findings settled (summary.h) so later rounds skip them. */
	struct aa_summary *const *sums = x->sums;
	size_t n = x->n_sums;
	size_t len = 0;
	struct wants w = { false, modmap, analyzed, n_files, aa_xcalloc(n_files ? n_files : 1, sizeof(bool)), wanted,
			   &len, wanted_cap };
	/* Demand starts at what the cross-file rules decide: nothing else is read. A module
	 * the prefilter skipped has no `async def`: it defines no coroutine function, so a
	 * deferred finding needs only the packages that may re-export one. */
	for (size_t i = 0; i < n; i++) {
		struct aa_summary *s = sums[i];
		for (size_t k = 0; s && k < s->n_defers; k++) {
			struct aa_sum_defer *df = &s->defers[k];
			if (df->settled)
				continue;
			uint32_t receiver;
			size_t before = len;
			uint32_t f = aa_index_resolve_ref(x, &df->ref, &receiver);
			if (f == NONE) {
				w.packages_only = true;
				want_ref(x, &w, &df->ref);
				w.packages_only = false;
			}
			/* One that resolved, or that wants no new module, cannot change later. */
			if (f != NONE || len == before)
				df->settled = true;
		}
	}
	for (size_t h = 0; h < n_hooks; h++) {
		struct aa_demand d = { x, &w, hooks[h].slot };
		hooks[h].demand(&d);
	}
	/* Files skipped for having no async code that import a project coroutine (or a
	 * class with coroutine methods): they may call it without await (AA201/AA202). */
	struct needle_memo memo = { 0 };
	for (size_t i = 0; importers && i < n && i < n_files; i++) {
		const struct aa_summary *s = sums[i];
		if (!s || !s->imports_only || w.queued[i] || analyzed[i])
			continue;
		if (!x->tails_made) {
			add_tails(x, NULL, n);
			x->tails_made = true;
		}
		const char *needles[MAX_NEEDLES];
		size_t n_needles = 0;
		bool any = false;
		for (size_t k = 0; k < s->n_imports; k++) {
			/* A copy: alias_reexporter may grow the memo. */
			uint32_t id = memo_id(x, &memo, s->imports[k].name);
			const struct memo_entry e = memo.entries[id];
			any |= e.any;
			/* `from pkg import fetch` where pkg's __init__ (not read: no async code)
			 * may re-export a coroutine: read the package; the next importers' pass
			 * resolves the name through it. The same for an alias the package's
			 * imports show (`from .impl import fetch as get_data`). */
			if (e.unresolved) {
				want_reexporter(&w, s->imports[k].name, check);
			} else if (!e.any) {
				size_t pkg = alias_reexporter(x, &w, &memo, id, s->imports[k].name);
				if (pkg != SIZE_MAX)
					want_file(&w, pkg);
			}
			for (uint32_t j = 0; j < e.n && n_needles < MAX_NEEDLES; j++)
				needles[n_needles++] = memo.pool[e.first + j];
			if (e.by_name && n_needles < MAX_NEEDLES)
				needles[n_needles++] = memo_call_needle(&memo, s->imports[k].bound);
		}
		if (any && (!check || check->mentions(check->ud, i, needles, n_needles)))
			want_file(&w, i);
	}
	memo_release(&memo);
	free(w.queued);
	if (len > 1)
		qsort(*wanted, len, sizeof(size_t), cmp_size);
	return len;
}
