/* wh-model.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-gguf.h"
#include "wh-model-private.h"
#include "wh-safetensors.h"

/* Loading: config, tokenizer and weights from a Hugging Face folder
 * (safetensors) or a GGUF file, onto the device in their stored type.
 * Norms and biases become f32 on the device.  GGUF's llama architecture
 * stores the rows of q and k permuted for interleaved RoPE; they are put
 * back in Hugging Face order here, so both formats run the same code and
 * give the same logits (and adapters trained on either use one layout). */

#define DEFAULT_MAX_CTX 4096

typedef struct
{
  const guint8 *data;
  gsize         n_bytes;
  WhClDType     type;
  gsize         rows;     /* 1 for vectors */
  gsize         cols;
  const char   *name;
} Source;

typedef struct
{
  WhSafetensors *st;
  WhGguf        *gguf;
  const char    *display;
} Loader;

static gboolean
weights_error (GError     **error,
               const char  *file,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
weights_error (GError     **error,
               const char  *file,
               const char  *format,
               ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS,
               _("Cannot load the weights of “%s”: %s"), file, what);
  return FALSE;
}

/* Finds a tensor by its Hugging Face or GGUF name and checks its shape:
 * (rows, cols) for matrices, (cols) for vectors (rows 1). */
static gboolean
find_source (Loader      *loader,
             const char  *hf_name,
             const char  *gguf_name,
             gsize        rows,
             gsize        cols,
             gboolean     optional,
             Source      *out,
             GError     **error)
{
  memset (out, 0, sizeof *out);

  if (loader->st != NULL)
    {
      const WhSafetensorsTensor *t = wh_safetensors_find (loader->st, hf_name);

      if (t == NULL)
        return optional ? TRUE : weights_error (error, loader->display, _("the tensor “%s” is missing"), hf_name);
      if (t->dtype < 0)
        return weights_error (error, loader->display, _("the tensor “%s” is stored as %s; Whetstone reads F32, F16 and BF16"),
                              hf_name, t->dtype_name);
      if (!((rows == 1 && t->n_dims == 1 && t->shape[0] == cols) ||
            (rows > 1 && t->n_dims == 2 && t->shape[0] == rows && t->shape[1] == cols)))
        return weights_error (error, loader->display,
                              _("the tensor “%s” has the wrong shape for this configuration (expected %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ")"),
                              hf_name, rows, cols);
      out->data = t->data;
      out->n_bytes = t->n_bytes;
      out->type = t->dtype;
      out->name = t->name;
    }
  else
    {
      const WhGgufTensorInfo *t = wh_gguf_find_tensor (loader->gguf, gguf_name);
      gsize size;
      const guint8 *base = wh_gguf_get_data (loader->gguf, &size);

      if (t == NULL)
        return optional ? TRUE : weights_error (error, loader->display, _("the tensor “%s” is missing"), gguf_name);
      if (!wh_cl_dtype_is_supported (t->type))
        return weights_error (error, loader->display,
                              _("the tensor “%s” has the ggml type %u, which Whetstone cannot read (it reads f32, f16, bf16, q8_0, q4_0, q4_K and q6_K)"),
                              gguf_name, t->type);
      if (!((rows == 1 && t->n_dims == 1 && t->dims[0] == cols) ||
            (rows > 1 && t->n_dims == 2 && t->dims[1] == rows && t->dims[0] == cols)))
        return weights_error (error, loader->display,
                              _("the tensor “%s” has the wrong shape for this configuration (expected %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ")"),
                              gguf_name, rows, cols);
      if (t->n_bytes == 0 || t->offset + t->n_bytes > size)
        return weights_error (error, loader->display, _("the tensor “%s” lies outside the file"), gguf_name);
      out->data = base + t->offset;
      out->n_bytes = t->n_bytes;
      out->type = t->type;
      out->name = t->name;
    }

  if (wh_cl_dtype_row_bytes (out->type, cols) * rows != out->n_bytes)
    return weights_error (error, loader->display, _("the size of the tensor “%s” does not match its shape and type"),
                          out->name);
  out->rows = rows;
  out->cols = cols;
  return TRUE;
}

static gboolean
upload (WhModel       *model,
        const Source  *src,
        const guint8  *bytes,
        WhWeight      *weight,
        GError       **error)
{
  weight->buffer = wh_cl_buffer_new (model->ctx, src->n_bytes, error);
  if (weight->buffer == NULL ||
      !wh_cl_buffer_write (weight->buffer, 0, bytes != NULL ? bytes : src->data, src->n_bytes, error))
    return FALSE;
  weight->type = src->type;
  weight->rows = src->rows;
  weight->cols = src->cols;
  model->weight_bytes += src->n_bytes;
  return TRUE;
}

/* Vectors (norms, biases) are kept in f32 for the kernels. */
static gboolean
upload_f32 (WhModel       *model,
            const Source  *src,
            WhWeight      *weight,
            GError       **error)
{
  g_autoptr(WhClBuffer) compact = NULL;

  if (src->type == WH_CL_DTYPE_F32)
    return upload (model, src, NULL, weight, error);

  compact = wh_cl_buffer_new (model->ctx, src->n_bytes, error);
  if (compact == NULL || !wh_cl_buffer_write (compact, 0, src->data, src->n_bytes, error))
    return FALSE;
  weight->buffer = wh_cl_buffer_new (model->ctx, src->rows * src->cols * sizeof (float), error);
  if (weight->buffer == NULL ||
      !wh_cl_dequantize_rows (model->ctx, weight->buffer, compact, 0, src->type, 0, src->rows, src->cols, error))
    return FALSE;
  weight->type = WH_CL_DTYPE_F32;
  weight->rows = src->rows;
  weight->cols = src->cols;
  model->weight_bytes += weight->buffer->size;
  return TRUE;
}

/* GGUF llama q/k: row h·d + 2j + a holds Hugging Face row h·d + a·d/2 + j. */
static guint8 *
unpermute_rows (const Source *src,
                gsize         n_heads)
{
  gsize row_bytes = src->n_bytes / src->rows;
  gsize head_dim = src->rows / n_heads;
  guint8 *out = g_malloc (src->n_bytes);

  for (gsize h = 0; h < n_heads; h++)
    for (gsize a = 0; a < 2; a++)
      for (gsize j = 0; j < head_dim / 2; j++)
        memcpy (out + (h * head_dim + a * head_dim / 2 + j) * row_bytes,
                src->data + (h * head_dim + 2 * j + a) * row_bytes,
                row_bytes);
  return out;
}

WhClDType
wh_model_quantized_type (WhClDType stored,
                         gsize     cols,
                         WhClDType quant)
{
  gboolean is_float = stored == WH_CL_DTYPE_F32 || stored == WH_CL_DTYPE_F16 || stored == WH_CL_DTYPE_BF16;

  if (!is_float || quant == WH_CL_DTYPE_F32 || !wh_ref_can_quantize (quant))
    return stored;
  if (quant != WH_CL_DTYPE_NF4 && cols % wh_cl_dtype_block_size (quant) != 0)
    return stored;
  return quant;
}

/* @src (with its bytes at @bytes when not NULL) as @quant, row by row on
 * the host; *src is pointed at the result, which is returned. */
static guint8 *
quantize_source (Source        *src,
                 const guint8  *bytes,
                 WhClDType      quant)
{
  gsize in_row = src->n_bytes / src->rows;
  gsize out_row = wh_cl_dtype_row_bytes (quant, src->cols);
  g_autofree float *row = g_new (float, src->cols);
  guint8 *out = g_malloc (src->rows * out_row);

  if (bytes == NULL)
    bytes = src->data;
  for (gsize r = 0; r < src->rows; r++)
    {
      wh_ref_dequantize_row (src->type, bytes + r * in_row, row, src->cols);
      wh_ref_quantize_row (quant, row, out + r * out_row, src->cols);
    }
  src->data = out;
  src->type = quant;
  src->n_bytes = src->rows * out_row;
  return out;
}

static gboolean
load_matrix (WhModel     *model,
             Loader      *loader,
             const char  *hf_name,
             const char  *gguf_name,
             gsize        rows,
             gsize        cols,
             gsize        permuted_heads,
             WhWeight    *weight,
             GError     **error)
{
  Source src;
  g_autofree guint8 *fixed = NULL;

  if (!find_source (loader, hf_name, gguf_name, rows, cols, FALSE, &src, error))
    return FALSE;
  if (loader->gguf != NULL && permuted_heads > 0)
    fixed = unpermute_rows (&src, permuted_heads);
  if (wh_model_quantized_type (src.type, cols, model->quant) != src.type)
    {
      guint8 *quantized = quantize_source (&src, fixed, model->quant);

      g_free (fixed);
      fixed = quantized;
    }
  return upload (model, &src, fixed, weight, error);
}

static gboolean
load_vector (WhModel     *model,
             Loader      *loader,
             const char  *hf_name,
             const char  *gguf_name,
             gsize        n,
             gboolean     optional,
             WhWeight    *weight,
             GError     **error)
{
  Source src;

  if (!find_source (loader, hf_name, gguf_name, 1, n, optional, &src, error))
    return FALSE;
  if (src.data == NULL)
    return TRUE;
  return upload_f32 (model, &src, weight, error);
}

/* GGUF stores the rows of a q or k bias permuted like the matrix. */
static gboolean
load_bias (WhModel     *model,
           Loader      *loader,
           const char  *hf_name,
           const char  *gguf_name,
           gsize        n,
           gsize        permuted_heads,
           WhWeight    *weight,
           GError     **error)
{
  Source src;
  g_autofree guint8 *fixed = NULL;

  if (!find_source (loader, hf_name, gguf_name, 1, n, FALSE, &src, error))
    return FALSE;
  if (loader->gguf != NULL && permuted_heads > 0)
    {
      Source rows = src;

      /* Treat the vector as n one-element rows. */
      rows.rows = n;
      rows.cols = 1;
      fixed = unpermute_rows (&rows, permuted_heads);
      src.data = fixed;
    }
  return upload_f32 (model, &src, weight, error);
}

static gboolean
load_layers (WhModel  *model,
             Loader   *loader,
             GError  **error)
{
  const WhModelConfig *c = &model->config;
  gsize q_rows = (gsize) c->n_heads * c->head_dim;
  gsize kv_rows = (gsize) c->n_kv_heads * c->head_dim;
  /* Only llama-architecture GGUF files permute q and k. */
  gsize perm_q = loader->gguf != NULL && c->arch == WH_MODEL_ARCH_LLAMA ? c->n_heads : 0;
  gsize perm_k = loader->gguf != NULL && c->arch == WH_MODEL_ARCH_LLAMA ? c->n_kv_heads : 0;

  model->layers = g_new0 (WhLayer, c->n_layers);
  for (guint i = 0; i < c->n_layers; i++)
    {
      WhLayer *l = &model->layers[i];
      g_autofree char *hf = g_strdup_printf ("model.layers.%u.", i);
      g_autofree char *gg = g_strdup_printf ("blk.%u.", i);
#define N(a, b) g_autofree char *hf_##a = g_strconcat (hf, b, NULL)
#define G(a, b) g_autofree char *gg_##a = g_strconcat (gg, b, NULL)
      N (an, "input_layernorm.weight");           G (an, "attn_norm.weight");
      N (fn, "post_attention_layernorm.weight");  G (fn, "ffn_norm.weight");
      N (q, "self_attn.q_proj.weight");           G (q, "attn_q.weight");
      N (k, "self_attn.k_proj.weight");           G (k, "attn_k.weight");
      N (v, "self_attn.v_proj.weight");           G (v, "attn_v.weight");
      N (o, "self_attn.o_proj.weight");           G (o, "attn_output.weight");
      N (bq, "self_attn.q_proj.bias");            G (bq, "attn_q.bias");
      N (bk, "self_attn.k_proj.bias");            G (bk, "attn_k.bias");
      N (bv, "self_attn.v_proj.bias");            G (bv, "attn_v.bias");
      N (bo, "self_attn.o_proj.bias");            G (bo, "attn_output.bias");
      N (g, "mlp.gate_proj.weight");              G (g, "ffn_gate.weight");
      N (u, "mlp.up_proj.weight");                G (u, "ffn_up.weight");
      N (d, "mlp.down_proj.weight");              G (d, "ffn_down.weight");
#undef N
#undef G

      if (!load_vector (model, loader, hf_an, gg_an, c->hidden_size, FALSE, &l->attn_norm, error) ||
          !load_vector (model, loader, hf_fn, gg_fn, c->hidden_size, FALSE, &l->ffn_norm, error) ||
          !load_matrix (model, loader, hf_q, gg_q, q_rows, c->hidden_size, perm_q, &l->wq, error) ||
          !load_matrix (model, loader, hf_k, gg_k, kv_rows, c->hidden_size, perm_k, &l->wk, error) ||
          !load_matrix (model, loader, hf_v, gg_v, kv_rows, c->hidden_size, 0, &l->wv, error) ||
          !load_matrix (model, loader, hf_o, gg_o, c->hidden_size, q_rows, 0, &l->wo, error) ||
          !load_matrix (model, loader, hf_g, gg_g, c->intermediate_size, c->hidden_size, 0, &l->w_gate, error) ||
          !load_matrix (model, loader, hf_u, gg_u, c->intermediate_size, c->hidden_size, 0, &l->w_up, error) ||
          !load_matrix (model, loader, hf_d, gg_d, c->hidden_size, c->intermediate_size, 0, &l->w_down, error))
        return FALSE;

      if (c->attention_bias &&
          (!load_bias (model, loader, hf_bq, gg_bq, q_rows, perm_q, &l->bq, error) ||
           !load_bias (model, loader, hf_bk, gg_bk, kv_rows, perm_k, &l->bk, error) ||
           !load_bias (model, loader, hf_bv, gg_bv, kv_rows, 0, &l->bv, error)))
        return FALSE;
      if (c->o_proj_bias &&
          !load_vector (model, loader, hf_bo, gg_bo, c->hidden_size, FALSE, &l->bo, error))
        return FALSE;
    }

  return TRUE;
}

static gsize
matrix_floats (const WhWeight *w)
{
  return w->type == WH_CL_DTYPE_F32 ? 0 : w->rows * w->cols;
}

static gboolean
load_weights (WhModel  *model,
              Loader   *loader,
              GError  **error)
{
  const WhModelConfig *c = &model->config;
  Source out_src;
  g_autofree float *inv_freq = NULL;

  if (!load_layers (model, loader, error))
    return FALSE;

  {
    Source embed;

    if (!find_source (loader, "model.embed_tokens.weight", "token_embd.weight",
                      c->vocab_size, c->hidden_size, FALSE, &embed, error) ||
        !upload (model, &embed, NULL, &model->embed, error))
      return FALSE;
  }
  if (!load_vector (model, loader, "model.norm.weight", "output_norm.weight", c->hidden_size, FALSE,
                    &model->final_norm, error))
    return FALSE;

  if (!find_source (loader, "lm_head.weight", "output.weight", c->vocab_size, c->hidden_size, TRUE,
                    &out_src, error))
    return FALSE;
  if (out_src.data != NULL && !c->tie_word_embeddings)
    {
      if (!upload (model, &out_src, NULL, &model->output, error))
        return FALSE;
    }
  else
    {
      model->output = model->embed;
      model->output.buffer = NULL;  /* shared: see wh_model_output() */
    }

  inv_freq = g_new (float, c->head_dim / 2);
  wh_model_config_rope_inv_freq (c, inv_freq);
  model->inv_freq = wh_cl_buffer_new (model->ctx, c->head_dim / 2 * sizeof (float), error);
  if (model->inv_freq == NULL ||
      !wh_cl_buffer_write (model->inv_freq, 0, inv_freq, c->head_dim / 2 * sizeof (float), error))
    return FALSE;

  /* Scratch: the largest compact layer matrix; the LM head is done in row
   * chunks of the same size. */
  for (guint i = 0; i < c->n_layers; i++)
    {
      const WhLayer *l = &model->layers[i];
      const WhWeight *ms[] = { &l->wq, &l->wk, &l->wv, &l->wo, &l->w_gate, &l->w_up, &l->w_down };

      for (guint j = 0; j < G_N_ELEMENTS (ms); j++)
        model->scratch_floats = MAX (model->scratch_floats, matrix_floats (ms[j]));
    }
  if (model->embed.type != WH_CL_DTYPE_F32 || (model->output.buffer != NULL && model->output.type != WH_CL_DTYPE_F32))
    model->scratch_floats = MAX (model->scratch_floats, (gsize) c->hidden_size * 256);
  if (model->scratch_floats > 0)
    {
      model->scratch = wh_cl_buffer_new (model->ctx, model->scratch_floats * sizeof (float), error);
      if (model->scratch == NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
_wh_model_alloc_cache (WhModel  *model,
                       GError  **error)
{
  const WhModelConfig *c = &model->config;
  gsize bytes = model->n_ctx * c->n_kv_heads * c->head_dim * sizeof (float);

  model->k_cache = g_new0 (WhClBuffer *, c->n_layers);
  model->v_cache = g_new0 (WhClBuffer *, c->n_layers);
  for (guint i = 0; i < c->n_layers; i++)
    if (!(model->k_cache[i] = wh_cl_buffer_new (model->ctx, bytes, error)) ||
        !(model->v_cache[i] = wh_cl_buffer_new (model->ctx, bytes, error)))
      return FALSE;
  return TRUE;
}

/* Estimates everything before allocating anything, so that a model too
 * large for the device fails at once, with the numbers. */
gboolean
_wh_model_check_fits (WhModel  *model,
                      guint64   weight_bytes,
                      GError  **error)
{
  const WhModelConfig *c = &model->config;
  const WhClDeviceInfo *info = wh_cl_context_get_device (model->ctx);
  guint64 kv = 2ull * c->n_layers * model->n_ctx * c->n_kv_heads * c->head_dim * sizeof (float);
  guint64 act = (guint64) WH_MODEL_MAX_BATCH * (4ull * c->hidden_size + 3ull * c->n_heads * c->head_dim +
                                                 2ull * c->intermediate_size) * sizeof (float);
  guint64 scratch = (guint64) c->intermediate_size * c->hidden_size * sizeof (float);
  guint64 need = weight_bytes + kv + act + scratch;
  guint64 free_bytes = info->global_mem_size - MIN (info->global_mem_size, wh_cl_context_get_mem_in_use (model->ctx));

  if (need <= free_bytes)
    return TRUE;

  {
    g_autofree char *need_s = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *free_s = g_format_size_full (free_bytes, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *w_s = g_format_size_full (weight_bytes, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *kv_s = g_format_size_full (kv, G_FORMAT_SIZE_IEC_UNITS);

    g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY,
                 _("“%s” needs %s of device memory (weights %s, context cache %s) but %s has %s free; "
                   "choose a smaller or more strongly quantised model, or a shorter context"),
                 model->path, need_s, w_s, kv_s, info->name, free_s);
    return FALSE;
  }
}

/* Whether @name is one of the seven projection matrices, by its Hugging
 * Face or GGUF name. */
static gboolean
is_projection (const char *name)
{
  static const char * const suffixes[] = {
    "_proj.weight", ".attn_q.weight", ".attn_k.weight", ".attn_v.weight", ".attn_output.weight",
    ".ffn_gate.weight", ".ffn_up.weight", ".ffn_down.weight",
  };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return TRUE;
  return FALSE;
}

/* The bytes a tensor takes on the device: as stored, or quantised. */
static guint64
held_bytes (const char  *name,
            gint         type,
            gsize        rows,
            gsize        cols,
            guint64      n_bytes,
            WhClDType    quant)
{
  WhClDType held;

  if (type < 0 || rows < 2 || !is_projection (name))
    return n_bytes;
  held = wh_model_quantized_type (type, cols, quant);
  return held == (WhClDType) type ? n_bytes : rows * wh_cl_dtype_row_bytes (held, cols);
}

static guint64
stored_bytes (Loader    *loader,
              WhClDType  quant)
{
  guint64 total = 0;

  if (loader->st != NULL)
    for (gsize i = 0; i < wh_safetensors_get_n_tensors (loader->st); i++)
      {
        const WhSafetensorsTensor *t = wh_safetensors_get_tensor (loader->st, i);

        total += held_bytes (t->name, t->dtype, t->n_dims == 2 ? t->shape[0] : 1,
                             t->n_dims == 2 ? t->shape[1] : 0, t->n_bytes, quant);
      }
  else
    for (gsize i = 0; i < wh_gguf_get_n_tensors (loader->gguf); i++)
      {
        const WhGgufTensorInfo *t = wh_gguf_get_tensor (loader->gguf, i);

        total += held_bytes (t->name, t->type, t->n_dims == 2 ? t->dims[1] : 1,
                             t->n_dims == 2 ? t->dims[0] : 0, t->n_bytes, quant);
      }
  return total;
}

WhModel *
wh_model_load (WhClContext  *ctx,
               const char   *path,
               gsize         n_ctx,
               GError      **error)
{
  return wh_model_load_quantized (ctx, path, n_ctx, WH_CL_DTYPE_F32, error);
}

/**
 * wh_model_load_quantized:
 * @quant: nf4, q4_0 or q8_0; f32 to load as stored
 *
 * See wh-model.h.
 */
WhModel *
wh_model_load_quantized (WhClContext  *ctx,
                         const char   *path,
                         gsize         n_ctx,
                         WhClDType     quant,
                         GError      **error)
{
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhSafetensors) st = NULL;
  g_autoptr(WhGguf) gguf = NULL;
  g_autofree char *display = NULL;
  Loader loader = { 0 };

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (quant == WH_CL_DTYPE_F32 || quant == WH_CL_DTYPE_NF4 ||
                        quant == WH_CL_DTYPE_Q4_0 || quant == WH_CL_DTYPE_Q8_0, NULL);

  model = g_new0 (WhModel, 1);
  model->ctx = ctx;
  model->path = g_strdup (path);
  model->quant = quant;
  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *config = g_build_filename (path, "config.json", NULL);
      g_autofree char *tokenizer = g_build_filename (path, "tokenizer.json", NULL);

      if (!wh_model_config_load_json (&model->config, config, error) ||
          !(st = wh_safetensors_open (path, error)))
        return NULL;
      if (g_file_test (tokenizer, G_FILE_TEST_EXISTS) &&
          !(model->tokenizer = wh_tokenizer_new_from_file (path, error)))
        return NULL;
    }
  else if (g_str_has_suffix (path, ".gguf"))
    {
      if (!(gguf = wh_gguf_open (path, error)) ||
          !wh_model_config_load_gguf (&model->config, gguf, error))
        return NULL;
      if (wh_gguf_has_key (gguf, "tokenizer.ggml.model") &&
          !(model->tokenizer = wh_tokenizer_new_from_gguf (gguf, error)))
        return NULL;
    }
  else
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_OPEN,
                   _("“%s” is neither a model folder nor a .gguf file"), display);
      return NULL;
    }

  loader.st = st;
  loader.gguf = gguf;
  loader.display = display;

  model->n_ctx = n_ctx > 0 ? n_ctx : MIN (MAX (model->config.max_position_embeddings, 1), DEFAULT_MAX_CTX);
  if (!_wh_model_check_fits (model, stored_bytes (&loader, quant), error) ||
      !load_weights (model, &loader, error) ||
      !_wh_model_alloc_cache (model, error))
    return NULL;

  return g_steal_pointer (&model);
}

static void
weight_clear (WhWeight *w)
{
  g_clear_pointer (&w->buffer, wh_cl_buffer_free);
}

void
wh_model_free (WhModel *model)
{
  if (model == NULL)
    return;

  _wh_model_free_activations (model);
  for (guint i = 0; model->layers != NULL && i < model->config.n_layers; i++)
    {
      WhLayer *l = &model->layers[i];
      WhWeight *ws[] = { &l->attn_norm, &l->ffn_norm, &l->wq, &l->wk, &l->wv, &l->wo,
                         &l->bq, &l->bk, &l->bv, &l->bo, &l->w_gate, &l->w_up, &l->w_down };

      for (guint j = 0; j < G_N_ELEMENTS (ws); j++)
        weight_clear (ws[j]);
    }
  for (guint i = 0; model->k_cache != NULL && i < model->config.n_layers; i++)
    {
      g_clear_pointer (&model->k_cache[i], wh_cl_buffer_free);
      g_clear_pointer (&model->v_cache[i], wh_cl_buffer_free);
    }
  g_free (model->k_cache);
  g_free (model->v_cache);
  g_free (model->layers);
  weight_clear (&model->embed);
  weight_clear (&model->output);
  weight_clear (&model->final_norm);
  g_clear_pointer (&model->inv_freq, wh_cl_buffer_free);
  g_clear_pointer (&model->scratch, wh_cl_buffer_free);
  g_clear_pointer (&model->lora_tmp, wh_cl_buffer_free);
  g_clear_pointer (&model->tokenizer, wh_tokenizer_unref);
  wh_model_config_clear (&model->config);
  g_free (model->path);
  g_free (model);
}

const WhModelConfig *
wh_model_get_config (WhModel *model)
{
  return &model->config;
}

WhTokenizer *
wh_model_get_tokenizer (WhModel *model)
{
  return model->tokenizer;
}

const char *
wh_model_get_path (WhModel *model)
{
  return model->path;
}

gsize
wh_model_get_n_ctx (WhModel *model)
{
  return model->n_ctx;
}

void
wh_model_get_memory (WhModel       *model,
                     WhModelMemory *memory)
{
  memory->weights = model->weight_bytes + (model->inv_freq != NULL ? model->inv_freq->size : 0);
  memory->scratch = model->scratch != NULL ? model->scratch->size : 0;
  memory->kv_cache = 2ull * model->config.n_layers * (model->k_cache != NULL && model->k_cache[0] != NULL
                                                      ? model->k_cache[0]->size : 0);
  memory->activations = 0;
  {
    WhClBuffer *bufs[] = { model->ids, model->x, model->h, model->q, model->k, model->v,
                           model->attn, model->gate, model->up, model->logits,
                           model->stage_in, model->stage_out };

    for (guint i = 0; i < G_N_ELEMENTS (bufs); i++)
      memory->activations += bufs[i] != NULL ? bufs[i]->size : 0;
  }
}

char *
wh_model_dup_dtypes (WhModel *model)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  const WhWeight *first[] = { &model->embed };

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_ptr_array_add (names, (gpointer) wh_cl_dtype_to_string (first[i]->type));
  for (guint i = 0; i < model->config.n_layers; i++)
    {
      const WhLayer *l = &model->layers[i];
      const WhWeight *ws[] = { &l->wq, &l->wk, &l->wv, &l->wo, &l->w_gate, &l->w_up, &l->w_down };

      for (guint j = 0; j < G_N_ELEMENTS (ws); j++)
        {
          const char *name = wh_cl_dtype_to_string (ws[j]->type);

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, (gpointer) name);
        }
    }
  if (model->output.buffer != NULL &&
      !g_ptr_array_find_with_equal_func (names, wh_cl_dtype_to_string (model->output.type), g_str_equal, NULL))
    g_ptr_array_add (names, (gpointer) wh_cl_dtype_to_string (model->output.type));

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}
