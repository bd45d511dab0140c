/*
 * syms.h: tree-sitter-python's node kinds and field names, interned once at start-up
 * (ts_language_symbol_for_name / ts_language_field_id_for_name) so that hot paths
 * compare integers, never strings. The table is immutable after aa_syms_init and shared
 * by every worker.
 */
#ifndef AA_SYMS_H
#define AA_SYMS_H

#include <tree_sitter/api.h>

/* X(field_name, "grammar kind") for named node kinds we look at. */
#define AA_SYM_LIST(X) \
	X(module, "module") X(function_definition, "function_definition") X(lambda, "lambda") \
	X(class_definition, "class_definition") X(decorated_definition, "decorated_definition") \
	X(decorator, "decorator") X(call, "call") X(attribute, "attribute") X(identifier, "identifier") \
	X(argument_list, "argument_list") X(keyword_argument, "keyword_argument") \
	X(list_splat, "list_splat") X(dictionary_splat, "dictionary_splat") \
	X(parenthesized_expression, "parenthesized_expression") X(await, "await") \
	X(with_statement, "with_statement") X(with_clause, "with_clause") X(with_item, "with_item") \
	X(as_pattern, "as_pattern") X(as_pattern_target, "as_pattern_target") \
	X(assignment, "assignment") X(augmented_assignment, "augmented_assignment") \
	X(expression_statement, "expression_statement") X(import_statement, "import_statement") \
	X(import_from_statement, "import_from_statement") X(future_import_statement, "future_import_statement") \
	X(aliased_import, "aliased_import") X(dotted_name, "dotted_name") X(wildcard_import, "wildcard_import") \
	X(relative_import, "relative_import") X(import_prefix, "import_prefix") \
	X(global_statement, "global_statement") X(nonlocal_statement, "nonlocal_statement") \
	X(for_statement, "for_statement") X(for_in_clause, "for_in_clause") X(if_clause, "if_clause") \
	X(list_comprehension, "list_comprehension") X(set_comprehension, "set_comprehension") \
	X(dictionary_comprehension, "dictionary_comprehension") X(generator_expression, "generator_expression") \
	X(parameters, "parameters") X(lambda_parameters, "lambda_parameters") \
	X(typed_parameter, "typed_parameter") X(default_parameter, "default_parameter") \
	X(typed_default_parameter, "typed_default_parameter") X(list_splat_pattern, "list_splat_pattern") \
	X(dictionary_splat_pattern, "dictionary_splat_pattern") X(type, "type") X(string, "string") \
	X(concatenated_string, "concatenated_string") X(string_content, "string_content") \
	X(comment, "comment") X(block, "block") X(try_statement, "try_statement") \
	X(except_clause, "except_clause") X(finally_clause, "finally_clause") X(if_statement, "if_statement") \
	X(while_statement, "while_statement") X(return_statement, "return_statement") \
	X(binary_operator, "binary_operator") X(named_expression, "named_expression") \
	X(pattern_list, "pattern_list") X(tuple_pattern, "tuple_pattern") X(list_pattern, "list_pattern") \
	X(tuple, "tuple") X(list, "list") X(subscript, "subscript") X(none, "none") X(true_, "true") \
	X(false_, "false") X(integer, "integer") X(float_, "float") X(conditional_expression, "conditional_expression") \
	X(boolean_operator, "boolean_operator") X(not_operator, "not_operator") \
	X(assert_statement, "assert_statement") X(yield, "yield") X(delete_statement, "delete_statement") \
	X(match_statement, "match_statement") X(case_clause, "case_clause") X(type_alias_statement, "type_alias_statement") \
	X(expression_list, "expression_list") X(generic_type, "generic_type") X(union_type, "union_type") \
	X(raise_statement, "raise_statement") X(pass_statement, "pass_statement") X(dictionary, "dictionary") \
	X(set, "set") X(pair, "pair") X(unary_operator, "unary_operator") X(comparison_operator, "comparison_operator") \
	X(slice, "slice") X(ellipsis, "ellipsis") X(elif_clause, "elif_clause") X(else_clause, "else_clause") \
	X(break_statement, "break_statement") X(continue_statement, "continue_statement") \
	X(splat_pattern, "splat_pattern") X(keyword_separator, "keyword_separator") \
	X(positional_separator, "positional_separator") X(print_statement, "print_statement") \
	X(exec_statement, "exec_statement") X(interpolation, "interpolation")

/* X(field_name, "grammar field") */
#define AA_FIELD_LIST(X) \
	X(function, "function") X(arguments, "arguments") X(object, "object") X(attribute, "attribute") \
	X(name, "name") X(body, "body") X(left, "left") X(right, "right") X(value, "value") X(type, "type") \
	X(parameters, "parameters") X(alias, "alias") X(module_name, "module_name") X(superclasses, "superclasses") \
	X(definition, "definition") X(condition, "condition") X(consequence, "consequence") \
	X(alternative, "alternative") X(argument, "argument") X(operator, "operator") X(subscript, "subscript") \
	X(return_type, "return_type") X(key, "key") X(cause, "cause") X(subject, "subject")

struct aa_syms {
	const TSLanguage *lang;
#define AA_SYM_FIELD(f, s) TSSymbol f;
	AA_SYM_LIST(AA_SYM_FIELD)
#undef AA_SYM_FIELD
	/* Anonymous tokens we test: the `async` keyword (child of function_definition,
	 * for_statement, with_statement, comprehension clauses). */
	TSSymbol kw_async;
	struct {
#define AA_FIELD_FIELD(f, s) TSFieldId f;
		AA_FIELD_LIST(AA_FIELD_FIELD)
#undef AA_FIELD_FIELD
	} f;
};

/* The pinned Python grammar. */
const TSLanguage *tree_sitter_python(void);

/* Interns every name above into syms (filled; lang is kept, not owned). Returns 0, or
 * -1 with the missing name in *missing (static string) when the pinned grammar lacks
 * one: a build/pin mismatch, reported as exit 2. Allocates nothing. */
int aa_syms_init(struct aa_syms *syms, const TSLanguage *lang, const char **missing);

/* Interned id of another named kind (NUL-terminated), for rule descriptors' node_kinds
 * (0 if unknown). */
TSSymbol aa_syms_lookup(const struct aa_syms *syms, const char *kind);

#endif
