/* wh-train-run.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wh-json.h"
#include "wh-preset.h"
#include "wh-train-run.h"
#include "wh-train-step.h"

typedef struct
{
  GArray *ids;       /* gint32 */
  GArray *targets;   /* gint32, -1 where nothing is learned */
  guint   n_targets;
} Sequence;

static void
sequence_free (gpointer data)
{
  Sequence *s = data;

  g_array_unref (s->ids);
  g_array_unref (s->targets);
  g_free (s);
}

double
wh_train_learning_rate (const WhRecipe *r,
                        guint           step,
                        guint           total)
{
  double progress;

  if (step < r->warmup_steps)
    return r->learning_rate * (double) step / MAX (1, r->warmup_steps);
  if (r->schedule == WH_SCHEDULE_CONSTANT)
    return r->learning_rate;
  progress = (double) (step - r->warmup_steps) / MAX (1, (gint) total - (gint) r->warmup_steps);
  if (r->schedule == WH_SCHEDULE_LINEAR)
    return r->learning_rate * MAX (0.0, 1.0 - progress);
  return r->learning_rate * MAX (0.0, 0.5 * (1.0 + cos (G_PI * progress)));
}

static const char *const role_names[] = { "system", "user", "assistant" };

/* One line of the run's dataset copy → ids and targets. */
static Sequence *
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
  Sequence *seq;
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

  seq = g_new0 (Sequence, 1);
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

static GPtrArray *
read_split (const char      *path,
            WhTokenizer     *tok,
            WhChatTemplate  *tmpl,
            const WhRecipe  *r,
            GError         **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (sequence_free);
  g_autoptr(WhRecordReader) reader = wh_record_reader_new (path, WH_FILE_KIND_JSONL, error);
  WhRecord rec = { 0 };

  if (reader == NULL)
    return NULL;
  while (wh_record_reader_next (reader, &rec, error))
    {
      Sequence *seq;

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
        sequence_free (seq);
    }
  wh_record_clear (&rec);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&out);
}

static gboolean
validation_loss (WhTrainStep *step,
                 GPtrArray   *val,
                 double      *loss,
                 GError     **error)
{
  double sum = 0;
  guint64 count = 0;

  for (guint i = 0; i < val->len; i++)
    {
      Sequence *s = g_ptr_array_index (val, i);
      double part;

      if (!wh_train_step_loss (step, (const gint32 *) (gpointer) s->ids->data,
                               (const gint32 *) (gpointer) s->targets->data, s->ids->len, &part, error))
        return FALSE;
      sum += part;
      count += s->n_targets;
    }
  *loss = count > 0 ? sum / count : NAN;
  return TRUE;
}

static gboolean
append_metrics (GOutputStream          *out,
                const WhTrainProgress  *p,
                GError                **error)
{
  g_autofree char *line = NULL;
  char loss[G_ASCII_DTOSTR_BUF_SIZE], val[G_ASCII_DTOSTR_BUF_SIZE], lr[G_ASCII_DTOSTR_BUF_SIZE];
  char norm[G_ASCII_DTOSTR_BUF_SIZE], tps[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (loss, sizeof loss, "%.6f", p->loss);
  g_ascii_formatd (val, sizeof val, "%.6f", p->val_loss);
  g_ascii_formatd (lr, sizeof lr, "%.6g", p->learning_rate);
  g_ascii_formatd (norm, sizeof norm, "%.6f", p->grad_norm);
  g_ascii_formatd (tps, sizeof tps, "%.1f", p->tokens_per_second);
  line = g_strdup_printf ("{\"step\": %u, \"epoch\": %u, \"loss\": %s, \"val_loss\": %s, \"lr\": %s, "
                          "\"grad_norm\": %s, \"tokens_per_second\": %s}\n",
                          p->step, p->epoch, loss, isnan (p->val_loss) ? "null" : val, lr, norm, tps);
  return g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error) &&
         g_output_stream_flush (out, NULL, error);
}

/* checkpoints/epoch-N, written beside and renamed into place. */
static char *
write_checkpoint (WhAdapter   *adapter,
                  const char  *run_dir,
                  const char  *base_model,
                  guint        epoch,
                  GError     **error)
{
  g_autofree char *parent = g_build_filename (run_dir, "checkpoints", NULL);
  g_autofree char *name = g_strdup_printf ("epoch-%u", epoch);
  g_autofree char *partial = g_strdup_printf ("%s/.%s.partial", parent, name);
  char *final = g_build_filename (parent, name, NULL);

  if (g_mkdir_with_parents (partial, 0755) != 0 ||
      !wh_adapter_save (adapter, partial, base_model, error) ||
      g_rename (partial, final) != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                     _("Cannot write the checkpoint “%s”: %s"), final, g_strerror (errno));
      g_free (final);
      return NULL;
    }
  return final;
}

gboolean
wh_train_run (WhClContext          *ctx,
              const WhRecipe       *recipe,
              const char           *run_dir,
              WhTrainProgressFunc   func,
              gpointer              user_data,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autoptr(WhDataset) dataset = NULL;
  g_autoptr(GPtrArray) train = NULL;
  g_autoptr(GPtrArray) val = NULL;
  g_autoptr(GOutputStream) metrics = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *dataset_dir = g_build_filename (run_dir, "dataset", NULL);
  g_autofree char *train_path = g_build_filename (dataset_dir, "train.jsonl", NULL);
  g_autofree char *val_path = g_build_filename (dataset_dir, "val.jsonl", NULL);
  g_autofree char *recipe_path = g_build_filename (run_dir, "recipe.json", NULL);
  g_autofree char *metrics_path = g_build_filename (run_dir, "metrics.jsonl", NULL);
  g_autofree char *adapter_dir = NULL;
  g_autofree guint *order = NULL;
  WhRecipe used = *recipe;
  WhTokenizer *tok;
  WhDatasetOptions options;
  WhClAdamwParams adam;
  guint per_step, steps_per_epoch, total, done = 0;
  guint64 tokens = 0;
  gint64 start;

  if (recipe->method != WH_METHOD_LORA)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The method “%s” is not available yet; use \"lora\""), wh_method_to_string (recipe->method));
      return FALSE;
    }
  if (recipe->model == NULL || recipe->dataset_path == NULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The recipe needs a “model” and a “dataset”"));
      return FALSE;
    }
  if (g_mkdir_with_parents (dataset_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Cannot create the run folder “%s”: %s"), run_dir, g_strerror (errno));
      return FALSE;
    }

  if (!(model = wh_model_load (ctx, recipe->model, recipe->max_seq_len, error)))
    return FALSE;
  if ((tok = wh_model_get_tokenizer (model)) == NULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID, _("The model “%s” has no tokenizer"), recipe->model);
      return FALSE;
    }
  if (g_strcmp0 (recipe->template, "auto") != 0)
    {
      WhChatFamily family;

      if (!wh_chat_family_from_string (recipe->template, &family, error))
        return FALSE;
      tmpl = wh_chat_template_new (family, wh_tokenizer_get_token_text (tok, wh_tokenizer_get_bos (tok)),
                                   wh_tokenizer_get_token_text (tok, wh_tokenizer_get_eos (tok)));
    }
  else if (wh_tokenizer_get_chat_template (tok) != NULL && !(tmpl = wh_tokenizer_dup_chat_template (tok, error)))
    return FALSE;

  /* The run's own copy of the data, checked. */
  wh_dataset_options_init (&options);
  options.format = recipe->dataset_format;
  options.columns = (const char * const *) recipe->dataset_columns;
  options.text_prompt = recipe->text_prompt;
  options.system_prompt = recipe->system_prompt;
  options.tokenizer = tok;
  options.chat_template = tmpl;
  options.max_seq_len = recipe->max_seq_len;
  options.val_fraction = recipe->val_fraction;
  options.seed = recipe->seed;
  options.output_dir = dataset_dir;
  if (!(dataset = wh_dataset_import (recipe->dataset_path, &options, NULL, NULL, cancellable, error)))
    return FALSE;
  if (!wh_dataset_is_usable (dataset))
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The dataset “%s” has nothing to train on; run whetstone-cli validate on it to see why"),
                   recipe->dataset_path);
      return FALSE;
    }
  /* Plain text trains without a template. */
  if (wh_dataset_get_format (dataset) == WH_DATASET_FORMAT_TEXT)
    g_clear_pointer (&tmpl, wh_chat_template_free);
  if (!(train = read_split (train_path, tok, tmpl, recipe, error)) ||
      !(val = read_split (val_path, tok, tmpl, recipe, error)))
    return FALSE;

  per_step = recipe->batch_size * recipe->grad_accum;
  steps_per_epoch = MAX (1, (train->len + per_step - 1) / per_step);
  used.epochs = recipe->epochs > 0 ? recipe->epochs : wh_preset_auto_epochs (train->len);
  total = recipe->max_steps > 0 ? recipe->max_steps : used.epochs * steps_per_epoch;
  if (!wh_recipe_save (&used, recipe_path, error))
    return FALSE;

  if (!(adapter = wh_adapter_new (model, recipe->lora_r, recipe->lora_alpha, recipe->lora_dropout,
                                  recipe->use_rslora, recipe->lora_targets, recipe->seed, error)) ||
      !wh_model_set_adapter (model, adapter, error) ||
      !(step = wh_train_step_new (model, adapter, recipe->max_seq_len, error)))
    return FALSE;

  {
    g_autoptr(GFile) file = g_file_new_for_path (metrics_path);

    if (!(metrics = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error))))
      return FALSE;
  }

  adam = (WhClAdamwParams) { recipe->learning_rate, 0.9, 0.999, 1e-8, recipe->weight_decay };
  rand = g_rand_new_with_seed ((guint32) recipe->seed);
  order = g_new (guint, train->len);
  start = g_get_monotonic_time ();

  for (guint epoch = 1; done < total; epoch++)
    {
      for (guint i = 0; i < train->len; i++)
        order[i] = i;
      if (recipe->shuffle)
        for (guint i = train->len; i > 1; i--)
          {
            guint j = g_rand_int_range (rand, 0, i), t = order[i - 1];

            order[i - 1] = order[j];
            order[j] = t;
          }

      for (guint first = 0; first < train->len && done < total; first += per_step)
        {
          guint last = MIN (first + per_step, train->len), n_targets = 0;
          double loss = 0;
          float norm = 0;
          WhTrainProgress p = { 0 };
          g_autofree char *checkpoint = NULL;
          gboolean epoch_end = last == train->len;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          for (guint i = first; i < last; i++)
            n_targets += ((Sequence *) g_ptr_array_index (train, order[i]))->n_targets;
          if (!wh_train_step_zero_grad (step, error))
            return FALSE;
          for (guint i = first; i < last; i++)
            {
              Sequence *s = g_ptr_array_index (train, order[i]);
              double part;

              if (!wh_train_step_accumulate (step, (const gint32 *) (gpointer) s->ids->data,
                                             (const gint32 *) (gpointer) s->targets->data, s->ids->len,
                                             1.0f / n_targets, &part, error))
                return FALSE;
              loss += part;
              tokens += s->ids->len;
            }
          adam.lr = wh_train_learning_rate (recipe, done, total);
          if (!wh_train_step_optimize (step, &adam, done + 1, recipe->grad_clip, &norm, error))
            return FALSE;
          done++;

          p.step = done;
          p.total_steps = total;
          p.epoch = epoch;
          p.n_epochs = recipe->max_steps > 0 ? (total + steps_per_epoch - 1) / steps_per_epoch : used.epochs;
          p.loss = loss / n_targets;
          p.val_loss = NAN;
          p.learning_rate = adam.lr;
          p.grad_norm = norm;
          p.elapsed = (g_get_monotonic_time () - start) / 1e6;
          p.tokens_per_second = tokens / MAX (p.elapsed, 1e-9);
          p.eta = p.elapsed / done * (total - done);
          p.device_memory = wh_cl_context_get_mem_in_use (ctx);
          p.device_memory_peak = wh_cl_context_get_mem_peak (ctx);

          if ((epoch_end || done == total ||
               (recipe->eval_every_steps > 0 && done % recipe->eval_every_steps == 0)) && val->len > 0 &&
              !validation_loss (step, val, &p.val_loss, error))
            return FALSE;
          if (epoch_end || done == total)
            {
              if (!(checkpoint = write_checkpoint (adapter, run_dir, recipe->model, epoch, error)))
                return FALSE;
              p.checkpoint = checkpoint;
            }
          if (!append_metrics (metrics, &p, error))
            return FALSE;
          if (func != NULL)
            func (&p, user_data);
        }
    }

  if (!g_output_stream_close (metrics, NULL, error))
    return FALSE;

  adapter_dir = recipe->output_dir != NULL ? g_build_filename (recipe->output_dir, "adapter", NULL)
                                           : g_build_filename (run_dir, "adapter", NULL);
  if (g_mkdir_with_parents (adapter_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Cannot create “%s”: %s"), adapter_dir, g_strerror (errno));
      return FALSE;
    }
  return wh_adapter_save (adapter, adapter_dir, recipe->model, error);
}
