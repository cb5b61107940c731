/* test-cli-train.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "wh-safetensors.h"

/* whetstone-cli train as a person uses it, and as a crash meets it: the
 * process is killed (SIGKILL) at random points of a run, each time the
 * latest checkpoint is whole, the run resumes from it, and at the end the
 * adapter is bit for bit the one a run that was never killed writes.
 * WH_KILL_ROUNDS sets the number of kills (make check-long runs many). */

typedef struct
{
  char *dir;
  char *recipe;
  char *data;
} Fixture;

static char *
stories_model (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&model, g_free);
  return model;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
fixture_init (Fixture    *f,
              guint       n_stories,
              const char *extra_train)
{
  g_autofree char *model = stories_model ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree char *recipe = NULL;
  static const char *names[] = { "Tom", "Lily", "Ben", "Sue" };
  static const char *things[] = { "a ball", "a kite", "a cat", "a hat" };

  if (model == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return FALSE;
    }
  f->dir = g_dir_make_tmp ("whetstone-cli-train-XXXXXX", NULL);
  f->data = g_build_filename (f->dir, "stories.jsonl", NULL);
  f->recipe = g_build_filename (f->dir, "stories.json", NULL);
  for (guint i = 0; i < n_stories; i++)
    {
      const char *who = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];

      g_string_append_printf (text, "{\"text\": \"%s went out and found %s. %s was happy.\"}\n",
                              who, things[g_rand_int_range (rand, 0, G_N_ELEMENTS (things))], who);
    }
  g_assert_true (g_file_set_contents (f->data, text->str, -1, NULL));
  recipe = g_strdup_printf ("{\"model\": \"%s\", \"dataset\": {\"path\": \"stories.jsonl\"},"
                            " \"lora\": {\"r\": 4, \"dropout\": 0},"
                            " \"train\": {\"epochs\": 2, \"grad_accum\": 1, \"max_seq_len\": 32, \"warmup_steps\": 2%s},"
                            " \"eval\": {\"val_fraction\": 0.1}}",
                            model, extra_train);
  g_assert_true (g_file_set_contents (f->recipe, recipe, -1, NULL));
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  if (f->dir != NULL)
    remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->recipe);
  g_free (f->data);
}

static GSubprocess *
spawn_train (const char  *first,
             const char  *second,
             const char  *third,
             GError     **error)
{
  const char *args[] = { g_getenv ("WH_CLI"), "train", "--json", first, second, third, NULL };

  return g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
}

/* Exit status; @err gets what it printed on stderr. */
static int
run_train (const char  *first,
           const char  *second,
           const char  *third,
           char       **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = spawn_train (first, second, third, &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* Every checkpoint there is whole: its adapter and optimizer state parse
 * and its state names a step. */
static guint
check_checkpoints (const char *run)
{
  g_autofree char *parent = g_build_filename (run, "checkpoints", NULL);
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;
  guint latest = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *adapter = NULL, *optimizer = NULL, *state = NULL;
      g_autoptr(WhSafetensors) a = NULL, o = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      guint step;

      if (name[0] == '.')
        continue;  /* a checkpoint being written when the process died */
      adapter = g_build_filename (parent, name, "adapter_model.safetensors", NULL);
      optimizer = g_build_filename (parent, name, "optimizer.safetensors", NULL);
      state = g_build_filename (parent, name, "trainer_state.json", NULL);
      a = wh_safetensors_open (adapter, &error);
      g_assert_no_error (error);
      o = wh_safetensors_open (optimizer, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (wh_safetensors_get_n_tensors (o), ==, 2 * wh_safetensors_get_n_tensors (a));
      g_assert_true (json_parser_load_from_file (parser, state, &error));
      g_assert_no_error (error);
      step = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "step");
      g_assert_cmpuint (step, >, 0);
      latest = MAX (latest, step);
    }
  return latest;
}

/* metrics.jsonl: one line per step, 1…@total in order. */
static void
check_metrics (const char *run,
               guint       total)
{
  g_autofree char *path = g_build_filename (run, "metrics.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, total + 1);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "step"), ==, i + 1);
    }
}

static guint
total_steps (const char *run)
{
  g_autofree char *path = g_build_filename (run, "metrics.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  char *last;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_strchomp (contents);
  last = strrchr (contents, '\n');
  g_assert_true (json_parser_load_from_data (parser, last != NULL ? last + 1 : contents, -1, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "step");
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *ca = NULL, *cb = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
  g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
  g_assert_cmpmem (ca, la, cb, lb);
}

static void
test_kill_resume (void)
{
  Fixture f = { 0 };
  g_autofree char *whole = NULL, *killed = NULL, *err = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  guint rounds = g_getenv ("WH_KILL_ROUNDS") != NULL ? atoi (g_getenv ("WH_KILL_ROUNDS")) : 2;
  guint kills = 0;

  /* Enough steps that every kill lands in the middle of the run. */
  if (!fixture_init (&f, 30 + 4 * rounds, ", \"save_every_steps\": 3"))
    return;
  whole = g_build_filename (f.dir, "whole", NULL);
  killed = g_build_filename (f.dir, "killed", NULL);

  g_assert_cmpint (run_train (f.recipe, "--run-dir", whole, &err), ==, 0);
  check_metrics (whole, total_steps (whole));

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) proc = round == 0 ? spawn_train (f.recipe, "--run-dir", killed, &error)
                                               : spawn_train ("--resume", killed, NULL, &error);
      g_autoptr(GDataInputStream) out = NULL;
      guint lines = g_rand_int_range (rand, 1, 5), seen = 0;
      gboolean ended = FALSE;

      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      while (seen < lines)
        {
          g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

          if (line == NULL)
            {
              ended = TRUE;
              break;
            }
          seen++;
        }
      /* Anywhere in the step that follows, checkpoint writes included. */
      g_usleep (g_rand_int_range (rand, 0, 400) * G_TIME_SPAN_MILLISECOND);
      g_subprocess_force_exit (proc);
      g_assert_true (g_subprocess_wait (proc, NULL, &error));
      g_assert_no_error (error);
      if (ended && g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 0)
        break;  /* it finished first */
      kills++;
      g_test_message ("killed after %u step lines; latest checkpoint: step %u", seen, check_checkpoints (killed));
    }
  g_assert_cmpuint (kills, >, 0);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_train ("--resume", killed, NULL, &err), ==, 0);
  check_checkpoints (killed);
  check_metrics (killed, total_steps (whole));
  {
    g_autofree char *a = g_build_filename (whole, "adapter", "adapter_model.safetensors", NULL);
    g_autofree char *b = g_build_filename (killed, "adapter", "adapter_model.safetensors", NULL);

    assert_same_file (a, b);
  }
  fixture_clear (&f);
}

/* Ctrl-C: a checkpoint, exit status 1, and --resume finishes the run. */
static void
test_interrupt (void)
{
  Fixture f = { 0 };
  g_autofree char *run = NULL, *err = NULL, *tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (!fixture_init (&f, 40, ""))
    return;
  run = g_build_filename (f.dir, "run", NULL);
  proc = spawn_train (f.recipe, "--run-dir", run, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  g_assert_nonnull (line);
  g_subprocess_send_signal (proc, SIGINT);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &tail, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "checkpoint"));
  g_assert_nonnull (strstr (err, "--resume"));
  g_assert_cmpuint (check_checkpoints (run), >, 0);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_train ("--resume", run, NULL, &err), ==, 0);
  check_metrics (run, total_steps (run));
  fixture_clear (&f);
}

/* Bad input: a clear message naming what is wrong, nothing written. */
static void
test_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whetstone-cli-train-XXXXXX", NULL);
  g_autofree char *recipe = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (recipe, "{\"train\": {\"epoch\": 3}}", -1, NULL));
  g_assert_cmpint (run_train (recipe, "--run-dir", run, &err), ==, 1);
  g_assert_nonnull (strstr (err, "train.epoch"));
  g_assert_false (g_file_test (run, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (recipe, "{\"model\": \"nowhere\", \"dataset\": \"missing.jsonl\"}", -1, NULL));
  g_assert_cmpint (run_train (recipe, "--run-dir", run, &err), ==, 1);
  g_assert_nonnull (strstr (err, "nowhere"));
  g_clear_pointer (&err, g_free);

  /* --resume of a folder that holds no run. */
  g_assert_cmpint (run_train ("--resume", dir, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, dir));

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/cli-train/kill-resume", test_kill_resume);
  g_test_add_func ("/cli-train/interrupt", test_interrupt);
  g_test_add_func ("/cli-train/bad-input", test_bad_input);
  return g_test_run ();
}
