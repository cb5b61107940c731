/* wh-token-stream.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wh-tokenizer-private.h"

/* Ids → text.  A token may end in the middle of a UTF-8 character (byte
 * fallback, byte-level BPE); the stream holds such bytes until the
 * character is complete, so a playground never shows half a character. */

struct _WhTokenStream
{
  WhTokenizer   *tok;
  WhDecodeFlags  flags;
  GByteArray    *pending;
  gboolean       started;
};

static const char replacement[] = "\xef\xbf\xbd";

static gboolean
is_raw_token (WhTokenizer *tok,
              gint32       id)
{
  guint8 type = tok->token_types[id];

  return type == WH_TOKEN_CONTROL || type == WH_TOKEN_USER_DEFINED;
}

static void
append_token_bytes (WhTokenizer *tok,
                    gint32       id,
                    GByteArray  *out)
{
  const char *text = tok->tokens[id];
  gsize len = tok->token_lens[id];

  if (text == NULL)
    return;

  if (is_raw_token (tok, id))
    {
      g_byte_array_append (out, (const guint8 *) text, len);
      return;
    }

  if (tok->kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    {
      const char *p = text;
      const char *end = text + len;

      while (p < end)
        {
          const char *next = g_utf8_next_char (p);
          gunichar cp = g_utf8_get_char_validated (p, end - p);
          gpointer b = g_hash_table_lookup (tok->cp_to_byte, GUINT_TO_POINTER (cp));

          if (next > end)
            next = end;
          if (b != NULL)
            {
              guint8 byte = GPOINTER_TO_UINT (b) - 1;
              g_byte_array_append (out, &byte, 1);
            }
          else
            g_byte_array_append (out, (const guint8 *) p, next - p);
          p = next;
        }
      return;
    }

  if (tok->token_types[id] == WH_TOKEN_BYTE && len == 6 && text[0] == '<')
    {
      guint8 byte = (guint8) ((g_ascii_xdigit_value (text[3]) << 4) | g_ascii_xdigit_value (text[4]));

      g_byte_array_append (out, &byte, 1);
      return;
    }

  for (gsize i = 0; i < len;)
    {
      if (i + 3 <= len && memcmp (text + i, "\xe2\x96\x81", 3) == 0)
        {
          g_byte_array_append (out, (const guint8 *) " ", 1);
          i += 3;
        }
      else
        {
          g_byte_array_append (out, (const guint8 *) text + i, 1);
          i++;
        }
    }
}

static gsize
sequence_length (guint8 lead)
{
  if (lead >= 0xC2 && lead <= 0xDF)
    return 2;
  if (lead >= 0xE0 && lead <= 0xEF)
    return 3;
  if (lead >= 0xF0 && lead <= 0xF4)
    return 4;
  return 0;
}

/* Moves the complete characters of @pending to @out; with @final, also
 * what is left, as U+FFFD. */
static void
drain (GByteArray *pending,
       GString    *out,
       gboolean    final)
{
  const char *data = (const char *) pending->data;
  gsize len = pending->len;
  gsize done = 0;

  while (done < len)
    {
      const char *bad;
      gsize need, have;

      if (g_utf8_validate_len (data + done, len - done, &bad))
        {
          g_string_append_len (out, data + done, len - done);
          done = len;
          break;
        }

      g_string_append_len (out, data + done, bad - (data + done));
      done = bad - data;

      need = sequence_length ((guint8) data[done]);
      have = 1;
      while (have < need && done + have < len &&
             ((guint8) data[done + have] & 0xC0) == 0x80)
        have++;

      if (need > 0 && have < need && done + have == len && !final)
        break;  /* may still complete */

      g_string_append (out, replacement);
      done += have;
    }

  g_byte_array_remove_range (pending, 0, done);
}

WhTokenStream *
wh_token_stream_new (WhTokenizer   *tokenizer,
                     WhDecodeFlags  flags)
{
  WhTokenStream *stream;

  g_return_val_if_fail (tokenizer != NULL, NULL);

  stream = g_new0 (WhTokenStream, 1);
  stream->tok = wh_tokenizer_ref (tokenizer);
  stream->flags = flags;
  stream->pending = g_byte_array_new ();
  stream->started = (flags & WH_DECODE_CONTINUE) != 0;
  return stream;
}

void
wh_token_stream_free (WhTokenStream *stream)
{
  if (stream == NULL)
    return;
  wh_tokenizer_unref (stream->tok);
  g_byte_array_unref (stream->pending);
  g_free (stream);
}

void
wh_token_stream_push (WhTokenStream *stream,
                      gint32         id,
                      GString       *out)
{
  WhTokenizer *tok;
  guint before;

  g_return_if_fail (stream != NULL);
  g_return_if_fail (out != NULL);

  tok = stream->tok;
  if (id < 0 || (guint) id >= tok->n_vocab)
    return;
  if ((stream->flags & WH_DECODE_SKIP_SPECIAL) && wh_tokenizer_is_special (tok, id))
    return;

  before = stream->pending->len;
  append_token_bytes (tok, id, stream->pending);

  if (!stream->started && stream->pending->len > before)
    {
      stream->started = TRUE;
      if (tok->decode_strip_space && stream->pending->data[before] == ' ')
        g_byte_array_remove_index (stream->pending, before);
    }

  drain (stream->pending, out, FALSE);
}

void
wh_token_stream_flush (WhTokenStream *stream,
                       GString       *out)
{
  g_return_if_fail (stream != NULL);
  drain (stream->pending, out, TRUE);
}

char *
wh_tokenizer_decode (WhTokenizer   *self,
                     const gint32  *ids,
                     gsize          n_ids,
                     WhDecodeFlags  flags)
{
  g_autoptr(WhTokenStream) stream = wh_token_stream_new (self, flags);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n_ids; i++)
    wh_token_stream_push (stream, ids[i], out);
  wh_token_stream_flush (stream, out);

  return g_string_free (out, FALSE);
}
