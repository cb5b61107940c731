/* wh-adapter.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wh-adapter.h"
#include "wh-json.h"
#include "wh-model-private.h"
#include "wh-safetensors.h"
#include "wh-safetensors-writer.h"

struct _WhAdapter
{
  WhClContext *ctx;
  char        *path;
  guint        rank;
  double       alpha;
  gboolean     rslora;
  float        scale;
  guint        n_layers;
  WhLoraPair (*pairs)[WH_LORA_N_TARGETS];
  guint64      bytes;
  double       dropout;
  guint        targets;
  const WhModelConfig *config;
};

static const char *const target_names[WH_LORA_N_TARGETS] = {
  "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
};

static const char *const target_parents[WH_LORA_N_TARGETS] = {
  "self_attn", "self_attn", "self_attn", "self_attn", "mlp", "mlp", "mlp",
};

const char *
wh_lora_target_name (WhLoraTarget target)
{
  g_return_val_if_fail (target < WH_LORA_N_TARGETS, NULL);
  return target_names[target];
}

static gboolean
config_error (GError     **error,
              const char  *file,
              const char  *format,
              ...) G_GNUC_PRINTF (3, 4);

static gboolean
config_error (GError     **error,
              const char  *file,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
               _("Cannot use the adapter “%s”: %s"), file, what);
  return FALSE;
}

/* The projections an adapter_config.json targets: a list of names, or
 * "all-linear". */
static gboolean
parse_targets (JsonObject  *config,
               const char  *file,
               gboolean    *targets,
               GError     **error)
{
  JsonNode *node = json_object_get_member (config, "target_modules");

  memset (targets, 0, WH_LORA_N_TARGETS * sizeof (gboolean));

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      g_strcmp0 (json_node_get_string (node), "all-linear") == 0)
    {
      for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
        targets[t] = TRUE;
      return TRUE;
    }

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return config_error (error, file, _("“target_modules” must be a list of projection names"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      const char *name = json_array_get_string_element (json_node_get_array (node), i);
      gboolean known = FALSE;

      for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
        if (g_strcmp0 (name, target_names[t]) == 0)
          targets[t] = known = TRUE;
      if (!known)
        return config_error (error, file, _("“target_modules” names “%s”; Whetstone adapts q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj and down_proj"),
                             name ? name : "");
    }
  return TRUE;
}

static gboolean
read_config (WhAdapter   *adapter,
             const char  *dir,
             gboolean    *targets,
             GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "adapter_config.json", NULL);
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *config;
  JsonNode *node;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_OPEN,
                   _("Cannot read the adapter settings “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return config_error (error, display, _("it is not a JSON object"));
  config = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (wh_json_get_string (config, "peft_type"), "LORA") != 0)
    return config_error (error, display, _("“peft_type” is “%s”; Whetstone reads LoRA adapters"),
                         wh_json_get_string (config, "peft_type") ?: "");
  node = json_object_get_member (config, "r");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_int (node) < 1 || json_node_get_int (node) > 4096)
    return config_error (error, display, _("“r” must be a rank between 1 and 4096"));
  adapter->rank = json_node_get_int (node);
  node = json_object_get_member (config, "lora_alpha");
  adapter->alpha = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : adapter->rank;
  adapter->rslora = wh_json_get_bool (config, "use_rslora", FALSE);
  node = json_object_get_member (config, "lora_dropout");
  adapter->dropout = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : 0.0;
  adapter->scale = adapter->rslora ? adapter->alpha / sqrt (adapter->rank) : adapter->alpha / adapter->rank;

  if (wh_json_get_bool (config, "use_dora", FALSE))
    return config_error (error, display, _("DoRA adapters (“use_dora”) are not supported"));
  if (wh_json_get_bool (config, "fan_in_fan_out", FALSE))
    return config_error (error, display, _("“fan_in_fan_out” adapters are not supported"));
  if (g_strcmp0 (wh_json_get_string (config, "bias"), "none") != 0 && wh_json_get_string (config, "bias") != NULL)
    return config_error (error, display, _("adapters that train biases (“bias”) are not supported"));
  node = json_object_get_member (config, "modules_to_save");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      !(JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0))
    return config_error (error, display, _("adapters that save whole modules (“modules_to_save”) are not supported"));
  node = json_object_get_member (config, "layers_to_transform");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return config_error (error, display, _("“layers_to_transform” is not supported"));
  {
    JsonObject *ranks = wh_json_get_object (config, "rank_pattern");
    JsonObject *alphas = wh_json_get_object (config, "alpha_pattern");

    if ((ranks != NULL && json_object_get_size (ranks) > 0) ||
        (alphas != NULL && json_object_get_size (alphas) > 0))
      return config_error (error, display, _("per-module ranks (“rank_pattern”, “alpha_pattern”) are not supported"));
  }

  return parse_targets (config, display, targets, error);
}

static gboolean
upload_f32 (WhAdapter                  *adapter,
            const WhSafetensorsTensor  *t,
            WhClBuffer                **out,
            GError                    **error)
{
  g_autofree float *values = g_new (float, t->n_elements);

  wh_ref_dequantize_row (t->dtype, t->data, values, t->n_elements);
  *out = wh_cl_buffer_new (adapter->ctx, t->n_elements * sizeof (float), error);
  if (*out == NULL || !wh_cl_buffer_write (*out, 0, values, t->n_elements * sizeof (float), error))
    return FALSE;
  adapter->bytes += t->n_elements * sizeof (float);
  return TRUE;
}

static const WhSafetensorsTensor *
find_lora (WhSafetensors *st,
           guint          layer,
           WhLoraTarget   target,
           const char    *which)
{
  g_autofree char *name = g_strdup_printf ("base_model.model.model.layers.%u.%s.%s.%s.weight",
                                           layer, target_parents[target], target_names[target], which);
  const WhSafetensorsTensor *t = wh_safetensors_find (st, name);

  /* Some tools save without PEFT's "base_model.model." prefix. */
  if (t == NULL)
    t = wh_safetensors_find (st, name + strlen ("base_model.model."));
  return t;
}

static void
target_shape (const WhModelConfig *c,
              WhLoraTarget         target,
              gsize               *out,
              gsize               *in)
{
  gsize q = (gsize) c->n_heads * c->head_dim, kv = (gsize) c->n_kv_heads * c->head_dim;

  switch (target)
    {
    case WH_LORA_Q_PROJ: *out = q; *in = c->hidden_size; break;
    case WH_LORA_K_PROJ:
    case WH_LORA_V_PROJ: *out = kv; *in = c->hidden_size; break;
    case WH_LORA_O_PROJ: *out = c->hidden_size; *in = q; break;
    case WH_LORA_GATE_PROJ:
    case WH_LORA_UP_PROJ: *out = c->intermediate_size; *in = c->hidden_size; break;
    case WH_LORA_DOWN_PROJ: *out = c->hidden_size; *in = c->intermediate_size; break;
    case WH_LORA_N_TARGETS:
    default: g_assert_not_reached ();
    }
}

WhAdapter *
wh_adapter_load (WhModel     *model,
                 const char  *dir,
                 GError     **error)
{
  const WhModelConfig *c = wh_model_get_config (model);
  g_autoptr(WhAdapter) adapter = g_new0 (WhAdapter, 1);
  g_autofree char *weights = g_build_filename (dir, "adapter_model.safetensors", NULL);
  g_autofree char *display = g_filename_display_name (weights);
  g_autoptr(WhSafetensors) st = NULL;
  gboolean targets[WH_LORA_N_TARGETS];
  guint found = 0;

  adapter->ctx = model->ctx;
  adapter->path = g_strdup (dir);
  adapter->n_layers = c->n_layers;
  adapter->config = c;
  adapter->pairs = g_malloc0_n (c->n_layers, sizeof *adapter->pairs);

  if (!read_config (adapter, dir, targets, error) ||
      !(st = wh_safetensors_open (weights, error)))
    return NULL;

  for (guint l = 0; l < c->n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        const WhSafetensorsTensor *a, *b;
        gsize out, in;

        if (!targets[t])
          continue;
        a = find_lora (st, l, t, "lora_A");
        b = find_lora (st, l, t, "lora_B");
        if (a == NULL && b == NULL)
          continue;
        target_shape (c, t, &out, &in);
        if (a == NULL || b == NULL || a->dtype < 0 || b->dtype < 0 ||
            a->n_dims != 2 || b->n_dims != 2 ||
            a->shape[0] != adapter->rank || a->shape[1] != in ||
            b->shape[0] != out || b->shape[1] != adapter->rank)
          {
            g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS,
                         _("The adapter “%s” does not fit this model: layer %u’s %s should have lora_A %u × %" G_GSIZE_FORMAT " and lora_B %" G_GSIZE_FORMAT " × %u in f32, f16 or bf16; was it trained on another model?"),
                         display, l, target_names[t], adapter->rank, in, out, adapter->rank);
            return NULL;
          }
        if (!upload_f32 (adapter, a, &adapter->pairs[l][t].a, error) ||
            !upload_f32 (adapter, b, &adapter->pairs[l][t].b, error))
          return NULL;
        adapter->targets |= 1u << t;
        found++;
      }

  if (found == 0)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS,
                   _("The adapter “%s” holds no LoRA weights for this model’s layers"), display);
      return NULL;
    }

  return g_steal_pointer (&adapter);
}

WhAdapter *
wh_adapter_new (WhModel    *model,
                guint       rank,
                double      alpha,
                double      dropout,
                gboolean    rslora,
                guint       targets,
                guint64     seed,
                GError    **error)
{
  const WhModelConfig *c = wh_model_get_config (model);
  g_autoptr(WhAdapter) adapter = g_new0 (WhAdapter, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed_array ((const guint32 *) &seed, 2);

  g_return_val_if_fail (rank > 0 && targets != 0, NULL);

  adapter->ctx = model->ctx;
  adapter->path = g_strdup ("(new)");
  adapter->rank = rank;
  adapter->alpha = alpha;
  adapter->rslora = rslora;
  adapter->scale = rslora ? alpha / sqrt (rank) : alpha / rank;
  adapter->dropout = dropout;
  adapter->targets = targets;
  adapter->config = c;
  adapter->n_layers = c->n_layers;
  adapter->pairs = g_malloc0_n (c->n_layers, sizeof *adapter->pairs);

  for (guint l = 0; l < c->n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        gsize out, in;
        g_autofree float *a = NULL;
        double bound;
        WhLoraPair *pair = &adapter->pairs[l][t];

        if (!(targets & (1u << t)))
          continue;
        target_shape (c, t, &out, &in);
        a = g_new (float, (gsize) rank * in);
        /* kaiming_uniform_(a = √5): bound = 1 / √fan_in. */
        bound = 1.0 / sqrt ((double) in);
        for (gsize i = 0; i < (gsize) rank * in; i++)
          a[i] = (float) g_rand_double_range (rand, -bound, bound);
        if (!(pair->a = wh_cl_buffer_new (adapter->ctx, (gsize) rank * in * sizeof (float), error)) ||
            !wh_cl_buffer_write (pair->a, 0, a, (gsize) rank * in * sizeof (float), error) ||
            !(pair->b = wh_cl_buffer_new (adapter->ctx, out * rank * sizeof (float), error)))
          return NULL;
        adapter->bytes += ((gsize) rank * in + out * rank) * sizeof (float);
      }

  return g_steal_pointer (&adapter);
}

gboolean
wh_adapter_save (WhAdapter   *adapter,
                 const char  *dir,
                 const char  *base_model,
                 GError     **error)
{
  g_autoptr(WhSafetensorsWriter) writer = wh_safetensors_writer_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *config_path = g_build_filename (dir, "adapter_config.json", NULL);
  g_autofree char *weights_path = g_build_filename (dir, "adapter_model.safetensors", NULL);
  g_autoptr(GError) local_error = NULL;

  for (guint l = 0; l < adapter->n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        const WhLoraPair *pair = &adapter->pairs[l][t];
        gsize out, in;
        g_autofree float *a = NULL;
        g_autofree float *bw = NULL;
        g_autofree char *name_a = NULL;
        g_autofree char *name_b = NULL;
        guint64 shape_a[2], shape_b[2];

        if (pair->a == NULL)
          continue;
        target_shape (adapter->config, t, &out, &in);
        a = g_new (float, (gsize) adapter->rank * in);
        bw = g_new (float, out * adapter->rank);
        if (!wh_cl_buffer_read (pair->a, 0, a, (gsize) adapter->rank * in * sizeof (float), error) ||
            !wh_cl_buffer_read (pair->b, 0, bw, out * adapter->rank * sizeof (float), error))
          return FALSE;
        shape_a[0] = adapter->rank;
        shape_a[1] = in;
        shape_b[0] = out;
        shape_b[1] = adapter->rank;
        name_a = g_strdup_printf ("base_model.model.model.layers.%u.%s.%s.lora_A.weight", l, target_parents[t], target_names[t]);
        name_b = g_strdup_printf ("base_model.model.model.layers.%u.%s.%s.lora_B.weight", l, target_parents[t], target_names[t]);
        wh_safetensors_writer_add_f32 (writer, name_a, shape_a, 2, a);
        wh_safetensors_writer_add_f32 (writer, name_b, shape_b, 2, bw);
      }
  wh_safetensors_writer_set_metadata (writer, "format", "pt");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "peft_type");
  json_builder_add_string_value (b, "LORA");
  json_builder_set_member_name (b, "task_type");
  json_builder_add_string_value (b, "CAUSAL_LM");
  json_builder_set_member_name (b, "base_model_name_or_path");
  json_builder_add_string_value (b, base_model);
  json_builder_set_member_name (b, "r");
  json_builder_add_int_value (b, adapter->rank);
  json_builder_set_member_name (b, "lora_alpha");
  json_builder_add_double_value (b, adapter->alpha);
  json_builder_set_member_name (b, "lora_dropout");
  json_builder_add_double_value (b, adapter->dropout);
  json_builder_set_member_name (b, "use_rslora");
  json_builder_add_boolean_value (b, adapter->rslora);
  json_builder_set_member_name (b, "target_modules");
  json_builder_begin_array (b);
  for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
    if (adapter->targets & (1u << t))
      json_builder_add_string_value (b, target_names[t]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "bias");
  json_builder_add_string_value (b, "none");
  json_builder_set_member_name (b, "fan_in_fan_out");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "inference_mode");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "init_lora_weights");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "use_dora");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "modules_to_save");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "layers_to_transform");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rank_pattern");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "alpha_pattern");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  config_text = json_generator_to_data (gen, NULL);

  if (!wh_safetensors_writer_save (writer, weights_path, error))
    return FALSE;
  if (!g_file_set_contents_full (config_path, config_text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &local_error))
    {
      g_autofree char *display = g_filename_display_name (config_path);

      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS, _("Cannot write “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
wh_adapter_free (WhAdapter *adapter)
{
  if (adapter == NULL)
    return;
  for (guint l = 0; adapter->pairs != NULL && l < adapter->n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        g_clear_pointer (&adapter->pairs[l][t].a, wh_cl_buffer_free);
        g_clear_pointer (&adapter->pairs[l][t].b, wh_cl_buffer_free);
      }
  g_free (adapter->pairs);
  g_free (adapter->path);
  g_free (adapter);
}

guint
wh_adapter_get_rank (WhAdapter *adapter)
{
  return adapter->rank;
}

float
wh_adapter_get_scale (WhAdapter *adapter)
{
  return adapter->scale;
}

guint64
wh_adapter_get_bytes (WhAdapter *adapter)
{
  return adapter->bytes;
}

const WhLoraPair *
wh_adapter_get_pair (WhAdapter    *adapter,
                     guint         layer,
                     WhLoraTarget  target)
{
  g_return_val_if_fail (adapter != NULL && target < WH_LORA_N_TARGETS, NULL);

  if (layer >= adapter->n_layers || adapter->pairs[layer][target].a == NULL)
    return NULL;
  return &adapter->pairs[layer][target];
}

gboolean
wh_model_set_adapter (WhModel    *model,
                      WhAdapter  *adapter,
                      GError    **error)
{
  g_return_val_if_fail (model != NULL, FALSE);

  g_clear_pointer (&model->lora_tmp, wh_cl_buffer_free);
  model->adapter = adapter;
  if (adapter == NULL)
    return TRUE;
  if (adapter->n_layers != model->config.n_layers || adapter->ctx != model->ctx)
    {
      model->adapter = NULL;
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_WEIGHTS,
                   _("The adapter “%s” was loaded for another model"), adapter->path);
      return FALSE;
    }
  model->lora_tmp = wh_cl_buffer_new (model->ctx, (gsize) WH_MODEL_MAX_BATCH * adapter->rank * sizeof (float), error);
  if (model->lora_tmp == NULL)
    {
      model->adapter = NULL;
      return FALSE;
    }
  return TRUE;
}
