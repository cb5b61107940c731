/* wh-chat-bubble.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-chat-bubble.h"

/* One turn of a conversation as a messaging app shows it: what the user
 * says on the right in the accent colour, the assistant's answer on the
 * left, the system prompt dimmed across the width.  Long texts are cut
 * after a few lines: the bubble previews, it does not edit. */

#define MAX_LINES        8
#define MAX_SYSTEM_LINES 3   /* usually the same in every example */

struct _WhChatBubble
{
  GtkWidget         parent_instance;

  WhChatBubbleKind  kind;
  char             *text;

  GtkWidget        *box;
  GtkWidget        *role_label;
  GtkWidget        *text_label;
};

G_DEFINE_FINAL_TYPE (WhChatBubble, wh_chat_bubble, GTK_TYPE_WIDGET)

static const char *
kind_css_class (WhChatBubbleKind kind)
{
  switch (kind)
    {
    case WH_CHAT_BUBBLE_SYSTEM:    return "system";
    case WH_CHAT_BUBBLE_USER:      return "user";
    case WH_CHAT_BUBBLE_ASSISTANT: return "assistant";
    case WH_CHAT_BUBBLE_CHOSEN:    return "chosen";
    case WH_CHAT_BUBBLE_REJECTED:  return "rejected";
    case WH_CHAT_BUBBLE_TEXT:      return "text";
    default:                       g_assert_not_reached ();
    }
}

static const char *
kind_title (WhChatBubbleKind kind)
{
  switch (kind)
    {
    case WH_CHAT_BUBBLE_SYSTEM:    return _("System prompt");
    case WH_CHAT_BUBBLE_USER:      return _("User");
    case WH_CHAT_BUBBLE_ASSISTANT: return _("Assistant");
    case WH_CHAT_BUBBLE_CHOSEN:    return _("Preferred answer");
    case WH_CHAT_BUBBLE_REJECTED:  return _("Rejected answer");
    case WH_CHAT_BUBBLE_TEXT:      return _("Text");
    default:                       g_assert_not_reached ();
    }
}

static void
wh_chat_bubble_dispose (GObject *object)
{
  WhChatBubble *self = (WhChatBubble *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (wh_chat_bubble_parent_class)->dispose (object);
}

static void
wh_chat_bubble_finalize (GObject *object)
{
  WhChatBubble *self = (WhChatBubble *)object;

  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (wh_chat_bubble_parent_class)->finalize (object);
}

static void
wh_chat_bubble_class_init (WhChatBubbleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_chat_bubble_dispose;
  object_class->finalize = wh_chat_bubble_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "wh-chat-bubble");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wh_chat_bubble_init (WhChatBubble *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->role_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->role_label), 0);
  gtk_widget_add_css_class (self->role_label, "caption-heading");
  gtk_widget_add_css_class (self->role_label, "role");
  gtk_box_append (GTK_BOX (self->box), self->role_label);

  self->text_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->text_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->text_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (self->text_label), 60);
  gtk_label_set_lines (GTK_LABEL (self->text_label), MAX_LINES);
  gtk_label_set_ellipsize (GTK_LABEL (self->text_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (self->box), self->text_label);
}

static void
wh_chat_bubble_set_contents (WhChatBubble     *self,
                             WhChatBubbleKind  kind,
                             const char       *text)
{
  g_autofree char *accessible = NULL;

  g_assert (WH_IS_CHAT_BUBBLE (self));

  self->kind = kind;
  g_free (self->text);
  self->text = g_strdup (text != NULL ? text : "");

  gtk_widget_add_css_class (GTK_WIDGET (self), kind_css_class (kind));
  gtk_label_set_text (GTK_LABEL (self->role_label), kind_title (kind));
  gtk_label_set_text (GTK_LABEL (self->text_label), self->text);
  gtk_label_set_lines (GTK_LABEL (self->text_label),
                       kind == WH_CHAT_BUBBLE_SYSTEM ? MAX_SYSTEM_LINES : MAX_LINES);

  switch (kind)
    {
    case WH_CHAT_BUBBLE_USER:
      gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_END);
      gtk_widget_set_margin_start (GTK_WIDGET (self), 48);
      break;

    case WH_CHAT_BUBBLE_ASSISTANT:
    case WH_CHAT_BUBBLE_CHOSEN:
    case WH_CHAT_BUBBLE_REJECTED:
      gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
      gtk_widget_set_margin_end (GTK_WIDGET (self), 48);
      break;

    case WH_CHAT_BUBBLE_SYSTEM:
    case WH_CHAT_BUBBLE_TEXT:
    default:
      gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_FILL);
      break;
    }

  /* Translators: a chat bubble read out by a screen reader, e.g. “User: How do I…” */
  accessible = g_strdup_printf (_("%s: %s"), kind_title (kind), self->text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

/**
 * wh_chat_bubble_new:
 * @kind: who says @text
 * @text: the turn's text
 *
 * Returns: (transfer floating): a new bubble
 */
GtkWidget *
wh_chat_bubble_new (WhChatBubbleKind  kind,
                    const char       *text)
{
  WhChatBubble *self;

  g_return_val_if_fail (kind <= WH_CHAT_BUBBLE_TEXT, NULL);

  self = g_object_new (WH_TYPE_CHAT_BUBBLE, NULL);
  wh_chat_bubble_set_contents (self, kind, text);

  return GTK_WIDGET (self);
}

WhChatBubbleKind
wh_chat_bubble_get_kind (WhChatBubble *self)
{
  g_return_val_if_fail (WH_IS_CHAT_BUBBLE (self), WH_CHAT_BUBBLE_TEXT);

  return self->kind;
}

const char *
wh_chat_bubble_get_text (WhChatBubble *self)
{
  g_return_val_if_fail (WH_IS_CHAT_BUBBLE (self), NULL);

  return self->text;
}
