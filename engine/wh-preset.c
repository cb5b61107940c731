/* wh-preset.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-preset.h"

gboolean
wh_preset_load (WhPreset     *preset,
                const char   *path,
                GError      **error)
{
  g_autofree char *base = g_path_get_basename (path);

  memset (preset, 0, sizeof *preset);
  preset->id = g_str_has_suffix (base, ".json") ? g_strndup (base, strlen (base) - 5) : g_strdup (base);
  if (!wh_recipe_load (&preset->recipe, path, error))
    return FALSE;
  if (preset->recipe.name == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The preset “%s” cannot be used: “name” is missing"), display);
      return FALSE;
    }
  return TRUE;
}

void
wh_preset_clear (WhPreset *preset)
{
  g_clear_pointer (&preset->id, g_free);
  wh_recipe_clear (&preset->recipe);
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

/**
 * wh_demo_model_dup_dir:
 *
 * The built-in demo model's folder (data/demo/model in the source tree,
 * installed under the package's data folder), whether or not it is
 * there.
 */
char *
wh_demo_model_dup_dir (void)
{
  const char *override = g_getenv ("WHETSTONE_DEMO_MODEL");
  const char *source = g_getenv ("WHETSTONE_DATA_DIR");

  if (override != NULL)
    return g_strdup (override);
  return g_build_filename (source != NULL ? source : PKGDATADIR, "demo", "model", NULL);
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
