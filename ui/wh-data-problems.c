/* wh-data-problems.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-data-page-private.h"
#include "wh-data-problems.h"

/* The Data step's problems: what the dataset doctor found, one expander
 * per category and one row per problem.  A problem of a row shows that
 * row, as the engine's reader sees it, in a dialog; it is read on a
 * worker thread. */

#define RAW_MAX_BYTES (64 * 1024)
#define RAW_MAX_LINES 40

struct _WhDataProblems
{
  AdwPreferencesGroup  parent_instance;

  char                *path;            /* the file the problems are in */
  WhFileKind           kind;
  GPtrArray           *problem_rows;    /* AdwExpanderRow */
  GCancellable        *raw_cancellable;
};

G_DEFINE_FINAL_TYPE (WhDataProblems, wh_data_problems, ADW_TYPE_PREFERENCES_GROUP)

static const char *
category_display_name (WhProblemCategory category)
{
  switch (category)
    {
    case WH_PROBLEM_UNREADABLE:      return _("Rows that cannot be read");
    case WH_PROBLEM_MISSING_FIELD:   return _("Missing fields");
    case WH_PROBLEM_UNKNOWN_FIELD:   return _("Unknown fields");
    case WH_PROBLEM_MIXED_FORMAT:    return _("Rows in another format");
    case WH_PROBLEM_UNKNOWN_ROLE:    return _("Unknown roles");
    case WH_PROBLEM_ROLE_ORDER:      return _("Turns out of order");
    case WH_PROBLEM_EMPTY_CONTENT:   return _("Empty text");
    case WH_PROBLEM_NO_ASSISTANT:    return _("No answer to learn from");
    case WH_PROBLEM_TOO_LONG:        return _("Too long");
    case WH_PROBLEM_DUPLICATE:       return _("Repeated examples");
    case WH_PROBLEM_NEAR_DUPLICATE:  return _("Nearly repeated examples");
    case WH_PROBLEM_SPLIT_OVERLAP:   return _("Examples both trained on and used for checking");
    case WH_PROBLEM_TOO_FEW:         return _("Too few examples");
    case WH_PROBLEM_UNBALANCED:      return _("Uneven lengths");
    case WH_PROBLEM_PERSONAL_DATA:   return _("Possible personal data");
    case WH_PROBLEM_N_CATEGORIES:
    default:                         return _("Other problems");
    }
}

typedef struct
{
  guint64  line;
  char    *message;
  char    *fix;
} ProblemRef;

static void
problem_ref_free (gpointer data)
{
  ProblemRef *ref = data;

  g_free (ref->message);
  g_free (ref->fix);
  g_free (ref);
}

/* What the raw-row worker needs. */
typedef struct
{
  char       *path;
  WhFileKind  kind;
  guint64     line;
  GWeakRef    label;
} RawJob;

static void
raw_job_free (gpointer data)
{
  RawJob *job = data;

  g_free (job->path);
  g_weak_ref_clear (&job->label);
  g_free (job);
}

/* Lines @first to @last of @path as text, cut at RAW_MAX_BYTES. */
static char *
read_raw_lines (const char    *path,
                guint64        first,
                guint64        last,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 line = 0;

  if (!(stream = g_file_read (file, cancellable, error)))
    return NULL;
  data = g_data_input_stream_new (G_INPUT_STREAM (stream));
  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);

  while (line < last)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *bytes = NULL;
      gsize length;

      bytes = g_data_input_stream_read_line (data, &length, cancellable, &local_error);
      if (bytes == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      if (++line < first)
        continue;

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (text->len + length > RAW_MAX_BYTES)
        {
          g_autofree char *valid = g_utf8_make_valid (bytes, RAW_MAX_BYTES - text->len);

          g_string_append (text, valid);
          g_string_append (text, "…");
          break;
        }
      {
        g_autofree char *valid = g_utf8_make_valid (bytes, length);

        g_string_append (text, valid);
      }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The record that starts at @job->line, as the engine's reader sees it:
 * pretty JSON, "column: value" lines, or the text; the raw lines when the
 * record is broken. */
static void
raw_row_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RawJob *job = task_data;
  g_autoptr(WhRecordReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  WhRecord record = { 0 };
  guint64 last = job->line;
  char *text = NULL;

  if ((reader = wh_record_reader_new (job->path, job->kind, NULL)))
    {
      guint64 n = 0;

      while (wh_record_reader_next (reader, &record, NULL) && record.line < job->line)
        if (++n % 1024 == 0 && g_cancellable_is_cancelled (cancellable))
          break;

      if (record.line == job->line && record.error == NULL && !g_cancellable_is_cancelled (cancellable))
        {
          if (record.json != NULL)
            text = json_to_string (record.json, TRUE);
          else if (record.fields != NULL)
            {
              const char * const *names = wh_record_reader_get_columns (reader);
              GString *fields = g_string_new (NULL);

              for (guint i = 0; i < record.fields->len; i++)
                {
                  const char *name = names != NULL && i < g_strv_length ((char **) names) ? names[i] : "";

                  g_string_append_printf (fields, "%s%s: %s", i > 0 ? "\n" : "", name,
                                          (const char *) g_ptr_array_index (record.fields, i));
                }
              text = g_string_free (fields, FALSE);
            }
          else if (record.text != NULL)
            text = g_strdup (record.text);
        }
      if (record.line == job->line)
        last = MAX (record.end_line, job->line);
      wh_record_clear (&record);
    }

  if (text == NULL)
    text = read_raw_lines (job->path, job->line, MIN (last, job->line + RAW_MAX_LINES - 1), cancellable, &error);

  if (text != NULL && strlen (text) > RAW_MAX_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + RAW_MAX_BYTES + 1);
      char *shorter = g_strdup_printf ("%.*s…", (int) (end - text), text);

      g_free (text);
      text = shorter;
    }

  if (text == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, text, g_free);
}

static void
raw_row_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RawJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GtkLabel) label = g_weak_ref_get (&job->label);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = g_task_propagate_pointer (G_TASK (result), &error);
  if (label == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (text == NULL)
    {
      /* Translators: %s says why, e.g. “No such file or directory” */
      g_autofree char *message = g_strdup_printf (_("The row cannot be shown: %s"), error->message);

      gtk_label_set_text (label, message);
      return;
    }

  gtk_label_set_text (label, text);
}

static void
show_problem (WhDataProblems   *self,
              const ProblemRef *ref)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *line = NULL;
  GtkWidget *dialog;
  GtkWidget *scroller;
  GtkWidget *label;
  GtkRoot *root;
  RawJob *job;

  g_assert (WH_IS_DATA_PROBLEMS (self));
  g_assert (ref->line > 0);

  if (self->path == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  line = _wh_data_format_count (ref->line);
  /* Translators: %s is a line number */
  heading = g_strdup_printf (_("Line %s"), line);
  body = g_strdup_printf ("%s\n\n%s", ref->message, ref->fix);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  label = gtk_label_new (_("Reading the row…"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "wh-raw-row");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The row as it is in the file"),
                                  -1);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_widget_add_css_class (scroller, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  g_cancellable_cancel (self->raw_cancellable);
  g_clear_object (&self->raw_cancellable);
  self->raw_cancellable = g_cancellable_new ();

  job = g_new0 (RawJob, 1);
  job->path = g_strdup (self->path);
  job->kind = self->kind;
  job->line = ref->line;
  g_weak_ref_init (&job->label, label);

  task = g_task_new (NULL, self->raw_cancellable, raw_row_done_cb, NULL);
  g_task_set_source_tag (task, show_problem);
  g_task_set_task_data (task, job, raw_job_free);
  g_task_run_in_thread (task, raw_row_worker);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
problem_row_activated_cb (WhDataProblems *self,
                          AdwActionRow   *row)
{
  g_assert (WH_IS_DATA_PROBLEMS (self));

  show_problem (self, g_object_get_data (G_OBJECT (row), "wh-problem"));
}

static GtkWidget *
severity_icon (WhProblemSeverity severity)
{
  GtkWidget *icon;

  if (severity == WH_PROBLEM_ERROR)
    {
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"), -1);
    }
  else
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
    }

  return icon;
}

static GtkWidget *
create_problem_row (WhDataProblems  *self,
                    const WhProblem *problem)
{
  g_autofree char *title = NULL;
  GtkWidget *row;

  if (problem->line > 0)
    {
      g_autofree char *line = _wh_data_format_count (problem->line);

      /* Translators: a problem of one row: “Line 12: There is no assistant answer to learn from.” */
      title = g_strdup_printf (_("Line %s: %s"), line, problem->message);
    }
  else
    title = g_strdup (problem->message);

  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "title", title,
                      "subtitle", problem->fix,
                      "use-markup", FALSE,
                      "activatable", problem->line > 0,
                      NULL);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), severity_icon (problem->severity));

  if (problem->line > 0)
    {
      ProblemRef *ref = g_new0 (ProblemRef, 1);

      ref->line = problem->line;
      ref->message = g_strdup (problem->message);
      ref->fix = g_strdup (problem->fix);
      g_object_set_data_full (G_OBJECT (row), "wh-problem", ref, problem_ref_free);
      gtk_widget_set_tooltip_text (row, _("Show this row"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect_object (row, "activated", G_CALLBACK (problem_row_activated_cb), self, G_CONNECT_SWAPPED);
    }

  return row;
}

void
wh_data_problems_set_dataset (WhDataProblems *self,
                              WhDataset      *dataset,
                              GFile          *file)
{
  const WhDatasetStats *stats;
  GPtrArray *problems;
  guint errors[WH_PROBLEM_N_CATEGORIES] = { 0 };
  guint warnings[WH_PROBLEM_N_CATEGORIES] = { 0 };
  GtkWidget *expanders[WH_PROBLEM_N_CATEGORIES] = { NULL };

  g_return_if_fail (WH_IS_DATA_PROBLEMS (self));
  g_return_if_fail (dataset == NULL || G_IS_FILE (file));

  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
  g_clear_pointer (&self->path, g_free);

  if (dataset == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  self->path = g_file_get_path (file);
  self->kind = wh_dataset_get_kind (dataset);
  stats = wh_dataset_get_stats (dataset);
  problems = wh_dataset_get_problems (dataset);
  gtk_widget_set_visible (GTK_WIDGET (self), problems->len > 0);

  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *problem = g_ptr_array_index (problems, i);

      if (problem->category >= WH_PROBLEM_N_CATEGORIES)
        continue;
      if (problem->severity == WH_PROBLEM_ERROR)
        errors[problem->category]++;
      else
        warnings[problem->category]++;
    }

  /* Categories in the engine's order, which puts unreadable rows first. */
  for (guint c = 0; c < WH_PROBLEM_N_CATEGORIES; c++)
    {
      g_autofree char *subtitle = NULL;
      guint listed = errors[c] + warnings[c];
      guint total = MAX (listed, stats->problem_counts[c]);
      GtkWidget *expander;

      if (listed == 0)
        continue;

      /* Problems beyond the ones kept are counted with the kept ones' severity. */
      if (errors[c] > 0 && warnings[c] == 0)
        subtitle = g_strdup_printf (ngettext ("%'u error", "%'u errors", total), total);
      else if (errors[c] == 0)
        subtitle = g_strdup_printf (ngettext ("%'u warning", "%'u warnings", total), total);
      else
        {
          g_autofree char *n_errors = NULL;
          g_autofree char *n_warnings = NULL;

          n_errors = g_strdup_printf (ngettext ("%'u error", "%'u errors", errors[c]), errors[c]);
          n_warnings = g_strdup_printf (ngettext ("%'u warning", "%'u warnings", total - errors[c]),
                                        total - errors[c]);
          /* Translators: “3 errors, 1 warning” */
          subtitle = g_strdup_printf (_("%s, %s"), n_errors, n_warnings);
        }

      expander = g_object_new (ADW_TYPE_EXPANDER_ROW,
                               "title", category_display_name (c),
                               "subtitle", subtitle,
                               "use-markup", FALSE,
                               "expanded", errors[c] > 0 && listed <= 20,
                               NULL);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (expander),
                                   severity_icon (errors[c] > 0 ? WH_PROBLEM_ERROR : WH_PROBLEM_WARNING));
      expanders[c] = expander;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), expander);
      g_ptr_array_add (self->problem_rows, expander);

      if (total > listed)
        {
          g_autofree char *more = NULL;
          GtkWidget *row;

          more = g_strdup_printf (ngettext ("And %'u more, not listed", "And %'u more, not listed", total - listed),
                                  total - listed);
          row = g_object_new (ADW_TYPE_ACTION_ROW, "title", more, "use-markup", FALSE, NULL);
          gtk_widget_add_css_class (row, "dim-label");
          g_object_set_data (G_OBJECT (expander), "wh-more-row", row);
        }
    }

  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *problem = g_ptr_array_index (problems, i);

      if (problem->category < WH_PROBLEM_N_CATEGORIES && expanders[problem->category] != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expanders[problem->category]),
                                  create_problem_row (self, problem));
    }

  for (guint c = 0; c < WH_PROBLEM_N_CATEGORIES; c++)
    {
      GtkWidget *more = expanders[c] != NULL ? g_object_get_data (G_OBJECT (expanders[c]), "wh-more-row") : NULL;

      if (more != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expanders[c]), more);
    }
}

static void
wh_data_problems_dispose (GObject *object)
{
  WhDataProblems *self = WH_DATA_PROBLEMS (object);

  g_cancellable_cancel (self->raw_cancellable);
  g_clear_object (&self->raw_cancellable);

  G_OBJECT_CLASS (wh_data_problems_parent_class)->dispose (object);
}

static void
wh_data_problems_finalize (GObject *object)
{
  WhDataProblems *self = WH_DATA_PROBLEMS (object);

  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);
  g_free (self->path);

  G_OBJECT_CLASS (wh_data_problems_parent_class)->finalize (object);
}

static void
wh_data_problems_class_init (WhDataProblemsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_data_problems_dispose;
  object_class->finalize = wh_data_problems_finalize;
}

static void
wh_data_problems_init (WhDataProblems *self)
{
  self->problem_rows = g_ptr_array_new ();
}
