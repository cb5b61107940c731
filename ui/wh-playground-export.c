/* wh-playground-export.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-export.h"
#include "wh-run-folder.h"

/* Exporting a checkpoint's adapter from the Try It step: a folder
 * chooser, a question before anything is replaced, and the copy on a
 * worker thread (wh_adapter_folder_copy() writes it whole or not at
 * all); how it went is said in a toast. */

struct _WhPlaygroundExport
{
  GObject               parent_instance;

  AdwToastOverlay      *overlay;
  GtkFileChooserNative *chooser;
  char                 *export_source;
  char                 *export_name;
};

G_DEFINE_FINAL_TYPE (WhPlaygroundExport, wh_playground_export, G_TYPE_OBJECT)

static void
toast (WhPlaygroundExport *self,
       const char         *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (self->overlay != NULL)
    adw_toast_overlay_add_toast (self->overlay, adw_toast_new (escaped));
}

typedef struct
{
  char     *source;
  char     *dest;
  gboolean  replace;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->source);
  g_free (data->dest);
  g_free (data);
}

static void
export_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (wh_adapter_folder_copy (data->source, data->dest, data->replace, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WhPlaygroundExport *self = WH_PLAYGROUND_EXPORT (object);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_filename_display_basename (data->dest);
      g_autofree char *message = g_strdup_printf (_("Adapter exported to “%s”"), name);

      toast (self, message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the adapter: %s"), error->message);

      toast (self, message);
    }
}

static void
export_copy (WhPlaygroundExport *self,
             const char       *source,
             const char       *dest,
             gboolean          replace)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, export_done_cb, NULL);
  ExportData *data = g_new0 (ExportData, 1);

  data->source = g_strdup (source);
  data->dest = g_strdup (dest);
  data->replace = replace;
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_set_source_tag (task, export_copy);
  g_task_run_in_thread (task, export_worker);
}

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     WhPlaygroundExport *self)
{
  const char *source = g_object_get_data (G_OBJECT (dialog), "wh-source");
  const char *dest = g_object_get_data (G_OBJECT (dialog), "wh-dest");

  if (g_strcmp0 (response, "replace") == 0)
    export_copy (self, source, dest, TRUE);
}

static gboolean
is_empty_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

/* Writes the adapter of @source to @dest, asking first before anything
 * there is replaced. */
static void
export_to (WhPlaygroundExport *self,
           const char       *source,
           const char       *dest)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->overlay));
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (!g_file_test (dest, G_FILE_TEST_EXISTS) || is_empty_folder (dest))
    {
      export_copy (self, source, dest, FALSE);
      return;
    }

  name = g_filename_display_basename (dest);
  heading = g_strdup_printf (_("Replace “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("A folder of that name already holds files. Exporting the adapter there replaces them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "wh-source", g_strdup (source), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "wh-dest", g_strdup (dest), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* An empty folder chosen becomes the adapter; one that holds files gets
 * the adapter in a folder of its own inside it, never in among them. */
static void
chooser_response_cb (WhPlaygroundExport   *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->export_source != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        toast (self, _("Could not export the adapter: choose a folder on this computer"));
      else if (is_empty_folder (path))
        export_to (self, self->export_source, path);
      else
        {
          g_autofree char *dest = g_build_filename (path, self->export_name, NULL);

          export_to (self, self->export_source, dest);
        }
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->export_source, g_free);
  g_clear_pointer (&self->export_name, g_free);
}

/* Public */

static void
wh_playground_export_dispose (GObject *object)
{
  WhPlaygroundExport *self = WH_PLAYGROUND_EXPORT (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->overlay);

  G_OBJECT_CLASS (wh_playground_export_parent_class)->dispose (object);
}

static void
wh_playground_export_finalize (GObject *object)
{
  WhPlaygroundExport *self = WH_PLAYGROUND_EXPORT (object);

  g_free (self->export_source);
  g_free (self->export_name);

  G_OBJECT_CLASS (wh_playground_export_parent_class)->finalize (object);
}

static void
wh_playground_export_class_init (WhPlaygroundExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_playground_export_dispose;
  object_class->finalize = wh_playground_export_finalize;
}

static void
wh_playground_export_init (WhPlaygroundExport *self)
{
}

WhPlaygroundExport *
wh_playground_export_new (AdwToastOverlay *overlay)
{
  WhPlaygroundExport *self;

  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (overlay), NULL);

  self = g_object_new (WH_TYPE_PLAYGROUND_EXPORT, NULL);
  self->overlay = g_object_ref (overlay);
  return self;
}

void
wh_playground_export_start (WhPlaygroundExport *self,
                            const char         *source,
                            const char         *name)
{
  GtkRoot *root;

  g_return_if_fail (WH_IS_PLAYGROUND_EXPORT (self));
  g_return_if_fail (source != NULL && name != NULL);

  if (!wh_run_folder_is_adapter (source))
    {
      toast (self, _("This checkpoint holds no adapter to export"));
      return;
    }
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  root = gtk_widget_get_root (GTK_WIDGET (self->overlay));
  self->chooser = gtk_file_chooser_native_new (_("Export Adapter"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_free (self->export_source);
  self->export_source = g_strdup (source);
  g_free (self->export_name);
  self->export_name = g_strdup (name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
