/* wh-loss-chart.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "wh-loss-chart-axis.h"
#include "wh-loss-chart-private.h"
#include "wh-train-run.h"

/* The loss of a training run against its steps, drawn with GtkSnapshot:
 * every step's training loss as a faint line with a smoothed line over
 * it, the validation loss as points joined by a line, epoch boundaries,
 * axes with round tick values, and the values of the step under the
 * pointer (or chosen with the arrow keys) in a label on the chart.  The
 * x axis spans the whole run from the start, so the lines grow to the
 * right as it trains.  Colours come from the theme: the accent colour
 * and the text colour, so dark mode reads as well as light. */

#define PAD          6.0f
#define LABEL_GAP    6.0f
#define SWATCH_W     16.0f
#define POINT_RADIUS 3.0f

struct _WhLossChart
{
  GtkWidget  parent_instance;

  GArray    *history;  /* of WhTrainProgress */
  GArray    *smoothed; /* of double, one per step */
  int        hover;    /* index into the history, or -1 */
};

G_DEFINE_FINAL_TYPE (WhLossChart, wh_loss_chart, GTK_TYPE_WIDGET)

typedef struct
{
  GdkRGBA          fg;
  GdkRGBA          dim;
  GdkRGBA          grid;
  GdkRGBA          train;
  GdkRGBA          train_raw;
  GdkRGBA          val;
  GdkRGBA          popover_bg;
  GdkRGBA          popover_fg;
  graphene_rect_t  plot;
  double           x_lo, x_hi, x_step;
  double           y_lo, y_hi, y_step;
  guint            n_y_ticks;
  int              y_decimals;
} Frame;

/* Colours */

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
frame_colors (WhLossChart *self,
              Frame       *frame)
{
  GtkWidget *widget = GTK_WIDGET (self);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &frame->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  frame->dim = frame->fg;
  frame->dim.alpha *= 0.6f;
  frame->grid = frame->fg;
  frame->grid.alpha *= 0.1f;

  lookup_color (widget, "accent_color", &frame->train, "#1c71d8");
  frame->train_raw = frame->train;
  frame->train_raw.alpha *= 0.3f;
  lookup_color (widget, "orange_3", &frame->val, "#ff7800");
  lookup_color (widget, "popover_bg_color", &frame->popover_bg, "#ffffff");
  lookup_color (widget, "popover_fg_color", &frame->popover_fg, "rgba(0,0,0,0.8)");
}

/* Layout */

static PangoLayout *
create_label (WhLossChart *self,
              const char  *text,
              gboolean     small,
              int         *width,
              int         *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, width, height);

  return layout;
}

static void
append_label (GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              float          x,
              float          y,
              const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static const WhTrainProgress *
progress_at (WhLossChart *self,
             guint        i)
{
  return &g_array_index (self->history, WhTrainProgress, i);
}

static guint
n_steps (WhLossChart *self)
{
  return self->history != NULL ? self->history->len : 0;
}

static void
recompute_smoothed (WhLossChart *self)
{
  _wh_loss_chart_smooth (self->history, self->smoothed);
}

static gboolean
compute_frame (WhLossChart *self,
               Frame       *frame)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double y_min, y_max;
  int label_w = 0, label_h = 0, w, h;
  guint target;

  if (n_steps (self) == 0)
    return FALSE;
  /* The history grew without wh_loss_chart_changed(). */
  if (self->smoothed->len != n_steps (self))
    recompute_smoothed (self);

  if (!_wh_loss_chart_loss_range (self->history, &y_min, &y_max))
    return FALSE;

  /* Rows of text: the legend above, tick labels and the axis title
   * below. */
  {
    g_autoptr(PangoLayout) probe = create_label (self, "0123456789", TRUE, &w, &label_h);
  }

  target = CLAMP ((height - 3 * label_h) / 48, 2, 8);
  frame->n_y_ticks = _wh_loss_chart_loss_ticks (y_min, y_max, target,
                                                &frame->y_lo, &frame->y_hi, &frame->y_step,
                                                &frame->y_decimals);
  if (frame->n_y_ticks == 0)
    return FALSE;

  for (guint i = 0; i < frame->n_y_ticks; i++)
    {
      g_autofree char *text = _wh_loss_chart_format_tick (frame->y_lo + i * frame->y_step, frame->y_decimals);
      g_autoptr(PangoLayout) layout = create_label (self, text, TRUE, &w, &h);

      label_w = MAX (label_w, w);
    }

  graphene_rect_init (&frame->plot,
                      PAD + label_w + LABEL_GAP,
                      PAD + 1.5f * label_h + LABEL_GAP,
                      0, 0);
  frame->plot.size.width = MAX (0.0f, width - frame->plot.origin.x - PAD - label_w / 2.0f);
  frame->plot.size.height = MAX (0.0f, height - frame->plot.origin.y - PAD - 2 * label_h - LABEL_GAP);
  if (frame->plot.size.width < 8 || frame->plot.size.height < 8)
    return FALSE;

  frame->x_lo = 0;
  _wh_loss_chart_step_ticks (self->history, frame->plot.size.width,
                             &frame->x_hi, &frame->x_step);

  return TRUE;
}

static float
x_of (const Frame *frame,
      double       step)
{
  return frame->plot.origin.x + (step - frame->x_lo) / (frame->x_hi - frame->x_lo) * frame->plot.size.width;
}

static float
y_of (const Frame *frame,
      double       value)
{
  return frame->plot.origin.y + frame->plot.size.height -
         (value - frame->y_lo) / (frame->y_hi - frame->y_lo) * frame->plot.size.height;
}

/* Drawing */

static void
draw_empty (WhLossChart *self,
            GtkSnapshot *snapshot,
            const Frame *frame)
{
  g_autoptr(PangoLayout) layout = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int w, h;

  layout = create_label (self, _("Waiting for the first step…"), FALSE, &w, &h);
  append_label (snapshot, layout, (width - w) / 2.0f, (height - h) / 2.0f, &frame->dim);
}

static void
draw_axes (WhLossChart *self,
           GtkSnapshot *snapshot,
           const Frame *frame)
{
  const graphene_rect_t *plot = &frame->plot;
  float bottom = plot->origin.y + plot->size.height;
  int w, h;

  /* Horizontal grid lines with the loss on the left. */
  for (guint i = 0; i < frame->n_y_ticks; i++)
    {
      double value = frame->y_lo + i * frame->y_step;
      float y = roundf (y_of (frame, value));
      g_autofree char *text = _wh_loss_chart_format_tick (value, frame->y_decimals);
      g_autoptr(PangoLayout) layout = create_label (self, text, TRUE, &w, &h);

      gtk_snapshot_append_color (snapshot, i == 0 ? &frame->dim : &frame->grid,
                                 &GRAPHENE_RECT_INIT (plot->origin.x, y, plot->size.width, 1));
      append_label (snapshot, layout, plot->origin.x - LABEL_GAP - w, y - h / 2.0f, &frame->dim);
    }

  /* The steps below. */
  for (double step = 0; step <= frame->x_hi + 1e-9; step += frame->x_step)
    {
      float x = roundf (x_of (frame, step));
      g_autofree char *text = _wh_loss_chart_format_step (step);
      g_autoptr(PangoLayout) layout = create_label (self, text, TRUE, &w, &h);

      gtk_snapshot_append_color (snapshot, &frame->dim, &GRAPHENE_RECT_INIT (x, bottom, 1, 4));
      append_label (snapshot, layout, x - w / 2.0f, bottom + 4, &frame->dim);
    }

  {
    g_autoptr(PangoLayout) layout = create_label (self, _("Step"), TRUE, &w, &h);

    append_label (snapshot, layout, plot->origin.x + (plot->size.width - w) / 2.0f,
                  bottom + 4 + h, &frame->dim);
  }
}

/* A faint line at the end of each epoch, named by the one that follows. */
static void
draw_epochs (WhLossChart *self,
             GtkSnapshot *snapshot,
             const Frame *frame)
{
  const graphene_rect_t *plot = &frame->plot;
  float last_label_end = -G_MAXFLOAT;
  int w, h;

  for (guint i = 1; i < n_steps (self); i++)
    {
      const WhTrainProgress *prev = progress_at (self, i - 1);
      const WhTrainProgress *p = progress_at (self, i);
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      float x;

      if (p->epoch == prev->epoch)
        continue;
      x = roundf (x_of (frame, prev->step));
      gtk_snapshot_append_color (snapshot, &frame->grid,
                                 &GRAPHENE_RECT_INIT (x, plot->origin.y, 1, plot->size.height));

      /* Translators: marks where an epoch (a pass over the examples) starts on the loss chart */
      text = g_strdup_printf (_("Epoch %u"), p->epoch);
      layout = create_label (self, text, TRUE, &w, &h);
      if (x + 4 > last_label_end && x + 4 + w <= plot->origin.x + plot->size.width)
        {
          append_label (snapshot, layout, x + 4, plot->origin.y + 2, &frame->dim);
          last_label_end = x + 4 + w + LABEL_GAP;
        }
    }
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
draw_lines (WhLossChart *self,
            GtkSnapshot *snapshot,
            const Frame *frame)
{
  const graphene_rect_t *plot = &frame->plot;
  cairo_t *cr;
  gboolean started;
  guint n_val = 0;

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (plot->origin.x - POINT_RADIUS - 1,
                                                       plot->origin.y - POINT_RADIUS - 1,
                                                       plot->size.width + 2 * POINT_RADIUS + 2,
                                                       plot->size.height + 2 * POINT_RADIUS + 2));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* Every step, faint. */
  started = FALSE;
  for (guint i = 0; i < n_steps (self); i++)
    {
      const WhTrainProgress *p = progress_at (self, i);

      if (!isfinite (p->loss))
        continue;
      if (started)
        cairo_line_to (cr, x_of (frame, p->step), y_of (frame, p->loss));
      else
        cairo_move_to (cr, x_of (frame, p->step), y_of (frame, p->loss));
      started = TRUE;
    }
  set_source (cr, &frame->train_raw);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  /* The trend. */
  started = FALSE;
  for (guint i = 0; i < n_steps (self); i++)
    {
      double value = g_array_index (self->smoothed, double, i);

      if (!isfinite (value))
        continue;
      if (started)
        cairo_line_to (cr, x_of (frame, progress_at (self, i)->step), y_of (frame, value));
      else
        cairo_move_to (cr, x_of (frame, progress_at (self, i)->step), y_of (frame, value));
      started = TRUE;
    }
  set_source (cr, &frame->train);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);

  /* Validation: a line through the points where it was measured. */
  started = FALSE;
  for (guint i = 0; i < n_steps (self); i++)
    {
      const WhTrainProgress *p = progress_at (self, i);

      if (!isfinite (p->val_loss))
        continue;
      if (started)
        cairo_line_to (cr, x_of (frame, p->step), y_of (frame, p->val_loss));
      else
        cairo_move_to (cr, x_of (frame, p->step), y_of (frame, p->val_loss));
      started = TRUE;
      n_val++;
    }
  set_source (cr, &frame->val);
  cairo_set_line_width (cr, 1.5);
  if (n_val > 1)
    cairo_stroke (cr);
  else
    cairo_new_path (cr);
  for (guint i = 0; i < n_steps (self); i++)
    {
      const WhTrainProgress *p = progress_at (self, i);

      if (!isfinite (p->val_loss))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, x_of (frame, p->step), y_of (frame, p->val_loss), POINT_RADIUS, 0, 2 * G_PI);
    }
  cairo_fill (cr);

  cairo_destroy (cr);
}

static void
draw_legend (WhLossChart *self,
             GtkSnapshot *snapshot,
             const Frame *frame)
{
  g_autoptr(PangoLayout) loss = NULL;
  g_autoptr(PangoLayout) train = NULL;
  g_autoptr(PangoLayout) val = NULL;
  float right = frame->plot.origin.x + frame->plot.size.width;
  int loss_w, train_w, val_w, h;
  float x;

  loss = create_label (self, _("Loss"), TRUE, &loss_w, &h);
  append_label (snapshot, loss, PAD, PAD, &frame->dim);

  train = create_label (self, _("Training"), TRUE, &train_w, &h);
  val = create_label (self, _("Validation"), TRUE, &val_w, &h);

  x = right - val_w;
  if (x - LABEL_GAP - SWATCH_W - 2 * LABEL_GAP - train_w - LABEL_GAP - SWATCH_W < PAD + loss_w + LABEL_GAP)
    return;  /* too narrow: the lines speak for themselves */
  append_label (snapshot, val, x, PAD, &frame->dim);
  x -= LABEL_GAP + SWATCH_W;
  gtk_snapshot_append_color (snapshot, &frame->val,
                             &GRAPHENE_RECT_INIT (x, PAD + h / 2.0f - 1, SWATCH_W, 2));
  {
    GskRoundedRect dot;

    gsk_rounded_rect_init_from_rect (&dot,
                                     &GRAPHENE_RECT_INIT (x + SWATCH_W / 2 - POINT_RADIUS,
                                                          PAD + h / 2.0f - POINT_RADIUS,
                                                          2 * POINT_RADIUS, 2 * POINT_RADIUS),
                                     POINT_RADIUS);
    gtk_snapshot_push_rounded_clip (snapshot, &dot);
    gtk_snapshot_append_color (snapshot, &frame->val, &dot.bounds);
    gtk_snapshot_pop (snapshot);
  }

  x -= 2 * LABEL_GAP + train_w;
  append_label (snapshot, train, x, PAD, &frame->dim);
  x -= LABEL_GAP + SWATCH_W;
  gtk_snapshot_append_color (snapshot, &frame->train,
                             &GRAPHENE_RECT_INIT (x, PAD + h / 2.0f - 1, SWATCH_W, 2));
}

static void
draw_hover (WhLossChart *self,
            GtkSnapshot *snapshot,
            const Frame *frame)
{
  const graphene_rect_t *plot = &frame->plot;
  const WhTrainProgress *p;
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *text = NULL;
  GskRoundedRect box;
  GdkRGBA border;
  float x, box_x, box_y, box_w, box_h;
  int w, h;

  if (self->hover < 0 || (guint) self->hover >= n_steps (self))
    return;

  p = progress_at (self, self->hover);
  x = roundf (x_of (frame, p->step));
  gtk_snapshot_append_color (snapshot, &frame->dim,
                             &GRAPHENE_RECT_INIT (x, plot->origin.y, 1, plot->size.height));

  {
    double values[] = { g_array_index (self->smoothed, double, self->hover), p->val_loss };
    const GdkRGBA *colors[] = { &frame->train, &frame->val };

    for (guint k = 0; k < G_N_ELEMENTS (values); k++)
      {
        GskRoundedRect dot;
        float r = POINT_RADIUS + 1;

        if (!isfinite (values[k]))
          continue;
        gsk_rounded_rect_init_from_rect (&dot,
                                         &GRAPHENE_RECT_INIT (x - r, y_of (frame, values[k]) - r, 2 * r, 2 * r),
                                         r);
        gtk_snapshot_push_rounded_clip (snapshot, &dot);
        gtk_snapshot_append_color (snapshot, colors[k], &dot.bounds);
        gtk_snapshot_pop (snapshot);
      }
  }

  text = _wh_loss_chart_describe_step (self->history, self->hover);
  layout = create_label (self, text, TRUE, &w, &h);
  box_w = w + 2 * PAD + 4;
  box_h = h + 2 * PAD;
  box_x = x + 8;
  if (box_x + box_w > plot->origin.x + plot->size.width)
    box_x = x - 8 - box_w;
  box_x = MAX (box_x, 0);
  box_y = plot->origin.y + 4;

  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (box_x, box_y, box_w, box_h), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &frame->popover_bg, &box.bounds);
  gtk_snapshot_pop (snapshot);
  border = frame->fg;
  border.alpha *= 0.15f;
  gtk_snapshot_append_border (snapshot, &box,
                              (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });
  append_label (snapshot, layout, box_x + PAD + 2, box_y + PAD, &frame->popover_fg);
}

static void
wh_loss_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WhLossChart *self = WH_LOSS_CHART (widget);
  Frame frame = { 0 };

  frame_colors (self, &frame);

  if (gtk_widget_has_visible_focus (widget))
    {
      GskRoundedRect outline;
      GdkRGBA ring = frame.train;

      ring.alpha *= 0.5f;
      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (0, 0,
                                                            gtk_widget_get_width (widget),
                                                            gtk_widget_get_height (widget)),
                                       6);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { ring, ring, ring, ring });
    }

  if (!compute_frame (self, &frame))
    {
      draw_empty (self, snapshot, &frame);
      return;
    }

  draw_axes (self, snapshot, &frame);
  draw_epochs (self, snapshot, &frame);
  draw_lines (self, snapshot, &frame);
  draw_legend (self, snapshot, &frame);
  draw_hover (self, snapshot, &frame);
}

static void
wh_loss_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 640;
    }
  else
    {
      *minimum = 180;
      *natural = 280;
    }
}

/* Hover and keys */

static void
set_hover (WhLossChart *self,
           int          hover)
{
  if (hover >= (int) n_steps (self))
    hover = (int) n_steps (self) - 1;
  if (hover < -1)
    hover = -1;
  if (self->hover == hover)
    return;
  self->hover = hover;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The step under @x, or -1. */
static int
index_at (WhLossChart *self,
          double       x)
{
  Frame frame = { 0 };

  if (!compute_frame (self, &frame))
    return -1;
  return _wh_loss_chart_hit_test (self->history, x,
                                  frame.plot.origin.x, frame.plot.size.width,
                                  frame.x_lo, frame.x_hi);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           WhLossChart              *self)
{
  set_hover (self, index_at (self, x));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          WhLossChart              *self)
{
  if (!gtk_widget_has_focus (GTK_WIDGET (self)))
    set_hover (self, -1);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                WhLossChart           *self)
{
  int hover;

  if (!_wh_loss_chart_key_hover (keyval, self->hover, (int) n_steps (self), &hover))
    return FALSE;
  set_hover (self, hover);
  return TRUE;
}

/* From the keyboard, the values of the latest step straight away. */
static void
focus_enter_cb (GtkEventControllerFocus *controller,
                WhLossChart             *self)
{
  if (self->hover < 0 && gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    set_hover (self, (int) n_steps (self) - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                WhLossChart             *self)
{
  set_hover (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What a screen reader says instead of the picture: where the run is. */
static void
update_description (WhLossChart *self)
{
  g_autofree char *description = NULL;

  description = _wh_loss_chart_describe_history (self->history, self->smoothed);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* GObject */

static void
wh_loss_chart_dispose (GObject *object)
{
  WhLossChart *self = WH_LOSS_CHART (object);

  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->smoothed, g_array_unref);

  G_OBJECT_CLASS (wh_loss_chart_parent_class)->dispose (object);
}

static void
wh_loss_chart_class_init (WhLossChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_loss_chart_dispose;

  widget_class->snapshot = wh_loss_chart_snapshot;
  widget_class->measure = wh_loss_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "wh-loss-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wh_loss_chart_init (WhLossChart *self)
{
  GtkEventController *controller;

  self->hover = -1;
  self->smoothed = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loss chart"),
                                  -1);
  update_description (self);
}

GtkWidget *
wh_loss_chart_new (void)
{
  return g_object_new (WH_TYPE_LOSS_CHART, NULL);
}

void
wh_loss_chart_set_history (WhLossChart *self,
                           GArray      *history)
{
  g_return_if_fail (WH_IS_LOSS_CHART (self));
  g_return_if_fail (history == NULL || g_array_get_element_size (history) == sizeof (WhTrainProgress));

  if (self->history == history)
    {
      wh_loss_chart_changed (self);
      return;
    }
  g_clear_pointer (&self->history, g_array_unref);
  if (history != NULL)
    self->history = g_array_ref (history);
  self->hover = -1;
  wh_loss_chart_changed (self);
}

GArray *
wh_loss_chart_get_history (WhLossChart *self)
{
  g_return_val_if_fail (WH_IS_LOSS_CHART (self), NULL);

  return self->history;
}

void
wh_loss_chart_changed (WhLossChart *self)
{
  g_return_if_fail (WH_IS_LOSS_CHART (self));

  recompute_smoothed (self);
  if (self->hover >= (int) n_steps (self))
    self->hover = -1;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
_wh_loss_chart_get_hover (WhLossChart *self)
{
  g_return_val_if_fail (WH_IS_LOSS_CHART (self), -1);

  return self->hover;
}
