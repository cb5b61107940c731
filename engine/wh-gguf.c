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
 * checks of their own.  This file reads the header and the tensor infos;
 * wh-gguf-values.c the key/value pairs, with the same parser.  Values stay in the mapping, where they may be
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

#include "wh-gguf-private.h"

/* The fewest bytes a key/value pair takes: the length of an empty key, the
 * value type and a one-byte value. */
#define MIN_KV_SIZE (8 + 4 + 1)

/* The fewest bytes a tensor info takes: the length of an empty name,
 * n_dims (0), the type and the offset. */
#define MIN_TENSOR_INFO_SIZE (8 + 4 + 4 + 8)

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
  WhGgufKv *kv = data;

  g_clear_pointer (&kv->key, g_free);
  g_clear_pointer (&kv->strings, g_free);
}

static void
tensor_info_clear (gpointer data)
{
  WhGgufTensorInfo *info = data;

  g_clear_pointer (&info->name, g_free);
}

/* Parsing */

gboolean
_wh_gguf_format_error (WhGgufParser  *p,
                       GError       **error,
                       const char    *format,
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

gboolean
_wh_gguf_truncated (WhGgufParser  *p,
                    gsize          at,
                    GError       **error)
{
  switch (p->section)
    {
    case WH_GGUF_SECTION_HEADER:
      return _wh_gguf_format_error (p, error,
                                    _("the header runs past the end of the file "
                                      "(the file may be truncated or damaged)"));

    case WH_GGUF_SECTION_KVS:
      if (p->key != NULL)
        return _wh_gguf_format_error (p, error,
                                      _("the value of the key “%s” at byte %zu runs past the end of the file "
                                        "(the file may be truncated or damaged)"),
                                      p->key, at);
      return _wh_gguf_format_error (p, error,
                                    _("key %zu at byte %zu runs past the end of the file "
                                      "(the file may be truncated or damaged)"),
                                    p->index + 1, at);

    case WH_GGUF_SECTION_TENSORS:
      if (p->tensor_name != NULL)
        return _wh_gguf_format_error (p, error,
                                      _("the information on the tensor “%s” at byte %zu runs past the end of the file "
                                        "(the file may be truncated or damaged)"),
                                      p->tensor_name, at);
      return _wh_gguf_format_error (p, error,
                                    _("the information on tensor %zu at byte %zu runs past the end of the file "
                                      "(the file may be truncated or damaged)"),
                                    p->index + 1, at);

    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

gboolean
_wh_gguf_read_u32 (WhGgufParser  *p,
                   guint32       *value,
                   GError       **error)
{
  if (_wh_gguf_parser_left (p) < 4)
    return _wh_gguf_truncated (p, p->pos, error);

  *value = _wh_gguf_load_u32 (p->data + p->pos);
  p->pos += 4;
  return TRUE;
}

gboolean
_wh_gguf_read_u64 (WhGgufParser  *p,
                   guint64       *value,
                   GError       **error)
{
  if (_wh_gguf_parser_left (p) < 8)
    return _wh_gguf_truncated (p, p->pos, error);

  *value = _wh_gguf_load_u64 (p->data + p->pos);
  p->pos += 8;
  return TRUE;
}

gboolean
_wh_gguf_read_string (WhGgufParser  *p,
                      WhGgufString  *string,
                      GError       **error)
{
  gsize at = p->pos;
  guint64 length;

  if (!_wh_gguf_read_u64 (p, &length, error))
    return FALSE;
  if (length > _wh_gguf_parser_left (p))
    return _wh_gguf_truncated (p, at, error);

  string->data = (const char *) p->data + p->pos;
  string->length = length;
  p->pos += length;
  return TRUE;
}

gboolean
_wh_gguf_read_name (WhGgufParser  *p,
                    char         **name,
                    GError       **error)
{
  gsize at = p->pos;
  WhGgufString string;

  if (!_wh_gguf_read_string (p, &string, error))
    return FALSE;

  if (!g_utf8_validate_len (string.data, string.length, NULL))
    {
      if (p->section == WH_GGUF_SECTION_KVS)
        return _wh_gguf_format_error (p, error, _("the key at byte %zu is not valid UTF-8"), at);
      return _wh_gguf_format_error (p, error, _("the name of tensor %zu at byte %zu is not valid UTF-8"),
                                    p->index + 1, at);
    }

  *name = g_strndup (string.data, string.length);
  return TRUE;
}

static gboolean
parse_tensor_info (WhGguf        *self,
                   WhGgufParser  *p,
                   GError       **error)
{
  WhGgufTensorInfo *info;
  gsize index = self->tensors->len;
  gsize at = p->pos;
  guint32 n_dims;

  g_array_set_size (self->tensors, index + 1);
  info = &g_array_index (self->tensors, WhGgufTensorInfo, index);

  if (!_wh_gguf_read_name (p, &info->name, error))
    return FALSE;

  if (g_hash_table_contains (self->tensor_index, info->name))
    return _wh_gguf_format_error (p, error, _("the tensor “%s” appears twice (the second time at byte %zu)"),
                                  info->name, at);
  g_hash_table_insert (self->tensor_index, info->name, GSIZE_TO_POINTER (index));

  p->tensor_name = info->name;

  if (!_wh_gguf_read_u32 (p, &n_dims, error))
    return FALSE;
  if (n_dims > WH_GGUF_MAX_DIMS)
    return _wh_gguf_format_error (p, error, _("the tensor “%s” has %u dimensions, more than the %d allowed"),
                                  info->name, n_dims, WH_GGUF_MAX_DIMS);
  info->n_dims = n_dims;

  for (guint i = 0; i < WH_GGUF_MAX_DIMS; i++)
    {
      info->dims[i] = 1;
      if (i < n_dims && !_wh_gguf_read_u64 (p, &info->dims[i], error))
        return FALSE;
    }

  if (!_wh_gguf_read_u32 (p, &info->type, error) || !_wh_gguf_read_u64 (p, &info->offset, error))
    return FALSE;

  p->tensor_name = NULL;
  return TRUE;
}

/* Turns the offset of @info into an absolute one and works out its size,
 * checking both against the file. */
static gboolean
place_tensor (WhGguf            *self,
              WhGgufParser      *p,
              WhGgufTensorInfo  *info,
              GError           **error)
{
  guint64 n_elements = 1;
  guint64 end;

  for (guint i = 0; i < WH_GGUF_MAX_DIMS; i++)
    if (info->dims[i] > G_MAXINT64 ||
        !g_uint64_checked_mul (&n_elements, n_elements, info->dims[i]) ||
        n_elements > G_MAXINT64)
      return _wh_gguf_format_error (p, error, _("the tensor “%s” has too many elements"), info->name);

  if (info->type < G_N_ELEMENTS (ggml_type_traits) &&
      ggml_type_traits[info->type].block_size > 0)
    {
      const GgmlTypeTraits *traits = &ggml_type_traits[info->type];
      guint64 n_bytes;

      if (info->dims[0] % traits->block_size != 0)
        return _wh_gguf_format_error (p, error,
                                      _("the tensor “%s” has rows of %llu elements, "
                                        "not a multiple of its type’s block size (%u)"),
                                      info->name, (unsigned long long) info->dims[0], traits->block_size);

      /* (ne[0] / block_size) * type_size * ne[1] * ne[2] * ne[3] */
      n_bytes = info->dims[0] / traits->block_size;
      if (!g_uint64_checked_mul (&n_bytes, n_bytes, traits->type_size))
        return _wh_gguf_format_error (p, error, _("the tensor “%s” has too many elements"), info->name);
      for (guint i = 1; i < WH_GGUF_MAX_DIMS; i++)
        if (!g_uint64_checked_mul (&n_bytes, n_bytes, info->dims[i]))
          return _wh_gguf_format_error (p, error, _("the tensor “%s” has too many elements"), info->name);

      info->n_bytes = n_bytes;
    }
  else
    info->n_bytes = 0;

  if (info->offset % self->alignment != 0)
    return _wh_gguf_format_error (p, error,
                                  _("the data of the tensor “%s” is at offset %llu, "
                                    "which is not a multiple of the alignment (%llu)"),
                                  info->name, (unsigned long long) info->offset,
                                  (unsigned long long) self->alignment);

  if (!g_uint64_checked_add (&info->offset, self->data_offset, info->offset) ||
      !g_uint64_checked_add (&end, info->offset, info->n_bytes) ||
      end > self->size)
    return _wh_gguf_format_error (p, error,
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
check_overlaps (WhGguf        *self,
                WhGgufParser  *p,
                GError       **error)
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
        return _wh_gguf_format_error (p, error, _("the data of the tensors “%s” and “%s” overlap"),
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
parse_header (WhGguf        *self,
              WhGgufParser  *p,
              guint64       *n_tensors,
              guint64       *n_kvs,
              GError       **error)
{
  guint32 version;

  if (self->size == 0)
    return _wh_gguf_format_error (p, error, _("the file is empty"));

  if (memcmp (self->data, "GGUF", MIN (self->size, 4)) != 0)
    {
      g_set_error (error, WH_GGUF_ERROR, WH_GGUF_ERROR_FORMAT,
                   _("“%s” is not a GGUF file (it does not start with “GGUF”)"),
                   self->display_name);
      return FALSE;
    }

  if (self->size < 4)
    return _wh_gguf_truncated (p, 0, error);
  p->pos = 4;

  if (!_wh_gguf_read_u32 (p, &version, error))
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

  if (!_wh_gguf_read_u64 (p, n_tensors, error) || !_wh_gguf_read_u64 (p, n_kvs, error))
    return FALSE;

  if (*n_kvs > _wh_gguf_parser_left (p) / MIN_KV_SIZE)
    return _wh_gguf_format_error (p, error,
                                  _("the header announces %llu keys, "
                                    "more than the file can hold (the file may be truncated or damaged)"),
                                  (unsigned long long) *n_kvs);

  if (*n_tensors > _wh_gguf_parser_left (p) / MIN_TENSOR_INFO_SIZE)
    return _wh_gguf_format_error (p, error,
                                  _("the header announces %llu tensors, "
                                    "more than the file can hold (the file may be truncated or damaged)"),
                                  (unsigned long long) *n_tensors);

  return TRUE;
}

static gboolean
parse (WhGguf   *self,
       GError  **error)
{
  WhGgufParser p = {
    .data = self->data,
    .size = self->size,
    .name = self->display_name,
    .section = WH_GGUF_SECTION_HEADER,
  };
  guint64 n_tensors = 0;
  guint64 n_kvs = 0;

  if (!parse_header (self, &p, &n_tensors, &n_kvs, error))
    return FALSE;

  p.section = WH_GGUF_SECTION_KVS;
  for (p.index = 0; p.index < n_kvs; p.index++)
    if (!_wh_gguf_parse_kv (self, &p, error))
      return FALSE;

  if (!_wh_gguf_parse_alignment (self, &p, error))
    return FALSE;

  p.section = WH_GGUF_SECTION_TENSORS;
  p.index = 0;
  if (n_tensors > _wh_gguf_parser_left (&p) / MIN_TENSOR_INFO_SIZE)
    return _wh_gguf_truncated (&p, p.pos, error);

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
  self->kvs = g_array_new (FALSE, TRUE, sizeof (WhGgufKv));
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

  return g_array_index (gguf->kvs, WhGgufKv, index).key;
}

WhGgufType
wh_gguf_get_key_type (WhGguf *gguf,
                      gsize   index)
{
  g_return_val_if_fail (gguf != NULL, (WhGgufType) -1);
  g_return_val_if_fail (index < gguf->kvs->len, (WhGgufType) -1);

  return g_array_index (gguf->kvs, WhGgufKv, index).type;
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
