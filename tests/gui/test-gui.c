/* test-gui.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "wh-application.h"
#include "wh-goal-page.h"
#include "wh-model-page.h"
#include "wh-preferences-window.h"
#include "wh-window.h"

#include "wh-data-page.h"
#include "wh-trainer.h"
#include "wh-training-page.h"

/* PoCL can take a while to load and enumerate its device. */
#define DISCOVERY_TIMEOUT_S 60
#define WINDOW_TIMEOUT_S    10
#define LOAD_TIMEOUT_S      15

static WhApplication *app;

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; fails the test after
 * @timeout_s seconds rather than hanging. */
static void
iterate_until (Condition   condition,
               gpointer    data,
               guint       timeout_s,
               const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", timeout_s, what);

  g_source_remove (timeout_id);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_not_visible (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

static gboolean
is_cleared (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static gboolean
discovery_finished (gpointer data)
{
  return wh_window_get_device_state (WH_WINDOW (data)) != WH_WINDOW_DEVICE_STATE_SEARCHING;
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if ((found = find_widget (child, match, data)))
        return found;
    }

  return NULL;
}

static gboolean
has_action_name (GtkWidget     *widget,
                 gconstpointer  action_name)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static gpointer
find_window_of_type (GType type)
{
  for (const GList *iter = gtk_application_get_windows (GTK_APPLICATION (app));
       iter != NULL;
       iter = iter->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (iter->data, type))
        return iter->data;
    }

  return NULL;
}

/* Starts the application on first use and returns its window once it is
 * on screen and has finished looking for a device. */
static WhWindow *
ensure_window (void)
{
  g_autoptr(GError) error = NULL;
  WhWindow *window;

  if (app == NULL)
    {
      app = wh_application_new ();
      /* Independent of any Whetstone the machine may be running. */
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  if (!(window = find_window_of_type (WH_TYPE_WINDOW)))
    {
      g_application_activate (G_APPLICATION (app));
      window = find_window_of_type (WH_TYPE_WINDOW);
    }

  g_assert_true (WH_IS_WINDOW (window));

  iterate_until (is_mapped, window, WINDOW_TIMEOUT_S, "the window to be shown");
  iterate_until (discovery_finished, window, DISCOVERY_TIMEOUT_S, "the device discovery");

  return window;
}

static void
test_welcome (void)
{
  WhWindow *window = ensure_window ();
  WhWindowDeviceState state;
  AdwStatusPage *welcome_page;
  GtkStack *device_stack;
  GtkWidget *page;
  AdwPreferencesRow *row;
  const char *page_name;

  welcome_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, "welcome_page"));
  device_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, "device_stack"));

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (welcome_page)));
  g_assert_cmpstr (adw_status_page_get_title (welcome_page), ==,
                   "Fine-tune a language model on your own computer");
  g_assert_cmpstr (adw_status_page_get_icon_name (welcome_page), ==, APP_ID);
  g_assert_nonnull (adw_status_page_get_description (welcome_page));

  /* The spinner is gone: either the device line or the no-device message. */
  state = wh_window_get_device_state (window);
  page_name = gtk_stack_get_visible_child_name (device_stack);
  g_test_message ("Device state %d, page “%s”", state, page_name);

  switch (state)
    {
    case WH_WINDOW_DEVICE_STATE_FOUND:
      g_assert_cmpstr (page_name, ==, "device");
      g_assert_nonnull (wh_window_get_device (window));
      row = ADW_PREFERENCES_ROW (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, "device_row"));
      break;

    case WH_WINDOW_DEVICE_STATE_MISSING:
    case WH_WINDOW_DEVICE_STATE_FAILED:
      g_assert_cmpstr (page_name, ==, "no-device");
      g_assert_null (wh_window_get_device (window));
      row = ADW_PREFERENCES_ROW (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, "problem_row"));
      break;

    case WH_WINDOW_DEVICE_STATE_SEARCHING:
    default:
      g_assert_not_reached ();
    }

  g_test_message ("Device line: %s", adw_preferences_row_get_title (row));
  g_assert_cmpstr (adw_preferences_row_get_title (row), !=, "");

  page = gtk_stack_get_visible_child (device_stack);
  iterate_until (is_mapped, page, WINDOW_TIMEOUT_S, "the device line to be shown");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));

  if (strcmp (PROFILE, "Devel") == 0)
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
  else
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
}

static void
test_narrow (void)
{
  WhWindow *window = ensure_window ();
  GtkWidget *content;
  int minimum;

  /* Phones and tiled windows: the content has to fit in 360 pixels. */
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Minimum content width: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

static void
test_new_fine_tune (void)
{
  WhWindow *window = ensure_window ();
  g_auto(GStrv) accels = NULL;
  gboolean installed = FALSE;
  const GVariantType *param_type;
  const char *property_name;
  const char *name;
  GtkWidget *button;
  GType owner;

  for (guint i = 0;
       gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (window), i,
                                      &owner, &name, &param_type, &property_name);
       i++)
    installed |= owner == WH_TYPE_WINDOW && g_strcmp0 (name, "win.new-fine-tune") == 0;
  g_assert_true (installed);

  /* Enabled once there is a device to train on; the button follows the
   * action. */
  button = find_widget (GTK_WIDGET (window), has_action_name, "win.new-fine-tune");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button) ==
                 (wh_window_get_device_state (window) == WH_WINDOW_DEVICE_STATE_FOUND));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.new-fine-tune");
  g_assert_cmpstrv (accels, ((const char * const[]) { "<Control>n", NULL }));
}

static GtkWidget *
window_child (WhWindow   *window,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, name));
}

static const char *
visible_step (WhWindow *window)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (window_child (window, "main_stack")));
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (data));
}

static gboolean
training_settled (gpointer data)
{
  return !wh_training_page_is_busy (data);
}

static gboolean
data_settled (gpointer data)
{
  return !wh_data_page_get_busy (data) && wh_data_page_get_usable (data);
}

/* Start → Model → Data → Goal → Training, with “Next” sensitive only when
 * the step is complete, and back again. */
static void
test_flow (void)
{
  WhWindow *window = ensure_window ();
  GtkWidget *next = window_child (window, "next_button");
  GtkWidget *back = window_child (window, "back_button");
  WhModelPage *model_page = WH_MODEL_PAGE (window_child (window, "model_page"));
  WhGoalPage *goal_page = WH_GOAL_PAGE (window_child (window, "goal_page"));
  const char *demo = g_getenv ("WHETSTONE_DEMO_MODEL");
  const WhRecipe *recipe;

  if (wh_window_get_device_state (window) != WH_WINDOW_DEVICE_STATE_FOUND)
    {
      g_test_skip ("No OpenCL device: a fine-tune cannot start");
      return;
    }

  g_assert_cmpstr (visible_step (window), ==, "start");
  g_assert_false (gtk_widget_get_visible (next));
  g_assert_false (gtk_widget_get_visible (back));

  /* Model: the demo is chosen for the user; Next waits until it is read. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-fine-tune", NULL));
  g_assert_cmpstr (visible_step (window), ==, "model");
  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (gtk_widget_get_visible (back));
  g_assert_false (gtk_widget_is_sensitive (next));
  iterate_until (is_sensitive, next, LOAD_TIMEOUT_S, "the demo model to be read");
  g_assert_cmpstr (wh_model_page_get_model_path (model_page), ==, demo);
  g_assert_true (wh_model_page_get_ready (model_page));

  /* Data: Next waits for usable examples. */
  g_signal_emit_by_name (next, "clicked");
  g_assert_cmpstr (visible_step (window), ==, "data");
  g_assert_false (gtk_widget_is_sensitive (next));

  {
    g_autofree char *sample = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "samples",
                                                "support-chatbot.jsonl", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (sample);
    GtkWidget *data_page = gtk_widget_get_first_child (window_child (window, "data_bin"));

    g_assert_true (WH_IS_DATA_PAGE (data_page));
    wh_data_page_load_file (WH_DATA_PAGE (data_page), file);
    iterate_until (data_settled, data_page, LOAD_TIMEOUT_S, "the sample examples to be imported");
    g_assert_true (gtk_widget_is_sensitive (next));

    /* Offered again next time, under the drop target. */
    {
      g_autoptr(GSettings) settings = g_settings_new ("io.github.whetstone.Whetstone");
      g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-datasets");

      g_assert_nonnull (recent[0]);
      g_assert_cmpstr (recent[0], ==, sample);
    }
  }

  /* Goal: Next waits for a goal. */
  g_signal_emit_by_name (next, "clicked");
  g_assert_cmpstr (visible_step (window), ==, "goal");
  g_assert_false (gtk_widget_is_sensitive (next));
  wh_goal_page_set_preset_id (goal_page, "support-chatbot");
  g_assert_true (gtk_widget_is_sensitive (next));

  /* Training: the run starts at once, with the goal's recipe, the chosen
   * model and examples.  (The stand-in demo model has no tokenizer, so
   * this run stops early; it is stopped here if it has not.) */
  g_assert_null (wh_window_get_recipe (window));
  g_signal_emit_by_name (next, "clicked");
  g_assert_cmpstr (visible_step (window), ==, "training");
  g_assert_false (gtk_widget_get_visible (next));
  recipe = wh_window_get_recipe (window);
  g_assert_nonnull (recipe);
  g_assert_cmpstr (recipe->name, ==, "Support chatbot");
  g_assert_cmpstr (recipe->model, ==, demo);
  g_assert_true (g_str_has_suffix (recipe->dataset_path, "support-chatbot.jsonl"));
  {
    WhTrainingPage *training_page = WH_TRAINING_PAGE (window_child (window, "training_page"));
    WhTrainer *trainer = wh_training_page_get_trainer (training_page);

    g_assert_nonnull (trainer);
    g_assert_cmpint (wh_trainer_get_state (trainer), !=, WH_TRAINER_STATE_IDLE);
    wh_trainer_stop (trainer);
    iterate_until (training_settled, training_page, LOAD_TIMEOUT_S, "the run to stop");
    g_assert_cmpint (wh_trainer_get_state (trainer), >=, WH_TRAINER_STATE_FINISHED);
  }

  /* Back to the start, step by step, with what was chosen kept. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpstr (visible_step (window), ==, "start");
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_cmpstr (wh_model_page_get_model_path (model_page), ==, demo);
  g_assert_cmpstr (wh_goal_page_get_preset_id (goal_page), ==, "support-chatbot");
}

static void
test_about (void)
{
  WhWindow *window = ensure_window ();
  AdwAboutWindow *about;

  g_assert_null (find_window_of_type (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  about = find_window_of_type (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_object_add_weak_pointer (G_OBJECT (about), (gpointer *)&about);

  iterate_until (is_mapped, about, WINDOW_TIMEOUT_S, "the About window to be shown");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Whetstone");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);

  gtk_window_close (GTK_WINDOW (about));
  iterate_until (is_cleared, &about, WINDOW_TIMEOUT_S, "the About window to be destroyed");
}

static void
test_shortcuts (void)
{
  WhWindow *window = ensure_window ();
  g_auto(GStrv) accels = NULL;
  GtkShortcutsWindow *overlay;

  /* Present only when gtk/help-overlay.ui was found under the resource base path. */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_cmpstrv (accels, ((const char * const[]) { "<Control>question", NULL }));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  iterate_until (is_mapped, overlay, WINDOW_TIMEOUT_S, "the shortcuts window to be shown");

  gtk_window_close (GTK_WINDOW (overlay));
  iterate_until (is_not_visible, overlay, WINDOW_TIMEOUT_S, "the shortcuts window to be hidden");
}

static void
test_preferences (void)
{
  WhWindow *window = ensure_window ();
  g_auto(GStrv) accels = NULL;
  GtkWindow *preferences;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstrv (accels, ((const char * const[]) { "<Control>comma", NULL }));

  g_assert_null (find_window_of_type (WH_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_window_of_type (WH_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *)&preferences);

  iterate_until (is_mapped, preferences, WINDOW_TIMEOUT_S, "the Preferences window to be shown");
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));

  gtk_window_close (preferences);
  iterate_until (is_cleared, &preferences, DISCOVERY_TIMEOUT_S, "the Preferences window to be destroyed");
}

static void
test_destroy_while_searching (void)
{
  WhWindow *window;
  WhWindow *later;

  ensure_window ();

  /* Discovery starts with the window and reports through the main loop,
   * which has not run yet: the result arrives after the window is gone and
   * must be dropped without touching it. */
  window = wh_window_new (GTK_APPLICATION (app));
  g_assert_cmpint (wh_window_get_device_state (window), ==, WH_WINDOW_DEVICE_STATE_SEARCHING);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (window);

  /* A discovery started afterwards finishes after the first one, in
   * practice: by then the stale result has been delivered and dropped. */
  later = wh_window_new (GTK_APPLICATION (app));
  g_object_add_weak_pointer (G_OBJECT (later), (gpointer *)&later);
  iterate_until (discovery_finished, later, DISCOVERY_TIMEOUT_S, "the device discovery");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  gtk_window_destroy (GTK_WINDOW (later));
  g_assert_null (later);
}

static void
test_quit (void)
{
  WhWindow *window = ensure_window ();
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) accels = NULL;
  int width;
  int height;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstrv (accels, ((const char * const[]) { "<Control>q", NULL }));

  /* Not the schema's defaults, so that reading them back proves a save. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  iterate_until (is_cleared, &window, WINDOW_TIMEOUT_S, "the window to be destroyed");

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Closing the window saved its size for the next start. */
  settings = g_settings_new ("io.github.whetstone.Whetstone");
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, width);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, height);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The models the Model step finds: the reference model as the demo,
   * and none of this machine's own. */
  {
    g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "reference", "models", "llama-gqa", NULL);
    g_autofree char *nowhere = g_test_build_filename (G_TEST_BUILT, "no-models", NULL);

    g_autofree char *data_home = g_dir_make_tmp ("whetstone-gui-XXXXXX", NULL);

    g_setenv ("WHETSTONE_DEMO_MODEL", demo, TRUE);
    /* Run folders go somewhere of the test's own. */
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
    g_setenv ("HF_HOME", nowhere, TRUE);
    g_unsetenv ("HF_HUB_CACHE");
    g_setenv ("OLLAMA_MODELS", nowhere, TRUE);
  }

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run this test under xvfb-run (meson test does)\n");
      return 77;
    }

  g_test_add_func ("/whetstone/gui/welcome", test_welcome);
  g_test_add_func ("/whetstone/gui/narrow", test_narrow);
  g_test_add_func ("/whetstone/gui/new-fine-tune", test_new_fine_tune);
  g_test_add_func ("/whetstone/gui/flow", test_flow);
  g_test_add_func ("/whetstone/gui/about", test_about);
  g_test_add_func ("/whetstone/gui/shortcuts", test_shortcuts);
  g_test_add_func ("/whetstone/gui/preferences", test_preferences);
  g_test_add_func ("/whetstone/gui/destroy-while-searching", test_destroy_while_searching);
  g_test_add_func ("/whetstone/gui/quit", test_quit);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
