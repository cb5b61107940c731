/* wh-safetensors-writer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wh-ref-dequant.h"
#include "wh-safetensors.h"
#include "wh-safetensors-writer.h"

typedef struct
{
  char    *name;
  guint64  shape[WH_SAFETENSORS_MAX_DIMS];
  guint    n_dims;
  gpointer data;     /* n values of dtype */
  gsize    n;
  gboolean f16;
} Entry;

struct _WhSafetensorsWriter
{
  GPtrArray  *entries;
  GHashTable *metadata;
};

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->name);
  g_free (e->data);
  g_free (e);
}

WhSafetensorsWriter *
wh_safetensors_writer_new (void)
{
  WhSafetensorsWriter *w = g_new0 (WhSafetensorsWriter, 1);

  w->entries = g_ptr_array_new_with_free_func (entry_free);
  w->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return w;
}

void
wh_safetensors_writer_free (WhSafetensorsWriter *w)
{
  if (w == NULL)
    return;
  g_ptr_array_unref (w->entries);
  g_hash_table_unref (w->metadata);
  g_free (w);
}

static Entry *
add_entry (WhSafetensorsWriter *w,
           const char          *name,
           const guint64       *shape,
           guint                n_dims)
{
  Entry *e = g_new0 (Entry, 1);

  e->name = g_strdup (name);
  e->n_dims = n_dims;
  e->n = 1;
  for (guint i = 0; i < n_dims; i++)
    {
      e->shape[i] = shape[i];
      e->n *= shape[i];
    }
  g_ptr_array_add (w->entries, e);
  return e;
}

void
wh_safetensors_writer_add_f32 (WhSafetensorsWriter *w,
                               const char          *name,
                               const guint64       *shape,
                               guint                n_dims,
                               const float         *data)
{
  Entry *e;

  g_return_if_fail (n_dims <= WH_SAFETENSORS_MAX_DIMS);

  e = add_entry (w, name, shape, n_dims);
  e->data = g_memdup2 (data, e->n * sizeof (float));
}

/* Rounded to the nearest f16 (ties to even), as PyTorch's .half() does. */
void
wh_safetensors_writer_add_f16 (WhSafetensorsWriter *w,
                               const char          *name,
                               const guint64       *shape,
                               guint                n_dims,
                               const float         *data)
{
  Entry *e;
  guint16 *half;

  g_return_if_fail (n_dims <= WH_SAFETENSORS_MAX_DIMS);

  e = add_entry (w, name, shape, n_dims);
  e->f16 = TRUE;
  e->data = half = g_new (guint16, e->n);
  for (gsize i = 0; i < e->n; i++)
    half[i] = GUINT16_TO_LE (wh_ref_f32_to_f16 (data[i]));
}

static gsize
entry_bytes (const Entry *e)
{
  return e->n * (e->f16 ? sizeof (guint16) : sizeof (float));
}

void
wh_safetensors_writer_set_metadata (WhSafetensorsWriter *w,
                                    const char          *key,
                                    const char          *value)
{
  g_hash_table_replace (w->metadata, g_strdup (key), g_strdup (value));
}

gboolean
wh_safetensors_writer_save (WhSafetensorsWriter  *w,
                            const char           *path,
                            GError              **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *header = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize header_len, padded;
  guint64 offset = 0, header_size;

  json_builder_begin_object (b);
  if (g_hash_table_size (w->metadata) > 0)
    {
      json_builder_set_member_name (b, "__metadata__");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&iter, w->metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (b, key);
          json_builder_add_string_value (b, value);
        }
      json_builder_end_object (b);
    }
  for (guint i = 0; i < w->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (w->entries, i);

      json_builder_set_member_name (b, e->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, e->f16 ? "F16" : "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (guint d = 0; d < e->n_dims; d++)
        json_builder_add_int_value (b, e->shape[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, offset);
      json_builder_add_int_value (b, offset + entry_bytes (e));
      json_builder_end_array (b);
      json_builder_end_object (b);
      offset += entry_bytes (e);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  header = json_generator_to_data (gen, &header_len);
  /* The header is padded with spaces to a multiple of 8, as the
   * reference writer does, so the data stays aligned. */
  padded = (header_len + 7) & ~(gsize) 7;
  header_size = GUINT64_TO_LE (padded);
  g_byte_array_append (out, (const guint8 *) &header_size, 8);
  g_byte_array_append (out, (const guint8 *) header, header_len);
  for (gsize i = header_len; i < padded; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  for (guint i = 0; i < w->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (w->entries, i);
      g_byte_array_append (out, (const guint8 *) e->data, entry_bytes (e));
    }

  if (!g_file_set_contents_full (path, (const char *) out->data, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_OPEN,
                   _("Cannot write “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}
