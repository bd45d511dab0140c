/*
 * server_config.h: the language server's view of the configuration files
 * (analyzer/server/wsconfig.h), answered with `check`'s own code (config.h): the same
 * closest file, selection, per-file-ignores, severities, excludes and per-file settings.
 * The run-wide keys that only shape a `check` run (format, jobs) are not read.
 */
#ifndef AA_SERVER_CONFIG_H
#define AA_SERVER_CONFIG_H

#include "analyzer/app/cli.h"
#include "analyzer/server/wsconfig.h"

/* Fills ops for the command line cli (borrowed: must outlive every reading made). */
void aa_server_config_ops(struct aa_wsconfig_ops *ops, const struct aa_cli *cli);

#endif
