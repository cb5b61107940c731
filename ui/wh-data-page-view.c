/* wh-data-page-view.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-page-private.h"

/* What the Data step shows of the file read: the banner saying what
 * blocks the next step, the file group (name, kind, format and why, with
 * the choices that override them), and the dataset's groups. */

/* The combo rows' items, in the order of the .ui file's string lists. */
static const WhFileKind kind_items[] = {
  WH_FILE_KIND_CSV, WH_FILE_KIND_TSV, WH_FILE_KIND_JSONL, WH_FILE_KIND_JSON_ARRAY,
  WH_FILE_KIND_TEXT, WH_FILE_KIND_TEXT_WHOLE,
};

static const WhDatasetFormat format_items[] = {
  WH_DATASET_FORMAT_OPENAI, WH_DATASET_FORMAT_SHAREGPT, WH_DATASET_FORMAT_ALPACA,
  WH_DATASET_FORMAT_PROMPT_COMPLETION, WH_DATASET_FORMAT_TEXT, WH_DATASET_FORMAT_PREFERENCE,
};

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

/* Whether the dataset has an error, and the first one. */
const WhProblem *
_wh_data_page_find_first_error (WhDataset *dataset,
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

void
_wh_data_page_show_stack_page (WhDataPage *self,
                               const char *name)
{
  g_assert (WH_IS_DATA_PAGE (self));

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  /* Files may have gone since the list was last shown. */
  if (g_str_equal (name, "empty"))
    wh_data_recent_set_paths (self->recent_group, (const char * const *) self->recent_files);
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
  first = _wh_data_page_find_first_error (self->dataset, &n_errors);

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

  name = wh_data_import_dup_display_name (self->file);
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

void
_wh_data_page_show_dataset (WhDataPage *self)
{
  g_assert (WH_IS_DATA_PAGE (self));

  wh_data_page_update_file_group (self);
  wh_data_columns_set_columns (self->columns_group, (const char * const *) self->column_names,
                               (const char * const *) self->column_roles);
  wh_data_problems_set_dataset (self->problems_group, self->dataset, self->file);
  wh_data_preview_set_dataset (self->preview_group, self->dataset);
  wh_data_stats_set_dataset (self->stats_group, self->dataset, self->tokenizer != NULL);
  wh_data_page_update_banner (self);
  _wh_data_page_show_stack_page (self, "dataset");
}

/* Combo rows */

void
_wh_data_page_kind_row_selected_cb (WhDataPage  *self,
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
  _wh_data_page_start_import (self, IMPORT_CHOICE);
}

void
_wh_data_page_format_row_selected_cb (WhDataPage  *self,
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
  _wh_data_page_start_import (self, IMPORT_CHOICE);
}
