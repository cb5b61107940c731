/* wh-chat-template-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-chat-template.h"

G_BEGIN_DECLS

/* How a family's templates differ in what they render, as
 * wh_chat_template_new_from_jinja() reads it from the template's text. */
typedef enum
{
  /* Mistral 7B v0.1 / Mixtral v0.1 first templates: no space before
   * "[INST]" or the reply, and no system message. */
  WH_CHAT_VARIANT_MISTRAL_LEGACY           = 1 << 0,
  /* …and Mistral 7B v0.1's own first template adds a space after EOS. */
  WH_CHAT_VARIANT_MISTRAL_LEGACY_EOS_SPACE = 1 << 1,
  /* v3-tekken (Mistral Nemo): "[INST]" without a space, reply untrimmed. */
  WH_CHAT_VARIANT_MISTRAL_TEKKEN           = 1 << 2,
  /* Phi-3.5: an empty system message is left out. */
  WH_CHAT_VARIANT_PHI3_SKIP_EMPTY_SYSTEM   = 1 << 3,
} WhChatVariant;

struct _WhChatTemplate
{
  WhChatFamily   family;
  guint          variants;         /* WhChatVariant flags */
  char          *bos;
  char          *eos;
  char          *default_system;
  char          *system_preamble;  /* Llama 3.1+: opens the system turn, always there */
  char         **stop_strings;
};

/* wh_chat_template_render() once its arguments are checked. */
GPtrArray *_wh_chat_template_render_segments (WhChatTemplate       *self,
                                              const WhChatMessage  *messages,
                                              gsize                 n_messages,
                                              gboolean              add_generation_prompt,
                                              GError              **error);

G_END_DECLS
