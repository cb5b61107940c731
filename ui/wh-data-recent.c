/* wh-data-recent.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-recent.h"
#include "wh-start-page-private.h"

/* The Data step's recent files, under the drop target: each one a row
 * that opens it again as choosing it would. */

#define MAX_SHOWN 5

#define PATH_KEY "wh-path"

struct _WhDataRecent
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;   /* AdwActionRow */
};

enum {
  ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (WhDataRecent, wh_data_recent, ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static void
row_activated_cb (WhDataRecent *self,
                  AdwActionRow *row)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_object_get_data (G_OBJECT (row), PATH_KEY));

  g_assert (WH_IS_DATA_RECENT (self));

  g_signal_emit (self, signals[ACTIVATED], 0, file);
}

/* A row for @path, or NULL when it is no longer a file. */
static GtkWidget *
create_row (WhDataRecent *self,
            const char   *path,
            GDateTime    *now)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *when = NULL;
  g_autofree char *description = NULL;
  GtkWidget *row;
  GtkWidget *label;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return NULL;

  name = g_filename_display_basename (path);
  dir = g_path_get_dirname (path);
  folder = g_filename_display_name (dir);
  modified = g_file_info_get_modification_date_time (info);
  if (modified != NULL)
    when = _wh_start_page_format_date (modified, now);

  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "title", name,
                      "subtitle", folder,
                      "use-markup", FALSE,
                      "activatable", TRUE,
                      "tooltip-text", path,
                      NULL);
  g_object_set_data_full (G_OBJECT (row), PATH_KEY, g_strdup (path), g_free);
  if (when != NULL)
    {
      label = gtk_label_new (when);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      /* Translators: read out for a recent file: its folder, then when it
       * last changed, e.g. “/home/ada/Documents, Yesterday” */
      description = g_strdup_printf (_("%s, %s"), folder, when);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description != NULL ? description : folder,
                                  -1);
  g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);

  return row;
}

/* GObject */

static void
wh_data_recent_dispose (GObject *object)
{
  WhDataRecent *self = (WhDataRecent *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wh_data_recent_parent_class)->dispose (object);
}

static void
wh_data_recent_class_init (WhDataRecentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_data_recent_dispose;

  /**
   * WhDataRecent::activated:
   * @self: the list
   * @file: the file of the row activated
   *
   * A recent file is to be opened again.
   */
  signals[ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);
}

static void
wh_data_recent_init (WhDataRecent *self)
{
  self->rows = g_ptr_array_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Recent Files"));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
wh_data_recent_set_paths (WhDataRecent       *self,
                          const char * const *paths)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (WH_IS_DATA_RECENT (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; paths != NULL && paths[i] != NULL && self->rows->len < MAX_SHOWN; i++)
    {
      GtkWidget *row = create_row (self, paths[i], now);

      if (row == NULL)
        continue;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self), self->rows->len > 0);
}
