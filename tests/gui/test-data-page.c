/* test-data-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-chat-bubble.h"
#include "wh-data-page.h"
#include "wh-data-stats.h"
#include "wh-histogram.h"
#include "wh-ui.h"

/* The Data step on its own: real files through the real engine, in a
 * window on the X server that meson's xvfb-run provides. */

#define LOAD_TIMEOUT_S 15

typedef struct
{
  GtkWindow  *window;
  WhDataPage *page;
  char       *tmpdir;
  guint       usable_notifies;
} Fixture;

static void
usable_notify_cb (WhDataPage *page,
                  GParamSpec *pspec,
                  Fixture    *fixture)
{
  fixture->usable_notifies++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("whetstone-data-page-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 700);
  fixture->page = WH_DATA_PAGE (wh_data_page_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->page), (gpointer *)&fixture->page);
  g_signal_connect (fixture->page, "notify::usable", G_CALLBACK (usable_notify_cb), fixture);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (fixture->page);

  dir = g_dir_open (fixture->tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *)data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until_loaded (WhDataPage *page)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (LOAD_TIMEOUT_S, timed_out_cb, &timed_out);
  while (wh_data_page_get_busy (page) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u s waiting for the import", LOAD_TIMEOUT_S);
  g_source_remove (timeout_id);

  /* Let the page lay itself out. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

/* A widget of the page's template, or of its statistics group's. */
static gpointer
template_child (WhDataPage *page,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), WH_TYPE_DATA_PAGE, name);
  GObject *stats = gtk_widget_get_template_child (GTK_WIDGET (page), WH_TYPE_DATA_PAGE, "stats_group");

  if (child == NULL)
    child = gtk_widget_get_template_child (GTK_WIDGET (stats), WH_TYPE_DATA_STATS, name);
  g_assert_nonnull (child);

  return child;
}

static const char *
visible_page (WhDataPage *page)
{
  return gtk_stack_get_visible_child_name (template_child (page, "stack"));
}

/* @page started to read @file afresh: it shows the loading page until
 * the file is read, then the dataset, usable. */
static void
assert_reads_usable (WhDataPage *page,
                     GFile      *file)
{
  g_assert_true (wh_data_page_get_busy (page));
  g_assert_true (g_file_equal (wh_data_page_get_file (page), file));
  g_assert_cmpstr (visible_page (page), ==, "loading");

  wait_until_loaded (page);

  g_assert_cmpstr (visible_page (page), ==, "dataset");
  g_assert_true (wh_data_page_get_usable (page));
}

static const char *
combo_text (AdwComboRow *row)
{
  GListModel *model = adw_combo_row_get_model (row);

  return gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (row));
}

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static GPtrArray *
find_widgets (gpointer root,
              GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (root), type, found);

  return found;
}

static GtkWidget *
find_expander (WhDataPage *page,
               const char *title)
{
  g_autoptr(GPtrArray) expanders = find_widgets (template_child (page, "problems_group"), ADW_TYPE_EXPANDER_ROW);

  for (guint i = 0; i < expanders->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (expanders, i)), title) == 0)
      return g_ptr_array_index (expanders, i);

  return NULL;
}

/* The problem row inside @expander whose title starts with @prefix. */
static AdwActionRow *
find_problem_row (GtkWidget  *expander,
                  const char *prefix)
{
  g_autoptr(GPtrArray) rows = find_widgets (expander, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), prefix))
      return g_ptr_array_index (rows, i);

  return NULL;
}

static void
assert_count_label (WhDataPage *page,
                    const char *name,
                    guint64     value)
{
  g_autofree char *expected = g_strdup_printf ("%'" G_GUINT64_FORMAT, value);

  g_assert_cmpstr (gtk_label_get_text (template_child (page, name)), ==, expected);
}

static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/support-chatbot.jsonl");
  g_autoptr(GPtrArray) bubbles = NULL;
  const WhDatasetStats *stats;
  WhDataset *dataset;
  gboolean user_right = FALSE, assistant_left = FALSE, system_seen = FALSE;

  g_assert_cmpstr (visible_page (page), ==, "empty");
  g_assert_false (wh_data_page_get_usable (page));
  g_assert_null (wh_data_page_get_dataset (page));

  wh_data_page_load_file (page, file);
  assert_reads_usable (page, file);
  g_assert_cmpuint (fixture->usable_notifies, ==, 1);

  dataset = wh_data_page_get_dataset (page);
  g_assert_nonnull (dataset);
  stats = wh_dataset_get_stats (dataset);

  g_assert_cmpstr (adw_preferences_row_get_title (template_child (page, "file_row")), ==, "support-chatbot.jsonl");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (template_child (page, "file_row")),
                                   "JSON Lines · OpenAI chat messages"));
  g_assert_true (gtk_widget_get_visible (template_child (page, "format_row")));
  g_assert_cmpstr (combo_text (template_child (page, "format_row")), ==, "OpenAI chat messages");
  g_assert_cmpstr (combo_text (template_child (page, "kind_row")), ==, "JSON Lines");
  g_assert_cmpstr (adw_preferences_group_get_description (template_child (page, "file_group")), ==,
                   wh_dataset_get_reason (dataset));
  g_assert_false (gtk_widget_get_visible (template_child (page, "columns_group")));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));

  /* The preview: conversations as bubbles, the user's on the right. */
  bubbles = find_widgets (template_child (page, "preview_group"), WH_TYPE_CHAT_BUBBLE);
  g_assert_cmpuint (bubbles->len, >=, 3);
  for (guint i = 0; i < bubbles->len; i++)
    {
      WhChatBubble *bubble = g_ptr_array_index (bubbles, i);

      switch (wh_chat_bubble_get_kind (bubble))
        {
        case WH_CHAT_BUBBLE_USER:
          user_right |= gtk_widget_get_halign (GTK_WIDGET (bubble)) == GTK_ALIGN_END;
          break;
        case WH_CHAT_BUBBLE_ASSISTANT:
          assistant_left |= gtk_widget_get_halign (GTK_WIDGET (bubble)) == GTK_ALIGN_START;
          break;
        case WH_CHAT_BUBBLE_SYSTEM:
          system_seen = TRUE;
          break;
        case WH_CHAT_BUBBLE_CHOSEN:
        case WH_CHAT_BUBBLE_REJECTED:
        case WH_CHAT_BUBBLE_TEXT:
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_true (user_right);
  g_assert_true (assistant_left);
  g_assert_true (system_seen);

  /* Statistics, as the engine counted them; no tokens without a tokenizer. */
  g_assert_cmpuint (stats->examples, ==, 78);
  assert_count_label (page, "examples_label", stats->examples);
  assert_count_label (page, "turns_label", stats->turns);
  g_assert_false (gtk_widget_get_visible (template_child (page, "excluded_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, "histogram_row")));
  g_assert_true (gtk_widget_get_visible (template_child (page, "no_tokens_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, "problems_group")));
}

static void
test_tokens (Fixture       *fixture,
             gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/support-chatbot.jsonl");
  g_autoptr(WhTokenizer) tokenizer = NULL;
  g_autoptr(GError) error = NULL;
  const WhDatasetStats *stats;

  tokenizer = wh_tokenizer_new_from_file (WH_SOURCE_DIR "/tests/reference/tokenizers/bytelevel-qwen2", &error);
  g_assert_no_error (error);

  wh_data_page_load_file (page, file);
  wait_until_loaded (page);
  g_assert_true (gtk_widget_get_visible (template_child (page, "no_tokens_row")));

  /* A tokenizer reads the file again, keeping the page on screen. */
  wh_data_page_set_tokenizer (page, tokenizer);
  g_assert_true (wh_data_page_get_busy (page));
  g_assert_cmpstr (visible_page (page), ==, "dataset");
  g_assert_false (wh_data_page_get_usable (page));
  wait_until_loaded (page);

  g_assert_true (wh_data_page_get_usable (page));
  stats = wh_dataset_get_stats (wh_data_page_get_dataset (page));
  g_assert_cmpuint (stats->tokens, >, 0);
  assert_count_label (page, "tokens_label", stats->tokens);
  assert_count_label (page, "train_tokens_label", stats->train_tokens);
  g_assert_true (gtk_widget_get_visible (template_child (page, "histogram_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, "no_tokens_row")));
  g_assert_cmpuint (wh_histogram_get_n_bins (template_child (page, "histogram")), >, 0);
}

static gboolean
label_is_read (gpointer data)
{
  return g_strcmp0 (gtk_label_get_text (data), "Reading the row…") != 0;
}

static GtkLabel *
find_raw_label (AdwMessageDialog *dialog)
{
  g_autoptr(GPtrArray) labels = find_widgets (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_LABEL);

  g_assert_cmpuint (labels->len, ==, 1);

  return g_ptr_array_index (labels, 0);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        dialog = ADW_MESSAGE_DIALOG (window);
    }

  return dialog;
}

static void
test_problems (Fixture       *fixture,
               gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) file = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *unreadable;
  GtkWidget *no_answer;
  AdwActionRow *row;
  GtkLabel *raw;
  gboolean timed_out = FALSE;
  guint timeout_id;

  file = write_file (fixture, "broken.jsonl",
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]}\n"
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"Broken\" ]}\n"
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"Only a question\"}]}\n"
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"How are you?\"}, {\"role\": \"assistant\", \"content\": \"Fine, thanks.\"}]}\n",
                     -1);

  wh_data_page_load_file (page, file);
  wait_until_loaded (page);

  g_assert_cmpstr (visible_page (page), ==, "dataset");
  g_assert_nonnull (wh_data_page_get_dataset (page));
  /* Two examples are fine, but errors block the next step. */
  g_assert_true (wh_dataset_is_usable (wh_data_page_get_dataset (page)));
  g_assert_false (wh_data_page_get_usable (page));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
  g_assert_cmpstr (gtk_label_get_text (template_child (page, "banner_title")), ==,
                   "2 rows have errors and would be left out");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (template_child (page, "banner_detail")), "Line 2: "));
  g_assert_true (gtk_widget_get_visible (template_child (page, "excluded_row")));
  assert_count_label (page, "excluded_label", 2);

  g_assert_true (gtk_widget_get_visible (template_child (page, "problems_group")));
  unreadable = find_expander (page, "Rows that cannot be read");
  no_answer = find_expander (page, "No answer to learn from");
  g_assert_nonnull (unreadable);
  g_assert_nonnull (no_answer);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (unreadable)), ==, "1 error");
  g_assert_nonnull (find_problem_row (unreadable, "Line 2: "));
  g_assert_null (find_problem_row (unreadable, "Line 3: "));
  g_assert_nonnull (find_problem_row (no_answer, "Line 3: "));
  /* The whole dataset's problems have no line, and a warning's icon. */
  g_assert_nonnull (find_expander (page, "Too few examples"));

  /* Selecting a problem shows its row as it is in the file. */
  row = find_problem_row (unreadable, "Line 2: ");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activated");

  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Line 2");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);

  raw = find_raw_label (dialog);
  timeout_id = g_timeout_add_seconds (LOAD_TIMEOUT_S, timed_out_cb, &timed_out);
  while (!label_is_read (raw) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_cmpstr (gtk_label_get_text (raw), ==,
                   "{\"messages\": [{\"role\": \"user\", \"content\": \"Broken\" ]}");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A row that is valid JSON is shown as the engine's reader read it. */
  row = find_problem_row (no_answer, "Line 3: ");
  g_signal_emit_by_name (row, "activated");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  raw = find_raw_label (dialog);
  timed_out = FALSE;
  timeout_id = g_timeout_add_seconds (LOAD_TIMEOUT_S, timed_out_cb, &timed_out);
  while (!label_is_read (raw) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_test_message ("Line 3 shown as: %s", gtk_label_get_text (raw));
  g_assert_nonnull (strstr (gtk_label_get_text (raw), "\"Only a question\""));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Fixed in another program, then read again: nothing blocks any more. */
  g_clear_object (&file);
  file = write_file (fixture, "broken.jsonl",
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]}\n",
                     -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data-page.reload", NULL));
  g_assert_true (wh_data_page_get_busy (page));
  g_assert_cmpstr (visible_page (page), ==, "dataset");
  wait_until_loaded (page);
  g_assert_true (wh_data_page_get_usable (page));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
  g_assert_null (find_expander (page, "Rows that cannot be read"));
}

static void
test_warnings_only (Fixture       *fixture,
                    gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) file = NULL;
  GtkWidget *repeated;

  file = write_file (fixture, "repeated.jsonl",
                     "{\"prompt\": \"What is 2 + 2?\", \"completion\": \"4\"}\n"
                     "{\"prompt\": \"What is 3 + 3?\", \"completion\": \"6\"}\n"
                     "{\"prompt\": \"What is 2 + 2?\", \"completion\": \"4\"}\n",
                     -1);

  wh_data_page_load_file (page, file);
  wait_until_loaded (page);

  /* Warnings are worth a look, but do not block. */
  g_assert_true (wh_data_page_get_usable (page));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
  g_assert_cmpstr (combo_text (template_child (page, "format_row")), ==, "Prompt and completion");
  repeated = find_expander (page, "Repeated examples");
  g_assert_nonnull (repeated);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (repeated)), ==, "1 warning");
  g_assert_nonnull (find_problem_row (repeated, "Line 3: "));

  /* Another format, chosen by hand, reads the file again as asked. */
  adw_combo_row_set_selected (template_child (page, "format_row"), 1);
  g_assert_true (wh_data_page_get_busy (page));
  wait_until_loaded (page);
  /* None of the rows is a ShareGPT conversation: every row is an error now. */
  g_assert_cmpstr (combo_text (template_child (page, "format_row")), ==, "ShareGPT conversations");
  g_assert_false (wh_data_page_get_usable (page));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
}

static void
test_csv_mapping (Fixture       *fixture,
                  gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) bubbles = NULL;

  /* Column names the engine cannot guess roles from. */
  file = write_file (fixture, "notes.csv",
                     "id,asked,said\n"
                     "1,Where is my order?,It left our warehouse yesterday.\n"
                     "2,Can I pay by card?,\"Yes, every major card.\"\n",
                     -1);

  wh_data_page_load_file (page, file);
  wait_until_loaded (page);

  /* The columns can be mapped by hand; nothing else is shown yet. */
  g_assert_cmpstr (visible_page (page), ==, "dataset");
  g_assert_null (wh_data_page_get_dataset (page));
  g_assert_false (wh_data_page_get_usable (page));
  g_assert_true (gtk_widget_get_visible (template_child (page, "columns_group")));
  g_assert_false (gtk_widget_get_visible (template_child (page, "stats_group")));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
  g_assert_cmpstr (combo_text (template_child (page, "kind_row")), ==, "CSV (comma-separated)");

  rows = find_widgets (template_child (page, "columns_group"), ADW_TYPE_COMBO_ROW);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "id");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "asked");
  g_assert_cmpstr (combo_text (g_ptr_array_index (rows, 1)), ==, "Ignore");

  /* Each choice reads the file again; the newer read replaces the older. */
  adw_combo_row_set_selected (g_ptr_array_index (rows, 1), 0);
  g_assert_true (wh_data_page_get_busy (page));
  adw_combo_row_set_selected (g_ptr_array_index (rows, 2), 1);
  wait_until_loaded (page);

  g_assert_nonnull (wh_data_page_get_dataset (page));
  g_assert_cmpint (wh_dataset_get_format (wh_data_page_get_dataset (page)), ==, WH_DATASET_FORMAT_COLUMNS);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (template_child (page, "file_row")),
                                   "CSV · Questions and answers in columns"));
  g_assert_cmpstrv (wh_dataset_get_columns (wh_data_page_get_dataset (page)),
                    ((const char * const[]) { "id=ignore", "asked=user", "said=assistant", NULL }));
  g_assert_true (wh_data_page_get_usable (page));
  assert_count_label (page, "examples_label", 2);

  bubbles = find_widgets (template_child (page, "preview_group"), WH_TYPE_CHAT_BUBBLE);
  g_assert_cmpuint (bubbles->len, ==, 4);
  g_assert_cmpstr (wh_chat_bubble_get_text (g_ptr_array_index (bubbles, 3)), ==, "Yes, every major card.");

  /* A file type that does not fit is undone, and the page says why. */
  adw_combo_row_set_selected (template_child (page, "kind_row"), 2);
  g_assert_true (wh_data_page_get_busy (page));
  wait_until_loaded (page);
  g_assert_cmpstr (combo_text (template_child (page, "kind_row")), ==, "CSV (comma-separated)");
  g_assert_nonnull (wh_data_page_get_dataset (page));
  g_assert_true (wh_data_page_get_usable (page));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (page, "banner_revealer")));
  g_assert_cmpstr (gtk_label_get_text (template_child (page, "banner_title")), ==,
                   "That choice does not fit this file");
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
  g_autoptr(GFile) binary_file = write_file (fixture, "program.jsonl", binary, sizeof binary);
  g_autoptr(GFile) empty_file = write_file (fixture, "empty.csv", "", 0);
  g_autoptr(GFile) good_file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/support-chatbot.jsonl");
  const char *description;

  /* A good file first, so that failing afterwards has something to undo. */
  wh_data_page_load_file (page, good_file);
  wait_until_loaded (page);
  g_assert_true (wh_data_page_get_usable (page));

  wh_data_page_load_file (page, binary_file);
  wait_until_loaded (page);
  g_assert_cmpstr (visible_page (page), ==, "failed");
  g_assert_false (wh_data_page_get_usable (page));
  g_assert_null (wh_data_page_get_dataset (page));
  description = adw_status_page_get_description (template_child (page, "failed_page"));
  g_test_message ("Binary file: %s", description);
  g_assert_nonnull (strstr (description, "not a text file"));

  wh_data_page_load_file (page, empty_file);
  wait_until_loaded (page);
  g_assert_cmpstr (visible_page (page), ==, "failed");
  g_assert_false (wh_data_page_get_usable (page));
  description = adw_status_page_get_description (template_child (page, "failed_page"));
  g_test_message ("Empty file: %s", description);
  g_assert_nonnull (strstr (description, "is empty"));
}

static void
test_stale (Fixture       *fixture,
            gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  g_autoptr(GFile) empty_file = write_file (fixture, "empty.jsonl", "", 0);
  g_autoptr(GFile) good_file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/brand-voice.csv");

  /* The older load is cancelled and its result, if any, dropped. */
  wh_data_page_load_file (page, empty_file);
  wh_data_page_load_file (page, good_file);
  wait_until_loaded (page);

  g_assert_true (g_file_equal (wh_data_page_get_file (page), good_file));
  g_assert_cmpstr (visible_page (page), ==, "dataset");
  g_assert_true (wh_data_page_get_usable (page));

  /* Cancelling goes back to the drop target. */
  wh_data_page_load_file (page, empty_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data-page.cancel", NULL));
  g_assert_false (wh_data_page_get_busy (page));
  g_assert_null (wh_data_page_get_file (page));
  g_assert_cmpstr (visible_page (page), ==, "empty");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* The recent files' rows under the drop target. */
static GPtrArray *
recent_rows (WhDataPage *page)
{
  GtkWidget *group = template_child (page, "recent_group");

  if (!gtk_widget_get_visible (group))
    return g_ptr_array_new ();
  return find_widgets (group, ADW_TYPE_ACTION_ROW);
}

/* Under the drop target: the files imported last that are still there,
 * newest first; one activated imports again. */
static void
test_recent (Fixture       *fixture,
             gconstpointer  data)
{
  WhDataPage *page = fixture->page;
  const char *sample = WH_SOURCE_DIR "/data/samples/support-chatbot.jsonl";
  const char *other = WH_SOURCE_DIR "/data/samples/brand-voice.csv";
  g_autofree char *gone = g_build_filename (fixture->tmpdir, "gone.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(GFile) empty_file = write_file (fixture, "empty.jsonl", "", 0);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) many = g_strv_builder_new ();
  g_auto(GStrv) many_paths = NULL;
  const char *initial[] = { gone, other, NULL };
  const char * const *recent;
  guint notifies = 0;

  g_signal_connect (page, "notify::recent-files", G_CALLBACK (count_notify_cb), &notifies);

  /* Nothing yet: no list. */
  g_assert_false (gtk_widget_get_visible (template_child (page, "recent_group")));

  /* A file that went away is not offered. */
  wh_data_page_set_recent_files (page, initial);
  g_assert_cmpuint (notifies, ==, 1);
  rows = recent_rows (page);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "brand-voice.csv");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, WH_SOURCE_DIR "/data/samples");
  g_assert_true (gtk_list_box_row_get_activatable (g_ptr_array_index (rows, 0)));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A file with something to train on comes first. */
  wh_data_page_load_file (page, file);
  assert_reads_usable (page, file);
  recent = wh_data_page_get_recent_files (page);
  g_assert_cmpuint (g_strv_length ((char **) recent), ==, 3);
  g_assert_cmpstr (recent[0], ==, sample);
  g_assert_cmpstr (recent[1], ==, gone);
  g_assert_cmpstr (recent[2], ==, other);
  g_assert_cmpuint (notifies, ==, 2);

  /* Back at the drop target, it is listed first. */
  wh_data_page_load_file (page, NULL);
  g_assert_cmpstr (visible_page (page), ==, "empty");
  rows = recent_rows (page);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "support-chatbot.jsonl");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "brand-voice.csv");

  /* Activating it imports it again, as choosing it would; it stays
   * first, once. */
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  assert_reads_usable (page, file);
  recent = wh_data_page_get_recent_files (page);
  g_assert_cmpuint (g_strv_length ((char **) recent), ==, 3);
  g_assert_cmpstr (recent[0], ==, sample);
  g_assert_cmpuint (notifies, ==, 2);

  /* Nothing to train on: not remembered. */
  wh_data_page_load_file (page, empty_file);
  wait_until_loaded (page);
  g_assert_cmpstr (visible_page (page), ==, "failed");
  g_assert_cmpuint (g_strv_length ((char **) wh_data_page_get_recent_files (page)), ==, 3);

  /* Ten are kept, and five shown. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("data-%02u.jsonl", i);
      g_autoptr(GFile) written = write_file (fixture, name, "{\"text\": \"x\"}\n", -1);
      g_autofree char *path = g_file_get_path (written);

      g_strv_builder_add (many, path);
    }
  many_paths = g_strv_builder_end (many);
  wh_data_page_set_recent_files (page, (const char * const *) many_paths);
  wh_data_page_load_file (page, file);
  wait_until_loaded (page);
  recent = wh_data_page_get_recent_files (page);
  g_assert_cmpuint (g_strv_length ((char **) recent), ==, 10);
  g_assert_cmpstr (recent[0], ==, sample);
  g_assert_cmpstr (recent[9], ==, many_paths[8]);
  wh_data_page_load_file (page, NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = recent_rows (page);
  g_assert_cmpuint (rows->len, ==, 5);
}

static void
test_destroy_while_busy (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/custom-alpaca.json");

  /* The worker outlives the page: its result must find nobody. */
  wh_data_page_load_file (fixture->page, file);
  gtk_window_destroy (fixture->window);
  fixture->window = NULL;
  g_assert_null (fixture->page);
  g_usleep (G_USEC_PER_SEC / 10);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (WH_SOURCE_DIR "/data/samples/support-chatbot.jsonl");
  int minimum;

  wh_data_page_load_file (fixture->page, file);
  wait_until_loaded (fixture->page);

  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Minimum width: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run this test under xvfb-run (meson test does)\n");
      return 77;
    }
  adw_init ();
  wh_ui_init ();

#define ADD(path, func) \
  g_test_add ("/whetstone/data-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sample", test_sample);
  ADD ("tokens", test_tokens);
  ADD ("problems", test_problems);
  ADD ("warnings-only", test_warnings_only);
  ADD ("csv-mapping", test_csv_mapping);
  ADD ("unreadable", test_unreadable);
  ADD ("stale", test_stale);
  ADD ("recent", test_recent);
  ADD ("destroy-while-busy", test_destroy_while_busy);
  ADD ("narrow", test_narrow);
#undef ADD

  return g_test_run ();
}
