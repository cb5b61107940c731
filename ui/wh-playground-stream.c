/* wh-playground-stream.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-playground-stream.h"

struct _WhPlaygroundStream
{
  gatomicrefcount         ref;
  GMutex                  mutex;
  GMainContext           *context;
  GWeakRef                page;
  guint                   generation;   /* the prompt it answers */
  guint                   column_id;
  WhPlaygroundStreamFunc  func;

  /* Under the mutex */
  GString                *pending;      /* words not shown yet */
  WhPlaygroundPhase       phase;
  gboolean                idle_queued;
  int                     has_template; /* -1: not known yet */
  char                   *text;         /* the whole answer, once done */
  WhGenerateStats         stats;
};

WhPlaygroundStream *
wh_playground_stream_new (GObject                *page,
                          guint                   generation,
                          guint                   column_id,
                          WhPlaygroundStreamFunc  func)
{
  WhPlaygroundStream *stream;

  g_return_val_if_fail (G_IS_OBJECT (page), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  stream = g_new0 (WhPlaygroundStream, 1);
  g_atomic_ref_count_init (&stream->ref);
  g_mutex_init (&stream->mutex);
  stream->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&stream->page, page);
  stream->generation = generation;
  stream->column_id = column_id;
  stream->func = func;
  stream->pending = g_string_new (NULL);
  stream->has_template = -1;
  return stream;
}

WhPlaygroundStream *
wh_playground_stream_ref (WhPlaygroundStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  g_atomic_ref_count_inc (&stream->ref);
  return stream;
}

void
wh_playground_stream_unref (WhPlaygroundStream *stream)
{
  g_return_if_fail (stream != NULL);

  if (!g_atomic_ref_count_dec (&stream->ref))
    return;
  g_mutex_clear (&stream->mutex);
  g_main_context_unref (stream->context);
  g_weak_ref_clear (&stream->page);
  g_string_free (stream->pending, TRUE);
  g_free (stream->text);
  g_free (stream);
}

GObject *
wh_playground_stream_dup_page (WhPlaygroundStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  return g_weak_ref_get (&stream->page);
}

guint
wh_playground_stream_get_generation (WhPlaygroundStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  return stream->generation;
}

guint
wh_playground_stream_get_column_id (WhPlaygroundStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  return stream->column_id;
}

char *
wh_playground_stream_take (WhPlaygroundStream *stream,
                           WhPlaygroundPhase  *phase,
                           int                *has_template)
{
  char *text;

  g_return_val_if_fail (stream != NULL, NULL);

  g_mutex_lock (&stream->mutex);
  stream->idle_queued = FALSE;
  text = stream->pending->len > 0 ? g_strdup (stream->pending->str) : NULL;
  g_string_truncate (stream->pending, 0);
  *phase = stream->phase;
  *has_template = stream->has_template;
  g_mutex_unlock (&stream->mutex);
  return text;
}

char *
wh_playground_stream_dup_answer (WhPlaygroundStream *stream,
                                 WhGenerateStats    *stats)
{
  char *text;

  g_return_val_if_fail (stream != NULL, NULL);

  g_mutex_lock (&stream->mutex);
  text = g_strdup (stream->text);
  *stats = stream->stats;
  g_mutex_unlock (&stream->mutex);
  return text;
}

static gboolean
stream_idle_cb (gpointer data)
{
  WhPlaygroundStream *stream = data;

  stream->func (stream);
  return G_SOURCE_REMOVE;
}

/* Under the mutex. */
static void
stream_queue_idle (WhPlaygroundStream *stream)
{
  GSource *source;

  if (stream->idle_queued)
    return;
  stream->idle_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, stream_idle_cb, wh_playground_stream_ref (stream),
                         (GDestroyNotify) wh_playground_stream_unref);
  g_source_set_static_name (source, "[whetstone-playground-stream]");
  g_source_attach (source, stream->context);
  g_source_unref (source);
}

/* The compute thread */

static void
stream_phase (WhTryPhase phase,
              gboolean   has_template,
              gpointer   user_data)
{
  WhPlaygroundStream *stream = user_data;

  g_mutex_lock (&stream->mutex);
  if (phase == WH_TRY_PHASE_READY)
    stream->has_template = has_template;
  else
    {
      stream->phase = phase == WH_TRY_PHASE_LOADING ? WH_PLAYGROUND_PHASE_LOADING : WH_PLAYGROUND_PHASE_WRITING;
      stream_queue_idle (stream);
    }
  g_mutex_unlock (&stream->mutex);
}

static void
stream_piece (const char *text,
              gpointer    user_data)
{
  WhPlaygroundStream *stream = user_data;

  g_mutex_lock (&stream->mutex);
  g_string_append (stream->pending, text);
  stream_queue_idle (stream);
  g_mutex_unlock (&stream->mutex);
}

/* One answer to generate: a copy of the ask. */
typedef struct
{
  WhTrySession       *session;
  WhPlaygroundStream *stream;
  char               *checkpoint;
  gboolean            is_adapter;
  char               *system;
  GStrv               turns;
  WhGenerateOptions   options;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_pointer (&request->session, wh_try_session_unref);
  g_clear_pointer (&request->stream, wh_playground_stream_unref);
  g_free (request->checkpoint);
  g_free (request->system);
  g_strfreev (request->turns);
  g_free (request);
}

static gboolean
generate_job (WhClContext   *ctx,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Request *request = data;
  g_autoptr(GString) text = g_string_new (NULL);
  WhGenerateStats stats;
  WhTryRequest answer = {
    .checkpoint = request->checkpoint,
    .is_adapter = request->is_adapter,
    .system = request->system,
    .turns = (const char * const *) request->turns,
    .options = request->options,
    .phase = stream_phase,
    .piece = stream_piece,
    .user_data = request->stream,
  };

  if (!wh_try_session_answer (request->session, ctx, &answer, cancellable, text, &stats, error))
    return FALSE;

  g_mutex_lock (&request->stream->mutex);
  request->stream->text = g_string_free (g_steal_pointer (&text), FALSE);
  request->stream->stats = stats;
  g_mutex_unlock (&request->stream->mutex);
  return TRUE;
}

void
wh_playground_stream_ask (WhPlaygroundStream    *stream,
                          WhDevice              *device,
                          const WhPlaygroundAsk *ask,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback)
{
  Request *request;

  g_return_if_fail (stream != NULL);
  g_return_if_fail (WH_IS_DEVICE (device));
  g_return_if_fail (ask != NULL && ask->session != NULL && ask->turns != NULL);

  request = g_new0 (Request, 1);
  request->session = wh_try_session_ref (ask->session);
  request->stream = wh_playground_stream_ref (stream);
  request->checkpoint = g_strdup (ask->checkpoint);
  request->is_adapter = ask->is_adapter;
  request->system = g_strdup (ask->system);
  request->turns = g_strdupv ((char **) ask->turns);
  request->options = ask->options;

  wh_device_run_async (device, generate_job, request, request_free, cancellable, callback, stream);
}

/* Nothing to do: the session, dropped with the job's data on the compute
 * thread, frees its model there. */
static gboolean
release_job (WhClContext   *ctx,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return TRUE;
}

void
wh_playground_release_session (WhDevice     *device,
                               WhTrySession *session)
{
  g_return_if_fail (session != NULL);

  if (device != NULL)
    wh_device_run_async (device, release_job, session, (GDestroyNotify) wh_try_session_unref, NULL, NULL, NULL);
  else
    wh_try_session_unref (session);
}
