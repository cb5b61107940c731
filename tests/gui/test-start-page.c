/* test-start-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-loss-chart.h"
#include "wh-playground-page-private.h"
#include "wh-preferences-window-private.h"
#include "wh-run-list.h"
#include "wh-start-page-private.h"
#include "wh-test-gui.h"
#include "wh-trainer.h"
#include "wh-training-page-private.h"
#include "wh-ui.h"
#include "wh-window.h"

/* The Start screen on its own, listing two real runs of stories260K
 * (one finished, one stopped after its first step), offering to resume
 * the stopped one and deleting the other after asking; in the window,
 * resuming a run, and opening both to see their history and try the
 * finished one; and the Preferences window that chooses the device and
 * the runs folder. */

#define TIMEOUT_S 60

/* Dates */

static void
test_dates (void)
{
  static const struct {
    int         year, month, day, hour, minute;
    const char *text;
  } cases[] = {
    { 2026, 3, 12, 16, 0, "Just now" },
    { 2026, 3, 12, 15, 59, "1 minute ago" },
    { 2026, 3, 12, 15, 15, "45 minutes ago" },
    { 2026, 3, 12, 14, 0, "2 hours ago" },
    { 2026, 3, 12, 0, 5, "15 hours ago" },
    { 2026, 3, 11, 23, 55, "Yesterday" },
    { 2026, 3, 11, 8, 0, "Yesterday" },
    { 2026, 3, 10, 8, 0, "2 days ago" },
    { 2026, 3, 6, 8, 0, "6 days ago" },
    { 2026, 3, 5, 8, 0, "5 March" },
    { 2025, 12, 24, 8, 0, "24 December 2025" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 12, 16, 0, 30);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_new_local (cases[i].year, cases[i].month, cases[i].day,
                                                         cases[i].hour, cases[i].minute, 0);
      g_autofree char *text = _wh_start_page_format_date (when, now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Two real runs */

typedef struct
{
  char        *runs;
  char        *finished;
  char        *stopped;
  double       finished_loss;
  double       stopped_loss;
  guint        stopped_step;
  GtkWindow   *window;
  WhStartPage *page;
  char        *resumed;  /* what ::resume asked for */
} Fixture;

static gboolean
trainer_settled (gpointer data)
{
  WhTrainerState state = wh_trainer_get_state (data);

  return state != WH_TRAINER_STATE_PREPARING && state != WH_TRAINER_STATE_RUNNING;
}

static gboolean
has_stepped (gpointer data)
{
  const WhTrainProgress *progress = wh_trainer_get_progress (data);

  return (progress != NULL && progress->step >= 1) || trainer_settled (data);
}

/* Trains @recipe into @run_dir; stopped after its first step when @stop. */
static double
train (WhTrainer      *trainer,
       const WhRecipe *recipe,
       const char     *run_dir,
       gboolean        stop,
       guint          *step)
{
  g_autoptr(GError) error = NULL;
  const WhTrainProgress *progress;

  g_assert_true (wh_trainer_start (trainer, recipe, run_dir, &error));
  g_assert_no_error (error);
  if (stop)
    {
      wh_test_iterate_until (has_stepped, trainer, TIMEOUT_S, "the first step");
      wh_trainer_stop (trainer);
    }
  wh_test_iterate_until (trainer_settled, trainer, TIMEOUT_S, "the end of the run");
  if (wh_trainer_get_error (trainer) != NULL)
    g_test_message ("%s", wh_trainer_get_error (trainer)->message);
  g_assert_cmpint (wh_trainer_get_state (trainer), ==, stop ? WH_TRAINER_STATE_CANCELLED : WH_TRAINER_STATE_FINISHED);
  progress = wh_trainer_get_progress (trainer);
  g_assert_nonnull (progress);
  if (step != NULL)
    *step = progress->step;
  return progress->loss;
}

/* Runs the training engine writes, with the trainer the window uses. */
static gboolean
make_runs (Fixture *f)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autofree char *data = g_build_filename (f->runs, "..", "data.jsonl", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(WhTrainer) trainer = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;
  WhRecipe recipe;

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (WH_TESTDATA_DIR/models/stories260K/hf) is absent");
      return FALSE;
    }
  if (!(devices = wh_cl_enumerate_devices (&error)) || devices->len == 0 ||
      !(info = wh_cl_select_device (devices, g_getenv ("WHETSTONE_DEVICE"), &error)))
    {
      g_test_skip ("This machine has no OpenCL device (install pocl-opencl-icd)");
      return FALSE;
    }

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (text, "{\"text\": \"Story %u: the dog ran to the park and found %u sticks.\"}\n", i, i % 3);
  g_file_set_contents (data, text->str, -1, &error);
  g_assert_no_error (error);

  device = wh_device_new (info);
  trainer = wh_trainer_new (device);
  wh_recipe_init (&recipe);
  recipe.name = g_strdup ("Story teller");
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.max_seq_len = 32;
  recipe.lora_r = 4;
  recipe.lora_dropout = 0;
  recipe.batch_size = 2;
  recipe.grad_accum = 1;
  /* Enough for the finished run's adapter to answer otherwise than the
   * base model. */
  recipe.learning_rate = 0.02;
  recipe.warmup_steps = 0;

  recipe.max_steps = 2;
  f->finished = g_build_filename (f->runs, "story-teller-20260101-100000", NULL);
  f->finished_loss = train (trainer, &recipe, f->finished, FALSE, NULL);

  recipe.max_steps = 50;
  f->stopped = g_build_filename (f->runs, "story-teller-20260102-100000", NULL);
  f->stopped_loss = train (trainer, &recipe, f->stopped, TRUE, &f->stopped_step);

  wh_recipe_clear (&recipe);
  return TRUE;
}

static void
resume_cb (WhStartPage *page,
           const char  *run_dir,
           Fixture     *f)
{
  g_free (f->resumed);
  f->resumed = g_strdup (run_dir);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autofree char *parent = NULL;
  g_autoptr(GError) error = NULL;

  parent = g_dir_make_tmp ("whetstone-start-page-XXXXXX", &error);
  g_assert_no_error (error);
  f->runs = g_build_filename (parent, "runs", NULL);
  g_assert_cmpint (g_mkdir (f->runs, 0755), ==, 0);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 640, 600);
  f->page = WH_START_PAGE (wh_start_page_new ());
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  g_signal_connect (f->page, "resume", G_CALLBACK (resume_cb), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
}

static void
remove_runs (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autoptr(GError) error = NULL;

      /* Only runs are in the folder, and the one folder of photos. */
      if (!wh_run_delete (child, NULL, &error))
        {
          g_autofree char *photo = g_build_filename (child, "cat.jpg", NULL);

          g_unlink (photo);
          g_rmdir (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *parent = g_path_get_dirname (f->runs);
  g_autofree char *data = g_build_filename (parent, "data.jsonl", NULL);

  gtk_window_destroy (f->window);
  wh_test_flush_main_loop ();
  g_assert_null (f->page);

  remove_runs (f->runs);
  g_unlink (data);
  g_rmdir (parent);
  g_free (f->runs);
  g_free (f->finished);
  g_free (f->stopped);
  g_free (f->resumed);
}

static gboolean
is_loaded (gpointer data)
{
  return !_wh_start_page_get_loading (data);
}

static guint
count_rows (Fixture *f)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (_wh_start_page_get_list (f->page)));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static AdwActionRow *
find_page_row (WhStartPage *page,
               const char  *run_dir)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (_wh_start_page_get_list (page)));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (_wh_start_page_row_get_run_dir (GTK_LIST_BOX_ROW (row)), run_dir) == 0)
      return ADW_ACTION_ROW (row);
  return NULL;
}

static AdwActionRow *
find_row (Fixture    *f,
          const char *run_dir)
{
  return find_page_row (f->page, run_dir);
}

static void
assert_subtitle_has (AdwActionRow *row,
                     const char   *part)
{
  const char *subtitle = adw_action_row_get_subtitle (row);

  if (strstr (subtitle, part) == NULL)
    g_error ("“%s” is not in the row’s subtitle “%s”", part, subtitle);
}

static gboolean
has_rows (gpointer data)
{
  Fixture *f = data;

  return !_wh_start_page_get_loading (f->page) && count_rows (f) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->page), "want-rows"));
}

static void
wait_for_rows (Fixture *f,
               guint    n,
               const char *what)
{
  g_object_set_data (G_OBJECT (f->page), "want-rows", GUINT_TO_POINTER (n));
  wh_test_iterate_until (has_rows, f, TIMEOUT_S, what);
}

static gboolean
is_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_runs (Fixture       *f,
           gconstpointer  user_data)
{
  g_autofree char *finished_loss = NULL;
  g_autofree char *stopped_loss = NULL;
  g_autofree char *stopped_state = NULL;
  g_autofree char *photos = g_build_filename (f->runs, "photos", NULL);
  g_autofree char *cat = g_build_filename (photos, "cat.jpg", NULL);
  AdwMessageDialog *dialog;
  AdwActionRow *row;
  int minimum;

  if (!make_runs (f))
    return;

  /* Not a run: never listed, never deleted. */
  g_assert_cmpint (g_mkdir (photos, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cat, "jpeg", -1, NULL));

  /* Empty until a folder is given; then the runs, newest first. */
  gtk_window_present (f->window);
  g_assert_false (wh_start_page_get_has_runs (f->page));
  wh_start_page_set_runs_dir (f->page, f->runs);
  g_assert_cmpstr (wh_start_page_get_runs_dir (f->page), ==, f->runs);
  wh_test_iterate_until (is_loaded, f->page, TIMEOUT_S, "the runs to be read");
  g_assert_true (wh_start_page_get_has_runs (f->page));
  g_assert_cmpuint (count_rows (f), ==, 2);

  finished_loss = g_strdup_printf ("loss %.3f", f->finished_loss);
  stopped_loss = g_strdup_printf ("loss %.3f", f->stopped_loss);
  stopped_state = g_strdup_printf ("Stopped after step %u", f->stopped_step);

  row = find_row (f, f->finished);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Story teller");
  assert_subtitle_has (row, "hf");  /* the model's folder */
  assert_subtitle_has (row, "Finished");
  assert_subtitle_has (row, finished_loss);
  assert_subtitle_has (row, "Just now");

  row = find_row (f, f->stopped);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_prev_sibling (GTK_WIDGET (row)) == NULL);
  assert_subtitle_has (row, stopped_state);
  assert_subtitle_has (row, stopped_loss);

  /* It fits a phone. */
  gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Minimum width: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);

  /* The stopped run is offered for resuming; resuming is the window's. */
  g_assert_cmpstr (_wh_start_page_get_resume_run (f->page), ==, f->stopped);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "start-page.resume-latest", NULL));
  g_assert_cmpstr (f->resumed, ==, f->stopped);
  g_clear_pointer (&f->resumed, g_free);
  /* Not the finished one. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "start-page.resume", "s", f->finished);
  g_assert_null (f->resumed);

  /* While this app trains it, it is neither offered nor deletable. */
  wh_start_page_set_active_run (f->page, f->stopped);
  assert_subtitle_has (find_row (f, f->stopped), "Training");
  g_assert_null (_wh_start_page_get_resume_run (f->page));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "start-page.delete", "s", f->stopped);
  g_assert_null (wh_test_find_message_dialog ());
  wh_start_page_set_active_run (f->page, NULL);
  g_assert_cmpstr (_wh_start_page_get_resume_run (f->page), ==, f->stopped);

  /* Delete asks first; cancelling keeps the run. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "start-page.delete", "s", f->finished);
  dialog = wh_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Story teller”?");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_flush_main_loop ();
  g_assert_true (g_file_test (f->finished, G_FILE_TEST_IS_DIR));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "start-page.delete", "s", f->finished);
  dialog = wh_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_iterate_until (is_gone, f->finished, TIMEOUT_S, "the run to be deleted");
  wait_for_rows (f, 1, "the list without the deleted run");
  g_assert_nonnull (find_row (f, f->stopped));
  g_assert_true (g_file_test (f->stopped, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (cat, G_FILE_TEST_IS_REGULAR));

  /* A run started elsewhere (by whetstone-cli, say) shows up. */
  {
    g_autofree char *other = g_build_filename (f->runs, "cli-run", NULL);
    g_autofree char *recipe = g_build_filename (f->stopped, "recipe.json", NULL);
    g_autofree char *copy = g_build_filename (other, "recipe.json", NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (recipe, &contents, &length, NULL));
    g_assert_cmpint (g_mkdir (other, 0755), ==, 0);
    g_assert_true (g_file_set_contents (copy, contents, length, NULL));
    wait_for_rows (f, 2, "the new run to be listed");
    g_assert_nonnull (find_row (f, other));
  }
}

/* In the window: the runs folder of the settings, and a resume that
 * takes the run to the Training step and back. */

static gboolean
discovery_finished (gpointer data)
{
  return wh_window_get_device_state (data) != WH_WINDOW_DEVICE_STATE_SEARCHING;
}

static gboolean
page_has_runs (gpointer data)
{
  return wh_start_page_get_has_runs (data);
}

static gboolean
training_settled (gpointer data)
{
  return !wh_training_page_is_busy (data);
}

static const char *
visible_step (WhWindow *window)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, "main_stack"));

  return gtk_stack_get_visible_child_name (stack);
}

/* The application's window on the runs folder of @f, once it has
 * looked for its device; NULL, the test skipped, when it found none. */
static WhWindow *
present_window (Fixture   *f,
                GSettings *settings,
                gpointer   app_out)
{
  AdwApplication **app = app_out;
  g_autoptr(GError) error = NULL;
  WhWindow *window;

  g_settings_set_string (settings, "runs-folder", f->runs);
  *app = adw_application_new ("io.github.whetstone.Whetstone.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (*app), NULL, &error);
  g_assert_no_error (error);
  window = wh_window_new (GTK_APPLICATION (*app));
  gtk_window_present (GTK_WINDOW (window));
  wh_test_iterate_until (discovery_finished, window, TIMEOUT_S, "the device discovery");
  if (wh_window_get_device_state (window) != WH_WINDOW_DEVICE_STATE_FOUND)
    {
      g_test_skip ("The window found no device");
      gtk_window_destroy (GTK_WINDOW (window));
      return NULL;
    }
  return window;
}

static gpointer
window_child (WhWindow   *window,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, name);
}

static void
close_window (WhWindow  *window,
              GSettings *settings)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  wh_test_flush_main_loop ();
  g_assert_null (window);
  g_settings_reset (settings, "runs-folder");
}

static void
test_window (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.whetstone.Whetstone");
  g_autoptr(AdwApplication) app = NULL;
  WhWindow *window;
  WhStartPage *page;
  WhTrainingPage *training_page;
  WhTrainer *trainer;

  if (!make_runs (f) || !(window = present_window (f, settings, &app)))
    return;

  page = window_child (window, "start_page");
  training_page = window_child (window, "training_page");
  g_assert_cmpstr (wh_start_page_get_runs_dir (page), ==, f->runs);
  wh_test_iterate_until (page_has_runs, page, TIMEOUT_S, "the runs to be listed");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window_child (window, "welcome_page")), "compact"));

  /* Resumed: on the Training step, shown there as under way. */
  g_assert_cmpstr (_wh_start_page_get_resume_run (page), ==, f->stopped);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "start-page.resume-latest", NULL));
  g_assert_cmpstr (visible_step (window), ==, "training");
  trainer = wh_training_page_get_trainer (training_page);
  g_assert_nonnull (trainer);
  g_assert_cmpstr (wh_trainer_get_run_dir (trainer), ==, f->stopped);
  g_assert_true (wh_training_page_is_busy (training_page));
  g_assert_null (_wh_start_page_get_resume_run (page));

  /* Stopped again, then back to the Start step, not the Goal one. */
  wh_trainer_stop (trainer);
  wh_test_iterate_until (training_settled, training_page, TIMEOUT_S, "the run to stop");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpstr (visible_step (window), ==, "start");

  close_window (window, settings);
}

/* Opening runs: their history on the Training step, read from their
 * folders, and the finished one's adapter in Try It. */

typedef struct
{
  WhWindow   *window;
  const char *run_dir;
  guint       n_steps;  /* shown before the run went on */
} Shown;

static gboolean
shows_run (gpointer data)
{
  Shown *shown = data;
  WhTrainingPage *training_page = window_child (shown->window, "training_page");

  return g_strcmp0 (visible_step (shown->window), "training") == 0 &&
         g_strcmp0 (wh_training_page_get_run_dir (training_page), shown->run_dir) == 0;
}

static gboolean
can_try (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_is_sensitive (data);
}

static gboolean
has_stepped_on (gpointer data)
{
  Shown *shown = data;
  WhTrainingPage *training_page = window_child (shown->window, "training_page");
  GArray *history = wh_loss_chart_get_history (_wh_training_page_get_chart (training_page));

  return history->len > shown->n_steps || !wh_training_page_is_busy (training_page);
}

static void
test_open (Fixture       *f,
           gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.whetstone.Whetstone");
  g_autoptr(AdwApplication) app = NULL;
  g_auto(GStrv) checkpoints = NULL;
  g_auto(GStrv) titles = NULL;
  g_autofree char *base_answer = NULL;
  WhWindow *window;
  WhStartPage *page;
  WhTrainingPage *training_page;
  WhPlaygroundPage *playground;
  GtkWidget *next, *pause;
  GArray *history;
  Shown shown;

  if (!make_runs (f) || !(window = present_window (f, settings, &app)))
    return;

  page = window_child (window, "start_page");
  training_page = window_child (window, "training_page");
  playground = window_child (window, "playground_page");
  next = window_child (window, "next_button");
  pause = _wh_training_page_get_pause_button (training_page);
  history = wh_loss_chart_get_history (_wh_training_page_get_chart (training_page));
  wh_test_iterate_until (page_has_runs, page, TIMEOUT_S, "the runs to be listed");

  /* The finished run, its row activated: its steps and checkpoint, and
   * nothing to resume. */
  shown = (Shown) { window, f->finished, 0 };
  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_page_row (page, f->finished))));
  wh_test_iterate_until (shows_run, &shown, TIMEOUT_S, "the finished run on the Training step");
  g_assert_null (wh_training_page_get_trainer (training_page));
  g_assert_false (wh_training_page_is_busy (training_page));
  g_assert_cmpstr (_wh_training_page_get_status_text (training_page), ==, "Finished");
  g_assert_cmpstr (_wh_training_page_get_progress_text (training_page), ==, "Step 2 of 2 · Epoch 1 of 1");
  g_assert_cmpuint (history->len, ==, 2);
  for (guint i = 0; i < history->len; i++)
    g_assert_cmpuint (g_array_index (history, WhTrainProgress, i).step, ==, i + 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (history, WhTrainProgress, 1).loss, f->finished_loss, 1e-5);
  checkpoints = _wh_training_page_dup_checkpoints (training_page);
  g_assert_cmpuint (g_strv_length (checkpoints), ==, 1);
  g_assert_cmpstr (checkpoints[0], ==, "step-2");
  g_assert_false (gtk_widget_is_visible (pause));

  /* Try It: the base model and the adapter the run ended with, each
   * answering in its own way. */
  wh_test_iterate_until (can_try, next, TIMEOUT_S, "Try It");
  wh_test_click (next);
  g_assert_cmpstr (visible_step (window), ==, "playground");
  titles = _wh_playground_page_dup_titles (playground);
  g_assert_cmpuint (g_strv_length (titles), ==, 2);
  g_assert_cmpstr (titles[0], ==, "Base model");
  g_assert_cmpstr (titles[1], ==, "Fine-tuned");
  g_assert_nonnull (_wh_playground_page_get_export_button (playground, 1));
  gtk_spin_button_set_value (_wh_playground_page_get_spin (playground, "length_spin"), 16);
  wh_test_playground_ask (playground, "Story 1: the dog", TIMEOUT_S);
  wh_test_playground_assert_answered (playground, 2);
  base_answer = g_strdup (_wh_playground_page_get_answer (playground, 0, NULL));
  g_assert_cmpstr (_wh_playground_page_get_answer (playground, 1, NULL), !=, base_answer);

  /* Back to the run, and to the Start step it came from. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpstr (visible_step (window), ==, "training");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpstr (visible_step (window), ==, "start");

  /* The stopped run, from its menu: Resume is offered, and the steps
   * shown stay as it goes on. */
  shown = (Shown) { window, f->stopped, 0 };
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "start-page.open", "s", f->stopped));
  wh_test_iterate_until (shows_run, &shown, TIMEOUT_S, "the stopped run on the Training step");
  g_assert_cmpstr (_wh_training_page_get_status_text (training_page), ==, "Stopped");
  g_assert_cmpuint (history->len, ==, f->stopped_step);
  g_assert_true (gtk_widget_is_visible (pause));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (pause)))), ==,
                   "_Resume");
  wh_test_click (pause);
  g_assert_true (wh_training_page_is_busy (training_page));
  g_assert_nonnull (wh_training_page_get_trainer (training_page));
  g_assert_cmpstr (wh_trainer_get_run_dir (wh_training_page_get_trainer (training_page)), ==, f->stopped);
  shown.n_steps = f->stopped_step;
  wh_test_iterate_until (has_stepped_on, &shown, TIMEOUT_S, "a step after the checkpoint");
  g_assert_cmpuint (history->len, >, f->stopped_step);
  for (guint i = 0; i < history->len; i++)
    g_assert_cmpuint (g_array_index (history, WhTrainProgress, i).step, ==, i + 1);

  wh_trainer_stop (wh_training_page_get_trainer (training_page));
  wh_test_iterate_until (training_settled, training_page, TIMEOUT_S, "the run to stop");
  close_window (window, settings);
}

/* Preferences */

static gboolean
devices_listed (gpointer data)
{
  return !_wh_preferences_window_get_loading (data);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.whetstone.Whetstone");
  g_autofree char *default_dir = wh_run_dup_default_dir ();
  g_autofree char *spec = NULL;
  g_autofree char *folder = NULL;
  GtkWidget *window = wh_preferences_window_new (NULL, settings);
  AdwActionRow *runs_row = _wh_preferences_window_get_runs_row (WH_PREFERENCES_WINDOW (window));
  AdwComboRow *device_row = _wh_preferences_window_get_device_row (WH_PREFERENCES_WINDOW (window));
  GListModel *devices;

  gtk_window_present (GTK_WINDOW (window));

  /* The runs folder: the default one, then the user's. */
  g_assert_cmpstr (adw_action_row_get_subtitle (runs_row), ==, default_dir);
  g_settings_set_string (settings, "runs-folder", "/srv/whetstone-runs");
  g_assert_cmpstr (adw_action_row_get_subtitle (runs_row), ==, "/srv/whetstone-runs");
  g_assert_true (gtk_widget_activate_action (window, "preferences.reset-runs-folder", NULL));
  folder = g_settings_get_string (settings, "runs-folder");
  g_assert_cmpstr (folder, ==, "");
  g_assert_cmpstr (adw_action_row_get_subtitle (runs_row), ==, default_dir);

  /* The devices: automatic first, then each. */
  wh_test_iterate_until (devices_listed, window, TIMEOUT_S, "the devices to be listed");
  devices = adw_combo_row_get_model (device_row);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (device_row)))
    g_test_message ("No OpenCL device: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (device_row)));
  else
    {
      g_assert_cmpuint (g_list_model_get_n_items (devices), >=, 2);
      g_assert_cmpuint (adw_combo_row_get_selected (device_row), ==, 0);
      g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (devices), 0), "Automatic: "));
      adw_combo_row_set_selected (device_row, 1);
      spec = g_settings_get_string (settings, "device");
      g_assert_cmpstr (spec, !=, "");
      adw_combo_row_set_selected (device_row, 0);
      g_clear_pointer (&spec, g_free);
      spec = g_settings_get_string (settings, "device");
      g_assert_cmpstr (spec, ==, "");
    }

  gtk_window_destroy (GTK_WINDOW (window));
  wh_test_flush_main_loop ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("whetstone-start-page-data-XXXXXX", NULL);
  int ret;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: the icon theme is in XDG_DATA_DIRS. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  wh_ui_init ();
  gtk_init ();
  adw_init ();

  g_test_add_func ("/whetstone/start-page/dates", test_dates);
  g_test_add ("/whetstone/start-page/runs", Fixture, NULL, fixture_set_up, test_runs, fixture_tear_down);
  g_test_add_func ("/whetstone/start-page/preferences", test_preferences);
  g_test_add ("/whetstone/start-page/window", Fixture, NULL, fixture_set_up, test_window, fixture_tear_down);
  g_test_add ("/whetstone/start-page/open", Fixture, NULL, fixture_set_up, test_open, fixture_tear_down);

  ret = g_test_run ();
  g_rmdir (data_home);
  return ret;
}
