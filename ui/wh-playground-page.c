/* wh-playground-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-column.h"
#include "wh-playground-export.h"
#include "wh-playground-page-private.h"
#include "wh-recipe.h"
#include "wh-run-folder.h"
#include "wh-try-session.h"

/* The Try It step: one prompt, answered by the base model and by the
 * checkpoints chosen (and the run's final adapter, once it is written),
 * side by side, as the words come.
 *
 * Every answer is generated on the device's compute thread, as a job of
 * its own, in the order the columns are shown, with the same seed and
 * settings.  That thread is the training run's: while a run trains, it
 * takes the jobs between two steps.  The run's WhTrySession loads the
 * base model once, on that thread, keeps it there and frees it there;
 * a checkpoint's adapter is put on it for its answer and taken off
 * again.  The words reach the page through a Stream: the
 * compute thread adds them under its lock, and an idle on the page's
 * main context shows what came since the last one, so the page is never
 * flooded.  A stream that outlived the page, or the prompt it answers,
 * is dropped. */

/* Streaming */

typedef enum
{
  PHASE_QUEUED,
  PHASE_LOADING,
  PHASE_WRITING,
} Phase;

/* What one answer's job tells the page. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           mutex;
  GMainContext    *context;
  GWeakRef         page;
  guint            generation;  /* the prompt it answers */
  guint            column_id;

  /* Under the mutex */
  GString         *pending;     /* words not shown yet */
  Phase            phase;
  gboolean         idle_queued;
  int              has_template; /* -1: not known yet */
  char            *text;        /* the whole answer, once done */
  WhGenerateStats  stats;
} Stream;

static Stream *
stream_ref (Stream *stream)
{
  g_atomic_ref_count_inc (&stream->ref);
  return stream;
}

static void
stream_unref (gpointer data)
{
  Stream *stream = data;

  if (!g_atomic_ref_count_dec (&stream->ref))
    return;
  g_mutex_clear (&stream->mutex);
  g_main_context_unref (stream->context);
  g_weak_ref_clear (&stream->page);
  g_string_free (stream->pending, TRUE);
  g_free (stream->text);
  g_free (stream);
}

static gboolean stream_idle_cb (gpointer data);

/* Under the mutex. */
static void
stream_queue_idle (Stream *stream)
{
  GSource *source;

  if (stream->idle_queued)
    return;
  stream->idle_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, stream_idle_cb, stream_ref (stream), stream_unref);
  g_source_set_static_name (source, "[whetstone-playground-stream]");
  g_source_attach (source, stream->context);
  g_source_unref (source);
}

static void
stream_phase (WhTryPhase phase,
              gboolean   has_template,
              gpointer   user_data)
{
  Stream *stream = user_data;

  g_mutex_lock (&stream->mutex);
  if (phase == WH_TRY_PHASE_READY)
    stream->has_template = has_template;
  else
    {
      stream->phase = phase == WH_TRY_PHASE_LOADING ? PHASE_LOADING : PHASE_WRITING;
      stream_queue_idle (stream);
    }
  g_mutex_unlock (&stream->mutex);
}

static void
stream_piece (const char *text,
              gpointer    user_data)
{
  Stream *stream = user_data;

  g_mutex_lock (&stream->mutex);
  g_string_append (stream->pending, text);
  stream_queue_idle (stream);
  g_mutex_unlock (&stream->mutex);
}

/* One answer to generate. */
typedef struct
{
  WhTrySession      *session;
  Stream            *stream;
  char              *checkpoint;  /* NULL: the base model */
  gboolean           is_adapter;
  char              *system;      /* NULL: none */
  GStrv              turns;       /* user, assistant, …, user */
  WhGenerateOptions  options;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_pointer (&request->session, wh_try_session_unref);
  g_clear_pointer (&request->stream, stream_unref);
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

/* Frees the session's model on the compute thread, after the jobs
 * queued before. */
static gboolean
release_job (WhClContext   *ctx,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return TRUE;
}

/* The page */

struct _WhPlaygroundPage
{
  AdwBin               parent_instance;

  WhDevice            *device;
  WhTrainer           *trainer;
  char                *run_dir;
  WhTrySession        *session;         /* NULL until the run's recipe is read */
  gboolean             has_template;    /* as far as known */
  gboolean             template_known;
  GPtrArray           *checkpoints;     /* of WhRunCheckpoint */
  GHashTable          *chosen;          /* checkpoint names; "" for the base model */
  gboolean             choice_touched;
  GPtrArray           *choices;         /* of GtkCheckButton, the base model first */
  gboolean             updating_choices;

  GPtrArray           *columns;         /* of WhPlaygroundColumn, as shown */
  guint                next_column_id;
  GPtrArray           *prompts;         /* of char *, the conversation's user turns */
  gboolean             chat_mode;
  gboolean             ready;

  GCancellable        *cancellable;     /* of the answers under way */
  guint                generation;
  guint                n_running;

  WhPlaygroundExport  *exporter;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkWidget           *models_button;
  GtkLabel            *models_label;
  GtkWidget           *models_list;
  GtkWidget           *new_conversation_button;
  GtkWidget           *settings_button;
  GtkLabel            *hint_label;
  GtkFlowBox          *columns_box;
  GtkTextView         *prompt_view;
  GtkWidget           *placeholder_label;
  GtkStack            *send_stack;
  GtkWidget           *send_button;
  GtkWidget           *stop_button;
  GtkWidget           *chat_label;
  GtkSwitch           *chat_switch;
  GtkSpinButton       *temperature_spin;
  GtkSpinButton       *top_p_spin;
  GtkSpinButton       *top_k_spin;
  GtkSpinButton       *repetition_spin;
  GtkSpinButton       *length_spin;
  GtkSpinButton       *seed_spin;
};

G_DEFINE_FINAL_TYPE (WhPlaygroundPage, wh_playground_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_RUN_DIR,
  PROP_CHAT_MODE,
  PROP_READY,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_all     (WhPlaygroundPage *self);
static void cancel_answers (WhPlaygroundPage *self);
static void set_busy       (WhPlaygroundPage *self,
                            guint             n_running);

static void
column_free (gpointer data)
{
  /* Columns taken over by update_columns() leave a hole. */
  if (data != NULL)
    g_object_unref (data);
}

static gboolean
is_trainer_running (WhPlaygroundPage *self)
{
  WhTrainerState state = self->trainer != NULL ? wh_trainer_get_state (self->trainer) : WH_TRAINER_STATE_IDLE;

  return state == WH_TRAINER_STATE_RUNNING || state == WH_TRAINER_STATE_PAUSED;
}

static gboolean
chat_active (WhPlaygroundPage *self)
{
  return self->chat_mode && (!self->template_known || self->has_template);
}

/* Words */

static const WhRunCheckpoint *
find_checkpoint (WhPlaygroundPage *self,
                 const char       *name)
{
  for (guint i = 0; self->checkpoints != NULL && i < self->checkpoints->len; i++)
    {
      const WhRunCheckpoint *checkpoint = g_ptr_array_index (self->checkpoints, i);

      if (g_str_equal (checkpoint->name, name))
        return checkpoint;
    }
  return NULL;
}

/* Columns */

static WhPlaygroundColumn *
find_column (WhPlaygroundPage *self,
             guint             id)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      if (wh_playground_column_get_id (column) == id)
        return column;
    }
  return NULL;
}

static void
clear_conversation (WhPlaygroundPage *self)
{
  if (self->n_running > 0)
    cancel_answers (self);
  g_ptr_array_set_size (self->prompts, 0);
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      wh_playground_column_clear (column);
      wh_playground_column_set_status (column, _("Waiting for a prompt"), FALSE, FALSE);
    }
}

/* One column per model chosen, the base model first, then by step;
 * those already there keep what they show. */
static void
update_columns (WhPlaygroundPage *self)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->columns);
  gboolean changed = FALSE;
  GtkWidget *child;

  self->columns = g_ptr_array_new_with_free_func (column_free);

  if (self->session != NULL && g_hash_table_contains (self->chosen, ""))
    g_ptr_array_add (wanted, NULL);
  for (guint i = 0; self->session != NULL && i < self->checkpoints->len; i++)
    {
      WhRunCheckpoint *checkpoint = g_ptr_array_index (self->checkpoints, i);

      if (g_hash_table_contains (self->chosen, checkpoint->name))
        g_ptr_array_add (wanted, checkpoint);
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      const WhRunCheckpoint *checkpoint = g_ptr_array_index (wanted, i);
      const char *key = checkpoint != NULL ? checkpoint->name : "";
      WhPlaygroundColumn *column = NULL;

      for (guint j = 0; j < old->len && column == NULL; j++)
        {
          WhPlaygroundColumn *candidate = g_ptr_array_index (old, j);

          if (candidate != NULL && g_str_equal (wh_playground_column_get_key (candidate), key) &&
              g_strcmp0 (wh_playground_column_get_checkpoint (candidate),
                         checkpoint != NULL ? checkpoint->path : NULL) == 0)
            {
              column = candidate;
              old->pdata[j] = NULL;
              changed |= j != i;
            }
        }
      if (column == NULL)
        {
          /* Moved between flow box children as the columns change. */
          column = WH_PLAYGROUND_COLUMN (g_object_ref_sink (wh_playground_column_new (++self->next_column_id, checkpoint)));
          changed = TRUE;
        }
      g_ptr_array_add (self->columns, column);
    }
  for (guint j = 0; j < old->len; j++)
    changed |= g_ptr_array_index (old, j) != NULL;

  if (!changed)
    return;

  /* A conversation goes on with the same models only. */
  if (self->prompts->len > 0 && chat_active (self))
    clear_conversation (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    {
      GtkWidget *content = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (content != NULL)
        gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), NULL);
      gtk_flow_box_remove (self->columns_box, child);
    }
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);
      GtkWidget *child_box = gtk_flow_box_child_new ();

      /* The keyboard stops at each column, then goes into it. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (child_box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, wh_playground_column_get_title (column),
                                      -1);
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child_box), GTK_WIDGET (column));
      gtk_flow_box_append (self->columns_box, child_box);
    }
  gtk_flow_box_set_max_children_per_line (self->columns_box, MAX (1, self->columns->len));
}

/* Choices */

static void choice_toggled_cb (GtkCheckButton   *button,
                               WhPlaygroundPage *self);

static void
update_models_label (WhPlaygroundPage *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      if (i > 0)
        /* Translators: between the names of the models that answer, e.g. “Base model, Epoch 2” */
        g_string_append (summary, _(", "));
      g_string_append (summary, wh_playground_column_get_title (column));
    }
  gtk_label_set_label (self->models_label, summary->len > 0 ? summary->str : _("No model chosen"));
}

/* The default: the base model and the latest checkpoint, or the run's
 * result once there is one. */
static void
choose_default (WhPlaygroundPage *self)
{
  g_hash_table_remove_all (self->chosen);
  g_hash_table_add (self->chosen, g_strdup (""));
  if (self->checkpoints->len > 0)
    {
      WhRunCheckpoint *latest = g_ptr_array_index (self->checkpoints, self->checkpoints->len - 1);

      g_hash_table_add (self->chosen, g_strdup (latest->name));
    }
}

static GtkWidget *
choice_new (WhPlaygroundPage      *self,
            const WhRunCheckpoint *checkpoint)
{
  g_autofree char *title = wh_playground_checkpoint_title (checkpoint);
  GtkWidget *button = gtk_check_button_new_with_label (title);

  g_object_set_data_full (G_OBJECT (button), "wh-choice", g_strdup (checkpoint != NULL ? checkpoint->name : ""),
                          g_free);
  gtk_widget_set_margin_end (button, 6);
  g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), self);
  return button;
}

static void
update_choices (WhPlaygroundPage *self)
{
  GtkWidget *child;

  self->updating_choices = TRUE;
  while ((child = gtk_widget_get_first_child (self->models_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->models_list), child);
  g_ptr_array_set_size (self->choices, 0);

  if (self->session != NULL)
    {
      g_ptr_array_add (self->choices, choice_new (self, NULL));
      for (guint i = 0; i < self->checkpoints->len; i++)
        g_ptr_array_add (self->choices, choice_new (self, g_ptr_array_index (self->checkpoints, i)));
    }
  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choices, i);
      const char *key = g_object_get_data (G_OBJECT (button), "wh-choice");

      gtk_check_button_set_active (GTK_CHECK_BUTTON (button), g_hash_table_contains (self->chosen, key));
      gtk_box_append (GTK_BOX (self->models_list), button);
    }
  self->updating_choices = FALSE;
}

static void
choice_toggled_cb (GtkCheckButton   *button,
                   WhPlaygroundPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "wh-choice");

  if (self->updating_choices)
    return;
  self->choice_touched = TRUE;
  if (gtk_check_button_get_active (button))
    g_hash_table_add (self->chosen, g_strdup (key));
  else
    g_hash_table_remove (self->chosen, key);
  update_all (self);
}

/* Reading the run */

static gboolean
same_checkpoints (GPtrArray *a,
                  GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const WhRunCheckpoint *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      if (!g_str_equal (x->name, y->name) || x->step != y->step)
        return FALSE;
    }
  return TRUE;
}

static void
release_session (WhPlaygroundPage *self)
{
  WhTrySession *session = g_steal_pointer (&self->session);

  if (session == NULL)
    return;
  /* Its model lives on the compute thread, and goes there. */
  if (self->device != NULL)
    wh_device_run_async (self->device, release_job, session, (GDestroyNotify) wh_try_session_unref, NULL, NULL, NULL);
  else
    wh_try_session_unref (session);
  self->template_known = FALSE;
  self->has_template = FALSE;
}

static void
cancel_answers (WhPlaygroundPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* What is still on its way belongs to a prompt no longer shown. */
  self->generation++;
  for (guint i = 0; i < self->columns->len; i++)
    wh_playground_column_stop (g_ptr_array_index (self->columns, i));
  set_busy (self, 0);
}

static void
reload (WhPlaygroundPage *self)
{
  g_autoptr(GPtrArray) checkpoints = NULL;
  g_autoptr(GError) error = NULL;
  WhRunCheckpoint *result;
  gboolean new_session = FALSE;

  if (self->run_dir == NULL)
    {
      g_ptr_array_set_size (self->checkpoints, 0);
      update_choices (self);
      update_all (self);
      return;
    }

  /* The run's copy of its recipe, written once training has its model
   * and examples. */
  if (self->session == NULL)
    {
      g_autofree char *path = g_build_filename (self->run_dir, "recipe.json", NULL);
      WhRecipe recipe;

      wh_recipe_init (&recipe);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && wh_recipe_load (&recipe, path, &error))
        {
          self->session = wh_try_session_new (&recipe);
          new_session = TRUE;
          /* Plain text is continued, never a conversation. */
          if (recipe.dataset_format == WH_DATASET_FORMAT_TEXT)
            {
              self->template_known = TRUE;
              self->has_template = FALSE;
            }
        }
      else if (error != NULL)
        g_debug ("Cannot read the run's recipe yet: %s", error->message);
      wh_recipe_clear (&recipe);
      g_clear_error (&error);
    }

  if (!(checkpoints = wh_run_folder_list_checkpoints (self->run_dir, &error)))
    {
      g_debug ("Cannot list the run's checkpoints: %s", error->message);
      checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_checkpoint_free);
    }
  /* A finished run's adapter (or model) is tried like its checkpoints,
   * after them. */
  if (self->session != NULL &&
      (result = wh_run_folder_find_result (self->run_dir, wh_try_session_get_recipe (self->session)->output_dir)) != NULL)
    g_ptr_array_add (checkpoints, result);

  if (new_session || !same_checkpoints (self->checkpoints, checkpoints))
    {
      g_clear_pointer (&self->checkpoints, g_ptr_array_unref);
      self->checkpoints = g_steal_pointer (&checkpoints);
      /* Follows the latest until someone chooses, or the models are
       * answering. */
      if (!self->choice_touched && self->prompts->len == 0)
        choose_default (self);
      else
        {
          GHashTableIter iter;
          const char *key;

          g_hash_table_iter_init (&iter, self->chosen);
          while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
            if (*key != '\0' && find_checkpoint (self, key) == NULL)
              g_hash_table_iter_remove (&iter);
        }
      update_choices (self);
    }
  update_all (self);
}

/* Updating */

static void
set_ready (WhPlaygroundPage *self,
           gboolean          ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static gboolean
prompt_is_empty (WhPlaygroundPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return *g_strstrip (text) == '\0';
}

static void
update_actions (WhPlaygroundPage *self)
{
  gboolean busy = self->n_running > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.send",
                                 self->ready && !busy && self->columns->len > 0 && !prompt_is_empty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.new-conversation",
                                 !busy && self->prompts->len > 0);
  gtk_stack_set_visible_child_name (self->send_stack, busy ? "stop" : "send");
  for (guint i = 0; i < self->choices->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->choices, i), !busy);
}

static void
update_all (WhPlaygroundPage *self)
{
  gboolean ready = self->device != NULL && self->session != NULL &&
                   (self->checkpoints->len > 0 || is_trainer_running (self));
  gboolean chat = chat_active (self);
  const char *hint;

  update_columns (self);
  update_models_label (self);

  gtk_stack_set_visible_child_name (self->stack, self->session != NULL ? "playground" : "empty");
  gtk_widget_set_visible (self->chat_label, !self->template_known || self->has_template);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_switch), !self->template_known || self->has_template);
  gtk_widget_set_visible (self->new_conversation_button, chat);
  gtk_label_set_label (GTK_LABEL (self->placeholder_label),
                       self->template_known && !self->has_template ? _("Text for the models to continue")
                       : chat ? _("Say something to the models") : _("Ask the models something"));

  if (self->columns->len == 0)
    hint = _("Choose at least one model to answer.");
  else if (is_trainer_running (self))
    hint = _("Training goes on: each answer is written between two training steps, so it may take a little longer.");
  else if (self->checkpoints->len == 0)
    hint = _("No checkpoint has been saved yet; only the base model can answer.");
  else
    hint = NULL;
  gtk_label_set_label (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);

  set_ready (self, ready);
  update_actions (self);
}

/* Answers */

static void
set_busy (WhPlaygroundPage *self,
          guint             n_running)
{
  gboolean was_busy = self->n_running > 0;

  self->n_running = n_running;
  update_actions (self);
  if (was_busy != (n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* On the main thread: shows what @stream brought since last time. */
static void
stream_deliver (Stream *stream)
{
  g_autoptr(WhPlaygroundPage) self = g_weak_ref_get (&stream->page);
  g_autofree char *text = NULL;
  WhPlaygroundColumn *column;
  Phase phase;
  int has_template;

  g_mutex_lock (&stream->mutex);
  stream->idle_queued = FALSE;
  text = stream->pending->len > 0 ? g_strdup (stream->pending->str) : NULL;
  g_string_truncate (stream->pending, 0);
  phase = stream->phase;
  has_template = stream->has_template;
  g_mutex_unlock (&stream->mutex);

  if (self == NULL || stream->generation != self->generation ||
      !(column = find_column (self, stream->column_id)) || !wh_playground_column_get_waiting (column))
    return;

  if (has_template >= 0 && (!self->template_known || self->has_template != has_template))
    {
      self->template_known = TRUE;
      self->has_template = has_template;
      update_all (self);
    }

  if (text != NULL)
    wh_playground_column_add_piece (column, text);
  switch (phase)
    {
    case PHASE_QUEUED:
      break;

    case PHASE_LOADING:
      wh_playground_column_set_status (column, _("Loading the model…"), TRUE, FALSE);
      break;

    case PHASE_WRITING:
      wh_playground_column_set_status (column, _("Writing…"), TRUE, FALSE);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
stream_idle_cb (gpointer data)
{
  stream_deliver (data);
  return G_SOURCE_REMOVE;
}

static void
generate_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(WhPlaygroundPage) self = g_weak_ref_get (&stream->page);
  g_autoptr(GError) error = NULL;
  gboolean ok = wh_device_run_finish (WH_DEVICE (object), result, &error);
  WhPlaygroundColumn *column;

  stream_deliver (stream);
  if (self == NULL || stream->generation != self->generation)
    {
      stream_unref (stream);
      return;
    }

  if ((column = find_column (self, stream->column_id)) != NULL && wh_playground_column_get_waiting (column))
    {
      g_autofree char *text = NULL;
      WhGenerateStats stats;

      g_mutex_lock (&stream->mutex);
      text = g_strdup (stream->text);
      stats = stream->stats;
      g_mutex_unlock (&stream->mutex);
      wh_playground_column_end_answer (column, text, &stats, ok ? NULL : error);
    }

  set_busy (self, self->n_running > 0 ? self->n_running - 1 : 0);
  if (self->n_running == 0)
    g_clear_object (&self->cancellable);
  stream_unref (stream);
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

static void
send (WhPlaygroundPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  g_autofree char *prompt = NULL;
  const char *system;
  WhGenerateOptions options;
  GtkTextIter start, end;
  gboolean chat = chat_active (self);

  if (!self->ready || self->n_running > 0 || self->columns->len == 0 || prompt_is_empty (self))
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (prompt);
  gtk_text_buffer_set_text (buffer, "", -1);

  if (!chat)
    clear_conversation (self);
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
      g_autoptr(GStrvBuilder) turns = g_strv_builder_new ();
      Request *request = g_new0 (Request, 1);
      Stream *stream = g_new0 (Stream, 1);

      wh_playground_column_ask (column, prompt, self->template_known && !self->has_template);

      g_atomic_ref_count_init (&stream->ref);
      g_mutex_init (&stream->mutex);
      stream->context = g_main_context_ref_thread_default ();
      g_weak_ref_init (&stream->page, self);
      stream->generation = self->generation;
      stream->column_id = wh_playground_column_get_id (column);
      stream->pending = g_string_new (NULL);
      stream->has_template = -1;

      /* This column's side of the conversation: every prompt, and its
       * own answers. */
      for (guint t = 0; t < self->prompts->len; t++)
        {
          g_strv_builder_add (turns, g_ptr_array_index (self->prompts, t));
          if (t + 1 < self->prompts->len)
            g_strv_builder_add (turns, t < answers->len ? (char *) g_ptr_array_index (answers, t) : "");
        }

      request->session = wh_try_session_ref (self->session);
      request->stream = stream_ref (stream);
      request->checkpoint = g_strdup (wh_playground_column_get_checkpoint (column));
      request->is_adapter = wh_playground_column_get_is_adapter (column);
      request->system = g_strdup (system);
      request->turns = g_strv_builder_end (turns);
      request->options = options;

      wh_device_run_async (self->device, generate_job, request, request_free, self->cancellable,
                           generate_done_cb, stream);
    }
  set_busy (self, self->columns->len);
}

/* Exporting */

/* “my-run-20260102-epoch-2-adapter”, or for the run's result
 * “my-run-20260102-adapter” */
static char *
suggest_export_name (WhPlaygroundPage *self,
                     const char       *source)
{
  g_autofree char *run = self->run_dir != NULL ? g_path_get_basename (self->run_dir) : g_strdup ("whetstone");
  g_autofree char *checkpoint = g_path_get_basename (source);

  if (g_str_equal (checkpoint, "adapter"))
    return g_strdup_printf ("%s-adapter", run);
  return g_strdup_printf ("%s-%s-adapter", run, checkpoint);
}

/* Actions and signals */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);
  const char *source = g_variant_get_string (parameter, NULL);
  g_autofree char *name = suggest_export_name (self, source);

  wh_playground_export_start (self->exporter, source, name);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  send (WH_PLAYGROUND_PAGE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  /* The columns say “Stopped” as their jobs come back. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  if (self->n_running > 0)
    return;
  clear_conversation (self);
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
new_seed_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  gtk_spin_button_set_value (self->seed_spin, g_random_int_range (0, G_MAXINT32));
}

static gboolean
prompt_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       WhPlaygroundPage      *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  /* Shift+Enter: a new line. */
  if (state & GDK_SHIFT_MASK)
    return FALSE;
  send (self);
  return TRUE;
}

static void
prompt_changed_cb (GtkTextBuffer    *buffer,
                   WhPlaygroundPage *self)
{
  gtk_widget_set_visible (self->placeholder_label, gtk_text_buffer_get_char_count (buffer) == 0);
  update_actions (self);
}

static void
chat_switch_cb (GtkSwitch        *chat_switch,
                GParamSpec       *pspec,
                WhPlaygroundPage *self)
{
  wh_playground_page_set_chat_mode (self, gtk_switch_get_active (chat_switch));
}

static void
trainer_changed_cb (WhPlaygroundPage *self)
{
  const char *run_dir = wh_trainer_get_run_dir (self->trainer);

  if (g_strcmp0 (run_dir, self->run_dir) != 0)
    wh_playground_page_set_run_dir (self, run_dir);
  else
    reload (self);
}

/* GtkWidget */

static void
wh_playground_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wh_playground_page_parent_class)->map (widget);

  /* Anything the run saved while the page was hidden. */
  reload (WH_PLAYGROUND_PAGE (widget));
}

/* GObject */

static void
wh_playground_page_dispose (GObject *object)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  cancel_answers (self);
  g_clear_object (&self->exporter);
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_clear_object (&self->trainer);
  release_session (self);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (wh_playground_page_parent_class)->dispose (object);
}

static void
wh_playground_page_finalize (GObject *object)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->checkpoints, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->prompts, g_ptr_array_unref);
  g_free (self->run_dir);

  G_OBJECT_CLASS (wh_playground_page_parent_class)->finalize (object);
}

static void
wh_playground_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_RUN_DIR:
      g_value_set_string (value, self->run_dir);
      break;

    case PROP_CHAT_MODE:
      g_value_set_boolean (value, self->chat_mode);
      break;

    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_running > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_playground_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      wh_playground_page_set_device (self, g_value_get_object (value));
      break;

    case PROP_RUN_DIR:
      wh_playground_page_set_run_dir (self, g_value_get_string (value));
      break;

    case PROP_CHAT_MODE:
      wh_playground_page_set_chat_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_playground_page_class_init (WhPlaygroundPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_playground_page_dispose;
  object_class->finalize = wh_playground_page_finalize;
  object_class->get_property = wh_playground_page_get_property;
  object_class->set_property = wh_playground_page_set_property;

  widget_class->map = wh_playground_page_map;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL,
                         WH_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUN_DIR] =
    g_param_spec_string ("run-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CHAT_MODE] =
    g_param_spec_boolean ("chat-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * WhPlaygroundPage:ready:
   *
   * There is a model to try: see wh_playground_page_get_ready().
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-playground-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_list);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, new_conversation_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, columns_box);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, send_stack);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, chat_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, chat_switch);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, top_p_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, repetition_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, length_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, seed_spin);

  gtk_widget_class_install_action (widget_class, "playground.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "playground.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "playground.new-conversation", NULL, new_conversation_action);
  gtk_widget_class_install_action (widget_class, "playground.new-seed", NULL, new_seed_action);
  gtk_widget_class_install_action (widget_class, "playground.export", "s", export_action);
}

static void
wh_playground_page_init (WhPlaygroundPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new_with_free_func (column_free);
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_checkpoint_free);
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->choices = g_ptr_array_new ();
  self->prompts = g_ptr_array_new_with_free_func (g_free);
  self->exporter = wh_playground_export_new (self->toast_overlay);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (prompt_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->prompt_view), keys);
  g_signal_connect (gtk_text_view_get_buffer (self->prompt_view), "changed", G_CALLBACK (prompt_changed_cb), self);
  g_signal_connect (self->chat_switch, "notify::active", G_CALLBACK (chat_switch_cb), self);

  update_all (self);
}

GtkWidget *
wh_playground_page_new (void)
{
  return g_object_new (WH_TYPE_PLAYGROUND_PAGE, NULL);
}

void
wh_playground_page_set_device (WhPlaygroundPage *self,
                               WhDevice         *device)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));
  g_return_if_fail (device == NULL || WH_IS_DEVICE (device));

  if (self->device == device)
    return;

  /* The model loaded belongs to the old device. */
  cancel_answers (self);
  release_session (self);
  g_set_object (&self->device, device);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

WhDevice *
wh_playground_page_get_device (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), NULL);

  return self->device;
}

void
wh_playground_page_set_trainer (WhPlaygroundPage *self,
                                WhTrainer        *trainer)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));
  g_return_if_fail (trainer == NULL || WH_IS_TRAINER (trainer));

  if (self->trainer == trainer)
    return;
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_set_object (&self->trainer, trainer);
  if (trainer == NULL)
    {
      update_all (self);
      return;
    }

  /* A checkpoint comes with a step; a stopped run saves one of its own. */
  g_signal_connect_object (trainer, "progress", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::state", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::run-dir", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  trainer_changed_cb (self);
}

void
wh_playground_page_set_run_dir (WhPlaygroundPage *self,
                                const char       *run_dir)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  if (g_strcmp0 (self->run_dir, run_dir) == 0)
    return;

  cancel_answers (self);
  release_session (self);
  g_free (self->run_dir);
  self->run_dir = g_strdup (run_dir);
  self->choice_touched = FALSE;
  g_hash_table_remove_all (self->chosen);
  g_ptr_array_set_size (self->checkpoints, 0);
  g_ptr_array_set_size (self->prompts, 0);
  /* A new run: new columns. */
  update_columns (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_DIR]);
}

const char *
wh_playground_page_get_run_dir (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), NULL);

  return self->run_dir;
}

void
wh_playground_page_reload (WhPlaygroundPage *self)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  reload (self);
}

void
wh_playground_page_set_chat_mode (WhPlaygroundPage *self,
                                  gboolean          chat_mode)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  chat_mode = !!chat_mode;
  if (self->chat_mode == chat_mode)
    return;
  self->chat_mode = chat_mode;
  gtk_switch_set_active (self->chat_switch, chat_mode);
  /* Each mode starts afresh. */
  clear_conversation (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_MODE]);
}

gboolean
wh_playground_page_get_chat_mode (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->chat_mode;
}

gboolean
wh_playground_page_get_ready (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->ready;
}

gboolean
wh_playground_page_get_busy (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->n_running > 0;
}

/* For the tests */

GtkTextView *
_wh_playground_page_get_prompt_view (WhPlaygroundPage *self)
{
  return self->prompt_view;
}

GtkWidget *
_wh_playground_page_get_send_button (WhPlaygroundPage *self)
{
  return self->send_button;
}

GtkWidget *
_wh_playground_page_get_models_button (WhPlaygroundPage *self)
{
  return self->models_button;
}

GtkWidget *
_wh_playground_page_get_settings_button (WhPlaygroundPage *self)
{
  return self->settings_button;
}

GtkWidget *
_wh_playground_page_get_choice (WhPlaygroundPage *self,
                                const char       *name)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choices, i);

      if (g_str_equal (g_object_get_data (G_OBJECT (button), "wh-choice"), name != NULL ? name : ""))
        return button;
    }
  return NULL;
}

char **
_wh_playground_page_dup_titles (WhPlaygroundPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->columns->len; i++)
    g_strv_builder_add (builder, wh_playground_column_get_title (g_ptr_array_index (self->columns, i)));
  return g_strv_builder_end (builder);
}

const char *
_wh_playground_page_get_answer (WhPlaygroundPage *self,
                                guint             i,
                                guint            *n_pieces)
{
  if (i >= self->columns->len)
    return NULL;
  return wh_playground_column_get_answer (g_ptr_array_index (self->columns, i), n_pieces);
}

guint
_wh_playground_page_get_n_turns (WhPlaygroundPage *self,
                                 guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_answers (g_ptr_array_index (self->columns, i))->len : 0;
}

const char *
_wh_playground_page_get_column_error (WhPlaygroundPage *self,
                                      guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_error (g_ptr_array_index (self->columns, i)) : NULL;
}

GtkWidget *
_wh_playground_page_get_export_button (WhPlaygroundPage *self,
                                       guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_export_button (g_ptr_array_index (self->columns, i)) : NULL;
}

GtkSpinButton *
_wh_playground_page_get_spin (WhPlaygroundPage *self,
                              const char       *name)
{
  return GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (self), WH_TYPE_PLAYGROUND_PAGE, name));
}
