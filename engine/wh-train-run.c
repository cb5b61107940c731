/* wh-train-run.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wh-json.h"
#include "wh-model-info.h"
#include "wh-preset.h"
#include "wh-run-folder.h"
#include "wh-train-checkpoint.h"
#include "wh-train-data.h"
#include "wh-train-run.h"

void
wh_train_progress_clear (gpointer progress)
{
  WhTrainProgress *p = progress;

  g_clear_pointer ((char **) &p->checkpoint, g_free);
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
      WhTrainSequence *s = g_ptr_array_index (val, i);
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
  char norm[G_ASCII_DTOSTR_BUF_SIZE], tps[G_ASCII_DTOSTR_BUF_SIZE], elapsed[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (loss, sizeof loss, "%.6f", p->loss);
  g_ascii_formatd (val, sizeof val, "%.6f", p->val_loss);
  g_ascii_formatd (lr, sizeof lr, "%.6g", p->learning_rate);
  g_ascii_formatd (norm, sizeof norm, "%.6f", p->grad_norm);
  g_ascii_formatd (tps, sizeof tps, "%.1f", p->tokens_per_second);
  g_ascii_formatd (elapsed, sizeof elapsed, "%.3f", p->elapsed);
  /* The run's length and time too, so that its history can be shown
   * again without training (wh_run_folder_read_history()). */
  line = g_strdup_printf ("{\"step\": %u, \"epoch\": %u, \"loss\": %s, \"val_loss\": %s, \"lr\": %s, "
                          "\"grad_norm\": %s, \"tokens_per_second\": %s, \"total_steps\": %u, \"epochs\": %u, "
                          "\"elapsed_seconds\": %s}\n",
                          p->step, p->epoch, loss, isnan (p->val_loss) ? "null" : val, lr, norm, tps,
                          p->total_steps, p->n_epochs, elapsed);
  return g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error) &&
         g_output_stream_flush (out, NULL, error);
}

/* What a run holds from preparation to its last step. */
typedef struct
{
  WhClContext            *ctx;
  WhRecipe                recipe;      /* the values used */
  char                   *run_dir;
  const WhTrainCallbacks *callbacks;
  WhModel                *model;
  WhAdapter              *adapter;
  WhTrainStep            *step;
  GPtrArray              *train;
  GPtrArray              *val;
  GOutputStream          *metrics;
  WhTrainState            state;
  guint                   checkpoint_step;  /* steps in the latest checkpoint */
  guint                   per_step, steps_per_epoch, total;
  int                     lock_fd;     /* run.lock, held while training; 0: not taken */
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->metrics);
  g_clear_pointer (&run->train, g_ptr_array_unref);
  g_clear_pointer (&run->val, g_ptr_array_unref);
  g_clear_pointer (&run->step, wh_train_step_free);
  g_clear_pointer (&run->adapter, wh_adapter_free);
  g_clear_pointer (&run->model, wh_model_free);
  g_clear_pointer (&run->run_dir, g_free);
  wh_recipe_clear (&run->recipe);
  if (run->lock_fd > 0)
    wh_train_run_unlock (run->lock_fd);
  run->lock_fd = 0;
}

int
wh_train_run_lock (const char  *run_dir,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (run_dir, WH_TRAIN_RUN_LOCK_FILE, NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot lock the run folder “%s”: %s"), run_dir, g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _("The run in “%s” is being trained by another Whetstone process (the app or whetstone-cli); "
                       "let it finish or stop it first"), run_dir);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Cannot lock the run folder “%s”: %s"), run_dir, g_strerror (saved));
      return -1;
    }
  return fd;
}

void
wh_train_run_unlock (int fd)
{
  if (fd >= 0)
    close (fd);   /* drops the lock */
}

gboolean
wh_train_run_is_active (const char *run_dir)
{
  g_autofree char *path = g_build_filename (run_dir, WH_TRAIN_RUN_LOCK_FILE, NULL);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean active;

  if (fd < 0)
    return FALSE;
  active = flock (fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close (fd);
  return active;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
run_path (Run        *run,
          const char *name)
{
  return g_build_filename (run->run_dir, name, NULL);
}

/**
 * wh_train_load_type:
 *
 * See wh-train-run.h.
 */
WhClDType
wh_train_load_type (const WhRecipe *r)
{
  g_return_val_if_fail (r != NULL, WH_CL_DTYPE_F32);

  if (r->method != WH_METHOD_QLORA)
    return WH_CL_DTYPE_F32;
  switch (r->quant)
    {
    case WH_QUANT_Q4_0: return WH_CL_DTYPE_Q4_0;
    case WH_QUANT_Q8_0: return WH_CL_DTYPE_Q8_0;
    case WH_QUANT_NF4:
    default:            return WH_CL_DTYPE_NF4;
    }
}

/**
 * wh_train_estimate_memory:
 *
 * See wh-train-run.h.
 */
void
wh_train_estimate_memory (const WhModelInfo *info,
                          const WhRecipe    *r,
                          gsize              seq_len,
                          WhMemoryEstimate  *e)
{
  if (r->method == WH_METHOD_QLORA)
    wh_model_info_estimate_qlora (info, wh_train_load_type (r), r->lora_r, r->lora_targets, seq_len, e);
  else
    wh_model_info_estimate_training (info, r->method == WH_METHOD_FULL, r->lora_r, r->lora_targets, seq_len, e);
}

/* Refuses up front, with a way out, a run the device cannot hold: the
 * estimate is made from the model's metadata, before any weight loads. */
static gboolean
check_fits (WhClContext     *ctx,
            const WhRecipe  *r,
            GError         **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  gboolean full = r->method == WH_METHOD_FULL;
  g_auto(WhModelInfo) info = { 0 };
  g_autofree char *need = NULL, *have = NULL;
  WhMemoryEstimate e;
  /* What the driver, the compiled kernels and fragmentation take. */
  guint64 usable = device->global_mem_size / 10 * 9;
  gsize seq = r->max_seq_len;

  if (!wh_model_info_load (&info, r->model, error))
    return FALSE;
  wh_train_estimate_memory (&info, r, r->max_seq_len, &e);
  if (e.total <= usable)
    return TRUE;

  need = g_format_size (e.total);
  have = g_format_size (device->global_mem_size);
  for (seq = r->max_seq_len / 2; seq >= 64; seq /= 2)
    {
      WhMemoryEstimate shorter;

      wh_train_estimate_memory (&info, r, seq, &shorter);
      if (shorter.total <= usable)
        break;
    }
  if (seq >= 64)
    g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                 _("Training needs about %s of device memory and %s has %s. "
                   "Set train.max_seq_len to %zu or less (long examples are cut there) and try again."),
                 need, device->name, have, seq);
  else if (full)
    g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                 _("Fine-tuning every weight of this model needs about %s of device memory and %s has %s. "
                   "Use \"method\": \"lora\", which trains a small adapter instead."),
                 need, device->name, have);
  else if (r->method == WH_METHOD_QLORA)
    g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                 _("This model needs about %s of device memory to train, even quantised, and %s has %s. "
                   "Choose a smaller model, or \"quant\": \"nf4\" if it is not set."),
                 need, device->name, have);
  else
    g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                 _("This model needs about %s of device memory to train and %s has %s. "
                   "Use \"method\": \"qlora\", choose a smaller model, or a quantised GGUF of this one."),
                 need, device->name, have);
  return FALSE;
}

/* The model and the template the recipe names; the tokenizer is the
 * model's. */
static gboolean
load_model (Run             *run,
            WhChatTemplate **tmpl,
            GError         **error)
{
  WhRecipe *r = &run->recipe;
  g_autoptr(GError) local_error = NULL;
  WhTokenizer *tok;

  if (!(run->model = wh_model_load_quantized (run->ctx, r->model, r->max_seq_len, wh_train_load_type (r),
                                              error)))
    return FALSE;
  /* "auto": the run's copy of the recipe holds the rate used. */
  r->learning_rate = wh_recipe_get_learning_rate (r, wh_model_get_config (run->model)->hidden_size);
  if ((tok = wh_model_get_tokenizer (run->model)) == NULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID, _("The model “%s” has no tokenizer"), r->model);
      return FALSE;
    }
  *tmpl = wh_run_folder_dup_chat_template (r, tok, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The run's own copy of the data, checked; plain text trains without a
 * template. */
static gboolean
import_dataset (Run             *run,
                WhChatTemplate **tmpl,
                GCancellable    *cancellable,
                GError         **error)
{
  const WhRecipe *r = &run->recipe;
  g_autofree char *dataset_dir = run_path (run, "dataset");
  g_autoptr(WhDataset) dataset = NULL;
  WhDatasetOptions options;

  wh_dataset_options_init (&options);
  options.format = r->dataset_format;
  options.columns = (const char * const *) r->dataset_columns;
  options.text_prompt = r->text_prompt;
  options.system_prompt = r->system_prompt;
  options.tokenizer = wh_model_get_tokenizer (run->model);
  options.chat_template = *tmpl;
  options.max_seq_len = r->max_seq_len;
  options.val_fraction = r->val_fraction;
  options.seed = r->seed;
  options.output_dir = dataset_dir;
  if (!(dataset = wh_dataset_import (r->dataset_path, &options, NULL, NULL, cancellable, error)))
    return FALSE;
  if (!wh_dataset_is_usable (dataset))
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The dataset “%s” has nothing to train on; run whetstone-cli validate on it to see why"),
                   r->dataset_path);
      return FALSE;
    }
  /* Recorded in the run's recipe, for a resumed run. */
  run->recipe.dataset_format = wh_dataset_get_format (dataset);
  return TRUE;
}

/* The splits of dataset/; plain text trains without a template. */
static gboolean
read_splits (Run             *run,
             WhChatTemplate  *tmpl,
             GError         **error)
{
  g_autofree char *train_path = g_build_filename (run->run_dir, "dataset", "train.jsonl", NULL);
  g_autofree char *val_path = g_build_filename (run->run_dir, "dataset", "val.jsonl", NULL);
  WhTokenizer *tok = wh_model_get_tokenizer (run->model);

  if (run->recipe.dataset_format == WH_DATASET_FORMAT_TEXT)
    tmpl = NULL;
  if (!(run->train = wh_train_data_read (train_path, tok, tmpl, &run->recipe, error)) ||
      !(run->val = wh_train_data_read (val_path, tok, tmpl, &run->recipe, error)))
    return FALSE;
  if (run->train->len == 0)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The dataset “%s” has no tokens to learn from: check that its examples have assistant turns"),
                   run->recipe.dataset_path);
      return FALSE;
    }
  /* Packed, a step's batch counts sequences of up to max_seq_len tokens,
   * each holding several examples. */
  if (run->recipe.packing)
    {
      GPtrArray *packed = wh_train_data_pack (run->train, run->recipe.max_seq_len);

      g_ptr_array_unref (run->train);
      run->train = packed;
    }
  run->per_step = run->recipe.batch_size * run->recipe.grad_accum;
  run->steps_per_epoch = MAX (1, (run->train->len + run->per_step - 1) / run->per_step);
  if (run->recipe.epochs == 0)
    run->recipe.epochs = wh_preset_auto_epochs (run->train->len);
  run->total = run->recipe.max_steps > 0 ? run->recipe.max_steps : run->recipe.epochs * run->steps_per_epoch;
  return TRUE;
}

/* The trained weights and the step: a new adapter (or the whole model
 * in full fine-tuning), or those of @checkpoint with its optimizer
 * state. */
static gboolean
start_step (Run         *run,
            const char  *checkpoint,
            GError     **error)
{
  const WhRecipe *r = &run->recipe;
  g_autofree char *optimizer = checkpoint != NULL ? g_build_filename (checkpoint, "optimizer.safetensors", NULL) : NULL;

  if (r->method == WH_METHOD_FULL)
    {
      if (checkpoint != NULL)
        {
          /* The checkpoint is the model, tokenizer and all. */
          g_clear_pointer (&run->model, wh_model_free);
          if (!(run->model = wh_model_load (run->ctx, checkpoint, r->max_seq_len, error)))
            return FALSE;
        }
      run->step = wh_train_step_new_full (run->model, r->max_seq_len, error);
    }
  else
    {
      /* From the checkpoint, from the recipe's lora.init_adapter (whose
       * own adapter_config.json sets its rank and targets), or new. */
      if (checkpoint != NULL || r->init_adapter != NULL)
        run->adapter = wh_adapter_load (run->model, checkpoint != NULL ? checkpoint : r->init_adapter, error);
      else
        run->adapter = wh_adapter_new (run->model, r->lora_r, r->lora_alpha, r->lora_dropout,
                                       r->use_rslora, r->lora_targets, r->seed, error);
      if (run->adapter == NULL || !wh_model_set_adapter (run->model, run->adapter, error))
        return FALSE;
      run->step = wh_train_step_new (run->model, run->adapter, r->max_seq_len, error);
    }
  return run->step != NULL && (optimizer == NULL || wh_train_step_load_state (run->step, optimizer, error));
}

static gboolean
open_metrics (Run           *run,
              gboolean       append,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *path = run_path (run, "metrics.jsonl");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (append)
    {
      if (!wh_train_metrics_truncate (path, run->state.step, error))
        return FALSE;
      run->metrics = G_OUTPUT_STREAM (g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, error));
    }
  else
    run->metrics = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error));
  return run->metrics != NULL;
}

/* The order of the examples of @epoch: a function of the seed and the
 * epoch alone, so a resumed run sees the same. */
static void
epoch_order (const Run *run,
             guint      epoch,
             guint     *order)
{
  guint32 seed[3] = { (guint32) run->recipe.seed, (guint32) (run->recipe.seed >> 32), epoch };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));

  for (guint i = 0; i < run->train->len; i++)
    order[i] = i;
  if (run->recipe.shuffle)
    for (guint i = run->train->len; i > 1; i--)
      {
        guint j = g_rand_int_range (rand, 0, i), t = order[i - 1];

        order[i - 1] = order[j];
        order[j] = t;
      }
}

static char *
checkpoint (Run         *run,
            const char  *name,
            GError     **error)
{
  char *path = wh_train_checkpoint_write (run->run_dir, name, run->adapter, run->step,
                                          run->recipe.model, &run->state, error);

  if (path != NULL)
    run->checkpoint_step = run->state.step;
  return path;
}

/* One optimizer step over the examples order[first..last). */
static gboolean
train_step (Run           *run,
            const guint   *order,
            guint          first,
            guint          last,
            WhTrainProgress *p,
            GError       **error)
{
  const WhRecipe *r = &run->recipe;
  WhClAdamwParams adam = { r->learning_rate, 0.9, 0.999, 1e-8, r->weight_decay };
  guint n_targets = 0;
  double loss = 0;
  float norm = 0;

  for (guint i = first; i < last; i++)
    n_targets += ((WhTrainSequence *) g_ptr_array_index (run->train, order[i]))->n_targets;
  if (!wh_train_step_zero_grad (run->step, error))
    return FALSE;
  for (guint i = first; i < last; i++)
    {
      WhTrainSequence *s = g_ptr_array_index (run->train, order[i]);
      double part;

      /* Dropout masks from the seed, the step and the place in it: the
       * same again when a run resumes. */
      wh_train_step_set_dropout (run->step, r->method == WH_METHOD_FULL ? 0.0f : r->lora_dropout,
                                 (guint32) r->seed * 0x85ebca6bu + run->state.step * 0xc2b2ae35u + (i - first));
      if (!wh_train_step_accumulate_packed (run->step, (const gint32 *) (gpointer) s->ids->data,
                                            (const gint32 *) (gpointer) s->targets->data,
                                            s->seg != NULL ? (const gint32 *) (gpointer) s->seg->data : NULL,
                                            s->ids->len, 1.0f / n_targets, &part, error))
        return FALSE;
      loss += part;
      run->state.tokens += s->ids->len;
    }
  adam.lr = wh_train_learning_rate (r, run->state.step, run->total);
  if (!wh_train_step_optimize (run->step, &adam, run->state.step + 1, r->grad_clip, &norm, error))
    return FALSE;
  run->state.step++;

  p->step = run->state.step;
  p->total_steps = run->total;
  p->epoch = run->state.epoch;
  p->n_epochs = r->max_steps > 0 ? (run->total + run->steps_per_epoch - 1) / run->steps_per_epoch : r->epochs;
  p->loss = loss / n_targets;
  p->val_loss = NAN;
  p->learning_rate = adam.lr;
  p->grad_norm = norm;
  return TRUE;
}

static gboolean
stop_cancelled (Run           *run,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (run->state.step > run->checkpoint_step)
    {
      name = g_strdup_printf ("step-%u", run->state.step);
      if (!(path = checkpoint (run, name, error)))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("Stopped after step %u; the checkpoint “%s” holds it"), run->state.step, path);
    }
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped after step %u"), run->state.step);
  return TRUE;
}

static gboolean
train_loop (Run           *run,
            GCancellable  *cancellable,
            GError       **error)
{
  const WhRecipe *r = &run->recipe;
  g_autofree guint *order = g_new (guint, run->train->len);
  g_autofree char *out_dir = NULL;
  const char *result;
  gint64 start = g_get_monotonic_time ();
  double elapsed_before = run->state.elapsed;
  guint steps_before = run->state.step;

  while (run->state.step < run->total)
    {
      guint epoch = run->state.epoch;

      epoch_order (run, epoch, order);
      while (run->state.epoch == epoch && run->state.step < run->total)
        {
          guint first = run->state.next_example, last = MIN (first + run->per_step, run->train->len);
          gboolean epoch_end = last == run->train->len, save;
          g_autofree char *saved = NULL;
          WhTrainProgress p = { 0 };

          if (run->callbacks != NULL && run->callbacks->between_steps != NULL)
            run->callbacks->between_steps (run->callbacks->user_data);
          if (stop_cancelled (run, cancellable, error))
            return FALSE;

          if (!train_step (run, order, first, last, &p, error))
            return FALSE;
          run->state.next_example = last;
          run->state.elapsed = elapsed_before + (g_get_monotonic_time () - start) / 1e6;
          p.elapsed = run->state.elapsed;
          p.tokens_per_second = run->state.tokens / MAX (p.elapsed, 1e-9);
          p.eta = (p.elapsed - elapsed_before) / (run->state.step - steps_before) * (run->total - run->state.step);
          p.device_memory = wh_cl_context_get_mem_in_use (run->ctx);
          p.device_memory_peak = wh_cl_context_get_mem_peak (run->ctx);

          if ((epoch_end || run->state.step == run->total ||
               (r->eval_every_steps > 0 && run->state.step % r->eval_every_steps == 0)) && run->val->len > 0 &&
              !validation_loss (run->step, run->val, &p.val_loss, error))
            return FALSE;

          save = epoch_end || run->state.step == run->total ||
                 (r->save_every_steps > 0 && run->state.step % r->save_every_steps == 0);
          if (epoch_end)
            {
              run->state.epoch++;
              run->state.next_example = 0;
            }
          /* The step's line goes first: a checkpoint is never ahead of
           * metrics.jsonl, which a resume cuts back to the checkpoint. */
          if (!append_metrics (run->metrics, &p, error))
            return FALSE;
          if (save)
            {
              g_autofree char *name = epoch_end ? g_strdup_printf ("epoch-%u", p.epoch)
                                                : g_strdup_printf ("step-%u", run->state.step);

              if (!(saved = checkpoint (run, name, error)))
                return FALSE;
              p.checkpoint = saved;
            }
          if (run->callbacks != NULL && run->callbacks->progress != NULL)
            run->callbacks->progress (&p, run->callbacks->user_data);
        }
    }

  if (!g_output_stream_close (run->metrics, NULL, error))
    return FALSE;

  /* The result: the adapter, or in full fine-tuning the model. */
  result = r->method == WH_METHOD_FULL ? "model" : "adapter";
  out_dir = r->output_dir != NULL ? g_build_filename (r->output_dir, result, NULL) : run_path (run, result);
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Cannot create “%s”: %s"), out_dir, g_strerror (errno));
      return FALSE;
    }
  if (r->method == WH_METHOD_FULL)
    return wh_train_step_save_model (run->step, out_dir, WH_CL_DTYPE_F32, error);
  return wh_adapter_save (run->adapter, out_dir, r->model, error);
}

static gboolean
check_method (const WhRecipe  *recipe,
              GError         **error)
{
  /* lora, qlora (a LoRA on a quantised base) and full all train. */
  if (recipe->method > WH_METHOD_FULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The method %u is unknown; use \"lora\", \"qlora\" or \"full\""), (guint) recipe->method);
      return FALSE;
    }
  return TRUE;
}

gboolean
wh_train_run (WhClContext             *ctx,
              const WhRecipe          *recipe,
              const char              *run_dir,
              const WhTrainCallbacks  *callbacks,
              GCancellable            *cancellable,
              GError                 **error)
{
  g_auto(Run) run = { 0 };
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autofree char *dataset_dir = NULL;
  g_autofree char *recipe_path = NULL;
  WhRecipe *r = &run.recipe;

  g_return_val_if_fail (ctx != NULL && recipe != NULL && run_dir != NULL, FALSE);

  if (!check_method (recipe, error))
    return FALSE;
  if (recipe->dataset_path == NULL)
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The recipe needs a “dataset”: the path of a CSV, JSONL or text file"));
      return FALSE;
    }
  wh_recipe_copy (r, recipe);
  /* No model named: the built-in demo model. */
  if (r->model == NULL)
    {
      r->model = wh_demo_model_dup_dir ();
      if (!g_file_test (r->model, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                       _("The recipe names no “model” and the built-in demo model is not installed (looked in “%s”)"),
                       r->model);
          return FALSE;
        }
    }
  if (!check_fits (ctx, r, error))
    return FALSE;
  run.ctx = ctx;
  run.callbacks = callbacks;
  run.run_dir = g_strdup (run_dir);
  run.state.epoch = 1;

  dataset_dir = run_path (&run, "dataset");
  if (g_mkdir_with_parents (dataset_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Cannot create the run folder “%s”: %s"), run_dir, g_strerror (errno));
      return FALSE;
    }
  if ((run.lock_fd = wh_train_run_lock (run_dir, error)) < 0)
    return FALSE;
  recipe_path = run_path (&run, "recipe.json");
  if (!load_model (&run, &tmpl, error) ||
      !import_dataset (&run, &tmpl, cancellable, error) ||
      !read_splits (&run, tmpl, error))
    return FALSE;
  if (!wh_recipe_save (r, recipe_path, error))
    return FALSE;

  if (!start_step (&run, NULL, error) || !open_metrics (&run, FALSE, cancellable, error))
    return FALSE;
  return train_loop (&run, cancellable, error);
}

gboolean
wh_train_resume (WhClContext             *ctx,
                 const char              *run_dir,
                 const WhTrainCallbacks  *callbacks,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_auto(Run) run = { 0 };
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autofree char *recipe_path = g_build_filename (run_dir, "recipe.json", NULL);
  g_autofree char *latest = NULL;
  g_autoptr(GError) local_error = NULL;
  WhRecipe *r = &run.recipe;

  g_return_val_if_fail (ctx != NULL && run_dir != NULL, FALSE);

  if (!g_file_test (recipe_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” holds no run that got as far as training; start a new one"), run_dir);
      return FALSE;
    }
  if (!wh_recipe_load (r, recipe_path, error) || !check_method (r, error))
    return FALSE;
  run.ctx = ctx;
  run.callbacks = callbacks;
  run.run_dir = g_strdup (run_dir);
  run.state.epoch = 1;

  if ((run.lock_fd = wh_train_run_lock (run_dir, error)) < 0 ||
      !check_fits (ctx, r, error) || !load_model (&run, &tmpl, error) || !read_splits (&run, tmpl, error))
    return FALSE;
  latest = wh_train_checkpoint_find_latest (run_dir, &run.state, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (latest != NULL)
    run.checkpoint_step = run.state.step;
  if (!start_step (&run, latest, error) || !open_metrics (&run, TRUE, cancellable, error))
    return FALSE;
  return train_loop (&run, cancellable, error);
}
