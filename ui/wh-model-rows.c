/* wh-model-rows.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-model-rows.h"

#define PATH_KEY "wh-model-path"

static char *
candidate_subtitle (const WhModelCandidate *candidate)
{
  g_autofree char *size = g_format_size (candidate->size);

  switch (candidate->source)
    {
    case WH_MODEL_SOURCE_DEMO:
      /* Translators: %s is a size, e.g. “1.2 MB” */
      return g_strdup_printf (_("A tiny model for trying Whetstone out: it trains in minutes, but writes little sense · %s"), size);

    case WH_MODEL_SOURCE_HUGGING_FACE:
      /* Translators: %s is a size, e.g. “1.2 GB” */
      return g_strdup_printf (_("Hugging Face cache · %s"), size);

    case WH_MODEL_SOURCE_OLLAMA:
      /* Translators: %s is a size, e.g. “1.2 GB” */
      return g_strdup_printf (_("Ollama · %s"), size);

    case WH_MODEL_SOURCE_FILE:
    default:
      {
        g_autofree char *dir = g_path_get_dirname (candidate->path);
        g_autofree char *display = g_filename_display_name (dir);

        /* Translators: a folder and a size, e.g. “/home/ada/models · 1.2 GB” */
        return g_strdup_printf (_("%s · %s"), display, size);
      }
    }
}

static GtkWidget *
create_row (const WhModelCandidate *candidate,
            GtkCheckButton         *group,
            const char             *chosen,
            GCallback               toggled,
            gpointer                object)
{
  g_autofree char *subtitle = candidate_subtitle (candidate);
  GtkWidget *check;
  GtkWidget *row;

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  g_object_set_data_full (G_OBJECT (check), PATH_KEY, g_strdup (candidate->path), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, candidate->name,
                                  -1);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), candidate->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data_full (G_OBJECT (row), PATH_KEY, g_strdup (candidate->path), g_free);

  if (g_strcmp0 (candidate->path, chosen) == 0)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);

  g_signal_connect_object (check, "toggled", toggled, object, G_CONNECT_SWAPPED);

  return row;
}

void
wh_model_rows_fill (GtkListBox *list,
                    GPtrArray  *candidates,
                    GPtrArray  *opened,
                    const char *chosen,
                    GCallback   toggled,
                    gpointer    object)
{
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  GtkCheckButton *group = NULL;
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  g_return_if_fail (opened != NULL);
  g_return_if_fail (G_IS_OBJECT (object));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      WhModelCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->source == WH_MODEL_SOURCE_DEMO)
        g_ptr_array_add (listed, candidate);
    }

  for (guint i = 0; i < opened->len; i++)
    {
      WhModelCandidate *candidate = g_ptr_array_index (opened, i);
      gboolean scanned = FALSE;

      for (guint j = 0; candidates != NULL && j < candidates->len; j++)
        scanned |= g_strcmp0 (((WhModelCandidate *) g_ptr_array_index (candidates, j))->path,
                              candidate->path) == 0;
      if (!scanned)
        g_ptr_array_add (listed, candidate);
    }

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      WhModelCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->source != WH_MODEL_SOURCE_DEMO)
        g_ptr_array_add (listed, candidate);
    }

  for (guint i = 0; i < listed->len; i++)
    {
      GtkWidget *row = create_row (g_ptr_array_index (listed, i), group, chosen, toggled, object);

      if (group == NULL)
        group = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
      gtk_list_box_append (list, row);
    }
}

const WhModelCandidate *
wh_model_rows_find (GPtrArray  *candidates,
                    GPtrArray  *opened,
                    const char *path)
{
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      const WhModelCandidate *candidate = g_ptr_array_index (candidates, i);

      if (g_strcmp0 (candidate->path, path) == 0)
        return candidate;
    }

  for (guint i = 0; i < opened->len; i++)
    {
      const WhModelCandidate *candidate = g_ptr_array_index (opened, i);

      if (g_strcmp0 (candidate->path, path) == 0)
        return candidate;
    }

  return NULL;
}

const char *
wh_model_rows_get_path (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_data (G_OBJECT (widget), PATH_KEY);
}
