/* wh-gguf.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The whole file is checked once, in wh_gguf_open(): every length and count
 * is compared with the bytes left before anything is skipped or allocated,
 * so what is allocated grows with the bytes actually parsed, never with a
 * count the file claims.  After that the getters read the mapping without
 * checks of their own.  Values stay in the mapping, where they may be
 * unaligned (they are read with memcpy); only top-level string arrays get
 * an index of WhGgufString, built while parsing, so that a vocabulary of
 * 150k tokens needs no second walk. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "wh-gguf.h"

#define GGUF_DEFAULT_ALIGNMENT 32

/* Nested arrays are walked recursively: deeper nesting is refused rather
 * than risking the stack on a crafted file. */
#define GGUF_MAX_ARRAY_DEPTH 16

/* The fewest bytes a key/value pair takes: the length of an empty key, the
 * value type and a one-byte value. */
#define MIN_KV_SIZE (8 + 4 + 1)

/* The fewest bytes a tensor info takes: the length of an empty name,
 * n_dims (0), the type and the offset. */
#define MIN_TENSOR_INFO_SIZE (8 + 4 + 4 + 8)

/* The fewest bytes an array item of a variable-size type takes: a string's
 * length, or an array's item type and count. */
#define MIN_STRING_SIZE 8
#define MIN_ARRAY_SIZE  (4 + 8)

typedef struct
{
  char         *key;
  WhGgufType    type;
  WhGgufType    item_type; /* arrays */
  guint64       length;    /* strings: bytes; arrays: items */
  gsize         value;     /* where the value (or the first item) is in the mapping */
  WhGgufString *strings;   /* arrays of strings: the items */
} Kv;

struct _WhGguf
{
  char         *path;
  char         *display_name;
  GMappedFile  *mapped;
  const guint8 *data;
  gsize         size;

  guint32       version;
  guint64       alignment;
  guint64       data_offset;

  GArray       *kvs;          /* of Kv, in file order */
  GHashTable   *kv_index;     /* key (borrowed from kvs) → index in kvs */
  GArray       *tensors;      /* of WhGgufTensorInfo, in file order */
  GHashTable   *tensor_index; /* name (borrowed from tensors) → index in tensors */
};

typedef enum
{
  SECTION_HEADER,
  SECTION_KVS,
  SECTION_TENSORS,
} Section;

/* A position in the mapping, and what is being read there, for messages. */
typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         pos;
  const char   *name;        /* display name of the file */
  Section       section;
  gsize         index;       /* of the key or tensor being read */
  const char   *key;         /* the key whose value is being read */
  const char   *tensor_name; /* the tensor whose info is being read */
} Parser;

/* Block size (elements) and type size (bytes per block) of the ggml types
 * this reader knows; the others have n_bytes 0. */
typedef struct
{
  guint32 block_size;
  guint32 type_size;
} GgmlTypeTraits;

static const GgmlTypeTraits ggml_type_traits[] = {
  [0]  = {   1,   4 }, /* f32 */
  [1]  = {   1,   2 }, /* f16 */
  [2]  = {  32,  18 }, /* q4_0 */
  [3]  = {  32,  20 }, /* q4_1 */
  [6]  = {  32,  22 }, /* q5_0 */
  [7]  = {  32,  24 }, /* q5_1 */
  [8]  = {  32,  34 }, /* q8_0 */
  [9]  = {  32,  36 }, /* q8_1 */
  [10] = { 256,  84 }, /* q2_K */
  [11] = { 256, 110 }, /* q3_K */
  [12] = { 256, 144 }, /* q4_K */
  [13] = { 256, 176 }, /* q5_K */
  [14] = { 256, 210 }, /* q6_K */
  [15] = { 256, 292 }, /* q8_K */
  [24] = {   1,   1 }, /* i8 */
  [25] = {   1,   2 }, /* i16 */
  [26] = {   1,   4 }, /* i32 */
  [27] = {   1,   8 }, /* i64 */
  [28] = {   1,   8 }, /* f64 */
  [30] = {   1,   2 }, /* bf16 */
};

G_DEFINE_QUARK (wh-gguf-error-quark, wh_gguf_error)

static void
kv_clear (gpointer data)
{
  Kv *kv = data;

  g_clear_pointer (&kv->key, g_free);
  g_clear_pointer (&kv->strings, g_free);
}

static void
tensor_info_clear (gpointer data)
{
  WhGgufTensorInfo *info = data;

  g_clear_pointer (&info->name, g_free);
}

static guint16
load_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static guint32
load_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

static guint64
load_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static double
load_float (const guint8 *p,
            WhGgufType    type)
{
  if (type == WH_GGUF_TYPE_FLOAT32)
    {
      guint32 bits = load_u32 (p);
      float f;

      memcpy (&f, &bits, sizeof f);
      return f;
    }
  else
    {
      guint64 bits = load_u64 (p);
      double d;

      g_assert (type == WH_GGUF_TYPE_FLOAT64);
      memcpy (&d, &bits, sizeof d);
      return d;
    }
}

static gboolean
type_is_integer (WhGgufType type)
{
  switch (type)
    {
    case WH_GGUF_TYPE_UINT8:
    case WH_GGUF_TYPE_INT8:
    case WH_GGUF_TYPE_UINT16:
    case WH_GGUF_TYPE_INT16:
    case WH_GGUF_TYPE_UINT32:
    case WH_GGUF_TYPE_INT32:
    case WH_GGUF_TYPE_UINT64:
    case WH_GGUF_TYPE_INT64:
      return TRUE;

    case WH_GGUF_TYPE_FLOAT32:
    case WH_GGUF_TYPE_BOOL:
    case WH_GGUF_TYPE_STRING:
    case WH_GGUF_TYPE_ARRAY:
    case WH_GGUF_TYPE_FLOAT64:
    default:
      return FALSE;
    }
}

static gboolean
type_is_float (WhGgufType type)
{
  return type == WH_GGUF_TYPE_FLOAT32 || type == WH_GGUF_TYPE_FLOAT64;
}

/* The size of a value of @type, or 0 for strings and arrays. */
static gsize
type_fixed_size (WhGgufType type)
{
  switch (type)
    {
    case WH_GGUF_TYPE_UINT8:
    case WH_GGUF_TYPE_INT8:
    case WH_GGUF_TYPE_BOOL:
      return 1;

    case WH_GGUF_TYPE_UINT16:
    case WH_GGUF_TYPE_INT16:
      return 2;

    case WH_GGUF_TYPE_UINT32:
    case WH_GGUF_TYPE_INT32:
    case WH_GGUF_TYPE_FLOAT32:
      return 4;

    case WH_GGUF_TYPE_UINT64:
    case WH_GGUF_TYPE_INT64:
    case WH_GGUF_TYPE_FLOAT64:
      return 8;

    case WH_GGUF_TYPE_STRING:
    case WH_GGUF_TYPE_ARRAY:
    default:
      return 0;
    }
}

/* Loads an integer of @type at @p into @value.  Returns FALSE for a uint64
 * above G_MAXINT64, which is then in @huge. */
static gboolean
load_int (const guint8 *p,
          WhGgufType    type,
          gint64       *value,
          guint64      *huge)
{
  switch (type)
    {
    case WH_GGUF_TYPE_UINT8:
      *value = p[0];
      return TRUE;

    case WH_GGUF_TYPE_INT8:
      *value = (gint8) p[0];
      return TRUE;

    case WH_GGUF_TYPE_UINT16:
      *value = load_u16 (p);
      return TRUE;

    case WH_GGUF_TYPE_INT16:
      *value = (gint16) load_u16 (p);
      return TRUE;

    case WH_GGUF_TYPE_UINT32:
      *value = load_u32 (p);
      return TRUE;

    case WH_GGUF_TYPE_INT32:
      *value = (gint32) load_u32 (p);
      return TRUE;

    case WH_GGUF_TYPE_INT64:
      *value = (gint64) load_u64 (p);
      return TRUE;

    case WH_GGUF_TYPE_UINT64:
      *huge = load_u64 (p);
      if (*huge > G_MAXINT64)
        return FALSE;
      *value = (gint64) *huge;
      return TRUE;

    case WH_GGUF_TYPE_FLOAT32:
    case WH_GGUF_TYPE_BOOL:
    case WH_GGUF_TYPE_STRING:
    case WH_GGUF_TYPE_ARRAY:
    case WH_GGUF_TYPE_FLOAT64:
    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

/* How a value of @type (with items of @item_type) is called in messages. */
static const char *
describe_type (WhGgufType type,
               WhGgufType item_type)
{
  if (type_is_integer (type))
    return _("an integer");
  if (type_is_float (type))
    return _("a floating-point number");
  if (type == WH_GGUF_TYPE_BOOL)
    return _("a boolean");
  if (type == WH_GGUF_TYPE_STRING)
    return _("a string");

  g_assert (type == WH_GGUF_TYPE_ARRAY);

  if (type_is_integer (item_type))
    return _("an array of integers");
  if (type_is_float (item_type))
    return _("an array of floating-point numbers");
  if (item_type == WH_GGUF_TYPE_BOOL)
    return _("an array of booleans");
  if (item_type == WH_GGUF_TYPE_STRING)
    return _("an array of strings");
  return _("an array of arrays");
}

/* Parsing */

static gboolean format_error (Parser      *p,
                              GError     **error,
                              const char  *format,
                              ...) G_GNUC_PRINTF (3, 4);

static gboolean
format_error (Parser      *p,
              GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
               _("“%s” is not a valid GGUF file: %s"), p->name, detail);
  return FALSE;
}

/* Something that starts at byte @at does not fit in what is left. */
static gboolean
truncated (Parser  *p,
           gsize    at,
           GError **error)
{
  switch (p->section)
    {
    case SECTION_HEADER:
      return format_error (p, error,
                           _("the header runs past the end of the file "
                             "(the file may be truncated or damaged)"));

    case SECTION_KVS:
      if (p->key != NULL)
        return format_error (p, error,
                             _("the value of the key “%s” at byte %zu runs past the end of the file "
                               "(the file may be truncated or damaged)"),
                             p->key, at);
      return format_error (p, error,
                           _("key %zu at byte %zu runs past the end of the file "
                             "(the file may be truncated or damaged)"),
                           p->index + 1, at);

    case SECTION_TENSORS:
      if (p->tensor_name != NULL)
        return format_error (p, error,
                             _("the information on the tensor “%s” at byte %zu runs past the end of the file "
                               "(the file may be truncated or damaged)"),
                             p->tensor_name, at);
      return format_error (p, error,
                           _("the information on tensor %zu at byte %zu runs past the end of the file "
                             "(the file may be truncated or damaged)"),
                           p->index + 1, at);

    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

static gsize
parser_left (Parser *p)
{
  return p->size - p->pos;
}

static gboolean
read_u32 (Parser   *p,
          guint32  *value,
          GError  **error)
{
  if (parser_left (p) < 4)
    {
      truncated (p, p->pos, error);
      return FALSE;
    }

  *value = load_u32 (p->data + p->pos);
  p->pos += 4;
  return TRUE;
}

static gboolean
read_u64 (Parser   *p,
          guint64  *value,
          GError  **error)
{
  if (parser_left (p) < 8)
    {
      truncated (p, p->pos, error);
      return FALSE;
    }

  *value = load_u64 (p->data + p->pos);
  p->pos += 8;
  return TRUE;
}

/* A gguf_string: a uint64 length, then that many bytes. */
static gboolean
read_string (Parser        *p,
             WhGgufString  *string,
             GError       **error)
{
  gsize at = p->pos;
  guint64 length;

  if (!read_u64 (p, &length, error))
    return FALSE;
  if (length > parser_left (p))
    return truncated (p, at, error);

  string->data = (const char *) p->data + p->pos;
  string->length = length;
  p->pos += length;
  return TRUE;
}

/* A key or a tensor name: valid UTF-8 (so without NUL bytes), copied. */
static gboolean
read_name (Parser   *p,
           char    **name,
           GError  **error)
{
  gsize at = p->pos;
  WhGgufString string;

  if (!read_string (p, &string, error))
    return FALSE;

  if (!g_utf8_validate_len (string.data, string.length, NULL))
    {
      if (p->section == SECTION_KVS)
        return format_error (p, error, _("the key at byte %zu is not valid UTF-8"), at);
      return format_error (p, error, _("the name of tensor %zu at byte %zu is not valid UTF-8"),
                           p->index + 1, at);
    }

  *name = g_strndup (string.data, string.length);
  return TRUE;
}

static gboolean
check_bools (Parser   *p,
             gsize     count,
             GError  **error)
{
  for (gsize i = 0; i < count; i++)
    {
      guint8 byte = p->data[p->pos + i];

      if (byte > 1)
        return format_error (p, error,
                             _("the key “%s” holds %u at byte %zu, which is not a boolean (0 or 1)"),
                             p->key, byte, p->pos + i);
    }

  return TRUE;
}

/* The item type and count of an array, with the count checked against the
 * bytes left: after this, count * (the smallest item) fits in the file. */
static gboolean
read_array_header (Parser      *p,
                   guint        depth,
                   WhGgufType  *item_type,
                   guint64     *count,
                   GError     **error)
{
  gsize at = p->pos;
  guint32 type;
  guint64 n;
  gsize min_size;

  if (!read_u32 (p, &type, error) || !read_u64 (p, &n, error))
    return FALSE;

  if (type > WH_GGUF_TYPE_FLOAT64)
    return format_error (p, error,
                         _("the array “%s” at byte %zu has items of an unknown type (%u)"),
                         p->key, at, type);

  if (type == WH_GGUF_TYPE_ARRAY && depth + 1 >= GGUF_MAX_ARRAY_DEPTH)
    return format_error (p, error,
                         _("the arrays in “%s” at byte %zu are nested more than %d deep"),
                         p->key, at, GGUF_MAX_ARRAY_DEPTH);

  if (type == WH_GGUF_TYPE_STRING)
    min_size = MIN_STRING_SIZE;
  else if (type == WH_GGUF_TYPE_ARRAY)
    min_size = MIN_ARRAY_SIZE;
  else
    min_size = type_fixed_size (type);

  if (n > parser_left (p) / min_size)
    return truncated (p, at, error);

  *item_type = type;
  *count = n;
  return TRUE;
}

/* Checks the items of an array, whose header was just read. */
static gboolean skip_value (Parser      *p,
                            WhGgufType   type,
                            guint        depth,
                            GError     **error);

static gboolean
skip_items (Parser      *p,
            WhGgufType   item_type,
            guint64      count,
            guint        depth,
            GError     **error)
{
  gsize size = type_fixed_size (item_type);

  if (size > 0)
    {
      /* read_array_header () checked that they fit. */
      if (item_type == WH_GGUF_TYPE_BOOL && !check_bools (p, count, error))
        return FALSE;
      p->pos += count * size;
      return TRUE;
    }

  for (guint64 i = 0; i < count; i++)
    if (!skip_value (p, item_type, depth, error))
      return FALSE;

  return TRUE;
}

static gboolean
skip_value (Parser      *p,
            WhGgufType   type,
            guint        depth,
            GError     **error)
{
  gsize size = type_fixed_size (type);

  if (size > 0)
    {
      if (parser_left (p) < size)
        return truncated (p, p->pos, error);
      if (type == WH_GGUF_TYPE_BOOL && !check_bools (p, 1, error))
        return FALSE;
      p->pos += size;
      return TRUE;
    }
  else if (type == WH_GGUF_TYPE_STRING)
    {
      WhGgufString string;

      return read_string (p, &string, error);
    }
  else
    {
      WhGgufType item_type;
      guint64 count;

      g_assert (type == WH_GGUF_TYPE_ARRAY);

      return read_array_header (p, depth, &item_type, &count, error) &&
             skip_items (p, item_type, count, depth + 1, error);
    }
}

static gboolean
parse_kv (WhGguf   *self,
          Parser   *p,
          GError  **error)
{
  Kv *kv;
  gsize at = p->pos;
  gsize index = self->kvs->len;
  guint32 type;

  g_array_set_size (self->kvs, index + 1);
  kv = &g_array_index (self->kvs, Kv, index);

  if (!read_name (p, &kv->key, error))
    return FALSE;

  if (g_hash_table_contains (self->kv_index, kv->key))
    return format_error (p, error, _("the key “%s” appears twice (the second time at byte %zu)"),
                         kv->key, at);
  g_hash_table_insert (self->kv_index, kv->key, GSIZE_TO_POINTER (index));

  p->key = kv->key;

  at = p->pos;
  if (!read_u32 (p, &type, error))
    return FALSE;
  if (type > WH_GGUF_TYPE_FLOAT64)
    return format_error (p, error, _("the key “%s” at byte %zu has an unknown value type (%u)"),
                         kv->key, at, type);

  kv->type = type;
  kv->value = p->pos;

  if (type == WH_GGUF_TYPE_STRING)
    {
      WhGgufString string;

      if (!read_string (p, &string, error))
        return FALSE;
      kv->value = (const guint8 *) string.data - p->data;
      kv->length = string.length;
    }
  else if (type == WH_GGUF_TYPE_ARRAY)
    {
      if (!read_array_header (p, 0, &kv->item_type, &kv->length, error))
        return FALSE;
      kv->value = p->pos;

      if (kv->item_type == WH_GGUF_TYPE_STRING)
        {
          /* No larger than the bytes left: each item takes at least 8. */
          kv->strings = g_new (WhGgufString, kv->length);
          for (gsize i = 0; i < kv->length; i++)
            if (!read_string (p, &kv->strings[i], error))
              return FALSE;
        }
      else if (!skip_items (p, kv->item_type, kv->length, 1, error))
        return FALSE;
    }
  else if (!skip_value (p, type, 0, error))
    return FALSE;

  p->key = NULL;
  return TRUE;
}

static gboolean
parse_tensor_info (WhGguf   *self,
                   Parser   *p,
                   GError  **error)
{
  WhGgufTensorInfo *info;
  gsize index = self->tensors->len;
  gsize at = p->pos;
  guint32 n_dims;

  g_array_set_size (self->tensors, index + 1);
  info = &g_array_index (self->tensors, WhGgufTensorInfo, index);

  if (!read_name (p, &info->name, error))
    return FALSE;

  if (g_hash_table_contains (self->tensor_index, info->name))
    return format_error (p, error, _("the tensor “%s” appears twice (the second time at byte %zu)"),
                         info->name, at);
  g_hash_table_insert (self->tensor_index, info->name, GSIZE_TO_POINTER (index));

  p->tensor_name = info->name;

  if (!read_u32 (p, &n_dims, error))
    return FALSE;
  if (n_dims > WH_GGUF_MAX_DIMS)
    return format_error (p, error, _("the tensor “%s” has %u dimensions, more than the %d allowed"),
                         info->name, n_dims, WH_GGUF_MAX_DIMS);
  info->n_dims = n_dims;

  for (guint i = 0; i < WH_GGUF_MAX_DIMS; i++)
    {
      info->dims[i] = 1;
      if (i < n_dims && !read_u64 (p, &info->dims[i], error))
        return FALSE;
    }

  if (!read_u32 (p, &info->type, error) || !read_u64 (p, &info->offset, error))
    return FALSE;

  p->tensor_name = NULL;
  return TRUE;
}

/* Turns the offset of @info into an absolute one and works out its size,
 * checking both against the file. */
static gboolean
place_tensor (WhGguf            *self,
              Parser            *p,
              WhGgufTensorInfo  *info,
              GError           **error)
{
  guint64 n_elements = 1;
  guint64 end;

  for (guint i = 0; i < WH_GGUF_MAX_DIMS; i++)
    if (info->dims[i] > G_MAXINT64 ||
        !g_uint64_checked_mul (&n_elements, n_elements, info->dims[i]) ||
        n_elements > G_MAXINT64)
      return format_error (p, error, _("the tensor “%s” has too many elements"), info->name);

  if (info->type < G_N_ELEMENTS (ggml_type_traits) &&
      ggml_type_traits[info->type].block_size > 0)
    {
      const GgmlTypeTraits *traits = &ggml_type_traits[info->type];
      guint64 n_bytes;

      if (info->dims[0] % traits->block_size != 0)
        return format_error (p, error,
                             _("the tensor “%s” has rows of %llu elements, "
                               "not a multiple of its type’s block size (%u)"),
                             info->name, (unsigned long long) info->dims[0], traits->block_size);

      /* (ne[0] / block_size) * type_size * ne[1] * ne[2] * ne[3] */
      n_bytes = info->dims[0] / traits->block_size;
      if (!g_uint64_checked_mul (&n_bytes, n_bytes, traits->type_size))
        return format_error (p, error, _("the tensor “%s” has too many elements"), info->name);
      for (guint i = 1; i < WH_GGUF_MAX_DIMS; i++)
        if (!g_uint64_checked_mul (&n_bytes, n_bytes, info->dims[i]))
          return format_error (p, error, _("the tensor “%s” has too many elements"), info->name);

      info->n_bytes = n_bytes;
    }
  else
    info->n_bytes = 0;

  if (info->offset % self->alignment != 0)
    return format_error (p, error,
                         _("the data of the tensor “%s” is at offset %llu, "
                           "which is not a multiple of the alignment (%llu)"),
                         info->name, (unsigned long long) info->offset,
                         (unsigned long long) self->alignment);

  if (!g_uint64_checked_add (&info->offset, self->data_offset, info->offset) ||
      !g_uint64_checked_add (&end, info->offset, info->n_bytes) ||
      end > self->size)
    return format_error (p, error,
                         _("the data of the tensor “%s” runs past the end of the file "
                           "(the file may be truncated or damaged)"),
                         info->name);

  return TRUE;
}

static int
compare_tensor_offsets (gconstpointer a,
                        gconstpointer b)
{
  const WhGgufTensorInfo *ta = *(const WhGgufTensorInfo **) a;
  const WhGgufTensorInfo *tb = *(const WhGgufTensorInfo **) b;

  return (ta->offset > tb->offset) - (ta->offset < tb->offset);
}

static gboolean
check_overlaps (WhGguf   *self,
                Parser   *p,
                GError  **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (self->tensors->len);
  const WhGgufTensorInfo *furthest = NULL;
  guint64 furthest_end = 0;

  for (guint i = 0; i < self->tensors->len; i++)
    {
      WhGgufTensorInfo *info = &g_array_index (self->tensors, WhGgufTensorInfo, i);

      if (info->n_bytes > 0)
        g_ptr_array_add (sorted, info);
    }

  g_ptr_array_sort (sorted, compare_tensor_offsets);

  /* Sorted by start: one overlaps an earlier one exactly when it starts
   * before the furthest end so far. */
  for (guint i = 0; i < sorted->len; i++)
    {
      const WhGgufTensorInfo *info = g_ptr_array_index (sorted, i);

      if (furthest != NULL && info->offset < furthest_end)
        return format_error (p, error, _("the data of the tensors “%s” and “%s” overlap"),
                             furthest->name, info->name);

      if (info->offset + info->n_bytes > furthest_end)
        {
          furthest = info;
          furthest_end = info->offset + info->n_bytes;
        }
    }

  return TRUE;
}

static gboolean
parse_alignment (WhGguf   *self,
                 Parser   *p,
                 GError  **error)
{
  gpointer index;
  const Kv *kv;
  guint32 alignment;

  if (!g_hash_table_lookup_extended (self->kv_index, "general.alignment", NULL, &index))
    {
      self->alignment = GGUF_DEFAULT_ALIGNMENT;
      return TRUE;
    }

  kv = &g_array_index (self->kvs, Kv, GPOINTER_TO_SIZE (index));
  if (kv->type != WH_GGUF_TYPE_UINT32)
    return format_error (p, error,
                         _("the key “general.alignment” is %s, not a 32-bit unsigned integer"),
                         describe_type (kv->type, kv->item_type));

  alignment = load_u32 (self->data + kv->value);
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    return format_error (p, error, _("the alignment (%u) is not a power of two"), alignment);

  self->alignment = alignment;
  return TRUE;
}

static gboolean
parse_header (WhGguf   *self,
              Parser   *p,
              guint64  *n_tensors,
              guint64  *n_kvs,
              GError  **error)
{
  guint32 version;

  if (self->size == 0)
    return format_error (p, error, _("the file is empty"));

  if (memcmp (self->data, "GGUF", MIN (self->size, 4)) != 0)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
                   _("“%s” is not a GGUF file (it does not start with “GGUF”)"),
                   self->display_name);
      return FALSE;
    }

  if (self->size < 4)
    return truncated (p, 0, error);
  p->pos = 4;

  if (!read_u32 (p, &version, error))
    return FALSE;

  if (version == 1)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
                   _("“%s” cannot be read: GGUF version 1 is too old; "
                     "convert it again with a current llama.cpp"),
                   self->display_name);
      return FALSE;
    }

  if (version != 2 && version != 3)
    {
      guint32 swapped = GUINT32_SWAP_LE_BE (version);

      if (swapped == 2 || swapped == 3)
        g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
                     _("“%s” cannot be read: it is a big-endian GGUF file, "
                       "and only little-endian ones are supported"),
                     self->display_name);
      else
        g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
                     _("“%s” cannot be read: GGUF version %u is not supported "
                       "(only versions 2 and 3 are)"),
                     self->display_name, version);
      return FALSE;
    }
  self->version = version;

  if (!read_u64 (p, n_tensors, error) || !read_u64 (p, n_kvs, error))
    return FALSE;

  if (*n_kvs > parser_left (p) / MIN_KV_SIZE)
    return format_error (p, error,
                         _("the header announces %llu keys, "
                           "more than the file can hold (the file may be truncated or damaged)"),
                         (unsigned long long) *n_kvs);

  if (*n_tensors > parser_left (p) / MIN_TENSOR_INFO_SIZE)
    return format_error (p, error,
                         _("the header announces %llu tensors, "
                           "more than the file can hold (the file may be truncated or damaged)"),
                         (unsigned long long) *n_tensors);

  return TRUE;
}

static gboolean
parse (WhGguf   *self,
       GError  **error)
{
  Parser p = {
    .data = self->data,
    .size = self->size,
    .name = self->display_name,
    .section = SECTION_HEADER,
  };
  guint64 n_tensors = 0;
  guint64 n_kvs = 0;

  if (!parse_header (self, &p, &n_tensors, &n_kvs, error))
    return FALSE;

  p.section = SECTION_KVS;
  for (p.index = 0; p.index < n_kvs; p.index++)
    if (!parse_kv (self, &p, error))
      return FALSE;

  if (!parse_alignment (self, &p, error))
    return FALSE;

  p.section = SECTION_TENSORS;
  p.index = 0;
  if (n_tensors > parser_left (&p) / MIN_TENSOR_INFO_SIZE)
    return truncated (&p, p.pos, error);

  for (p.index = 0; p.index < n_tensors; p.index++)
    if (!parse_tensor_info (self, &p, error))
      return FALSE;

  /* pos ≤ size and alignment ≤ 2^31: no overflow. */
  self->data_offset = p.pos + (self->alignment - p.pos % self->alignment) % self->alignment;

  for (guint i = 0; i < self->tensors->len; i++)
    if (!place_tensor (self, &p, &g_array_index (self->tensors, WhGgufTensorInfo, i), error))
      return FALSE;

  return check_overlaps (self, &p, error);
}

/**
 * wh_gguf_open:
 * @path: the file to read
 * @error: return location for a #GError
 *
 * Maps @path and checks all of its header, key/value pairs and tensor
 * infos.  A file that is not GGUF, of another version, truncated or
 * inconsistent gives %WH_GGUF_ERROR_FORMAT (an empty file included); one
 * that cannot be opened, %WH_GGUF_ERROR_OPEN.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL on error
 */
WhGguf *
wh_gguf_open (const char  *path,
              GError     **error)
{
  g_autoptr(WhGguf) self = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (WhGguf, 1);
  self->path = g_strdup (path);
  self->display_name = g_filename_display_name (path);
  self->kvs = g_array_new (FALSE, TRUE, sizeof (Kv));
  g_array_set_clear_func (self->kvs, kv_clear);
  self->kv_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->tensors = g_array_new (FALSE, TRUE, sizeof (WhGgufTensorInfo));
  g_array_set_clear_func (self->tensors, tensor_info_clear);
  self->tensor_index = g_hash_table_new (g_str_hash, g_str_equal);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_OPEN,
                   _("“%s” cannot be opened: %s"),
                   self->display_name, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) == 0 && !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_OPEN,
                   _("“%s” cannot be opened: it is not a regular file"),
                   self->display_name);
      return NULL;
    }

  self->mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  close (fd);
  if (self->mapped == NULL)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_OPEN,
                   _("“%s” cannot be read: %s"),
                   self->display_name, local_error->message);
      return NULL;
    }

  self->data = (const guint8 *) g_mapped_file_get_contents (self->mapped);
  self->size = g_mapped_file_get_length (self->mapped);

  if (!parse (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * wh_gguf_free:
 * @gguf: (nullable): a #WhGguf
 *
 * Unmaps the file.  Strings and tensor infos obtained from @gguf become
 * invalid.
 */
void
wh_gguf_free (WhGguf *gguf)
{
  if (gguf == NULL)
    return;

  g_clear_pointer (&gguf->kv_index, g_hash_table_unref);
  g_clear_pointer (&gguf->tensor_index, g_hash_table_unref);
  g_clear_pointer (&gguf->kvs, g_array_unref);
  g_clear_pointer (&gguf->tensors, g_array_unref);
  g_clear_pointer (&gguf->mapped, g_mapped_file_unref);
  g_free (gguf->display_name);
  g_free (gguf->path);
  g_free (gguf);
}

const char *
wh_gguf_get_path (WhGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, NULL);

  return gguf->path;
}

guint32
wh_gguf_get_version (WhGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);

  return gguf->version;
}

guint64
wh_gguf_get_alignment (WhGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);

  return gguf->alignment;
}

const guint8 *
wh_gguf_get_data (WhGguf *gguf,
                  gsize  *size)
{
  g_return_val_if_fail (gguf != NULL, NULL);

  if (size != NULL)
    *size = gguf->size;
  return gguf->data;
}

/* Key/value pairs */

gsize
wh_gguf_get_n_keys (WhGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);

  return gguf->kvs->len;
}

const char *
wh_gguf_get_key (WhGguf *gguf,
                 gsize   index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->kvs->len, NULL);

  return g_array_index (gguf->kvs, Kv, index).key;
}

WhGgufType
wh_gguf_get_key_type (WhGguf *gguf,
                      gsize   index)
{
  g_return_val_if_fail (gguf != NULL, (WhGgufType) -1);
  g_return_val_if_fail (index < gguf->kvs->len, (WhGgufType) -1);

  return g_array_index (gguf->kvs, Kv, index).type;
}

gssize
wh_gguf_find_key (WhGguf     *gguf,
                  const char *key)
{
  gpointer index;

  g_return_val_if_fail (gguf != NULL, -1);
  g_return_val_if_fail (key != NULL, -1);

  if (!g_hash_table_lookup_extended (gguf->kv_index, key, NULL, &index))
    return -1;
  return GPOINTER_TO_SIZE (index);
}

gboolean
wh_gguf_has_key (WhGguf     *gguf,
                 const char *key)
{
  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return g_hash_table_contains (gguf->kv_index, key);
}

static const Kv *
lookup (WhGguf      *self,
        const char  *key,
        GError     **error)
{
  gpointer index;

  if (!g_hash_table_lookup_extended (self->kv_index, key, NULL, &index))
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_MISSING_KEY,
                   _("“%s” has no key “%s”"), self->display_name, key);
      return NULL;
    }

  return &g_array_index (self->kvs, Kv, GPOINTER_TO_SIZE (index));
}

static gboolean
wrong_type (WhGguf      *self,
            const Kv    *kv,
            const char  *wanted,
            GError     **error)
{
  g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_WRONG_TYPE,
               _("the key “%s” in “%s” is %s, not %s"),
               kv->key, self->display_name,
               describe_type (kv->type, kv->item_type), wanted);
  return FALSE;
}

/* @value is a number written out, signed or not. */
static gboolean
out_of_range (WhGguf      *self,
              const Kv    *kv,
              const char  *value,
              GError     **error)
{
  g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_WRONG_TYPE,
               _("the key “%s” in “%s” holds %s, which is out of range"),
               kv->key, self->display_name, value);
  return FALSE;
}

static gboolean
huge_out_of_range (WhGguf      *self,
                   const Kv    *kv,
                   guint64      huge,
                   GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, huge);

  return out_of_range (self, kv, text, error);
}

gboolean
wh_gguf_get_int (WhGguf      *gguf,
                 const char  *key,
                 gint64      *value,
                 GError     **error)
{
  const Kv *kv;
  gint64 v;
  guint64 huge;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (!type_is_integer (kv->type))
    return wrong_type (gguf, kv, _("an integer"), error);
  if (!load_int (gguf->data + kv->value, kv->type, &v, &huge))
    return huge_out_of_range (gguf, kv, huge, error);

  if (value != NULL)
    *value = v;
  return TRUE;
}

gboolean
wh_gguf_get_uint32 (WhGguf      *gguf,
                    const char  *key,
                    guint32     *value,
                    GError     **error)
{
  const Kv *kv;
  gint64 v;
  guint64 huge;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (!type_is_integer (kv->type))
    return wrong_type (gguf, kv, _("an integer"), error);
  if (!load_int (gguf->data + kv->value, kv->type, &v, &huge))
    return huge_out_of_range (gguf, kv, huge, error);
  if (v < 0 || v > G_MAXUINT32)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);

      return out_of_range (gguf, kv, text, error);
    }

  if (value != NULL)
    *value = (guint32) v;
  return TRUE;
}

gboolean
wh_gguf_get_float (WhGguf      *gguf,
                   const char  *key,
                   double      *value,
                   GError     **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (!type_is_float (kv->type))
    return wrong_type (gguf, kv, _("a floating-point number"), error);

  if (value != NULL)
    *value = load_float (gguf->data + kv->value, kv->type);
  return TRUE;
}

gboolean
wh_gguf_get_bool (WhGguf      *gguf,
                  const char  *key,
                  gboolean    *value,
                  GError     **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (kv->type != WH_GGUF_TYPE_BOOL)
    return wrong_type (gguf, kv, _("a boolean"), error);

  if (value != NULL)
    *value = gguf->data[kv->value] != 0;
  return TRUE;
}

gboolean
wh_gguf_get_string (WhGguf        *gguf,
                    const char    *key,
                    WhGgufString  *value,
                    GError       **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (kv->type != WH_GGUF_TYPE_STRING)
    return wrong_type (gguf, kv, _("a string"), error);

  if (value != NULL)
    {
      value->data = (const char *) gguf->data + kv->value;
      value->length = kv->length;
    }
  return TRUE;
}

char *
wh_gguf_dup_string (WhGguf      *gguf,
                    const char  *key,
                    GError     **error)
{
  WhGgufString string;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!wh_gguf_get_string (gguf, key, &string, error))
    return NULL;

  if (memchr (string.data, '\0', string.length) != NULL)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_WRONG_TYPE,
                   _("the key “%s” in “%s” holds a string with a NUL byte in it"),
                   key, gguf->display_name);
      return NULL;
    }

  return g_strndup (string.data, string.length);
}

/* Arrays */

static const Kv *
lookup_array (WhGguf      *self,
              const char  *key,
              GError     **error)
{
  const Kv *kv;

  kv = lookup (self, key, error);
  if (kv == NULL)
    return NULL;
  if (kv->type != WH_GGUF_TYPE_ARRAY)
    {
      wrong_type (self, kv, _("an array"), error);
      return NULL;
    }

  return kv;
}

gboolean
wh_gguf_get_array_info (WhGguf      *gguf,
                        const char  *key,
                        WhGgufType  *item_type,
                        gsize       *length,
                        GError     **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup_array (gguf, key, error);
  if (kv == NULL)
    return FALSE;

  if (item_type != NULL)
    *item_type = kv->item_type;
  if (length != NULL)
    *length = kv->length;
  return TRUE;
}

gboolean
wh_gguf_get_string_array (WhGguf              *gguf,
                          const char          *key,
                          const WhGgufString **items,
                          gsize               *length,
                          GError             **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;
  if (length != NULL)
    *length = 0;

  kv = lookup_array (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (kv->item_type != WH_GGUF_TYPE_STRING)
    return wrong_type (gguf, kv, describe_type (WH_GGUF_TYPE_ARRAY, WH_GGUF_TYPE_STRING), error);

  *items = kv->strings;
  if (length != NULL)
    *length = kv->length;
  return TRUE;
}

gboolean
wh_gguf_get_int_array (WhGguf      *gguf,
                       const char  *key,
                       gint64     **items,
                       gsize       *length,
                       GError     **error)
{
  g_autofree gint64 *values = NULL;
  const Kv *kv;
  gsize size;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;
  if (length != NULL)
    *length = 0;

  kv = lookup_array (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (!type_is_integer (kv->item_type))
    return wrong_type (gguf, kv, describe_type (WH_GGUF_TYPE_ARRAY, WH_GGUF_TYPE_INT64), error);

  /* The items are in the file: at most 8 times its size. */
  size = type_fixed_size (kv->item_type);
  values = g_new (gint64, kv->length);
  for (gsize i = 0; i < kv->length; i++)
    {
      guint64 huge;

      if (!load_int (gguf->data + kv->value + i * size, kv->item_type, &values[i], &huge))
        return huge_out_of_range (gguf, kv, huge, error);
    }

  *items = g_steal_pointer (&values);
  if (length != NULL)
    *length = kv->length;
  return TRUE;
}

gboolean
wh_gguf_get_float_array (WhGguf      *gguf,
                         const char  *key,
                         float      **items,
                         gsize       *length,
                         GError     **error)
{
  float *values;
  const Kv *kv;
  gsize size;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;
  if (length != NULL)
    *length = 0;

  kv = lookup_array (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (!type_is_float (kv->item_type))
    return wrong_type (gguf, kv, describe_type (WH_GGUF_TYPE_ARRAY, WH_GGUF_TYPE_FLOAT32), error);

  size = type_fixed_size (kv->item_type);
  values = g_new (float, kv->length);
  for (gsize i = 0; i < kv->length; i++)
    values[i] = load_float (gguf->data + kv->value + i * size, kv->item_type);

  *items = values;
  if (length != NULL)
    *length = kv->length;
  return TRUE;
}

/* Tensor infos */

gsize
wh_gguf_get_n_tensors (WhGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);

  return gguf->tensors->len;
}

const WhGgufTensorInfo *
wh_gguf_get_tensor (WhGguf *gguf,
                    gsize   index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->tensors->len, NULL);

  return &g_array_index (gguf->tensors, WhGgufTensorInfo, index);
}

const WhGgufTensorInfo *
wh_gguf_find_tensor (WhGguf     *gguf,
                     const char *name)
{
  gpointer index;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!g_hash_table_lookup_extended (gguf->tensor_index, name, NULL, &index))
    return NULL;
  return &g_array_index (gguf->tensors, WhGgufTensorInfo, GPOINTER_TO_SIZE (index));
}
