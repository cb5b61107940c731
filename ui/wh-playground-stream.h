/* wh-playground-stream.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-device.h"
#include "wh-try-session.h"

G_BEGIN_DECLS

/* One answer of the Try It step on its way: generated as a job on the
 * device's compute thread, whose words the stream gathers under its lock
 * while an idle on the main context it was made on hands over what came
 * since the last one, so the page is never flooded.  The stream knows its
 * page by a weak reference: an answer that outlives its page finds
 * nobody. */

typedef enum
{
  WH_PLAYGROUND_PHASE_QUEUED,
  WH_PLAYGROUND_PHASE_LOADING,
  WH_PLAYGROUND_PHASE_WRITING,
} WhPlaygroundPhase;

typedef struct _WhPlaygroundStream WhPlaygroundStream;

/* On the main context: something came; wh_playground_stream_take() says
 * what. */
typedef void (*WhPlaygroundStreamFunc) (WhPlaygroundStream *stream);

/* What is to answer, and how. */
typedef struct
{
  WhTrySession       *session;
  const char         *checkpoint;  /* NULL: the base model */
  gboolean            is_adapter;  /* else the checkpoint is a whole model */
  const char         *system;      /* NULL: none */
  const char * const *turns;       /* user, assistant, …, user */
  WhGenerateOptions   options;
} WhPlaygroundAsk;

/* @generation, @column_id: the page's names for the prompt answered and
 * the column answering. */
WhPlaygroundStream *wh_playground_stream_new            (GObject                *page,
                                                         guint                   generation,
                                                         guint                   column_id,
                                                         WhPlaygroundStreamFunc  func);
WhPlaygroundStream *wh_playground_stream_ref            (WhPlaygroundStream     *stream);
void                wh_playground_stream_unref          (WhPlaygroundStream     *stream);
/* (transfer full) (nullable): the page, NULL once it is gone. */
GObject            *wh_playground_stream_dup_page       (WhPlaygroundStream     *stream);
guint               wh_playground_stream_get_generation (WhPlaygroundStream     *stream);
guint               wh_playground_stream_get_column_id  (WhPlaygroundStream     *stream);
/* The words that came since the last call (NULL: none), the phase the
 * answer is in, and whether the run has a chat template (-1: not known
 * yet). */
char               *wh_playground_stream_take           (WhPlaygroundStream     *stream,
                                                         WhPlaygroundPhase      *phase,
                                                         int                    *has_template);
/* Once the job is done: the whole answer, and its numbers. */
char               *wh_playground_stream_dup_answer     (WhPlaygroundStream     *stream,
                                                         WhGenerateStats        *stats);

/* Queues the job on @device; @callback (with @stream as its user data)
 * finishes it with wh_device_run_finish(). */
void                wh_playground_stream_ask            (WhPlaygroundStream     *stream,
                                                         WhDevice               *device,
                                                         const WhPlaygroundAsk  *ask,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback);

/* Frees @session's model on @device's compute thread, after the jobs
 * queued before; takes the reference. */
void                wh_playground_release_session       (WhDevice               *device,
                                                         WhTrySession           *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhPlaygroundStream, wh_playground_stream_unref)

G_END_DECLS
