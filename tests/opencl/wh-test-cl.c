/* wh-test-cl.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

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
 * real weights have. */
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
