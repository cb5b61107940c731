/* test-cl-dequant.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The weight-format decoders against two oracles: the floats the `gguf`
 * Python package decodes from the blocks in tests/reference/quants/ (made by
 * make-fixtures.py there), and the plain-C reference on larger random
 * blocks.  Then row ranges, offsets, gathers and argument errors. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "wh-test-cl.h"

static WhClContext *ctx;

static const WhClDType all_types[] = {
  WH_CL_DTYPE_F32, WH_CL_DTYPE_F16, WH_CL_DTYPE_BF16, WH_CL_DTYPE_Q8_0,
  WH_CL_DTYPE_Q4_0, WH_CL_DTYPE_Q4_K, WH_CL_DTYPE_Q6_K,
};

/* The GGUF types and nf4 (QLoRA's, no GGUF type: the gguf package's
 * fixtures have none; make-fixtures.py in tests/reference/training checks
 * the quantiser byte for byte against its own NF4). */
static const WhClDType kernel_types[] = {
  WH_CL_DTYPE_F32, WH_CL_DTYPE_F16, WH_CL_DTYPE_BF16, WH_CL_DTYPE_Q8_0,
  WH_CL_DTYPE_Q4_0, WH_CL_DTYPE_Q4_K, WH_CL_DTYPE_Q6_K, WH_CL_DTYPE_NF4,
};

/* Rows of test matrices: @n_floats for the float types, else @n_blocks
 * whole blocks, and for nf4 a short one after them. */
static gsize
test_row_len (WhClDType type,
              gsize     n_floats,
              gsize     n_blocks)
{
  gsize block_size = wh_cl_dtype_block_size (type);

  if (block_size == 1)
    return n_floats;
  return n_blocks * block_size + (type == WH_CL_DTYPE_NF4 ? 21 : 0);
}

/* ---- helpers ---------------------------------------------------------- */

static guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

static float
read_f32_le (const guint8 *p)
{
  guint32 u = p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

static gboolean
is_float_type (WhClDType type)
{
  return type == WH_CL_DTYPE_F32 || type == WH_CL_DTYPE_F16 || type == WH_CL_DTYPE_BF16;
}

/* Holds @got to @want, (n_rows, row_len).  Float types must match bit for
 * bit (a NaN may come back with another payload).  Block types must match
 * exactly or, should a device round d·q − m once instead of twice, within
 * 1e-6 of the largest magnitude in the row; how many did not match bit for
 * bit is reported. */
static void
assert_match (const char  *what,
              WhClDType    type,
              const float *got,
              const float *want,
              gsize        n_rows,
              gsize        row_len)
{
  gsize n_inexact = 0;

  for (gsize r = 0; r < n_rows; r++)
    {
      const float *g = got + r * row_len, *w = want + r * row_len;
      float row_max = 0.0f;

      for (gsize j = 0; j < row_len; j++)
        if (isfinite (w[j]))
          row_max = MAX (row_max, fabsf (w[j]));

      for (gsize j = 0; j < row_len; j++)
        {
          gboolean ok;

          if (float_bits (g[j]) == float_bits (w[j]) || (isnan (g[j]) && isnan (w[j])))
            continue;

          n_inexact++;
          ok = !is_float_type (type) &&
               (g[j] == w[j] || fabsf (g[j] - w[j]) <= 1e-6f * row_max);
          if (!ok)
            g_error ("%s, %s: row %" G_GSIZE_FORMAT " element %" G_GSIZE_FORMAT
                     ": got %.9g (0x%08x), want %.9g (0x%08x)",
                     what, wh_cl_dtype_to_string (type), r, j,
                     g[j], float_bits (g[j]), w[j], float_bits (w[j]));
        }
    }

  if (n_inexact > 0)
    g_test_message ("%s, %s: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                    " values within tolerance but not bit-exact",
                    what, wh_cl_dtype_to_string (type), n_inexact, n_rows * row_len);
}

static void
ref_rows (WhClDType     type,
          const guint8 *src,
          gsize         n_rows,
          gsize         row_len,
          float        *dst)
{
  gsize row_bytes = wh_cl_dtype_row_bytes (type, row_len);

  for (gsize r = 0; r < n_rows; r++)
    wh_ref_dequantize_row (type, src + r * row_bytes, dst + r * row_len, row_len);
}

/* ---- fixtures from the gguf package --------------------------------- */

typedef struct
{
  char         *name;
  WhClDType     type;
  gsize         rows;
  gsize         cols;
  gsize         row_bytes;
  GBytes       *bytes;
  const guint8 *source;     /* (rows, cols) f32 LE, or NULL */
  const guint8 *quant;      /* (rows, row_bytes) */
  float        *expected;   /* (rows, cols) */
} Fixture;

static GPtrArray *fixtures;

static void
fixture_free (Fixture *f)
{
  g_free (f->name);
  g_bytes_unref (f->bytes);
  g_free (f->expected);
  g_free (f);
}

static char *
fixtures_path (const char *name)
{
  const char *env = g_getenv ("WH_REFERENCE_DIR");

  if (env != NULL)
    return g_build_filename (env, "quants", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "reference", "quants", name, NULL);
}

static const guint8 *
section (Fixture    *f,
         JsonObject *entry,
         const char *key,
         gsize       expect_bytes)
{
  g_autofree char *offset_key = g_strconcat (key, "_offset", NULL);
  g_autofree char *bytes_key = g_strconcat (key, "_bytes", NULL);
  gsize offset, size;

  if (!json_object_has_member (entry, offset_key))
    return NULL;

  offset = json_object_get_int_member (entry, offset_key);
  size = json_object_get_int_member (entry, bytes_key);
  g_assert_cmpuint (size, ==, expect_bytes);
  g_assert_cmpuint (offset + size, <=, g_bytes_get_size (f->bytes));

  return (const guint8 *) g_bytes_get_data (f->bytes, NULL) + offset;
}

static void
load_fixtures (void)
{
  g_autofree char *json_path = fixtures_path ("fixtures.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *types;

  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  types = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "types");
  g_assert_nonnull (types);

  fixtures = g_ptr_array_new_with_free_func ((GDestroyNotify) fixture_free);
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *entry = json_array_get_object_element (types, i);
      g_autofree char *path = fixtures_path (json_object_get_string_member (entry, "file"));
      Fixture *f = g_new0 (Fixture, 1);
      const guint8 *expected;
      char *contents = NULL;
      gsize length = 0;

      f->name = g_strdup (json_object_get_string_member (entry, "name"));
      f->type = json_object_get_int_member (entry, "ggml_type");
      f->rows = json_object_get_int_member (entry, "rows");
      f->cols = json_object_get_int_member (entry, "cols");
      f->row_bytes = json_object_get_int_member (entry, "row_bytes");

      g_assert_true (wh_cl_dtype_is_supported (f->type));
      g_assert_cmpstr (wh_cl_dtype_to_string (f->type), ==, f->name);
      g_assert_cmpuint (wh_cl_dtype_row_bytes (f->type, f->cols), ==, f->row_bytes);

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      f->bytes = g_bytes_new_take (contents, length);

      f->source = section (f, entry, "source", f->rows * f->cols * sizeof (float));
      f->quant = section (f, entry, "quant", f->rows * f->row_bytes);
      expected = section (f, entry, "expected", f->rows * f->cols * sizeof (float));
      g_assert_nonnull (f->quant);
      g_assert_nonnull (expected);

      f->expected = g_new (float, f->rows * f->cols);
      for (gsize k = 0; k < f->rows * f->cols; k++)
        f->expected[k] = read_f32_le (expected + k * sizeof (float));

      g_ptr_array_add (fixtures, f);
    }

  /* Every type the decoders read has its fixture. */
  g_assert_cmpuint (fixtures->len, ==, G_N_ELEMENTS (all_types));
}

static void
test_dtype (void)
{
  static const struct {
    WhClDType   type;
    const char *name;
    gsize       block_size;
    gsize       block_bytes;
  } cases[] = {
    { WH_CL_DTYPE_F32,  "f32",  1,   4 },
    { WH_CL_DTYPE_F16,  "f16",  1,   2 },
    { WH_CL_DTYPE_BF16, "bf16", 1,   2 },
    { WH_CL_DTYPE_Q8_0, "q8_0", 32,  34 },
    { WH_CL_DTYPE_Q4_0, "q4_0", 32,  18 },
    { WH_CL_DTYPE_Q4_K, "q4_K", 256, 144 },
    { WH_CL_DTYPE_Q6_K, "q6_K", 256, 210 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (wh_cl_dtype_is_supported (cases[i].type));
      g_assert_cmpstr (wh_cl_dtype_to_string (cases[i].type), ==, cases[i].name);
      g_assert_cmpuint (wh_cl_dtype_block_size (cases[i].type), ==, cases[i].block_size);
      g_assert_cmpuint (wh_cl_dtype_block_bytes (cases[i].type), ==, cases[i].block_bytes);
      g_assert_cmpuint (wh_cl_dtype_row_bytes (cases[i].type, 3 * 256), ==,
                        3 * 256 / cases[i].block_size * cases[i].block_bytes);
    }

  /* nf4: not a GGUF type, and rows of any length. */
  g_assert_false (wh_cl_dtype_is_supported (WH_CL_DTYPE_NF4));
  g_assert_cmpstr (wh_cl_dtype_to_string (WH_CL_DTYPE_NF4), ==, "nf4");
  g_assert_cmpuint (wh_cl_dtype_block_size (WH_CL_DTYPE_NF4), ==, 64);
  g_assert_cmpuint (wh_cl_dtype_block_bytes (WH_CL_DTYPE_NF4), ==, 36);
  g_assert_cmpuint (wh_cl_dtype_row_bytes (WH_CL_DTYPE_NF4, 3 * 256), ==, 12 * 36);
  g_assert_cmpuint (wh_cl_dtype_row_bytes (WH_CL_DTYPE_NF4, 96), ==, 2 * 36);
  g_assert_cmpuint (wh_cl_dtype_row_bytes (WH_CL_DTYPE_NF4, 1), ==, 36);
  g_assert_cmpuint (wh_cl_dtype_row_bytes (WH_CL_DTYPE_NF4, 0), ==, 0);
  g_assert_true (wh_ref_can_quantize (WH_CL_DTYPE_NF4));

  g_assert_false (wh_cl_dtype_is_supported (3));
  g_assert_false (wh_cl_dtype_is_supported (13));
  g_assert_false (wh_cl_dtype_is_supported (1000));
  g_assert_cmpstr (wh_cl_dtype_to_string (3), ==, "q4_1");
  g_assert_cmpstr (wh_cl_dtype_to_string (13), ==, "q5_K");
  g_assert_cmpstr (wh_cl_dtype_to_string (4), ==, "unknown");
  g_assert_cmpstr (wh_cl_dtype_to_string (1000), ==, "unknown");
}

/* The C reference decodes the package's blocks to the package's floats,
 * and quantises the package's source data to the package's bytes. */
static void
test_reference_vs_gguf (void)
{
  for (guint i = 0; i < fixtures->len; i++)
    {
      Fixture *f = g_ptr_array_index (fixtures, i);
      g_autofree float *got = g_new (float, f->rows * f->cols);

      ref_rows (f->type, f->quant, f->rows, f->cols, got);
      assert_match ("reference vs gguf", f->type, got, f->expected, f->rows, f->cols);

      if (f->source != NULL && wh_ref_can_quantize (f->type))
        {
          g_autofree float *source = g_new (float, f->rows * f->cols);
          g_autofree guint8 *quant = g_malloc (f->rows * f->row_bytes);

          for (gsize k = 0; k < f->rows * f->cols; k++)
            source[k] = read_f32_le (f->source + k * sizeof (float));
          for (gsize r = 0; r < f->rows; r++)
            wh_ref_quantize_row (f->type, source + r * f->cols, quant + r * f->row_bytes, f->cols);

          for (gsize k = 0; k < f->rows * f->row_bytes; k++)
            if (quant[k] != f->quant[k])
              g_error ("%s: reference quantiser byte %" G_GSIZE_FORMAT
                       " is 0x%02x, gguf wrote 0x%02x", f->name, k, quant[k], f->quant[k]);
        }
    }
}

static void
test_kernels_vs_gguf (void)
{
  WH_TEST_REQUIRE (ctx);

  for (guint i = 0; i < fixtures->len; i++)
    {
      Fixture *f = g_ptr_array_index (fixtures, i);
      gsize n = f->rows * f->cols;
      g_autofree float *got = g_new (float, n);
      g_autoptr(WhClBuffer) src = wh_test_upload (ctx, f->quant, f->rows * f->row_bytes);
      g_autoptr(WhClBuffer) out = NULL;
      g_autoptr(GError) error = NULL;

      out = wh_cl_buffer_new (ctx, n * sizeof (float), &error);
      g_assert_no_error (error);

      wh_cl_dequantize_rows (ctx, out, src, 0, f->type, 0, f->rows, f->cols, &error);
      g_assert_no_error (error);
      wh_test_download (out, got, n * sizeof (float));

      assert_match ("kernel vs gguf", f->type, got, f->expected, f->rows, f->cols);
    }
}

/* Every binary16 and bfloat16 bit pattern: the reference against the
 * definition, the kernels against the reference, and back again. */
static void
test_half_all (void)
{
  const gsize n = 65536;
  g_autofree guint16 *all = g_new (guint16, n);
  g_autofree float *want16 = g_new (float, n);
  g_autofree float *want_bf = g_new (float, n);

  for (gsize h = 0; h < n; h++)
    {
      guint sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
      double v;

      all[h] = GUINT16_TO_LE (h);
      want16[h] = wh_ref_f16_to_f32 (h);
      want_bf[h] = wh_ref_bf16_to_f32 (h);

      if (exp == 0x1f)
        v = mant ? NAN : INFINITY;
      else if (exp == 0)
        v = ldexp (mant, -24);
      else
        v = ldexp (1024 + mant, (int) exp - 25);
      v = sign ? -v : v;

      if (isnan (v))
        g_assert_true (isnan (want16[h]));
      else
        {
          g_assert_cmpfloat (want16[h], ==, v);
          g_assert_cmpint (signbit (want16[h]) != 0, ==, sign);
          g_assert_cmpuint (wh_ref_f32_to_f16 (want16[h]), ==, h);
        }
      if (!isnan (want_bf[h]))
        g_assert_cmpuint (wh_ref_f32_to_bf16 (want_bf[h]), ==, h);
      else
        g_assert_cmpuint (wh_ref_f32_to_bf16 (want_bf[h]), ==, h | 0x40);
    }

  WH_TEST_REQUIRE (ctx);

  {
    g_autofree float *got = g_new (float, n);
    g_autoptr(WhClBuffer) src = wh_test_upload (ctx, all, n * sizeof (guint16));
    g_autoptr(WhClBuffer) out = NULL;
    g_autoptr(GError) error = NULL;

    out = wh_cl_buffer_new (ctx, n * sizeof (float), &error);
    g_assert_no_error (error);

    /* As 256 rows of 256: a matrix, not one long row. */
    wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_F16, 0, 256, 256, &error);
    g_assert_no_error (error);
    wh_test_download (out, got, n * sizeof (float));
    assert_match ("all f16", WH_CL_DTYPE_F16, got, want16, 256, 256);

    wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_BF16, 0, 256, 256, &error);
    g_assert_no_error (error);
    wh_test_download (out, got, n * sizeof (float));
    g_assert_cmpmem (got, n * sizeof (float), want_bf, n * sizeof (float));
  }
}

/* The kernels against the C reference on random blocks: whole matrices,
 * and a range of rows from an unaligned offset, leaving what lies past the
 * output untouched. */
static void
test_random_vs_reference (void)
{
  const gsize n_rows = 9, first = 2, count = 5;
  const float sentinel = 1234.5f;

  WH_TEST_REQUIRE (ctx);

  for (guint t = 0; t < G_N_ELEMENTS (kernel_types); t++)
    {
      WhClDType type = kernel_types[t];
      gsize row_len = test_row_len (type, 200, wh_cl_dtype_block_size (type) == 32 ? 7 : 3);
      gsize row_bytes = wh_cl_dtype_row_bytes (type, row_len);
      g_autofree guint8 *blocks = wh_test_random_blocks (type, n_rows, row_len, 100 + t);
      g_autofree float *want = g_new (float, n_rows * row_len);
      g_autofree float *got = g_new (float, n_rows * row_len + 1);
      g_autoptr(WhClBuffer) src = NULL, out = NULL;
      g_autoptr(GError) error = NULL;

      ref_rows (type, blocks, n_rows, row_len, want);

      src = wh_test_upload (ctx, blocks, n_rows * row_bytes);
      out = wh_cl_buffer_new (ctx, (n_rows * row_len + 1) * sizeof (float), &error);
      g_assert_no_error (error);

      wh_cl_dequantize_rows (ctx, out, src, 0, type, 0, n_rows, row_len, &error);
      g_assert_no_error (error);
      wh_test_download (out, got, n_rows * row_len * sizeof (float));
      assert_match ("kernel vs reference", type, got, want, n_rows, row_len);

      /* Rows [first, first + count) of the matrix stored 3 bytes into the
       * buffer, behind some junk. */
      {
        const gsize offset = 3;
        g_autofree guint8 *shifted = g_malloc0 (offset + n_rows * row_bytes);
        g_autoptr(WhClBuffer) src2 = NULL;

        memset (shifted, 0xa5, offset);
        memcpy (shifted + offset, blocks, n_rows * row_bytes);
        src2 = wh_test_upload (ctx, shifted, offset + n_rows * row_bytes);

        for (gsize k = 0; k < n_rows * row_len + 1; k++)
          got[k] = sentinel;
        wh_cl_buffer_write (out, 0, got, (n_rows * row_len + 1) * sizeof (float), &error);
        g_assert_no_error (error);

        wh_cl_dequantize_rows (ctx, out, src2, offset, type, first, count, row_len, &error);
        g_assert_no_error (error);
        wh_test_download (out, got, (count * row_len + 1) * sizeof (float));

        assert_match ("row range at an offset", type, got, want + first * row_len, count, row_len);
        g_assert_cmpfloat (got[count * row_len], ==, sentinel);
      }
    }
}

/* Embedding lookups: repeated ids, and ids outside the table (negative,
 * n_rows, the gint32 extremes) that give zero rows. */
static void
test_gather (void)
{
  static const gint32 ids[] = { 3, -1, 0, 6, 5, G_MAXINT32, 3, G_MININT32, 1 };
  const gsize n_rows = 6, n_ids = G_N_ELEMENTS (ids), offset = 5;

  WH_TEST_REQUIRE (ctx);

  for (guint t = 0; t < G_N_ELEMENTS (kernel_types); t++)
    {
      WhClDType type = kernel_types[t];
      gsize row_len = test_row_len (type, 96, wh_cl_dtype_block_size (type) == 32 ? 3 : 2);
      gsize row_bytes = wh_cl_dtype_row_bytes (type, row_len);
      g_autofree guint8 *blocks = wh_test_random_blocks (type, n_rows, row_len, 200 + t);
      g_autofree guint8 *shifted = g_malloc0 (offset + n_rows * row_bytes);
      g_autofree float *table = g_new (float, n_rows * row_len);
      g_autofree float *want = g_new0 (float, n_ids * row_len);
      g_autofree float *got = g_new (float, n_ids * row_len);
      g_autoptr(WhClBuffer) src = NULL, out = NULL, b_ids = NULL;
      g_autoptr(GError) error = NULL;

      ref_rows (type, blocks, n_rows, row_len, table);
      for (gsize i = 0; i < n_ids; i++)
        if (ids[i] >= 0 && (gsize) ids[i] < n_rows)
          memcpy (want + i * row_len, table + ids[i] * row_len, row_len * sizeof (float));

      memcpy (shifted + offset, blocks, n_rows * row_bytes);
      src = wh_test_upload (ctx, shifted, offset + n_rows * row_bytes);
      b_ids = wh_test_upload (ctx, ids, sizeof ids);

      /* Start from garbage: the zero rows must be written, not left. */
      for (gsize k = 0; k < n_ids * row_len; k++)
        got[k] = -7.0f;
      out = wh_test_upload (ctx, got, n_ids * row_len * sizeof (float));

      wh_cl_dequantize_gather (ctx, out, src, offset, type, n_rows, row_len, b_ids, n_ids, &error);
      g_assert_no_error (error);
      wh_test_download (out, got, n_ids * row_len * sizeof (float));

      assert_match ("gather", type, got, want, n_ids, row_len);
    }
}

static void
test_errors (void)
{
  g_autoptr(WhClBuffer) src = NULL, out = NULL, ids = NULL, small = NULL;
  g_autoptr(GError) error = NULL;
  const gsize rows = 4, row_len = 64;
  gsize row_bytes = wh_cl_dtype_row_bytes (WH_CL_DTYPE_Q8_0, row_len);
  gint32 id_data[4] = { 0, 1, 2, 3 };

  WH_TEST_REQUIRE (ctx);

  src = wh_cl_buffer_new (ctx, rows * row_bytes, &error);
  g_assert_no_error (error);
  wh_cl_buffer_fill_zero (src, &error);
  g_assert_no_error (error);
  out = wh_cl_buffer_new (ctx, 2 * rows * row_len * sizeof (float), &error);
  g_assert_no_error (error);
  small = wh_cl_buffer_new (ctx, row_len * sizeof (float), &error);
  g_assert_no_error (error);
  ids = wh_test_upload (ctx, id_data, sizeof id_data);

  /* Types the kernels do not read, named as ggml names them. */
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, 3, 0, 1, row_len, &error),
                          &error, WH_CL_ERROR_UNSUPPORTED, "q4_1");
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, 13, 0, 1, 256, &error),
                          &error, WH_CL_ERROR_UNSUPPORTED, "q5_K");
  wh_test_assert_refused (wh_cl_dequantize_gather (ctx, out, src, 0, 77, 1, row_len, ids, 1, &error),
                          &error, WH_CL_ERROR_UNSUPPORTED, "77");

  /* Rows that are not whole blocks. */
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, 0, 1, 48, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q8_0 blocks of 32");
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q4_K, 0, 1, 64, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q4_K blocks of 256");
  wh_test_assert_refused (wh_cl_dequantize_gather (ctx, out, src, 0, WH_CL_DTYPE_Q4_0, 1, 40, ids, 1, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q4_0 blocks");

  /* Rows past the end of src: by row, by offset, by overflow. */
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, 3, 2, row_len, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "Rows [3, 5)");
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 1, WH_CL_DTYPE_Q8_0, 0, rows, row_len, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“src”");
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, G_MAXSIZE, 2, row_len, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "overflow");
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, G_MAXSIZE / 2, 1, row_len, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“src”");
  wh_test_assert_refused (wh_cl_dequantize_gather (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, rows + 1, row_len, ids, 1, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“src”");

  /* Outputs and ids too small. */
  wh_test_assert_refused (wh_cl_dequantize_rows (ctx, small, src, 0, WH_CL_DTYPE_Q8_0, 0, 2, row_len, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");
  wh_test_assert_refused (wh_cl_dequantize_gather (ctx, small, src, 0, WH_CL_DTYPE_Q8_0, rows, row_len, ids, 2, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");
  wh_test_assert_refused (wh_cl_dequantize_gather (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, rows, row_len, ids, 5, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“ids”");

  /* Nothing to do is not an error, and the exact fit is not too small. */
  g_assert_true (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, rows, 0, row_len, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_dequantize_gather (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, rows, row_len, ids, 0, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_Q8_0, 0, rows, row_len, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_context_finish (ctx, &error));
  g_assert_no_error (error);
}

/* The reference quantisers round to nearest: q8_0 within half a step
 * (plus d's own f16 rounding), q4_0 within a step (its largest positive
 * values are capped at nibble 15). */
static void
test_quantize_roundtrip (void)
{
  static const WhClDType types[] = { WH_CL_DTYPE_Q8_0, WH_CL_DTYPE_Q4_0 };
  const gsize n = 32 * 40;
  g_autofree float *x = g_new (float, n);
  g_autofree float *y = g_new (float, n);
  g_autofree guint8 *q = g_malloc (wh_cl_dtype_row_bytes (WH_CL_DTYPE_Q8_0, n));

  wh_test_fill_random (x, n, 42);
  for (gsize j = 0; j < 32; j++)
    x[j] = 0.0f;                                 /* a block of zeros: d = 0 */
  for (gsize j = 32; j < 64; j++)
    x[j] *= 1e4f;

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      wh_ref_quantize_row (types[t], x, q, n);
      wh_ref_dequantize_row (types[t], q, y, n);

      for (gsize b = 0; b < n / 32; b++)
        {
          float amax = 0.0f;

          for (gsize j = 0; j < 32; j++)
            amax = MAX (amax, fabsf (x[b * 32 + j]));
          for (gsize j = 0; j < 32; j++)
            {
              float step = types[t] == WH_CL_DTYPE_Q8_0 ? amax / 127.0f : amax / 8.0f;
              float bound = types[t] == WH_CL_DTYPE_Q8_0 ? 0.6f * step : 1.01f * step;

              g_assert_cmpfloat (fabsf (y[b * 32 + j] - x[b * 32 + j]), <=, bound);
            }
        }
      for (gsize j = 0; j < 32; j++)
        g_assert_cmpfloat (y[j], ==, 0.0f);
    }
}

/* The level index of element @j of an nf4 row. */
static guint
nf4_index (const guint8 *row,
           gsize         j)
{
  const guint8 *block = row + j / 64 * 36;

  return (block[4 + j % 64 / 2] >> (j % 2 == 0 ? 4 : 0)) & 0x0f;
}

/* NF4 as QLoRA quantises: each x / absmax to the nearest of the 16 levels,
 * a tie to the lower one, in a row of 229 (three blocks and a short one of
 * 37): an all-zero block, a block of ties, and random ones.  The kernels
 * decode the result as the reference does, zero block and short block
 * included. */
static void
test_nf4 (void)
{
  const gsize n = 3 * 64 + 37;
  const gsize row_bytes = wh_cl_dtype_row_bytes (WH_CL_DTYPE_NF4, n);
  guint8 table[36] = { 0, 0, 0x80, 0x3f };   /* absmax 1.0, indices 0..15 */
  float levels[64];
  g_autofree float *x = g_new (float, n);
  g_autofree float *y = g_new (float, n);
  g_autofree guint8 *q = g_malloc (row_bytes);
  const guint8 *zero = q, *ties = q + 36, *last = q + 3 * 36;
  /* Halfway between levels 7 (0) and 8, and between 6 and 7: exact in
   * f32, so ties. */
  const float mid_7_8 = 0.07958029955625534f * 0.5f;
  const float mid_6_7 = -0.09105003625154495f * 0.5f;
  /* Between levels 0 and 1, rounded to f32 half an ulp above the exact
   * midpoint, so nearer level 1. */
  const float mid_0_1 = (-1.0f + -0.6961928009986877f) * 0.5f;
  const struct { float v; guint level; } cases[] = {
    { 1.0f, 15 }, { -1.0f, 0 }, { 0.0f, 7 }, { -0.0f, 7 },
    { mid_7_8, 7 }, { nextafterf (mid_7_8, 1.0f), 8 },
    { mid_6_7, 6 }, { nextafterf (mid_6_7, 0.0f), 7 },
    { mid_0_1, 1 }, { nextafterf (mid_0_1, -1.0f), 0 },
    { 0.99f, 15 }, { -0.7f, 1 },
  };

  for (guint i = 0; i < 16; i++)
    table[4 + i / 2] |= i << (i % 2 == 0 ? 4 : 0);
  wh_ref_dequantize_row (WH_CL_DTYPE_NF4, table, levels, 16);
  g_assert_cmpfloat (levels[0], ==, -1.0f);
  g_assert_cmpfloat (levels[7], ==, 0.0f);
  g_assert_cmpfloat (levels[15], ==, 1.0f);
  for (guint i = 1; i < 16; i++)
    g_assert_cmpfloat (levels[i - 1], <, levels[i]);

  wh_test_fill_random (x, n, 7);
  for (gsize j = 0; j < 64; j++)
    x[j] = 0.0f;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    x[64 + i] = cases[i].v;                     /* absmax 1: v = x */
  for (gsize j = 128; j < 192; j++)
    x[j] *= 1e3f;

  wh_ref_quantize_row (WH_CL_DTYPE_NF4, x, q, n);
  wh_ref_dequantize_row (WH_CL_DTYPE_NF4, q, y, n);

  /* The all-zero block: absmax 0, every index 7, decoded to +0. */
  for (gsize k = 0; k < 36; k++)
    g_assert_cmphex (zero[k], ==, k < 4 ? 0x00 : 0x77);
  for (gsize j = 0; j < 64; j++)
    g_assert_cmpuint (float_bits (y[j]), ==, 0);

  g_assert_cmpfloat (read_f32_le (ties), ==, 1.0f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (nf4_index (q, 64 + i) != cases[i].level)
      g_error ("nf4 of %.9g: level %u, want %u", cases[i].v, nf4_index (q, 64 + i), cases[i].level);

  /* Every element at its nearest level, ties to the lower (the zero
   * block aside); the short block's padding is index 7. */
  for (gsize j = 64; j < n; j++)
    {
      float absmax = read_f32_le (q + j / 64 * 36);
      double v = (float) (x[j] / absmax);
      guint at = nf4_index (q, j);

      for (guint k = 0; k < 16; k++)
        {
          double d_at = fabs (v - levels[at]), d_k = fabs (v - levels[k]);

          g_assert_true (d_at < d_k || (d_at == d_k && at <= k));
        }
      g_assert_cmpfloat (y[j], ==, levels[at] * absmax);
    }
  for (gsize j = 37; j < 64; j++)
    g_assert_cmpuint (nf4_index (last, j), ==, 7);

  WH_TEST_REQUIRE (ctx);

  {
    static const gint32 ids[] = { 0, -1, 0, 1 };
    g_autofree float *got = g_new (float, G_N_ELEMENTS (ids) * n);
    g_autoptr(WhClBuffer) src = wh_test_upload (ctx, q, row_bytes);
    g_autoptr(WhClBuffer) b_ids = wh_test_upload (ctx, ids, sizeof ids);
    g_autoptr(WhClBuffer) out = wh_test_zeros (ctx, G_N_ELEMENTS (ids) * n);
    g_autoptr(GError) error = NULL;

    g_assert_true (wh_cl_dequantize_rows (ctx, out, src, 0, WH_CL_DTYPE_NF4, 0, 1, n, &error));
    g_assert_no_error (error);
    wh_test_download_floats (out, got, n);
    assert_match ("nf4 kernel", WH_CL_DTYPE_NF4, got, y, 1, n);

    g_assert_true (wh_cl_dequantize_gather (ctx, out, src, 0, WH_CL_DTYPE_NF4, 1, n, b_ids,
                                            G_N_ELEMENTS (ids), &error));
    g_assert_no_error (error);
    wh_test_download_floats (out, got, G_N_ELEMENTS (ids) * n);
    assert_match ("nf4 gather", WH_CL_DTYPE_NF4, got, y, 1, n);
    assert_match ("nf4 gather", WH_CL_DTYPE_NF4, got + 2 * n, y, 1, n);
    for (gsize j = 0; j < n; j++)
      g_assert_true (got[n + j] == 0.0f && got[3 * n + j] == 0.0f);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/dequant/dtype", test_dtype);
  g_test_add_func ("/whetstone/cl/dequant/reference-vs-gguf", test_reference_vs_gguf);
  g_test_add_func ("/whetstone/cl/dequant/kernels-vs-gguf", test_kernels_vs_gguf);
  g_test_add_func ("/whetstone/cl/dequant/half-all", test_half_all);
  g_test_add_func ("/whetstone/cl/dequant/random-vs-reference", test_random_vs_reference);
  g_test_add_func ("/whetstone/cl/dequant/gather", test_gather);
  g_test_add_func ("/whetstone/cl/dequant/errors", test_errors);
  g_test_add_func ("/whetstone/cl/dequant/quantize-roundtrip", test_quantize_roundtrip);
  g_test_add_func ("/whetstone/cl/dequant/nf4", test_nf4);

  load_fixtures ();
  ret = wh_test_cl_run (&ctx);
  g_clear_pointer (&fixtures, g_ptr_array_unref);

  return ret;
}
