/* wh-data-chooser.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-chooser.h"

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *mime_types,
            const char * const *suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

GtkFileChooserNative *
wh_data_chooser_new (GtkWidget *widget)
{
  GtkFileChooserNative *native;
  GtkFileChooser *chooser;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  native = gtk_file_chooser_native_new (_("Choose a Dataset"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  chooser = GTK_FILE_CHOOSER (native);

  add_filter (chooser, _("Datasets"),
              (const char * const[]) { "text/csv", "text/tab-separated-values", "application/json",
                                       "application/x-ndjson", "application/jsonl", "text/plain", NULL },
              (const char * const[]) { "csv", "tsv", "jsonl", "json", "txt", "md", NULL });
  add_filter (chooser, _("Spreadsheets (CSV, TSV)"),
              (const char * const[]) { "text/csv", "text/tab-separated-values", NULL },
              (const char * const[]) { "csv", "tsv", NULL });
  add_filter (chooser, _("JSON and JSON Lines"),
              (const char * const[]) { "application/json", "application/x-ndjson", "application/jsonl", NULL },
              (const char * const[]) { "json", "jsonl", NULL });
  add_filter (chooser, _("Text"),
              (const char * const[]) { "text/plain", NULL },
              (const char * const[]) { "txt", "md", NULL });
  add_filter (chooser, _("All Files"), NULL, (const char * const[]) { "*", NULL });

  return native;
}
