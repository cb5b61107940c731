/* wh-chat-render.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each family's official template written out by hand, as a Layout: the
 * markup around each role's turns and where the system message goes.
 * tests/reference/chat-templates holds the official texts with what jinja2
 * renders from them, which the tests compare with byte for byte. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-chat-template-private.h"

typedef struct
{
  const char          *system;   /* the message's, or the default; NULL for none */
  guint                system_index;  /* 1-based; 0 when it is the default */
  const WhChatMessage *turns;    /* the messages after the system message */
  gsize                n_turns;
  guint                first_index;   /* 1-based number of turns[0] */
} Conversation;

/* The markup of one role's turns, in the order it is written.  NULL is
 * none. */
typedef struct
{
  const char *before;  /* before the turn, unless it is the first after the system message */
  gboolean    bos;     /* the model's BOS token */
  const char *open;
  const char *close;   /* trained on in an assistant turn: the model learns to end its turn */
  gboolean    eos;     /* the model's EOS token, part of the close */
  const char *after;
  /* The text stripped, as the templates' `| trim` and .strip() do.  A
   * system message inside a user turn, with .trim, is stripped together
   * with that turn's text (Llama 2's "<<SYS>>" block). */
  gboolean    trim;
} RoleMarkup;

typedef enum
{
  SYSTEM_OWN_TURN,     /* a turn of its own, before the others */
  SYSTEM_FIRST_TURN,   /* starts the text of the first turn (the user's) */
  SYSTEM_LAST_TURN,    /* starts the text of the last turn when that is the user's */
} SystemPlace;

typedef struct
{
  gboolean     bos;                /* the model's BOS token starts the text */
  gboolean     alternating;        /* the turns must go user, assistant, user… */
  gboolean     no_system;          /* a system message is refused */
  gboolean     skip_empty_system;  /* an empty system message is left out */
  SystemPlace  system_place;
  RoleMarkup   system;             /* a system message inside a user turn has only open and close */
  RoleMarkup   user;
  RoleMarkup   assistant;
  gboolean     generation_prompt;  /* add_generation_prompt opens an assistant turn */
  gboolean     eos_at_end;         /* …and otherwise the model's EOS token ends the text */
} Layout;

static const Layout layouts[] = {
  [WH_CHAT_FAMILY_CHATML] = {
    .system = { .open = "<|im_start|>system\n", .close = "<|im_end|>", .after = "\n" },
    .user = { .open = "<|im_start|>user\n", .close = "<|im_end|>", .after = "\n" },
    .assistant = { .open = "<|im_start|>assistant\n", .close = "<|im_end|>", .after = "\n" },
    .generation_prompt = TRUE,
  },
  [WH_CHAT_FAMILY_LLAMA3] = {
    .bos = TRUE,
    /* Llama 3.1's preamble (system_preamble) follows the open. */
    .system = { .open = "<|start_header_id|>system<|end_header_id|>\n\n", .close = "<|eot_id|>",
                .trim = TRUE },
    .user = { .open = "<|start_header_id|>user<|end_header_id|>\n\n", .close = "<|eot_id|>",
              .trim = TRUE },
    .assistant = { .open = "<|start_header_id|>assistant<|end_header_id|>\n\n",
                   .close = "<|eot_id|>", .trim = TRUE },
    .generation_prompt = TRUE,
  },
  [WH_CHAT_FAMILY_LLAMA2] = {
    .alternating = TRUE,
    .system_place = SYSTEM_FIRST_TURN,
    .system = { .open = "<<SYS>>\n", .close = "\n<</SYS>>\n\n", .trim = TRUE },
    .user = { .bos = TRUE, .open = "[INST] ", .close = " [/INST]", .trim = TRUE },
    .assistant = { .open = " ", .close = " ", .eos = TRUE, .trim = TRUE },
  },
  [WH_CHAT_FAMILY_MISTRAL_V1] = {
    .bos = TRUE,
    .alternating = TRUE,
    .system_place = SYSTEM_FIRST_TURN,
    .system = { .close = "\n\n" },
    .user = { .open = " [INST] ", .close = " [/INST]" },
    .assistant = { .open = " ", .eos = TRUE },
  },
  [WH_CHAT_FAMILY_MISTRAL_V3] = {
    .bos = TRUE,
    .alternating = TRUE,
    /* So the official template has it: a conversation that ends with the
     * assistant has none. */
    .system_place = SYSTEM_LAST_TURN,
    .system = { .close = "\n\n" },
    .user = { .open = "[INST] ", .close = "[/INST]" },
    .assistant = { .open = " ", .eos = TRUE, .trim = TRUE },
  },
  [WH_CHAT_FAMILY_MISTRAL_V7] = {
    .bos = TRUE,
    .system = { .open = "[SYSTEM_PROMPT]", .close = "[/SYSTEM_PROMPT]" },
    .user = { .open = "[INST]", .close = "[/INST]" },
    .assistant = { .eos = TRUE },
  },
  [WH_CHAT_FAMILY_GEMMA] = {
    .bos = TRUE,
    .alternating = TRUE,
    /* The one deliberate departure from the official templates: Gemma 2's
     * refuses a system message; Whetstone places it as Gemma 3's does. */
    .system_place = SYSTEM_FIRST_TURN,
    .system = { .close = "\n\n" },
    .user = { .open = "<start_of_turn>user\n", .close = "<end_of_turn>", .after = "\n",
              .trim = TRUE },
    .assistant = { .open = "<start_of_turn>model\n", .close = "<end_of_turn>", .after = "\n",
                   .trim = TRUE },
    .generation_prompt = TRUE,
  },
  [WH_CHAT_FAMILY_PHI3] = {
    .system = { .open = "<|system|>\n", .close = "<|end|>", .after = "\n" },
    .user = { .open = "<|user|>\n", .close = "<|end|>", .after = "\n" },
    .assistant = { .open = "<|assistant|>\n", .close = "<|end|>", .after = "\n" },
    .generation_prompt = TRUE,
    .eos_at_end = TRUE,
  },
  [WH_CHAT_FAMILY_ZEPHYR] = {
    .system = { .open = "<|system|>\n", .eos = TRUE, .after = "\n" },
    .user = { .open = "<|user|>\n", .eos = TRUE, .after = "\n" },
    .assistant = { .open = "<|assistant|>\n", .eos = TRUE, .after = "\n" },
    .generation_prompt = TRUE,
  },
  [WH_CHAT_FAMILY_ALPACA] = {
    .alternating = TRUE,
    .system = { .close = "\n\n" },
    .user = { .before = "\n\n", .open = "### Instruction:\n", .close = "\n\n" },
    .assistant = { .open = "### Response:\n", .eos = TRUE },
    .generation_prompt = TRUE,
  },
};

/* The family's layout as its variants change it. */
static void
get_layout (WhChatTemplate *self,
            Layout         *layout)
{
  *layout = layouts[self->family];

  if (self->variants & WH_CHAT_VARIANT_MISTRAL_LEGACY)
    {
      layout->no_system = TRUE;
      layout->user.open = "[INST] ";
      layout->assistant.open = NULL;
    }
  if (self->variants & WH_CHAT_VARIANT_MISTRAL_LEGACY_EOS_SPACE)
    layout->assistant.after = " ";
  if (self->variants & WH_CHAT_VARIANT_MISTRAL_TEKKEN)
    {
      layout->user.open = "[INST]";
      layout->assistant.open = NULL;
      layout->assistant.trim = FALSE;
    }
  if (self->variants & WH_CHAT_VARIANT_PHI3_SKIP_EMPTY_SYSTEM)
    layout->skip_empty_system = TRUE;
}

typedef struct
{
  WhChatSegmentKind  kind;
  const char        *text;
  gsize              len;
} Piece;

static void
segment_free (gpointer data)
{
  WhChatSegment *segment = data;

  g_free (segment->text);
  g_free (segment);
}

static void
emit_len (GPtrArray         *segments,
          WhChatSegmentKind  kind,
          gboolean           assistant,
          const char        *text,
          gsize              len)
{
  WhChatSegment *last;
  WhChatSegment *segment;

  if (len == 0)
    return;

  last = segments->len > 0 ? g_ptr_array_index (segments, segments->len - 1) : NULL;
  if (last != NULL && last->kind == kind && last->assistant == assistant)
    {
      gsize old = strlen (last->text);

      last->text = g_realloc (last->text, old + len + 1);
      memcpy (last->text + old, text, len);
      last->text[old + len] = '\0';
      return;
    }

  segment = g_new0 (WhChatSegment, 1);
  segment->kind = kind;
  segment->assistant = assistant;
  segment->text = g_strndup (text, len);
  g_ptr_array_add (segments, segment);
}

static void
emit (GPtrArray         *segments,
      WhChatSegmentKind  kind,
      gboolean           assistant,
      const char        *text)
{
  if (text != NULL)
    emit_len (segments, kind, assistant, text, strlen (text));
}

static void
markup (GPtrArray  *segments,
        const char *text)
{
  emit (segments, WH_CHAT_SEGMENT_MARKUP, FALSE, text);
}

/* Markup the model learns to write: the end of an assistant turn. */
static void
end_markup (GPtrArray  *segments,
            gboolean    assistant,
            const char *text)
{
  emit (segments, WH_CHAT_SEGMENT_MARKUP, assistant, text);
}

/* Python's str.isspace(), which Jinja's trim and str.strip() use. */
static gboolean
py_isspace (gunichar c)
{
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Emits the pieces as one string stripped at both ends, as the templates'
 * `(… + message['content']).strip()` and `| trim` do. */
static void
emit_stripped (GPtrArray *segments,
               gboolean   assistant,
               Piece     *pieces,
               guint      n_pieces)
{
  guint first = 0;
  guint last = n_pieces;

  for (guint i = 0; i < n_pieces; i++)
    pieces[i].len = pieces[i].text != NULL ? strlen (pieces[i].text) : 0;

  while (first < last)
    {
      Piece *piece = &pieces[first];

      while (piece->len > 0 && py_isspace (g_utf8_get_char (piece->text)))
        {
          const char *next = g_utf8_next_char (piece->text);

          piece->len -= next - piece->text;
          piece->text = next;
        }
      if (piece->len > 0)
        break;
      first++;
    }

  while (last > first)
    {
      Piece *piece = &pieces[last - 1];

      while (piece->len > 0)
        {
          const char *prev = g_utf8_find_prev_char (piece->text, piece->text + piece->len);

          if (!py_isspace (g_utf8_get_char (prev)))
            break;
          piece->len = prev - piece->text;
        }
      if (piece->len > 0)
        break;
      last--;
    }

  for (guint i = first; i < last; i++)
    emit_len (segments, pieces[i].kind,
              assistant && pieces[i].kind == WH_CHAT_SEGMENT_CONTENT,
              pieces[i].text, pieces[i].len);
}

static void
emit_content (GPtrArray  *out,
              gboolean    assistant,
              const char *text,
              gboolean    trim)
{
  Piece piece = { WH_CHAT_SEGMENT_CONTENT, text, 0 };

  if (trim)
    emit_stripped (out, assistant, &piece, 1);
  else
    emit (out, WH_CHAT_SEGMENT_CONTENT, assistant, text);
}

static gboolean
is_trained (const WhChatMessage *message)
{
  return message->role == WH_CHAT_ROLE_ASSISTANT && message->train;
}

static const RoleMarkup *
role_markup (const Layout *layout,
             WhChatRole    role)
{
  switch (role)
    {
    case WH_CHAT_ROLE_SYSTEM:
      return &layout->system;
    case WH_CHAT_ROLE_USER:
      return &layout->user;
    case WH_CHAT_ROLE_ASSISTANT:
      return &layout->assistant;
    default:
      g_assert_not_reached ();
    }
}

/* One turn, its text started by @system (NULL for none) in the system
 * role's open and close. */
static void
emit_turn (GPtrArray           *out,
           WhChatTemplate      *self,
           const Layout        *layout,
           const WhChatMessage *m,
           gboolean             first,
           const char          *system)
{
  const RoleMarkup *role = role_markup (layout, m->role);
  gboolean a = is_trained (m);

  if (!first)
    markup (out, role->before);
  if (role->bos)
    markup (out, self->bos);
  markup (out, role->open);
  if (m->role == WH_CHAT_ROLE_SYSTEM)
    markup (out, self->system_preamble);

  if (system != NULL && layout->system.trim)
    {
      Piece pieces[] = {
        { WH_CHAT_SEGMENT_MARKUP, layout->system.open, 0 },
        { WH_CHAT_SEGMENT_CONTENT, system, 0 },
        { WH_CHAT_SEGMENT_MARKUP, layout->system.close, 0 },
        { WH_CHAT_SEGMENT_CONTENT, m->content, 0 },
      };

      emit_stripped (out, a, pieces, G_N_ELEMENTS (pieces));
    }
  else
    {
      if (system != NULL)
        {
          markup (out, layout->system.open);
          emit_content (out, FALSE, system, FALSE);
          markup (out, layout->system.close);
        }
      emit_content (out, a, m->content, role->trim);
    }

  end_markup (out, a, role->close);
  if (role->eos)
    end_markup (out, a, self->eos);
  markup (out, role->after);
}

static gboolean
starts_with_system (const Layout       *layout,
                    const Conversation *conv,
                    gsize               i)
{
  if (conv->turns[i].role != WH_CHAT_ROLE_USER)
    return FALSE;

  switch (layout->system_place)
    {
    case SYSTEM_OWN_TURN:
      return FALSE;
    case SYSTEM_FIRST_TURN:
      return i == 0;
    case SYSTEM_LAST_TURN:
      return i + 1 == conv->n_turns;
    default:
      g_assert_not_reached ();
    }
}

static void
render (WhChatTemplate     *self,
        const Layout       *layout,
        const Conversation *conv,
        gboolean            add_generation_prompt,
        GPtrArray          *out)
{
  const char *system = conv->system;

  if (system != NULL && *system == '\0' && layout->skip_empty_system)
    system = NULL;

  if (layout->bos)
    markup (out, self->bos);

  /* Llama 3.1's preamble makes a system turn without a system message. */
  if (layout->system_place == SYSTEM_OWN_TURN && (system != NULL || self->system_preamble != NULL))
    {
      const WhChatMessage message = { WH_CHAT_ROLE_SYSTEM, system ? system : "", FALSE };

      emit_turn (out, self, layout, &message, TRUE, NULL);
    }

  for (gsize i = 0; i < conv->n_turns; i++)
    emit_turn (out, self, layout, &conv->turns[i], i == 0,
               system != NULL && starts_with_system (layout, conv, i) ? system : NULL);

  if (add_generation_prompt && layout->generation_prompt)
    markup (out, layout->assistant.open);
  else if (layout->eos_at_end)
    markup (out, self->eos);
}

/* Checking conversations */

static gboolean
check_messages (const WhChatMessage  *messages,
                gsize                 n_messages,
                GError              **error)
{
  if (n_messages == 0)
    {
      g_set_error_literal (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                           _("The conversation has no messages."));
      return FALSE;
    }

  for (gsize i = 0; i < n_messages; i++)
    {
      const WhChatMessage *m = &messages[i];
      guint number = i + 1;

      if (m->role != WH_CHAT_ROLE_SYSTEM && m->role != WH_CHAT_ROLE_USER &&
          m->role != WH_CHAT_ROLE_ASSISTANT)
        {
          g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                       _("Message %u has a role that is not system, user or assistant."),
                       number);
          return FALSE;
        }
      if (m->content == NULL)
        {
          g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                       _("Message %u has no text."), number);
          return FALSE;
        }
      if (!g_utf8_validate (m->content, -1, NULL))
        {
          g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                       _("The text of message %u is not valid UTF-8."), number);
          return FALSE;
        }
      if (m->role == WH_CHAT_ROLE_SYSTEM && i > 0)
        {
          g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                       _("Message %u is a system message, but only the first message "
                         "of a conversation may be one."),
                       number);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_system (const Layout        *layout,
              const Conversation  *conv,
              GError             **error)
{
  if (conv->system == NULL || !layout->no_system)
    return TRUE;

  if (conv->system_index > 0)
    g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                 _("Message %u is a system message, but this model’s template "
                   "has no place for one."),
                 conv->system_index);
  else
    g_set_error_literal (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                         _("This model’s template has no place for a system prompt."));
  return FALSE;
}

static gboolean
check_alternation (const Conversation  *conv,
                   GError             **error)
{
  for (gsize i = 0; i < conv->n_turns; i++)
    {
      WhChatRole expected = i % 2 == 0 ? WH_CHAT_ROLE_USER : WH_CHAT_ROLE_ASSISTANT;

      if (conv->turns[i].role == expected)
        continue;

      if (expected == WH_CHAT_ROLE_USER)
        g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                     _("Message %u should be from the user: after the optional system "
                       "message, this template needs turns that alternate user, "
                       "assistant, user, assistant…"),
                     (guint) (conv->first_index + i));
      else
        g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION,
                     _("Message %u should be from the assistant: after the optional "
                       "system message, this template needs turns that alternate user, "
                       "assistant, user, assistant…"),
                     (guint) (conv->first_index + i));
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
_wh_chat_template_render_segments (WhChatTemplate       *self,
                                   const WhChatMessage  *messages,
                                   gsize                 n_messages,
                                   gboolean              add_generation_prompt,
                                   GError              **error)
{
  g_autoptr(GPtrArray) segments = NULL;
  Conversation conv = { 0 };
  Layout layout;

  g_assert (self != NULL);
  g_assert (messages != NULL || n_messages == 0);

  if (!check_messages (messages, n_messages, error))
    return NULL;

  if (messages[0].role == WH_CHAT_ROLE_SYSTEM)
    {
      conv.system = messages[0].content;
      conv.system_index = 1;
      conv.turns = messages + 1;
      conv.n_turns = n_messages - 1;
      conv.first_index = 2;
    }
  else
    {
      conv.turns = messages;
      conv.n_turns = n_messages;
      conv.first_index = 1;
      /* transformers' Llama 2 default stands aside for a first message
       * that carries its own <<SYS>> block. */
      if (self->family != WH_CHAT_FAMILY_LLAMA2 || strstr (messages[0].content, "<<SYS>>") == NULL)
        conv.system = self->default_system;
    }

  get_layout (self, &layout);
  if (!check_system (&layout, &conv, error))
    return NULL;
  if (layout.alternating && !check_alternation (&conv, error))
    return NULL;

  segments = g_ptr_array_new_with_free_func (segment_free);
  render (self, &layout, &conv, add_generation_prompt, segments);

  return g_steal_pointer (&segments);
}
