/* wh-playground-column.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-column.h"

/* A column of the Try It step.  The page decides what each model is
 * asked and when; the column shows the turns, the answer as its pieces
 * come, and how it ended, and keeps the model's side of the
 * conversation for the next prompt. */

struct _WhPlaygroundColumn
{
  GtkBox      parent_instance;

  guint       id;
  char       *checkpoint;    /* NULL: the base model */
  char       *name;          /* the checkpoint's folder name */
  char       *title;
  gboolean    is_adapter;

  GtkWidget  *transcript;
  GtkWidget  *status_box;
  GtkWidget  *spinner;
  GtkWidget  *status_label;
  GtkWidget  *footer_label;
  GtkWidget  *export_button;

  GPtrArray  *answers;       /* of char *, one per answered prompt */
  GtkWidget  *answer_label;  /* the latest answer */
  GString    *answer;
  guint       n_pieces;
  char       *error;
  gboolean    busy;
};

G_DEFINE_FINAL_TYPE (WhPlaygroundColumn, wh_playground_column, GTK_TYPE_BOX)

/* Words */

char *
wh_playground_checkpoint_title (const WhRunCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return g_strdup (_("Base model"));
  if (checkpoint->is_result)
    return g_strdup (_("Fine-tuned"));
  if (checkpoint->epoch > 0)
    return g_strdup_printf (_("Epoch %u"), checkpoint->epoch);
  return g_strdup_printf (_("Step %u"), checkpoint->step);
}

static char *
checkpoint_subtitle (const WhRunCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return g_strdup (_("Before training"));
  if (checkpoint->is_result)
    return checkpoint->step > 0 ? g_strdup_printf (_("The result, after step %u"), checkpoint->step)
                                : g_strdup (_("The result of training"));
  if (checkpoint->epoch > 0)
    return g_strdup_printf (_("After step %u"), checkpoint->step);
  if (checkpoint->in_epoch > 0)
    return g_strdup_printf (_("During epoch %u"), checkpoint->in_epoch);
  return NULL;
}

static GtkWidget *
turn_label_new (const char *text,
                gboolean    selectable)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* A long line wraps rather than widening its column: columns stay side
   * by side until the window is really narrow. */
  gtk_label_set_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  return label;
}

/* The answer so far, without the space a model's first token often
 * starts with. */
static void
show_answer (WhPlaygroundColumn *self)
{
  const char *shown = self->answer->str;

  while (g_ascii_isspace (*shown))
    shown++;
  gtk_label_set_label (GTK_LABEL (self->answer_label), shown);
  gtk_widget_set_visible (self->answer_label, TRUE);
}

/* GObject */

static void
wh_playground_column_finalize (GObject *object)
{
  WhPlaygroundColumn *self = WH_PLAYGROUND_COLUMN (object);

  g_free (self->checkpoint);
  g_free (self->name);
  g_free (self->title);
  g_ptr_array_unref (self->answers);
  g_string_free (self->answer, TRUE);
  g_free (self->error);

  G_OBJECT_CLASS (wh_playground_column_parent_class)->finalize (object);
}

static void
wh_playground_column_class_init (WhPlaygroundColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = wh_playground_column_finalize;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wh_playground_column_init (WhPlaygroundColumn *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, -1);
  self->answers = g_ptr_array_new_with_free_func (g_free);
  self->answer = g_string_new (NULL);
}

GtkWidget *
wh_playground_column_new (guint                  id,
                          const WhRunCheckpoint *checkpoint)
{
  WhPlaygroundColumn *self = g_object_new (WH_TYPE_PLAYGROUND_COLUMN, NULL);
  g_autofree char *subtitle = checkpoint_subtitle (checkpoint);
  GtkWidget *header, *titles, *title, *sub;

  self->id = id;
  self->title = wh_playground_checkpoint_title (checkpoint);
  if (checkpoint != NULL)
    {
      self->checkpoint = g_strdup (checkpoint->path);
      self->name = g_strdup (checkpoint->name);
      self->is_adapter = checkpoint->is_adapter;
    }

  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  -1);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (header, 9);
  gtk_widget_set_margin_bottom (header, 9);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 6);
  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  title = gtk_label_new (self->title);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (titles), title);
  sub = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_set_visible (sub, subtitle != NULL);
  gtk_box_append (GTK_BOX (titles), sub);
  gtk_box_append (GTK_BOX (header), titles);

  if (self->is_adapter)
    {
      g_autofree char *label = g_strdup_printf (_("Export the Adapter of %s"), self->title);

      self->export_button = gtk_button_new_from_icon_name ("document-save-symbolic");
      gtk_widget_set_valign (self->export_button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (self->export_button, _("Export Adapter…"));
      gtk_widget_add_css_class (self->export_button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->export_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button), "playground.export");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->export_button), "s", self->checkpoint);
      gtk_box_append (GTK_BOX (header), self->export_button);
    }
  gtk_box_append (GTK_BOX (self), header);
  gtk_box_append (GTK_BOX (self), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->transcript = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (self->transcript, 12);
  gtk_widget_set_margin_start (self->transcript, 12);
  gtk_widget_set_margin_end (self->transcript, 12);
  gtk_box_append (GTK_BOX (self), self->transcript);

  self->status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (self->status_box, 6);
  gtk_widget_set_margin_start (self->status_box, 12);
  gtk_widget_set_margin_end (self->status_box, 12);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->status_box), self->spinner);
  self->status_label = turn_label_new ("", FALSE);
  gtk_widget_set_hexpand (self->status_label, TRUE);
  gtk_box_append (GTK_BOX (self->status_box), self->status_label);
  gtk_box_append (GTK_BOX (self), self->status_box);

  self->footer_label = turn_label_new ("", FALSE);
  gtk_widget_set_margin_top (self->footer_label, 6);
  gtk_widget_set_margin_start (self->footer_label, 12);
  gtk_widget_set_margin_end (self->footer_label, 12);
  gtk_widget_add_css_class (self->footer_label, "caption");
  gtk_widget_add_css_class (self->footer_label, "dim-label");
  gtk_box_append (GTK_BOX (self), self->footer_label);

  /* Room at the bottom of the card. */
  gtk_widget_set_margin_bottom (self->footer_label, 12);
  wh_playground_column_set_status (self, _("Waiting for a prompt"), FALSE, FALSE);
  gtk_widget_set_visible (self->footer_label, FALSE);
  return GTK_WIDGET (self);
}

guint
wh_playground_column_get_id (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), 0);

  return self->id;
}

const char *
wh_playground_column_get_key (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->name != NULL ? self->name : "";
}

const char *
wh_playground_column_get_checkpoint (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->checkpoint;
}

gboolean
wh_playground_column_get_is_adapter (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), FALSE);

  return self->is_adapter;
}

const char *
wh_playground_column_get_title (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->title;
}

GtkWidget *
wh_playground_column_get_export_button (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->export_button;
}

void
wh_playground_column_set_status (WhPlaygroundColumn *self,
                                 const char         *status,
                                 gboolean            spinning,
                                 gboolean            error)
{
  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));

  gtk_widget_set_visible (self->status_box, status != NULL);
  gtk_label_set_label (GTK_LABEL (self->status_label), status != NULL ? status : "");
  gtk_widget_set_visible (self->spinner, spinning);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), spinning);
  if (error)
    {
      gtk_widget_add_css_class (self->status_label, "error");
      gtk_widget_remove_css_class (self->status_label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_label, "error");
      gtk_widget_add_css_class (self->status_label, "dim-label");
    }
}

void
wh_playground_column_ask (WhPlaygroundColumn *self,
                          const char         *prompt,
                          gboolean            plain_text)
{
  GtkWidget *box, *who, *said;

  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));
  g_return_if_fail (prompt != NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  who = gtk_label_new (plain_text ? _("Prompt") : _("You"));
  said = turn_label_new (prompt, FALSE);
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_widget_add_css_class (who, "caption-heading");
  gtk_widget_add_css_class (who, "dim-label");
  gtk_widget_add_css_class (said, "dim-label");
  gtk_box_append (GTK_BOX (box), who);
  gtk_box_append (GTK_BOX (box), said);
  gtk_box_append (GTK_BOX (self->transcript), box);

  self->answer_label = turn_label_new ("", TRUE);
  gtk_widget_set_visible (self->answer_label, FALSE);
  gtk_box_append (GTK_BOX (self->transcript), self->answer_label);
  g_string_truncate (self->answer, 0);
  self->n_pieces = 0;
  g_clear_pointer (&self->error, g_free);
  gtk_widget_set_visible (self->footer_label, FALSE);

  self->busy = TRUE;
  wh_playground_column_set_status (self, _("Waiting for the device…"), TRUE, FALSE);
}

gboolean
wh_playground_column_get_waiting (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), FALSE);

  return self->busy && self->answer_label != NULL;
}

void
wh_playground_column_add_piece (WhPlaygroundColumn *self,
                                const char         *text)
{
  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));
  g_return_if_fail (wh_playground_column_get_waiting (self));

  g_string_append (self->answer, text);
  self->n_pieces++;
  show_answer (self);
}

void
wh_playground_column_end_answer (WhPlaygroundColumn    *self,
                                 const char            *text,
                                 const WhGenerateStats *stats,
                                 const GError          *error)
{
  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));
  g_return_if_fail (wh_playground_column_get_waiting (self));
  g_return_if_fail (error != NULL || stats != NULL);

  self->busy = FALSE;
  if (error == NULL)
    {
      g_autofree char *footer = NULL;

      /* The whole answer, without the stop string held back. */
      g_string_assign (self->answer, text != NULL ? text : "");
      show_answer (self);
      if (self->answer->len == 0)
        wh_playground_column_set_status (self, _("The model gave no answer"), FALSE, FALSE);
      else
        wh_playground_column_set_status (self, NULL, FALSE, FALSE);

      footer = g_strdup_printf (ngettext ("%u token, %.0f per second", "%u tokens, %.0f per second",
                                          (gulong) stats->generated_tokens),
                                (guint) stats->generated_tokens,
                                stats->generated_tokens / MAX (stats->generate_seconds, 1e-3));
      gtk_label_set_label (GTK_LABEL (self->footer_label), footer);
      gtk_widget_set_visible (self->footer_label, TRUE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      wh_playground_column_set_status (self, _("Stopped"), FALSE, FALSE);
      self->error = g_strdup (_("Stopped"));
    }
  else
    {
      wh_playground_column_set_status (self, error->message, FALSE, TRUE);
      self->error = g_strdup (error->message);
    }
  /* What was shown is what the conversation goes on from. */
  g_ptr_array_add (self->answers, g_strdup (self->answer->str));
}

void
wh_playground_column_stop (WhPlaygroundColumn *self)
{
  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));

  if (!self->busy)
    return;
  self->busy = FALSE;
  wh_playground_column_set_status (self, _("Stopped"), FALSE, FALSE);
}

void
wh_playground_column_clear (WhPlaygroundColumn *self)
{
  GtkWidget *child;

  g_return_if_fail (WH_IS_PLAYGROUND_COLUMN (self));

  while ((child = gtk_widget_get_first_child (self->transcript)) != NULL)
    gtk_box_remove (GTK_BOX (self->transcript), child);
  self->answer_label = NULL;
  g_string_truncate (self->answer, 0);
  g_ptr_array_set_size (self->answers, 0);
  self->n_pieces = 0;
  g_clear_pointer (&self->error, g_free);
  wh_playground_column_set_status (self, NULL, FALSE, FALSE);
  gtk_widget_set_visible (self->footer_label, FALSE);
}

GPtrArray *
wh_playground_column_get_answers (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->answers;
}

const char *
wh_playground_column_get_answer (WhPlaygroundColumn *self,
                                 guint              *n_pieces)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  if (n_pieces != NULL)
    *n_pieces = self->n_pieces;
  return self->answer->str;
}

const char *
wh_playground_column_get_error (WhPlaygroundColumn *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_COLUMN (self), NULL);

  return self->error;
}
