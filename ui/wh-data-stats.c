/* wh-data-stats.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-page-private.h"
#include "wh-data-stats.h"
#include "wh-histogram.h"

/* The Data step's statistics: examples, rows left out, turns, and, once
 * a model's tokenizer counts them, tokens and the lengths' histogram. */

struct _WhDataStats
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwActionRow        *examples_row;
  GtkLabel            *examples_label;
  AdwActionRow        *excluded_row;
  GtkLabel            *excluded_label;
  AdwActionRow        *turns_row;
  GtkLabel            *turns_label;
  AdwActionRow        *tokens_row;
  GtkLabel            *tokens_label;
  AdwActionRow        *train_tokens_row;
  GtkLabel            *train_tokens_label;
  GtkWidget           *histogram_row;
  WhHistogram         *histogram;
  AdwActionRow        *no_tokens_row;
};

G_DEFINE_FINAL_TYPE (WhDataStats, wh_data_stats, ADW_TYPE_PREFERENCES_GROUP)

static void
set_count_label (GtkLabel *label,
                 guint64   value)
{
  g_autofree char *text = _wh_data_format_count (value);

  gtk_label_set_text (label, text);
}

/* GObject */

static void
wh_data_stats_class_init (WhDataStatsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (WH_TYPE_HISTOGRAM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-data-stats.ui");
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, examples_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, examples_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, excluded_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, excluded_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, turns_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, turns_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, tokens_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, tokens_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, train_tokens_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, train_tokens_label);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, histogram_row);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, histogram);
  gtk_widget_class_bind_template_child (widget_class, WhDataStats, no_tokens_row);
}

static void
wh_data_stats_init (WhDataStats *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
wh_data_stats_set_dataset (WhDataStats *self,
                           WhDataset   *dataset,
                           gboolean     counts_tokens)
{
  const WhDatasetStats *stats;
  g_autofree char *examples = NULL;
  g_autofree char *train = NULL;
  g_autofree char *validation = NULL;
  g_autofree char *lengths = NULL;
  gboolean have_tokens;

  g_return_if_fail (WH_IS_DATA_STATS (self));

  gtk_widget_set_visible (GTK_WIDGET (self), dataset != NULL);
  if (dataset == NULL)
    return;

  stats = wh_dataset_get_stats (dataset);

  set_count_label (self->examples_label, stats->examples);
  /* Translators: below the number of examples */
  train = _wh_data_format_count (stats->train_examples);
  validation = _wh_data_format_count (stats->val_examples);
  examples = g_strdup_printf (_("%s to train on, %s kept aside to check progress"), train, validation);
  adw_action_row_set_subtitle (self->examples_row, examples);

  set_count_label (self->excluded_label, stats->excluded);
  gtk_widget_set_visible (GTK_WIDGET (self->excluded_row), stats->excluded > 0);

  set_count_label (self->turns_label, stats->turns);

  have_tokens = stats->tokens > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->tokens_row), have_tokens);
  gtk_widget_set_visible (GTK_WIDGET (self->train_tokens_row), have_tokens);
  gtk_widget_set_visible (self->histogram_row, have_tokens);
  gtk_widget_set_visible (GTK_WIDGET (self->no_tokens_row), !have_tokens && !counts_tokens);

  if (have_tokens)
    {
      set_count_label (self->tokens_label, stats->tokens);
      /* Translators: lengths of the examples in tokens */
      lengths = g_strdup_printf (_("Shortest %'u, median %'u, 95%% up to %'u, longest %'u"),
                                 stats->tokens_min, stats->tokens_median, stats->tokens_p95, stats->tokens_max);
      adw_action_row_set_subtitle (self->tokens_row, lengths);
      set_count_label (self->train_tokens_label, stats->train_tokens);
      wh_histogram_set_counts (self->histogram, stats->histogram, G_N_ELEMENTS (stats->histogram),
                               stats->histogram_bin);
    }
}

