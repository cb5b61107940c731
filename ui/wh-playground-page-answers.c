/* wh-playground-page-answers.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-page-private.h"
#include "wh-playground-stream.h"

/* The Try It step's answers: the prompt asked of every column, each
 * answer a job on the device's compute thread (see
 * wh-playground-stream.h), and its words shown as they come. */

void
_wh_playground_page_cancel_answers (WhPlaygroundPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* What is still on its way belongs to a prompt no longer shown. */
  self->generation++;
  for (guint i = 0; i < self->columns->len; i++)
    wh_playground_column_stop (g_ptr_array_index (self->columns, i));
  _wh_playground_page_set_busy (self, 0);
}

/* On the main thread: shows what @stream brought since last time. */
static void
stream_deliver (WhPlaygroundStream *stream)
{
  g_autoptr(GObject) page = wh_playground_stream_dup_page (stream);
  WhPlaygroundPage *self = (WhPlaygroundPage *) page;
  g_autofree char *text = NULL;
  WhPlaygroundColumn *column;
  WhPlaygroundPhase phase;
  int has_template;

  text = wh_playground_stream_take (stream, &phase, &has_template);

  if (self == NULL || wh_playground_stream_get_generation (stream) != self->generation ||
      !(column = _wh_playground_page_find_column (self, wh_playground_stream_get_column_id (stream))) ||
      !wh_playground_column_get_waiting (column))
    return;

  if (has_template >= 0 && (!self->template_known || self->has_template != has_template))
    {
      self->template_known = TRUE;
      self->has_template = has_template;
      _wh_playground_page_update_all (self);
    }

  if (text != NULL)
    wh_playground_column_add_piece (column, text);
  switch (phase)
    {
    case WH_PLAYGROUND_PHASE_QUEUED:
      break;

    case WH_PLAYGROUND_PHASE_LOADING:
      wh_playground_column_set_status (column, _("Loading the model…"), TRUE, FALSE);
      break;

    case WH_PLAYGROUND_PHASE_WRITING:
      wh_playground_column_set_status (column, _("Writing…"), TRUE, FALSE);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
generate_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WhPlaygroundStream) stream = user_data;
  g_autoptr(GObject) page = wh_playground_stream_dup_page (stream);
  WhPlaygroundPage *self = (WhPlaygroundPage *) page;
  g_autoptr(GError) error = NULL;
  gboolean ok = wh_device_run_finish (WH_DEVICE (object), result, &error);
  WhPlaygroundColumn *column;

  stream_deliver (stream);
  if (self == NULL || wh_playground_stream_get_generation (stream) != self->generation)
    return;

  if ((column = _wh_playground_page_find_column (self, wh_playground_stream_get_column_id (stream))) != NULL &&
      wh_playground_column_get_waiting (column))
    {
      WhGenerateStats stats;
      g_autofree char *text = wh_playground_stream_dup_answer (stream, &stats);

      wh_playground_column_end_answer (column, text, &stats, ok ? NULL : error);
    }

  _wh_playground_page_set_busy (self, self->n_running > 0 ? self->n_running - 1 : 0);
  if (self->n_running == 0)
    g_clear_object (&self->cancellable);
}

static void
read_options (WhPlaygroundPage  *self,
              WhGenerateOptions *options)
{
  wh_generate_options_init (options);
  options->max_tokens = gtk_spin_button_get_value_as_int (self->length_spin);
  options->sampler.temperature = gtk_spin_button_get_value (self->temperature_spin);
  options->sampler.top_p = gtk_spin_button_get_value (self->top_p_spin);
  options->sampler.top_k = gtk_spin_button_get_value_as_int (self->top_k_spin);
  options->sampler.repetition_penalty = gtk_spin_button_get_value (self->repetition_spin);
  options->sampler.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
}

void
_wh_playground_page_send (WhPlaygroundPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  g_autofree char *prompt = NULL;
  const char *system;
  WhGenerateOptions options;
  GtkTextIter start, end;
  gboolean chat = _wh_playground_page_chat_active (self);

  if (!self->ready || self->n_running > 0 || self->columns->len == 0 || _wh_playground_page_prompt_is_empty (self))
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (prompt);
  gtk_text_buffer_set_text (buffer, "", -1);

  if (!chat)
    _wh_playground_page_clear_conversation (self);
  g_ptr_array_add (self->prompts, g_strdup (prompt));

  read_options (self, &options);
  system = wh_try_session_get_recipe (self->session)->system_prompt;
  if (system != NULL && *system == '\0')
    system = NULL;

  self->cancellable = g_cancellable_new ();
  self->generation++;
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);
      GPtrArray *answers = wh_playground_column_get_answers (column);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) turns = NULL;
      WhPlaygroundStream *stream;
      WhPlaygroundAsk ask;

      wh_playground_column_ask (column, prompt, self->template_known && !self->has_template);

      /* This column's side of the conversation: every prompt, and its
       * own answers. */
      for (guint t = 0; t < self->prompts->len; t++)
        {
          g_strv_builder_add (builder, g_ptr_array_index (self->prompts, t));
          if (t + 1 < self->prompts->len)
            g_strv_builder_add (builder, t < answers->len ? (char *) g_ptr_array_index (answers, t) : "");
        }
      turns = g_strv_builder_end (builder);

      ask = (WhPlaygroundAsk) {
        .session = self->session,
        .checkpoint = wh_playground_column_get_checkpoint (column),
        .is_adapter = wh_playground_column_get_is_adapter (column),
        .system = system,
        .turns = (const char * const *) turns,
        .options = options,
      };
      /* Its reference is generate_done_cb()'s. */
      stream = wh_playground_stream_new (G_OBJECT (self), self->generation, wh_playground_column_get_id (column),
                                         stream_deliver);
      wh_playground_stream_ask (stream, self->device, &ask, self->cancellable, generate_done_cb);
    }
  _wh_playground_page_set_busy (self, self->columns->len);
}
