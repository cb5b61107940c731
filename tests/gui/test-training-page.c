/* test-training-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-file-private.h"
#include "wh-loss-chart-private.h"
#include "wh-test-gui.h"
#include "wh-training-page-private.h"
#include "wh-ui.h"

/* The Training step on its own: the chart's arithmetic, the words the
 * page uses, and a real run of stories260K on the test device followed
 * live, paused and resumed from the page's own button, in a window on
 * the X server that meson's xvfb-run provides. */

#define TIMEOUT_S 60

/* Ticks */

static void
test_ticks (void)
{
  static const struct {
    double   lo, hi;
    guint    target;
    gboolean integer;
    double   first, last, step;
  } cases[] = {
    { 0.37, 2.41, 5, FALSE, 0.0, 2.5, 0.5 },
    { 0.37, 2.41, 4, FALSE, 0.0, 2.5, 0.5 },
    { 1.912, 1.948, 4, FALSE, 1.91, 1.95, 0.01 },
    { 5.2, 10.7, 5, FALSE, 5.0, 11.0, 1.0 },
    { 0, 48, 5, TRUE, 0, 50, 10 },
    { 0, 12, 6, TRUE, 0, 12, 2 },
    { 0, 3, 10, TRUE, 0, 3, 1 },       /* never half a step */
    { 0, 1000, 5, TRUE, 0, 1000, 200 },
    { 2.41, 0.37, 5, FALSE, 0.0, 2.5, 0.5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double first, last, step;
      guint n = _wh_loss_chart_nice_ticks (cases[i].lo, cases[i].hi, cases[i].target, cases[i].integer,
                                           &first, &last, &step);

      g_test_message ("[%g, %g] / %u: %g to %g by %g", cases[i].lo, cases[i].hi, cases[i].target, first, last, step);
      g_assert_cmpfloat_with_epsilon (step, cases[i].step, 1e-9);
      g_assert_cmpfloat_with_epsilon (first, cases[i].first, 1e-9);
      g_assert_cmpfloat_with_epsilon (last, cases[i].last, 1e-9);
      g_assert_cmpuint (n, ==, (guint) lround ((last - first) / step) + 1);
      g_assert_cmpfloat (first, <=, MIN (cases[i].lo, cases[i].hi));
      g_assert_cmpfloat (last, >=, MAX (cases[i].lo, cases[i].hi));
    }

  /* One value: still an axis around it. */
  {
    double first, last, step;

    g_assert_cmpuint (_wh_loss_chart_nice_ticks (1.5, 1.5, 5, FALSE, &first, &last, &step), >=, 2);
    g_assert_cmpfloat (first, <, 1.5);
    g_assert_cmpfloat (last, >, 1.5);
    g_assert_cmpuint (_wh_loss_chart_nice_ticks (NAN, 1, 5, FALSE, &first, &last, &step), ==, 0);
    g_assert_cmpuint (_wh_loss_chart_nice_ticks (0, INFINITY, 5, FALSE, &first, &last, &step), ==, 0);
  }

  g_assert_cmpint (_wh_loss_chart_tick_decimals (0.5), ==, 1);
  g_assert_cmpint (_wh_loss_chart_tick_decimals (0.01), ==, 2);
  g_assert_cmpint (_wh_loss_chart_tick_decimals (0.02), ==, 2);
  g_assert_cmpint (_wh_loss_chart_tick_decimals (1), ==, 0);
  g_assert_cmpint (_wh_loss_chart_tick_decimals (200), ==, 0);
}

/* Words */

static void
test_durations (void)
{
  static const struct {
    double      seconds;
    const char *duration;
    const char *left;
  } cases[] = {
    { 0, "0 seconds", "Less than a minute left" },
    { 1, "1 second", "Less than a minute left" },
    { 45, "45 seconds", "Less than a minute left" },
    { 60, "1 minute", "About 1 minute left" },
    { 150, "3 minutes", "About 3 minutes left" },
    { 59 * 60 + 40, "1 hour", "About 1 hour left" },
    { 3600 + 5 * 60, "1 hour 5 minutes", "About 1 hour 5 minutes left" },
    { 3600 + 7 * 60, "1 hour 7 minutes", "About 1 hour 5 minutes left" },
    { 2 * 3600 + 59, "2 hours 1 minute", "About 2 hours left" },
    { 26 * 3600, "26 hours", "About 26 hours left" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *duration = _wh_training_format_duration (cases[i].seconds);
      g_autofree char *left = _wh_training_format_time_left (cases[i].seconds);

      g_assert_cmpstr (duration, ==, cases[i].duration);
      g_assert_cmpstr (left, ==, cases[i].left);
    }

  g_assert_null (_wh_training_format_time_left (NAN));
  g_assert_null (_wh_training_format_time_left (-1));
}

/* A history of @n_epochs epochs of 4 steps, validation and a checkpoint at
 * each end, the validation losses from @val. */
static GArray *
make_history (const double *val,
              guint         n_epochs)
{
  GArray *history = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));

  for (guint e = 1; e <= n_epochs; e++)
    for (guint s = 1; s <= 4; s++)
      {
        WhTrainProgress p = { 0 };

        p.step = (e - 1) * 4 + s;
        p.total_steps = n_epochs * 4;
        p.epoch = e;
        p.n_epochs = n_epochs;
        p.loss = 3.0 / p.step + 0.5 + (s % 2) * 0.1;
        p.val_loss = s == 4 ? val[e - 1] : NAN;
        p.learning_rate = 2e-4;
        p.checkpoint = s == 4 ? g_strdup_printf ("/tmp/run/checkpoints/epoch-%u", e) : NULL;
        g_array_append_val (history, p);
      }
  return history;
}

static void
free_history (GArray *history)
{
  for (guint i = 0; i < history->len; i++)
    g_free ((char *) g_array_index (history, WhTrainProgress, i).checkpoint);
  g_array_unref (history);
}

static void
test_hint (void)
{
  static const double falling[] = { 2.0, 1.5, 1.4, 1.3 };
  static const double once[] = { 2.0, 1.5, 1.6, 1.4 };
  static const double rising[] = { 2.0, 1.5, 1.6, 1.7 };
  static const double two_only[] = { 2.0, 2.1 };
  GArray *history;
  char *hint;

  history = make_history (falling, 4);
  g_assert_null (_wh_training_memorising_hint (history));
  free_history (history);

  history = make_history (once, 4);
  g_assert_null (_wh_training_memorising_hint (history));
  free_history (history);

  history = make_history (two_only, 2);
  g_assert_null (_wh_training_memorising_hint (history));
  free_history (history);

  history = make_history (rising, 4);
  hint = _wh_training_memorising_hint (history);
  g_assert_cmpstr (hint, ==,
                   "The model is starting to memorise the examples; the best checkpoint so far is epoch 2 (validation loss 1.500)");
  g_free (hint);
  free_history (history);

  g_assert_null (_wh_training_memorising_hint (NULL));
}

/* Main loop helpers */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* The chart on its own */

static void
emit_motion (GtkWidget *widget,
             double     x,
             double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        g_signal_emit_by_name (controller, "motion", x, y);
    }
}

static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

static void
test_chart (void)
{
  static const double val[] = { 2.0, 1.5, 1.6 };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *chart = wh_loss_chart_new ();
  GArray *history = make_history (val, 3);
  g_autoptr(GdkPaintable) paintable = NULL;
  int hover;

  gtk_window_set_default_size (window, 640, 320);
  gtk_window_set_child (window, chart);
  gtk_window_present (window);
  wh_test_iterate_until (is_mapped, chart, TIMEOUT_S, "the chart to be shown");

  /* Empty, then a run of three epochs. */
  paintable = gtk_widget_paintable_new (chart);
  g_assert_null (wh_loss_chart_get_history (WH_LOSS_CHART (chart)));
  wh_loss_chart_set_history (WH_LOSS_CHART (chart), history);
  g_assert_true (wh_loss_chart_get_history (WH_LOSS_CHART (chart)) == history);
  wh_test_flush_main_loop ();
  {
    /* Drawn into a snapshot, as the screenshots are. */
    g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) node = NULL;

    gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                            gtk_widget_get_width (chart), gtk_widget_get_height (chart));
    node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    g_assert_nonnull (node);
  }

  /* The pointer near the right edge finds the last step; far left, the
   * first. */
  emit_motion (chart, gtk_widget_get_width (chart) - 8, 100);
  hover = _wh_loss_chart_get_hover (WH_LOSS_CHART (chart));
  g_assert_cmpint (hover, ==, (int) history->len - 1);
  emit_motion (chart, 60, 100);
  hover = _wh_loss_chart_get_hover (WH_LOSS_CHART (chart));
  g_assert_cmpint (hover, >=, 0);
  g_assert_cmpint (hover, <=, 1);

  /* The arrow keys step through the history. */
  g_assert_true (press_key (chart, GDK_KEY_Home));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, 0);
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, 1);
  g_assert_true (press_key (chart, GDK_KEY_End));
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, (int) history->len - 1);
  g_assert_true (press_key (chart, GDK_KEY_Left));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, (int) history->len - 2);
  g_assert_true (press_key (chart, GDK_KEY_Escape));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, -1);
  g_assert_false (press_key (chart, GDK_KEY_Escape));

  /* Emptied, as a new run does. */
  g_array_set_size (history, 0);
  wh_loss_chart_changed (WH_LOSS_CHART (chart));
  g_assert_cmpint (_wh_loss_chart_get_hover (WH_LOSS_CHART (chart)), ==, -1);
  wh_test_flush_main_loop ();

  gtk_window_destroy (window);
  wh_test_flush_main_loop ();
  free_history (history);
}

/* A real run */

typedef struct
{
  char           *dir;
  char           *run;
  WhRecipe        recipe;
  WhDevice       *device;
  WhTrainer      *trainer;
  GtkWindow      *window;
  WhTrainingPage *page;
  GArray         *states;  /* WhTrainerState, as notified */
  guint           wait_step;
} Fixture;

static void
state_cb (WhTrainer  *trainer,
          GParamSpec *pspec,
          Fixture    *fixture)
{
  WhTrainerState state = wh_trainer_get_state (trainer);

  g_array_append_val (fixture->states, state);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autofree char *data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  fixture->states = g_array_new (FALSE, FALSE, sizeof (WhTrainerState));
  wh_recipe_init (&fixture->recipe);

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (WH_TESTDATA_DIR/models/stories260K/hf) is absent");
      return;
    }
  if (!(fixture->device = wh_test_device_new ()))
    {
      g_test_skip ("this machine has no OpenCL device (install pocl-opencl-icd)");
      return;
    }
  fixture->trainer = wh_trainer_new (fixture->device);
  g_signal_connect (fixture->trainer, "notify::state", G_CALLBACK (state_cb), fixture);

  fixture->dir = g_dir_make_tmp ("whetstone-training-page-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (fixture->dir, "data.jsonl", NULL);
  fixture->run = g_build_filename (fixture->dir, "run", NULL);
  for (guint i = 0; i < 24; i++)
    g_string_append_printf (text, "{\"text\": \"Story %u: the cat sat by the door and saw %u birds.\"}\n", i, i % 4);
  g_file_set_contents (data, text->str, -1, &error);
  g_assert_no_error (error);

  fixture->recipe.model = g_strdup (model);
  fixture->recipe.dataset_path = g_strdup (data);
  fixture->recipe.epochs = 2;
  fixture->recipe.max_seq_len = 32;
  fixture->recipe.lora_r = 4;
  fixture->recipe.lora_dropout = 0;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 800);
  fixture->page = WH_TRAINING_PAGE (wh_training_page_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->page), (gpointer *) &fixture->page);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (fixture->window);
      wh_test_flush_main_loop ();
      g_assert_null (fixture->page);
    }
  g_clear_object (&fixture->trainer);
  g_clear_object (&fixture->device);
  wh_recipe_clear (&fixture->recipe);
  if (fixture->dir != NULL)
    _wh_file_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->run);
  g_array_unref (fixture->states);
}

static gboolean
reached_step (gpointer data)
{
  Fixture *fixture = data;
  const WhTrainProgress *p = wh_trainer_get_progress (fixture->trainer);

  return (p != NULL && p->step >= fixture->wait_step) || !wh_training_page_is_busy (fixture->page);
}

static gboolean
has_checkpoint (gpointer data)
{
  Fixture *fixture = data;
  g_auto(GStrv) names = _wh_training_page_dup_checkpoints (fixture->page);

  return names[0] != NULL || !wh_training_page_is_busy (fixture->page);
}

static gboolean
is_paused (gpointer data)
{
  Fixture *fixture = data;

  return wh_trainer_get_state (fixture->trainer) == WH_TRAINER_STATE_PAUSED ||
         !wh_training_page_is_busy (fixture->page);
}

static gboolean
is_not_paused (gpointer data)
{
  Fixture *fixture = data;

  return wh_trainer_get_state (fixture->trainer) != WH_TRAINER_STATE_PAUSED;
}

static gboolean
is_done (gpointer data)
{
  Fixture *fixture = data;

  return !wh_training_page_is_busy (fixture->page);
}

/* @state was notified right after @after. */
static gboolean
notified_after (GArray         *states,
                WhTrainerState  after,
                WhTrainerState  state)
{
  for (guint i = 1; i < states->len; i++)
    if (g_array_index (states, WhTrainerState, i - 1) == after &&
        g_array_index (states, WhTrainerState, i) == state)
      return TRUE;
  return FALSE;
}

static const char *
pause_button_label (Fixture *fixture)
{
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (_wh_training_page_get_pause_button (fixture->page)));

  return adw_button_content_get_label (ADW_BUTTON_CONTENT (content));
}

static void
assert_finished (Fixture *fixture)
{
  if (wh_trainer_get_error (fixture->trainer) != NULL)
    g_test_message ("%s", wh_trainer_get_error (fixture->trainer)->message);
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_FINISHED);
  g_assert_cmpstr (_wh_training_page_get_status_text (fixture->page), ==, "Finished");
  g_assert_false (wh_training_page_is_busy (fixture->page));
  g_assert_false (gtk_widget_is_sensitive (_wh_training_page_get_pause_button (fixture->page)));
}

/* Follows a run, paused and resumed by the page's button, to the end. */
static void
test_run (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checkpoints = NULL;
  WhTrainingPage *page = fixture->page;
  GtkWidget *button;
  gint64 start = g_get_monotonic_time ();

  if (fixture->trainer == NULL)
    return;

  /* Before a run. */
  g_assert_false (wh_training_page_is_busy (page));
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Not started");
  button = _wh_training_page_get_pause_button (page);
  g_assert_false (gtk_widget_is_sensitive (button));

  wh_training_page_set_trainer (page, fixture->trainer);
  g_assert_true (wh_training_page_get_trainer (page) == fixture->trainer);
  g_assert_true (wh_trainer_start (fixture->trainer, &fixture->recipe, fixture->run, &error));
  g_assert_no_error (error);
  g_assert_true (wh_training_page_is_busy (page));
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Preparing…");

  /* A few steps: on the chart and in words. */
  fixture->wait_step = 2;
  wh_test_iterate_until (reached_step, fixture, TIMEOUT_S, "the first steps");
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_RUNNING);
  g_assert_nonnull (strstr (_wh_training_page_get_progress_text (page), "Step"));
  g_assert_nonnull (strstr (_wh_training_page_get_progress_text (page), "Epoch 1 of 2"));
  g_assert_cmpuint (wh_loss_chart_get_history (_wh_training_page_get_chart (page))->len, >, 0);
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Training");
  g_assert_cmpstr (pause_button_label (fixture), ==, "_Pause");
  g_assert_null (_wh_training_page_get_error_text (page));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (_wh_training_page_get_chart (page))));

  /* Pause and resume by the page's own button. */
  g_assert_true (gtk_widget_is_sensitive (button));
  wh_test_click (button);
  g_assert_cmpstr (pause_button_label (fixture), ==, "_Resume");
  wh_test_iterate_until (is_paused, fixture, TIMEOUT_S, "the pause");
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_PAUSED);
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Paused");
  g_assert_true (wh_training_page_is_busy (page));
  wh_test_click (button);
  g_assert_cmpstr (pause_button_label (fixture), ==, "_Pause");
  wh_test_iterate_until (is_not_paused, fixture, TIMEOUT_S, "the run to resume");
  g_assert_true (notified_after (fixture->states, WH_TRAINER_STATE_PAUSED, WH_TRAINER_STATE_RUNNING));

  /* To the end: a checkpoint per epoch, listed as they came. */
  wh_test_iterate_until (is_done, fixture, TIMEOUT_S, "the end of the run");
  assert_finished (fixture);
  checkpoints = _wh_training_page_dup_checkpoints (page);
  g_assert_cmpuint (g_strv_length (checkpoints), ==, 2);
  g_assert_cmpstr (checkpoints[0], ==, "epoch-1");
  g_assert_cmpstr (checkpoints[1], ==, "epoch-2");
  /* Two validation losses cannot both be above a best before them. */
  g_assert_null (_wh_training_page_get_hint_text (page));
  g_test_message ("trained %u steps in %.1f s", wh_trainer_get_progress (fixture->trainer)->step,
                  (g_get_monotonic_time () - start) / 1e6);

  /* Unset, the page forgets the run. */
  wh_training_page_set_trainer (page, NULL);
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Not started");
  g_assert_cmpuint (wh_loss_chart_get_history (_wh_training_page_get_chart (page))->len, ==, 0);
  g_clear_pointer (&checkpoints, g_strfreev);
  checkpoints = _wh_training_page_dup_checkpoints (page);
  g_assert_cmpuint (g_strv_length (checkpoints), ==, 0);
}

/* Stopped after asking, with the steps since the last checkpoint saved in
 * one of their own, then resumed from it to the end: the chart and the
 * checkpoints go on from where they were. */
static void
test_stop_resume (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checkpoints = NULL;
  g_autofree char *stop_name = NULL;
  WhTrainingPage *page = fixture->page;
  AdwMessageDialog *dialog;
  GArray *shown;
  guint stopped_at;

  if (fixture->trainer == NULL)
    return;

  wh_training_page_set_trainer (page, fixture->trainer);
  g_assert_true (wh_trainer_start (fixture->trainer, &fixture->recipe, fixture->run, &error));
  g_assert_no_error (error);

  /* Paused after the first epoch, so the stop comes between two steps. */
  wh_test_iterate_until (has_checkpoint, fixture, TIMEOUT_S, "the first checkpoint");
  wh_test_click (_wh_training_page_get_pause_button (page));
  wh_test_iterate_until (is_paused, fixture, TIMEOUT_S, "the pause");
  if (!wh_training_page_is_busy (page))
    {
      g_test_incomplete ("the run ended before it could be stopped");
      return;
    }

  /* Stop asks first; keeping on training changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "training-page.stop", NULL);
  dialog = wh_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop training?");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_flush_main_loop ();
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_PAUSED);

  gtk_widget_activate_action (GTK_WIDGET (page), "training-page.stop", NULL);
  dialog = wh_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "stop");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_iterate_until (is_done, fixture, TIMEOUT_S, "the stop");
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_CANCELLED);
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Stopped");
  stopped_at = wh_trainer_get_progress (fixture->trainer)->step;
  stop_name = g_strdup_printf ("step-%u", stopped_at);
  checkpoints = _wh_training_page_dup_checkpoints (page);
  g_assert_cmpuint (g_strv_length (checkpoints), ==, 2);
  g_assert_cmpstr (checkpoints[0], ==, "epoch-1");
  g_assert_cmpstr (checkpoints[1], ==, stop_name);
  g_assert_cmpstr (pause_button_label (fixture), ==, "_Resume");

  /* Resume goes on from the checkpoint. */
  wh_test_click (_wh_training_page_get_pause_button (page));
  g_assert_true (wh_training_page_is_busy (page));
  wh_test_iterate_until (is_done, fixture, TIMEOUT_S, "the end of the run");
  assert_finished (fixture);
  g_assert_cmpuint (g_array_index (wh_trainer_get_history (fixture->trainer), WhTrainProgress, 0).step,
                    ==, stopped_at + 1);

  g_clear_pointer (&checkpoints, g_strfreev);
  checkpoints = _wh_training_page_dup_checkpoints (page);
  g_assert_cmpuint (g_strv_length (checkpoints), ==, 3);
  g_assert_cmpstr (checkpoints[0], ==, "epoch-1");
  g_assert_cmpstr (checkpoints[1], ==, stop_name);
  g_assert_cmpstr (checkpoints[2], ==, "epoch-2");

  /* Every step on the chart, once, in order. */
  shown = wh_loss_chart_get_history (_wh_training_page_get_chart (page));
  g_assert_cmpuint (shown->len, ==, wh_trainer_get_progress (fixture->trainer)->total_steps);
  for (guint i = 0; i < shown->len; i++)
    g_assert_cmpuint (g_array_index (shown, WhTrainProgress, i).step, ==, i + 1);
}

/* In an application's window, a run that cannot start: the reason in
 * the page, nothing else to show, and no complaint from keeping the
 * computer awake or from the notification. */
static void
test_failure (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  WhTrainingPage *page = fixture->page;

  if (fixture->trainer == NULL)
    return;

  app = adw_application_new ("io.github.whetstone.TrainingPageTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* Moved into a window of the application. */
  window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_object_ref (page);
  gtk_window_set_child (fixture->window, NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (page));
  g_object_unref (page);
  gtk_window_destroy (fixture->window);
  fixture->window = window;
  gtk_window_present (window);

  wh_training_page_set_trainer (page, fixture->trainer);
  g_free (fixture->recipe.model);
  fixture->recipe.model = g_build_filename (fixture->dir, "no-such-model", NULL);
  g_assert_true (wh_trainer_start (fixture->trainer, &fixture->recipe, fixture->run, &error));
  g_assert_no_error (error);
  g_assert_true (wh_training_page_is_busy (page));
  wh_test_iterate_until (is_done, fixture, TIMEOUT_S, "the failure");

  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_FAILED);
  g_assert_cmpstr (_wh_training_page_get_status_text (page), ==, "Failed");
  g_assert_nonnull (strstr (_wh_training_page_get_error_text (page), "no-such-model"));
  /* Nothing ran: no chart, no numbers, no checkpoints. */
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_wh_training_page_get_chart (page))));

  /* Said again on request, as the window may do. */
  wh_training_page_notify_if_unfocused (page);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  wh_ui_init ();
  gtk_init ();
  adw_init ();

  g_test_add_func ("/whetstone/training-page/ticks", test_ticks);
  g_test_add_func ("/whetstone/training-page/durations", test_durations);
  g_test_add_func ("/whetstone/training-page/hint", test_hint);
  g_test_add_func ("/whetstone/training-page/chart", test_chart);
  g_test_add ("/whetstone/training-page/run", Fixture, NULL, fixture_set_up, test_run, fixture_tear_down);
  g_test_add ("/whetstone/training-page/stop-resume", Fixture, NULL, fixture_set_up, test_stop_resume, fixture_tear_down);
  /* Last: it leaves an application registered. */
  g_test_add ("/whetstone/training-page/failure", Fixture, NULL, fixture_set_up, test_failure, fixture_tear_down);

  return g_test_run ();
}
