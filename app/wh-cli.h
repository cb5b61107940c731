/* wh-cli.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "wh-cl.h"

G_BEGIN_DECLS

/* Exit statuses of whetstone-cli */
#define WH_CLI_EXIT_OK      0
#define WH_CLI_EXIT_FAILED  1
#define WH_CLI_EXIT_USAGE   2

int             wh_cli_devices         (int                   argc,
                                        char                **argv);
int             wh_cli_tune            (int                   argc,
                                        char                **argv);
int             wh_cli_bench           (int                   argc,
                                        char                **argv);
int             wh_cli_tokenize        (int                   argc,
                                        char                **argv);
int             wh_cli_template        (int                   argc,
                                        char                **argv);
int             wh_cli_bench_tokenize  (int                   argc,
                                        char                **argv);
int             wh_cli_bench_generate  (int                   argc,
                                        char                **argv);
int             wh_cli_bench_train     (int                   argc,
                                        char                **argv);
double          wh_cli_bench_gemm_peak (WhClContext          *ctx,
                                        GError              **error);
double          wh_cli_bench_openblas_peak (void);
int             wh_cli_train           (int                   argc,
                                        char                **argv);
int             wh_cli_init_model      (int                   argc,
                                        char                **argv);
int             wh_cli_convert         (int                   argc,
                                        char                **argv);
int             wh_cli_validate        (int                   argc,
                                        char                **argv);
int             wh_cli_bench_data      (int                   argc,
                                        char                **argv);
int             wh_cli_inspect         (int                   argc,
                                        char                **argv);
int             wh_cli_generate        (int                   argc,
                                        char                **argv);
int             wh_cli_score           (int                   argc,
                                        char                **argv);

gboolean        wh_cli_parse           (GOptionContext       *context,
                                        int                  *argc,
                                        char               ***argv);
int             wh_cli_fail            (GError               *error);
WhClDeviceInfo *wh_cli_open_device     (const char           *spec,
                                        GError              **error);
void            wh_cli_print_json      (JsonNode             *node);
gboolean        wh_cli_is_terminal     (void);
gboolean        wh_cli_run_tuning      (WhClContext          *ctx,
                                        double                budget,
                                        gboolean              quiet,
                                        WhClGemmTuning       *tuning,
                                        GError              **error);

G_END_DECLS
