/* test-gguf.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GGUF reader against files written here (every value type, a custom
 * alignment, each kind of damage, every truncation, random corruption) and
 * against the real vocabularies and model of the shared test data. */

#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wh-gguf.h"

/* A small GGUF writer */

/* Overwrites @width bytes at @at with @value, little-endian. */
static void
patch (guint8  *data,
       gsize    at,
       guint    width,
       guint64  value)
{
  guint8 le[8];

  for (guint i = 0; i < width; i++)
    le[i] = value >> (8 * i);
  memcpy (data + at, le, width);
}

static gsize
put (GByteArray *b,
     const void *data,
     gsize       size)
{
  gsize at = b->len;

  g_byte_array_append (b, data, size);
  return at;
}

/* An unsigned integer of @width bytes. */
static gsize
put_uint (GByteArray *b,
          guint       width,
          guint64     value)
{
  gsize at = b->len;

  g_byte_array_set_size (b, at + width);
  patch (b->data, at, width, value);
  return at;
}

/* A float of @width bytes: 4 (f32) or 8 (f64). */
static gsize
put_float (GByteArray *b,
           guint       width,
           double      value)
{
  float f = value;
  guint32 bits32;
  guint64 bits64;

  if (width == 4)
    {
      memcpy (&bits32, &f, sizeof bits32);
      return put_uint (b, 4, bits32);
    }

  g_assert (width == 8);
  memcpy (&bits64, &value, sizeof bits64);
  return put_uint (b, 8, bits64);
}

/* Returns where the length is; the bytes follow it. */
static gsize
put_string_len (GByteArray *b,
                const char *s,
                gsize       length)
{
  gsize at = put_uint (b, 8, length);

  put (b, s, length);
  return at;
}

static gsize
put_string (GByteArray *b,
            const char *s)
{
  return put_string_len (b, s, strlen (s));
}

/* Starts a key/value pair; returns where its value type is. */
static gsize
put_key (GByteArray *b,
         const char *key,
         WhGgufType  type)
{
  put_string (b, key);
  return put_uint (b, 4, type);
}

/* Starts an array (after its key); returns where its item type is. */
static gsize
put_array (GByteArray *b,
           WhGgufType  item_type,
           guint64     count)
{
  gsize at = put_uint (b, 4, item_type);

  put_uint (b, 8, count);
  return at;
}

static void
put_padding (GByteArray *b,
             gsize       alignment)
{
  while (b->len % alignment != 0)
    put_uint (b, 1, 0);
}

/* The test file */

typedef struct
{
  const char *name;
  guint       n_dims;
  guint64     dims[WH_GGUF_MAX_DIMS];
  guint32     type;
  guint64     n_bytes;
} TestTensor;

static const TestTensor written_tensors[] = {
  { "tok_embd", 2, { 8, 4 },   0, 8 * 4 * 4 },  /* f32 */
  { "norm.a",   1, { 16 },     1, 16 * 2 },     /* f16 */
  { "norm.b",   1, { 16 },     1, 16 * 2 },     /* f16 */
  { "q8",       2, { 64, 2 },  8, 2 * 2 * 34 }, /* q8_0 */
  { "q4k",      2, { 256, 1 }, 12, 144 },       /* q4_K */
};

#define N_TEST_TENSORS G_N_ELEMENTS (written_tensors)

/* Where things are in the test file, for corrupting them. */
typedef struct
{
  gsize magic;
  gsize version;
  gsize n_tensors;
  gsize n_kvs;
  gsize alignment_value;
  gsize u8_key;          /* the length of the key "test.u8" (its bytes follow) */
  gsize f32_type;        /* the value type of "test.f32" */
  gsize bool_value;
  gsize string_length;   /* of the value of "test.string" */
  gsize strings_type;    /* the item type of "test.strings" */
  gsize strings_count;
  gsize tensor_name[N_TEST_TENSORS];   /* the length of each name */
  gsize tensor_n_dims[N_TEST_TENSORS];
  gsize tensor_dims[N_TEST_TENSORS];   /* ne[0]; the others follow */
  gsize tensor_type[N_TEST_TENSORS];
  gsize tensor_offset[N_TEST_TENSORS];
  guint64 data_offset;
} Marks;

static const char test_string[] = "h\xc3\xa9llo w\xc3\xb6rld";
static const char nul_string[] = { 'a', '\0', 'b' };

/* Every value type, then the tensors with data (a recognisable byte per
 * tensor), ending where the last tensor ends.  No general.alignment key
 * when @alignment is 0 (the default, 32, applies). */
static GByteArray *
build_test_file (guint32  alignment,
                 Marks   *marks)
{
  GByteArray *b = g_byte_array_new ();
  guint64 offsets[N_TEST_TENSORS];
  guint64 used = alignment ? alignment : 32;
  guint64 offset = 0;
  guint n_kvs = 0;

  marks->magic = put (b, "GGUF", 4);
  marks->version = put_uint (b, 4, 3);
  marks->n_tensors = put_uint (b, 8, N_TEST_TENSORS);
  marks->n_kvs = put_uint (b, 8, 0);

  put_key (b, "general.architecture", WH_GGUF_TYPE_STRING);
  put_string (b, "llama");
  n_kvs++;

  if (alignment != 0)
    {
      put_key (b, "general.alignment", WH_GGUF_TYPE_UINT32);
      marks->alignment_value = put_uint (b, 4, alignment);
      n_kvs++;
    }

  marks->u8_key = b->len;
  put_key (b, "test.u8", WH_GGUF_TYPE_UINT8);
  put_uint (b, 1, 200);
  put_key (b, "test.i8", WH_GGUF_TYPE_INT8);
  put_uint (b, 1, (guint8) -100);
  put_key (b, "test.u16", WH_GGUF_TYPE_UINT16);
  put_uint (b, 2, 60000);
  put_key (b, "test.i16", WH_GGUF_TYPE_INT16);
  put_uint (b, 2, (guint16) -30000);
  put_key (b, "test.u32", WH_GGUF_TYPE_UINT32);
  put_uint (b, 4, 4000000000u);
  put_key (b, "test.i32", WH_GGUF_TYPE_INT32);
  put_uint (b, 4, (guint32) -2000000000);
  marks->f32_type = put_key (b, "test.f32", WH_GGUF_TYPE_FLOAT32);
  put_float (b, 4, 1.5f);
  put_key (b, "test.bool", WH_GGUF_TYPE_BOOL);
  marks->bool_value = put_uint (b, 1, 1);
  put_key (b, "test.false", WH_GGUF_TYPE_BOOL);
  put_uint (b, 1, 0);
  put_key (b, "test.string", WH_GGUF_TYPE_STRING);
  marks->string_length = put_string (b, test_string);
  put_key (b, "test.u64", WH_GGUF_TYPE_UINT64);
  put_uint (b, 8, G_MAXUINT64);
  put_key (b, "test.u64_small", WH_GGUF_TYPE_UINT64);
  put_uint (b, 8, G_GUINT64_CONSTANT (1) << 40);
  put_key (b, "test.i64", WH_GGUF_TYPE_INT64);
  put_uint (b, 8, (guint64) -(G_GINT64_CONSTANT (1) << 40));
  put_key (b, "test.f64", WH_GGUF_TYPE_FLOAT64);
  put_float (b, 8, 2.25);
  put_key (b, "test.nul", WH_GGUF_TYPE_STRING);
  put_string_len (b, nul_string, sizeof nul_string);
  n_kvs += 15;

  put_key (b, "test.strings", WH_GGUF_TYPE_ARRAY);
  marks->strings_type = put_array (b, WH_GGUF_TYPE_STRING, 3);
  marks->strings_count = marks->strings_type + 4;
  put_string (b, "one");
  put_string (b, "");
  put_string_len (b, "t\0\xff", 3);
  put_key (b, "test.ints", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_INT32, 3);
  put_uint (b, 4, 1);
  put_uint (b, 4, (guint32) -2);
  put_uint (b, 4, 3);
  put_key (b, "test.u8s", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_UINT8, 2);
  put_uint (b, 1, 7);
  put_uint (b, 1, 255);
  put_key (b, "test.u64s", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_UINT64, 2);
  put_uint (b, 8, 1);
  put_uint (b, 8, G_MAXUINT64);
  put_key (b, "test.floats", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_FLOAT32, 2);
  put_float (b, 4, 0.5f);
  put_float (b, 4, -1.25f);
  put_key (b, "test.doubles", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_FLOAT64, 2);
  put_float (b, 8, 0.125);
  put_float (b, 8, 1e10);
  put_key (b, "test.bools", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_BOOL, 3);
  put_uint (b, 1, 1);
  put_uint (b, 1, 0);
  put_uint (b, 1, 1);
  /* [[1, 2], ["x"]] */
  put_key (b, "test.nested", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_ARRAY, 2);
  put_array (b, WH_GGUF_TYPE_INT32, 2);
  put_uint (b, 4, 1);
  put_uint (b, 4, 2);
  put_array (b, WH_GGUF_TYPE_STRING, 1);
  put_string (b, "x");
  put_key (b, "test.empty", WH_GGUF_TYPE_ARRAY);
  put_array (b, WH_GGUF_TYPE_STRING, 0);
  n_kvs += 9;

  for (guint i = 0; i < N_TEST_TENSORS; i++)
    {
      const TestTensor *t = &written_tensors[i];

      offsets[i] = offset;
      offset += t->n_bytes;
      offset += (used - offset % used) % used;

      marks->tensor_name[i] = put_string (b, t->name);
      marks->tensor_n_dims[i] = put_uint (b, 4, t->n_dims);
      marks->tensor_dims[i] = b->len;
      for (guint d = 0; d < t->n_dims; d++)
        put_uint (b, 8, t->dims[d]);
      marks->tensor_type[i] = put_uint (b, 4, t->type);
      marks->tensor_offset[i] = put_uint (b, 8, offsets[i]);
    }

  put_padding (b, used);
  marks->data_offset = b->len;

  for (guint i = 0; i < N_TEST_TENSORS; i++)
    {
      while (b->len < marks->data_offset + offsets[i])
        put_uint (b, 1, 0);
      for (guint64 j = 0; j < written_tensors[i].n_bytes; j++)
        put_uint (b, 1, 0xa0 + i);
    }

  patch (b->data, marks->n_kvs, 8, n_kvs);

  return b;
}

/* Files */

static char *
tmp_file_new (void)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("test-gguf-XXXXXX.gguf", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  return path;
}

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         size)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, (const char *) data, size,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static WhGguf *
open_bytes (const char   *path,
            const guint8 *data,
            gsize         size,
            GError      **error)
{
  write_file (path, data, size);
  return wh_gguf_open (path, error);
}

static void assert_error (GError **error,
                          int      code,
                          ...) G_GNUC_NULL_TERMINATED;

/* Checks that *@error has @code and a message holding each of the strings
 * that follow, up to a NULL; then clears it. */
static void
assert_error (GError **error,
              int      code,
              ...)
{
  const char *part;
  va_list args;

  g_assert_error (*error, WH_GGUF_ERROR, code);

  va_start (args, code);
  while ((part = va_arg (args, const char *)) != NULL)
    g_assert_nonnull (strstr ((*error)->message, part));
  va_end (args);

  g_clear_error (error);
}

/* Most tests start from the test file, built with the alignment passed as
 * test data (0 for none), and a temporary file to write it to. */
typedef struct
{
  char       *path;
  GByteArray *bytes;
  Marks       marks;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->path = tmp_file_new ();
  f->bytes = build_test_file (GPOINTER_TO_UINT (data), &f->marks);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unlink (f->path);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->bytes, g_byte_array_unref);
}

/* Writes the test file, as it is now, and opens it. */
static WhGguf *
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WhGguf *gguf = open_bytes (f->path, f->bytes->data, f->bytes->len, &error);

  g_assert_no_error (error);
  return gguf;
}

/* Calls every getter that applies to each key and checks what must hold of
 * any file that opened. */
static void
exercise (WhGguf *gguf)
{
  gsize size;
  const guint8 *data = wh_gguf_get_data (gguf, &size);
  guint64 alignment = wh_gguf_get_alignment (gguf);

  g_assert_nonnull (data);
  g_assert_cmpuint (alignment, >, 0);
  g_assert_cmpuint (alignment & (alignment - 1), ==, 0);

  for (gsize i = 0; i < wh_gguf_get_n_keys (gguf); i++)
    {
      const char *key = wh_gguf_get_key (gguf, i);
      WhGgufType type = wh_gguf_get_key_type (gguf, i);
      g_autoptr(GError) error = NULL;
      g_autofree gint64 *ints = NULL;
      g_autofree float *floats = NULL;
      g_autofree char *dup = NULL;
      const WhGgufString *strings;
      WhGgufType item_type;
      WhGgufString string;
      gsize length;
      gint64 i64;
      guint32 u32;
      double d;
      gboolean b;

      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_cmpint (wh_gguf_find_key (gguf, key), ==, i);

      if (wh_gguf_get_int (gguf, key, &i64, &error))
        g_assert_cmpint (type, !=, WH_GGUF_TYPE_STRING);
      g_clear_error (&error);
      wh_gguf_get_uint32 (gguf, key, &u32, NULL);
      wh_gguf_get_float (gguf, key, &d, NULL);
      wh_gguf_get_bool (gguf, key, &b, NULL);
      if (wh_gguf_get_string (gguf, key, &string, NULL))
        {
          g_assert_cmpint (type, ==, WH_GGUF_TYPE_STRING);
          g_assert_true ((const guint8 *) string.data >= data);
          g_assert_cmpuint ((const guint8 *) string.data - data + string.length, <=, size);
        }
      dup = wh_gguf_dup_string (gguf, key, NULL);

      if (wh_gguf_get_array_info (gguf, key, &item_type, &length, &error))
        {
          g_assert_cmpint (type, ==, WH_GGUF_TYPE_ARRAY);
          if (wh_gguf_get_string_array (gguf, key, &strings, &length, NULL))
            for (gsize j = 0; j < length; j++)
              g_assert_cmpuint ((const guint8 *) strings[j].data - data + strings[j].length, <=, size);
          wh_gguf_get_int_array (gguf, key, &ints, &length, NULL);
          wh_gguf_get_float_array (gguf, key, &floats, &length, NULL);
        }
      else
        assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
    }

  for (gsize i = 0; i < wh_gguf_get_n_tensors (gguf); i++)
    {
      const WhGgufTensorInfo *info = wh_gguf_get_tensor (gguf, i);

      g_assert_true (wh_gguf_find_tensor (gguf, info->name) == info);
      g_assert_cmpuint (info->n_dims, <=, WH_GGUF_MAX_DIMS);
      g_assert_cmpuint (info->offset % alignment, ==, 0);
      g_assert_cmpuint (info->offset, <=, size);
      g_assert_cmpuint (info->n_bytes, <=, size - info->offset);
    }
}

/* Reading back what was written */

static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WhGguf) gguf = fixture_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *dup = NULL;
  g_autofree gint64 *ints = NULL;
  g_autofree float *floats = NULL;
  const WhGgufString *strings;
  WhGgufString string;
  WhGgufType item_type;
  gsize length;
  gint64 i64;
  guint32 u32;
  double d;
  gboolean b;

  g_assert_cmpstr (wh_gguf_get_path (gguf), ==, f->path);
  g_assert_cmpuint (wh_gguf_get_version (gguf), ==, 3);
  g_assert_cmpuint (wh_gguf_get_alignment (gguf), ==, 64);
  g_assert_cmpuint (wh_gguf_get_n_keys (gguf), ==, 26);
  g_assert_cmpstr (wh_gguf_get_key (gguf, 0), ==, "general.architecture");
  g_assert_cmpint (wh_gguf_get_key_type (gguf, 0), ==, WH_GGUF_TYPE_STRING);
  g_assert_cmpint (wh_gguf_find_key (gguf, "test.u8"), ==, 2);
  g_assert_cmpint (wh_gguf_get_key_type (gguf, 2), ==, WH_GGUF_TYPE_UINT8);
  g_assert_cmpint (wh_gguf_find_key (gguf, "test.nope"), ==, -1);
  g_assert_true (wh_gguf_has_key (gguf, "test.nested"));
  g_assert_false (wh_gguf_has_key (gguf, "test"));

  /* Integers of every width, signed and not. */
  {
    static const struct { const char *key; gint64 value; gboolean fits_u32; } ints_table[] = {
      { "test.u8", 200, TRUE },
      { "test.i8", -100, FALSE },
      { "test.u16", 60000, TRUE },
      { "test.i16", -30000, FALSE },
      { "test.u32", 4000000000, TRUE },
      { "test.i32", -2000000000, FALSE },
      { "test.u64_small", G_GINT64_CONSTANT (1) << 40, FALSE },
      { "test.i64", -(G_GINT64_CONSTANT (1) << 40), FALSE },
      { "general.alignment", 64, TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (ints_table); i++)
      {
        g_assert_true (wh_gguf_get_int (gguf, ints_table[i].key, &i64, &error));
        g_assert_no_error (error);
        g_assert_cmpint (i64, ==, ints_table[i].value);

        u32 = 12345;
        if (ints_table[i].fits_u32)
          {
            g_assert_true (wh_gguf_get_uint32 (gguf, ints_table[i].key, &u32, &error));
            g_assert_no_error (error);
            g_assert_cmpint (u32, ==, ints_table[i].value);
          }
        else
          {
            g_assert_false (wh_gguf_get_uint32 (gguf, ints_table[i].key, &u32, &error));
            assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, ints_table[i].key, "out of range", NULL);
            g_assert_cmpuint (u32, ==, 12345);
          }
      }
  }

  /* A uint64 beyond G_MAXINT64 fits no getter. */
  g_assert_false (wh_gguf_get_int (gguf, "test.u64", &i64, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, "18446744073709551615", "out of range", NULL);
  g_assert_false (wh_gguf_get_uint32 (gguf, "test.u64", &u32, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);

  g_assert_true (wh_gguf_get_float (gguf, "test.f32", &d, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (d, ==, 1.5);
  g_assert_true (wh_gguf_get_float (gguf, "test.f64", &d, &error));
  g_assert_cmpfloat (d, ==, 2.25);

  g_assert_true (wh_gguf_get_bool (gguf, "test.bool", &b, &error));
  g_assert_true (b);
  g_assert_true (wh_gguf_get_bool (gguf, "test.false", &b, &error));
  g_assert_false (b);

  g_assert_true (wh_gguf_get_string (gguf, "test.string", &string, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (string.length, ==, strlen (test_string));
  g_assert_cmpmem (string.data, string.length, test_string, strlen (test_string));
  dup = wh_gguf_dup_string (gguf, "general.architecture", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dup, ==, "llama");
  g_clear_pointer (&dup, g_free);

  /* A string with a NUL byte is read whole, but not as a C string. */
  g_assert_true (wh_gguf_get_string (gguf, "test.nul", &string, &error));
  g_assert_cmpmem (string.data, string.length, nul_string, sizeof nul_string);
  dup = wh_gguf_dup_string (gguf, "test.nul", &error);
  g_assert_null (dup);
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, "test.nul", NULL);

  /* Arrays */
  g_assert_true (wh_gguf_get_array_info (gguf, "test.strings", &item_type, &length, &error));
  g_assert_cmpint (item_type, ==, WH_GGUF_TYPE_STRING);
  g_assert_cmpuint (length, ==, 3);
  g_assert_true (wh_gguf_get_string_array (gguf, "test.strings", &strings, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 3);
  g_assert_cmpmem (strings[0].data, strings[0].length, "one", 3);
  g_assert_cmpuint (strings[1].length, ==, 0);
  g_assert_cmpmem (strings[2].data, strings[2].length, "t\0\xff", 3);

  g_assert_true (wh_gguf_get_string_array (gguf, "test.empty", &strings, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 0);

  g_assert_true (wh_gguf_get_int_array (gguf, "test.ints", &ints, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (ints, length * sizeof *ints, ((gint64[]) { 1, -2, 3 }), 3 * sizeof *ints);
  g_clear_pointer (&ints, g_free);
  g_assert_true (wh_gguf_get_int_array (gguf, "test.u8s", &ints, &length, &error));
  g_assert_cmpmem (ints, length * sizeof *ints, ((gint64[]) { 7, 255 }), 2 * sizeof *ints);
  g_clear_pointer (&ints, g_free);

  g_assert_false (wh_gguf_get_int_array (gguf, "test.u64s", &ints, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, "out of range", NULL);
  g_assert_null (ints);

  /* Booleans are not integers. */
  g_assert_false (wh_gguf_get_int_array (gguf, "test.bools", &ints, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_true (wh_gguf_get_array_info (gguf, "test.bools", &item_type, &length, &error));
  g_assert_cmpint (item_type, ==, WH_GGUF_TYPE_BOOL);
  g_assert_cmpuint (length, ==, 3);

  g_assert_true (wh_gguf_get_float_array (gguf, "test.floats", &floats, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (floats, length * sizeof *floats, ((float[]) { 0.5f, -1.25f }), 2 * sizeof *floats);
  g_clear_pointer (&floats, g_free);
  g_assert_true (wh_gguf_get_float_array (gguf, "test.doubles", &floats, &length, &error));
  g_assert_cmpmem (floats, length * sizeof *floats, ((float[]) { 0.125f, 1e10f }), 2 * sizeof *floats);
  g_clear_pointer (&floats, g_free);

  /* Nested arrays are walked, and described, but not converted. */
  g_assert_true (wh_gguf_get_array_info (gguf, "test.nested", &item_type, &length, &error));
  g_assert_cmpint (item_type, ==, WH_GGUF_TYPE_ARRAY);
  g_assert_cmpuint (length, ==, 2);
  g_assert_false (wh_gguf_get_int_array (gguf, "test.nested", &ints, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_false (wh_gguf_get_string_array (gguf, "test.nested", &strings, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);

  exercise (gguf);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WhGguf) gguf = fixture_open (f);
  g_autofree char *basename = g_path_get_basename (f->path);
  g_autoptr(GError) error = NULL;
  const WhGgufString *strings;
  g_autofree float *floats = NULL;
  WhGgufString string;
  gsize length;
  gint64 i64;
  guint32 u32;
  double d;
  gboolean b;

  g_assert_null (wh_gguf_dup_string (gguf, "tokenizer.ggml.tokens", &error));
  assert_error (&error, WH_GGUF_ERROR_MISSING_KEY, "“tokenizer.ggml.tokens”", basename, NULL);

  g_assert_false (wh_gguf_get_string_array (gguf, "tokenizer.ggml.tokens", &strings, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_MISSING_KEY, NULL);

  g_assert_false (wh_gguf_get_int (gguf, "general.architecture", &i64, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE,
                "“general.architecture”", basename, "is a string, not an integer", NULL);

  g_assert_false (wh_gguf_get_uint32 (gguf, "test.f32", &u32, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_false (wh_gguf_get_float (gguf, "test.u8", &d, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_false (wh_gguf_get_bool (gguf, "test.u8", &b, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_false (wh_gguf_get_string (gguf, "test.strings", &string, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, "an array of strings, not a string", NULL);
  g_assert_false (wh_gguf_get_array_info (gguf, "test.string", NULL, &length, &error));
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
  g_assert_false (wh_gguf_get_float_array (gguf, "test.ints", &floats, &length, &error));
  g_assert_null (floats);
  g_assert_cmpuint (length, ==, 0);
  assert_error (&error, WH_GGUF_ERROR_WRONG_TYPE, NULL);
}

static void
test_tensors (Fixture       *f,
              gconstpointer  test_data)
{
  g_autoptr(WhGguf) gguf = fixture_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const guint8 *data;
  gsize size, length;
  static const guint64 offsets[] = { 0, 128, 192, 256, 448 };

  data = wh_gguf_get_data (gguf, &size);
  g_file_get_contents (f->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (data, size, contents, length);

  g_assert_cmpuint (f->marks.data_offset % 64, ==, 0);
  g_assert_cmpuint (wh_gguf_get_n_tensors (gguf), ==, N_TEST_TENSORS);

  for (guint i = 0; i < N_TEST_TENSORS; i++)
    {
      const TestTensor *t = &written_tensors[i];
      const WhGgufTensorInfo *info = wh_gguf_get_tensor (gguf, i);

      g_assert_cmpstr (info->name, ==, t->name);
      g_assert_cmpuint (info->n_dims, ==, t->n_dims);
      for (guint d = 0; d < t->n_dims; d++)
        g_assert_cmpuint (info->dims[d], ==, t->dims[d]);
      g_assert_cmpuint (info->type, ==, t->type);
      g_assert_cmpuint (info->offset, ==, f->marks.data_offset + offsets[i]);
      g_assert_cmpuint (info->n_bytes, ==, t->n_bytes);
      g_assert_cmpuint (data[info->offset], ==, 0xa0 + i);
      g_assert_cmpuint (data[info->offset + info->n_bytes - 1], ==, 0xa0 + i);
      g_assert_true (wh_gguf_find_tensor (gguf, t->name) == info);
    }

  g_assert_null (wh_gguf_find_tensor (gguf, "norm"));
  g_assert_cmpuint (size, ==, wh_gguf_get_tensor (gguf, N_TEST_TENSORS - 1)->offset + 144);
}

/* Built with no general.alignment key. */
static void
test_default_alignment (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WhGguf) gguf = NULL;
  static const guint64 offsets[] = { 0, 128, 160, 192, 352 };

  /* Version 2 reads the same. */
  patch (f->bytes->data, f->marks.version, 4, 2);
  gguf = fixture_open (f);

  g_assert_cmpuint (wh_gguf_get_version (gguf), ==, 2);
  g_assert_cmpuint (wh_gguf_get_alignment (gguf), ==, 32);
  g_assert_false (wh_gguf_has_key (gguf, "general.alignment"));
  g_assert_cmpuint (f->marks.data_offset % 32, ==, 0);
  for (guint i = 0; i < N_TEST_TENSORS; i++)
    g_assert_cmpuint (wh_gguf_get_tensor (gguf, i)->offset, ==, f->marks.data_offset + offsets[i]);
}

static void
test_unknown_tensor_type (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WhGguf) gguf = NULL;

  /* iq2_xxs (16): a real ggml type whose size this reader does not know. */
  patch (f->bytes->data, f->marks.tensor_type[0], 4, 16);
  gguf = fixture_open (f);
  g_assert_cmpuint (wh_gguf_get_tensor (gguf, 0)->type, ==, 16);
  g_assert_cmpuint (wh_gguf_get_tensor (gguf, 0)->n_bytes, ==, 0);
  g_assert_cmpuint (wh_gguf_get_tensor (gguf, 1)->n_bytes, ==, 32);
}

/* Files that must not open */

static void
assert_format_error (const char   *path,
                     const guint8 *data,
                     gsize         size,
                     const char   *what,
                     const char   *message_part)
{
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhGguf) gguf = open_bytes (path, data, size, &error);

  if (gguf != NULL)
    g_test_fail_printf ("%s: the file opened", what);
  else if (!g_error_matches (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT))
    g_test_fail_printf ("%s: not a format error: %s", what, error->message);
  else if (strstr (error->message, basename) == NULL)
    g_test_fail_printf ("%s: the message does not name the file: %s", what, error->message);
  else if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_test_fail_printf ("%s: the message does not say “%s”: %s", what, message_part, error->message);
}

static void
test_open_errors (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-such-folder", "missing.gguf", NULL);
  g_autofree char *path = tmp_file_new ();
  g_autoptr(GError) error = NULL;
  WhGguf *gguf;

  gguf = wh_gguf_open (missing, &error);
  g_assert_null (gguf);
  assert_error (&error, WH_GGUF_ERROR_OPEN, "missing.gguf", NULL);

  gguf = wh_gguf_open (g_get_tmp_dir (), &error);
  g_assert_null (gguf);
  assert_error (&error, WH_GGUF_ERROR_OPEN, NULL);

  /* An empty file exists and is readable: it is just not GGUF. */
  assert_format_error (path, (const guint8 *) "", 0, "empty file", "empty");

  wh_gguf_free (NULL);
  g_unlink (path);
}

typedef struct
{
  const char *what;
  gsize       mark;   /* offsetof (Marks, …) */
  gsize       delta;  /* bytes after the mark */
  guint       width;
  guint64     value;
  const char *message_part;
} Corruption;

#define MARK(field) offsetof (Marks, field)

static const Corruption corruptions[] = {
  { "bad magic", MARK (magic), 0, 1, 'X', "does not start with “GGUF”" },
  { "version 1", MARK (version), 0, 4, 1, "version 1 is too old" },
  { "version 99", MARK (version), 0, 4, 99, "version 99" },
  { "big-endian", MARK (version), 0, 4, 0x03000000, "big-endian" },
  { "huge tensor count", MARK (n_tensors), 0, 8, G_GUINT64_CONSTANT (1) << 62, "tensors" },
  { "huge key count", MARK (n_kvs), 0, 8, G_MAXUINT64, "keys" },
  { "huge string length", MARK (string_length), 0, 8, G_GUINT64_CONSTANT (1) << 63, "runs past the end" },
  { "huge array count", MARK (strings_count), 0, 8, G_GUINT64_CONSTANT (1) << 60, "runs past the end" },
  { "huge key length", MARK (u8_key), 0, 8, G_MAXUINT64, "runs past the end" },
  { "huge name length", MARK (tensor_name[1]), 0, 8, G_MAXUINT64 - 7, "runs past the end" },
  { "unknown value type", MARK (f32_type), 0, 4, 13, "unknown value type" },
  { "unknown item type", MARK (strings_type), 0, 4, 13, "unknown type" },
  { "bool byte 7", MARK (bool_value), 0, 1, 7, "boolean" },
  { "invalid UTF-8 key", MARK (u8_key), 8, 1, 0xff, "UTF-8" },
  { "NUL in a key", MARK (u8_key), 9, 1, 0, "UTF-8" },
  { "duplicate key", MARK (u8_key), 8 + 5, 1, 'i', "“test.i8” appears twice" },
  { "duplicate tensor name", MARK (tensor_name[2]), 8 + 5, 1, 'a', "“norm.a” appears twice" },
  { "invalid UTF-8 tensor name", MARK (tensor_name[0]), 8, 1, 0xc0, "UTF-8" },
  { "alignment 0", MARK (alignment_value), 0, 4, 0, "power of two" },
  { "alignment 3", MARK (alignment_value), 0, 4, 3, "power of two" },
  { "5 dimensions", MARK (tensor_n_dims[0]), 0, 4, 5, "dimensions" },
  { "huge dimension", MARK (tensor_dims[0]), 0, 8, G_MAXUINT64, "too many elements" },
  { "too many elements", MARK (tensor_dims[0]), 0, 8, G_GUINT64_CONSTANT (1) << 62, "too many elements" },
  { "data past the end", MARK (tensor_dims[4]), 8, 8, 2, "“q4k” runs past the end" },
  { "offset past the end", MARK (tensor_offset[1]), 0, 8, G_GUINT64_CONSTANT (1) << 40, "“norm.a” runs past the end" },
  { "offset overflow", MARK (tensor_offset[1]), 0, 8, G_MAXUINT64 - 63, "“norm.a” runs past the end" },
  { "misaligned offset", MARK (tensor_offset[1]), 0, 8, 160, "alignment" },
  { "overlap", MARK (tensor_offset[1]), 0, 8, 64, "overlap" },
  { "rows not whole blocks", MARK (tensor_dims[3]), 0, 8, 48, "block size" },
};

static void
test_corruption (Fixture       *f,
                 gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (corruptions); i++)
    {
      const Corruption *c = &corruptions[i];
      g_autofree guint8 *copy = g_memdup2 (f->bytes->data, f->bytes->len);
      gsize at = G_STRUCT_MEMBER (gsize, &f->marks, c->mark) + c->delta;

      patch (copy, at, c->width, c->value);
      assert_format_error (f->path, copy, f->bytes->len, c->what, c->message_part);
    }
}

static void
test_nesting (void)
{
  g_autofree char *path = tmp_file_new ();

  for (guint depth = 1; depth <= 40; depth++)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(WhGguf) gguf = NULL;

      put (b, "GGUF", 4);
      put_uint (b, 4, 3);
      put_uint (b, 8, 0);
      put_uint (b, 8, 1);
      put_key (b, "nested", WH_GGUF_TYPE_ARRAY);
      for (guint i = 1; i < depth; i++)
        put_array (b, WH_GGUF_TYPE_ARRAY, 1);
      put_array (b, WH_GGUF_TYPE_UINT8, 1);
      put_uint (b, 1, 42);

      /* Deep nesting is refused, not recursed into without end. */
      gguf = open_bytes (path, b->data, b->len, &error);
      if (depth <= 16)
        {
          WhGgufType item_type;
          gsize length;

          g_assert_no_error (error);
          g_assert_true (wh_gguf_get_array_info (gguf, "nested", &item_type, &length, &error));
          g_assert_cmpint (item_type, ==, depth > 1 ? WH_GGUF_TYPE_ARRAY : WH_GGUF_TYPE_UINT8);
          g_assert_cmpuint (length, ==, 1);
        }
      else
        assert_error (&error, WH_GGUF_ERROR_FORMAT, "nested", NULL);
    }

  g_unlink (path);
}

static void
test_truncation (Fixture       *f,
                 gconstpointer  data)
{
  /* The file ends with tensor data, so every proper prefix is damaged. */
  for (gsize size = 0; size < f->bytes->len; size++)
    {
      g_autofree char *what = g_strdup_printf ("the first %zu bytes", size);

      assert_format_error (f->path, f->bytes->data, size, what, NULL);
    }
}

static void
test_fuzz (Fixture       *f,
           gconstpointer  data)
{
  GByteArray *bytes = f->bytes;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autofree guint8 *copy = g_malloc (bytes->len);
  guint n_opened = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WhGguf) gguf = NULL;
      guint n_changes = g_rand_int_range (rand, 1, 5);

      memcpy (copy, bytes->data, bytes->len);
      for (guint j = 0; j < n_changes; j++)
        {
          gsize at = g_rand_int_range (rand, 0, bytes->len);

          if (g_rand_boolean (rand))
            copy[at] ^= 1u << g_rand_int_range (rand, 0, 8);
          else
            copy[at] = g_rand_int_range (rand, 0, 256);
        }

      gguf = open_bytes (f->path, copy, bytes->len, &error);
      if (gguf != NULL)
        {
          exercise (gguf);
          n_opened++;
        }
      else
        assert_error (&error, WH_GGUF_ERROR_FORMAT, NULL);
    }

  /* Changes in tensor data leave a valid file. */
  g_assert_cmpuint (n_opened, >, 0);
}

/* The shared test data */

static const char *
testdata_dir (void)
{
  const char *dir = g_getenv ("WH_TESTDATA_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return dir;
}

static void
test_vocab_files (void)
{
  g_autofree char *vocab_dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  if (testdata_dir () != NULL)
    vocab_dir = g_build_filename (testdata_dir (), "vocab", NULL);
  if (vocab_dir == NULL || !g_file_test (vocab_dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data is absent (set WH_TESTDATA_DIR to ../shared/testdata)");
      return;
    }

  dir = g_dir_open (vocab_dir, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(WhGguf) gguf = NULL;
      g_autofree gint64 *token_types = NULL;
      const WhGgufString *tokens;
      WhGgufString model;
      gsize n_tokens, n_types;

      if (!g_str_has_suffix (name, ".gguf"))
        continue;

      path = g_build_filename (vocab_dir, name, NULL);
      gguf = wh_gguf_open (path, &error);
      g_assert_no_error (error);

      g_assert_true (wh_gguf_get_string (gguf, "tokenizer.ggml.model", &model, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (model.length, >, 0);

      g_assert_true (wh_gguf_get_string_array (gguf, "tokenizer.ggml.tokens", &tokens, &n_tokens, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_tokens, >, 1000);

      if (wh_gguf_has_key (gguf, "tokenizer.ggml.token_type"))
        {
          g_assert_true (wh_gguf_get_int_array (gguf, "tokenizer.ggml.token_type",
                                                &token_types, &n_types, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (n_types, ==, n_tokens);
        }

      if (g_str_equal (name, "ggml-vocab-gpt-2.gguf"))
        g_assert_true (wh_gguf_has_key (gguf, "tokenizer.ggml.merges"));

      exercise (gguf);
      n_files++;
    }

  g_assert_cmpuint (n_files, >, 0);
}

static void
test_model_file (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhGguf) gguf = NULL;
  g_autofree char *architecture = NULL;
  gsize size;

  if (testdata_dir () != NULL)
    path = g_build_filename (testdata_dir (), "models", "stories260K", "stories260K-f32.gguf", NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("The shared test data is absent (no models/stories260K/stories260K-f32.gguf)");
      return;
    }

  gguf = wh_gguf_open (path, &error);
  g_assert_no_error (error);

  architecture = wh_gguf_dup_string (gguf, "general.architecture", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (architecture, ==, "llama");

  wh_gguf_get_data (gguf, &size);
  g_assert_cmpuint (wh_gguf_get_n_tensors (gguf), >, 0);
  for (gsize i = 0; i < wh_gguf_get_n_tensors (gguf); i++)
    {
      const WhGgufTensorInfo *info = wh_gguf_get_tensor (gguf, i);

      g_assert_cmpuint (info->n_bytes, >, 0);
      g_assert_cmpuint (info->offset + info->n_bytes, <=, size);
    }

  exercise (gguf);
}

/* A test on the test file, built with @alignment. */
static void
add_fixture_test (const char *path,
                  guint32     alignment,
                  void      (*test) (Fixture       *f,
                                     gconstpointer  data))
{
  g_test_add (path, Fixture, GUINT_TO_POINTER (alignment), fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_fixture_test ("/whetstone/gguf/values", 64, test_values);
  add_fixture_test ("/whetstone/gguf/errors", 64, test_errors);
  add_fixture_test ("/whetstone/gguf/tensors", 64, test_tensors);
  add_fixture_test ("/whetstone/gguf/default-alignment", 0, test_default_alignment);
  add_fixture_test ("/whetstone/gguf/unknown-tensor-type", 64, test_unknown_tensor_type);
  g_test_add_func ("/whetstone/gguf/open-errors", test_open_errors);
  add_fixture_test ("/whetstone/gguf/corruption", 64, test_corruption);
  g_test_add_func ("/whetstone/gguf/nesting", test_nesting);
  add_fixture_test ("/whetstone/gguf/truncation", 64, test_truncation);
  add_fixture_test ("/whetstone/gguf/fuzz", 64, test_fuzz);
  g_test_add_func ("/whetstone/gguf/vocab-files", test_vocab_files);
  g_test_add_func ("/whetstone/gguf/model-file", test_model_file);

  return g_test_run ();
}
