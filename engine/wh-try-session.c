/* wh-try-session.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-adapter.h"
#include "wh-model-info.h"
#include "wh-run-folder.h"
#include "wh-train-run.h"
#include "wh-try-session.h"

/* The prompt and the answers so far must leave this much room in the
 * model's context for the answer; earlier turns of a conversation are
 * left out until they do. */
#define MIN_ANSWER_TOKENS 16
#define MIN_CONTEXT       1024
#define MAX_CONTEXT       4096

struct _WhTrySession
{
  gatomicrefcount  ref;
  WhRecipe         recipe;
  gsize            n_ctx;
  /* Compute thread only */
  WhModel         *base;
  WhChatTemplate  *tmpl;
};

/**
 * wh_try_session_new:
 * @recipe: the run's recipe (its recipe.json)
 *
 * Returns: (transfer full): a session with no model loaded yet
 */
WhTrySession *
wh_try_session_new (const WhRecipe *recipe)
{
  WhTrySession *session;

  g_return_val_if_fail (recipe != NULL, NULL);

  session = g_new0 (WhTrySession, 1);
  g_atomic_ref_count_init (&session->ref);
  wh_recipe_init (&session->recipe);
  wh_recipe_copy (&session->recipe, recipe);
  session->n_ctx = CLAMP (recipe->max_seq_len * 2, MIN_CONTEXT, MAX_CONTEXT);
  return session;
}

WhTrySession *
wh_try_session_ref (WhTrySession *session)
{
  g_return_val_if_fail (session != NULL, NULL);

  g_atomic_ref_count_inc (&session->ref);
  return session;
}

void
wh_try_session_unref (WhTrySession *session)
{
  g_return_if_fail (session != NULL);

  if (!g_atomic_ref_count_dec (&session->ref))
    return;
  g_clear_pointer (&session->tmpl, wh_chat_template_free);
  g_clear_pointer (&session->base, wh_model_free);
  wh_recipe_clear (&session->recipe);
  g_free (session);
}

const WhRecipe *
wh_try_session_get_recipe (WhTrySession *session)
{
  g_return_val_if_fail (session != NULL, NULL);

  return &session->recipe;
}

static void
set_phase (WhTrySession       *session,
           const WhTryRequest *request,
           WhTryPhase          phase)
{
  if (request->phase != NULL)
    request->phase (phase, session->tmpl != NULL, request->user_data);
}

/* Refuses, with the numbers, a model the device has no room for beside
 * what it holds already (a run training on it, the base model), before
 * any of its weights load: the estimate comes from its metadata. */
static gboolean
check_room (WhClContext  *ctx,
            const char   *path,
            WhClDType     quant,
            gsize         n_ctx,
            GError      **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  guint64 in_use = wh_cl_context_get_mem_in_use (ctx);
  guint64 free_bytes = device->global_mem_size - MIN (device->global_mem_size, in_use);
  g_auto(WhModelInfo) info = { 0 };
  g_autofree char *name = NULL, *need = NULL, *weights = NULL, *have = NULL, *used = NULL;
  WhMemoryEstimate e;

  if (!wh_model_info_load (&info, path, error))
    return FALSE;
  wh_model_info_estimate_inference_quantized (&info, quant, n_ctx, &e);
  if (e.total <= free_bytes)
    return TRUE;

  name = g_filename_display_name (path);
  need = g_format_size (e.total);
  weights = g_format_size (e.weights);
  have = g_format_size (free_bytes);
  used = g_format_size (in_use);
  if (in_use > 0)
    g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY,
                 _("“%s” needs about %s of device memory to answer (its weights %s), and %s has %s free: "
                   "training and the models loaded to answer hold %s. Try again once training has finished."),
                 name, need, weights, device->name, have, used);
  else
    g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY,
                 _("“%s” needs about %s of device memory to answer (its weights %s), and %s has %s."),
                 name, need, weights, device->name, have);
  return FALSE;
}

/* On the compute thread: @path as the run trains it, QLoRA's projections
 * quantised (@quant), or as stored (f32). */
static WhModel *
load_model (WhClContext  *ctx,
            const char   *path,
            WhClDType     quant,
            gsize         n_ctx,
            GError      **error)
{
  if (!check_room (ctx, path, quant, n_ctx, error))
    return NULL;
  return wh_model_load_quantized (ctx, path, n_ctx, quant, error);
}

/* The prompt's ids: the conversation in the run's template, without its
 * earliest exchanges if it would leave too little room for the answer,
 * or the latest prompt alone as plain text to continue. */
static gboolean
encode_prompt (const WhTryRequest  *request,
               WhTokenizer         *tok,
               WhChatTemplate      *tmpl,
               gsize                n_ctx,
               GArray              *ids,
               GError             **error)
{
  guint n_turns = g_strv_length ((char **) request->turns);
  gsize room = MIN (request->options.max_tokens, MAX (n_ctx / 2, MIN_ANSWER_TOKENS));

  g_assert (n_turns % 2 == 1);

  if (tmpl == NULL)
    {
      if (!wh_tokenizer_encode (tok, request->turns[n_turns - 1], -1, WH_ENCODE_ADD_SPECIAL, ids, error))
        return FALSE;
    }
  else
    {
      g_autofree WhChatMessage *messages = g_new0 (WhChatMessage, n_turns + 1);

      for (guint first = 0; first < n_turns; first += 2)
        {
          guint n = 0;

          if (request->system != NULL)
            messages[n++] = (WhChatMessage) { WH_CHAT_ROLE_SYSTEM, request->system, FALSE };
          for (guint i = first; i < n_turns; i++)
            messages[n++] = (WhChatMessage) { i % 2 == 0 ? WH_CHAT_ROLE_USER : WH_CHAT_ROLE_ASSISTANT,
                                              request->turns[i], FALSE };
          g_array_set_size (ids, 0);
          if (!wh_tokenizer_encode_chat (tok, tmpl, messages, n, TRUE, ids, NULL, NULL, error))
            return FALSE;
          if (ids->len + room <= n_ctx)
            break;
        }
    }

  if (ids->len == 0 || ids->len + MIN_ANSWER_TOKENS > n_ctx)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The prompt is too long: it has %u tokens, and this model reads at most %u with its answer"),
                   ids->len, (guint) n_ctx);
      return FALSE;
    }
  return TRUE;
}

static gboolean
generate_with (WhTrySession        *session,
               const WhTryRequest  *request,
               WhModel             *model,
               GCancellable        *cancellable,
               GString             *text,
               WhGenerateStats     *stats,
               GError             **error)
{
  WhTokenizer *tok = wh_model_get_tokenizer (model);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  WhGenerateOptions options = request->options;

  if (tok == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("This model has no tokenizer"));
      return FALSE;
    }
  if (!encode_prompt (request, tok, session->tmpl, wh_model_get_n_ctx (model), ids, error))
    return FALSE;
  if (session->tmpl != NULL)
    options.stop_strings = wh_chat_template_get_stop_strings (session->tmpl);

  set_phase (session, request, WH_TRY_PHASE_WRITING);
  return wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                            request->piece, request->user_data, cancellable, text, NULL, stats, error);
}

/**
 * wh_try_session_get_base:
 *
 * Returns: (nullable) (transfer none): the base model, on the compute
 *   thread, once an answer has loaded it
 */
WhModel *
wh_try_session_get_base (WhTrySession *session)
{
  g_return_val_if_fail (session != NULL, NULL);

  return session->base;
}

/**
 * wh_try_session_answer:
 *
 * Returns: whether @text and @stats hold the answer
 */
gboolean
wh_try_session_answer (WhTrySession        *session,
                       WhClContext         *ctx,
                       const WhTryRequest  *request,
                       GCancellable        *cancellable,
                       GString             *text,
                       WhGenerateStats     *stats,
                       GError             **error)
{
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhModel) model = NULL;
  gboolean ok;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (request != NULL && request->turns != NULL, FALSE);
  g_return_val_if_fail (text != NULL && stats != NULL, FALSE);

  if (session->base == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      WhTokenizer *tok;

      set_phase (session, request, WH_TRY_PHASE_LOADING);
      /* A QLoRA run's base is tried as it trains: quantised. */
      if (!(session->base = load_model (ctx, session->recipe.model, wh_train_load_type (&session->recipe),
                                        session->n_ctx, error)))
        return FALSE;
      /* No template at all is plain text, not a failure. */
      if ((tok = wh_model_get_tokenizer (session->base)) != NULL)
        session->tmpl = wh_run_folder_dup_chat_template (&session->recipe, tok, &local_error);
      if (local_error != NULL)
        {
          g_clear_pointer (&session->base, wh_model_free);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  set_phase (session, request, WH_TRY_PHASE_READY);

  if (request->checkpoint == NULL)
    {
      if (!wh_model_set_adapter (session->base, NULL, error))
        return FALSE;
      return generate_with (session, request, session->base, cancellable, text, stats, error);
    }

  if (!request->is_adapter)
    {
      /* Full fine-tuning: the checkpoint is a model of its own, loaded
       * for this answer only. */
      set_phase (session, request, WH_TRY_PHASE_LOADING);
      if (!(model = load_model (ctx, request->checkpoint, WH_CL_DTYPE_F32, session->n_ctx, error)))
        return FALSE;
      return generate_with (session, request, model, cancellable, text, stats, error);
    }

  if (!(adapter = wh_adapter_load (session->base, request->checkpoint, error)) ||
      !wh_model_set_adapter (session->base, adapter, error))
    return FALSE;
  ok = generate_with (session, request, session->base, cancellable, text, stats, error);
  /* Off again before it is freed. */
  wh_model_set_adapter (session->base, NULL, NULL);
  return ok;
}
