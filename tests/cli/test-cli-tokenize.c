/* test-cli-tokenize.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wh-tokenizer.h"

/* whetstone-cli tokenize and template, run as a user would, against the
 * library they wrap (itself checked against the reference tokenizers). */

static char *
run_cli (int         *status,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("WH_CLI"));
  g_ptr_array_add (argv, (gpointer) first);
  va_start (args, first);
  for (const char *a = va_arg (args, const char *); a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, &out, err, status, &error));
  g_assert_no_error (error);
  return out;
}

static GArray *
ids_of_json (const char *json,
             const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  JsonArray *list;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), member);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      gint32 id = json_array_get_int_element (list, i);
      g_array_append_val (ids, id);
    }
  return ids;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpmem (a->data, a->len * sizeof (gint32), b->data, b->len * sizeof (gint32));
}

/* tokenize --json gives the library's ids, with and without BOS and
 * special parsing; --decode gives the text back. */
static void
check_model (const char *model)
{
  const char *text = "Hello <|im_end|> world, 12345 ça 日本 🙂";
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = wh_tokenizer_new_from_file (model, &error);
  static const struct { const char *flag; WhEncodeFlags flags; } modes[] = {
    { NULL, WH_ENCODE_ADD_SPECIAL | WH_ENCODE_PARSE_SPECIAL },
    { "--no-bos", WH_ENCODE_PARSE_SPECIAL },
    { "--no-special", WH_ENCODE_ADD_SPECIAL },
  };

  g_assert_no_error (error);
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = NULL;
      g_autoptr(GArray) got = NULL;
      g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (gint32));
      int status;

      if (modes[m].flag != NULL)
        out = run_cli (&status, &err, "tokenize", "--model", model, "--text", text, "--json", modes[m].flag, NULL);
      else
        out = run_cli (&status, &err, "tokenize", "--model", model, "--text", text, "--json", NULL);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      got = ids_of_json (out, "ids");
      g_assert_true (wh_tokenizer_encode (tok, text, -1, modes[m].flags, want, NULL));
      assert_same_ids (got, want);

      if (m == 1)
        {
          GString *list = g_string_new (NULL);
          g_autofree char *decoded = NULL;
          g_autofree char *err2 = NULL;

          for (guint i = 0; i < got->len; i++)
            g_string_append_printf (list, "%d ", g_array_index (got, gint32, i));
          decoded = run_cli (&status, &err2, "tokenize", "--model", model, "--decode", "--text", list->str, NULL);
          g_string_free (list, TRUE);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
          g_assert_cmpstr (g_strchomp (decoded), ==, text);
        }
    }
}

static void
test_fixtures (void)
{
  const char *names[] = { "bytelevel-qwen2", "metaspace", "spm-legacy" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "tokenizers", names[i], NULL);

      check_model (dir);
    }
}

static void
test_every_vocab (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *dir = root != NULL ? g_build_filename (root, "vocab", NULL) : NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;
  guint n = 0;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (../shared/testdata/vocab) is absent");
      return;
    }

  listing = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (entry, ".gguf"))
      {
        g_autofree char *path = g_build_filename (dir, entry, NULL);

        g_test_message ("%s", entry);
        check_model (path);
        n++;
      }
  g_assert_cmpuint (n, ==, 11);
}

static void
test_template (void)
{
  g_autofree char *model = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "tokenizers", "bytelevel-qwen2", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whetstone-cli-XXXXXX", NULL);
  g_autofree char *conversation = g_build_filename (dir, "chat.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) mask = NULL;
  JsonObject *root;
  int status;
  guint learned = 0;

  g_assert_true (g_file_set_contents (conversation,
                                      "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
                                      " {\"role\": \"assistant\", \"content\": \"Hello there\"}]}", -1, NULL));
  out = run_cli (&status, &err, "template", "--model", model, "--conversation", conversation,
                 "--family", "chatml", "--json", NULL);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "family"), ==, "chatml");
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==,
                   "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello there<|im_end|>\n");
  ids = ids_of_json (out, "ids");
  mask = ids_of_json (out, "mask");
  g_assert_cmpuint (ids->len, ==, mask->len);
  for (guint i = 0; i < mask->len; i++)
    learned += g_array_index (mask, gint32, i);
  g_assert_cmpuint (learned, >, 1);
  g_assert_cmpuint (learned, <, ids->len);

  /* A bad role is named, with its message number, and exits 1. */
  g_assert_true (g_file_set_contents (bad, "{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}", -1, NULL));
  out2 = run_cli (&status, &err2, "template", "--model", model, "--conversation", bad, "--family", "chatml", NULL);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err2, "robot"));
  g_assert_nonnull (strstr (err2, "message 1"));

  g_unlink (conversation);
  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_errors (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  out = run_cli (&status, &err, "tokenize", "--model", "/nonexistent/tokenizer.json", "--text", "x", NULL);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "/nonexistent/tokenizer.json"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/tokenize/fixtures", test_fixtures);
  g_test_add_func ("/cli/tokenize/every-vocab", test_every_vocab);
  g_test_add_func ("/cli/template", test_template);
  g_test_add_func ("/cli/errors", test_errors);

  return g_test_run ();
}
