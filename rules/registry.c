/* The one list of rules, sorted by code, and of families. Adding a rule touches its own
 * file and this one. The test build appends the test-only rules (rules/testonly/). */
#include "rules/rules.h"

#ifdef AA_TEST_RULES
#include "rules/testonly/registry.h"
#else
#define AA_TEST_RULES_LIST
#define AA_TEST_FAMILIES_LIST
#endif

extern const struct aa_rule aa_rule_syntax_error;
extern const struct aa_rule aa_rule_unreadable_file;
extern const struct aa_rule aa_rule_unused_noqa;
extern const struct aa_rule aa_rule_blocking_sleep;
extern const struct aa_rule aa_rule_blocking_http_call;
extern const struct aa_rule aa_rule_blocking_subprocess;
extern const struct aa_rule aa_rule_blocking_file_io;
extern const struct aa_rule aa_rule_blocking_network_io;
extern const struct aa_rule aa_rule_blocking_database_call;
extern const struct aa_rule aa_rule_blocking_sqlite_call;
extern const struct aa_rule aa_rule_blocking_input;
extern const struct aa_rule aa_rule_blocking_sync_primitive;
extern const struct aa_rule aa_rule_blocking_call_via_helper;
extern const struct aa_rule aa_rule_configured_blocking_call;
extern const struct aa_rule aa_rule_blocking_path_check;
extern const struct aa_rule aa_rule_blocking_native_call;
extern const struct aa_rule aa_rule_unawaited_coroutine;
extern const struct aa_rule aa_rule_coroutine_in_boolean_context;
extern const struct aa_rule aa_rule_dangling_task;
extern const struct aa_rule aa_rule_dangling_handled_task;
extern const struct aa_rule aa_rule_nested_event_loop;
extern const struct aa_rule aa_rule_get_event_loop_in_coroutine;
extern const struct aa_rule aa_rule_await_outside_async;
extern const struct aa_rule aa_rule_unused_async;
extern const struct aa_rule aa_rule_unbounded_gather;
extern const struct aa_rule aa_rule_unbounded_task_spawn;
extern const struct aa_rule aa_rule_per_call_limiter;
extern const struct aa_rule aa_rule_manual_acquire;
extern const struct aa_rule aa_rule_unbounded_queue;
extern const struct aa_rule aa_rule_client_per_request;
extern const struct aa_rule aa_rule_swallowed_cancellation;
extern const struct aa_rule aa_rule_return_in_finally;
extern const struct aa_rule aa_rule_timeout_disabled;
extern const struct aa_rule aa_rule_timeout_parameter;
extern const struct aa_rule aa_rule_busy_wait;
extern const struct aa_rule aa_rule_timeout_without_await;
extern const struct aa_rule aa_rule_cancelled_coroutine_returns;
extern const struct aa_rule aa_rule_catch_all_cancellation;
extern const struct aa_rule aa_rule_sync_with_async_resource;
extern const struct aa_rule aa_rule_unclosed_async_resource;
extern const struct aa_rule aa_rule_yield_in_scope;
extern const struct aa_rule aa_rule_async_test_not_run;
extern const struct aa_rule aa_rule_async_fixture_strict_mode;
extern const struct aa_rule aa_rule_async_test_in_sync_testcase;

const struct aa_rule *const aa_rules[] = {
	&aa_rule_syntax_error,
	&aa_rule_unreadable_file,
	&aa_rule_unused_noqa,
	&aa_rule_blocking_sleep,
	&aa_rule_blocking_http_call,
	&aa_rule_blocking_subprocess,
	&aa_rule_blocking_file_io,
	&aa_rule_blocking_network_io,
	&aa_rule_blocking_database_call,
	&aa_rule_blocking_input,
	&aa_rule_blocking_sync_primitive,
	&aa_rule_blocking_call_via_helper,
	&aa_rule_configured_blocking_call,
	&aa_rule_blocking_path_check,
	&aa_rule_blocking_native_call,
	&aa_rule_blocking_sqlite_call,
	&aa_rule_unawaited_coroutine,
	&aa_rule_coroutine_in_boolean_context,
	&aa_rule_dangling_task,
	&aa_rule_nested_event_loop,
	&aa_rule_get_event_loop_in_coroutine,
	&aa_rule_await_outside_async,
	&aa_rule_unused_async,
	&aa_rule_dangling_handled_task,
	&aa_rule_unbounded_gather,
	&aa_rule_unbounded_task_spawn,
	&aa_rule_per_call_limiter,
	&aa_rule_manual_acquire,
	&aa_rule_unbounded_queue,
	&aa_rule_client_per_request,
	&aa_rule_swallowed_cancellation,
	&aa_rule_return_in_finally,
	&aa_rule_timeout_disabled,
	&aa_rule_timeout_parameter,
	&aa_rule_busy_wait,
	&aa_rule_timeout_without_await,
	&aa_rule_cancelled_coroutine_returns,
	&aa_rule_catch_all_cancellation,
	&aa_rule_sync_with_async_resource,
	&aa_rule_unclosed_async_resource,
	&aa_rule_yield_in_scope,
	&aa_rule_async_test_not_run,
	&aa_rule_async_fixture_strict_mode,
	&aa_rule_async_test_in_sync_testcase,
	AA_TEST_RULES_LIST
};

const size_t aa_rules_count = sizeof(aa_rules) / sizeof(aa_rules[0]);

const struct aa_family *const aa_families[] = {
	&aa_family_analyzer,
	&aa_family_blocking,
	&aa_family_coroutines,
	&aa_family_concurrency,
	&aa_family_cancellation,
	&aa_family_resources,
	&aa_family_testing,
	AA_TEST_FAMILIES_LIST
};
const size_t aa_families_count = sizeof(aa_families) / sizeof(aa_families[0]);
