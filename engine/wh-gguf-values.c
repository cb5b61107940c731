/* wh-gguf-values.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The key/value pairs: checking them while the file is parsed, then the
 * typed getters, which read the mapping without checks of their own. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-gguf-private.h"

#define GGUF_DEFAULT_ALIGNMENT 32

/* Nested arrays are walked recursively: deeper nesting is refused rather
 * than risking the stack on a crafted file. */
#define GGUF_MAX_ARRAY_DEPTH 16

/* The fewest bytes an array item of a variable-size type takes: a string's
 * length, or an array's item type and count. */
#define MIN_STRING_SIZE 8
#define MIN_ARRAY_SIZE  (4 + 8)

/* For lookup(): an array whose items may be of any type. */
#define ANY_ITEM ((WhGgufType) -1)

/* Value types */

typedef enum
{
  KIND_INTEGER,
  KIND_FLOAT,
  KIND_BOOL,
  KIND_STRING,
  KIND_ARRAY,
} Kind;

/* The getters convert between the types of a kind: any integer type to
 * any other (when the value fits), f32 to f64 and back. */
static const struct
{
  guint8 size; /* of a value; 0 for strings and arrays */
  guint8 kind;
} type_traits[] = {
  [WH_GGUF_TYPE_UINT8]   = { 1, KIND_INTEGER },
  [WH_GGUF_TYPE_INT8]    = { 1, KIND_INTEGER },
  [WH_GGUF_TYPE_UINT16]  = { 2, KIND_INTEGER },
  [WH_GGUF_TYPE_INT16]   = { 2, KIND_INTEGER },
  [WH_GGUF_TYPE_UINT32]  = { 4, KIND_INTEGER },
  [WH_GGUF_TYPE_INT32]   = { 4, KIND_INTEGER },
  [WH_GGUF_TYPE_FLOAT32] = { 4, KIND_FLOAT },
  [WH_GGUF_TYPE_BOOL]    = { 1, KIND_BOOL },
  [WH_GGUF_TYPE_STRING]  = { 0, KIND_STRING },
  [WH_GGUF_TYPE_ARRAY]   = { 0, KIND_ARRAY },
  [WH_GGUF_TYPE_UINT64]  = { 8, KIND_INTEGER },
  [WH_GGUF_TYPE_INT64]   = { 8, KIND_INTEGER },
  [WH_GGUF_TYPE_FLOAT64] = { 8, KIND_FLOAT },
};

/* How a value, and an array, of each kind is called in messages. */
static const char * const kind_names[] = {
  [KIND_INTEGER] = N_("an integer"),
  [KIND_FLOAT]   = N_("a floating-point number"),
  [KIND_BOOL]    = N_("a boolean"),
  [KIND_STRING]  = N_("a string"),
  [KIND_ARRAY]   = N_("an array"),
};

static const char * const array_names[] = {
  [KIND_INTEGER] = N_("an array of integers"),
  [KIND_FLOAT]   = N_("an array of floating-point numbers"),
  [KIND_BOOL]    = N_("an array of booleans"),
  [KIND_STRING]  = N_("an array of strings"),
  [KIND_ARRAY]   = N_("an array of arrays"),
};

static gsize
type_size (WhGgufType type)
{
  g_assert (type < G_N_ELEMENTS (type_traits));
  return type_traits[type].size;
}

static Kind
type_kind (WhGgufType type)
{
  g_assert (type < G_N_ELEMENTS (type_traits));
  return type_traits[type].kind;
}

/* How a value of @type (with items of @item_type) is called in messages. */
static const char *
describe_type (WhGgufType type,
               WhGgufType item_type)
{
  if (type == WH_GGUF_TYPE_ARRAY)
    return _(array_names[type_kind (item_type)]);
  return _(kind_names[type_kind (type)]);
}

static double
load_float (const guint8 *p,
            WhGgufType    type)
{
  if (type == WH_GGUF_TYPE_FLOAT32)
    {
      guint32 bits = _wh_gguf_load_u32 (p);
      float f;

      memcpy (&f, &bits, sizeof f);
      return f;
    }
  else
    {
      guint64 bits = _wh_gguf_load_u64 (p);
      double d;

      g_assert (type == WH_GGUF_TYPE_FLOAT64);
      memcpy (&d, &bits, sizeof d);
      return d;
    }
}

/* Parsing the key/value pairs */

static gboolean
check_bools (WhGgufParser  *p,
             gsize          count,
             GError       **error)
{
  for (gsize i = 0; i < count; i++)
    {
      guint8 byte = p->data[p->pos + i];

      if (byte > 1)
        return _wh_gguf_format_error (p, error,
                                      _("the key “%s” holds %u at byte %zu, which is not a boolean (0 or 1)"),
                                      p->key, byte, p->pos + i);
    }

  return TRUE;
}

/* The item type and count of an array, with the count checked against the
 * bytes left: after this, count * (the smallest item) fits in the file. */
static gboolean
read_array_header (WhGgufParser  *p,
                   guint          depth,
                   WhGgufType    *item_type,
                   guint64       *count,
                   GError       **error)
{
  gsize at = p->pos;
  guint32 type;
  guint64 n;
  gsize min_size;

  if (!_wh_gguf_read_u32 (p, &type, error) || !_wh_gguf_read_u64 (p, &n, error))
    return FALSE;

  if (type > WH_GGUF_TYPE_FLOAT64)
    return _wh_gguf_format_error (p, error,
                                  _("the array “%s” at byte %zu has items of an unknown type (%u)"),
                                  p->key, at, type);

  if (type == WH_GGUF_TYPE_ARRAY && depth + 1 >= GGUF_MAX_ARRAY_DEPTH)
    return _wh_gguf_format_error (p, error,
                                  _("the arrays in “%s” at byte %zu are nested more than %d deep"),
                                  p->key, at, GGUF_MAX_ARRAY_DEPTH);

  if (type == WH_GGUF_TYPE_STRING)
    min_size = MIN_STRING_SIZE;
  else if (type == WH_GGUF_TYPE_ARRAY)
    min_size = MIN_ARRAY_SIZE;
  else
    min_size = type_size (type);

  if (n > _wh_gguf_parser_left (p) / min_size)
    return _wh_gguf_truncated (p, at, error);

  *item_type = type;
  *count = n;
  return TRUE;
}

/* Checks the items of an array, whose header was just read. */
static gboolean skip_value (WhGgufParser  *p,
                            WhGgufType     type,
                            guint          depth,
                            GError       **error);

static gboolean
skip_items (WhGgufParser  *p,
            WhGgufType     item_type,
            guint64        count,
            guint          depth,
            GError       **error)
{
  gsize size = type_size (item_type);

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
skip_value (WhGgufParser  *p,
            WhGgufType     type,
            guint          depth,
            GError       **error)
{
  gsize size = type_size (type);

  if (size > 0)
    {
      if (_wh_gguf_parser_left (p) < size)
        return _wh_gguf_truncated (p, p->pos, error);
      if (type == WH_GGUF_TYPE_BOOL && !check_bools (p, 1, error))
        return FALSE;
      p->pos += size;
      return TRUE;
    }
  else if (type == WH_GGUF_TYPE_STRING)
    {
      WhGgufString string;

      return _wh_gguf_read_string (p, &string, error);
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

gboolean
_wh_gguf_parse_kv (WhGguf        *self,
                   WhGgufParser  *p,
                   GError       **error)
{
  WhGgufKv *kv;
  gsize at = p->pos;
  gsize index = self->kvs->len;
  guint32 type;

  g_array_set_size (self->kvs, index + 1);
  kv = &g_array_index (self->kvs, WhGgufKv, index);

  if (!_wh_gguf_read_name (p, &kv->key, error))
    return FALSE;

  if (g_hash_table_contains (self->kv_index, kv->key))
    return _wh_gguf_format_error (p, error, _("the key “%s” appears twice (the second time at byte %zu)"),
                                  kv->key, at);
  g_hash_table_insert (self->kv_index, kv->key, GSIZE_TO_POINTER (index));

  p->key = kv->key;

  at = p->pos;
  if (!_wh_gguf_read_u32 (p, &type, error))
    return FALSE;
  if (type > WH_GGUF_TYPE_FLOAT64)
    return _wh_gguf_format_error (p, error, _("the key “%s” at byte %zu has an unknown value type (%u)"),
                                  kv->key, at, type);

  kv->type = type;
  kv->value = p->pos;

  if (type == WH_GGUF_TYPE_STRING)
    {
      WhGgufString string;

      if (!_wh_gguf_read_string (p, &string, error))
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
            if (!_wh_gguf_read_string (p, &kv->strings[i], error))
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

gboolean
_wh_gguf_parse_alignment (WhGguf        *self,
                          WhGgufParser  *p,
                          GError       **error)
{
  gpointer index;
  const WhGgufKv *kv;
  guint32 alignment;

  if (!g_hash_table_lookup_extended (self->kv_index, "general.alignment", NULL, &index))
    {
      self->alignment = GGUF_DEFAULT_ALIGNMENT;
      return TRUE;
    }

  kv = &g_array_index (self->kvs, WhGgufKv, GPOINTER_TO_SIZE (index));
  if (kv->type != WH_GGUF_TYPE_UINT32)
    return _wh_gguf_format_error (p, error,
                                  _("the key “general.alignment” is %s, not a 32-bit unsigned integer"),
                                  describe_type (kv->type, kv->item_type));

  alignment = _wh_gguf_load_u32 (self->data + kv->value);
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    return _wh_gguf_format_error (p, error, _("the alignment (%u) is not a power of two"), alignment);

  self->alignment = alignment;
  return TRUE;
}

/* Typed getters */

/* The pair @key, if its value is of the kind of @type and, for an array,
 * its items of the kind of @item_type (or ANY_ITEM). */
static const WhGgufKv *
lookup (WhGguf      *self,
        const char  *key,
        WhGgufType   type,
        WhGgufType   item_type,
        GError     **error)
{
  const char *wanted = NULL;
  const WhGgufKv *kv;
  gpointer index;

  if (!g_hash_table_lookup_extended (self->kv_index, key, NULL, &index))
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_MISSING_KEY,
                   _("“%s” has no key “%s”"), self->display_name, key);
      return NULL;
    }

  kv = &g_array_index (self->kvs, WhGgufKv, GPOINTER_TO_SIZE (index));
  if (type_kind (kv->type) != type_kind (type))
    wanted = _(kind_names[type_kind (type)]);
  else if (item_type != ANY_ITEM && type_kind (kv->item_type) != type_kind (item_type))
    wanted = describe_type (type, item_type);

  if (wanted != NULL)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_WRONG_TYPE,
                   _("the key “%s” in “%s” is %s, not %s"),
                   kv->key, self->display_name,
                   describe_type (kv->type, kv->item_type), wanted);
      return NULL;
    }

  return kv;
}

static gboolean out_of_range (WhGguf          *self,
                              const WhGgufKv  *kv,
                              GError         **error,
                              const char      *format,
                              ...) G_GNUC_PRINTF (4, 5);

/* @format writes out the value, signed or not. */
static gboolean
out_of_range (WhGguf          *self,
              const WhGgufKv  *kv,
              GError         **error,
              const char      *format,
              ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_WRONG_TYPE,
               _("the key “%s” in “%s” holds %s, which is out of range"),
               kv->key, self->display_name, value);
  return FALSE;
}

/* Reads the integer at byte @at of the mapping (the value of @kv, or one of
 * its items) into @value, which must lie in [@min, @max]. */
static gboolean
read_int (WhGguf          *self,
          const WhGgufKv  *kv,
          gsize            at,
          gint64           min,
          gint64           max,
          gint64          *value,
          GError         **error)
{
  WhGgufType type = kv->type == WH_GGUF_TYPE_ARRAY ? kv->item_type : kv->type;
  const guint8 *p = self->data + at;
  gint64 v;

  switch (type)
    {
    case WH_GGUF_TYPE_UINT8:
      v = p[0];
      break;

    case WH_GGUF_TYPE_INT8:
      v = (gint8) p[0];
      break;

    case WH_GGUF_TYPE_UINT16:
      v = _wh_gguf_load_u16 (p);
      break;

    case WH_GGUF_TYPE_INT16:
      v = (gint16) _wh_gguf_load_u16 (p);
      break;

    case WH_GGUF_TYPE_UINT32:
      v = _wh_gguf_load_u32 (p);
      break;

    case WH_GGUF_TYPE_INT32:
      v = (gint32) _wh_gguf_load_u32 (p);
      break;

    case WH_GGUF_TYPE_INT64:
      v = (gint64) _wh_gguf_load_u64 (p);
      break;

    case WH_GGUF_TYPE_UINT64:
      if (_wh_gguf_load_u64 (p) > G_MAXINT64)
        return out_of_range (self, kv, error, "%" G_GUINT64_FORMAT, _wh_gguf_load_u64 (p));
      v = (gint64) _wh_gguf_load_u64 (p);
      break;

    case WH_GGUF_TYPE_FLOAT32:
    case WH_GGUF_TYPE_BOOL:
    case WH_GGUF_TYPE_STRING:
    case WH_GGUF_TYPE_ARRAY:
    case WH_GGUF_TYPE_FLOAT64:
    default:
      g_assert_not_reached ();
      return FALSE;
    }

  if (v < min || v > max)
    return out_of_range (self, kv, error, "%" G_GINT64_FORMAT, v);

  if (value != NULL)
    *value = v;
  return TRUE;
}

gboolean
wh_gguf_get_int (WhGguf      *gguf,
                 const char  *key,
                 gint64      *value,
                 GError     **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_INT64, ANY_ITEM, error);
  return kv != NULL && read_int (gguf, kv, kv->value, G_MININT64, G_MAXINT64, value, error);
}

gboolean
wh_gguf_get_uint32 (WhGguf      *gguf,
                    const char  *key,
                    guint32     *value,
                    GError     **error)
{
  const WhGgufKv *kv;
  gint64 v;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_UINT32, ANY_ITEM, error);
  if (kv == NULL || !read_int (gguf, kv, kv->value, 0, G_MAXUINT32, &v, error))
    return FALSE;

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
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_FLOAT64, ANY_ITEM, error);
  if (kv != NULL && value != NULL)
    *value = load_float (gguf->data + kv->value, kv->type);
  return kv != NULL;
}

gboolean
wh_gguf_get_bool (WhGguf      *gguf,
                  const char  *key,
                  gboolean    *value,
                  GError     **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_BOOL, ANY_ITEM, error);
  if (kv != NULL && value != NULL)
    *value = gguf->data[kv->value] != 0;
  return kv != NULL;
}

gboolean
wh_gguf_get_string (WhGguf        *gguf,
                    const char    *key,
                    WhGgufString  *value,
                    GError       **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_STRING, ANY_ITEM, error);
  if (kv != NULL && value != NULL)
    *value = (WhGgufString) { (const char *) gguf->data + kv->value, kv->length };
  return kv != NULL;
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

gboolean
wh_gguf_get_array_info (WhGguf      *gguf,
                        const char  *key,
                        WhGgufType  *item_type,
                        gsize       *length,
                        GError     **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, WH_GGUF_TYPE_ARRAY, ANY_ITEM, error);
  if (kv == NULL)
    return FALSE;

  if (item_type != NULL)
    *item_type = kv->item_type;
  if (length != NULL)
    *length = kv->length;
  return TRUE;
}

/* For the getters of items: sets *@length to the number of items, 0 when
 * the array is missing or of other items. */
static const WhGgufKv *
lookup_items (WhGguf      *self,
              const char  *key,
              WhGgufType   item_type,
              gsize       *length,
              GError     **error)
{
  const WhGgufKv *kv = lookup (self, key, WH_GGUF_TYPE_ARRAY, item_type, error);

  if (length != NULL)
    *length = kv != NULL ? kv->length : 0;
  return kv;
}

/* Where item @i of @kv, an array of fixed-size items, is in the mapping. */
static gsize
item_offset (const WhGgufKv *kv,
             gsize           i)
{
  return kv->value + i * type_size (kv->item_type);
}

gboolean
wh_gguf_get_string_array (WhGguf              *gguf,
                          const char          *key,
                          const WhGgufString **items,
                          gsize               *length,
                          GError             **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup_items (gguf, key, WH_GGUF_TYPE_STRING, length, error);
  *items = kv != NULL ? kv->strings : NULL;
  return kv != NULL;
}

gboolean
wh_gguf_get_int_array (WhGguf      *gguf,
                       const char  *key,
                       gint64     **items,
                       gsize       *length,
                       GError     **error)
{
  g_autofree gint64 *values = NULL;
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;
  kv = lookup_items (gguf, key, WH_GGUF_TYPE_INT64, length, error);
  if (kv == NULL)
    return FALSE;

  /* The items are in the file: at most 8 times its size. */
  values = g_new (gint64, kv->length);
  for (gsize i = 0; i < kv->length; i++)
    if (!read_int (gguf, kv, item_offset (kv, i), G_MININT64, G_MAXINT64, &values[i], error))
      {
        if (length != NULL)
          *length = 0;
        return FALSE;
      }

  *items = g_steal_pointer (&values);
  return TRUE;
}

gboolean
wh_gguf_get_float_array (WhGguf      *gguf,
                         const char  *key,
                         float      **items,
                         gsize       *length,
                         GError     **error)
{
  const WhGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;
  kv = lookup_items (gguf, key, WH_GGUF_TYPE_FLOAT32, length, error);
  if (kv == NULL)
    return FALSE;

  *items = g_new (float, kv->length);
  for (gsize i = 0; i < kv->length; i++)
    (*items)[i] = load_float (gguf->data + item_offset (kv, i), kv->item_type);
  return TRUE;
}
