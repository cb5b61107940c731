/* wh-chat-template.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Chat templates render a conversation exactly as a model family was
 * trained on it.  Rendering produces segments rather than one string so
 * that the tokenizer can parse special tokens in the template's own markup
 * but never in the conversation's text, and so that training knows which
 * tokens are the assistant's (wh_tokenizer_encode_segments()). */

#define WH_CHAT_TEMPLATE_ERROR (wh_chat_template_error_quark ())

typedef enum
{
  WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY, /* a name or Jinja template we do not recognise */
  WH_CHAT_TEMPLATE_ERROR_CONVERSATION,   /* roles the family cannot render (order, system…) */
} WhChatTemplateError;

typedef enum
{
  WH_CHAT_FAMILY_UNKNOWN = 0,
  WH_CHAT_FAMILY_CHATML,      /* Qwen, SmolLM2, … */
  WH_CHAT_FAMILY_LLAMA3,
  WH_CHAT_FAMILY_LLAMA2,
  WH_CHAT_FAMILY_MISTRAL_V1,
  WH_CHAT_FAMILY_MISTRAL_V3,
  WH_CHAT_FAMILY_MISTRAL_V7,
  WH_CHAT_FAMILY_GEMMA,
  WH_CHAT_FAMILY_PHI3,
  WH_CHAT_FAMILY_ZEPHYR,
  WH_CHAT_FAMILY_ALPACA,
} WhChatFamily;

typedef enum
{
  WH_CHAT_ROLE_SYSTEM,
  WH_CHAT_ROLE_USER,
  WH_CHAT_ROLE_ASSISTANT,
} WhChatRole;

typedef struct
{
  WhChatRole  role;
  const char *content;
  gboolean    train;   /* assistant turns only: FALSE for weight 0 */
} WhChatMessage;

typedef enum
{
  WH_CHAT_SEGMENT_MARKUP,   /* the template's own text: special tokens are parsed */
  WH_CHAT_SEGMENT_CONTENT,  /* text from the conversation: special tokens never are */
} WhChatSegmentKind;

typedef struct
{
  WhChatSegmentKind  kind;
  gboolean           assistant; /* trained on: an assistant turn's content and its end-of-turn markup */
  char              *text;
} WhChatSegment;

typedef struct _WhChatTemplate WhChatTemplate;

GQuark          wh_chat_template_error_quark       (void);

const char     *wh_chat_family_to_string           (WhChatFamily          family);
/* Accepts the names wh_chat_family_to_string() returns ("chatml",
 * "llama3", "llama2", "mistral-v1", "mistral-v3", "mistral-v7", "gemma",
 * "phi3", "zephyr", "alpaca"). */
gboolean        wh_chat_family_from_string         (const char           *name,
                                                    WhChatFamily         *family,
                                                    GError              **error);
/* Recognises a family from the markers in a Jinja chat template. */
WhChatFamily    wh_chat_family_detect              (const char           *jinja);

/* @bos_token and @eos_token are the texts of the model's tokens (NULL to
 * use the family's usual ones). */
WhChatTemplate *wh_chat_template_new               (WhChatFamily          family,
                                                    const char           *bos_token,
                                                    const char           *eos_token);
/* Detects the family and takes the default system prompt the template
 * inserts when a conversation has none. */
WhChatTemplate *wh_chat_template_new_from_jinja    (const char           *jinja,
                                                    const char           *bos_token,
                                                    const char           *eos_token,
                                                    GError              **error);
void            wh_chat_template_free              (WhChatTemplate       *self);

WhChatFamily    wh_chat_template_get_family        (WhChatTemplate       *self);
/* NULL when the family inserts none. */
const char     *wh_chat_template_get_default_system (WhChatTemplate      *self);
void            wh_chat_template_set_default_system (WhChatTemplate      *self,
                                                     const char          *system);
/* Strings that end an assistant turn (for generation), NULL-terminated. */
const char * const *wh_chat_template_get_stop_strings (WhChatTemplate    *self);

/* Returns a GPtrArray of WhChatSegment (freed with the array), or NULL
 * with WH_CHAT_TEMPLATE_ERROR_CONVERSATION naming the message. */
GPtrArray      *wh_chat_template_render            (WhChatTemplate       *self,
                                                    const WhChatMessage  *messages,
                                                    gsize                 n_messages,
                                                    gboolean              add_generation_prompt,
                                                    GError              **error);
/* The segments' texts joined: what the reference Jinja renders. */
char           *wh_chat_segments_join              (GPtrArray            *segments);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhChatTemplate, wh_chat_template_free)

G_END_DECLS
