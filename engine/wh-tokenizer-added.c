/* wh-tokenizer-added.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-tokenizer-private.h"

/* The entry points of encoding.  Added tokens are matched first, as
 * Hugging Face tokenizers does, leftmost-longest; special ones only where
 * special tokens are to be parsed.  The text between them goes to the
 * encoder (wh-tokenizer-encode.c). */

typedef struct
{
  gsize  start, end;   /* bytes of the full text */
  gint32 id;           /* an added token, or -1 for text */
} Fragment;

/* Added tokens */

static gboolean
is_word_char (const char *p)
{
  gunichar cp = g_utf8_get_char (p);

  return g_unichar_isalnum (cp) || cp == '_' || g_unichar_ismark (cp);
}

static gboolean
is_space_at (const char *p)
{
  return g_unichar_isspace (g_utf8_get_char (p)) || wh_regex_is_space (g_utf8_get_char (p));
}

/* Cuts [start, end) of @text into fragments, leftmost-longest at each
 * position among the added tokens allowed. */
static void
split_added (WhTokenizer *tok,
             const char  *text,
             gsize        start,
             gsize        end,
             gboolean     parse_special,
             GArray      *fragments)
{
  gsize text_start = start;
  gsize i = start;

  while (i < end)
    {
      GPtrArray *candidates = tok->added_by_byte[(guchar) text[i]];
      const WhAddedToken *found = NULL;
      gsize ms, me;

      if (candidates != NULL)
        for (guint c = 0; c < candidates->len; c++)
          {
            const WhAddedToken *t = g_ptr_array_index (candidates, c);

            if (t->special && !parse_special)
              continue;
            if (t->length > end - i || memcmp (text + i, t->content, t->length) != 0)
              continue;
            if (t->single_word &&
                ((i > start && is_word_char (g_utf8_prev_char (text + i))) ||
                 (i + t->length < end && is_word_char (text + i + t->length))))
              continue;
            found = t;
            break;
          }

      if (found == NULL)
        {
          i = g_utf8_next_char (text + i) - text;
          continue;
        }

      ms = i;
      me = i + found->length;
      if (found->lstrip)
        while (ms > text_start && is_space_at (g_utf8_prev_char (text + ms)))
          ms = g_utf8_prev_char (text + ms) - text;
      if (found->rstrip)
        while (me < end && is_space_at (text + me))
          me = g_utf8_next_char (text + me) - text;

      if (ms > text_start)
        {
          Fragment f = { text_start, ms, -1 };
          g_array_append_val (fragments, f);
        }
      {
        Fragment f = { ms, me, found->id };
        g_array_append_val (fragments, f);
      }
      text_start = i = me;
    }

  if (end > text_start)
    {
      Fragment f = { text_start, end, -1 };
      g_array_append_val (fragments, f);
    }
}

static void
encode_fragments (WhEncoder  *e,
                  const char *text,
                  GArray     *fragments)
{
  for (guint i = 0; i < fragments->len; i++)
    {
      const Fragment *f = &g_array_index (fragments, Fragment, i);

      if (f->id >= 0)
        _wh_encoder_add_token (e, f->id, f->start, f->end);
      else
        {
          gsize end = f->end;

          /* Text fragments that touch (across segments) are one text. */
          while (i + 1 < fragments->len &&
                 g_array_index (fragments, Fragment, i + 1).id < 0)
            end = g_array_index (fragments, Fragment, ++i).end;
          _wh_encoder_add_text (e, text, f->start, end);
        }
    }
}

static gboolean
check_utf8 (WhTokenizer  *self,
            const char   *text,
            gsize         length,
            GError      **error)
{
  const char *bad;

  if (g_utf8_validate_len (text, length, &bad))
    return TRUE;

  g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INPUT,
               _("The text to tokenize is not valid UTF-8 (at byte %" G_GSIZE_FORMAT "); save it as UTF-8 and try again"),
               (gsize) (bad - text));
  return FALSE;
}

gboolean
wh_tokenizer_encode (WhTokenizer    *self,
                     const char     *text,
                     gssize          length,
                     WhEncodeFlags   flags,
                     GArray         *ids,
                     GError        **error)
{
  g_autoptr(GArray) fragments = NULL;
  WhEncoder *e;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (ids != NULL && g_array_get_element_size (ids) == sizeof (gint32), FALSE);

  if (length < 0)
    length = strlen (text);
  if (!check_utf8 (self, text, length, error))
    return FALSE;

  if (flags & WH_ENCODE_ADD_SPECIAL)
    g_array_append_vals (ids, self->prefix_ids->data, self->prefix_ids->len);

  fragments = g_array_new (FALSE, FALSE, sizeof (Fragment));
  split_added (self, text, 0, length, (flags & WH_ENCODE_PARSE_SPECIAL) != 0, fragments);

  e = _wh_encoder_new (self, ids, NULL);
  encode_fragments (e, text, fragments);
  _wh_encoder_free (e);

  if (flags & WH_ENCODE_ADD_SPECIAL)
    g_array_append_vals (ids, self->suffix_ids->data, self->suffix_ids->len);

  return TRUE;
}

gboolean
wh_tokenizer_encode_segments (WhTokenizer  *self,
                              GPtrArray    *segments,
                              GArray       *ids,
                              GArray       *mask,
                              GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) fragments = NULL;
  g_autoptr(GArray) offsets = NULL;
  g_autoptr(GArray) spans = NULL;   /* assistant byte ranges */
  guint first_id;
  WhEncoder *e;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (segments != NULL, FALSE);
  g_return_val_if_fail (ids != NULL && g_array_get_element_size (ids) == sizeof (gint32), FALSE);
  g_return_val_if_fail (mask == NULL || g_array_get_element_size (mask) == 1, FALSE);

  fragments = g_array_new (FALSE, FALSE, sizeof (Fragment));
  spans = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (guint i = 0; i < segments->len; i++)
    {
      const WhChatSegment *seg = g_ptr_array_index (segments, i);
      gsize len = strlen (seg->text);
      gsize at = text->len;

      if (!check_utf8 (self, seg->text, len, error))
        return FALSE;
      g_string_append_len (text, seg->text, len);
      split_added (self, text->str, at, text->len,
                   seg->kind == WH_CHAT_SEGMENT_MARKUP, fragments);
      if (seg->assistant && len > 0)
        {
          gsize range[2] = { at, text->len };
          g_array_append_vals (spans, range, 2);
        }
    }

  offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  first_id = ids->len;
  e = _wh_encoder_new (self, ids, offsets);
  encode_fragments (e, text->str, fragments);
  _wh_encoder_free (e);

  if (mask != NULL)
    for (guint t = first_id; t < ids->len; t++)
      {
        guint32 ts = g_array_index (offsets, guint32, 2 * (t - first_id));
        guint32 te = g_array_index (offsets, guint32, 2 * (t - first_id) + 1);
        guint8 in = 0;

        for (guint s = 0; s < spans->len / 2 && !in; s++)
          {
            gsize ss = g_array_index (spans, gsize, 2 * s);
            gsize se = g_array_index (spans, gsize, 2 * s + 1);

            /* Overlap; an empty token span counts by its position. */
            if (te > ts ? (ts < se && te > ss) : (ts >= ss && ts < se))
              in = 1;
          }
        g_array_append_val (mask, in);
      }

  return TRUE;
}

gboolean
wh_tokenizer_encode_chat (WhTokenizer          *self,
                          WhChatTemplate       *tmpl,
                          const WhChatMessage  *messages,
                          gsize                 n_messages,
                          gboolean              add_generation_prompt,
                          GArray               *ids,
                          GArray               *mask,
                          char                **text,
                          GError              **error)
{
  g_autoptr(GPtrArray) segments = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tmpl != NULL, FALSE);

  segments = wh_chat_template_render (tmpl, messages, n_messages, add_generation_prompt, error);
  if (segments == NULL || !wh_tokenizer_encode_segments (self, segments, ids, mask, error))
    return FALSE;
  if (text != NULL)
    *text = wh_chat_segments_join (segments);
  return TRUE;
}
