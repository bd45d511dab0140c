/*
 * settings.h: what the configuration says to the checks of one file (analyzer/app/config.c
 * fills it from the closest configuration file and the command line). The engine hands
 * it to each file's context; rules read it through context.h. Immutable while files are
 * analyzed; shared by the worker threads.
 */
#ifndef AA_SETTINGS_H
#define AA_SETTINGS_H

struct aa_file_settings {
	/* borrowed; NULL-terminated qualified names (AA110's blocking-calls), or NULL */
	const char *const *blocking_calls;
	/* borrowed; NULL-terminated qualified names of decorators that keep a def what it
	 * was (transparent-decorators), or NULL */
	const char *const *transparent_decorators;
	/* the oldest Python the code runs on as 3xx (311 for 3.11), or 0 when unknown */
	unsigned target_version;
	/* the rules that spare test code report there too (report-in-tests) */
	bool report_in_tests;
};

#endif
