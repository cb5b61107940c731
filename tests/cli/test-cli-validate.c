/* test-cli-validate.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* whetstone-cli validate as a script uses it: exit status 0 when there is
 * something to train on, 1 when not, 2 when the file cannot be read. */

static int
validate (const char  *path,
          char       **out)
{
  const char *argv[] = { g_getenv ("WH_CLI"), "validate", path, "--json", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_exit_statuses (void)
{
  g_autofree char *sample = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "samples", "support-chatbot.jsonl", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whetstone-validate-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.jsonl", NULL);
  g_autofree char *binary = g_build_filename (dir, "book.xlsx", NULL);
  g_autofree char *out = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_cmpint (validate (sample, &out), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "openai");
  g_assert_true (json_object_get_boolean_member (root, "usable"));
  g_assert_cmpint (json_object_get_int_member (root, "examples"), >=, 60);

  g_assert_true (g_file_set_contents (broken, "{\"messages\": [\n{\"messages\": []}\n", -1, NULL));
  g_assert_cmpint (validate (broken, &out1), ==, 1);

  g_assert_true (g_file_set_contents (binary, "PK\003\004\024\000\006\000binary", 16, NULL));
  g_assert_cmpint (validate (binary, &out2), ==, 2);

  g_unlink (broken);
  g_unlink (binary);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/cli/validate/exit-statuses", test_exit_statuses);
  return g_test_run ();
}
