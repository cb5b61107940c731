/* wh-test-cl.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl.h"
#include "wh-train-step.h"

G_BEGIN_DECLS

/* The device every kernel test runs on: WHETSTONE_DEVICE's, else the
 * default (PoCL's CPU device in CI).  NULL only where this machine
 * genuinely has no OpenCL device; tests then skip, saying so. */
WhClDeviceInfo *wh_test_cl_device       (void);
WhClContext    *wh_test_cl_context_new  (void);
int             wh_test_cl_run          (WhClContext **ctx);

typedef struct
{
  const char    *name;
  GTestDataFunc  func;
} WhTestPathTest;

void            wh_test_cl_add_paths    (const char            *prefix,
                                         const WhTestPathTest  *tests,
                                         guint                  n_tests);
gboolean        wh_test_cl_use_path     (WhClContext           *ctx,
                                         gconstpointer          data);

/* Host data. */
void            wh_test_fill_random     (float        *data,
                                         gsize         n,
                                         guint32       seed);
void            wh_test_fill_scaled     (float        *data,
                                         gsize         n,
                                         guint32       seed,
                                         float         scale,
                                         float         offset);
guint8         *wh_test_random_blocks   (WhClDType     type,
                                         gsize         n_rows,
                                         gsize         row_len,
                                         guint32       seed);

/* Device buffers, zero-filled where not uploaded; failures abort. */
WhClBuffer     *wh_test_buffer_new      (WhClContext  *ctx,
                                         gsize         size);
WhClBuffer     *wh_test_zeros           (WhClContext  *ctx,
                                         gsize         n);
WhClBuffer     *wh_test_upload          (WhClContext  *ctx,
                                         const void   *data,
                                         gsize         size);
WhClBuffer     *wh_test_upload_floats   (WhClContext  *ctx,
                                         const float  *data,
                                         gsize         n);
void            wh_test_download        (WhClBuffer   *buffer,
                                         void         *data,
                                         gsize         size);
void            wh_test_download_floats (WhClBuffer   *buffer,
                                         float        *data,
                                         gsize         n);

/* Checks. */
void            wh_test_assert_close    (const char   *what,
                                         const float  *got,
                                         const float  *want,
                                         gsize         n,
                                         double        tolerance);
void            wh_test_assert_refused  (gboolean      ok,
                                         GError      **error,
                                         gint          code,
                                         const char   *mentions);
void            wh_test_assert_invalid  (gboolean      ok,
                                         GError      **error,
                                         const char   *operand);

void            wh_test_remove_tree     (const char   *path);

/* Training fixtures (tests/reference/training, see its README). */
typedef struct
{
  GPtrArray *ids;         /* GArray of gint32 per sequence */
  GPtrArray *targets;     /* the same, already shifted; -100: not trained */
  guint      n_targets;
} WhTestBatch;

char           *wh_test_training_fixture   (const char   *model,
                                            const char   *name);
void            wh_test_batch_load         (WhTestBatch  *batch,
                                            const char   *path);
void            wh_test_batch_clear        (WhTestBatch  *batch);
double          wh_test_batch_accumulate   (WhTrainStep  *step,
                                            WhTestBatch  *batch);
double          wh_test_json_double        (const char   *path,
                                            const char   *member);
double          wh_test_check_step_tensors (WhTrainStep  *step,
                                            const char   *path,
                                            gboolean      grads,
                                            gboolean      relative,
                                            double        tolerance);

#define WH_TEST_REQUIRE(ptr)                                              \
  G_STMT_START {                                                          \
    if ((ptr) == NULL)                                                    \
      {                                                                   \
        g_test_skip ("this machine has no OpenCL device (install pocl-opencl-icd)"); \
        return;                                                           \
      }                                                                   \
  } G_STMT_END

G_END_DECLS
