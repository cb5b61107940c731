/* wh-cli-bench-train.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wh-cli.h"
#include "wh-train-step.h"

/* `whetstone-cli bench train`: LoRA training speed of a model file, or of
 * random weights shaped like Llama-3.2-1B or stories260K, on random token
 * sequences.  bench/train-peer.py runs the same step in PyTorch.
 *
 * Model FLOPs of one token, recomputation not counted:
 *   4·N    the frozen matrices (every layer's seven projections and the LM
 *          head, N their weights): forward 2N, gradient of the activations
 *          2N; frozen weights get no weight gradient;
 *   6·N_r  the LoRA matrices (N_r their weights): forward, activations'
 *          gradient and weights' gradient, 2·N_r each;
 *   6·L·T·H_q  attention under the causal mask, T the sequence length and
 *          H_q = heads × head_dim: a token meets T/2 keys on average;
 *          forward q·kᵀ and p·v, 2·(T/2)·H_q each, backward four products
 *          of the same size (dp, dv, dq, dk).
 * Norms, RoPE, SwiGLU, softmax and AdamW are left out.
 *
 * MFU is relative to a measured peak: the best GFLOP/s of f32 GEMMs of
 * Llama-3.2-1B's projection shapes over 512 tokens on the same context
 * (wh_cli_bench_gemm_peak(), as `bench gemm` times them), since every
 * frozen product is such a GEMM (other weight types are dequantised to
 * f32 rows first).  For a CPU device the same GEMMs are timed with
 * OpenBLAS on the host too, and the utilisation relative to that printed
 * beside: what the processor itself reaches, which a clock × FMA-width
 * estimate does not give reliably (from OpenCL's clock it came out below
 * OpenBLAS's rate on a 2-core EPYC). */

typedef struct
{
  const char    *name;
  const char    *label;
  WhModelConfig  config;
} Shape;

static const Shape shapes[] = {
  { "llama-3.2-1b", N_("random weights, Llama-3.2-1B shape"), {
      .arch = WH_MODEL_ARCH_LLAMA, .architecture = (char *) "LlamaForCausalLM",
      .vocab_size = 128256, .hidden_size = 2048, .intermediate_size = 8192,
      .n_layers = 16, .n_heads = 32, .n_kv_heads = 8, .head_dim = 64,
      .max_position_embeddings = 131072, .rms_norm_eps = 1e-5, .rope_theta = 500000,
      .rope_scaling = WH_ROPE_SCALING_LLAMA3, .rope_factor = 32, .rope_low_freq_factor = 1,
      .rope_high_freq_factor = 4, .rope_original_max_position = 8192,
      .tie_word_embeddings = TRUE } },
  { "stories260K", N_("random weights, stories260K shape"), {
      .arch = WH_MODEL_ARCH_LLAMA, .architecture = (char *) "LlamaForCausalLM",
      .vocab_size = 512, .hidden_size = 64, .intermediate_size = 172,
      .n_layers = 5, .n_heads = 8, .n_kv_heads = 4, .head_dim = 8,
      .max_position_embeddings = 512, .rms_norm_eps = 1e-5, .rope_theta = 10000,
      .tie_word_embeddings = TRUE } },
};

typedef struct
{
  double n_frozen;       /* weights of the frozen matrices */
  double n_lora;         /* weights of the LoRA matrices */
  double linear;         /* FLOPs per token, each term as described above */
  double lora;
  double attention;
} Flops;

static void
count_flops (const WhModelConfig *c,
             guint                rank,
             gsize                seq,
             Flops               *f)
{
  double h = c->hidden_size, q = (double) c->n_heads * c->head_dim;
  double kv = (double) c->n_kv_heads * c->head_dim, im = c->intermediate_size;
  /* in + out of q, k, v, o, gate, up, down */
  double lora_dims = (h + q) + 2 * (h + kv) + (q + h) + 3 * (h + im);

  f->n_frozen = c->n_layers * (h * q + 2 * h * kv + q * h + 3 * h * im) + (double) c->vocab_size * h;
  f->n_lora = (double) c->n_layers * rank * lora_dims;
  f->linear = 4 * f->n_frozen;
  f->lora = 6 * f->n_lora;
  f->attention = 6.0 * c->n_layers * seq * q;
}

static gboolean
parse_type (const char *name,
            WhClDType  *type)
{
  static const WhClDType types[] = { WH_CL_DTYPE_F32, WH_CL_DTYPE_F16, WH_CL_DTYPE_BF16 };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (name, wh_cl_dtype_to_string (types[i])) == 0)
      {
        *type = types[i];
        return TRUE;
      }
  return FALSE;
}

static const Shape *
find_shape (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    if (g_ascii_strcasecmp (name, shapes[i].name) == 0)
      return &shapes[i];
  return NULL;
}

/* One optimizer step over one sequence, finished on the device; @loss
 * gets its mean loss. */
static gboolean
train_step (WhClContext  *ctx,
            WhTrainStep  *step,
            GArray       *tokens,
            guint         t,
            double       *loss,
            GError      **error)
{
  const WhClAdamwParams adam = { 1e-4, 0.9, 0.999, 1e-8, 0.0 };
  const gint32 *ids = (const gint32 *) (gpointer) tokens->data;
  gsize n = tokens->len - 1;
  double loss_sum = 0;

  if (!wh_train_step_zero_grad (step, error) ||
      !wh_train_step_accumulate (step, ids, ids + 1, n, 1.0f / n, &loss_sum, error) ||
      !wh_train_step_optimize (step, &adam, t, 1.0, NULL, error) ||
      !wh_cl_context_finish (ctx, error))
    return FALSE;
  *loss = loss_sum / n;
  return TRUE;
}

typedef struct
{
  const char *model;
  const char *device;
  const char *weights;
  const char *path;              /* wh_cl_gemm_path_to_string() */
  gsize       seq;
  guint       steps;
  guint       rank;
  double      alpha;
  double      seconds_per_step;
  double      tokens_per_second;
  double      warmup_seconds;
  double      peak_gflops;       /* the MFU's denominator */
  gboolean    peak_given;        /* by --peak-gflops, else the measured GEMM peak */
  double      host_gflops;       /* OpenBLAS's peak, for a CPU device; 0: none */
  gboolean    random_weights;
  double      initial_loss;      /* of the warm-up step: the base model's */
  double      loss;              /* of the last step */
  guint       vocab;
  guint64     mem_peak;
  guint64     weights_bytes;
  Flops       flops;
} Report;

static double
flops_per_token (const Report *r)
{
  return r->flops.linear + r->flops.lora + r->flops.attention;
}

static void
print_json (const Report *r)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonObject) flops = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  double achieved = flops_per_token (r) * r->tokens_per_second / 1e9;

  json_object_set_string_member (o, "model", r->model);
  json_object_set_string_member (o, "device", r->device);
  json_object_set_string_member (o, "weights", r->weights);
  json_object_set_string_member (o, "gemm_path", r->path);
  json_object_set_int_member (o, "seq", r->seq);
  json_object_set_int_member (o, "steps", r->steps);
  json_object_set_int_member (o, "rank", r->rank);
  json_object_set_double_member (o, "alpha", r->alpha);
  json_object_set_double_member (o, "warmup_seconds", r->warmup_seconds);
  json_object_set_double_member (o, "seconds_per_step", r->seconds_per_step);
  json_object_set_double_member (o, "tokens_per_second", r->tokens_per_second);
  json_object_set_double_member (o, "initial_loss", r->initial_loss);
  json_object_set_double_member (o, "loss", r->loss);
  json_object_set_int_member (o, "frozen_parameters", (gint64) r->flops.n_frozen);
  json_object_set_int_member (o, "lora_parameters", (gint64) r->flops.n_lora);
  json_object_set_double_member (flops, "frozen", r->flops.linear);
  json_object_set_double_member (flops, "lora", r->flops.lora);
  json_object_set_double_member (flops, "attention", r->flops.attention);
  json_object_set_object_member (o, "flops_per_token", g_steal_pointer (&flops));
  json_object_set_double_member (o, "achieved_gflops", achieved);
  json_object_set_double_member (o, "peak_gflops", r->peak_gflops);
  json_object_set_string_member (o, "peak_source", r->peak_given ? "given" : "measured-gemm");
  json_object_set_double_member (o, "mfu", achieved / r->peak_gflops);
  if (r->host_gflops > 0)
    {
      json_object_set_double_member (o, "openblas_peak_gflops", r->host_gflops);
      json_object_set_double_member (o, "mfu_openblas", achieved / r->host_gflops);
    }
  else
    {
      json_object_set_null_member (o, "openblas_peak_gflops");
      json_object_set_null_member (o, "mfu_openblas");
    }
  json_object_set_int_member (o, "weights_bytes", r->weights_bytes);
  json_object_set_int_member (o, "device_memory_peak_bytes", r->mem_peak);
  json_node_set_object (root, o);
  wh_cli_print_json (root);
}

static void
print_text (const Report *r)
{
  g_autofree char *mem = g_format_size_full (r->mem_peak, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *w = g_format_size_full (r->weights_bytes, G_FORMAT_SIZE_IEC_UNITS);
  double achieved = flops_per_token (r) * r->tokens_per_second / 1e9;

  g_print ("%s: %s (%s), %s\n", _("Model"), r->model, r->weights, r->device);
  g_print ("%s: %s\n", _("Products and attention through"), r->path);
  g_print (_("LoRA rank %u, alpha %g, all seven projections; %zu-token sequences, %u timed steps after one warm-up step (%.1f s)\n"),
           r->rank, r->alpha, r->seq, r->steps, r->warmup_seconds);
  g_print ("%s: %.1f %s, %.2f %s\n", _("Speed"), r->tokens_per_second, _("tokens/s"),
           r->seconds_per_step, _("s/step"));
  if (r->random_weights)
    g_print (_("Loss: %.4f at the warm-up step, %.4f at the last (random weights give about ln %u = %.4f)\n"),
             r->initial_loss, r->loss, r->vocab, log (r->vocab));
  else
    g_print (_("Loss: %.4f at the warm-up step, %.4f at the last (on random tokens)\n"),
             r->initial_loss, r->loss);
  g_print (_("Model FLOPs per token: %.3g (frozen 4·N = %.3g, LoRA 6·N_r = %.3g, causal attention 6·L·T·H_q = %.3g)\n"),
           flops_per_token (r), r->flops.linear, r->flops.lora, r->flops.attention);
  g_print (_("Achieved: %.2f GFLOP/s of model FLOPs\n"), achieved);
  if (r->peak_given)
    g_print (_("MFU: %.1f%% of %.1f GFLOP/s, the peak given with --peak-gflops\n"),
             100 * achieved / r->peak_gflops, r->peak_gflops);
  else
    g_print (_("MFU: %.1f%% of %.1f GFLOP/s, the best f32 GEMM measured on this device in this run "
               "(Llama-3.2-1B projection shapes over 512 tokens, as in `bench gemm`)\n"),
             100 * achieved / r->peak_gflops, r->peak_gflops);
  if (r->host_gflops > 0)
    g_print (_("     %.1f%% of %.1f GFLOP/s, the best of the same GEMMs with OpenBLAS on this processor\n"),
             100 * achieved / r->host_gflops, r->host_gflops);
  g_print ("%s: %s (%s %s)\n", _("Peak device memory"), mem, w, _("weights"));
}

int
wh_cli_bench_train (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *shape_name = NULL;
  g_autofree char *device_spec = NULL;
  g_autofree char *weights = NULL;
  g_autofree char *type_name = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (gint32));
  const Shape *shape = NULL;
  WhClDType type = WH_CL_DTYPE_F16;
  gboolean json = FALSE;
  int seq = 512, steps = 3, rank = 16;
  double alpha = 32, peak_gflops = 0;
  const WhModelConfig *c;
  WhModelMemory mem;
  Report r = { 0 };
  gint64 t0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("A model folder or .gguf file"), N_("PATH") },
    { "shape", 0, 0, G_OPTION_ARG_STRING, &shape_name, N_("Random weights of a known shape instead: llama-3.2-1b or stories260K"), N_("NAME") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type_name, N_("Weight type of the random weights: f32, f16 (default) or bf16"), N_("TYPE") },
    { "seq", 0, 0, G_OPTION_ARG_INT, &seq, N_("Tokens per sequence (default 512)"), N_("N") },
    { "steps", 'n', 0, G_OPTION_ARG_INT, &steps, N_("Timed steps after the warm-up step (default 3)"), N_("N") },
    { "rank", 'r', 0, G_OPTION_ARG_INT, &rank, N_("LoRA rank (default 16)"), N_("R") },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &alpha, N_("LoRA alpha (default 32)"), N_("ALPHA") },
    { "peak-gflops", 0, 0, G_OPTION_ARG_DOUBLE, &peak_gflops, N_("The device’s peak GFLOP/s, for the FLOPs utilisation (default: its best GEMM, measured first)"), N_("GFLOPS") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Measures LoRA training steps (all seven projections) on random token "
                                  "sequences: tokens/s, model FLOPs utilisation and peak device memory."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if ((model_path == NULL) == (shape_name == NULL))
    {
      g_printerr ("whetstone-cli: %s\n", _("Give --model PATH or --shape llama-3.2-1b|stories260K"));
      return WH_CLI_EXIT_USAGE;
    }
  if (shape_name != NULL && !(shape = find_shape (shape_name)))
    {
      g_printerr (_("whetstone-cli: unknown shape “%s”; try “llama-3.2-1b” or “stories260K”.\n"), shape_name);
      return WH_CLI_EXIT_USAGE;
    }
  if (type_name != NULL && (shape == NULL || !parse_type (type_name, &type)))
    {
      g_printerr ("whetstone-cli: %s\n", _("--type goes with --shape and must be f32, f16 or bf16"));
      return WH_CLI_EXIT_USAGE;
    }
  if (seq < 2 || steps < 1 || rank < 1 || alpha <= 0 || peak_gflops < 0)
    {
      g_printerr ("whetstone-cli: %s\n", _("--seq must be at least 2, --steps and --rank at least 1, "
                                            "--alpha above 0 and --peak-gflops not negative"));
      return WH_CLI_EXIT_USAGE;
    }

  if (!(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new (device, &error)))
    return wh_cli_fail (error);

  /* Before the model, so that the GEMMs' buffers stay out of its peak. */
  if (peak_gflops == 0)
    {
      if (!json)
        g_printerr (_("Measuring the best GEMM GFLOP/s on %s…\n"), device->name);
      if ((r.peak_gflops = wh_cli_bench_gemm_peak (ctx, &error)) < 0)
        return wh_cli_fail (error);
    }
  else
    {
      r.peak_gflops = peak_gflops;
      r.peak_given = TRUE;
    }
  if (device->kind == WH_CL_DEVICE_KIND_CPU)
    r.host_gflops = wh_cli_bench_openblas_peak ();
  wh_cl_context_reset_mem_peak (ctx);

  model = shape != NULL
    ? wh_model_new_random (ctx, &shape->config, type, 1, seq, &error)
    : wh_model_load (ctx, model_path, seq, &error);
  if (model == NULL)
    return wh_cli_fail (error);
  c = wh_model_get_config (model);
  if ((gsize) seq > c->max_position_embeddings)
    {
      g_printerr (_("whetstone-cli: the model takes at most %u positions; give --seq %u or less.\n"),
                  c->max_position_embeddings, c->max_position_embeddings);
      return WH_CLI_EXIT_USAGE;
    }

  if (!(adapter = wh_adapter_new (model, rank, alpha, 0.0, FALSE, (1u << WH_LORA_N_TARGETS) - 1, 7, &error)) ||
      !wh_model_set_adapter (model, adapter, &error) ||
      !(step = wh_train_step_new (model, adapter, seq, &error)))
    return wh_cli_fail (error);

  /* seq + 1 pseudo-random ids inside the vocabulary, the same as
   * bench/train-peer.py's: each position's target is the next one. */
  for (int i = 0; i <= seq; i++)
    {
      gint32 id = (gint32) ((i * 2654435761u + 12345u) % c->vocab_size);
      g_array_append_val (tokens, id);
    }

  if (!json)
    g_printerr (_("Warm-up step (builds the kernels)…\n"));
  t0 = g_get_monotonic_time ();
  if (!train_step (ctx, step, tokens, 1, &r.initial_loss, &error))
    return wh_cli_fail (error);
  r.warmup_seconds = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (int i = 0; i < steps; i++)
    {
      gint64 s0 = g_get_monotonic_time ();

      if (!train_step (ctx, step, tokens, i + 2, &r.loss, &error))
        return wh_cli_fail (error);
      if (!json)
        g_printerr (_("Step %d/%d: %.2f s, loss %.4f\n"), i + 1, steps,
                    (g_get_monotonic_time () - s0) / 1e6, r.loss);
    }
  r.seconds_per_step = (g_get_monotonic_time () - t0) / 1e6 / steps;

  wh_model_get_memory (model, &mem);
  weights = wh_model_dup_dtypes (model);
  r.model = shape != NULL ? _(shape->label) : model_path;
  r.device = device->name;
  r.path = wh_cl_gemm_path_to_string (wh_cl_gemm_get_path (ctx));
  r.weights = weights;
  r.seq = seq;
  r.steps = steps;
  r.rank = rank;
  r.alpha = alpha;
  r.tokens_per_second = seq / r.seconds_per_step;
  r.random_weights = shape != NULL;
  r.vocab = c->vocab_size;
  r.mem_peak = wh_cl_context_get_mem_peak (ctx);
  r.weights_bytes = mem.weights;
  count_flops (c, rank, seq, &r.flops);

  if (json)
    print_json (&r);
  else
    print_text (&r);
  return WH_CLI_EXIT_OK;
}
