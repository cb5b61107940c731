/* wh-try-session.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-generate.h"
#include "wh-model.h"
#include "wh-recipe.h"

G_BEGIN_DECLS

/* Answers from a run's models, as the app's Try It step asks for them:
 * the base model of the run's recipe, loaded on the device's compute
 * thread at the first answer as the run trains it (a QLoRA run's
 * quantised) and kept there for the next ones, with a
 * checkpoint's adapter put on for one answer (in full fine-tuning, the
 * checkpoint loaded as a model of its own).  The prompt is the
 * conversation in the run's chat template, its earliest exchanges left
 * out until the answer has room, or without a template the latest prompt
 * alone, as text to continue.  A session is made and referenced on any
 * thread; its model is touched on the compute thread only, where the
 * last reference must be dropped once it has answered. */

typedef struct _WhTrySession WhTrySession;

typedef enum
{
  WH_TRY_PHASE_LOADING,  /* a model is being loaded */
  WH_TRY_PHASE_READY,    /* the base model is there, and whether the run has a template known */
  WH_TRY_PHASE_WRITING,  /* the answer is being written */
} WhTryPhase;

/* On the compute thread. */
typedef void (*WhTryPhaseFunc) (WhTryPhase  phase,
                                gboolean    has_template,
                                gpointer    user_data);

typedef struct
{
  const char         *checkpoint;  /* NULL: the base model */
  gboolean            is_adapter;  /* else the checkpoint is a whole model */
  const char         *system;      /* NULL: none */
  const char * const *turns;       /* user, assistant, …, user */
  WhGenerateOptions   options;
  WhTryPhaseFunc      phase;       /* may be NULL */
  WhGenerateFunc      piece;       /* may be NULL */
  gpointer            user_data;
} WhTryRequest;

WhTrySession   *wh_try_session_new        (const WhRecipe      *recipe);
WhTrySession   *wh_try_session_ref        (WhTrySession        *session);
void            wh_try_session_unref      (WhTrySession        *session);
/* The recipe's copy; its values are the run's. */
const WhRecipe *wh_try_session_get_recipe (WhTrySession        *session);
/* On the compute thread: the base model, NULL until the first answer
 * loads it (for a QLoRA run, quantised as the run trains it). */
WhModel        *wh_try_session_get_base   (WhTrySession        *session);
/* On the compute thread of @ctx: answers @request, the whole answer in
 * @text (without the stop string) and its numbers in @stats. */
gboolean        wh_try_session_answer     (WhTrySession        *session,
                                           WhClContext         *ctx,
                                           const WhTryRequest  *request,
                                           GCancellable        *cancellable,
                                           GString             *text,
                                           WhGenerateStats     *stats,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhTrySession, wh_try_session_unref)

G_END_DECLS
