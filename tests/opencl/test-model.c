/* test-model.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "wh-adapter.h"
#include "wh-generate.h"
#include "wh-model.h"
#include "wh-test-cl.h"

/* The whole model on the device: the real stories260K's greedy text from
 * both of its formats (../shared), and logits against the PyTorch
 * fixtures in tests/reference/models/. */

#define GOLDEN "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. " \
               "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\nLily"

static char *
shared_model (const char *name)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *path = NULL;

  if (root == NULL)
    return NULL;
  path = g_build_filename (root, "models", "stories260K", name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS) ? g_steal_pointer (&path) : NULL;
}

static void
check_golden (const char *name)
{
  g_autofree char *path = shared_model (name);
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) text = g_string_new ("Once upon a time");
  WhGenerateOptions options;
  WhGenerateStats stats;
  const gint32 expected_prompt[] = { 1, 403, 407, 261, 378 };

  if (path == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  model = wh_model_load (ctx, path, 128, &error);
  g_assert_no_error (error);

  g_assert_true (wh_tokenizer_encode (wh_model_get_tokenizer (model), "Once upon a time", -1,
                                      WH_ENCODE_ADD_SPECIAL, ids, &error));
  g_assert_cmpmem (ids->data, ids->len * sizeof (gint32), expected_prompt, sizeof expected_prompt);

  /* 64 positions after BOS, as llama2.c counts: 60 new tokens. */
  wh_generate_options_init (&options);
  options.max_tokens = 60;
  g_assert_true (wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                                    NULL, NULL, NULL, text, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.generated_tokens, ==, 60);
  g_assert_cmpstr (text->str, ==, GOLDEN);
}

static void
test_stories_hf (void)
{
  check_golden ("hf");
}

static void
test_stories_gguf (void)
{
  check_golden ("stories260K-f32.gguf");
}

/* The two formats give the same logits (GGUF's permuted q/k rows undone). */
static void
test_stories_formats_agree (void)
{
  g_autofree char *hf = shared_model ("hf");
  g_autofree char *gguf = shared_model ("stories260K-f32.gguf");
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 ids[] = { 1, 403, 407, 261, 378, 11, 300, 301 };
  float a[512 * 2], b[512 * 2];
  double max_diff = 0;

  if (hf == NULL || gguf == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  {
    g_autoptr(WhModel) m1 = wh_model_load (ctx, hf, 64, &error);
    g_assert_no_error (error);
    g_assert_true (wh_model_forward (m1, ids, G_N_ELEMENTS (ids), 0, a, 2, &error));
  }
  {
    g_autoptr(WhModel) m2 = wh_model_load (ctx, gguf, 64, &error);
    g_assert_no_error (error);
    g_assert_true (wh_model_forward (m2, ids, G_N_ELEMENTS (ids), 0, b, 2, &error));
  }
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    max_diff = MAX (max_diff, fabs (a[i] - b[i]));
  g_test_message ("max |hf - gguf| = %g", max_diff);
  g_assert_cmpfloat (max_diff, <=, 1e-4);
}

static float *
read_floats (const char *path,
             gsize       expected)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, ==, expected * sizeof (float));
  return (float *) g_steal_pointer (&data);
}

static double
max_abs_diff (const float *a,
              const float *b,
              gsize        n)
{
  double d = 0;

  for (gsize i = 0; i < n; i++)
    d = MAX (d, fabs ((double) a[i] - b[i]));
  return d;
}

/* Logits of every position, then of an incremental decode through the
 * KV cache, against transformers (see tests/reference/models/README.md). */
static void
test_fixture (gconstpointer data)
{
  JsonObject *fixture = (JsonObject *) data;
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  const char *name = json_object_get_string_member (fixture, "name");
  g_autofree char *dir = g_build_filename (root, "models", name, NULL);
  g_autofree char *model_path = g_build_filename (root, "models", json_object_get_string_member (fixture, "model"), NULL);
  g_autofree char *inputs_path = g_build_filename (dir, "inputs.json", NULL);
  g_autofree char *logits_path = g_build_filename (dir, "logits.bin", NULL);
  g_autofree char *incr_path = g_build_filename (dir, "logits_incremental.bin", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint32 *ids = NULL;
  g_autofree float *expected = NULL;
  g_autofree float *expected_incr = NULL;
  g_autofree float *got = NULL;
  double tolerance = json_object_get_double_member (fixture, "tolerance");
  JsonObject *inputs;
  JsonArray *list;
  gsize n, vocab, n_prefill, n_incr;
  double diff;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  g_assert_true (json_parser_load_from_file (parser, inputs_path, NULL));
  inputs = json_node_get_object (json_parser_get_root (parser));
  list = json_object_get_array_member (inputs, "input_ids");
  n = json_array_get_length (list);
  vocab = json_object_get_int_member (inputs, "vocab_size");
  n_prefill = json_object_get_int_member (inputs, "n_prefill");
  n_incr = json_object_get_int_member (inputs, "n_incremental");
  g_assert_cmpuint (n_prefill + n_incr, ==, n);
  ids = g_new (gint32, n);
  for (gsize i = 0; i < n; i++)
    ids[i] = json_array_get_int_element (list, i);
  expected = read_floats (logits_path, n * vocab);
  expected_incr = read_floats (incr_path, n_incr * vocab);

  model = wh_model_load (ctx, model_path, 64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_model_get_config (model)->vocab_size, ==, vocab);

  got = g_new (float, n * vocab);
  g_assert_true (wh_model_forward (model, ids, n, 0, got, n, &error));
  g_assert_no_error (error);
  diff = max_abs_diff (got, expected, n * vocab);
  g_test_message ("%s: max |logits - reference| = %.3g (tolerance %g)", name, diff, tolerance);
  g_assert_cmpfloat (diff, <=, tolerance);

  g_assert_true (wh_model_forward (model, ids, n_prefill, 0, NULL, 0, &error));
  for (gsize t = 0; t < n_incr; t++)
    g_assert_true (wh_model_forward (model, ids + n_prefill + t, 1, n_prefill + t, got + t * vocab, 1, &error));
  g_assert_no_error (error);
  diff = max_abs_diff (got, expected_incr, n_incr * vocab);
  g_test_message ("%s: incremental max diff = %.3g", name, diff);
  g_assert_cmpfloat (diff, <=, tolerance);
}

/* A model folder in a temporary directory: llama-gqa's weights with a
 * config edited by @edit (old → new text). */
static char *
make_model_dir (const char *old_text,
                const char *new_text)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *src = g_build_filename (root, "models", "llama-gqa", NULL);
  g_autofree char *config_path = g_build_filename (src, "config.json", NULL);
  g_autofree char *weights_path = g_build_filename (src, "model.safetensors", NULL);
  g_autofree char *config = NULL;
  g_autofree char *weights = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *edited = NULL;
  gsize weights_len;
  char *dir = g_dir_make_tmp ("whetstone-model-XXXXXX", NULL);
  g_autofree char *dst_config = g_build_filename (dir, "config.json", NULL);
  g_autofree char *dst_weights = g_build_filename (dir, "model.safetensors", NULL);

  g_assert_true (g_file_get_contents (config_path, &config, NULL, NULL));
  g_assert_true (g_file_get_contents (weights_path, &weights, &weights_len, NULL));
  g_assert_nonnull (strstr (config, old_text));
  parts = g_strsplit (config, old_text, 2);
  edited = g_strjoin (new_text, parts[0], parts[1], NULL);
  g_assert_true (g_file_set_contents (dst_config, edited, -1, NULL));
  g_assert_true (g_file_set_contents (dst_weights, weights, weights_len, NULL));
  return dir;
}

static void
remove_model_dir (const char *dir)
{
  g_autofree char *a = g_build_filename (dir, "config.json", NULL);
  g_autofree char *b = g_build_filename (dir, "model.safetensors", NULL);

  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

static void
test_bad_models (void)
{
  static const struct
  {
    const char *old_text;
    const char *new_text;
    int         code;
    const char *mentions;
  } cases[] = {
    { "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", WH_MODEL_ERROR_WEIGHTS, "model.layers.2." },
    { "\"intermediate_size\": 96", "\"intermediate_size\": 97", WH_MODEL_ERROR_WEIGHTS, "shape" },
    { "LlamaForCausalLM", "GPT2LMHeadModel", WH_MODEL_ERROR_UNSUPPORTED, "GPT2LMHeadModel" },
    { "\"hidden_size\": 64,", "", WH_MODEL_ERROR_CONFIG, "hidden_size" },
  };
  g_autoptr(WhClContext) ctx = NULL;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = make_model_dir (cases[i].old_text, cases[i].new_text);
      g_autoptr(GError) error = NULL;
      g_autoptr(WhModel) model = wh_model_load (ctx, dir, 64, &error);

      g_assert_null (model);
      g_test_message ("%s", error->message);
      g_assert_error (error, WH_MODEL_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      /* Nothing stays allocated after a failure. */
      g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 0);
      remove_model_dir (dir);
    }
}

/* Too large for the device: refused before anything is allocated, with
 * the numbers. */
static void
test_too_large (void)
{
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhModel) model = NULL;
  WhModelConfig config = { 0 };

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  config.arch = WH_MODEL_ARCH_LLAMA;
  config.vocab_size = 256000;
  config.hidden_size = 16384;
  config.intermediate_size = 53248;
  config.n_layers = 126;
  config.n_heads = 128;
  config.n_kv_heads = 8;
  config.head_dim = 128;
  config.rms_norm_eps = 1e-5;
  config.rope_theta = 500000;

  model = wh_model_new_random (ctx, &config, WH_CL_DTYPE_Q4_0, 1, 4096, &error);
  g_assert_null (model);
  g_assert_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "GiB"));
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 0);
}

typedef struct
{
  GString      *streamed;
  guint         pieces;
  guint         cancel_after;
  GCancellable *cancellable;
} Stream;

static void
on_piece (const char *text,
          gpointer    user_data)
{
  Stream *s = user_data;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_string_append (s->streamed, text);
  if (++s->pieces == s->cancel_after)
    g_cancellable_cancel (s->cancellable);
}

/* Streaming gives the same text as the result; a stop string ends the
 * text before it; cancelling stops between tokens. */
static void
test_generation_controls (void)
{
  g_autofree char *path = shared_model ("hf");
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  const char *stops[] = { "named", NULL };
  WhGenerateOptions options;
  WhGenerateStats stats;

  if (path == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  model = wh_model_load (ctx, path, 128, &error);
  g_assert_no_error (error);
  g_assert_true (wh_tokenizer_encode (wh_model_get_tokenizer (model), "Once upon a time", -1,
                                      WH_ENCODE_ADD_SPECIAL, ids, &error));

  {
    g_autoptr(GString) text = g_string_new (NULL);
    Stream s = { g_string_new (NULL), 0, 0, NULL };

    wh_generate_options_init (&options);
    options.max_tokens = 60;
    options.stop_strings = stops;
    g_assert_true (wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                                      on_piece, &s, NULL, text, NULL, &stats, &error));
    g_assert_cmpstr (text->str, ==, ", there was a little girl ");
    g_assert_cmpstr (s.streamed->str, ==, text->str);
    g_assert_true (stats.stopped);
    g_assert_cmpuint (s.pieces, >, 1);
    g_string_free (s.streamed, TRUE);
  }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Stream s = { g_string_new (NULL), 0, 3, cancellable };

    wh_generate_options_init (&options);
    options.max_tokens = 60;
    g_assert_false (wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                                       on_piece, &s, cancellable, NULL, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (s.pieces, ==, 3);
    g_string_free (s.streamed, TRUE);
  }

  /* Sampling is reproducible from its seed. */
  {
    g_autoptr(GString) a = g_string_new (NULL);
    g_autoptr(GString) b = g_string_new (NULL);

    g_clear_error (&error);
    wh_generate_options_init (&options);
    options.max_tokens = 30;
    options.sampler.temperature = 1.0;
    options.sampler.top_p = 0.95;
    options.sampler.seed = 1234;
    g_assert_true (wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                                      NULL, NULL, NULL, a, NULL, NULL, &error));
    g_assert_true (wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                                      NULL, NULL, NULL, b, NULL, NULL, &error));
    g_assert_cmpstr (a->str, ==, b->str);
  }
}

/* A GGUF tensor of a type Whetstone cannot read is named. */
static void
test_unknown_tensor_type (void)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *src = g_build_filename (root, "models", "llama-gqa-gguf-q8_0", "llama-gqa-q8_0.gguf", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whetstone-gguf-XXXXXX", NULL);
  g_autofree char *dst = g_build_filename (dir, "model.gguf", NULL);
  g_autofree char *data = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = "blk.0.ffn_up.weight";
  gsize length;
  char *at;
  guint32 n_dims, type = 99;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  g_assert_true (g_file_get_contents (src, &data, &length, NULL));
  /* Tensor info: name, n_dims (u32), dims (u64 each), type (u32). */
  at = memmem (data, length, name, strlen (name));
  g_assert_nonnull (at);
  at += strlen (name);
  memcpy (&n_dims, at, 4);
  g_assert_cmpuint (n_dims, ==, 2);
  memcpy (at + 4 + 8 * n_dims, &type, 4);
  g_assert_true (g_file_set_contents (dst, data, length, NULL));

  model = wh_model_load (ctx, dst, 64, &error);
  g_assert_null (model);
  g_assert_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 0);

  g_unlink (dst);
  g_rmdir (dir);
}

/* PEFT adapters (tests/reference/adapters) change the logits exactly as
 * PEFT computes them; removing the adapter gives the base back. */
static void
test_adapter (gconstpointer data)
{
  const char *name = data;
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *dir = g_build_filename (root, "adapters", name, NULL);
  g_autofree char *base_json = g_build_filename (dir, "base.json", NULL);
  g_autofree char *inputs_path = g_build_filename (dir, "inputs.json", NULL);
  g_autofree char *logits_path = g_build_filename (dir, "logits.bin", NULL);
  g_autoptr(JsonParser) base_parser = json_parser_new ();
  g_autoptr(JsonParser) inputs_parser = json_parser_new ();
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *base_logits_path = NULL;
  g_autofree gint32 *ids = NULL;
  g_autofree float *expected = NULL;
  g_autofree float *base_expected = NULL;
  g_autofree float *got = NULL;
  JsonArray *list;
  gsize n, vocab;
  double diff;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  g_assert_true (json_parser_load_from_file (base_parser, base_json, NULL));
  base = g_build_filename (dir, json_object_get_string_member (json_node_get_object (json_parser_get_root (base_parser)),
                                                                "base_model"), NULL);
  base_logits_path = g_build_filename (base, "logits.bin", NULL);
  g_assert_true (json_parser_load_from_file (inputs_parser, inputs_path, NULL));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (inputs_parser)), "input_ids");
  vocab = json_object_get_int_member (json_node_get_object (json_parser_get_root (inputs_parser)), "vocab_size");
  n = json_array_get_length (list);
  ids = g_new (gint32, n);
  for (gsize i = 0; i < n; i++)
    ids[i] = json_array_get_int_element (list, i);
  expected = read_floats (logits_path, n * vocab);
  base_expected = read_floats (base_logits_path, n * vocab);
  got = g_new (float, n * vocab);

  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, dir, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  g_assert_true (wh_model_forward (model, ids, n, 0, got, n, &error));
  g_assert_no_error (error);
  diff = max_abs_diff (got, expected, n * vocab);
  g_test_message ("%s: max |logits - PEFT| = %.3g", name, diff);
  g_assert_cmpfloat (diff, <=, 1e-4);

  g_assert_true (wh_model_set_adapter (model, NULL, &error));
  g_assert_true (wh_model_forward (model, ids, n, 0, got, n, &error));
  g_assert_cmpfloat (max_abs_diff (got, base_expected, n * vocab), <=, 1e-4);
}

/* An adapter made for another model is refused by name. */
static void
test_adapter_mismatch (void)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *base = g_build_filename (root, "models", "llama-tied", NULL);
  g_autofree char *dir = g_build_filename (root, "adapters", "qwen2-lora", NULL);
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, dir, &error);
  g_assert_null (adapter);
  g_assert_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "another model"));
}

static JsonNode *
load_manifest (void)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (root == NULL)
    return NULL;
  path = g_build_filename (root, "models", "manifest.json", NULL);
  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

int
main (int   argc,
      char *argv[])
{
  JsonNode *manifest;
  JsonArray *fixtures;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/stories260K/hf", test_stories_hf);
  g_test_add_func ("/model/stories260K/gguf", test_stories_gguf);
  g_test_add_func ("/model/stories260K/formats-agree", test_stories_formats_agree);
  g_test_add_func ("/model/generation-controls", test_generation_controls);
  g_test_add_func ("/model/bad-models", test_bad_models);
  g_test_add_func ("/model/unknown-tensor-type", test_unknown_tensor_type);
  g_test_add_func ("/model/too-large", test_too_large);
  g_test_add_data_func ("/model/adapter/llama-gqa-lora", "llama-gqa-lora", test_adapter);
  g_test_add_data_func ("/model/adapter/llama-gqa-rslora", "llama-gqa-rslora", test_adapter);
  g_test_add_data_func ("/model/adapter/qwen2-lora", "qwen2-lora", test_adapter);
  g_test_add_func ("/model/adapter/mismatch", test_adapter_mismatch);

  manifest = load_manifest ();
  g_assert_nonnull (manifest);
  fixtures = json_object_get_array_member (json_node_get_object (manifest), "fixtures");
  for (guint i = 0; i < json_array_get_length (fixtures); i++)
    {
      JsonObject *fixture = json_array_get_object_element (fixtures, i);
      g_autofree char *path = g_strdup_printf ("/model/fixture/%s", json_object_get_string_member (fixture, "name"));

      g_test_add_data_func (path, fixture, test_fixture);
    }

  status = g_test_run ();
  json_node_unref (manifest);
  return status;
}
