/* wh-cli-bench.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `whetstone-cli bench gemm`: GFLOP/s of the matrix products a
 * 1B-parameter Llama (Llama-3.2-1B: hidden 2048, MLP 8192, 32 query and
 * 8 key/value heads of 64) computes over 512 tokens, with CLBlast's own
 * parameters and with this device's tuning, beside OpenBLAS on the host
 * processor, measured in the same run. */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#if HAVE_OPENBLAS
# include <cblas.h>
#endif

#include "wh-cli.h"

typedef struct
{
  const char    *label;
  WhClTranspose  ta, tb;
  gsize          m, n, k;
  gsize          batch;
} Shape;

/* Weights are stored (out, in) as in Hugging Face checkpoints, so the
 * forward product x·Wᵀ is NT; the input gradient dy·W is NN; the weight
 * gradient dyᵀ·x is TN. */
static const Shape shapes_1b[] = {
  { "square 1024",                WH_CL_NO_TRANS, WH_CL_NO_TRANS, 1024, 1024, 1024, 1 },
  { "q/o proj  x·Wᵀ",             WH_CL_NO_TRANS, WH_CL_TRANS,     512, 2048, 2048, 1 },
  { "k/v proj  x·Wᵀ",             WH_CL_NO_TRANS, WH_CL_TRANS,     512,  512, 2048, 1 },
  { "gate/up   x·Wᵀ",             WH_CL_NO_TRANS, WH_CL_TRANS,     512, 8192, 2048, 1 },
  { "down      x·Wᵀ",             WH_CL_NO_TRANS, WH_CL_TRANS,     512, 2048, 8192, 1 },
  { "down      dx = dy·W",        WH_CL_NO_TRANS, WH_CL_NO_TRANS,  512, 8192, 2048, 1 },
  { "q proj    dW = dyᵀ·x",       WH_CL_TRANS,    WH_CL_NO_TRANS, 2048, 2048,  512, 1 },
  { "LoRA A    x·Aᵀ (r=16)",      WH_CL_NO_TRANS, WH_CL_TRANS,     512,   16, 2048, 1 },
  { "LoRA B    h·Bᵀ (r=16)",      WH_CL_NO_TRANS, WH_CL_TRANS,     512, 2048,   16, 1 },
  { "LoRA dA   dhᵀ·x (r=16)",     WH_CL_TRANS,    WH_CL_NO_TRANS,   16, 2048,  512, 1 },
  { "attention q·kᵀ ×32 heads",   WH_CL_NO_TRANS, WH_CL_TRANS,     512,  512,   64, 32 },
  { "attention p·v ×32 heads",    WH_CL_NO_TRANS, WH_CL_NO_TRANS,  512,   64,  512, 32 },
};

static const Shape shapes_quick[] = {
  { "square 256",                 WH_CL_NO_TRANS, WH_CL_NO_TRANS,  256,  256,  256, 1 },
  { "proj x·Wᵀ",                  WH_CL_NO_TRANS, WH_CL_TRANS,     128,  512,  512, 1 },
  { "LoRA A x·Aᵀ (r=8)",          WH_CL_NO_TRANS, WH_CL_TRANS,     128,    8,  512, 1 },
};

typedef struct
{
  double default_gflops;
  double tuned_gflops;
  double peer_gflops;
} Result;

typedef struct
{
  WhClBuffer *a, *b, *c;
  float      *host_a, *host_b, *host_c;
} Operands;

static gsize
rows_a (const Shape *s) { return s->ta == WH_CL_TRANS ? s->k : s->m; }
static gsize
cols_a (const Shape *s) { return s->ta == WH_CL_TRANS ? s->m : s->k; }
static gsize
rows_b (const Shape *s) { return s->tb == WH_CL_TRANS ? s->n : s->k; }
static gsize
cols_b (const Shape *s) { return s->tb == WH_CL_TRANS ? s->k : s->n; }

static void
operands_clear (Operands *op)
{
  g_clear_pointer (&op->a, wh_cl_buffer_free);
  g_clear_pointer (&op->b, wh_cl_buffer_free);
  g_clear_pointer (&op->c, wh_cl_buffer_free);
  g_clear_pointer (&op->host_a, g_free);
  g_clear_pointer (&op->host_b, g_free);
  g_clear_pointer (&op->host_c, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Operands, operands_clear)

static gboolean
operands_init (Operands     *op,
               WhClContext  *ctx,
               const Shape  *s,
               GError      **error)
{
  gsize na = s->batch * rows_a (s) * cols_a (s);
  gsize nb = s->batch * rows_b (s) * cols_b (s);
  gsize nc = s->batch * s->m * s->n;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  op->host_a = g_new (float, na);
  op->host_b = g_new (float, nb);
  op->host_c = g_new0 (float, nc);
  for (gsize i = 0; i < na; i++)
    op->host_a[i] = g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < nb; i++)
    op->host_b[i] = g_rand_double_range (rand, -1, 1);

  if (ctx == NULL)
    return TRUE;

  return (op->a = wh_cl_buffer_new (ctx, na * sizeof (float), error)) &&
         (op->b = wh_cl_buffer_new (ctx, nb * sizeof (float), error)) &&
         (op->c = wh_cl_buffer_new (ctx, nc * sizeof (float), error)) &&
         wh_cl_buffer_write (op->a, 0, op->host_a, na * sizeof (float), error) &&
         wh_cl_buffer_write (op->b, 0, op->host_b, nb * sizeof (float), error);
}

static gboolean
device_gemm (WhClContext  *ctx,
             const Shape  *s,
             Operands     *op,
             GError      **error)
{
  WhClMatrix a = { op->a, 0, cols_a (s) };
  WhClMatrix b = { op->b, 0, cols_b (s) };
  WhClMatrix c = { op->c, 0, s->n };

  if (s->batch == 1)
    return wh_cl_gemm (ctx, s->ta, s->tb, s->m, s->n, s->k, 1.0f, &a, &b, 0.0f, &c, error);

  return wh_cl_gemm_strided_batched (ctx, s->ta, s->tb, s->m, s->n, s->k, 1.0f,
                                     &a, rows_a (s) * cols_a (s),
                                     &b, rows_b (s) * cols_b (s),
                                     0.0f, &c, s->m * s->n, s->batch, error);
}

/* Best of several runs after a warm-up run (which also builds the
 * kernels), at least 0.5 s of runs in all. */
static double
time_device (WhClContext  *ctx,
             const Shape  *s,
             GError      **error)
{
  g_auto(Operands) op = { 0 };
  double best = G_MAXDOUBLE;
  double total = 0;

  if (!operands_init (&op, ctx, s, error) ||
      !device_gemm (ctx, s, &op, error) ||
      !wh_cl_context_finish (ctx, error))
    return -1;

  for (guint rep = 0; rep < 20 && (rep < 3 || total < 0.5); rep++)
    {
      gint64 start = g_get_monotonic_time ();
      double t;

      if (!device_gemm (ctx, s, &op, error) || !wh_cl_context_finish (ctx, error))
        return -1;
      t = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, t);
      total += t;
    }

  return 2.0 * s->batch * s->m * s->n * s->k / best * 1e-9;
}

/* The frozen projections' products over 512 tokens (the m = 512 rows of
 * shapes_1b with n and k of at least 2048: q/o, gate/up, down and down's
 * dx), which carry most of a LoRA step's FLOPs. */
static gboolean
is_peak_shape (const Shape *s)
{
  return s->batch == 1 && s->ta == WH_CL_NO_TRANS && s->m == 512 && s->n >= 2048 && s->k >= 2048;
}

/* The measured peak that `bench train` relates its model FLOPs to: the
 * best GFLOP/s of the peak shapes with @ctx's GEMM parameters.  Their
 * buffers are freed before it returns. */
double
wh_cli_bench_gemm_peak (WhClContext  *ctx,
                        GError      **error)
{
  double best = 0;

  g_return_val_if_fail (ctx != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (shapes_1b); i++)
    {
      const Shape *s = &shapes_1b[i];
      double gflops;

      if (!is_peak_shape (s))
        continue;
      if ((gflops = time_device (ctx, s, error)) < 0)
        return -1;
      best = MAX (best, gflops);
    }
  return best;
}

#if HAVE_OPENBLAS
static void
host_gemm (const Shape *s,
           Operands    *op)
{
  for (gsize i = 0; i < s->batch; i++)
    cblas_sgemm (CblasRowMajor,
                 s->ta == WH_CL_TRANS ? CblasTrans : CblasNoTrans,
                 s->tb == WH_CL_TRANS ? CblasTrans : CblasNoTrans,
                 s->m, s->n, s->k, 1.0f,
                 op->host_a + i * rows_a (s) * cols_a (s), cols_a (s),
                 op->host_b + i * rows_b (s) * cols_b (s), cols_b (s),
                 0.0f, op->host_c + i * s->m * s->n, s->n);
}

static double
time_openblas (const Shape *s)
{
  g_auto(Operands) op = { 0 };
  double best = G_MAXDOUBLE;
  double total = 0;

  operands_init (&op, NULL, s, NULL);
  host_gemm (s, &op);

  for (guint rep = 0; rep < 20 && (rep < 3 || total < 0.5); rep++)
    {
      gint64 start = g_get_monotonic_time ();
      double t;

      host_gemm (s, &op);
      t = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, t);
      total += t;
    }

  return 2.0 * s->batch * s->m * s->n * s->k / best * 1e-9;
}
#endif

/* The same peak shapes with OpenBLAS on the host processor: what the
 * processor itself reaches, for a CPU device.  0 without OpenBLAS. */
double
wh_cli_bench_openblas_peak (void)
{
  double best = 0;

#if HAVE_OPENBLAS
  for (guint i = 0; i < G_N_ELEMENTS (shapes_1b); i++)
    if (is_peak_shape (&shapes_1b[i]))
      best = MAX (best, time_openblas (&shapes_1b[i]));
#endif
  return best;
}

static const char *
peer_name (void)
{
#if HAVE_OPENBLAS
  static char name[128];

  g_snprintf (name, sizeof name, "OpenBLAS %s (%s)", openblas_get_corename (),
              g_strstrip (openblas_get_config ()));
  return name;
#else
  return NULL;
#endif
}

static int
bench_gemm (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_spec = NULL;
  g_autofree Result *results = NULL;
  gboolean json = FALSE;
  gboolean quick = FALSE;
  gboolean no_tune = FALSE;
  gboolean tuned = FALSE;
  double budget = 0;
  const Shape *shapes;
  guint n_shapes;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device to measure (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, N_("Small shapes only, to check that it runs"), NULL },
    { "no-tune", 0, 0, G_OPTION_ARG_NONE, &no_tune, N_("Do not tune when no tuning is cached"), NULL },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, N_("Seconds tuning may take, when it runs (default 300)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Measures matrix products of the shapes a 1B-parameter model computes, "
                                  "first with CLBlast’s own parameters, then with this device’s tuning "
                                  "(tuning first if none is cached), beside OpenBLAS on the processor."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;

  shapes = quick ? shapes_quick : shapes_1b;
  n_shapes = quick ? G_N_ELEMENTS (shapes_quick) : G_N_ELEMENTS (shapes_1b);
  results = g_new0 (Result, n_shapes);

  if (!(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new_full (device, WH_CL_CONTEXT_FLAGS_UNTUNED, &error)))
    return wh_cli_fail (error);

  /* This measures CLBlast and its tuning, also on a CPU device, where
   * training goes through the host's BLAS (the OpenBLAS column). */
  wh_cl_gemm_set_path (ctx, WH_CL_GEMM_PATH_CLBLAST, NULL);

  if (!json)
    g_printerr (_("Measuring with CLBlast’s own parameters on %s…\n"), device->name);
  for (guint i = 0; i < n_shapes; i++)
    if ((results[i].default_gflops = time_device (ctx, &shapes[i], &error)) < 0)
      return wh_cli_fail (error);

  if (wh_cl_gemm_has_cached_tuning (ctx))
    {
      if (!wh_cl_gemm_apply_cached_tuning (ctx, &error))
        return wh_cli_fail (error);
      tuned = TRUE;
    }
  else if (!no_tune)
    {
      if (!wh_cli_run_tuning (ctx, budget, json, NULL, &error))
        return wh_cli_fail (error);
      tuned = TRUE;
    }

  if (tuned)
    {
      if (!json)
        g_printerr (_("Measuring with this device’s tuning…\n"));
      for (guint i = 0; i < n_shapes; i++)
        if ((results[i].tuned_gflops = time_device (ctx, &shapes[i], &error)) < 0)
          return wh_cli_fail (error);
    }

#if HAVE_OPENBLAS
  if (!json)
    g_printerr (_("Measuring %s on the processor…\n"), peer_name ());
  for (guint i = 0; i < n_shapes; i++)
    results[i].peer_gflops = time_openblas (&shapes[i]);
#endif

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, device->name);
      json_builder_set_member_name (b, "peer");
      if (peer_name ())
        json_builder_add_string_value (b, peer_name ());
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "shapes");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_shapes; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, shapes[i].label);
          json_builder_set_member_name (b, "m");
          json_builder_add_int_value (b, shapes[i].m);
          json_builder_set_member_name (b, "n");
          json_builder_add_int_value (b, shapes[i].n);
          json_builder_set_member_name (b, "k");
          json_builder_add_int_value (b, shapes[i].k);
          json_builder_set_member_name (b, "batch");
          json_builder_add_int_value (b, shapes[i].batch);
          json_builder_set_member_name (b, "default_gflops");
          json_builder_add_double_value (b, results[i].default_gflops);
          json_builder_set_member_name (b, "tuned_gflops");
          if (tuned)
            json_builder_add_double_value (b, results[i].tuned_gflops);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "peer_gflops");
          if (results[i].peer_gflops > 0)
            json_builder_add_double_value (b, results[i].peer_gflops);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
      return WH_CLI_EXIT_OK;
    }

  g_print ("GEMM, GFLOP/s, on %s\n", device->name);
  if (peer_name ())
    g_print ("peer: %s\n", peer_name ());
  g_print ("%-28s %16s %9s %9s %9s %8s\n", "shape", "m×n×k", "default", "tuned", "OpenBLAS", "tuned/OB");
  for (guint i = 0; i < n_shapes; i++)
    {
      const Shape *s = &shapes[i];
      g_autofree char *dims = g_strdup_printf ("%zu×%zu×%zu", s->m, s->n, s->k);
      g_autofree char *t = tuned ? g_strdup_printf ("%9.1f", results[i].tuned_gflops) : g_strdup ("        –");
      g_autofree char *p = results[i].peer_gflops > 0 ? g_strdup_printf ("%9.1f", results[i].peer_gflops) : g_strdup ("        –");
      g_autofree char *r = (tuned && results[i].peer_gflops > 0)
        ? g_strdup_printf ("%7.0f%%", 100.0 * results[i].tuned_gflops / results[i].peer_gflops)
        : g_strdup ("       –");
      /* “×” and “·” are two bytes each: pad by display width. */
      int pad_label = 28 + (int) (strlen (s->label) - g_utf8_strlen (s->label, -1));
      int pad_dims = 16 + (int) (strlen (dims) - g_utf8_strlen (dims, -1));

      g_print ("%-*s %*s %9.1f %s %s %s\n", pad_label, s->label, pad_dims, dims,
               results[i].default_gflops, t, p, r);
    }

  return WH_CLI_EXIT_OK;
}

int
wh_cli_bench (int    argc,
              char **argv)
{
  if (argc < 2 || g_str_has_prefix (argv[1], "-"))
    {
      g_print ("%s\n\n  gemm       %s\n  tokenize   %s\n  generate   %s\n  train      %s\n  data       %s\n",
               _("Usage: whetstone-cli bench WHAT [OPTIONS…]"),
               _("Matrix products of a 1B-parameter model’s shapes"),
               _("Encoding speed of a tokenizer on English text"),
               _("Prompt processing and generation speed of a model"),
               _("LoRA training speed and FLOPs utilisation of a model"),
               _("Importing and checking a generated 100,000-example dataset"));
      return argc < 2 ? WH_CLI_EXIT_USAGE : WH_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "gemm"))
    return bench_gemm (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "tokenize"))
    return wh_cli_bench_tokenize (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "generate"))
    return wh_cli_bench_generate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "train"))
    return wh_cli_bench_train (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "data"))
    return wh_cli_bench_data (argc - 1, argv + 1);

  g_printerr (_("whetstone-cli: unknown benchmark “%s”; try “gemm”, “tokenize”, “generate”, “train” or “data”.\n"), argv[1]);
  return WH_CLI_EXIT_USAGE;
}
