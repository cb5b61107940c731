/* wh-data-preview.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-chat-bubble.h"
#include "wh-data-page-private.h"
#include "wh-data-preview.h"

/* The Data step's first examples, as chat bubbles: how the model will
 * see the start of the data. */

struct _WhDataPreview
{
  AdwPreferencesGroup  parent_instance;

  GtkBox              *box;
};

G_DEFINE_FINAL_TYPE (WhDataPreview, wh_data_preview, ADW_TYPE_PREFERENCES_GROUP)

static WhChatBubbleKind
bubble_kind (WhChatRole role)
{
  switch (role)
    {
    case WH_CHAT_ROLE_SYSTEM:    return WH_CHAT_BUBBLE_SYSTEM;
    case WH_CHAT_ROLE_USER:      return WH_CHAT_BUBBLE_USER;
    case WH_CHAT_ROLE_ASSISTANT: return WH_CHAT_BUBBLE_ASSISTANT;
    default:                     return WH_CHAT_BUBBLE_TEXT;
    }
}

static GtkWidget *
create_example (const WhExample *example,
                WhDatasetFormat  format)
{
  g_autofree char *header_text = NULL;
  g_autofree char *line = NULL;
  GtkWidget *box;
  GtkWidget *header;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "wh-preview-example");

  line = _wh_data_format_count (example->line);
  if (example->validation)
    /* Translators: above a preview example; validation examples are not trained on */
    header_text = g_strdup_printf (_("Line %s · kept aside to check progress"), line);
  else
    header_text = g_strdup_printf (_("Line %s"), line);
  header = gtk_label_new (header_text);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "caption");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_box_append (GTK_BOX (box), header);

  for (guint i = 0; i < example->turns->len; i++)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, i);
      WhChatBubbleKind kind = format == WH_DATASET_FORMAT_TEXT ? WH_CHAT_BUBBLE_TEXT : bubble_kind (turn->role);

      gtk_box_append (GTK_BOX (box), wh_chat_bubble_new (kind, turn->content));
    }

  if (example->chosen != NULL)
    gtk_box_append (GTK_BOX (box), wh_chat_bubble_new (WH_CHAT_BUBBLE_CHOSEN, example->chosen));
  if (example->rejected != NULL)
    gtk_box_append (GTK_BOX (box), wh_chat_bubble_new (WH_CHAT_BUBBLE_REJECTED, example->rejected));

  return box;
}

/* GObject */

static void
wh_data_preview_class_init (WhDataPreviewClass *klass)
{
}

static void
wh_data_preview_init (WhDataPreview *self)
{
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->box));
}

void
wh_data_preview_set_dataset (WhDataPreview *self,
                             WhDataset     *dataset)
{
  GtkWidget *child;
  GPtrArray *preview;

  g_return_if_fail (WH_IS_DATA_PREVIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))))
    gtk_box_remove (self->box, child);

  preview = dataset != NULL ? wh_dataset_get_preview (dataset) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), preview != NULL && preview->len > 0);
  if (preview == NULL)
    return;

  for (guint i = 0; i < preview->len; i++)
    gtk_box_append (self->box, create_example (g_ptr_array_index (preview, i), wh_dataset_get_format (dataset)));
}
