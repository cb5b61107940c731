/* wh-histogram.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-histogram.h"

/* How long the examples are: one bar per bin of lengths, drawn with
 * GtkSnapshot in the widget's CSS colour, the longest bar's count on the
 * left, the lengths under the bars, and each bar's numbers in a tooltip. */

#define MAX_BINS   64
#define BAR_GAP    2.0f
#define LABEL_GAP  6.0f

struct _WhHistogram
{
  GtkWidget  parent_instance;

  guint      counts[MAX_BINS];
  guint      first_bin;   /* the first non-empty bin… */
  guint      n_bins;      /* …and how many from there to the last one */
  guint      bin_width;
  guint      peak;
};

G_DEFINE_FINAL_TYPE (WhHistogram, wh_histogram, GTK_TYPE_WIDGET)

static PangoLayout *
create_label (WhHistogram *self,
              const char  *text,
              int         *width,
              int         *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  pango_layout_get_pixel_size (layout, width, height);

  return layout;
}

static char *
format_count (guint count)
{
  return g_strdup_printf ("%'u", count);
}

/* The plot's rectangle inside the widget, leaving room for the labels. */
static void
get_plot_area (WhHistogram     *self,
               graphene_rect_t *area)
{
  g_autoptr(PangoLayout) peak_layout = NULL;
  g_autofree char *peak_text = format_count (self->peak);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int label_w, label_h;

  peak_layout = create_label (self, peak_text, &label_w, &label_h);

  graphene_rect_init (area,
                      label_w + LABEL_GAP,
                      label_h / 2.0f,
                      MAX (0.0f, width - label_w - LABEL_GAP),
                      MAX (0.0f, height - label_h / 2.0f - label_h - LABEL_GAP));
}

static void
append_label (GtkSnapshot *snapshot,
              PangoLayout *layout,
              float        x,
              float        y,
              const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
wh_histogram_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  WhHistogram *self = WH_HISTOGRAM (widget);
  g_autoptr(PangoLayout) peak_layout = NULL;
  g_autoptr(PangoLayout) start_layout = NULL;
  g_autoptr(PangoLayout) end_layout = NULL;
  g_autofree char *peak_text = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  guint end;
  graphene_rect_t area;
  GdkRGBA color;
  GdkRGBA text_color;
  GdkRGBA axis_color;
  float bar_width;
  int w, h;

  if (self->n_bins == 0 || self->peak == 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* The bars take the accent colour from CSS; text and axis are drawn in
   * the window's foreground colour, dimmed, so both themes read well. */
  text_color = (GdkRGBA) { 0, 0, 0, 0.55f };
  {
    GtkWidget *parent = gtk_widget_get_parent (widget);

    if (parent != NULL)
      {
        G_GNUC_BEGIN_IGNORE_DEPRECATIONS
        gtk_style_context_get_color (gtk_widget_get_style_context (parent), &text_color);
        G_GNUC_END_IGNORE_DEPRECATIONS
        text_color.alpha *= 0.55f;
      }
  }
  axis_color = text_color;
  axis_color.alpha *= 0.5f;

  get_plot_area (self, &area);
  if (area.size.width <= 0 || area.size.height <= 0)
    return;

  bar_width = area.size.width / self->n_bins;

  for (guint i = 0; i < self->n_bins; i++)
    {
      guint count = self->counts[self->first_bin + i];
      float bar_height = area.size.height * count / (float) self->peak;
      graphene_rect_t bar;

      if (count == 0)
        continue;
      /* Even a single example gets a visible bar. */
      bar_height = MAX (bar_height, 2.0f);
      graphene_rect_init (&bar,
                          area.origin.x + i * bar_width + BAR_GAP / 2,
                          area.origin.y + area.size.height - bar_height,
                          MAX (1.0f, bar_width - BAR_GAP),
                          bar_height);
      gtk_snapshot_append_color (snapshot, &color, &bar);
    }

  gtk_snapshot_append_color (snapshot, &axis_color,
                             &GRAPHENE_RECT_INIT (area.origin.x,
                                                  area.origin.y + area.size.height,
                                                  area.size.width, 1));

  peak_text = format_count (self->peak);
  peak_layout = create_label (self, peak_text, &w, &h);
  append_label (snapshot, peak_layout, 0, area.origin.y - h / 2.0f, &text_color);

  start_text = format_count (self->first_bin * self->bin_width);
  start_layout = create_label (self, start_text, &w, &h);
  append_label (snapshot, start_layout, area.origin.x,
                area.origin.y + area.size.height + LABEL_GAP / 2, &text_color);

  end = (self->first_bin + self->n_bins) * self->bin_width;
  /* Translators: the right end of the histogram's axis, e.g. “2,048 tokens” */
  end_text = g_strdup_printf (ngettext ("%'u token", "%'u tokens", end), end);
  end_layout = create_label (self, end_text, &w, &h);
  append_label (snapshot, end_layout, area.origin.x + area.size.width - w,
                area.origin.y + area.size.height + LABEL_GAP / 2, &text_color);
}

static void
wh_histogram_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 480;
    }
  else
    {
      *minimum = 96;
      *natural = 140;
    }
}

static gboolean
wh_histogram_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  WhHistogram *self = WH_HISTOGRAM (widget);
  g_autofree char *text = NULL;
  graphene_rect_t area;
  guint bin, count;

  if (self->n_bins == 0)
    return FALSE;

  get_plot_area (self, &area);
  if (keyboard_mode || x < area.origin.x || x >= area.origin.x + area.size.width)
    return FALSE;

  bin = self->first_bin + MIN (self->n_bins - 1, (guint) ((x - area.origin.x) / (area.size.width / self->n_bins)));
  count = self->counts[bin];

  /* Translators: a histogram bar's tooltip: “12 examples of 256–511 tokens” */
  text = g_strdup_printf (ngettext ("%'u example of %'u–%'u tokens", "%'u examples of %'u–%'u tokens", count),
                          count, bin * self->bin_width, (bin + 1) * self->bin_width - 1);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
wh_histogram_class_init (WhHistogramClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = wh_histogram_snapshot;
  widget_class->measure = wh_histogram_measure;
  widget_class->query_tooltip = wh_histogram_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "wh-histogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wh_histogram_init (WhHistogram *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
wh_histogram_new (void)
{
  return g_object_new (WH_TYPE_HISTOGRAM, NULL);
}

void
wh_histogram_set_counts (WhHistogram *self,
                         const guint *counts,
                         guint        n_counts,
                         guint        bin_width)
{
  g_autoptr(GString) description = NULL;

  g_return_if_fail (WH_IS_HISTOGRAM (self));
  g_return_if_fail (counts != NULL || n_counts == 0);

  n_counts = MIN (n_counts, MAX_BINS);
  memset (self->counts, 0, sizeof self->counts);
  self->first_bin = 0;
  self->n_bins = 0;
  self->peak = 0;
  self->bin_width = MAX (bin_width, 1);

  for (guint i = 0; i < n_counts; i++)
    {
      self->counts[i] = counts[i];
      self->peak = MAX (self->peak, counts[i]);
      if (counts[i] == 0)
        continue;
      if (self->n_bins == 0)
        self->first_bin = i;
      self->n_bins = i + 1 - self->first_bin;
    }

  /* What a screen reader says instead of the picture. */
  description = g_string_new (NULL);
  for (guint i = self->first_bin; i < self->first_bin + self->n_bins; i++)
    {
      if (self->counts[i] == 0)
        continue;
      if (description->len > 0)
        g_string_append (description, "; ");
      g_string_append_printf (description,
                              ngettext ("%'u example of %'u–%'u tokens", "%'u examples of %'u–%'u tokens",
                                           self->counts[i]),
                              self->counts[i], i * self->bin_width, (i + 1) * self->bin_width - 1);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lengths of the examples in tokens"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_histogram_get_n_bins (WhHistogram *self)
{
  g_return_val_if_fail (WH_IS_HISTOGRAM (self), 0);

  return self->n_bins;
}
