/* test-model-goal.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-goal-page.h"
#include "wh-model-page.h"
#include "wh-model-scan.h"
#include "wh-preset.h"
#include "wh-ui.h"

/* The Model and Goal steps on their own, in windows on the X server that
 * meson's xvfb-run provides, with a Hugging Face cache and an Ollama
 * store made in a temporary folder from the reference models. */

#define TIMEOUT_S 15

static char *tmpdir;
static char *reference_dir;   /* tests/reference/models */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_until (Condition   condition,
               gpointer    data,
               const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", TIMEOUT_S, what);

  g_source_remove (id);
}

static gboolean
scan_done (gpointer data)
{
  return gtk_widget_get_mapped (data) && !wh_model_page_get_scanning (data);
}

static gboolean
model_ready (gpointer data)
{
  return wh_model_page_get_ready (data);
}

static gboolean
model_failed (gpointer data)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (data, WH_TYPE_MODEL_PAGE, "details_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "error") == 0;
}

static void
make_link (const char *target,
           const char *link)
{
  g_autofree char *dir = g_path_get_dirname (link);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* hf/hub/models--test--tiny/{refs/main,snapshots/abc/} holding llama-gqa,
 * and ollama/ with tiny:latest pointing at the q8_0 GGUF. */
static void
make_caches (void)
{
  static const char *hf_files[] = { "config.json", "model.safetensors" };
  g_autofree char *repo = g_build_filename (tmpdir, "hf", "hub", "models--test--tiny", NULL);
  g_autofree char *refs_main = g_build_filename (repo, "refs", "main", NULL);
  g_autofree char *gguf = g_build_filename (reference_dir, "llama-gqa-gguf-q8_0", "llama-gqa-q8_0.gguf", NULL);
  g_autofree char *blob = g_build_filename (tmpdir, "ollama", "blobs", "sha256-0123abcd", NULL);
  g_autofree char *manifest = g_build_filename (tmpdir, "ollama", "manifests", "registry.ollama.ai",
                                                "library", "tiny", "latest", NULL);
  g_autofree char *broken = g_build_filename (tmpdir, "broken", "config.json", NULL);
  g_autofree char *dataset = g_build_filename (tmpdir, "hf", "hub", "datasets--test--data", "snapshots", "r1",
                                               "data.json", NULL);
  g_autofree char *no_weights = g_build_filename (tmpdir, "hf", "hub", "models--test--no-weights", "snapshots", "r1",
                                                  "config.json", NULL);
  g_autofree char *no_weights_ref = g_build_filename (tmpdir, "hf", "hub", "models--test--no-weights", "refs", "main",
                                                      NULL);

  for (guint i = 0; i < G_N_ELEMENTS (hf_files); i++)
    {
      g_autofree char *target = g_build_filename (reference_dir, "llama-gqa", hf_files[i], NULL);
      g_autofree char *link = g_build_filename (repo, "snapshots", "abc", hf_files[i], NULL);

      make_link (target, link);
    }
  write_file (refs_main, "abc");

  /* A dataset repository, and a model repository without weights: neither
   * is listed. */
  write_file (dataset, "{}");
  write_file (no_weights, "{\"model_type\": \"llama\"}");
  write_file (no_weights_ref, "r1");
  make_link (gguf, blob);
  write_file (manifest,
              "{\"schemaVersion\": 2, \"layers\": ["
              "{\"mediaType\": \"application/vnd.ollama.image.template\", \"digest\": \"sha256:feed\", \"size\": 10},"
              "{\"mediaType\": \"application/vnd.ollama.image.model\", \"digest\": \"sha256:0123abcd\", \"size\": 1}]}");

  write_file (broken, "{\"model_type\": \"llama\"}");
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
show_in_window (GtkWidget *page)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 800, 700);
  gtk_window_set_child (window, page);
  gtk_window_present (window);

  return window;
}

static void
destroy_window (GtkWindow *window,
                gpointer  *weak_page)
{
  gtk_window_destroy (window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (*weak_page);
}

static const char *
label_text (GtkWidget  *page,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (page, WH_TYPE_MODEL_PAGE, name)));
}

/* Model */

static void
test_scan (void)
{
  g_autoptr(GPtrArray) candidates = wh_model_scan (NULL);
  const WhModelCandidate *hf;
  const WhModelCandidate *ollama;

  g_assert_cmpuint (candidates->len, ==, 2);
  hf = g_ptr_array_index (candidates, 0);
  ollama = g_ptr_array_index (candidates, 1);

  g_assert_cmpint (hf->source, ==, WH_MODEL_SOURCE_HUGGING_FACE);
  g_assert_cmpstr (hf->name, ==, "test/tiny");
  g_assert_true (g_str_has_suffix (hf->path, "models--test--tiny/snapshots/abc"));
  g_assert_cmpuint (hf->size, >, 0);

  g_assert_cmpint (ollama->source, ==, WH_MODEL_SOURCE_OLLAMA);
  g_assert_cmpstr (ollama->name, ==, "tiny:latest");
  g_assert_true (g_str_has_suffix (ollama->path, "blobs/sha256-0123abcd"));
  g_assert_cmpuint (ollama->size, >, 1);

  g_assert_true (wh_model_scan_is_model_path (hf->path));
  g_assert_true (wh_model_scan_is_model_path (ollama->path));
  g_assert_false (wh_model_scan_is_model_path (tmpdir));
  {
    g_autofree char *refs_main = g_build_filename (tmpdir, "hf", "hub", "models--test--tiny", "refs", "main", NULL);
    g_autofree char *missing = g_build_filename (tmpdir, "missing.gguf", NULL);

    g_assert_false (wh_model_scan_is_model_path (refs_main));
    g_assert_false (wh_model_scan_is_model_path (missing));
  }
}

static void
test_model_page (void)
{
  GtkWidget *page = wh_model_page_new ();
  GtkWindow *window;
  GtkWidget *row;
  WhClDeviceInfo device = { .kind = WH_CL_DEVICE_KIND_GPU_DISCRETE, .global_mem_size = 8000000000 };
  AdwPreferencesRow *fit_row;
  g_autofree char *broken = NULL;

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  window = show_in_window (page);
  wh_model_page_set_device (WH_MODEL_PAGE (page), &device);

  iterate_until (scan_done, page, "the models to be found");
  g_assert_null (wh_model_page_get_model_path (WH_MODEL_PAGE (page)));
  g_assert_false (wh_model_page_get_ready (WH_MODEL_PAGE (page)));
  g_assert_null (find_row (page, "Demo model (built-in)"));

  /* The Hugging Face model */
  row = find_row (page, "test/tiny");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Hugging Face cache"));
  adw_action_row_activate (ADW_ACTION_ROW (row));

  g_assert_true (g_str_has_suffix (wh_model_page_get_model_path (WH_MODEL_PAGE (page)), "snapshots/abc"));
  iterate_until (model_ready, page, "the model to be read");
  g_assert_nonnull (wh_model_page_get_model_info (WH_MODEL_PAGE (page)));
  g_assert_cmpstr (label_text (page, "architecture_label"), ==, "LlamaForCausalLM");
  g_assert_cmpstr (label_text (page, "context_label"), ==, "256 tokens");
  g_assert_true (g_str_has_prefix (label_text (page, "params_label"), "about "));
  g_assert_cmpstr (label_text (page, "size_label"), !=, "");
  g_assert_true (g_str_has_prefix (label_text (page, "weights_label"), "f32"));

  /* Looking again keeps the choice, without reading the model again. */
  g_assert_true (gtk_widget_activate_action (page, "model.rescan", NULL));
  g_assert_true (wh_model_page_get_scanning (WH_MODEL_PAGE (page)));
  iterate_until (scan_done, page, "the models to be found again");
  g_assert_true (g_str_has_suffix (wh_model_page_get_model_path (WH_MODEL_PAGE (page)), "snapshots/abc"));
  g_assert_true (wh_model_page_get_ready (WH_MODEL_PAGE (page)));
  row = find_row (page, "test/tiny");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)))));

  fit_row = ADW_PREFERENCES_ROW (gtk_widget_get_template_child (page, WH_TYPE_MODEL_PAGE, "fit_row"));
  g_assert_cmpstr (adw_preferences_row_get_title (fit_row), ==, "Fits comfortably on your graphics card for LoRA");

  /* A card too small for it, even in 4 bits */
  device.global_mem_size = 1000;
  wh_model_page_set_device (WH_MODEL_PAGE (page), &device);
  g_test_message ("%s", adw_preferences_row_get_title (fit_row));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (fit_row), "Needs about "));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (fit_row), "; your card has 1.0"));

  /* The Ollama model: a GGUF file */
  row = find_row (page, "tiny:latest");
  g_assert_nonnull (row);
  adw_action_row_activate (ADW_ACTION_ROW (row));
  g_assert_false (wh_model_page_get_ready (WH_MODEL_PAGE (page)));
  iterate_until (model_ready, page, "the GGUF model to be read");
  g_assert_cmpstr (label_text (page, "architecture_label"), ==, "llama");
  g_assert_true (g_str_has_prefix (label_text (page, "weights_label"), "q8_0"));

  /* A folder that is not a model Whetstone can read */
  broken = g_build_filename (tmpdir, "broken", NULL);
  wh_model_page_set_model_path (WH_MODEL_PAGE (page), broken);
  g_assert_nonnull (find_row (page, "broken"));
  iterate_until (model_failed, page, "the broken model to fail");
  g_assert_false (wh_model_page_get_ready (WH_MODEL_PAGE (page)));
  g_assert_null (wh_model_page_get_model_info (WH_MODEL_PAGE (page)));

  destroy_window (window, (gpointer *)&page);
}

static void
test_model_page_demo (void)
{
  g_autofree char *demo = g_build_filename (reference_dir, "llama-gqa", NULL);
  GtkWidget *page;
  GtkWindow *window;
  GtkListBox *list;
  GtkWidget *first;

  g_setenv ("WHETSTONE_DEMO_MODEL", demo, TRUE);

  page = wh_model_page_new ();
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  window = show_in_window (page);
  iterate_until (scan_done, page, "the models to be found");

  /* Listed first, and chosen for the user */
  list = GTK_LIST_BOX (gtk_widget_get_template_child (page, WH_TYPE_MODEL_PAGE, "model_list"));
  first = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "Demo model (built-in)");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)), "tiny"));
  g_assert_cmpstr (wh_model_page_get_model_path (WH_MODEL_PAGE (page)), ==, demo);
  iterate_until (model_ready, page, "the demo model to be read");

  /* Destroyed while reading: the result is dropped. */
  adw_action_row_activate (ADW_ACTION_ROW (find_row (page, "test/tiny")));
  g_assert_false (wh_model_page_get_ready (WH_MODEL_PAGE (page)));
  destroy_window (window, (gpointer *)&page);
  g_usleep (G_USEC_PER_SEC / 10);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_setenv ("WHETSTONE_DEMO_MODEL", "", TRUE);
}

static void
test_model_page_recent (void)
{
  g_autofree char *blob = g_build_filename (tmpdir, "ollama", "blobs", "sha256-0123abcd", NULL);
  g_autofree char *gone = g_build_filename (tmpdir, "gone.gguf", NULL);
  g_autofree char *gguf = g_build_filename (reference_dir, "llama-gqa-gguf-q8_0", "llama-gqa-q8_0.gguf", NULL);
  const char *recent[] = { gone, blob, gguf, NULL };
  GtkWidget *page = wh_model_page_new ();
  GtkWindow *window;

  /* Used before: what is still there is listed, the newest chosen. */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  wh_model_page_set_recent (WH_MODEL_PAGE (page), recent);
  window = show_in_window (page);
  iterate_until (scan_done, page, "the models to be found");

  g_assert_cmpstr (wh_model_page_get_model_path (WH_MODEL_PAGE (page)), ==, blob);
  g_assert_nonnull (find_row (page, "llama-gqa-q8_0.gguf"));
  g_assert_null (find_row (page, "gone.gguf"));
  /* Listed once, as Ollama names it */
  g_assert_null (find_row (page, "sha256-0123abcd"));
  g_assert_nonnull (find_row (page, "tiny:latest"));
  iterate_until (model_ready, page, "the recent model to be read");

  destroy_window (window, (gpointer *)&page);
}

/* Goal */

static GtkWidget *
goal_child (GtkWidget  *page,
            const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (page, WH_TYPE_GOAL_PAGE, name));
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static WhRecipe *
build (GtkWidget *page)
{
  g_autoptr(GError) error = NULL;
  WhRecipe *recipe = g_new0 (WhRecipe, 1);

  g_assert_true (wh_goal_page_build_recipe (WH_GOAL_PAGE (page), recipe, &error));
  g_assert_no_error (error);

  return recipe;
}

static void
recipe_free (WhRecipe *recipe)
{
  wh_recipe_clear (recipe);
  g_free (recipe);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhRecipe, recipe_free)

static char *
prompt_text (GtkWidget *page)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (goal_child (page, "prompt_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
subtitle (GtkWidget  *page,
          const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (goal_child (page, name)));
}

static void
test_goal_page (void)
{
  static const char * const titles[] = { "Brand voice", "Support chatbot", "Text to SQL", "Custom" };
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  const char *sql_prompt = NULL;
  GtkWidget *page = wh_goal_page_new ();
  GtkListBox *list;
  GtkWindow *window;
  WhRecipe failed;

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  window = show_in_window (page);

  presets = wh_preset_list_builtin (&error);
  g_assert_no_error (error);
  for (guint i = 0; i < presets->len; i++)
    {
      WhPreset *preset = g_ptr_array_index (presets, i);

      if (g_str_equal (preset->id, "text-to-sql"))
        sql_prompt = preset->recipe.system_prompt;
    }
  g_assert_nonnull (sql_prompt);

  /* Four goals, in the design's order, none chosen yet */
  list = GTK_LIST_BOX (goal_child (page, "preset_list"));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, titles[i]);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "");
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, G_N_ELEMENTS (titles)));

  g_assert_false (wh_goal_page_get_ready (WH_GOAL_PAGE (page)));
  g_assert_false (gtk_widget_get_visible (goal_child (page, "settings_box")));
  g_assert_false (wh_goal_page_build_recipe (WH_GOAL_PAGE (page), &failed, &error));
  g_assert_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID);
  g_clear_error (&error);
  wh_recipe_clear (&failed);

  /* Text to SQL fills the system prompt */
  adw_action_row_activate (ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 2)));
  g_assert_cmpstr (wh_goal_page_get_preset_id (WH_GOAL_PAGE (page)), ==, "text-to-sql");
  g_assert_true (wh_goal_page_get_ready (WH_GOAL_PAGE (page)));
  g_assert_true (gtk_widget_get_visible (goal_child (page, "settings_box")));
  prompt = prompt_text (page);
  g_assert_cmpstr (prompt, ==, sql_prompt);

  /* How long to train: epochs shown and in the recipe (auto: 3) */
  g_assert_true (g_str_has_prefix (subtitle (page, "length_row"), "3 passes (epochs)"));
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpuint (recipe->epochs, ==, 3);
    g_assert_cmpuint (recipe->max_seq_len, ==, 768);
    g_assert_cmpstr (recipe->system_prompt, ==, sql_prompt);
    /* "auto", and no model chosen yet: the rate for a 4096-wide model */
    g_assert_cmpfloat_with_epsilon (recipe->learning_rate, 2e-4, 1e-12);
  }

  adw_combo_row_set_selected (ADW_COMBO_ROW (goal_child (page, "length_row")), WH_GOAL_LENGTH_THOROUGH);
  g_assert_true (g_str_has_prefix (subtitle (page, "length_row"), "6 passes (epochs)"));
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpuint (recipe->epochs, ==, 6);
  }

  adw_combo_row_set_selected (ADW_COMBO_ROW (goal_child (page, "length_row")), WH_GOAL_LENGTH_SHORT);
  g_assert_true (g_str_has_prefix (subtitle (page, "length_row"), "2 passes (epochs)"));
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpuint (recipe->epochs, ==, 2);
  }

  /* How closely to imitate: learning rate and rank */
  adw_combo_row_set_selected (ADW_COMBO_ROW (goal_child (page, "closeness_row")), WH_GOAL_CLOSENESS_CLOSELY);
  g_assert_cmpstr (subtitle (page, "closeness_row"), ==, "Learning rate 0.0003 · LoRA rank 32");
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpfloat_with_epsilon (recipe->learning_rate, 3e-4, 1e-12);
    g_assert_cmpuint (recipe->lora_r, ==, 32);
    g_assert_cmpfloat_with_epsilon (recipe->lora_alpha, 64, 1e-9);
  }

  /* The Advanced section edits the same recipe */
  {
    GtkWidget *row = find_named (page, "train.max_seq_len");
    g_autoptr(WhRecipe) recipe = NULL;
    GtkWidget *spin;

    g_assert_nonnull (row);
    spin = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 768);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1024);

    recipe = build (page);
    g_assert_cmpuint (recipe->max_seq_len, ==, 1024);
  }

  /* Edited system prompt; empty means none */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (goal_child (page, "prompt_view"))),
                            "Answer in SQL.", -1);
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpstr (recipe->system_prompt, ==, "Answer in SQL.");
  }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (goal_child (page, "prompt_view"))),
                            "  \n", -1);
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_null (recipe->system_prompt);
  }

  /* Another goal starts again from its preset */
  wh_goal_page_set_preset_id (WH_GOAL_PAGE (page), "brand-voice");
  g_assert_cmpint (adw_combo_row_get_selected (ADW_COMBO_ROW (goal_child (page, "length_row"))), ==,
                   WH_GOAL_LENGTH_NORMAL);
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpuint (recipe->max_seq_len, ==, 512);
    g_assert_cmpuint (recipe->lora_r, ==, 16);
    g_assert_nonnull (strstr (recipe->system_prompt, "Lantern & Loaf"));
  }

  destroy_window (window, (gpointer *)&page);
}

static void
test_goal_estimate (void)
{
  g_autofree char *model_dir = g_build_filename (reference_dir, "llama-gqa", NULL);
  WhClDeviceInfo device = { .kind = WH_CL_DEVICE_KIND_GPU_DISCRETE, .global_mem_size = 8000000000,
                            .compute_units = 20, .vendor = (char *) "NVIDIA Corporation" };
  WhDatasetStats stats = { .examples = 11, .train_examples = 10, .val_examples = 1, .tokens = 11000 };
  g_autoptr(GError) error = NULL;
  GtkWidget *page = wh_goal_page_new ();
  AdwPreferencesRow *estimate;
  GtkWindow *window;
  WhModelInfo info;

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  window = show_in_window (page);
  wh_goal_page_set_preset_id (WH_GOAL_PAGE (page), "custom");
  estimate = ADW_PREFERENCES_ROW (goal_child (page, "estimate_row"));

  g_assert_cmpstr (adw_preferences_row_get_title (estimate), ==,
                   "Choose a model to see how much memory training needs");

  g_assert_true (wh_model_info_load (&info, model_dir, &error));
  g_assert_no_error (error);
  wh_goal_page_set_model_info (WH_GOAL_PAGE (page), &info);
  wh_model_info_clear (&info);
  {
    g_autoptr(WhRecipe) recipe = build (page);

    /* The preset's "auto" rate follows the model: 64 wide, the top of the
     * range (2e-4 × 4096 / 64 is beyond it). */
    g_assert_cmpfloat_with_epsilon (recipe->learning_rate, 5e-3, 1e-12);
    g_assert_cmpstr (subtitle (page, "closeness_row"), ==, "Learning rate 0.005 · LoRA rank 16");
  }

  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (estimate), "Needs about "));
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (estimate), " of memory"));

  wh_goal_page_set_device (WH_GOAL_PAGE (page), &device);
  g_test_message ("%s / %s", adw_preferences_row_get_title (estimate), subtitle (page, "estimate_row"));
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (estimate), "of your graphics card’s 8.0\u00a0GB"));
  g_assert_false (gtk_widget_get_visible (goal_child (page, "fix_box")));

  /* The examples set “auto” epochs (100 / 10 examples) and the steps */
  wh_goal_page_set_dataset_stats (WH_GOAL_PAGE (page), &stats);
  g_test_message ("%s", subtitle (page, "length_row"));
  g_assert_cmpstr (subtitle (page, "length_row"), ==, "10 passes (epochs) · 30 steps");
  g_assert_true (g_str_has_prefix (subtitle (page, "estimate_row"), "Training takes "));

  /* Too small a card: the fix is offered and works */
  device.global_mem_size = 100000;
  wh_goal_page_set_device (WH_GOAL_PAGE (page), &device);
  g_test_message ("%s / %s", adw_preferences_row_get_title (estimate), subtitle (page, "estimate_row"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (estimate), "more than your graphics card’s"));
  g_assert_true (gtk_widget_get_visible (goal_child (page, "fix_box")));
  {
    int minimum;

    /* Phones: the fixes too fit in 360 pixels. */
    gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
  g_assert_true (gtk_widget_activate_action (page, "goal.shorter-examples", NULL));
  {
    g_autoptr(WhRecipe) recipe = build (page);

    g_assert_cmpuint (recipe->max_seq_len, ==, 256);
  }

  wh_goal_page_set_dataset_stats (WH_GOAL_PAGE (page), NULL);
  g_assert_true (g_str_has_prefix (subtitle (page, "length_row"), "3 passes (epochs)"));

  destroy_window (window, (gpointer *)&page);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && (dir = g_dir_open (path, 0, NULL)))
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }

  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hf_home = NULL;
  g_autofree char *ollama = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before anything reads them: the machine's own caches stay out. */
  tmpdir = g_dir_make_tmp ("whetstone-model-goal-XXXXXX", &error);
  g_assert_no_error (error);
  hf_home = g_build_filename (tmpdir, "hf", NULL);
  ollama = g_build_filename (tmpdir, "ollama", NULL);
  g_setenv ("HF_HOME", hf_home, TRUE);
  g_unsetenv ("HF_HUB_CACHE");
  g_setenv ("OLLAMA_MODELS", ollama, TRUE);
  g_setenv ("WHETSTONE_DEMO_MODEL", "", TRUE);
  reference_dir = g_test_build_filename (G_TEST_DIST, "reference", "models", NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run this test under xvfb-run (meson test does)\n");
      return 77;
    }

  adw_init ();
  wh_ui_init ();
  make_caches ();

  g_test_add_func ("/whetstone/gui/model-page/scan", test_scan);
  g_test_add_func ("/whetstone/gui/model-page/choose", test_model_page);
  g_test_add_func ("/whetstone/gui/model-page/demo", test_model_page_demo);
  g_test_add_func ("/whetstone/gui/model-page/recent", test_model_page_recent);
  g_test_add_func ("/whetstone/gui/goal-page/presets", test_goal_page);
  g_test_add_func ("/whetstone/gui/goal-page/estimate", test_goal_estimate);

  ret = g_test_run ();

  remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (reference_dir);

  return ret;
}
