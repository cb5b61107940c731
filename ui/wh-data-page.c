/* wh-data-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-chooser.h"
#include "wh-data-page-private.h"
#include "wh-ui.h"

/* The Data step: the user drops a file (or chooses one), the engine
 * imports it on a worker thread, and the page shows what Whetstone made
 * of it: the format and why, the column mapping for CSV, the first
 * examples as chat bubbles, statistics, and the dataset doctor's problems
 * with their lines.  Errors block the next step; warnings do not.
 *
 * Every import is a job with its own cancellable; the newest one is the
 * only one whose result is shown, and a job never keeps the page alive.
 * The user's file is only ever read. */

#define PROGRESS_INTERVAL  100  /* ms */
#define MAX_RECENT_FILES   10

enum {
  PROP_0,
  PROP_FILE,
  PROP_USABLE,
  PROP_BUSY,
  PROP_RECENT_FILES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (WhDataPage, wh_data_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

char *
_wh_data_format_count (guint64 value)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

static void
wh_data_page_set_usable (WhDataPage *self,
                         gboolean    usable)
{
  g_assert (WH_IS_DATA_PAGE (self));

  usable = !!usable;
  if (self->usable == usable)
    return;

  self->usable = usable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USABLE]);
}

/* Loaded, not being read again, something to train on and no error. */
static void
wh_data_page_update_usable (WhDataPage *self)
{
  guint n_errors = 0;

  g_assert (WH_IS_DATA_PAGE (self));

  if (self->dataset != NULL)
    _wh_data_page_find_first_error (self->dataset, &n_errors);

  wh_data_page_set_usable (self,
                           self->job == NULL &&
                           self->dataset != NULL &&
                           wh_dataset_is_usable (self->dataset) &&
                           n_errors == 0);
}

static void
wh_data_page_update_actions (WhDataPage *self)
{
  g_assert (WH_IS_DATA_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data-page.reload", self->file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data-page.cancel", self->job != NULL);
}

static void
wh_data_page_set_file (WhDataPage *self,
                       GFile      *file)
{
  g_assert (WH_IS_DATA_PAGE (self));

  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

static void
wh_data_page_clear_dataset (WhDataPage *self)
{
  g_assert (WH_IS_DATA_PAGE (self));

  g_clear_pointer (&self->dataset, wh_dataset_free);
  g_clear_pointer (&self->dataset_job, wh_data_import_unref);
  g_clear_pointer (&self->column_names, g_strfreev);
  g_clear_pointer (&self->column_roles, g_strfreev);
  g_clear_pointer (&self->override_error, g_free);
  self->kind = WH_FILE_KIND_AUTO;
}

/* Busy: while a job runs.  Notifies "busy" and "usable" as they change. */
static void
wh_data_page_set_job (WhDataPage   *self,
                      WhDataImport *job)
{
  gboolean was_busy;

  g_assert (WH_IS_DATA_PAGE (self));

  was_busy = self->job != NULL;

  if (self->job != NULL)
    {
      wh_data_import_cancel (self->job);
      g_clear_pointer (&self->job, wh_data_import_unref);
    }
  if (job != NULL)
    self->job = wh_data_import_ref (job);

  if (self->job == NULL)
    g_clear_handle_id (&self->progress_source, g_source_remove);

  gtk_spinner_set_spinning (self->reimport_spinner, self->job != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reimport_spinner), self->job != NULL);

  wh_data_page_update_actions (self);
  wh_data_page_update_usable (self);

  if (was_busy != (self->job != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Recent files */

static void
wh_data_page_remember_file (WhDataPage *self,
                            const char *path)
{
  g_auto(GStrv) updated = NULL;

  g_assert (WH_IS_DATA_PAGE (self));

  updated = wh_ui_recent_add ((const char * const *) self->recent_files, path, MAX_RECENT_FILES);
  wh_data_page_set_recent_files (self, (const char * const *) updated);
}

static void
recent_activated_cb (WhDataPage   *self,
                     GFile        *file,
                     WhDataRecent *recent)
{
  g_assert (WH_IS_DATA_PAGE (self));

  wh_data_page_load_file (self, file);
}

/* Columns group: one role per column of a CSV/TSV file */

static void
columns_changed_cb (WhDataPage    *self,
                    WhDataColumns *columns)
{
  g_assert (WH_IS_DATA_PAGE (self));

  if (self->column_names == NULL)
    return;

  g_clear_pointer (&self->columns_override, g_strfreev);
  self->columns_override = wh_data_columns_dup_mapping (columns);

  _wh_data_page_start_import (self, IMPORT_CHOICE);
}

/* Import */

static void
import_done_cb (GObject            *owner,
                WhDataImport       *job,
                WhDataImportResult *result)
{
  WhDataPage *self = (WhDataPage *) owner;

  /* Dropped: the page is gone, or a newer load replaced this one. */
  if (self == NULL || self->job != job)
    return;

  if (result->dataset != NULL)
    {
      const char * const *mapping = wh_dataset_get_columns (result->dataset);

      wh_data_page_clear_dataset (self);
      self->dataset = g_steal_pointer (&result->dataset);
      self->dataset_job = wh_data_import_ref (job);
      self->kind = result->kind;
      if (wh_dataset_is_usable (self->dataset))
        wh_data_page_remember_file (self, wh_data_import_get_path (job));
      if (mapping != NULL)
        self->column_names = wh_data_columns_split_mapping (mapping, &self->column_roles);
    }
  else if (result->column_names != NULL)
    {
      /* Keep the roles the user was choosing; start from "ignore". */
      g_auto(GStrv) roles = wh_data_columns_roles_for ((const char * const *) result->column_names,
                                                       (const char * const *) self->columns_override);

      wh_data_page_clear_dataset (self);
      self->kind = result->kind;
      self->column_names = g_steal_pointer (&result->column_names);
      self->column_roles = g_steal_pointer (&roles);
    }
  else if (self->job_reason == IMPORT_CHOICE && self->dataset != NULL)
    {
      /* The user's last choice does not work: keep what worked, say why. */
      self->kind_override = WH_FILE_KIND_AUTO;
      self->format_override = WH_DATASET_FORMAT_AUTO;
      g_clear_pointer (&self->columns_override, g_strfreev);
      g_free (self->override_error);
      self->override_error = g_strdup (result->error->message);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (result->error->message, -1);

      wh_data_page_clear_dataset (self);
      adw_status_page_set_description (self->failed_page, escaped);
    }

  wh_data_page_set_job (self, NULL);

  if (self->dataset != NULL || self->column_names != NULL)
    {
      _wh_data_page_show_dataset (self);
      /* Said once, next to the choice it is about. */
      g_clear_pointer (&self->override_error, g_free);
    }
  else
    _wh_data_page_show_stack_page (self, "failed");
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  WhDataPage *self = user_data;

  if (self->job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, wh_data_import_get_progress (self->job));

  return G_SOURCE_CONTINUE;
}

void
_wh_data_page_start_import (WhDataPage   *self,
                            ImportReason  reason)
{
  g_autoptr(WhDataImport) job = NULL;
  g_autofree char *name = NULL;
  g_autofree char *loading = NULL;

  g_assert (WH_IS_DATA_PAGE (self));
  g_assert (self->file != NULL);

  job = wh_data_import_new (self->file, self->kind_override, self->format_override,
                            (const char * const *) self->columns_override, self->tokenizer);
  wh_data_page_set_job (self, job);
  self->job_reason = reason;

  if (wh_data_import_get_path (job) == NULL)
    {
      g_autofree char *uri = g_file_get_uri (self->file);
      g_autofree char *message = NULL;
      g_autofree char *escaped = NULL;

      /* Translators: %s is the address of a file on a server */
      message = g_strdup_printf (_("Whetstone can only read files on this computer, and “%s” is not one. Copy it to a folder here first."), uri);
      escaped = g_markup_escape_text (message, -1);
      wh_data_page_clear_dataset (self);
      wh_data_page_set_job (self, NULL);
      adw_status_page_set_description (self->failed_page, escaped);
      _wh_data_page_show_stack_page (self, "failed");
      return;
    }

  if (reason == IMPORT_NEW_FILE || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "dataset") != 0)
    {
      name = wh_data_import_dup_display_name (self->file);
      /* Translators: %s is a file name */
      loading = g_strdup_printf (_("Reading “%s”…"), name);
      gtk_label_set_text (self->loading_label, loading);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      _wh_data_page_show_stack_page (self, "loading");
    }

  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL, progress_tick_cb, self);

  wh_data_import_run (job, G_OBJECT (self), import_done_cb);
}

/* Choosing and dropping files */

static void
chooser_response_cb (WhDataPage           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_assert (WH_IS_DATA_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        wh_data_page_load_file (self, file);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
wh_data_page_choose_file_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  WhDataPage *self = WH_DATA_PAGE (widget);

  if (self->chooser == NULL)
    {
      self->chooser = wh_data_chooser_new (widget);
      g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
wh_data_page_reload_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  WhDataPage *self = WH_DATA_PAGE (widget);

  if (self->file != NULL)
    _wh_data_page_start_import (self, IMPORT_AGAIN);
}

static void
wh_data_page_cancel_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  WhDataPage *self = WH_DATA_PAGE (widget);

  /* Back to the start: only the first read of a file can be cancelled. */
  wh_data_page_set_job (self, NULL);
  wh_data_page_clear_dataset (self);
  wh_data_page_set_file (self, NULL);
  wh_data_page_update_actions (self);
  wh_data_page_update_usable (self);
  _wh_data_page_show_stack_page (self, "empty");
}

static gboolean
drop_cb (WhDataPage    *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GFile *file = NULL;

  g_assert (WH_IS_DATA_PAGE (self));

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files != NULL)
        file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  wh_data_page_load_file (self, file);

  return TRUE;
}

/* GObject */

static void
ensure_style (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display;

  if (provider != NULL || !(display = gdk_display_get_default ()))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/whetstone/Whetstone/wh-data-page.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
wh_data_page_dispose (GObject *object)
{
  WhDataPage *self = (WhDataPage *)object;

  if (self->job != NULL)
    wh_data_import_cancel (self->job);
  g_clear_pointer (&self->job, wh_data_import_unref);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* AdwBin unparents the template's child, the stack. */
  wh_data_page_clear_dataset (self);
  g_clear_object (&self->file);
  g_clear_pointer (&self->tokenizer, wh_tokenizer_unref);
  g_clear_pointer (&self->columns_override, g_strfreev);
  g_clear_pointer (&self->recent_files, g_strfreev);

  G_OBJECT_CLASS (wh_data_page_parent_class)->dispose (object);
}

static void
wh_data_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WhDataPage *self = WH_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_USABLE:
      g_value_set_boolean (value, self->usable);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->job != NULL);
      break;

    case PROP_RECENT_FILES:
      g_value_set_boxed (value, self->recent_files);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_data_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WhDataPage *self = WH_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      wh_data_page_load_file (self, g_value_get_object (value));
      break;

    case PROP_RECENT_FILES:
      wh_data_page_set_recent_files (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_data_page_class_init (WhDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_data_page_dispose;
  object_class->get_property = wh_data_page_get_property;
  object_class->set_property = wh_data_page_set_property;

  /**
   * WhDataPage:file:
   *
   * The dataset file; setting it imports it.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * WhDataPage:usable:
   *
   * Whether the file is loaded, has something to train on and no errors.
   */
  properties[PROP_USABLE] =
    g_param_spec_boolean ("usable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * WhDataPage:busy:
   *
   * Whether a file is being read.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * WhDataPage:recent-files:
   *
   * The paths of the dataset files opened last, newest first: each file
   * that imports with something to train on comes first.  Those still
   * there are offered under the drop target.
   */
  properties[PROP_RECENT_FILES] =
    g_param_spec_boxed ("recent-files", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WH_TYPE_DATA_COLUMNS);
  g_type_ensure (WH_TYPE_DATA_PROBLEMS);
  g_type_ensure (WH_TYPE_DATA_RECENT);
  g_type_ensure (WH_TYPE_DATA_STATS);
  g_type_ensure (WH_TYPE_DATA_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, failed_page);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, banner_title);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, banner_detail);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, file_group);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, reimport_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, file_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, format_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, columns_group);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, stats_group);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, preview_group);
  gtk_widget_class_bind_template_callback_full (widget_class, "kind_row_selected_cb",
                                                G_CALLBACK (_wh_data_page_kind_row_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "format_row_selected_cb",
                                                G_CALLBACK (_wh_data_page_format_row_selected_cb));
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, columns_changed_cb);

  gtk_widget_class_install_action (widget_class, "data-page.choose-file", NULL, wh_data_page_choose_file_action);
  gtk_widget_class_install_action (widget_class, "data-page.reload", NULL, wh_data_page_reload_action);
  gtk_widget_class_install_action (widget_class, "data-page.cancel", NULL, wh_data_page_cancel_action);

  gtk_widget_class_set_css_name (widget_class, "wh-data-page");
}

static void
wh_data_page_init (WhDataPage *self)
{
  GtkDropTarget *target;

  ensure_style ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->kind_override = WH_FILE_KIND_AUTO;
  self->format_override = WH_DATASET_FORMAT_AUTO;

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[2]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  wh_data_page_update_actions (self);
}

/**
 * wh_data_page_new:
 *
 * Returns: (transfer floating): a new, empty data page
 */
GtkWidget *
wh_data_page_new (void)
{
  return g_object_new (WH_TYPE_DATA_PAGE, NULL);
}

/**
 * wh_data_page_load_file:
 * @self: a #WhDataPage
 * @file: (nullable): the dataset, or %NULL to go back to the empty page
 *
 * Imports @file on a worker thread; the page shows the progress and then
 * the result.  Choices made for the previous file are forgotten.
 */
void
wh_data_page_load_file (WhDataPage *self,
                        GFile      *file)
{
  g_return_if_fail (WH_IS_DATA_PAGE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  self->kind_override = WH_FILE_KIND_AUTO;
  self->format_override = WH_DATASET_FORMAT_AUTO;
  g_clear_pointer (&self->columns_override, g_strfreev);

  if (file == NULL)
    {
      wh_data_page_cancel_action (GTK_WIDGET (self), NULL, NULL);
      return;
    }

  wh_data_page_set_file (self, file);
  _wh_data_page_start_import (self, IMPORT_NEW_FILE);
}

/**
 * wh_data_page_get_dataset:
 * @self: a #WhDataPage
 *
 * Returns: (transfer none) (nullable): the dataset shown, or %NULL
 */
WhDataset *
wh_data_page_get_dataset (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), NULL);

  return self->dataset;
}

/**
 * wh_data_page_get_file:
 * @self: a #WhDataPage
 *
 * Returns: (transfer none) (nullable): the file chosen, or %NULL
 */
GFile *
wh_data_page_get_file (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), NULL);

  return self->file;
}

gboolean
wh_data_page_get_usable (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), FALSE);

  return self->usable;
}

gboolean
wh_data_page_get_busy (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), FALSE);

  return self->job != NULL;
}

/**
 * wh_data_page_set_tokenizer:
 * @self: a #WhDataPage
 * @tokenizer: (nullable): the chosen model's tokenizer
 *
 * Token counts use @tokenizer and its chat template; the file is read
 * again, keeping the user's choices.
 */
void
wh_data_page_set_tokenizer (WhDataPage  *self,
                            WhTokenizer *tokenizer)
{
  g_return_if_fail (WH_IS_DATA_PAGE (self));

  if (self->tokenizer == tokenizer)
    return;

  g_clear_pointer (&self->tokenizer, wh_tokenizer_unref);
  if (tokenizer != NULL)
    self->tokenizer = wh_tokenizer_ref (tokenizer);

  if (self->file != NULL && (self->dataset != NULL || self->job != NULL))
    _wh_data_page_start_import (self, IMPORT_AGAIN);
}

/**
 * wh_data_page_get_tokenizer:
 * @self: a #WhDataPage
 *
 * Returns: (transfer none) (nullable): the tokenizer counting tokens
 */
WhTokenizer *
wh_data_page_get_tokenizer (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), NULL);

  return self->tokenizer;
}

/**
 * wh_data_page_set_recent_files:
 * @self: a #WhDataPage
 * @paths: (nullable): dataset files, newest first
 *
 * Offers those of @paths still there under the drop target.
 */
void
wh_data_page_set_recent_files (WhDataPage         *self,
                               const char * const *paths)
{
  g_return_if_fail (WH_IS_DATA_PAGE (self));

  if (self->recent_files != NULL && paths != NULL &&
      g_strv_equal ((const char * const *) self->recent_files, paths))
    return;

  g_clear_pointer (&self->recent_files, g_strfreev);
  self->recent_files = g_strdupv ((char **) paths);
  wh_data_recent_set_paths (self->recent_group, paths);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_FILES]);
}

/**
 * wh_data_page_get_recent_files:
 * @self: a #WhDataPage
 *
 * Returns: (transfer none) (nullable): the recent dataset files, newest
 *   first
 */
const char * const *
wh_data_page_get_recent_files (WhDataPage *self)
{
  g_return_val_if_fail (WH_IS_DATA_PAGE (self), NULL);

  return (const char * const *) self->recent_files;
}
