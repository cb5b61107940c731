/* test-playground.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-application.h"
#include "wh-data-page.h"
#include "wh-file-private.h"
#include "wh-goal-page.h"
#include "wh-playground-page-private.h"
#include "wh-run-folder.h"
#include "wh-test-gui.h"
#include "wh-trainer.h"
#include "wh-training-page.h"
#include "wh-ui.h"
#include "wh-window.h"

/* The Try It step, in windows on the X server that meson's xvfb-run
 * provides: on its own, a real run of stories260K on the test device,
 * asked while it trains, by the base model and a checkpoint side by
 * side; the same seed giving the same answers; a conversation; every
 * control in reach of the keyboard; and a checkpoint's adapter exported
 * through the file chooser.  Then in the application's window, from the
 * first step to Try It. */

#define TIMEOUT_S 60

/* Fixture */

typedef struct
{
  WhDevice         *device;
  WhTrainer        *trainer;
  WhRecipe          recipe;
  char             *dir;
  char             *run;
  GtkWindow        *window;
  WhPlaygroundPage *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autofree char *data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  wh_recipe_init (&fixture->recipe);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  fixture->page = WH_PLAYGROUND_PAGE (wh_playground_page_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->page), (gpointer *) &fixture->page);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);

  if (user_data == NULL)
    return;
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

  fixture->dir = g_dir_make_tmp ("whetstone-playground-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (fixture->dir, "chats.jsonl", NULL);
  fixture->run = g_build_filename (fixture->dir, "run", NULL);
  /* Conversations, so the run has a chat template and a system prompt. */
  for (guint i = 0; i < 24; i++)
    g_string_append_printf (text,
                            "{\"messages\": [{\"role\": \"user\", \"content\": \"Where is the cat %u?\"},"
                            " {\"role\": \"assistant\", \"content\": \"The cat sat by the door and saw %u birds.\"}]}\n",
                            i, i % 4);
  g_file_set_contents (data, text->str, -1, &error);
  g_assert_no_error (error);

  fixture->recipe.model = g_strdup (model);
  fixture->recipe.dataset_path = g_strdup (data);
  g_free (fixture->recipe.template);
  fixture->recipe.template = g_strdup ("zephyr");
  fixture->recipe.system_prompt = g_strdup ("You tell short stories.");
  /* Long enough to be still training when the answers come, with a
   * checkpoint every two steps, and a learning rate high enough for the
   * checkpoints to answer differently. */
  fixture->recipe.epochs = 200;
  fixture->recipe.save_every_steps = 2;
  fixture->recipe.learning_rate = 0.02;
  fixture->recipe.warmup_steps = 0;
  fixture->recipe.batch_size = 1;
  fixture->recipe.grad_accum = 2;
  fixture->recipe.max_seq_len = 256;
  fixture->recipe.lora_r = 4;
  fixture->recipe.lora_dropout = 0;
  fixture->recipe.val_fraction = 0;
}

static gboolean
trainer_settled (gpointer data)
{
  WhTrainerState state = wh_trainer_get_state (data);

  return state != WH_TRAINER_STATE_PREPARING && state != WH_TRAINER_STATE_RUNNING &&
         state != WH_TRAINER_STATE_PAUSED;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->trainer != NULL && !trainer_settled (fixture->trainer))
    {
      wh_trainer_stop (fixture->trainer);
      wh_test_iterate_until (trainer_settled, fixture->trainer, TIMEOUT_S, "the run to stop");
    }
  gtk_window_destroy (fixture->window);
  wh_test_flush_main_loop ();
  g_assert_null (fixture->page);
  g_clear_object (&fixture->trainer);
  g_clear_object (&fixture->device);
  wh_recipe_clear (&fixture->recipe);
  if (fixture->dir != NULL)
    _wh_file_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->run);
}

/* Conditions */

static gboolean
is_idle (gpointer data)
{
  return !wh_playground_page_get_busy (data);
}

/* Driving the page */

static gboolean
has_chooser (gpointer data)
{
  return wh_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return wh_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
is_adapter (gpointer data)
{
  return wh_run_folder_is_adapter (data);
}

static gboolean
chooser_shows (gpointer data)
{
  GtkWindow *chooser = wh_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) file = chooser != NULL ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;

  return file != NULL && g_file_equal (file, data);
}

/* Presses the column's export button and chooses @folder in the file
 * chooser that opens. */
static void
export_through_chooser (WhPlaygroundPage *page,
                        guint             column,
                        const char        *folder)
{
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autoptr(GError) error = NULL;
  GtkWidget *button = _wh_playground_page_get_export_button (page, column);
  GtkWindow *chooser;

  g_assert_nonnull (button);
  wh_test_click (button);
  wh_test_iterate_until (has_chooser, NULL, TIMEOUT_S, "the file chooser");
  chooser = wh_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  /* With nothing selected in it, the folder shown is the one chosen. */
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  wh_test_iterate_until (chooser_shows, file, TIMEOUT_S, "the folder in the file chooser");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
}

/* Tests */

/* Before a run: nothing to try, and nothing wider than a phone. */
static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  WhPlaygroundPage *page = fixture->page;
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), WH_TYPE_PLAYGROUND_PAGE, "stack"));
  int minimum, natural;

  g_assert_false (wh_playground_page_get_ready (page));
  g_assert_false (wh_playground_page_get_busy (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (_wh_playground_page_get_send_button (page)));

  /* A run folder that did not get as far as training. */
  fixture->dir = g_dir_make_tmp ("whetstone-playground-XXXXXX", NULL);
  wh_playground_page_set_run_dir (page, fixture->dir);
  g_assert_cmpstr (wh_playground_page_get_run_dir (page), ==, fixture->dir);
  g_assert_false (wh_playground_page_get_ready (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");

  gtk_stack_set_visible_child_name (GTK_STACK (stack), "playground");
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

static gboolean
has_checkpoints (gpointer data)
{
  Fixture *fixture = data;
  g_auto(GStrv) titles = _wh_playground_page_dup_titles (fixture->page);

  return (wh_playground_page_get_ready (fixture->page) && g_strv_length (titles) == 2) ||
         trainer_settled (fixture->trainer);
}

static void
collect_focus (GtkWindow  *window,
               GHashTable *seen)
{
  for (guint i = 0; i < 300; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (window);
      if (focus == NULL)
        continue;
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        g_hash_table_add (seen, w);
    }
}

/* Asked while the run trains: the base model and the latest checkpoint
 * answer side by side, word by word, and again the same with the same
 * seed; then a conversation, and an adapter exported. */
static void
test_during_training (Fixture       *fixture,
                      gconstpointer  user_data)
{
  WhPlaygroundPage *page = fixture->page;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *first_base = NULL;
  g_autofree char *first_checkpoint = NULL;
  g_autofree char *out = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *named = NULL;
  g_autofree char *old_file = NULL;
  g_autofree char *checkpoint_name = NULL;
  GtkWidget *choice;
  AdwMessageDialog *dialog;
  gint64 start = g_get_monotonic_time ();
  guint n_pieces, step;

  if (fixture->trainer == NULL)
    return;

  wh_playground_page_set_device (page, fixture->device);
  wh_playground_page_set_trainer (page, fixture->trainer);
  g_assert_true (wh_playground_page_get_device (page) == fixture->device);
  g_assert_false (wh_playground_page_get_ready (page));
  g_assert_true (wh_trainer_start (fixture->trainer, &fixture->recipe, fixture->run, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wh_playground_page_get_run_dir (page), ==, fixture->run);

  /* Ready with the first checkpoint: the base model and it. */
  wh_test_iterate_until (has_checkpoints, fixture, TIMEOUT_S, "the first checkpoint");
  if (wh_trainer_get_error (fixture->trainer) != NULL)
    g_test_message ("%s", wh_trainer_get_error (fixture->trainer)->message);
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_RUNNING);
  titles = _wh_playground_page_dup_titles (page);
  g_assert_cmpstr (titles[0], ==, "Base model");
  g_assert_true (g_str_has_prefix (titles[1], "Step "));
  g_test_message ("ready after %.1f s", (g_get_monotonic_time () - start) / 1e6);

  /* Shorter answers, so the test is quick. */
  gtk_spin_button_set_value (_wh_playground_page_get_spin (page, "length_spin"), 24);

  /* Answered while training goes on, word by word. */
  wh_test_playground_ask (page, "Where is the cat?", TIMEOUT_S);
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_RUNNING);
  wh_test_playground_assert_answered (page, 2);
  first_base = g_strdup (_wh_playground_page_get_answer (page, 0, &n_pieces));
  g_assert_cmpuint (n_pieces, >, 1);
  first_checkpoint = g_strdup (_wh_playground_page_get_answer (page, 1, &n_pieces));
  g_assert_cmpuint (n_pieces, >, 1);
  /* The checkpoint's adapter was applied, the base model's was not. */
  g_assert_cmpstr (first_base, !=, first_checkpoint);
  g_test_message ("answered after %.1f s", (g_get_monotonic_time () - start) / 1e6);

  /* The columns stay as they were while their answers are shown, even as
   * newer checkpoints come. */
  g_clear_pointer (&titles, g_strfreev);
  titles = _wh_playground_page_dup_titles (page);
  checkpoint_name = g_strdup (titles[1]);

  /* The same prompt, seed and settings: the same answers. */
  wh_test_playground_ask (page, "Where is the cat?", TIMEOUT_S);
  wh_test_playground_assert_answered (page, 2);
  g_assert_cmpstr (_wh_playground_page_get_answer (page, 0, NULL), ==, first_base);
  g_assert_cmpstr (_wh_playground_page_get_answer (page, 1, NULL), ==, first_checkpoint);
  g_clear_pointer (&titles, g_strfreev);
  titles = _wh_playground_page_dup_titles (page);
  g_assert_cmpstr (titles[1], ==, checkpoint_name);

  /* The base model alone, chosen in the popover. */
  choice = _wh_playground_page_get_choice (page, NULL);
  g_assert_nonnull (choice);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (choice)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (choice), FALSE);
  g_clear_pointer (&titles, g_strfreev);
  titles = _wh_playground_page_dup_titles (page);
  g_assert_cmpuint (g_strv_length (titles), ==, 1);
  g_assert_cmpstr (titles[0], ==, checkpoint_name);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (choice), TRUE);

  /* A conversation: the second prompt follows on from the first. */
  wh_playground_page_set_chat_mode (page, TRUE);
  g_assert_false (gtk_widget_get_sensitive (_wh_playground_page_get_send_button (page)));
  wh_test_playground_ask (page, "Where is the cat?", TIMEOUT_S);
  wh_test_playground_assert_answered (page, 2);
  g_assert_cmpuint (_wh_playground_page_get_n_turns (page, 0), ==, 1);
  wh_test_playground_ask (page, "And the birds?", TIMEOUT_S);
  wh_test_playground_assert_answered (page, 2);
  g_assert_cmpuint (_wh_playground_page_get_n_turns (page, 0), ==, 2);
  g_assert_cmpuint (_wh_playground_page_get_n_turns (page, 1), ==, 2);
  g_assert_true (wh_playground_page_get_chat_mode (page));
  /* Each model answered from its own side of the conversation. */
  g_assert_cmpstr (_wh_playground_page_get_answer (page, 0, NULL), !=, _wh_playground_page_get_answer (page, 1, NULL));

  /* And starts again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "playground.new-conversation", NULL));
  g_assert_cmpuint (_wh_playground_page_get_n_turns (page, 0), ==, 0);
  g_assert_cmpstr (_wh_playground_page_get_answer (page, 0, NULL), ==, "");

  /* Every control can be reached from the keyboard. */
  seen = g_hash_table_new (NULL, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_wh_playground_page_get_prompt_view (page)), "Hi", -1);
  collect_focus (fixture->window, seen);
  g_assert_true (g_hash_table_contains (seen, _wh_playground_page_get_prompt_view (page)));
  g_assert_true (g_hash_table_contains (seen, _wh_playground_page_get_send_button (page)));
  g_assert_true (g_hash_table_contains (seen, _wh_playground_page_get_models_button (page)));
  g_assert_true (g_hash_table_contains (seen, _wh_playground_page_get_settings_button (page)));
  g_assert_true (g_hash_table_contains (seen, _wh_playground_page_get_export_button (page, 1)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_wh_playground_page_get_prompt_view (page)), "", -1);

  /* Stopped as soon as asked: the columns say so. */
  gtk_spin_button_set_value (_wh_playground_page_get_spin (page, "length_spin"), 1000);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_wh_playground_page_get_prompt_view (page)), "Tell me more.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "playground.send", NULL));
  g_assert_true (wh_playground_page_get_busy (page));
  g_assert_false (gtk_widget_get_mapped (_wh_playground_page_get_send_button (page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "playground.stop", NULL));
  wh_test_iterate_until (is_idle, page, TIMEOUT_S, "the answers to stop");
  g_assert_cmpstr (_wh_playground_page_get_column_error (page, 1), ==, "Stopped");
  g_assert_true (gtk_widget_get_mapped (_wh_playground_page_get_send_button (page)));

  /* Still training all along. */
  g_assert_cmpint (wh_trainer_get_state (fixture->trainer), ==, WH_TRAINER_STATE_RUNNING);
  wh_trainer_stop (fixture->trainer);
  wh_test_iterate_until (trainer_settled, fixture->trainer, TIMEOUT_S, "the run to stop");

  /* The base model has no adapter to export. */
  g_assert_null (_wh_playground_page_get_export_button (page, 0));

  /* Into an empty folder chosen: the folder becomes the adapter. */
  out = g_build_filename (fixture->dir, "exports", NULL);
  empty = g_build_filename (out, "mine", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);
  export_through_chooser (page, 1, empty);
  wh_test_iterate_until (is_adapter, empty, TIMEOUT_S, "the adapter in the empty folder");

  /* Into a folder with files in it: a folder of its own inside it, and
   * a question before one of the same name is replaced. */
  g_assert_cmpint (sscanf (checkpoint_name, "Step %u", &step), ==, 1);
  named = g_strdup_printf ("%s/run-step-%u-adapter", out, step);
  g_assert_cmpint (g_mkdir_with_parents (named, 0755), ==, 0);
  old_file = g_build_filename (named, "old.txt", NULL);
  g_file_set_contents (old_file, "old", -1, &error);
  g_assert_no_error (error);

  export_through_chooser (page, 1, out);
  wh_test_iterate_until (has_message_dialog, NULL, TIMEOUT_S, "the question");
  dialog = ADW_MESSAGE_DIALOG (wh_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Replace"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_flush_main_loop ();
  g_assert_true (g_file_test (old_file, G_FILE_TEST_EXISTS));
  g_assert_false (wh_run_folder_is_adapter (named));

  export_through_chooser (page, 1, out);
  wh_test_iterate_until (has_message_dialog, NULL, TIMEOUT_S, "the question");
  dialog = ADW_MESSAGE_DIALOG (wh_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "replace");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wh_test_iterate_until (is_adapter, named, TIMEOUT_S, "the adapter replacing the folder");
  g_assert_false (g_file_test (old_file, G_FILE_TEST_EXISTS));
  g_test_message ("done after %.1f s", (g_get_monotonic_time () - start) / 1e6);
}

/* In the application */

static GtkWidget *
window_child (WhWindow   *window,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, name));
}

static gboolean
window_settled (gpointer data)
{
  return gtk_widget_get_mapped (data) &&
         wh_window_get_device_state (data) != WH_WINDOW_DEVICE_STATE_SEARCHING;
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
can_try (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_is_sensitive (data);
}

static gboolean
data_settled (gpointer data)
{
  return !wh_data_page_get_busy (data) && wh_data_page_get_usable (data);
}

static gboolean
has_two_columns (gpointer data)
{
  g_auto(GStrv) titles = _wh_playground_page_dup_titles (data);

  return g_strv_length (titles) == 2;
}

static gboolean
training_settled (gpointer data)
{
  return !wh_training_page_is_busy (data);
}

/* The whole way in the application's window: a support chatbot trained
 * on stories260K, Try It once the run is under way, answers from the
 * base model and the latest checkpoint, and that checkpoint's adapter
 * exported. */
static void
test_window (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(WhApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) data = NULL;
  g_autofree char *out = NULL;
  WhWindow *window;
  GtkWidget *next;
  WhPlaygroundPage *page;
  WhTrainingPage *training_page;
  GtkStack *stack;
  AdwWindowTitle *title;

  if (fixture->trainer == NULL)
    return;

  app = wh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = WH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  wh_test_iterate_until (window_settled, window, TIMEOUT_S, "the window and its device");
  g_assert_cmpint (wh_window_get_device_state (window), ==, WH_WINDOW_DEVICE_STATE_FOUND);

  next = window_child (window, "next_button");
  stack = GTK_STACK (window_child (window, "main_stack"));
  title = ADW_WINDOW_TITLE (window_child (window, "window_title"));
  page = WH_PLAYGROUND_PAGE (window_child (window, "playground_page"));
  training_page = WH_TRAINING_PAGE (window_child (window, "training_page"));

  /* Model (the demo: stories260K here), examples, goal. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-fine-tune", NULL));
  wh_test_iterate_until (is_sensitive, next, TIMEOUT_S, "the model to be read");
  wh_test_click (next);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "data");
  data = g_file_new_build_filename (fixture->dir, "chats.jsonl", NULL);
  wh_data_page_load_file (WH_DATA_PAGE (gtk_widget_get_first_child (window_child (window, "data_bin"))), data);
  wh_test_iterate_until (data_settled, gtk_widget_get_first_child (window_child (window, "data_bin")), TIMEOUT_S,
                         "the examples");
  wh_test_click (next);
  wh_goal_page_set_preset_id (WH_GOAL_PAGE (window_child (window, "goal_page")), "support-chatbot");
  wh_test_click (next);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "training");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Step 4 of 5");
  g_assert_true (wh_playground_page_get_chat_mode (page));

  /* Try It, once there is something to try. */
  wh_test_iterate_until (can_try, next, TIMEOUT_S, "Try It");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Try It");
  wh_test_click (next);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "playground");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Try It");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Step 5 of 5");
  g_assert_false (gtk_widget_get_visible (next));
  g_assert_true (wh_playground_page_get_device (page) != NULL);

  wh_test_iterate_until (has_two_columns, page, TIMEOUT_S, "a checkpoint");
  gtk_spin_button_set_value (_wh_playground_page_get_spin (page, "length_spin"), 16);
  wh_test_playground_ask (page, "Where is the cat?", TIMEOUT_S);
  wh_test_playground_assert_answered (page, 2);

  out = g_build_filename (fixture->dir, "from-window", NULL);
  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  export_through_chooser (page, 1, out);
  wh_test_iterate_until (is_adapter, out, TIMEOUT_S, "the adapter exported");

  /* Back to the run, which is stopped before the window closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "training");
  if (wh_training_page_is_busy (training_page))
    {
      wh_trainer_stop (wh_training_page_get_trainer (training_page));
      wh_test_iterate_until (training_settled, training_page, TIMEOUT_S, "the run to stop");
    }
  gtk_window_destroy (GTK_WINDOW (window));
  wh_test_flush_main_loop ();
}

/* A home of its own for the whole run of the tests, not one per test as
 * G_TEST_OPTION_ISOLATE_DIRS gives: the file chooser's list of recent
 * folders outlives a test, and the system's data (GTK's settings
 * schemas, the MIME types that icons are read by) stays in sight. */
static char *
isolate_home (void)
{
  static const struct {
    const char *variable;
    const char *name;
  } dirs[] = {
    { "HOME", "home" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("whetstone-playground-home-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (root, dirs[i].name, NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_setenv (dirs[i].variable, path, TRUE);
    }
  return root;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = isolate_home ();
  int status;

  /* The application's demo model: stories260K, when the data is there. */
  if (g_getenv ("WH_TESTDATA_DIR") != NULL)
    {
      g_autofree char *demo = g_build_filename (g_getenv ("WH_TESTDATA_DIR"), "models", "stories260K", "hf", NULL);

      g_setenv ("WHETSTONE_DEMO_MODEL", demo, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  wh_ui_init ();
  gtk_init ();
  adw_init ();

  g_test_add ("/whetstone/playground/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/whetstone/playground/during-training", Fixture, "run", fixture_set_up, test_during_training,
              fixture_tear_down);
  /* Last: it leaves an application registered. */
  g_test_add ("/whetstone/playground/window", Fixture, "run", fixture_set_up, test_window, fixture_tear_down);

  status = g_test_run ();
  _wh_file_remove_tree (home);
  return status;
}
