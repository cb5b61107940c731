/* screenshots.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "wh-application.h"
#include "wh-data-page.h"
#include "wh-goal-page.h"
#include "wh-loss-chart.h"
#include "wh-model-page.h"
#include "wh-playground-page-private.h"
#include "wh-preset.h"
#include "wh-run-list.h"
#include "wh-start-page-private.h"
#include "wh-test-gui.h"
#include "wh-trainer.h"
#include "wh-training-page-private.h"
#include "wh-window.h"

/* `make screenshots`: the application's window, in this process, on the
 * X server xvfb-run provides, stepped through a real fine-tune of the
 * demo model (stories260K until data/demo/model is trained) and drawn
 * at each step into OUTDIR/<screen>-light.png and <screen>-dark.png.
 * The runs, settings and model lists are temporary ones of its own. */

#define WIDTH          1280
#define HEIGHT         800
/* libadwaita's $window_radius */
#define WINDOW_RADIUS  12
#define TIMEOUT_S      600
/* Enough of the loss chart to show its shape: two epochs' validation. */
#define MIN_VAL_POINTS 2
/* Long enough to read as an answer, short enough for the columns to
 * stay side by side (the flow box lays them out at their natural width,
 * a whole line of the answer). */
#define ANSWER_TOKENS  64
/* As the brand-voice sample's prompts go. */
#define PROMPT         "Write an Instagram caption for our new sourdough."

static char *out_dir;
static char *tmp_dir;

/* Main loop */

typedef struct
{
  guint ticks;
} Frames;

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  ((Frames *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_drawn (gpointer data)
{
  return ((Frames *) data)->ticks >= 4;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets what the window started (style changes, layout, images) reach
 * the screen: @ms of the main loop, then a few frames. */
static void
settle_for (GtkWidget *window,
            guint      ms)
{
  Frames frames = { 0 };
  gboolean waited = FALSE;
  guint id;

  g_timeout_add (ms, set_true_cb, &waited);
  wh_test_iterate_until (is_true, &waited, TIMEOUT_S, "a moment");
  id = gtk_widget_add_tick_callback (window, count_tick_cb, &frames, NULL);
  wh_test_iterate_until (frames_drawn, &frames, TIMEOUT_S, "the window to be drawn");
  gtk_widget_remove_tick_callback (window, id);
}

static void
settle (GtkWidget *window)
{
  settle_for (window, 300);
}

/* Drawing */

static void
save_png (GtkWidget  *window,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  GskRoundedRect corners;

  /* The rounded corners GTK leaves square where nothing composites. */
  gsk_rounded_rect_init_from_rect (&corners, &GRAPHENE_RECT_INIT (0, 0, width, height), WINDOW_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &corners);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  gtk_snapshot_pop (snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    g_error ("The window drew nothing for %s", name);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s (%d×%d)\n", path, width, height);
}

/* The window as it is now, in the light style and in the dark one. */
static void
shoot (GtkWidget  *window,
       const char *screen)
{
  static const struct {
    AdwColorScheme  scheme;
    const char     *suffix;
  } styles[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  /* Xvfb composites nothing, so GTK frames the window with a solid
   * resize border; a desktop draws none (and the frame is not counted in
   * the window's size). */
  gtk_widget_remove_css_class (window, "solid-csd");
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s", screen, styles[i].suffix);

      adw_style_manager_set_color_scheme (style, styles[i].scheme);
      settle (window);
      if (gtk_widget_get_width (window) != WIDTH || gtk_widget_get_height (window) != HEIGHT)
        g_error ("The window is %d×%d, not %d×%d", gtk_widget_get_width (window), gtk_widget_get_height (window),
                 WIDTH, HEIGHT);
      save_png (window, name);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* Files */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
sample_path (const char *name)
{
  return g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "samples", name, NULL);
}

/* The brand-voice sample with the mistakes people make in a
 * spreadsheet: a prompt without its answer, two cells run together by a
 * stray quote, and an empty answer. */
static GFile *
make_broken_dataset (void)
{
  g_autofree char *sample = sample_path ("brand-voice.csv");
  g_autofree char *dir = g_build_filename (tmp_dir, "examples", NULL);
  g_autofree char *path = g_build_filename (dir, "brand-voice-draft.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) broken = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean quoted = FALSE;
  guint record = 0;

  if (!g_file_get_contents (sample, &contents, NULL, &error))
    g_error ("%s", error->message);
  /* Records end at newlines outside quotes. */
  for (const char *c = contents; *c != '\0'; c++)
    {
      g_string_append_c (broken, *c);
      if (*c == '"')
        quoted = !quoted;
      if (*c != '\n' || quoted)
        continue;
      switch (++record)
        {
        case 9:
          g_string_append (broken, "Write a caption for our cinnamon buns.\n");
          break;
        case 20:
          g_string_append (broken, "\"Tell people about our new opening hours.,\"\"We now open at seven.\"\n");
          break;
        case 30:
          g_string_append (broken, "Thank a customer for their lovely review.,\n");
          break;
        default:
          break;
        }
    }
  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, broken->str, broken->len, &error))
    g_error ("%s", error->message);
  return g_file_new_for_path (path);
}

/* Runs for the Start screen */

static gboolean
trainer_settled (gpointer data)
{
  WhTrainerState state = wh_trainer_get_state (data);

  return state != WH_TRAINER_STATE_PREPARING && state != WH_TRAINER_STATE_RUNNING &&
         state != WH_TRAINER_STATE_PAUSED;
}

static gboolean
trainer_stepped (gpointer data)
{
  const WhTrainProgress *progress = wh_trainer_get_progress (data);

  return (progress != NULL && progress->step >= 3) || trainer_settled (data);
}

/* Dates the run @days ago, as if the Start screen were opened later. */
static void
age_tree (const char *path,
          guint       days)
{
  struct utimbuf when;
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      age_tree (child, days);
    }
  when.actime = when.modtime = time (NULL) - (time_t) days * 24 * 60 * 60;
  g_utime (path, &when);
}

/* A short run of the preset @preset_id on its own sample, into the
 * runs folder the window lists; stopped part-way when @stop, so that
 * the Start screen offers to resume it. */
static void
make_run (WhTrainer  *trainer,
          const char *model,
          const char *preset_id,
          guint       days_ago,
          gboolean    stop)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -(int) days_ago);
  g_autofree char *stamp = g_date_time_format (then, "%Y%m%d-%H%M%S");
  g_autofree char *file = g_strdup_printf ("%s.json", preset_id);
  g_autofree char *path = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "presets", file, NULL);
  g_autofree char *name = g_strdup_printf ("%s-%s", preset_id, stamp);
  g_autofree char *runs = wh_run_dup_default_dir ();
  g_autofree char *run_dir = g_build_filename (runs, name, NULL);
  g_autoptr(GError) error = NULL;
  WhPreset preset;

  if (!wh_preset_load (&preset, path, &error))
    g_error ("%s", error->message);
  g_free (preset.recipe.model);
  preset.recipe.model = g_strdup (model);
  preset.recipe.max_steps = stop ? 40 : 6;
  preset.recipe.eval_every_steps = 2;

  if (!wh_trainer_start (trainer, &preset.recipe, run_dir, &error))
    g_error ("%s", error->message);
  if (stop)
    {
      wh_test_iterate_until (trainer_stepped, trainer, TIMEOUT_S, "a few steps");
      wh_trainer_stop (trainer);
    }
  wh_test_iterate_until (trainer_settled, trainer, TIMEOUT_S, "the run to end");
  if (wh_trainer_get_error (trainer) != NULL && wh_trainer_get_state (trainer) != WH_TRAINER_STATE_CANCELLED)
    g_error ("The %s run failed: %s", preset_id, wh_trainer_get_error (trainer)->message);
  age_tree (run_dir, days_ago);
  wh_preset_clear (&preset);
}

static void
make_runs (const char *model)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(WhTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;

  if (!(devices = wh_cl_enumerate_devices (&error)) || devices->len == 0 ||
      !(info = wh_cl_select_device (devices, g_getenv ("WHETSTONE_DEVICE"), &error)))
    g_error ("No OpenCL device to train on: %s", error != NULL ? error->message : "none found");

  device = wh_device_new (info);
  trainer = wh_trainer_new (device);
  make_run (trainer, model, "brand-voice", 3, FALSE);
  make_run (trainer, model, "custom", 1, TRUE);
}

/* The window */

static GtkWidget *
window_child (WhWindow   *window,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), WH_TYPE_WINDOW, name);

  if (child == NULL)
    g_error ("The window has no “%s”", name);
  return GTK_WIDGET (child);
}

static WhDataPage *
data_page (WhWindow *window)
{
  return WH_DATA_PAGE (gtk_widget_get_first_child (window_child (window, "data_bin")));
}

/* Scrolls @page so that its template child @name (with the group it is
 * in, title and all) is at the top, or with @end, its bottom at the
 * bottom (as far as the page goes). */
static void
scroll_to (GtkWidget  *page,
           const char *name,
           gboolean    end)
{
  GObject *child = gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), name);
  GtkAdjustment *adjustment;
  GtkWidget *target;
  GtkWidget *scroller;
  graphene_rect_t bounds;
  double top;

  settle (page);
  if (child == NULL)
    g_error ("The page has no “%s”", name);
  if (!(target = gtk_widget_get_ancestor (GTK_WIDGET (child), ADW_TYPE_PREFERENCES_GROUP)))
    target = GTK_WIDGET (child);
  for (scroller = target; scroller != NULL && !GTK_IS_SCROLLED_WINDOW (scroller);
       scroller = gtk_widget_get_parent (scroller))
    ;
  if (scroller == NULL ||
      !gtk_widget_compute_bounds (target, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                  &bounds))
    g_error ("“%s” is not in a scrolled window", name);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* Where it is in the scrolled content, with a margin. */
  top = gtk_adjustment_get_value (adjustment) + bounds.origin.y;
  if (end)
    gtk_adjustment_set_value (adjustment, top + bounds.size.height + 24 - gtk_adjustment_get_page_size (adjustment));
  else
    gtk_adjustment_set_value (adjustment, top - 16);
  /* Until the scroll bar that scrolling shows has faded again. */
  settle_for (page, 2000);
}

static void
go_next (WhWindow *window)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.go-next", NULL))
    g_error ("The window has no win.go-next");
}

static gboolean
window_settled (gpointer data)
{
  WhStartPage *start = WH_START_PAGE (window_child (data, "start_page"));

  return gtk_widget_get_mapped (data) &&
         wh_window_get_device_state (data) != WH_WINDOW_DEVICE_STATE_SEARCHING &&
         !_wh_start_page_get_loading (start) && wh_start_page_get_has_runs (start);
}

static gboolean
model_settled (gpointer data)
{
  WhModelPage *page = WH_MODEL_PAGE (window_child (data, "model_page"));

  return !wh_model_page_get_scanning (page) && wh_model_page_get_ready (page) &&
         gtk_widget_is_sensitive (window_child (data, "next_button"));
}

static gboolean
data_loaded (gpointer data)
{
  return !wh_data_page_get_busy (data_page (data)) && wh_data_page_get_dataset (data_page (data)) != NULL;
}

static gboolean
data_usable (gpointer data)
{
  return data_loaded (data) && wh_data_page_get_usable (data_page (data));
}

static gboolean
goal_ready (gpointer data)
{
  return wh_goal_page_get_ready (WH_GOAL_PAGE (window_child (data, "goal_page")));
}

static gboolean
training_has_points (gpointer data)
{
  WhTrainingPage *page = WH_TRAINING_PAGE (window_child (data, "training_page"));
  GArray *history = wh_loss_chart_get_history (_wh_training_page_get_chart (page));
  guint n_val = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    n_val += !isnan (g_array_index (history, WhTrainProgress, i).val_loss);
  return n_val >= MIN_VAL_POINTS || !wh_training_page_is_busy (page);
}

static gboolean
can_try (gpointer data)
{
  GtkWidget *next = window_child (data, "next_button");

  return gtk_widget_get_visible (next) && gtk_widget_is_sensitive (next);
}

static gboolean
has_two_columns (gpointer data)
{
  g_auto(GStrv) titles = _wh_playground_page_dup_titles (data);

  return g_strv_length (titles) == 2;
}

static gboolean
answered (gpointer data)
{
  return !wh_playground_page_get_busy (data);
}

static void
warn_if_stacked (GtkWidget *playground)
{
  GObject *box = gtk_widget_get_template_child (playground, WH_TYPE_PLAYGROUND_PAGE, "columns_box");
  GtkWidget *first, *second;
  graphene_rect_t a, b;

  settle (playground);
  if (box == NULL || !(first = gtk_widget_get_first_child (GTK_WIDGET (box))) ||
      !(second = gtk_widget_get_next_sibling (first)))
    return;
  if (gtk_widget_compute_bounds (first, GTK_WIDGET (box), &a) &&
      gtk_widget_compute_bounds (second, GTK_WIDGET (box), &b) && a.origin.y != b.origin.y)
    g_printerr ("Try It shows its answers one above the other, not side by side\n");
}

static void
run_window (WhApplication *app)
{
  g_autofree char *sample = sample_path ("brand-voice.csv");
  g_autoptr(GFile) good = g_file_new_for_path (sample);
  g_autoptr(GFile) broken = make_broken_dataset ();
  WhTrainingPage *training_page;
  WhPlaygroundPage *playground;
  WhWindow *window;

  window = wh_window_new (GTK_APPLICATION (app));
  /* As released, without the development build's stripes. */
  gtk_widget_remove_css_class (GTK_WIDGET (window), "devel");
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  wh_test_iterate_until (window_settled, window, TIMEOUT_S, "the window, its device and its runs");
  if (wh_window_get_device_state (window) != WH_WINDOW_DEVICE_STATE_FOUND)
    g_error ("The window found no device to train on");
  shoot (GTK_WIDGET (window), "start");

  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.new-fine-tune", NULL))
    g_error ("The window has no win.new-fine-tune");
  wh_test_iterate_until (model_settled, window, TIMEOUT_S, "the model to be read");
  shoot (GTK_WIDGET (window), "model");

  go_next (window);
  wh_data_page_load_file (data_page (window), broken);
  wh_test_iterate_until (data_loaded, window, TIMEOUT_S, "the broken examples to be read");
  /* Down to the last of the problems listed. */
  scroll_to (GTK_WIDGET (data_page (window)), "problems_group", TRUE);
  shoot (GTK_WIDGET (window), "data-errors");
  wh_data_page_load_file (data_page (window), good);
  wh_test_iterate_until (data_usable, window, TIMEOUT_S, "the sample examples to be read");
  /* Past the file's rows, which the errors' screenshot shows, to the
   * statistics, the histogram and the first examples. */
  scroll_to (GTK_WIDGET (data_page (window)), "stats_group", FALSE);
  shoot (GTK_WIDGET (window), "data");

  go_next (window);
  wh_goal_page_set_preset_id (WH_GOAL_PAGE (window_child (window, "goal_page")), "brand-voice");
  wh_test_iterate_until (goal_ready, window, TIMEOUT_S, "the goal");
  /* From the goals down to the estimate of time and memory. */
  scroll_to (window_child (window, "goal_page"), "preset_list", FALSE);
  shoot (GTK_WIDGET (window), "goal");

  go_next (window);
  training_page = WH_TRAINING_PAGE (window_child (window, "training_page"));
  wh_test_iterate_until (training_has_points, window, TIMEOUT_S, "the loss chart and a checkpoint");
  shoot (GTK_WIDGET (window), "training");

  wh_test_iterate_until (can_try, window, TIMEOUT_S, "Try It");
  go_next (window);
  playground = WH_PLAYGROUND_PAGE (window_child (window, "playground_page"));
  wh_test_iterate_until (has_two_columns, playground, TIMEOUT_S, "a checkpoint to try");
  gtk_spin_button_set_value (_wh_playground_page_get_spin (playground, "length_spin"), ANSWER_TOKENS);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_wh_playground_page_get_prompt_view (playground)), PROMPT, -1);
  if (!gtk_widget_activate_action (GTK_WIDGET (playground), "playground.send", NULL))
    g_error ("The playground has no playground.send");
  wh_test_iterate_until (answered, playground, TIMEOUT_S, "the answers");
  warn_if_stacked (GTK_WIDGET (playground));
  shoot (GTK_WIDGET (window), "try-it");

  if (wh_training_page_is_busy (training_page))
    {
      wh_trainer_stop (wh_training_page_get_trainer (training_page));
      wh_test_iterate_until (trainer_settled, wh_training_page_get_trainer (training_page), TIMEOUT_S,
                             "the run to stop");
    }
  gtk_window_destroy (GTK_WINDOW (window));
  wh_test_flush_main_loop ();
}

/* Setting up */

/* The built-in demo model once it is trained, else stories260K from the
 * shared test data beside the checkout. */
static char *
choose_model (void)
{
  g_autofree char *demo = wh_demo_model_dup_dir ();
  g_autofree char *config = g_build_filename (demo, "config.json", NULL);
  const char *testdata = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *stories = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *link = NULL;

  if (g_file_test (config, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&demo);

  stories = testdata != NULL
            ? g_build_filename (testdata, "models", "stories260K", "hf", NULL)
            : g_build_filename (WH_SOURCE_DIR, "..", "shared", "testdata", "models", "stories260K", "hf", NULL);
  if (!g_file_test (stories, G_FILE_TEST_IS_DIR))
    g_error ("Neither the demo model (%s, `make demo-model`) nor stories260K (%s) is there", demo, stories);
  /* Stands in for the demo model on the Model screen; under its own name
   * rather than its folder's (“hf”) where runs name their model. */
  link = g_build_filename (tmp_dir, "stories260K", NULL);
  absolute = g_canonicalize_filename (stories, NULL);
  if (symlink (absolute, link) != 0)
    g_error ("Could not link %s: %s", link, g_strerror (errno));
  g_setenv ("WHETSTONE_DEMO_MODEL", link, TRUE);
  return g_steal_pointer (&link);
}

/* Everything the app writes or lists, in a folder of the program's own:
 * runs, settings, GTK's configuration and the model stores. */
static void
isolate (void)
{
  static const struct {
    const char *variable;
    const char *name;
  } dirs[] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_STATE_HOME", "state" },
    { "HF_HOME", "huggingface" },
    { "OLLAMA_MODELS", "ollama" },
  };
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* A name of its own when it can, since the Examples screen shows the
   * folder of the file it reads. */
  tmp_dir = g_build_filename (g_get_tmp_dir (), "whetstone-screenshots", NULL);
  /* Left by a run that failed: a folder of this user's, not a link. */
  if (g_lstat (tmp_dir, &st) == 0 && S_ISDIR (st.st_mode) && st.st_uid == getuid ())
    remove_tree (tmp_dir);
  if (g_mkdir (tmp_dir, 0700) != 0)
    {
      g_printerr ("%s cannot be made: using another folder\n", tmp_dir);
      g_free (tmp_dir);
      if (!(tmp_dir = g_dir_make_tmp ("whetstone-screenshots-XXXXXX", &error)))
        g_error ("%s", error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, dirs[i].name, NULL);

      g_mkdir (path, 0700);
      g_setenv (dirs[i].variable, path, TRUE);
    }
  g_unsetenv ("HF_HUB_CACHE");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
}

static gboolean
has_font_family (const char *family)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  g_autofree PangoFontFamily **families = NULL;
  int n = 0;

  pango_font_map_list_families (map, &families, &n);
  for (int i = 0; i < n; i++)
    if (g_ascii_strcasecmp (pango_font_family_get_name (families[i]), family) == 0)
      return TRUE;
  return FALSE;
}

/* As GNOME draws it: its font and its window buttons. */
static void
set_up_gtk (void)
{
  GtkSettings *settings = gtk_settings_get_default ();

  g_object_set (settings,
                "gtk-decoration-layout", "appmenu:close",
                "gtk-cursor-blink", FALSE,
                NULL);
  if (has_font_family ("Cantarell"))
    g_object_set (settings, "gtk-font-name", "Cantarell 11", NULL);
  else
    g_printerr ("Cantarell is not installed (fonts-cantarell): the screenshots use another font\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WhApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  out_dir = g_canonicalize_filename (argv[1], NULL);
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    g_error ("Could not make %s", out_dir);

  isolate ();
  model = choose_model ();
  g_print ("Model: %s\n", model);
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run this under xvfb-run (`make screenshots` does)\n");
      return 1;
    }
  adw_init ();
  set_up_gtk ();
  make_runs (model);

  app = wh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  run_window (app);

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (out_dir);
  return 0;
}
