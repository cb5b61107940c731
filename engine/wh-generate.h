/* wh-generate.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-model.h"

G_BEGIN_DECLS

/* Text generation with a KV cache: sampling as transformers' generate()
 * does it (repetition penalty, then temperature, top-k, top-p, min-p),
 * stopping on the tokenizer's stop ids or on stop strings, streaming the
 * text as it comes and cancellable between tokens. */

typedef struct
{
  double   temperature;         /* 0: greedy */
  guint    top_k;               /* 0: off */
  double   top_p;               /* 1: off */
  double   min_p;               /* 0: off */
  double   repetition_penalty;  /* 1: off */
  guint64  seed;
} WhSamplerParams;

typedef struct
{
  WhSamplerParams      sampler;
  gsize                max_tokens;
  const char * const  *stop_strings;   /* NULL-terminated, may be NULL */
} WhGenerateOptions;

typedef struct
{
  gsize  prompt_tokens;
  double prompt_seconds;
  gsize  generated_tokens;
  double generate_seconds;
  gboolean stopped;              /* by a stop id or string, not by max_tokens */
} WhGenerateStats;

/* Called with each new piece of text (whole characters; text that might
 * begin a stop string is held back until it cannot). */
typedef void (*WhGenerateFunc) (const char *text,
                                gpointer    user_data);

typedef struct _WhSampler WhSampler;

void       wh_sampler_params_init (WhSamplerParams        *params);
WhSampler *wh_sampler_new         (const WhSamplerParams  *params,
                                   guint                   vocab_size);
void       wh_sampler_free        (WhSampler              *sampler);
/* Chooses the next token from @logits (modified in place); @history holds
 * the ids so far (prompt included) for the repetition penalty. */
gint32     wh_sampler_sample      (WhSampler              *sampler,
                                   float                  *logits,
                                   const gint32           *history,
                                   gsize                   n_history);

void       wh_generate_options_init (WhGenerateOptions    *options);

/* Runs the prompt from position 0 (the cache is overwritten) and
 * generates.  @text (may be NULL) gets the generated text without the
 * prompt and without the stop string or token; @ids (may be NULL) the
 * generated ids. */
gboolean   wh_model_generate      (WhModel                *model,
                                   const gint32           *prompt,
                                   gsize                   n_prompt,
                                   const WhGenerateOptions *options,
                                   WhGenerateFunc          func,
                                   gpointer                user_data,
                                   GCancellable           *cancellable,
                                   GString                *text,
                                   GArray                 *ids,
                                   WhGenerateStats        *stats,
                                   GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSampler, wh_sampler_free)

G_END_DECLS
