/* wh-train-data.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-json.h"
#include "wh-record-reader.h"
#include "wh-train-data.h"

void
wh_train_sequence_free (gpointer data)
{
  WhTrainSequence *s = data;

  g_array_unref (s->ids);
  g_array_unref (s->targets);
  g_clear_pointer (&s->seg, g_array_unref);
  g_free (s);
}

static const char *const role_names[] = { "system", "user", "assistant" };

/* One line of the run's dataset copy → ids and targets. */
static WhTrainSequence *
tokenize_line (JsonObject      *row,
               WhTokenizer     *tok,
               WhChatTemplate  *tmpl,
               gboolean         train_on_all,
               gsize            max_len,
               GError         **error)
{
  JsonArray *messages = wh_json_get_array (row, "messages");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) mask = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autofree WhChatMessage *msgs = NULL;
  WhTrainSequence *seq;
  guint n;

  if (messages == NULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID, _("Preference data needs preference training, which is not available yet"));
      return NULL;
    }
  n = json_array_get_length (messages);
  msgs = g_new0 (WhChatMessage, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      const char *role = wh_json_get_string (m, "role");

      for (guint r = 0; r < G_N_ELEMENTS (role_names); r++)
        if (g_strcmp0 (role, role_names[r]) == 0)
          msgs[i].role = r;
      msgs[i].content = wh_json_get_string (m, "content");
      msgs[i].train = msgs[i].role == WH_CHAT_ROLE_ASSISTANT &&
                      json_object_get_int_member_with_default (m, "weight", 1) != 0;
    }

  if (tmpl != NULL)
    {
      if (!wh_tokenizer_encode_chat (tok, tmpl, msgs, n, FALSE, ids, mask, NULL, error))
        return NULL;
    }
  else
    {
      /* Plain text: every token is learned, then the end of text. */
      gint32 eos = wh_tokenizer_get_eos (tok);

      for (guint i = 0; i < n; i++)
        if (!wh_tokenizer_encode (tok, msgs[i].content, -1, i == 0 ? WH_ENCODE_ADD_SPECIAL : WH_ENCODE_NONE, ids, error))
          return NULL;
      if (eos >= 0)
        g_array_append_val (ids, eos);
      g_array_set_size (mask, ids->len);
      memset (mask->data, 1, ids->len);
    }

  if (ids->len > max_len)
    {
      g_array_set_size (ids, max_len);
      g_array_set_size (mask, max_len);
    }

  seq = g_new0 (WhTrainSequence, 1);
  seq->ids = g_steal_pointer (&ids);
  seq->targets = g_array_sized_new (FALSE, FALSE, sizeof (gint32), seq->ids->len);
  for (guint t = 0; t < seq->ids->len; t++)
    {
      gint32 target = -1;

      if (t + 1 < seq->ids->len && (train_on_all || g_array_index (mask, guint8, t + 1)))
        target = g_array_index (seq->ids, gint32, t + 1);
      g_array_append_val (seq->targets, target);
      seq->n_targets += target >= 0;
    }
  return seq;
}

GPtrArray *
wh_train_data_read (const char      *path,
                    WhTokenizer     *tok,
                    WhChatTemplate  *tmpl,
                    const WhRecipe  *r,
                    GError         **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (wh_train_sequence_free);
  g_autoptr(WhRecordReader) reader = wh_record_reader_new (path, WH_FILE_KIND_JSONL, error);
  WhRecord rec = { 0 };

  if (reader == NULL)
    return NULL;
  while (wh_record_reader_next (reader, &rec, error))
    {
      WhTrainSequence *seq;

      if (rec.json == NULL || !JSON_NODE_HOLDS_OBJECT (rec.json))
        continue;
      if (!(seq = tokenize_line (json_node_get_object (rec.json), tok, tmpl, r->train_on_all, r->max_seq_len, error)))
        {
          wh_record_clear (&rec);
          return NULL;
        }
      if (seq->n_targets > 0)
        g_ptr_array_add (out, seq);
      else
        wh_train_sequence_free (seq);
    }
  wh_record_clear (&rec);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&out);
}


typedef struct
{
  GPtrArray *sequences;
} PackOrder;

/* Longest first; equal lengths in their original order. */
static gint
longer_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  PackOrder *o = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  guint la = ((WhTrainSequence *) g_ptr_array_index (o->sequences, ia))->ids->len;
  guint lb = ((WhTrainSequence *) g_ptr_array_index (o->sequences, ib))->ids->len;

  if (la != lb)
    return la > lb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

static void
pack_append (WhTrainSequence       *pack,
             const WhTrainSequence *s)
{
  gint32 id = pack->seg->len > 0 ? g_array_index (pack->seg, gint32, pack->seg->len - 1) + 1 : 0;

  g_array_append_vals (pack->ids, s->ids->data, s->ids->len);
  g_array_append_vals (pack->targets, s->targets->data, s->targets->len);
  for (guint t = 0; t < s->ids->len; t++)
    g_array_append_val (pack->seg, id);
  pack->n_targets += s->n_targets;
}

GPtrArray *
wh_train_data_pack (GPtrArray *sequences,
                    gsize      max_len)
{
  GPtrArray *packs = g_ptr_array_new_with_free_func (wh_train_sequence_free);
  g_autofree guint *order = g_new (guint, MAX (sequences->len, 1));
  PackOrder o = { sequences };

  g_return_val_if_fail (max_len > 0, packs);

  for (guint i = 0; i < sequences->len; i++)
    order[i] = i;
  g_qsort_with_data (order, sequences->len, sizeof (guint), longer_first, &o);

  /* First fit: each sequence goes into the first pack with room.  The
   * packs' free room only shrinks, so a linear scan is exact; datasets
   * have thousands of examples, not millions. */
  for (guint i = 0; i < sequences->len; i++)
    {
      const WhTrainSequence *s = g_ptr_array_index (sequences, order[i]);
      WhTrainSequence *pack = NULL;

      for (guint p = 0; p < packs->len && pack == NULL; p++)
        {
          WhTrainSequence *candidate = g_ptr_array_index (packs, p);

          if (candidate->ids->len + s->ids->len <= max_len)
            pack = candidate;
        }
      if (pack == NULL)
        {
          pack = g_new0 (WhTrainSequence, 1);
          pack->ids = g_array_new (FALSE, FALSE, sizeof (gint32));
          pack->targets = g_array_new (FALSE, FALSE, sizeof (gint32));
          pack->seg = g_array_new (FALSE, FALSE, sizeof (gint32));
          g_ptr_array_add (packs, pack);
        }
      pack_append (pack, s);
    }
  return packs;
}
