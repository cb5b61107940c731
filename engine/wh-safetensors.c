/* wh-safetensors.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A safetensors file is an 8-byte little-endian header size N, N bytes of
 * JSON ({"__metadata__": {string: string}, name: {"dtype", "shape",
 * "data_offsets": [begin, end]}, …}) and the data, which the tensors must
 * cover exactly: sorted by offsets, each begins where the previous one
 * ends, the first at 0 and the last ending at the end of the file.  These
 * are the checks of the Rust `safetensors` crate (SafeTensors::read_metadata
 * and Metadata::validate), which transformers and candle rely on; a file
 * passes here exactly when it passes there, except that tensors of more
 * than WH_SAFETENSORS_MAX_DIMS dimensions are refused and that json-glib
 * 1.6 accepts some JSON that serde_json refuses (comments, single quotes,
 * hex numbers, integers that wrap).  That leniency cannot take a read
 * outside the file: every offset is checked against the mapping after
 * parsing.
 *
 * The whole of each file is checked in wh_safetensors_open(); the getters
 * then trust what was recorded. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wh-safetensors.h"

/* The reference reader refuses larger headers (MAX_HEADER_SIZE). */
#define MAX_HEADER_SIZE G_GUINT64_CONSTANT (100000000)

#define SINGLE_FILE_NAME "model.safetensors"
#define INDEX_FILE_NAME  "model.safetensors.index.json"

typedef struct
{
  const char *name;
  guint       size;
  int         dtype;   /* a WhClDType or -1 */
} DTypeInfo;

/* The dtypes of the reference reader, with their element sizes. */
static const DTypeInfo dtype_infos[] = {
  { "BOOL",    1, -1 },
  { "U8",      1, -1 },
  { "I8",      1, -1 },
  { "F8_E5M2", 1, -1 },
  { "F8_E4M3", 1, -1 },
  { "I16",     2, -1 },
  { "U16",     2, -1 },
  { "F16",     2, WH_CL_DTYPE_F16 },
  { "BF16",    2, WH_CL_DTYPE_BF16 },
  { "I32",     4, -1 },
  { "U32",     4, -1 },
  { "F32",     4, WH_CL_DTYPE_F32 },
  { "F64",     8, -1 },
  { "I64",     8, -1 },
  { "U64",     8, -1 },
};

/* One mapped file. */
typedef struct
{
  char         *path;
  char         *display_name;  /* base name, for messages */
  GMappedFile  *mapped;
  const guint8 *data;
  gsize         size;
  GHashTable   *metadata;      /* "__metadata__": key → value, both owned */
} Shard;

struct _WhSafetensors
{
  char         *display_name;  /* what was opened: the file or the index */
  GPtrArray    *shards;        /* of Shard *, in the order of the index */
  GArray       *tensors;       /* of WhSafetensorsTensor: file by file, by offset */
  GHashTable   *index;         /* name (in strings) → position in tensors */
  GStringChunk *strings;       /* tensor names */
};

G_DEFINE_QUARK (wh-safetensors-error-quark, wh_safetensors_error)

static void
shard_free (gpointer data)
{
  Shard *shard = data;

  g_clear_pointer (&shard->metadata, g_hash_table_unref);
  g_clear_pointer (&shard->mapped, g_mapped_file_unref);
  g_free (shard->display_name);
  g_free (shard->path);
  g_free (shard);
}

/* Errors */

static gboolean damaged (GError     **error,
                         const char  *file,
                         const char  *format,
                         ...) G_GNUC_PRINTF (3, 4);

/* A FORMAT error: @file is damaged, for the reason in @format. */
static gboolean
damaged (GError     **error,
         const char  *file,
         const char  *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_FORMAT,
               _("“%s” is damaged: %s; download the model again"), file, detail);
  return FALSE;
}

/* "64×172", or "scalar" for no dimensions. */
static char *
format_shape (guint          n_dims,
              const guint64 *shape)
{
  GString *s;

  if (n_dims == 0)
    return g_strdup (C_("tensor shape", "scalar"));

  s = g_string_new (NULL);
  for (guint i = 0; i < n_dims; i++)
    g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, i > 0 ? "×" : "", shape[i]);
  return g_string_free (s, FALSE);
}

/* Parsing one file */

/* A tensor as the header describes it, before the offsets are checked. */
typedef struct
{
  const char      *name;     /* in the header's JSON */
  const DTypeInfo *dtype;
  guint            n_dims;
  guint64          shape[WH_SAFETENSORS_MAX_DIMS];
  guint64          n_elements;
  guint64          n_bytes;  /* n_elements × dtype size */
  guint64          begin;
  guint64          end;
} Entry;

static const DTypeInfo *
lookup_dtype (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (dtype_infos); i++)
    if (g_str_equal (dtype_infos[i].name, name))
      return &dtype_infos[i];
  return NULL;
}

/* A non-negative JSON integer. */
static gboolean
node_get_size (JsonNode *node,
               guint64  *value)
{
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;

  *value = v;
  return TRUE;
}

static gboolean
parse_metadata (Shard       *shard,
                JsonNode    *node,
                GError     **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  /* Option<HashMap<String, String>> in the reference reader. */
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return damaged (error, shard->display_name, _("its “__metadata__” is not a JSON object"));

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return damaged (error, shard->display_name,
                        _("the metadata entry “%s” is not a string"), key);
      g_hash_table_replace (shard->metadata, g_strdup (key), g_strdup (json_node_get_string (value)));
    }

  return TRUE;
}

static gboolean
parse_entry (Shard       *shard,
             const char  *name,
             JsonNode    *node,
             Entry       *entry,
             GError     **error)
{
  const char *file = shard->display_name;
  JsonObject *object;
  JsonNode *member;
  JsonArray *array;
  guint length;

  entry->name = name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return damaged (error, file, _("the description of the tensor “%s” is not a JSON object"), name);
  object = json_node_get_object (node);

  member = json_object_get_member (object, "dtype");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    return damaged (error, file, _("the tensor “%s” has no “dtype” string"), name);

  entry->dtype = lookup_dtype (json_node_get_string (member));
  if (entry->dtype == NULL)
    return damaged (error, file, _("the tensor “%s” has the unknown dtype “%s”"),
                    name, json_node_get_string (member));

  member = json_object_get_member (object, "shape");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return damaged (error, file, _("the tensor “%s” has no “shape” list"), name);
  array = json_node_get_array (member);
  length = json_array_get_length (array);

  if (length > WH_SAFETENSORS_MAX_DIMS)
    return damaged (error, file, _("the tensor “%s” has %u dimensions, more than the %d Whetstone reads"),
                    name, length, WH_SAFETENSORS_MAX_DIMS);
  entry->n_dims = length;

  entry->n_elements = 1;
  for (guint i = 0; i < length; i++)
    {
      if (!node_get_size (json_array_get_element (array, i), &entry->shape[i]))
        return damaged (error, file, _("the shape of the tensor “%s” holds something other than sizes"), name);

      if (!g_uint64_checked_mul (&entry->n_elements, entry->n_elements, entry->shape[i]))
        return damaged (error, file, _("the tensor “%s” has too many elements to be stored"), name);
    }

  if (!g_uint64_checked_mul (&entry->n_bytes, entry->n_elements, entry->dtype->size))
    return damaged (error, file, _("the tensor “%s” has too many elements to be stored"), name);

  member = json_object_get_member (object, "data_offsets");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (json_node_get_array (member)) != 2 ||
      !node_get_size (json_array_get_element (json_node_get_array (member), 0), &entry->begin) ||
      !node_get_size (json_array_get_element (json_node_get_array (member), 1), &entry->end))
    return damaged (error, file, _("the tensor “%s” has no “data_offsets” pair of byte offsets"), name);

  return TRUE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;

  if (ea->begin != eb->begin)
    return ea->begin < eb->begin ? -1 : 1;
  return (ea->end > eb->end) - (ea->end < eb->end);
}

/* Sorted by offsets, the tensors must tile the data: each begins where the
 * one before ends, and its bytes are what its shape and dtype need. */
static gboolean
check_layout (Shard        *shard,
              const Entry  *entries,
              guint         n_entries,
              guint64       data_size,
              GError      **error)
{
  const char *file = shard->display_name;
  guint64 start = 0;

  for (guint i = 0; i < n_entries; i++)
    {
      const Entry *e = &entries[i];
      unsigned long long begin = e->begin, end = e->end;

      if (e->begin > start)
        return damaged (error, file,
                        _("bytes %llu–%llu of the data belong to no tensor (the tensor “%s” starts at byte %llu)"),
                        (unsigned long long) start, begin, e->name, begin);

      if (e->begin < start)
        {
          const Entry *prev = &entries[i - 1];

          return damaged (error, file, _("the tensors “%s” (bytes %llu–%llu) and “%s” (bytes %llu–%llu) overlap"),
                          prev->name, (unsigned long long) prev->begin, (unsigned long long) prev->end,
                          e->name, begin, end);
        }

      if (e->end < e->begin)
        return damaged (error, file, _("the tensor “%s” claims bytes %llu–%llu, which end before they begin"),
                        e->name, begin, end);

      if (e->end - e->begin != e->n_bytes)
        {
          g_autofree char *shape = format_shape (e->n_dims, e->shape);

          return damaged (error, file, _("the tensor “%s” claims bytes %llu–%llu but has shape %s in %s (%llu bytes)"),
                          e->name, begin, end, shape, e->dtype->name, (unsigned long long) e->n_bytes);
        }

      start = e->end;
    }

  if (start > data_size)
    return damaged (error, file,
                    _("the tensor “%s” claims bytes %llu–%llu but the file holds only %llu bytes of data "
                      "(the file may be truncated)"),
                    entries[n_entries - 1].name, (unsigned long long) entries[n_entries - 1].begin,
                    (unsigned long long) start, (unsigned long long) data_size);

  if (start < data_size)
    {
      if (n_entries == 0)
        return damaged (error, file, _("it holds %llu bytes of data but no tensors"),
                        (unsigned long long) data_size);
      return damaged (error, file,
                      _("the last %llu bytes of the data belong to no tensor "
                        "(the last tensor, “%s”, ends at byte %llu)"),
                      (unsigned long long) (data_size - start), entries[n_entries - 1].name,
                      (unsigned long long) start);
    }

  return TRUE;
}

/* Checks the file in @shard and adds its tensors to @self. */
static gboolean
parse_shard (WhSafetensors  *self,
             Shard          *shard,
             GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GArray) entries = NULL;
  const char *file = shard->display_name;
  const char *header;
  guint64 header_size;
  guint64 data_size;
  JsonObjectIter iter;
  JsonNode *root;
  JsonNode *value;
  const char *name;

  if (shard->size < 8)
    return damaged (error, file,
                    _("it is %zu bytes long, too short to hold the size of a safetensors header "
                      "(the file may be truncated)"),
                    shard->size);

  memcpy (&header_size, shard->data, sizeof header_size);
  header_size = GUINT64_FROM_LE (header_size);

  if (header_size > MAX_HEADER_SIZE)
    return damaged (error, file,
                    _("it claims a header of %llu bytes, more than the %llu a safetensors file may have "
                      "(it may not be a safetensors file)"),
                    (unsigned long long) header_size, (unsigned long long) MAX_HEADER_SIZE);

  if (header_size > shard->size - 8)
    return damaged (error, file,
                    _("it claims a header of %llu bytes but only %zu follow (the file may be truncated)"),
                    (unsigned long long) header_size, shard->size - 8);

  header = (const char *) shard->data + 8;
  data_size = shard->size - 8 - header_size;

  /* This also refuses NUL bytes, which JSON allows nowhere. */
  if (!g_utf8_validate_len (header, header_size, NULL))
    return damaged (error, file, _("its header is not UTF-8 text"));

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, header, header_size, &json_error))
    return damaged (error, file, _("its header is not valid JSON (%s)"), json_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return damaged (error, file, _("its header is not a JSON object"));

  entries = g_array_new (FALSE, TRUE, sizeof (Entry));

  json_object_iter_init_ordered (&iter, json_node_get_object (root));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    {
      if (g_str_equal (name, "__metadata__"))
        {
          if (!parse_metadata (shard, value, error))
            return FALSE;
          continue;
        }

      g_array_set_size (entries, entries->len + 1);
      if (!parse_entry (shard, name, value, &g_array_index (entries, Entry, entries->len - 1), error))
        return FALSE;
    }

  /* The reference reader sorts by (begin, end), whatever the header order. */
  g_array_sort (entries, compare_entries);

  if (!check_layout (shard, (const Entry *) entries->data, entries->len, data_size, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);
      WhSafetensorsTensor t = { 0 };
      gpointer other;

      if (g_hash_table_lookup_extended (self->index, e->name, NULL, &other))
        {
          const WhSafetensorsTensor *o = &g_array_index (self->tensors, WhSafetensorsTensor,
                                                         GPOINTER_TO_UINT (other));

          return damaged (error, file, _("the tensor “%s” is also in “%s”"), e->name, o->file);
        }

      t.name = g_string_chunk_insert (self->strings, e->name);
      t.dtype_name = e->dtype->name;
      t.dtype = e->dtype->dtype;
      t.n_dims = e->n_dims;
      memcpy (t.shape, e->shape, sizeof t.shape);
      t.n_elements = e->n_elements;
      t.data = shard->data + 8 + header_size + e->begin;
      t.n_bytes = e->n_bytes;
      t.file = shard->display_name;

      g_hash_table_insert (self->index, (gpointer) t.name, GUINT_TO_POINTER (self->tensors->len));
      g_array_append_val (self->tensors, t);
    }

  return TRUE;
}

/* Maps @path, which the index may name for @tensor (NULL otherwise). */
static Shard *
shard_open (const char  *path,
            const char  *index_name,
            const char  *tensor,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Shard *shard;
  struct stat st;
  const char *reason;
  int fd;

  shard = g_new0 (Shard, 1);
  shard->path = g_strdup (path);
  shard->display_name = g_filename_display_basename (path);
  shard->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    reason = g_strerror (errno);
  else if (fstat (fd, &st) == 0 && !S_ISREG (st.st_mode))
    {
      close (fd);
      reason = _("it is not a regular file");
    }
  else
    {
      shard->mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
      close (fd);
      reason = shard->mapped == NULL ? local_error->message : NULL;
    }

  if (reason != NULL)
    {
      if (index_name != NULL)
        g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_OPEN,
                     _("“%s”, which “%s” gives as the file holding the tensor “%s”, cannot be opened: %s; "
                       "download the model again"),
                     shard->display_name, index_name, tensor, reason);
      else
        g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_OPEN,
                     _("“%s” cannot be opened: %s"), shard->display_name, reason);
      shard_free (shard);
      return NULL;
    }

  shard->data = (const guint8 *) g_mapped_file_get_contents (shard->mapped);
  shard->size = g_mapped_file_get_length (shard->mapped);
  return shard;
}

static gboolean
open_single (WhSafetensors  *self,
             const char     *path,
             GError        **error)
{
  Shard *shard = shard_open (path, NULL, NULL, error);

  if (shard == NULL)
    return FALSE;

  g_ptr_array_add (self->shards, shard);
  return parse_shard (self, shard, error);
}

/* A name the index may give for a shard: a file in the index's folder. */
static gboolean
is_plain_file_name (const char *name)
{
  return name[0] != '\0' && strchr (name, '/') == NULL && strchr (name, G_DIR_SEPARATOR) == NULL &&
         !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

/* model.safetensors.index.json: {"metadata": {…}, "weight_map": {tensor: file}}.
 * Every file the map names is opened and checked; each tensor of the map
 * must be in the file the map gives, and no tensor in two files. */
static gboolean
open_index (WhSafetensors  *self,
            const char     *path,
            GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) shard_of_file = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *folder = g_path_get_dirname (path);
  const char *index_name = self->display_name;
  JsonObject *weight_map = NULL;
  JsonObjectIter iter;
  JsonNode *root;
  JsonNode *value;
  const char *tensor;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      if (local_error->domain == JSON_PARSER_ERROR)
        return damaged (error, index_name, _("it is not valid JSON (%s)"), local_error->message);

      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_OPEN,
                   _("“%s” cannot be opened: %s"), index_name, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "weight_map");

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        weight_map = json_node_get_object (node);
    }
  if (weight_map == NULL)
    return damaged (error, index_name, _("it has no “weight_map” object"));

  /* Open the files in the order the map first names them. */
  json_object_iter_init_ordered (&iter, weight_map);
  while (json_object_iter_next_ordered (&iter, &tensor, &value))
    {
      g_autofree char *shard_path = NULL;
      const char *file;
      Shard *shard;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return damaged (error, index_name, _("the file of the tensor “%s” is not a string"), tensor);

      file = json_node_get_string (value);
      if (!is_plain_file_name (file))
        return damaged (error, index_name,
                        _("the tensor “%s” is said to be in “%s”, which is not a file beside the index"),
                        tensor, file);

      if (g_hash_table_contains (shard_of_file, file))
        continue;

      shard_path = g_build_filename (folder, file, NULL);
      shard = shard_open (shard_path, index_name, tensor, error);
      if (shard == NULL)
        return FALSE;

      g_ptr_array_add (self->shards, shard);
      g_hash_table_insert (shard_of_file, (gpointer) file, shard);

      if (!parse_shard (self, shard, error))
        return FALSE;
    }

  json_object_iter_init_ordered (&iter, weight_map);
  while (json_object_iter_next_ordered (&iter, &tensor, &value))
    {
      Shard *shard = g_hash_table_lookup (shard_of_file, json_node_get_string (value));
      const WhSafetensorsTensor *t = wh_safetensors_find (self, tensor);

      if (t == NULL || t->file != shard->display_name)
        {
          g_autofree char *detail = NULL;

          if (t == NULL)
            detail = g_strdup_printf (_("“%s” gives it as the file holding the tensor “%s”, "
                                        "which is not there"),
                                      index_name, tensor);
          else
            detail = g_strdup_printf (_("“%s” gives it as the file holding the tensor “%s”, "
                                        "which is in “%s” instead"),
                                      index_name, tensor, t->file);
          return damaged (error, shard->display_name, "%s", detail);
        }
    }

  return TRUE;
}

/**
 * wh_safetensors_open:
 * @path: a .safetensors file, a model.safetensors.index.json, or a folder
 *   holding either
 * @error: return location for a #GError
 *
 * Maps the file, or every file of a sharded set, and checks its header and
 * layout.  A file that cannot be opened gives %WH_SAFETENSORS_ERROR_OPEN;
 * a damaged one %WH_SAFETENSORS_ERROR_FORMAT, with a message naming the
 * file and, where one is at fault, the tensor.
 *
 * Returns: (transfer full) (nullable): the tensors, or %NULL on error
 */
WhSafetensors *
wh_safetensors_open (const char  *path,
                     GError     **error)
{
  g_autoptr(WhSafetensors) self = NULL;
  g_autofree char *file = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *single = g_build_filename (path, SINGLE_FILE_NAME, NULL);
      g_autofree char *index = g_build_filename (path, INDEX_FILE_NAME, NULL);

      if (g_file_test (single, G_FILE_TEST_EXISTS))
        file = g_steal_pointer (&single);
      else if (g_file_test (index, G_FILE_TEST_EXISTS))
        file = g_steal_pointer (&index);
      else
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_OPEN,
                       _("The folder “%s” holds neither %s nor %s"),
                       display, SINGLE_FILE_NAME, INDEX_FILE_NAME);
          return NULL;
        }
    }
  else
    file = g_strdup (path);

  self = g_new0 (WhSafetensors, 1);
  self->display_name = g_filename_display_basename (file);
  self->shards = g_ptr_array_new_with_free_func (shard_free);
  self->tensors = g_array_new (FALSE, TRUE, sizeof (WhSafetensorsTensor));
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_string_chunk_new (4096);

  if (g_str_has_suffix (file, ".json"))
    ok = open_index (self, file, error);
  else
    ok = open_single (self, file, error);

  return ok ? g_steal_pointer (&self) : NULL;
}

/**
 * wh_safetensors_free:
 * @st: (nullable): a #WhSafetensors
 *
 * Unmaps the files.  Tensors obtained from @st become invalid.
 */
void
wh_safetensors_free (WhSafetensors *st)
{
  if (st == NULL)
    return;

  g_clear_pointer (&st->index, g_hash_table_unref);
  g_clear_pointer (&st->tensors, g_array_unref);
  g_clear_pointer (&st->shards, g_ptr_array_unref);
  g_clear_pointer (&st->strings, g_string_chunk_free);
  g_free (st->display_name);
  g_free (st);
}

gsize
wh_safetensors_get_n_tensors (WhSafetensors *st)
{
  g_return_val_if_fail (st != NULL, 0);

  return st->tensors->len;
}

const WhSafetensorsTensor *
wh_safetensors_get_tensor (WhSafetensors *st,
                           gsize          index)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (index < st->tensors->len, NULL);

  return &g_array_index (st->tensors, WhSafetensorsTensor, index);
}

const WhSafetensorsTensor *
wh_safetensors_find (WhSafetensors *st,
                     const char    *name)
{
  gpointer index;

  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!g_hash_table_lookup_extended (st->index, name, NULL, &index))
    return NULL;
  return &g_array_index (st->tensors, WhSafetensorsTensor, GPOINTER_TO_UINT (index));
}

/**
 * wh_safetensors_require:
 * @st: a #WhSafetensors
 * @name: the tensor
 * @n_dims: the number of dimensions it must have
 * @shape: (nullable) (array length=n_dims): the shape it must have, or
 *   %NULL to accept any
 * @error: return location for a #GError
 *
 * Looks up a tensor the model needs.  An absent one gives
 * %WH_SAFETENSORS_ERROR_MISSING, one of a dtype Whetstone cannot compute
 * with %WH_SAFETENSORS_ERROR_DTYPE and one of another shape
 * %WH_SAFETENSORS_ERROR_FORMAT.
 *
 * Returns: (transfer none) (nullable): the tensor, or %NULL on error
 */
const WhSafetensorsTensor *
wh_safetensors_require (WhSafetensors  *st,
                        const char     *name,
                        guint           n_dims,
                        const guint64  *shape,
                        GError        **error)
{
  const WhSafetensorsTensor *t;

  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (shape == NULL || n_dims <= WH_SAFETENSORS_MAX_DIMS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = wh_safetensors_find (st, name);
  if (t == NULL)
    {
      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_MISSING,
                   _("The tensor “%s” is missing from “%s”; the download may be incomplete, "
                     "or the weights may be of another model than its config.json describes"),
                   name, st->display_name);
      return NULL;
    }

  if (t->dtype < 0)
    {
      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_DTYPE,
                   _("The tensor “%s” in “%s” is stored as %s, which Whetstone cannot use "
                     "(it reads F32, F16 and BF16 weights); download a version of the model "
                     "in one of these"),
                   name, t->file, t->dtype_name);
      return NULL;
    }

  if (shape != NULL &&
      (t->n_dims != n_dims || memcmp (t->shape, shape, n_dims * sizeof *shape) != 0))
    {
      g_autofree char *found = format_shape (t->n_dims, t->shape);
      g_autofree char *wanted = format_shape (n_dims, shape);

      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_FORMAT,
                   _("The tensor “%s” in “%s” has shape %s where the model needs %s; "
                     "the weights may be of another model than its config.json describes"),
                   name, t->file, found, wanted);
      return NULL;
    }

  return t;
}

const char *
wh_safetensors_get_metadata (WhSafetensors *st,
                             const char    *key)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < st->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (st->shards, i);
      const char *value = g_hash_table_lookup (shard->metadata, key);

      if (value != NULL)
        return value;
    }

  return NULL;
}
