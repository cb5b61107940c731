/* wh-test-cl.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <math.h>
#include <string.h>

#include "wh-safetensors.h"

#include "wh-test-cl.h"

WhClDeviceInfo *
wh_test_cl_device (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;

  devices = wh_cl_enumerate_devices (&error);
  if (g_error_matches (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE))
    {
      g_test_message ("no OpenCL device on this machine: %s", error->message);
      return NULL;
    }
  g_assert_no_error (error);

  info = wh_cl_select_device (devices, NULL, &error);
  g_assert_no_error (error);

  return wh_cl_device_info_copy (info);
}

WhClContext *
wh_test_cl_context_new (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(GError) error = NULL;
  WhClContext *ctx;

  if (device == NULL)
    return NULL;

  ctx = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx);

  return ctx;
}

/**
 * wh_test_cl_run:
 * @ctx: (out): where the tests find their context
 *
 * Runs the tests added after g_test_init() with *@ctx a context on the
 * test device (NULL without one), freed afterwards.
 *
 * Returns: g_test_run()'s status
 */
int
wh_test_cl_run (WhClContext **ctx)
{
  int ret;

  *ctx = wh_test_cl_context_new ();
  ret = g_test_run ();
  g_clear_pointer (ctx, wh_cl_context_free);

  return ret;
}

/**
 * wh_test_cl_add_paths:
 * @prefix: the tests' path, "/whetstone/cl/gemm"
 * @tests: (array length=n_tests): names and functions
 * @ctx: where the tests find their context (see wh_test_cl_run())
 *
 * Adds each test twice, as @prefix/device/NAME (CLBlast and the OpenCL kernels) and @prefix/host-blas/NAME,
 * the function called with its data a WhClGemmPath: it starts with
 * wh_test_cl_use_path(), so that the code for GPUs and the code for CPU
 * devices are both checked on the test device.
 */
void
wh_test_cl_add_paths (const char            *prefix,
                      const WhTestPathTest  *tests,
                      guint                  n_tests)
{
  static const struct { const char *name; WhClGemmPath path; } paths[] = {
    { "device", WH_CL_GEMM_PATH_CLBLAST },
    { "host-blas", WH_CL_GEMM_PATH_HOST_BLAS },
  };

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < n_tests; i++)
      {
        g_autofree char *path = g_strdup_printf ("%s/%s/%s", prefix, paths[p].name, tests[i].name);

        g_test_add_data_func (path, GINT_TO_POINTER (paths[p].path), tests[i].func);
      }
}

/* Sets @ctx's path to @data's; FALSE, and the test skipped, where there is
 * no device or the path is not there to test. */
gboolean
wh_test_cl_use_path (WhClContext   *ctx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (ctx == NULL)
    {
      g_test_skip ("this machine has no OpenCL device (install pocl-opencl-icd)");
      return FALSE;
    }

  if (!wh_cl_gemm_set_path (ctx, GPOINTER_TO_INT (data), &error))
    {
      g_test_skip (error->message);
      return FALSE;
    }

  return TRUE;
}

void
wh_test_fill_random (float   *data,
                     gsize    n,
                     guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    data[i] = g_rand_double_range (rand, -1.0, 1.0);
}

/* Random in [offset - scale, offset + scale). */
void
wh_test_fill_scaled (float   *data,
                     gsize    n,
                     guint32  seed,
                     float    scale,
                     float    offset)
{
  wh_test_fill_random (data, n, seed);
  for (gsize i = 0; i < n; i++)
    data[i] = data[i] * scale + offset;
}

/* (n_rows, row_len) elements of @type as random blocks: any bytes, but
 * with their scales d (and dmin) set to finite f16 values of the sizes
 * real weights have (nf4: its absmax to a finite f32).  nf4 rows may end
 * in a short block. */
guint8 *
wh_test_random_blocks (WhClDType type,
                       gsize     n_rows,
                       gsize     row_len,
                       guint32   seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize size = n_rows * wh_cl_dtype_row_bytes (type, row_len);
  gsize block_bytes = wh_cl_dtype_block_bytes (type);
  guint8 *data = g_malloc (MAX (size, 1));
  gsize d_at[2] = { 0, 0 };
  guint n_d = 0;

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int_range (rand, 0, 256);

  switch (type)
    {
    case WH_CL_DTYPE_Q8_0:
    case WH_CL_DTYPE_Q4_0:
      d_at[n_d++] = 0;
      break;
    case WH_CL_DTYPE_Q4_K:
      d_at[n_d++] = 0;
      d_at[n_d++] = 2;
      break;
    case WH_CL_DTYPE_Q6_K:
      d_at[n_d++] = 208;
      break;
    case WH_CL_DTYPE_NF4:
      /* absmax, an f32 */
      for (gsize b = 0; b < size / block_bytes; b++)
        {
          float absmax = g_rand_double_range (rand, 0.0, 0.05);
          guint32 u;

          memcpy (&u, &absmax, sizeof u);
          for (guint k = 0; k < 4; k++)
            data[b * block_bytes + k] = (u >> (8 * k)) & 0xff;
        }
      break;
    case WH_CL_DTYPE_F32:
    case WH_CL_DTYPE_F16:
    case WH_CL_DTYPE_BF16:
    default:
      break;   /* every bit pattern: subnormals, infinities, NaNs too */
    }

  for (gsize b = 0; b < size / block_bytes; b++)
    for (guint k = 0; k < n_d; k++)
      {
        guint16 h = wh_ref_f32_to_f16 (g_rand_double_range (rand, -0.05, 0.05));

        data[b * block_bytes + d_at[k]] = h & 0xff;
        data[b * block_bytes + d_at[k] + 1] = h >> 8;
      }

  return data;
}

/* A buffer of @size bytes (at least 1), zero-filled as every new buffer. */
WhClBuffer *
wh_test_buffer_new (WhClContext *ctx,
                    gsize        size)
{
  g_autoptr(GError) error = NULL;
  WhClBuffer *buffer = wh_cl_buffer_new (ctx, MAX (size, 1), &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);

  return buffer;
}

/* A zeroed buffer of @n floats. */
WhClBuffer *
wh_test_zeros (WhClContext *ctx,
               gsize        n)
{
  return wh_test_buffer_new (ctx, n * sizeof (float));
}

WhClBuffer *
wh_test_upload (WhClContext *ctx,
                const void  *data,
                gsize        size)
{
  g_autoptr(GError) error = NULL;
  WhClBuffer *buffer = wh_test_buffer_new (ctx, size);

  if (size > 0)
    wh_cl_buffer_write (buffer, 0, data, size, &error);
  g_assert_no_error (error);

  return buffer;
}

WhClBuffer *
wh_test_upload_floats (WhClContext *ctx,
                       const float *data,
                       gsize        n)
{
  return wh_test_upload (ctx, data, n * sizeof (float));
}

void
wh_test_download (WhClBuffer *buffer,
                  void       *data,
                  gsize       size)
{
  g_autoptr(GError) error = NULL;

  wh_cl_buffer_read (buffer, 0, data, size, &error);
  g_assert_no_error (error);
}

void
wh_test_download_floats (WhClBuffer *buffer,
                         float      *data,
                         gsize       n)
{
  wh_test_download (buffer, data, n * sizeof (float));
}

/* Holds @got to @want by wh_ref_normalized_error (‖got − want‖ / ‖want‖);
 * @what (nullable) names them in the messages. */
void
wh_test_assert_close (const char  *what,
                      const float *got,
                      const float *want,
                      gsize        n,
                      double       tolerance)
{
  double err = wh_ref_normalized_error (got, want, n);
  const char *sep = what != NULL ? ": " : "";

  if (what == NULL)
    what = "";

  g_test_message ("%s%snormalised error %.3g (tolerance %.3g)", what, sep, err, tolerance);
  if (!(err <= tolerance))
    g_error ("%s%snormalised error %g exceeds %g", what, sep, err, tolerance);
}

/* An op refused its arguments with @code, its message naming @mentions
 * (NULL: any message). */
void
wh_test_assert_refused (gboolean     ok,
                        GError     **error,
                        gint         code,
                        const char  *mentions)
{
  g_assert_false (ok);
  g_assert_error (*error, WH_CL_ERROR, code);
  if (mentions != NULL && strstr ((*error)->message, mentions) == NULL)
    g_error ("error “%s” does not mention “%s”", (*error)->message, mentions);
  g_clear_error (error);
}

/* An op refused its arguments as invalid, naming @operand in quotes
 * (NULL: any message). */
void
wh_test_assert_invalid (gboolean     ok,
                        GError     **error,
                        const char  *operand)
{
  g_autofree char *quoted = operand != NULL ? g_strdup_printf ("“%s”", operand) : NULL;

  wh_test_assert_refused (ok, error, WH_CL_ERROR_INVALID_ARGUMENT, quoted);
}

/* Removes a temporary folder of a test and everything in it. */
void
wh_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        wh_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* $WH_REFERENCE_DIR/training/@model/@name. */
char *
wh_test_training_fixture (const char *model,
                          const char *name)
{
  return g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "training", model, name, NULL);
}

static JsonNode *
parse_json (const char *path,
            JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_get_root (parser);
}

static GArray *
int_array (JsonArray *values)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      gint32 v = json_array_get_int_element (values, i);

      g_array_append_val (out, v);
    }
  return out;
}

/* A batch.json: its "input_ids", "targets" and "n_target_tokens". */
void
wh_test_batch_load (WhTestBatch *batch,
                    const char  *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = json_node_get_object (parse_json (path, parser));
  JsonArray *ids = json_object_get_array_member (root, "input_ids");
  JsonArray *targets = json_object_get_array_member (root, "targets");

  batch->ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  batch->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  batch->n_targets = json_object_get_int_member (root, "n_target_tokens");
  g_assert_cmpuint (json_array_get_length (ids), ==, json_array_get_length (targets));
  for (guint s = 0; s < json_array_get_length (ids); s++)
    {
      g_ptr_array_add (batch->ids, int_array (json_array_get_array_element (ids, s)));
      g_ptr_array_add (batch->targets, int_array (json_array_get_array_element (targets, s)));
    }
}

void
wh_test_batch_clear (WhTestBatch *batch)
{
  g_clear_pointer (&batch->ids, g_ptr_array_unref);
  g_clear_pointer (&batch->targets, g_ptr_array_unref);
}

/* zero_grad, then every sequence of @batch, each token's loss scaled by
 * 1 / n_targets; returns the loss, the mean over the batch's targets. */
double
wh_test_batch_accumulate (WhTrainStep *step,
                          WhTestBatch *batch)
{
  g_autoptr(GError) error = NULL;
  double loss = 0;

  g_assert_true (wh_train_step_zero_grad (step, &error));
  g_assert_no_error (error);
  for (guint s = 0; s < batch->ids->len; s++)
    {
      GArray *ids = g_ptr_array_index (batch->ids, s);
      GArray *targets = g_ptr_array_index (batch->targets, s);
      double part = 0;

      g_assert_true (wh_train_step_accumulate (step, (const gint32 *) (gpointer) ids->data,
                                               (const gint32 *) (gpointer) targets->data, ids->len,
                                               1.0f / batch->n_targets, &part, &error));
      g_assert_no_error (error);
      loss += part;
    }
  return loss / batch->n_targets;
}

/* The number at @member of the JSON object in @path; @member may name a
 * path of objects and array indices, "steps/0/loss". */
double
wh_test_json_double (const char *path,
                     const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) parts = g_strsplit (member, "/", -1);
  JsonNode *node = parse_json (path, parser);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), g_ascii_strtoull (parts[i], NULL, 10));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      if (node == NULL)
        g_error ("%s has no %s", path, member);
    }
  return json_node_get_double (node);
}

/* Holds each tensor of the safetensors file @path to the one of the same
 * (PEFT or transformers) name that @step trains: its gradient with
 * @grads, else its value.  The error of a tensor is max |got − want|,
 * divided by max |want| when @relative.  Returns the worst. */
double
wh_test_check_step_tensors (WhTrainStep *step,
                            const char  *path,
                            gboolean     grads,
                            gboolean     relative,
                            double       tolerance)
{
  g_autoptr(WhSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  double worst = 0;

  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_safetensors_get_n_tensors (st), >, 0);
  for (gsize i = 0; i < wh_safetensors_get_n_tensors (st); i++)
    {
      const WhSafetensorsTensor *ref = wh_safetensors_get_tensor (st, i);
      const float *want = (const float *) ref->data;
      WhClBuffer *buffer = grads ? wh_train_step_get_weight_grad (step, ref->name)
                                 : wh_train_step_get_weight (step, ref->name);
      g_autofree float *got = NULL;
      double diff = 0, scale = 0, err;

      if (buffer == NULL)
        g_error ("the step does not train %s", ref->name);
      g_assert_cmpint (ref->dtype, ==, WH_CL_DTYPE_F32);
      g_assert_cmpuint (buffer->size, >=, ref->n_elements * sizeof (float));
      got = g_new (float, ref->n_elements);
      wh_test_download_floats (buffer, got, ref->n_elements);
      for (gsize k = 0; k < ref->n_elements; k++)
        {
          diff = MAX (diff, fabs ((double) got[k] - want[k]));
          scale = MAX (scale, fabs (want[k]));
        }
      err = relative && scale > 0 ? diff / scale : diff;
      if (!(err <= tolerance))
        g_error ("%s: %s error %.3g > %.3g", ref->name, relative ? "relative" : "absolute", err, tolerance);
      worst = MAX (worst, err);
    }
  return worst;
}
