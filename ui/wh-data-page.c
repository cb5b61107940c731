/* wh-data-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-data-page-private.h"
#include "wh-data-preview.h"
#include "wh-data-problems.h"
#include "wh-data-stats.h"

/* The Data step: the user drops a file (or chooses one), the engine
 * imports it on a worker thread, and the page shows what Whetstone made
 * of it: the format and why, the column mapping for CSV, the first
 * examples as chat bubbles, statistics, and the dataset doctor's problems
 * with their lines.  Errors block the next step; warnings do not.
 *
 * Every import is a job with its own cancellable; the newest one is the
 * only one whose result is shown, and a job never keeps the page alive.
 * The user's file is only ever read. */

#define PREVIEW_EXAMPLES   6
#define PROGRESS_INTERVAL  100  /* ms */

struct _WhDataPage
{
  AdwBin                parent_instance;

  GFile                *file;
  WhTokenizer          *tokenizer;

  /* What is shown.  In "mapping" state (a CSV whose columns the engine
   * could not assign) there are column names but no dataset. */
  WhDataset            *dataset;
  struct _ImportJob    *dataset_job;   /* owns what the dataset's options point to */
  WhFileKind            kind;
  char                **column_names;
  char                **column_roles;  /* the engine's role names, parallel to column_names */
  char                 *override_error;

  /* What the user chose instead of what Whetstone detected; reset for
   * each new file. */
  WhFileKind            kind_override;
  WhDatasetFormat       format_override;
  char                **columns_override;

  struct _ImportJob    *job;           /* in flight, or NULL */
  guint                 progress_source;
  GtkFileChooserNative *chooser;
  GPtrArray            *column_rows;   /* AdwComboRow */

  gboolean              usable;
  gboolean              updating;      /* combo rows are being set, not chosen */

  /* Template widgets */
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *failed_page;
  GtkScrolledWindow    *scroller;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_title;
  GtkLabel             *banner_detail;
  AdwPreferencesGroup  *file_group;
  GtkSpinner           *reimport_spinner;
  AdwActionRow         *file_row;
  AdwComboRow          *kind_row;
  AdwComboRow          *format_row;
  AdwPreferencesGroup  *columns_group;
  WhDataProblems       *problems_group;
  WhDataStats          *stats_group;
  WhDataPreview        *preview_group;
};

enum {
  PROP_0,
  PROP_FILE,
  PROP_USABLE,
  PROP_BUSY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (WhDataPage, wh_data_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* The combo rows' items, in the order of the .ui file's string lists. */
static const WhFileKind kind_items[] = {
  WH_FILE_KIND_CSV, WH_FILE_KIND_TSV, WH_FILE_KIND_JSONL, WH_FILE_KIND_JSON_ARRAY,
  WH_FILE_KIND_TEXT, WH_FILE_KIND_TEXT_WHOLE,
};

static const WhDatasetFormat format_items[] = {
  WH_DATASET_FORMAT_OPENAI, WH_DATASET_FORMAT_SHAREGPT, WH_DATASET_FORMAT_ALPACA,
  WH_DATASET_FORMAT_PROMPT_COMPLETION, WH_DATASET_FORMAT_TEXT, WH_DATASET_FORMAT_PREFERENCE,
};

static const struct {
  const char *role;    /* as wh_dataset_import() spells it */
  const char *label;
} role_items[] = {
  { "user",      N_("User message") },
  { "assistant", N_("Assistant answer") },
  { "system",    N_("System prompt") },
  { "chosen",    N_("Preferred answer") },
  { "rejected",  N_("Rejected answer") },
  { "ignore",    N_("Ignore") },
};

/* Why a file is read: a new file starts from the loading page; the same
 * one again (reload, another tokenizer) or with a choice the user made
 * keeps the page on screen, and a choice that fails is undone. */
typedef enum
{
  IMPORT_NEW_FILE,
  IMPORT_AGAIN,
  IMPORT_CHOICE,
} ImportReason;

/* An import in flight (and, once done, what its dataset points to). */
typedef struct _ImportJob
{
  GWeakRef         page;
  GFile           *file;
  char            *path;
  WhFileKind       kind;
  WhDatasetFormat  format;
  char           **columns;
  WhTokenizer     *tokenizer;
  WhChatTemplate  *chat_template;   /* made on the worker from the tokenizer's */
  GCancellable    *cancellable;
  int              progress;        /* per mille, atomic */
  ImportReason     reason;
} ImportJob;

typedef struct
{
  WhDataset   *dataset;
  GError      *error;
  WhFileKind   kind;
  char       **column_names;  /* CSV/TSV that failed: its columns, to map by hand */
} ImportResult;

static void
import_job_clear (gpointer data)
{
  ImportJob *job = data;

  g_weak_ref_clear (&job->page);
  g_clear_object (&job->file);
  g_clear_pointer (&job->path, g_free);
  g_clear_pointer (&job->columns, g_strfreev);
  g_clear_pointer (&job->tokenizer, wh_tokenizer_unref);
  g_clear_pointer (&job->chat_template, wh_chat_template_free);
  g_clear_object (&job->cancellable);
}

static void
import_job_release (gpointer data)
{
  g_rc_box_release_full (data, import_job_clear);
}

static void
import_result_free (gpointer data)
{
  ImportResult *result = data;

  g_clear_pointer (&result->dataset, wh_dataset_free);
  g_clear_error (&result->error);
  g_clear_pointer (&result->column_names, g_strfreev);
  g_free (result);
}

static const char *
format_display_name (WhDatasetFormat format)
{
  switch (format)
    {
    case WH_DATASET_FORMAT_OPENAI:            return _("OpenAI chat messages");
    case WH_DATASET_FORMAT_SHAREGPT:          return _("ShareGPT conversations");
    case WH_DATASET_FORMAT_ALPACA:            return _("Alpaca instructions");
    case WH_DATASET_FORMAT_PROMPT_COMPLETION: return _("Prompt and completion");
    case WH_DATASET_FORMAT_TEXT:              return _("Plain text");
    case WH_DATASET_FORMAT_PREFERENCE:        return _("Preference pairs");
    case WH_DATASET_FORMAT_COLUMNS:           return _("Questions and answers in columns");
    case WH_DATASET_FORMAT_AUTO:
    default:                                  return _("Unknown");
    }
}

static const char *
kind_display_name (WhFileKind kind)
{
  switch (kind)
    {
    case WH_FILE_KIND_CSV:        return _("CSV");
    case WH_FILE_KIND_TSV:        return _("TSV");
    case WH_FILE_KIND_JSONL:      return _("JSON Lines");
    case WH_FILE_KIND_JSON_ARRAY: return _("JSON");
    case WH_FILE_KIND_TEXT:
    case WH_FILE_KIND_TEXT_WHOLE: return _("Text");
    case WH_FILE_KIND_AUTO:
    default:                      return _("Unknown");
    }
}

char *
_wh_data_format_count (guint64 value)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

static char *
dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return basename != NULL ? g_filename_display_name (basename) : g_file_get_uri (file);
}

/* Whether the dataset has an error, and the first one. */
static const WhProblem *
find_first_error (WhDataset *dataset,
                  guint     *n_errors)
{
  GPtrArray *problems = wh_dataset_get_problems (dataset);
  const WhProblem *first = NULL;

  *n_errors = 0;
  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity != WH_PROBLEM_ERROR)
        continue;
      if (first == NULL)
        first = problem;
      (*n_errors)++;
    }

  return first;
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
    find_first_error (self->dataset, &n_errors);

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
  g_clear_pointer (&self->dataset_job, import_job_release);
  g_clear_pointer (&self->column_names, g_strfreev);
  g_clear_pointer (&self->column_roles, g_strfreev);
  g_clear_pointer (&self->override_error, g_free);
  self->kind = WH_FILE_KIND_AUTO;
}

/* Busy: while a job runs.  Notifies "busy" and "usable" as they change. */
static void
wh_data_page_set_job (WhDataPage *self,
                      ImportJob  *job)
{
  gboolean was_busy;

  g_assert (WH_IS_DATA_PAGE (self));

  was_busy = self->job != NULL;

  if (self->job != NULL)
    {
      g_cancellable_cancel (self->job->cancellable);
      g_clear_pointer (&self->job, import_job_release);
    }
  if (job != NULL)
    self->job = g_rc_box_acquire (job);

  if (self->job == NULL)
    g_clear_handle_id (&self->progress_source, g_source_remove);

  gtk_spinner_set_spinning (self->reimport_spinner, self->job != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reimport_spinner), self->job != NULL);

  wh_data_page_update_actions (self);
  wh_data_page_update_usable (self);

  if (was_busy != (self->job != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
wh_data_page_show_stack_page (WhDataPage *self,
                              const char *name)
{
  g_assert (WH_IS_DATA_PAGE (self));

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* Banner */

static void
wh_data_page_show_banner (WhDataPage *self,
                          const char *title,
                          const char *detail)
{
  g_assert (WH_IS_DATA_PAGE (self));

  if (title == NULL)
    {
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
      return;
    }

  gtk_label_set_text (self->banner_title, title);
  gtk_label_set_text (self->banner_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->banner_detail), detail != NULL);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/* Says what blocks the next step and what to do about it. */
static void
wh_data_page_update_banner (WhDataPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  const WhDatasetStats *stats;
  const WhProblem *first;
  guint n_errors;

  g_assert (WH_IS_DATA_PAGE (self));

  if (self->override_error != NULL)
    {
      wh_data_page_show_banner (self, _("That choice does not fit this file"), self->override_error);
      return;
    }

  if (self->dataset == NULL)
    {
      if (self->column_names != NULL)
        wh_data_page_show_banner (self,
                                  _("Choose which columns hold the questions and the answers"),
                                  _("Set one column to “User message” and one to “Assistant answer”, or, for preference pairs, one to “Preferred answer” and one to “Rejected answer”."));
      else
        wh_data_page_show_banner (self, NULL, NULL);
      return;
    }

  stats = wh_dataset_get_stats (self->dataset);
  first = find_first_error (self->dataset, &n_errors);

  if (first == NULL && wh_dataset_is_usable (self->dataset))
    {
      wh_data_page_show_banner (self, NULL, NULL);
      return;
    }

  if (!wh_dataset_is_usable (self->dataset))
    title = g_strdup (_("There is nothing to train on in this file yet"));
  else if (stats->excluded > 0)
    {
      g_autofree char *excluded = _wh_data_format_count (stats->excluded);

      /* Translators: %s is a number of rows */
      title = g_strdup_printf (ngettext ("%s row has an error and would be left out",
                                         "%s rows have errors and would be left out",
                                         (gulong) MIN (stats->excluded, G_MAXULONG)),
                               excluded);
    }
  else
    title = g_strdup_printf (ngettext ("The file has %u error", "The file has %u errors", n_errors), n_errors);

  if (first != NULL && first->line > 0)
    {
      g_autofree char *line = _wh_data_format_count (first->line);

      /* Translators: “Line 12: Not valid JSON… Correct the JSON on this line… Then reload the file…” */
      detail = g_strdup_printf (_("Line %s: %s %s Then reload the file, or choose another one."),
                                line, first->message, first->fix);
    }
  else if (first != NULL)
    detail = g_strdup_printf (_("%s %s Then reload the file, or choose another one."), first->message, first->fix);
  else
    detail = g_strdup (_("Fix the rows listed under Problems, then reload the file, or choose another one."));

  wh_data_page_show_banner (self, title, detail);
}

/* File group: name, kind, format and why */

static void
wh_data_page_update_file_group (WhDataPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *parent_path = NULL;
  g_autoptr(GFile) parent = NULL;
  gboolean json_kind;
  const char *reason = NULL;

  g_assert (WH_IS_DATA_PAGE (self));
  g_assert (self->file != NULL);

  name = dup_display_name (self->file);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name);

  if (self->dataset != NULL)
    /* Translators: the kind of file and the format of its rows, e.g. “JSON Lines · OpenAI chat messages” */
    summary = g_strdup_printf (_("%s · %s"), kind_display_name (self->kind),
                               format_display_name (wh_dataset_get_format (self->dataset)));
  else
    summary = g_strdup (kind_display_name (self->kind));
  if ((parent = g_file_get_parent (self->file)) && (parent_path = g_file_get_path (parent)))
    {
      g_autofree char *display = g_filename_display_name (parent_path);
      g_autofree char *with_folder = g_strdup_printf ("%s\n%s", summary, display);

      g_free (summary);
      summary = g_steal_pointer (&with_folder);
    }
  adw_action_row_set_subtitle (self->file_row, summary);

  self->updating = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_items); i++)
    if (kind_items[i] == self->kind)
      adw_combo_row_set_selected (self->kind_row, i);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_row), self->kind != WH_FILE_KIND_AUTO);

  json_kind = self->kind == WH_FILE_KIND_JSONL || self->kind == WH_FILE_KIND_JSON_ARRAY;
  gtk_widget_set_visible (GTK_WIDGET (self->format_row), self->dataset != NULL && json_kind);
  if (self->dataset != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (format_items); i++)
      if (format_items[i] == wh_dataset_get_format (self->dataset))
        adw_combo_row_set_selected (self->format_row, i);

  self->updating = FALSE;

  if (self->dataset != NULL)
    reason = wh_dataset_get_reason (self->dataset);
  adw_preferences_group_set_description (self->file_group, reason);
}

/* Columns group: one role per column of a CSV/TSV file */

static const char *
role_of_mapping (const char *mapping,
                 char      **name)
{
  const char *eq = strrchr (mapping, '=');

  if (eq == NULL)
    {
      *name = g_strdup (mapping);
      return "ignore";
    }
  *name = g_strndup (mapping, eq - mapping);
  return eq + 1;
}

static void wh_data_page_start_import (WhDataPage   *self,
                                       ImportReason  reason);

static void
column_row_selected_cb (WhDataPage  *self,
                        GParamSpec  *pspec,
                        AdwComboRow *row)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_assert (WH_IS_DATA_PAGE (self));

  if (self->updating || self->column_names == NULL)
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->column_rows->len && self->column_names[i] != NULL; i++)
    {
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->column_rows, i));
      g_autofree char *mapping = NULL;

      selected = MIN (selected, G_N_ELEMENTS (role_items) - 1);
      mapping = g_strdup_printf ("%s=%s", self->column_names[i], role_items[selected].role);
      g_strv_builder_add (builder, mapping);
    }

  g_clear_pointer (&self->columns_override, g_strfreev);
  self->columns_override = g_strv_builder_end (builder);

  wh_data_page_start_import (self, IMPORT_CHOICE);
}

static void
wh_data_page_update_columns (WhDataPage *self)
{
  gboolean same;

  g_assert (WH_IS_DATA_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), self->column_names != NULL);
  if (self->column_names == NULL)
    return;

  same = self->column_rows->len == g_strv_length (self->column_names);
  for (guint i = 0; same && i < self->column_rows->len; i++)
    same = g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (self->column_rows, i)),
                      self->column_names[i]) == 0;

  if (!same)
    {
      for (guint i = 0; i < self->column_rows->len; i++)
        adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));
      g_ptr_array_set_size (self->column_rows, 0);

      for (guint i = 0; self->column_names[i] != NULL; i++)
        {
          g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
          AdwComboRow *row;

          for (guint r = 0; r < G_N_ELEMENTS (role_items); r++)
            gtk_string_list_append (model, _(role_items[r].label));

          row = g_object_new (ADW_TYPE_COMBO_ROW,
                              "title", self->column_names[i],
                              "use-markup", FALSE,
                              "model", model,
                              NULL);
          g_signal_connect_object (row, "notify::selected",
                                   G_CALLBACK (column_row_selected_cb), self,
                                   G_CONNECT_SWAPPED);
          adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
          g_ptr_array_add (self->column_rows, row);
        }
    }

  self->updating = TRUE;
  for (guint i = 0; i < self->column_rows->len; i++)
    {
      const char *role = self->column_roles != NULL && i < g_strv_length (self->column_roles)
                         ? self->column_roles[i] : "ignore";
      guint selected = G_N_ELEMENTS (role_items) - 1;

      for (guint r = 0; r < G_N_ELEMENTS (role_items); r++)
        if (g_str_equal (role, role_items[r].role))
          selected = r;
      adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, i), selected);
    }
  self->updating = FALSE;
}

/* Shows the state: dataset, or the columns to map by hand. */
static void
wh_data_page_show_dataset (WhDataPage *self)
{
  g_assert (WH_IS_DATA_PAGE (self));

  wh_data_page_update_file_group (self);
  wh_data_page_update_columns (self);
  wh_data_problems_set_dataset (self->problems_group, self->dataset, self->file);
  wh_data_preview_set_dataset (self->preview_group, self->dataset);
  wh_data_stats_set_dataset (self->stats_group, self->dataset, self->tokenizer != NULL);
  wh_data_page_update_banner (self);
  wh_data_page_show_stack_page (self, "dataset");
}

/* Import */

static void
import_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  ImportJob *job = user_data;

  if (total > 0)
    g_atomic_int_set (&job->progress, (int) MIN (1000, done * 1000 / total));
}

static void
import_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  ImportResult *result = g_new0 (ImportResult, 1);
  g_autoptr(GFileInfo) info = NULL;
  WhDatasetOptions options;

  /* Clearer than the engine's "no format fits" for a file with nothing in it. */
  info = g_file_query_info (job->file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_file_info_get_size (info) == 0)
    {
      g_autofree char *name = dup_display_name (job->file);

      g_set_error (&result->error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT,
                   _("“%s” is empty: there is nothing in it to learn from. Choose a file with examples in it."), name);
      g_task_return_pointer (task, result, import_result_free);
      return;
    }
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = dup_display_name (job->file);

      g_set_error (&result->error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPEN,
                   _("“%s” is a folder. Choose one CSV, JSON Lines, JSON or text file."), name);
      g_task_return_pointer (task, result, import_result_free);
      return;
    }

  wh_dataset_options_init (&options);
  options.kind = job->kind;
  options.format = job->format;
  options.columns = (const char * const *) job->columns;
  options.preview = PREVIEW_EXAMPLES;
  if (job->tokenizer != NULL)
    {
      options.tokenizer = job->tokenizer;
      if (wh_tokenizer_get_chat_template (job->tokenizer) != NULL)
        job->chat_template = wh_tokenizer_dup_chat_template (job->tokenizer, NULL);
      options.chat_template = job->chat_template;
    }

  result->dataset = wh_dataset_import (job->path, &options, import_progress, job, cancellable, &result->error);

  if (result->dataset != NULL)
    result->kind = wh_dataset_get_kind (result->dataset);
  else if (!g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(WhRecordReader) reader = wh_record_reader_new (job->path, job->kind, NULL);

      /* A CSV whose columns were not understood can still be mapped by hand. */
      if (reader != NULL)
        {
          result->kind = wh_record_reader_get_kind (reader);
          if ((result->kind == WH_FILE_KIND_CSV || result->kind == WH_FILE_KIND_TSV) &&
              wh_record_reader_get_columns (reader) != NULL)
            result->column_names = g_strdupv ((char **) wh_record_reader_get_columns (reader));
        }
    }

  g_task_return_pointer (task, result, import_result_free);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  ImportJob *job = user_data;
  g_autoptr(WhDataPage) self = g_weak_ref_get (&job->page);
  ImportResult *result;

  result = g_task_propagate_pointer (G_TASK (async_result), NULL);

  /* Dropped: the page is gone, or a newer load replaced this one. */
  if (self == NULL || self->job != job || result == NULL)
    {
      g_clear_pointer (&result, import_result_free);
      import_job_release (job);
      return;
    }

  if (result->dataset != NULL)
    {
      const char * const *mapping = wh_dataset_get_columns (result->dataset);

      wh_data_page_clear_dataset (self);
      self->dataset = g_steal_pointer (&result->dataset);
      self->dataset_job = g_rc_box_acquire (job);
      self->kind = result->kind;
      if (mapping != NULL)
        {
          guint n = g_strv_length ((char **) mapping);

          self->column_names = g_new0 (char *, n + 1);
          self->column_roles = g_new0 (char *, n + 1);
          for (guint i = 0; i < n; i++)
            self->column_roles[i] = g_strdup (role_of_mapping (mapping[i], &self->column_names[i]));
        }
    }
  else if (result->column_names != NULL)
    {
      g_auto(GStrv) roles = NULL;

      /* Keep the roles the user was choosing; start from "ignore". */
      roles = g_new0 (char *, g_strv_length (result->column_names) + 1);
      for (guint i = 0; result->column_names[i] != NULL; i++)
        {
          const char *role = "ignore";

          for (guint j = 0; self->columns_override != NULL && self->columns_override[j] != NULL; j++)
            {
              g_autofree char *name = NULL;
              const char *mapped = role_of_mapping (self->columns_override[j], &name);

              if (g_str_equal (name, result->column_names[i]))
                role = mapped;
            }
          roles[i] = g_strdup (role);
        }

      wh_data_page_clear_dataset (self);
      self->kind = result->kind;
      self->column_names = g_steal_pointer (&result->column_names);
      self->column_roles = g_steal_pointer (&roles);
    }
  else if (job->reason == IMPORT_CHOICE && self->dataset != NULL)
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
      wh_data_page_show_dataset (self);
      /* Said once, next to the choice it is about. */
      g_clear_pointer (&self->override_error, g_free);
    }
  else
    wh_data_page_show_stack_page (self, "failed");

  import_result_free (result);
  import_job_release (job);
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  WhDataPage *self = user_data;

  if (self->job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, g_atomic_int_get (&self->job->progress) / 1000.0);

  return G_SOURCE_CONTINUE;
}

/* Reads self->file with the current choices. */
static void
wh_data_page_start_import (WhDataPage   *self,
                           ImportReason  reason)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  g_autofree char *loading = NULL;
  ImportJob *job;

  g_assert (WH_IS_DATA_PAGE (self));
  g_assert (self->file != NULL);

  job = g_rc_box_new0 (ImportJob);
  g_weak_ref_init (&job->page, self);
  job->file = g_object_ref (self->file);
  job->path = g_file_get_path (self->file);
  job->kind = self->kind_override;
  job->format = self->format_override;
  job->columns = g_strdupv (self->columns_override);
  job->tokenizer = self->tokenizer != NULL ? wh_tokenizer_ref (self->tokenizer) : NULL;
  job->cancellable = g_cancellable_new ();
  job->reason = reason;

  wh_data_page_set_job (self, job);

  if (job->path == NULL)
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
      wh_data_page_show_stack_page (self, "failed");
      import_job_release (job);
      return;
    }

  if (reason == IMPORT_NEW_FILE || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "dataset") != 0)
    {
      name = dup_display_name (self->file);
      /* Translators: %s is a file name */
      loading = g_strdup_printf (_("Reading “%s”…"), name);
      gtk_label_set_text (self->loading_label, loading);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      wh_data_page_show_stack_page (self, "loading");
    }

  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL, progress_tick_cb, self);

  task = g_task_new (NULL, job->cancellable, import_done_cb, g_rc_box_acquire (job));
  g_task_set_source_tag (task, wh_data_page_start_import);
  g_task_set_task_data (task, job, import_job_release);
  g_task_run_in_thread (task, import_worker);
}

/* Combo rows */

static void
kind_row_selected_cb (WhDataPage  *self,
                      GParamSpec  *pspec,
                      AdwComboRow *row)
{
  guint selected;

  g_assert (WH_IS_DATA_PAGE (self));

  selected = adw_combo_row_get_selected (self->kind_row);
  if (self->updating || self->file == NULL || selected >= G_N_ELEMENTS (kind_items))
    return;

  /* Another kind of file has other formats and columns: detect them again. */
  self->kind_override = kind_items[selected];
  self->format_override = WH_DATASET_FORMAT_AUTO;
  g_clear_pointer (&self->columns_override, g_strfreev);
  wh_data_page_start_import (self, IMPORT_CHOICE);
}

static void
format_row_selected_cb (WhDataPage  *self,
                        GParamSpec  *pspec,
                        AdwComboRow *row)
{
  guint selected;

  g_assert (WH_IS_DATA_PAGE (self));

  selected = adw_combo_row_get_selected (self->format_row);
  if (self->updating || self->file == NULL || selected >= G_N_ELEMENTS (format_items))
    return;

  self->kind_override = self->kind;
  self->format_override = format_items[selected];
  wh_data_page_start_import (self, IMPORT_CHOICE);
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

static void
wh_data_page_choose_file_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  WhDataPage *self = WH_DATA_PAGE (widget);
  GtkFileChooser *chooser;
  GtkRoot *root;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  root = gtk_widget_get_root (widget);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Dataset"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  chooser = GTK_FILE_CHOOSER (self->chooser);

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

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
wh_data_page_reload_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  WhDataPage *self = WH_DATA_PAGE (widget);

  if (self->file != NULL)
    wh_data_page_start_import (self, IMPORT_AGAIN);
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
  wh_data_page_show_stack_page (self, "empty");
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
    g_cancellable_cancel (self->job->cancellable);
  g_clear_pointer (&self->job, import_job_release);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* AdwBin unparents the template's child, the stack. */
  wh_data_page_clear_dataset (self);
  g_clear_object (&self->file);
  g_clear_pointer (&self->tokenizer, wh_tokenizer_unref);
  g_clear_pointer (&self->columns_override, g_strfreev);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WH_TYPE_DATA_PROBLEMS);
  g_type_ensure (WH_TYPE_DATA_STATS);
  g_type_ensure (WH_TYPE_DATA_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WhDataPage, empty_page);
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
  gtk_widget_class_bind_template_callback (widget_class, kind_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_row_selected_cb);

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
  self->column_rows = g_ptr_array_new ();

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
  wh_data_page_start_import (self, IMPORT_NEW_FILE);
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
    wh_data_page_start_import (self, IMPORT_AGAIN);
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
