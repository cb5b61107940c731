/* test-safetensors.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The safetensors reader against files written here (every dtype, each
 * kind of damage the reference reader refuses, every truncation, random
 * corruption, sharded sets) and against the real model of the shared test
 * data. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wh-safetensors.h"
#include "wh-safetensors-writer.h"
#include "wh-test-files.h"

#define assert_error(error, code, ...) \
  wh_test_assert_error ((error), WH_SAFETENSORS_ERROR, (code), __VA_ARGS__)

/* A small safetensors writer */

/* Bytes of tensor data: recognisable, never all equal. */
static guint8
data_byte (gsize i)
{
  return (i * 7 + 1) & 0xff;
}

/* The header size (little-endian), the @header_len bytes of @header, then
 * @data_size data bytes. */
static GByteArray *
make_file_len (const char *header,
               gsize       header_len,
               gsize       data_size)
{
  GByteArray *b = g_byte_array_new ();
  guint64 size = header_len;
  guint8 le[8];

  for (guint i = 0; i < 8; i++)
    le[i] = size >> (8 * i);
  g_byte_array_append (b, le, 8);
  g_byte_array_append (b, (const guint8 *) header, size);
  for (gsize i = 0; i < data_size; i++)
    {
      guint8 byte = data_byte (i);

      g_byte_array_append (b, &byte, 1);
    }
  return b;
}

static GByteArray *
make_file (const char *header,
           gsize       data_size)
{
  return make_file_len (header, strlen (header), data_size);
}

typedef struct
{
  const char *name;
  const char *dtype;
  guint       elem_size;
  guint       n_dims;
  guint64     shape[4];
} Spec;

/* A valid header for @specs, laid out in the order given (the header
 * lists them in reverse, as the reference reader does not care), with
 * "__metadata__" when @metadata is not NULL, padded with spaces to a
 * multiple of 8 as the reference writer does. */
static char *
make_header (const Spec *specs,
             guint       n_specs,
             const char *metadata,
             gsize      *data_size)
{
  GString *h = g_string_new ("{");
  guint64 *begins = g_new (guint64, n_specs);
  guint64 offset = 0;

  for (guint i = 0; i < n_specs; i++)
    {
      guint64 n = specs[i].elem_size;

      for (guint j = 0; j < specs[i].n_dims; j++)
        n *= specs[i].shape[j];
      begins[i] = offset;
      offset += n;
    }

  if (metadata != NULL)
    g_string_append_printf (h, "\"__metadata__\":%s", metadata);

  for (guint k = n_specs; k-- > 0;)
    {
      guint64 end = k + 1 < n_specs ? begins[k + 1] : offset;

      if (h->len > 1)
        g_string_append_c (h, ',');
      g_string_append_printf (h, "\"%s\":{\"dtype\":\"%s\",\"shape\":[", specs[k].name, specs[k].dtype);
      for (guint j = 0; j < specs[k].n_dims; j++)
        g_string_append_printf (h, "%s%" G_GUINT64_FORMAT, j > 0 ? "," : "", specs[k].shape[j]);
      g_string_append_printf (h, "],\"data_offsets\":[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "]}",
                              begins[k], end);
    }
  g_string_append_c (h, '}');
  while ((h->len + 8) % 8 != 0)
    g_string_append_c (h, ' ');

  g_free (begins);
  *data_size = offset;
  return g_string_free (h, FALSE);
}

static const Spec test_specs[] = {
  { "model.embed_tokens.weight", "F32",  4, 2, { 4, 3 } },
  { "model.norm.weight",         "F16",  2, 1, { 4 } },
  { "model.layers.0.q.weight",   "BF16", 2, 2, { 2, 2 } },
  { "position_ids",              "I64",  8, 2, { 1, 3 } },
  { "scale",                     "F32",  4, 0, { 0 } },
  { "empty",                     "U8",   1, 1, { 0 } },
  { "flags",                     "BOOL", 1, 1, { 3 } },
  { "fp8",                       "F8_E4M3", 1, 1, { 2 } },
};

static GByteArray *
make_test_file (void)
{
  gsize data_size;
  g_autofree char *header = make_header (test_specs, G_N_ELEMENTS (test_specs),
                                         "{\"format\":\"pt\",\"note\":\"h\\u00e9\"}", &data_size);

  return make_file (header, data_size);
}

/* Files */

static char *
make_dir (void)
{
  return wh_test_make_dir ("test-safetensors-XXXXXX");
}

/* Opens @path, which must fail with *@error set. */
static void
open_fails (const char  *path,
            GError     **error)
{
  WhSafetensors *st = wh_safetensors_open (path, error);

  g_assert_null (st);
}

/* Requires @name of @st, which must fail with *@error set. */
static void
require_fails (WhSafetensors  *st,
               const char     *name,
               guint           n_dims,
               const guint64  *shape,
               GError        **error)
{
  const WhSafetensorsTensor *t = wh_safetensors_require (st, name, n_dims, shape, error);

  g_assert_null (t);
}

/* Most tests start from the test file and a temporary folder to write it
 * to, as model.safetensors. */
typedef struct
{
  GByteArray *bytes;
  char       *dir;
  char       *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->bytes = make_test_file ();
  f->dir = make_dir ();
  f->path = g_build_filename (f->dir, "model.safetensors", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wh_test_remove_dir (f->dir);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->bytes, g_byte_array_unref);
}

/* Writes the test file, as it is now, and opens it. */
static WhSafetensors *
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WhSafetensors *st;

  wh_test_write_file (f->path, f->bytes->data, f->bytes->len);
  st = wh_safetensors_open (f->path, &error);
  g_assert_no_error (error);
  return st;
}

/* Reads every byte of every tensor (for the sanitizers) and checks what
 * must hold of any file that opened. */
static void
exercise (WhSafetensors *st)
{
  guint sum = 0;

  for (gsize i = 0; i < wh_safetensors_get_n_tensors (st); i++)
    {
      const WhSafetensorsTensor *t = wh_safetensors_get_tensor (st, i);
      guint64 n = 1;

      g_assert_nonnull (t->name);
      g_assert_nonnull (t->file);
      g_assert_true (wh_safetensors_find (st, t->name) == t);
      g_assert_cmpuint (t->n_dims, <=, WH_SAFETENSORS_MAX_DIMS);
      for (guint j = 0; j < t->n_dims; j++)
        n *= t->shape[j];
      g_assert_cmpuint (n, ==, t->n_elements);
      for (guint64 j = 0; j < t->n_bytes; j++)
        sum += t->data[j];
    }

  g_assert_cmpuint (sum, <, G_MAXUINT);
}

/* Reading */

static void
test_read (Fixture       *f,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhSafetensors) st = NULL;
  const WhSafetensorsTensor *t;
  const guint8 *data;
  gsize at = 0;

  st = fixture_open (f);

  g_assert_cmpuint (wh_safetensors_get_n_tensors (st), ==, G_N_ELEMENTS (test_specs));
  data = wh_safetensors_get_tensor (st, 0)->data;

  /* In the order of the data, whatever the order of the header. */
  for (guint i = 0; i < G_N_ELEMENTS (test_specs); i++)
    {
      const Spec *spec = &test_specs[i];

      t = wh_safetensors_get_tensor (st, i);
      g_assert_cmpstr (t->name, ==, spec->name);
      g_assert_cmpstr (t->dtype_name, ==, spec->dtype);
      g_assert_cmpstr (t->file, ==, "model.safetensors");
      g_assert_cmpuint (t->n_dims, ==, spec->n_dims);
      for (guint j = 0; j < spec->n_dims; j++)
        g_assert_cmpuint (t->shape[j], ==, spec->shape[j]);
      g_assert_cmpuint (t->n_bytes, ==, t->n_elements * spec->elem_size);
      g_assert_true (t->data == data + at);
      for (guint64 j = 0; j < t->n_bytes; j++)
        g_assert_cmpuint (t->data[j], ==, data_byte (at + j));
      at += t->n_bytes;
    }
  {
    guint64 header_size = 0;

    for (guint i = 0; i < 8; i++)
      header_size |= (guint64) f->bytes->data[i] << (8 * i);
    g_assert_cmpuint (header_size % 8, ==, 0);
    g_assert_cmpuint (8 + header_size + at, ==, f->bytes->len);
  }

  t = wh_safetensors_find (st, "model.embed_tokens.weight");
  g_assert_cmpint (t->dtype, ==, WH_CL_DTYPE_F32);
  g_assert_cmpuint (t->n_elements, ==, 12);
  g_assert_cmpint (wh_safetensors_find (st, "model.norm.weight")->dtype, ==, WH_CL_DTYPE_F16);
  g_assert_cmpint (wh_safetensors_find (st, "model.layers.0.q.weight")->dtype, ==, WH_CL_DTYPE_BF16);
  g_assert_cmpint (wh_safetensors_find (st, "position_ids")->dtype, ==, -1);
  g_assert_cmpint (wh_safetensors_find (st, "fp8")->dtype, ==, -1);
  t = wh_safetensors_find (st, "scale");
  g_assert_cmpuint (t->n_dims, ==, 0);
  g_assert_cmpuint (t->n_elements, ==, 1);
  g_assert_cmpuint (t->n_bytes, ==, 4);
  t = wh_safetensors_find (st, "empty");
  g_assert_cmpuint (t->n_elements, ==, 0);
  g_assert_cmpuint (t->n_bytes, ==, 0);
  g_assert_null (wh_safetensors_find (st, "__metadata__"));
  g_assert_null (wh_safetensors_find (st, "missing"));

  g_assert_cmpstr (wh_safetensors_get_metadata (st, "format"), ==, "pt");
  g_assert_cmpstr (wh_safetensors_get_metadata (st, "note"), ==, "h\xc3\xa9");
  g_assert_null (wh_safetensors_get_metadata (st, "missing"));

  exercise (st);
  g_clear_pointer (&st, wh_safetensors_free);

  /* The folder, too. */
  st = wh_safetensors_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_safetensors_get_n_tensors (st), ==, G_N_ELEMENTS (test_specs));
  g_clear_pointer (&st, wh_safetensors_free);
}

static void
test_empty_file (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.safetensors", NULL);
  g_autoptr(GByteArray) bytes = make_file ("{}      ", 0);
  g_autoptr(GByteArray) meta = make_file ("{\"__metadata__\":null}", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhSafetensors) st = NULL;

  /* No tensors and no data: valid, as for the reference reader. */
  wh_test_write_file (path, bytes->data, bytes->len);
  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_safetensors_get_n_tensors (st), ==, 0);
  g_assert_null (wh_safetensors_get_metadata (st, "format"));
  g_clear_pointer (&st, wh_safetensors_free);

  wh_test_write_file (path, meta->data, meta->len);
  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&st, wh_safetensors_free);

  wh_test_remove_dir (dir);
}

static void
test_require (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhSafetensors) st = NULL;
  const guint64 embed_shape[] = { 4, 3 };
  const guint64 wrong_shape[] = { 3, 4 };
  const WhSafetensorsTensor *t;

  st = fixture_open (f);

  t = wh_safetensors_require (st, "model.embed_tokens.weight", 2, embed_shape, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t);

  t = wh_safetensors_require (st, "model.norm.weight", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->dtype, ==, WH_CL_DTYPE_F16);

  require_fails (st, "lm_head.weight", 0, NULL, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_MISSING, "“lm_head.weight”", "“model.safetensors”", NULL);

  require_fails (st, "position_ids", 0, NULL, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_DTYPE, "“position_ids”", "“model.safetensors”", "I64", NULL);

  require_fails (st, "model.embed_tokens.weight", 2, wrong_shape, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.embed_tokens.weight”", "“model.safetensors”",
                "4×3", "3×4", NULL);

  require_fails (st, "model.embed_tokens.weight", 1, embed_shape, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.embed_tokens.weight”", "4×3", NULL);

  g_clear_pointer (&st, wh_safetensors_free);
}

static void
test_open_errors (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.safetensors", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub.safetensors", NULL);
  g_autoptr(GError) error = NULL;

  open_fails (missing, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_OPEN, "“missing.safetensors”", NULL);

  /* A folder with neither file. */
  open_fails (dir, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_OPEN, "model.safetensors", "model.safetensors.index.json", NULL);

  /* A folder where model.safetensors should be. */
  g_mkdir (sub, 0700);
  open_fails (sub, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_OPEN, NULL);
  g_rmdir (sub);

  wh_test_remove_dir (dir);
}

/* Damage */

typedef struct
{
  const char *what;
  const char *header;
  gsize       header_len;   /* 0 for strlen (header) */
  gsize       data_size;
  const char *message[3];   /* parts of the message, besides the file name */
} BadCase;

static const BadCase bad_cases[] = {
  { "not JSON", "{\"a\": {\"dtype\": \"F32\"", 0, 0, { "JSON" } },
  { "not UTF-8", "{\"a\xff\": 1}", 0, 0, { "UTF-8" } },
  { "NUL in the header", "{}\0\0\0\0\0\0", 8, 0, { "UTF-8" } },
  { "empty header", "", 0, 0, { "JSON object" } },
  { "not an object", "[1, 2]", 0, 0, { "JSON object" } },
  { "metadata not an object", "{\"__metadata__\": [1]}", 0, 0, { "__metadata__" } },
  { "metadata not strings", "{\"__metadata__\": {\"n\": 1}}", 0, 0, { "“n”" } },
  { "tensor not an object",
    "{\"t.w\": [1]}", 0, 0, { "“t.w”" } },
  { "no dtype",
    "{\"t.w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "dtype" } },
  { "dtype not a string",
    "{\"t.w\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "dtype" } },
  { "unknown dtype",
    "{\"t.w\": {\"dtype\": \"F4\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 0, 1, { "“t.w”", "“F4”" } },
  { "lower-case dtype",
    "{\"t.w\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "“f32”" } },
  { "no shape",
    "{\"t.w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "shape" } },
  { "negative size",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "shape" } },
  { "fractional size",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "shape" } },
  { "too many dimensions",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [1,1,1,1,1,1,1,1,1], \"data_offsets\": [0, 4]}}", 0, 4,
    { "“t.w”", "9 dimensions" } },
  { "elements overflow",
    "{\"t.w\": {\"dtype\": \"U8\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 0]}}", 0, 0,
    { "“t.w”", "too many" } },
  { "bytes overflow",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904], \"data_offsets\": [0, 0]}}", 0, 0,
    { "“t.w”", "too many" } },
  { "no data_offsets",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 0, 4, { "“t.w”", "data_offsets" } },
  { "one offset",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 0, 4, { "“t.w”", "data_offsets" } },
  { "negative offset",
    "{\"t.w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 0, 4, { "“t.w”", "data_offsets" } },
  { "size mismatch",
    "{\"model.layers.0.mlp.up_proj.weight\": {\"dtype\": \"F32\", \"shape\": [64, 172], "
    "\"data_offsets\": [0, 4096]}}", 0, 4096,
    { "“model.layers.0.mlp.up_proj.weight”", "bytes 0–4096", "64×172 in F32 (44032 bytes)" } },
  { "dtype size mismatch",
    "{\"t.w\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, 8, { "“t.w”", "BF16" } },
  { "end before begin",
    "{\"t.a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 4]},"
    " \"t.b\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [4, 0]}}", 0, 4,
    { "“t.b”", "4–0", "end before" } },
  { "offsets claimed twice",
    "{\"t.w\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 0]},"
    " \"t.v\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 4]}}", 0, 4, { "“t.w”", "0–0" } },
  { "overlap",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
    " \"t.b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 0, 12,
    { "“t.a”", "“t.b”", "overlap" } },
  { "same offsets",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
    " \"t.b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, 8,
    { "“t.a”", "“t.b”", "overlap" } },
  { "gap",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
    " \"t.b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [12, 20]}}", 0, 20,
    { "“t.b”", "bytes 8–12", "no tensor" } },
  { "gap at the start",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 0, 12,
    { "“t.a”", "bytes 0–4" } },
  { "data not covered",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, 9,
    { "“t.a”", "last 1 bytes" } },
  { "data and no tensors", "{}", 0, 16, { "16 bytes" } },
  { "offsets outside the file",
    "{\"t.a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
    " \"t.b\": {\"dtype\": \"F32\", \"shape\": [1024], \"data_offsets\": [8, 4104]}}", 0, 16,
    { "“t.b”", "8–4104", "16 bytes" } },
  { "huge offsets",
    "{\"t.a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [9223372036854775800, 9223372036854775804]}}",
    0, 4, { "“t.a”" } },
};

static void
test_bad_headers (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.safetensors", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GByteArray) bytes = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", c->what);

      bytes = make_file_len (c->header, c->header_len ? c->header_len : strlen (c->header), c->data_size);
      wh_test_write_file (path, bytes->data, bytes->len);
      open_fails (path, &error);
      assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“bad.safetensors”",
                    c->message[0] != NULL ? c->message[0] : "",
                    c->message[1] != NULL ? c->message[1] : "",
                    c->message[2] != NULL ? c->message[2] : "", NULL);
    }

  wh_test_remove_dir (dir);
}

static void
test_header_size (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  WhSafetensors *st;

  /* Claims one byte more than there is. */
  {
    guint64 size = f->bytes->len - 8 + 1;

    for (guint i = 0; i < 8; i++)
      f->bytes->data[i] = size >> (8 * i);
    wh_test_write_file (f->path, f->bytes->data, f->bytes->len);
    open_fails (f->path, &error);
    assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors”", "truncated", NULL);
  }

  /* Beyond the limit of the reference reader, and far beyond. */
  for (guint k = 0; k < 3; k++)
    {
      static const guint64 sizes[] = { 100000001, G_MAXUINT64, G_GUINT64_CONSTANT (1) << 63 };
      g_autoptr(GByteArray) b = make_file ("{}", 0);

      for (guint i = 0; i < 8; i++)
        b->data[i] = sizes[k] >> (8 * i);
      wh_test_write_file (f->path, b->data, b->len);
      open_fails (f->path, &error);
      assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors”", "100000000", NULL);
    }

  /* Exactly at the limit is allowed, when the file is that long. */
  {
    g_autofree char *header = g_malloc (100000000 + 1);
    g_autoptr(GByteArray) b = NULL;

    memset (header, ' ', 100000000);
    header[100000000] = '\0';
    header[0] = '{';
    header[1] = '}';
    b = make_file (header, 0);
    wh_test_write_file (f->path, b->data, b->len);
    st = wh_safetensors_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (wh_safetensors_get_n_tensors (st), ==, 0);
    wh_safetensors_free (st);
  }
}

static void
test_truncation (Fixture       *f,
                 gconstpointer  user_data)
{
  /* The file ends with tensor data, so every proper prefix is damaged. */
  for (gsize size = 0; size < f->bytes->len; size++)
    {
      g_autoptr(GError) error = NULL;

      wh_test_write_file (f->path, f->bytes->data, size);
      open_fails (f->path, &error);
      assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors”", NULL);
    }
}

static void
test_fuzz (Fixture       *f,
           gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260201);
  g_autofree guint8 *copy = g_malloc (f->bytes->len);
  gsize header_end = 8;
  guint n_opened = 0;

  for (guint i = 0; i < 8; i++)
    header_end += (gsize) f->bytes->data[i] << (8 * i);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WhSafetensors) st = NULL;
      guint n_changes = g_rand_int_range (rand, 1, 5);
      gsize size = f->bytes->len;

      memcpy (copy, f->bytes->data, f->bytes->len);
      for (guint j = 0; j < n_changes; j++)
        {
          /* Mostly the header, where damage matters. */
          gsize at = g_rand_int_range (rand, 0, 10) < 8 ? g_rand_int_range (rand, 0, header_end)
                                                        : g_rand_int_range (rand, 0, f->bytes->len);
          guint8 digits[] = "0123456789";

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              copy[at] ^= 1u << g_rand_int_range (rand, 0, 8);
              break;
            case 1:
              copy[at] = g_rand_int_range (rand, 0, 256);
              break;
            case 2:
              copy[at] = digits[g_rand_int_range (rand, 0, 10)];
              break;
            default:
              size = g_rand_int_range (rand, 0, f->bytes->len + 1);
              break;
            }
        }

      wh_test_write_file (f->path, copy, size);
      st = wh_safetensors_open (f->path, &error);
      if (st != NULL)
        {
          exercise (st);
          n_opened++;
        }
      else
        assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors”", NULL);
    }

  /* Changes in tensor data and padding leave a valid file. */
  g_assert_cmpuint (n_opened, >, 0);
}

/* Sharded sets */

static const Spec shard1_specs[] = {
  { "model.embed_tokens.weight", "F32", 4, 2, { 8, 4 } },
  { "model.layers.0.mlp.up_proj.weight", "BF16", 2, 2, { 6, 4 } },
};

static const Spec shard2_specs[] = {
  { "model.layers.0.mlp.down_proj.weight", "BF16", 2, 2, { 4, 6 } },
  { "model.norm.weight", "F32", 4, 1, { 4 } },
  { "lm_head.weight", "F32", 4, 2, { 8, 4 } },
};

#define SHARD1 "model-00001-of-00002.safetensors"
#define SHARD2 "model-00002-of-00002.safetensors"

static void
write_shard (const char *dir,
             const char *name,
             const Spec *specs,
             guint       n_specs,
             const char *metadata)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize data_size;
  g_autofree char *header = make_header (specs, n_specs, metadata, &data_size);
  g_autoptr(GByteArray) bytes = make_file (header, data_size);

  wh_test_write_file (path, bytes->data, bytes->len);
}

/* The weight map of the two shards, with @extra entries before the
 * closing brace. */
static void
write_index (const char *dir,
             const char *extra)
{
  g_autofree char *path = g_build_filename (dir, "model.safetensors.index.json", NULL);
  g_autofree char *text = g_strdup_printf (
    "{\n"
    "  \"metadata\": {\"total_size\": 424},\n"
    "  \"weight_map\": {\n"
    "    \"lm_head.weight\": \"" SHARD2 "\",\n"
    "    \"model.embed_tokens.weight\": \"" SHARD1 "\",\n"
    "    \"model.layers.0.mlp.down_proj.weight\": \"" SHARD2 "\",\n"
    "    \"model.layers.0.mlp.up_proj.weight\": \"" SHARD1 "\",\n"
    "    \"model.norm.weight\": \"" SHARD2 "\"%s\n"
    "  }\n"
    "}\n", extra);

  wh_test_write_text (path, text);
}

static char *
make_sharded_dir (void)
{
  char *dir = make_dir ();

  write_shard (dir, SHARD1, shard1_specs, G_N_ELEMENTS (shard1_specs), "{\"format\":\"pt\"}");
  write_shard (dir, SHARD2, shard2_specs, G_N_ELEMENTS (shard2_specs), "{\"format\":\"pt\",\"shard\":\"2\"}");
  write_index (dir, "");
  return dir;
}

static void
test_sharded (void)
{
  g_autofree char *dir = make_sharded_dir ();
  g_autofree char *index = g_build_filename (dir, "model.safetensors.index.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhSafetensors) st = NULL;
  const WhSafetensorsTensor *t;

  for (guint k = 0; k < 2; k++)
    {
      st = wh_safetensors_open (k == 0 ? index : dir, &error);
      g_assert_no_error (error);

      g_assert_cmpuint (wh_safetensors_get_n_tensors (st), ==, 5);

      /* File by file, in the order the map first names them. */
      g_assert_cmpstr (wh_safetensors_get_tensor (st, 0)->name, ==, "model.layers.0.mlp.down_proj.weight");
      g_assert_cmpstr (wh_safetensors_get_tensor (st, 3)->name, ==, "model.embed_tokens.weight");

      t = wh_safetensors_find (st, "lm_head.weight");
      g_assert_cmpstr (t->file, ==, SHARD2);
      g_assert_cmpuint (t->shape[0], ==, 8);
      t = wh_safetensors_find (st, "model.layers.0.mlp.up_proj.weight");
      g_assert_cmpstr (t->file, ==, SHARD1);
      g_assert_cmpint (t->dtype, ==, WH_CL_DTYPE_BF16);
      g_assert_cmpuint (t->data[0], ==, data_byte (8 * 4 * 4));

      g_assert_cmpstr (wh_safetensors_get_metadata (st, "format"), ==, "pt");
      g_assert_cmpstr (wh_safetensors_get_metadata (st, "shard"), ==, "2");

      require_fails (st, "model.layers.1.mlp.up_proj.weight", 0, NULL, &error);
      assert_error (&error, WH_SAFETENSORS_ERROR_MISSING, "“model.layers.1.mlp.up_proj.weight”",
                    "“model.safetensors.index.json”", NULL);

      exercise (st);
      g_clear_pointer (&st, wh_safetensors_free);
    }

  wh_test_remove_dir (dir);
}

static void
test_sharded_errors (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *index = NULL;
  g_autofree char *shard2 = NULL;
  g_autoptr(GError) error = NULL;

  /* A tensor the map puts in a shard that does not hold it. */
  dir = make_sharded_dir ();
  index = g_build_filename (dir, "model.safetensors.index.json", NULL);
  shard2 = g_build_filename (dir, SHARD2, NULL);
  write_index (dir, ",\n    \"model.layers.0.self_attn.q_proj.weight\": \"" SHARD1 "\"");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“" SHARD1 "”",
                "“model.layers.0.self_attn.q_proj.weight”", "“model.safetensors.index.json”", NULL);

  /* … or that is in the other shard. */
  write_index (dir, ",\n    \"model.norm.weight\": \"" SHARD1 "\"");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“" SHARD1 "”", "“model.norm.weight”",
                "“" SHARD2 "”", NULL);

  /* A tensor in both shards. */
  write_index (dir, "");
  {
    Spec dup[G_N_ELEMENTS (shard2_specs) + 1];

    memcpy (dup, shard2_specs, sizeof shard2_specs);
    dup[G_N_ELEMENTS (shard2_specs)] = shard1_specs[0];
    write_shard (dir, SHARD2, dup, G_N_ELEMENTS (dup), NULL);
  }
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.embed_tokens.weight”",
                "“" SHARD1 "”", "“" SHARD2 "”", NULL);

  /* A shard that is missing. */
  g_unlink (shard2);
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_OPEN, "“" SHARD2 "”", "“lm_head.weight”",
                "“model.safetensors.index.json”", NULL);

  /* A shard that is damaged. */
  wh_test_write_file (shard2, (const guint8 *) "\x08\0\0\0\0\0\0\0{}", 10);
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“" SHARD2 "”", NULL);
  write_shard (dir, SHARD2, shard2_specs, G_N_ELEMENTS (shard2_specs), NULL);

  /* A file name outside the folder. */
  write_index (dir, ",\n    \"x.weight\": \"../" SHARD1 "\"");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“x.weight”", "“../" SHARD1 "”", NULL);

  /* A file name that is not a string. */
  write_index (dir, ",\n    \"x.weight\": 2");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“x.weight”", NULL);

  /* No weight map; not JSON. */
  wh_test_write_text (index, "{\"metadata\": {}}");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors.index.json”", "weight_map", NULL);

  wh_test_write_text (index, "{\"weight_map\": {");
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_FORMAT, "“model.safetensors.index.json”", "JSON", NULL);

  g_unlink (index);
  open_fails (index, &error);
  assert_error (&error, WH_SAFETENSORS_ERROR_OPEN, "“model.safetensors.index.json”", NULL);

  wh_test_remove_dir (dir);
}

/* The shared test data */

static void
test_stories260K (void)
{
  g_autofree char *path = wh_test_find_data ("models/stories260K/hf/model.safetensors");
  g_autoptr(GError) error = NULL;
  g_autoptr(WhSafetensors) st = NULL;
  guint64 n_params = 0;

  if (path == NULL)
    return;

  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);

  /* config.json: hidden 64, intermediate 172, 5 layers, 8 heads of 8, 4 KV
   * heads, vocabulary 512. */
  {
    const guint64 embed[] = { 512, 64 }, norm[] = { 64 }, q[] = { 64, 64 }, kv[] = { 32, 64 };
    const guint64 up[] = { 172, 64 }, down[] = { 64, 172 };

    g_assert_nonnull (wh_safetensors_require (st, "model.embed_tokens.weight", 2, embed, &error));
    g_assert_nonnull (wh_safetensors_require (st, "model.norm.weight", 1, norm, &error));
    for (guint l = 0; l < 5; l++)
      {
        struct { const char *name; guint n_dims; const guint64 *shape; } expected[] = {
          { "input_layernorm.weight", 1, norm },
          { "post_attention_layernorm.weight", 1, norm },
          { "self_attn.q_proj.weight", 2, q },
          { "self_attn.k_proj.weight", 2, kv },
          { "self_attn.v_proj.weight", 2, kv },
          { "self_attn.o_proj.weight", 2, q },
          { "mlp.gate_proj.weight", 2, up },
          { "mlp.up_proj.weight", 2, up },
          { "mlp.down_proj.weight", 2, down },
        };

        for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
          {
            g_autofree char *name = g_strdup_printf ("model.layers.%u.%s", l, expected[i].name);

            g_assert_nonnull (wh_safetensors_require (st, name, expected[i].n_dims, expected[i].shape, &error));
            g_assert_no_error (error);
          }
      }
    g_assert_no_error (error);

    /* Tied embeddings, though the file may still hold the head. */
    if (wh_safetensors_find (st, "lm_head.weight") != NULL)
      g_assert_nonnull (wh_safetensors_require (st, "lm_head.weight", 2, embed, &error));
    g_assert_no_error (error);
  }

  for (gsize i = 0; i < wh_safetensors_get_n_tensors (st); i++)
    {
      const WhSafetensorsTensor *t = wh_safetensors_get_tensor (st, i);

      g_assert_cmpstr (t->dtype_name, ==, "F32");
      g_assert_cmpint (t->dtype, ==, WH_CL_DTYPE_F32);
      g_assert_cmpstr (t->file, ==, "model.safetensors");
      if (!g_str_equal (t->name, "lm_head.weight"))
        n_params += t->n_elements;
    }

  /* 260K parameters. */
  g_assert_cmpuint (n_params, ==, 260032);
  exercise (st);
}

/* What the writer writes, the reader reads back: f32 exactly, f16 as
 * the nearest half (ties to even), with the header's types and shapes. */
static void
test_writer_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whetstone-st-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "w.safetensors", NULL);
  g_autoptr(WhSafetensorsWriter) w = wh_safetensors_writer_new ();
  g_autoptr(WhSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  const float values[6] = { 0.0f, -1.5f, 65504.0f, 1e-8f, 0.1f, 1.0009765625f + 0x1p-11f };
  const guint16 halves[6] = { 0x0000, 0xbe00, 0x7bff, 0x0000, 0x2e66, 0x3c02 };
  const guint64 shape[2] = { 2, 3 };
  const WhSafetensorsTensor *a, *b;

  wh_safetensors_writer_add_f32 (w, "a", shape, 2, values);
  wh_safetensors_writer_add_f16 (w, "b", shape, 2, values);
  g_assert_true (wh_safetensors_writer_save (w, path, &error));
  g_assert_no_error (error);

  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);
  a = wh_safetensors_find (st, "a");
  b = wh_safetensors_find (st, "b");
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a->dtype_name, ==, "F32");
  g_assert_cmpstr (b->dtype_name, ==, "F16");
  g_assert_cmpuint (b->shape[0], ==, 2);
  g_assert_cmpuint (b->shape[1], ==, 3);
  g_assert_cmpmem (a->data, a->n_bytes, values, sizeof values);
  g_assert_cmpmem (b->data, b->n_bytes, halves, sizeof halves);

  g_clear_pointer (&st, wh_safetensors_free);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/whetstone/safetensors/read", Fixture, NULL, fixture_set_up, test_read, fixture_tear_down);
  g_test_add_func ("/whetstone/safetensors/empty-file", test_empty_file);
  g_test_add ("/whetstone/safetensors/require", Fixture, NULL, fixture_set_up, test_require, fixture_tear_down);
  g_test_add_func ("/whetstone/safetensors/open-errors", test_open_errors);
  g_test_add_func ("/whetstone/safetensors/bad-headers", test_bad_headers);
  g_test_add ("/whetstone/safetensors/header-size", Fixture, NULL, fixture_set_up, test_header_size, fixture_tear_down);
  g_test_add ("/whetstone/safetensors/truncation", Fixture, NULL, fixture_set_up, test_truncation, fixture_tear_down);
  g_test_add ("/whetstone/safetensors/fuzz", Fixture, NULL, fixture_set_up, test_fuzz, fixture_tear_down);
  g_test_add_func ("/whetstone/safetensors/sharded", test_sharded);
  g_test_add_func ("/whetstone/safetensors/sharded-errors", test_sharded_errors);
  g_test_add_func ("/whetstone/safetensors/stories260K", test_stories260K);
  g_test_add_func ("/whetstone/safetensors/writer-round-trip", test_writer_round_trip);

  return g_test_run ();
}
