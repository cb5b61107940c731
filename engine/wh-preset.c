/* wh-preset.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-json.h"
#include "wh-preset.h"

static gboolean
preset_error (GError     **error,
              const char  *path,
              const char  *key,
              const char  *what)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPTIONS,
               _("The preset “%s” cannot be used: “%s” %s"), display, key, what);
  return FALSE;
}

static gboolean
check_keys (JsonObject          *object,
            const char * const  *known,
            const char          *path,
            const char          *prefix,
            GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *key = g_strconcat (prefix, l->data, NULL);
        return preset_error (error, path, key, _("is not a key presets have; check its spelling"));
      }
  return TRUE;
}

gboolean
wh_preset_load (WhPreset     *preset,
                const char   *path,
                GError      **error)
{
  static const char *const top_keys[] = {
    "name", "description", "dataset", "template", "system_prompt", "train_on", "method", "lora", "train", "eval", NULL,
  };
  static const char *const dataset_keys[] = { "path", "format", "columns", "text_prompt", NULL };
  static const char *const train_keys[] = {
    "epochs", "max_steps", "learning_rate", "schedule", "warmup_steps", "weight_decay", "batch_size",
    "grad_accum", "max_seq_len", "packing", "shuffle", "seed", "grad_clip", NULL,
  };
  static const char *const eval_keys[] = { "val_fraction", "every_steps", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  JsonObject *root, *dataset, *train, *eval, *columns;
  JsonNode *epochs;
  const char *format;

  memset (preset, 0, sizeof *preset);
  preset->path = g_strdup (path);
  base = g_path_get_basename (path);
  preset->id = g_str_has_suffix (base, ".json") ? g_strndup (base, strlen (base) - 5) : g_strdup (base);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPTIONS,
                   _("Cannot read the preset “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return preset_error (error, path, "(top)", _("must be a JSON object"));
  root = json_node_get_object (json_parser_get_root (parser));
  if (!check_keys (root, top_keys, path, "", error))
    return FALSE;

  preset->name = g_strdup (wh_json_get_string (root, "name"));
  if (preset->name == NULL)
    return preset_error (error, path, "name", _("is missing"));
  preset->description = g_strdup (wh_json_get_string (root, "description"));
  preset->template = g_strdup (wh_json_get_string (root, "template") ?: "auto");
  preset->system_prompt = g_strdup (wh_json_get_string (root, "system_prompt"));
  preset->train_on = g_strdup (wh_json_get_string (root, "train_on") ?: "assistant");
  preset->method = g_strdup (wh_json_get_string (root, "method") ?: "lora");
  if (!g_str_equal (preset->train_on, "assistant") && !g_str_equal (preset->train_on, "all"))
    return preset_error (error, path, "train_on", _("must be \"assistant\" or \"all\""));
  if (!g_str_equal (preset->method, "lora") && !g_str_equal (preset->method, "qlora") &&
      !g_str_equal (preset->method, "full"))
    return preset_error (error, path, "method", _("must be \"lora\", \"qlora\" or \"full\""));
  if (!g_str_equal (preset->template, "auto"))
    {
      WhChatFamily family;

      if (!wh_chat_family_from_string (preset->template, &family, NULL))
        return preset_error (error, path, "template", _("names no chat template family Whetstone knows"));
    }

  dataset = wh_json_get_object (root, "dataset");
  if (dataset != NULL)
    {
      const char *rel = wh_json_get_string (dataset, "path");
      g_autofree char *dir = g_path_get_dirname (path);

      if (!check_keys (dataset, dataset_keys, path, "dataset.", error))
        return FALSE;
      if (rel != NULL)
        preset->dataset_path = g_path_is_absolute (rel) ? g_strdup (rel) : g_canonicalize_filename (rel, dir);
      preset->text_prompt = g_strdup (wh_json_get_string (dataset, "text_prompt"));
      format = wh_json_get_string (dataset, "format");
      if (format != NULL && !wh_dataset_format_from_string (format, &preset->format, NULL))
        return preset_error (error, path, "dataset.format", _("names no dataset format Whetstone knows"));
      columns = wh_json_get_object (dataset, "columns");
      if (columns != NULL)
        {
          g_autoptr(GList) names = json_object_get_members (columns);
          GPtrArray *list = g_ptr_array_new ();

          for (GList *l = names; l != NULL; l = l->next)
            g_ptr_array_add (list, g_strdup_printf ("%s=%s", (const char *) l->data,
                                                    json_object_get_string_member (columns, l->data)));
          g_ptr_array_add (list, NULL);
          preset->columns = (char **) g_ptr_array_free (list, FALSE);
        }
    }

  train = wh_json_get_object (root, "train");
  if (train != NULL && !check_keys (train, train_keys, path, "train.", error))
    return FALSE;
  preset->max_seq_len = train != NULL ? json_object_get_int_member_with_default (train, "max_seq_len", 512) : 512;
  preset->learning_rate = train != NULL ? json_object_get_double_member_with_default (train, "learning_rate", 2e-4) : 2e-4;
  epochs = train != NULL ? json_object_get_member (train, "epochs") : NULL;
  if (epochs != NULL && JSON_NODE_HOLDS_VALUE (epochs) && json_node_get_value_type (epochs) == G_TYPE_INT64)
    preset->epochs = json_node_get_int (epochs);
  else if (epochs != NULL && g_strcmp0 (json_node_get_string (epochs), "auto") != 0)
    return preset_error (error, path, "train.epochs", _("must be a number or \"auto\""));
  if (preset->max_seq_len < 16 || preset->max_seq_len > 1 << 20)
    return preset_error (error, path, "train.max_seq_len", _("must be between 16 and 1048576"));
  if (preset->learning_rate <= 0 || preset->learning_rate > 1)
    return preset_error (error, path, "train.learning_rate", _("must be above 0 and at most 1"));

  eval = wh_json_get_object (root, "eval");
  if (eval != NULL && !check_keys (eval, eval_keys, path, "eval.", error))
    return FALSE;
  preset->val_fraction = eval != NULL ? json_object_get_double_member_with_default (eval, "val_fraction", 0.1) : 0.1;
  if (preset->val_fraction < 0 || preset->val_fraction > 0.5)
    return preset_error (error, path, "eval.val_fraction", _("must be between 0 and 0.5"));

  return TRUE;
}

void
wh_preset_clear (WhPreset *preset)
{
  g_clear_pointer (&preset->path, g_free);
  g_clear_pointer (&preset->id, g_free);
  g_clear_pointer (&preset->name, g_free);
  g_clear_pointer (&preset->description, g_free);
  g_clear_pointer (&preset->dataset_path, g_free);
  g_clear_pointer (&preset->columns, g_strfreev);
  g_clear_pointer (&preset->text_prompt, g_free);
  g_clear_pointer (&preset->template, g_free);
  g_clear_pointer (&preset->system_prompt, g_free);
  g_clear_pointer (&preset->train_on, g_free);
  g_clear_pointer (&preset->method, g_free);
}

guint
wh_preset_auto_epochs (guint64 n_examples)
{
  guint epochs = 3;

  if (n_examples == 0)
    return epochs;
  if (n_examples * epochs < 100)
    epochs = MIN ((100 + n_examples - 1) / n_examples, 25);
  else if (n_examples * epochs > 25000)
    epochs = MAX (25000 / n_examples, 1);
  return epochs;
}

char *
wh_preset_dup_builtin_dir (void)
{
  const char *source = g_getenv ("WHETSTONE_DATA_DIR");

  if (source != NULL)
    return g_build_filename (source, "presets", NULL);
  return g_build_filename (PKGDATADIR, "presets", NULL);
}

static void
preset_free (gpointer data)
{
  wh_preset_clear (data);
  g_free (data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
wh_preset_list_builtin (GError **error)
{
  g_autofree char *dir = wh_preset_dup_builtin_dir ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func (preset_free);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, error);
  const char *name;

  if (listing == NULL)
    return NULL;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, (const char *) g_ptr_array_index (names, i), NULL);
      WhPreset *preset = g_new0 (WhPreset, 1);

      if (!wh_preset_load (preset, path, error))
        {
          preset_free (preset);
          return NULL;
        }
      g_ptr_array_add (presets, preset);
    }
  return g_steal_pointer (&presets);
}
