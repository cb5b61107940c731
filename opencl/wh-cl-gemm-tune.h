/* wh-cl-gemm-tune.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-cl-context.h"

G_BEGIN_DECLS

#define WH_CL_XGEMM_N_PARAMS        16
#define WH_CL_XGEMM_DIRECT_N_PARAMS 10

typedef struct
{
  double   budget_seconds;  /* wall-clock time the search may take; 0 for the default */
  guint    max_candidates;  /* 0: as many as the budget allows */
  guint32  seed;            /* the sampling order of the search */
  gboolean small;           /* tune on small problems: for tests, not for use */
} WhClGemmTuneOptions;

/* What a tuning pass found, for one kernel of CLBlast's GEMM. */
typedef struct
{
  gboolean found;           /* FALSE: no candidate beat the defaults; they stay */
  gsize    m, n, k;         /* the problem it was tuned on */
  guint    n_tried;
  guint    n_rejected;      /* failed to build, or gave wrong results */
  double   default_gflops;
  double   best_gflops;
  gsize    params[WH_CL_XGEMM_N_PARAMS];
} WhClGemmTuneKernel;

typedef struct
{
  WhClGemmTuneKernel xgemm;        /* large products: the model's projections */
  WhClGemmTuneKernel xgemm_direct; /* small and skinny ones: LoRA's rank-r products */
  double             seconds;
} WhClGemmTuning;

/* Called after each candidate, on the calling thread. */
typedef void (*WhClGemmTuneProgress) (const char *kernel,
                                      guint       done,
                                      guint       total,
                                      double      best_gflops,
                                      gpointer    user_data);

gboolean  wh_cl_gemm_tune                  (WhClContext                *ctx,
                                            const WhClGemmTuneOptions  *options,
                                            WhClGemmTuneProgress        progress,
                                            gpointer                    user_data,
                                            GCancellable               *cancellable,
                                            WhClGemmTuning             *result,
                                            GError                    **error);
char     *wh_cl_gemm_dup_tuning_path       (WhClContext                *ctx);
gboolean  wh_cl_gemm_has_cached_tuning     (WhClContext                *ctx);
gboolean  wh_cl_gemm_apply_cached_tuning   (WhClContext                *ctx,
                                            GError                    **error);
char     *wh_cl_gemm_dup_params_string     (const WhClGemmTuneKernel   *kernel,
                                            gboolean                    direct);

G_END_DECLS
