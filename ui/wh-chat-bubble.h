/* wh-chat-bubble.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Who said the text a bubble shows; decides its side and colour. */
typedef enum
{
  WH_CHAT_BUBBLE_SYSTEM,
  WH_CHAT_BUBBLE_USER,
  WH_CHAT_BUBBLE_ASSISTANT,
  WH_CHAT_BUBBLE_CHOSEN,     /* a preference pair's preferred answer */
  WH_CHAT_BUBBLE_REJECTED,   /* and its rejected one */
  WH_CHAT_BUBBLE_TEXT,       /* plain text, trained on as a whole */
} WhChatBubbleKind;

#define WH_TYPE_CHAT_BUBBLE (wh_chat_bubble_get_type ())

G_DECLARE_FINAL_TYPE (WhChatBubble, wh_chat_bubble, WH, CHAT_BUBBLE, GtkWidget)

GtkWidget        *wh_chat_bubble_new      (WhChatBubbleKind  kind,
                                           const char       *text);
WhChatBubbleKind  wh_chat_bubble_get_kind (WhChatBubble     *self);
const char       *wh_chat_bubble_get_text (WhChatBubble     *self);

G_END_DECLS
