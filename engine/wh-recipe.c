/* wh-recipe.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-adapter.h"
#include "wh-json.h"
#include "wh-recipe.h"

G_DEFINE_QUARK (wh-recipe-error-quark, wh_recipe_error)

static const char *const method_names[] = { "lora", "qlora", "full" };
static const char *const schedule_names[] = { "constant", "linear", "cosine" };
static const char *const quant_names[] = { "nf4", "q4_0", "q8_0" };

const char *
wh_method_to_string (WhMethod method)
{
  return method_names[method];
}

/**
 * wh_recipe_auto_learning_rate:
 * @method: how the model is trained
 * @hidden_size: the model's width, or 0 when not known
 *
 * The rates that work for LoRA and QLoRA (2e-4) and for full fine-tuning
 * (2e-5) are those of models 4096 wide, and they are far too small for a
 * small model.  Adam moves each weight by about the learning rate per
 * step, so a layer's output moves by about the rate times its width; the
 * rate that moves every model alike is inversely proportional to the
 * width (the µP rule for hidden matrices).  So: the 4096-wide rate times
 * 4096 / @hidden_size, within [1e-4, 5e-3] for LoRA and [1e-5, 5e-4] for
 * full fine-tuning.  Llama-3.2-1B (2048) gets 4e-4, SmolLM2-135M (576)
 * 1.4e-3, and the demo model (256) 3.2e-3.
 *
 * Returns: the peak learning rate
 */
double
wh_recipe_auto_learning_rate (WhMethod method,
                              guint    hidden_size)
{
  double base = method == WH_METHOD_FULL ? 2e-5 : 2e-4;
  double scale = hidden_size > 0 ? 4096.0 / hidden_size : 1.0;

  return CLAMP (base * scale, base / 2, base * 25);
}

double
wh_recipe_get_learning_rate (const WhRecipe *recipe,
                             guint           hidden_size)
{
  g_return_val_if_fail (recipe != NULL, 0);

  return recipe->learning_rate > 0 ? recipe->learning_rate
                                   : wh_recipe_auto_learning_rate (recipe->method, hidden_size);
}

const char *
wh_schedule_to_string (WhSchedule schedule)
{
  return schedule_names[schedule];
}

void
wh_recipe_init (WhRecipe *r)
{
  memset (r, 0, sizeof *r);
  r->template = g_strdup ("auto");
  r->method = WH_METHOD_LORA;
  r->quant = WH_QUANT_NF4;
  r->lora_r = 16;
  r->lora_alpha = 32;
  r->lora_dropout = 0.05;
  r->lora_targets = (1u << WH_LORA_N_TARGETS) - 1;
  r->learning_rate = 0;    /* auto */
  r->schedule = WH_SCHEDULE_COSINE;
  r->warmup_steps = 10;
  r->batch_size = 1;
  r->grad_accum = 4;
  r->max_seq_len = 512;
  r->shuffle = TRUE;
  r->seed = 42;
  r->grad_clip = 1.0;
  r->val_fraction = 0.1;
}

/* A deep copy, to be cleared with wh_recipe_clear(). */
void
wh_recipe_copy (WhRecipe       *dst,
                const WhRecipe *src)
{
  *dst = *src;
  dst->path = g_strdup (src->path);
  dst->name = g_strdup (src->name);
  dst->description = g_strdup (src->description);
  dst->model = g_strdup (src->model);
  dst->dataset_path = g_strdup (src->dataset_path);
  dst->dataset_columns = g_strdupv (src->dataset_columns);
  dst->text_prompt = g_strdup (src->text_prompt);
  dst->template = g_strdup (src->template);
  dst->system_prompt = g_strdup (src->system_prompt);
  dst->init_adapter = g_strdup (src->init_adapter);
  dst->output_dir = g_strdup (src->output_dir);
  dst->device = g_strdup (src->device);
}

void
wh_recipe_clear (WhRecipe *r)
{
  g_free (r->path);
  g_free (r->name);
  g_free (r->description);
  g_free (r->model);
  g_free (r->dataset_path);
  g_strfreev (r->dataset_columns);
  g_free (r->text_prompt);
  g_free (r->template);
  g_free (r->system_prompt);
  g_free (r->init_adapter);
  g_free (r->output_dir);
  g_free (r->device);
  memset (r, 0, sizeof *r);
}

/* Reading, with errors naming the key */

typedef struct
{
  const char  *file;    /* display name */
  const char  *base_dir;
  GError     **error;
} Reader;

static gboolean
invalid (Reader     *rd,
         const char *key,
         const char *what)
{
  g_set_error (rd->error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
               _("The recipe “%s” cannot be used: “%s” %s"), rd->file, key, what);
  return FALSE;
}

static gboolean
check_keys (Reader             *rd,
            JsonObject         *object,
            const char         *prefix,
            const char * const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *key = g_strconcat (prefix, l->data, NULL);
        return invalid (rd, key, _("is not a recipe key; check its spelling"));
      }
  return TRUE;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
get_string (Reader      *rd,
            JsonObject  *object,
            const char  *name,
            const char  *key,
            char       **out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (rd, key, _("must be text"));
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_path (Reader      *rd,
          JsonObject  *object,
          const char  *name,
          const char  *key,
          char       **out)
{
  g_autofree char *value = NULL;

  if (!get_string (rd, object, name, key, &value))
    return FALSE;
  if (value == NULL)
    return TRUE;
  g_free (*out);
  *out = g_path_is_absolute (value) || rd->base_dir == NULL ? g_strdup (value)
                                                            : g_canonicalize_filename (value, rd->base_dir);
  return TRUE;
}

static gboolean
get_number (Reader     *rd,
            JsonObject *object,
            const char *name,
            const char *key,
            double      min,
            double      max,
            double     *out)
{
  JsonNode *node = member (object, name);
  double value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return invalid (rd, key, _("must be a number"));
  value = json_node_get_double (node);
  if (value < min || value > max)
    {
      g_autofree char *what = g_strdup_printf (_("must be between %g and %g"), min, max);
      return invalid (rd, key, what);
    }
  *out = value;
  return TRUE;
}

/* Whether @name is the string "auto"; any other string is an error, and
 * anything else is left to the number's own reader. */
static gboolean
get_auto (Reader     *rd,
          JsonObject *object,
          const char *name,
          const char *key,
          gboolean   *is_auto)
{
  JsonNode *node = member (object, name);

  *is_auto = FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return TRUE;
  if (!g_str_equal (json_node_get_string (node), "auto"))
    return invalid (rd, key, _("must be a number or \"auto\""));
  *is_auto = TRUE;
  return TRUE;
}

static gboolean
get_count (Reader     *rd,
           JsonObject *object,
           const char *name,
           const char *key,
           guint       min,
           guint       max,
           guint      *out)
{
  JsonNode *node = member (object, name);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (rd, key, _("must be a whole number"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *what = g_strdup_printf (_("must be between %u and %u"), min, max);
      return invalid (rd, key, what);
    }
  *out = value;
  return TRUE;
}

static gboolean
get_bool (Reader     *rd,
          JsonObject *object,
          const char *name,
          const char *key,
          gboolean   *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (rd, key, _("must be true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_choice (Reader             *rd,
            JsonObject         *object,
            const char         *name,
            const char         *key,
            const char * const *choices,
            guint               n_choices,
            guint              *out)
{
  g_autofree char *value = NULL;

  if (!get_string (rd, object, name, key, &value))
    return FALSE;
  if (value == NULL)
    return TRUE;
  for (guint i = 0; i < n_choices; i++)
    if (g_str_equal (value, choices[i]))
      {
        *out = i;
        return TRUE;
      }
  {
    g_autofree char *list = g_strjoinv (", ", (char **) choices);
    g_autofree char *what = g_strdup_printf (_("is “%s”; use one of %s"), value, list);

    return invalid (rd, key, what);
  }
}

static gboolean
read_object (Reader      *rd,
             JsonObject  *root,
             const char  *name,
             JsonObject **out)
{
  JsonNode *node = member (root, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (rd, name, _("must be an object { … }"));
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_dataset (Reader     *rd,
              JsonObject *root,
              WhRecipe   *r)
{
  static const char *const keys[] = { "path", "format", "columns", "text_prompt", NULL };
  JsonNode *node = member (root, "dataset");
  JsonObject *d, *columns;
  g_autofree char *format = NULL;

  if (node == NULL)
    return TRUE;
  /* A bare path is allowed. */
  if (JSON_NODE_HOLDS_VALUE (node))
    return get_path (rd, root, "dataset", "dataset", &r->dataset_path);
  if (!read_object (rd, root, "dataset", &d) || !check_keys (rd, d, "dataset.", keys) ||
      !get_path (rd, d, "path", "dataset.path", &r->dataset_path) ||
      !get_string (rd, d, "format", "dataset.format", &format) ||
      !get_string (rd, d, "text_prompt", "dataset.text_prompt", &r->text_prompt))
    return FALSE;
  if (format != NULL && !wh_dataset_format_from_string (format, &r->dataset_format, NULL))
    return invalid (rd, "dataset.format", _("names no dataset format Whetstone knows"));

  if (!read_object (rd, d, "columns", &columns))
    return FALSE;
  if (columns != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (columns);
      GPtrArray *list = g_ptr_array_new ();

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *role = json_object_get_member (columns, l->data);

          if (!JSON_NODE_HOLDS_VALUE (role) || json_node_get_value_type (role) != G_TYPE_STRING)
            {
              g_autofree char *key = g_strconcat ("dataset.columns.", l->data, NULL);

              g_ptr_array_add (list, NULL);
              g_strfreev ((char **) g_ptr_array_free (list, FALSE));
              return invalid (rd, key, _("must be a role: system, user, assistant, chosen, rejected or ignore"));
            }
          g_ptr_array_add (list, g_strdup_printf ("%s=%s", (const char *) l->data, json_node_get_string (role)));
        }
      g_ptr_array_add (list, NULL);
      g_strfreev (r->dataset_columns);
      r->dataset_columns = (char **) g_ptr_array_free (list, FALSE);
    }
  return TRUE;
}

static gboolean
read_lora (Reader     *rd,
           JsonObject *root,
           WhRecipe   *r)
{
  static const char *const keys[] = { "r", "alpha", "dropout", "targets", "use_rslora", "init_adapter", NULL };
  JsonObject *l;
  JsonNode *targets;

  if (!read_object (rd, root, "lora", &l))
    return FALSE;
  if (l == NULL)
    return TRUE;
  if (!check_keys (rd, l, "lora.", keys) ||
      !get_count (rd, l, "r", "lora.r", 1, 4096, &r->lora_r) ||
      !get_number (rd, l, "alpha", "lora.alpha", 1e-6, 1e6, &r->lora_alpha) ||
      !get_number (rd, l, "dropout", "lora.dropout", 0, 0.9, &r->lora_dropout) ||
      !get_bool (rd, l, "use_rslora", "lora.use_rslora", &r->use_rslora) ||
      !get_path (rd, l, "init_adapter", "lora.init_adapter", &r->init_adapter))
    return FALSE;

  targets = member (l, "targets");
  if (targets != NULL)
    {
      JsonArray *list = JSON_NODE_HOLDS_ARRAY (targets) ? json_node_get_array (targets) : NULL;

      if (list == NULL || json_array_get_length (list) == 0)
        return invalid (rd, "lora.targets", _("must be a list of projections, e.g. [\"q_proj\", \"v_proj\"]"));
      r->lora_targets = 0;
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          const char *name = json_array_get_string_element (list, i);
          gboolean known = FALSE;

          for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
            if (g_strcmp0 (name, wh_lora_target_name (t)) == 0)
              {
                r->lora_targets |= 1u << t;
                known = TRUE;
              }
          if (!known)
            return invalid (rd, "lora.targets",
                            _("names a projection Whetstone does not adapt; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj"));
        }
    }
  return TRUE;
}

static gboolean
read_train (Reader     *rd,
            JsonObject *root,
            WhRecipe   *r)
{
  static const char *const keys[] = {
    "epochs", "max_steps", "learning_rate", "schedule", "warmup_steps", "weight_decay", "batch_size",
    "grad_accum", "max_seq_len", "packing", "shuffle", "seed", "grad_clip", "save_every_steps", NULL,
  };
  JsonObject *t;
  gboolean auto_epochs, auto_rate;
  double seed = r->seed;
  guint schedule = r->schedule;

  if (!read_object (rd, root, "train", &t))
    return FALSE;
  if (t == NULL)
    return TRUE;
  if (!check_keys (rd, t, "train.", keys))
    return FALSE;

  if (!get_auto (rd, t, "epochs", "train.epochs", &auto_epochs))
    return FALSE;
  if (auto_epochs)
    r->epochs = 0;
  else if (!get_count (rd, t, "epochs", "train.epochs", 1, 1000, &r->epochs))
    return FALSE;
  if (!get_auto (rd, t, "learning_rate", "train.learning_rate", &auto_rate))
    return FALSE;
  if (auto_rate)
    r->learning_rate = 0;
  else if (!get_number (rd, t, "learning_rate", "train.learning_rate", 1e-9, 1, &r->learning_rate))
    return FALSE;

  if (!get_count (rd, t, "max_steps", "train.max_steps", 1, 10000000, &r->max_steps) ||
      !get_choice (rd, t, "schedule", "train.schedule", schedule_names, G_N_ELEMENTS (schedule_names), &schedule) ||
      !get_count (rd, t, "warmup_steps", "train.warmup_steps", 0, 1000000, &r->warmup_steps) ||
      !get_number (rd, t, "weight_decay", "train.weight_decay", 0, 10, &r->weight_decay) ||
      !get_count (rd, t, "batch_size", "train.batch_size", 1, 4096, &r->batch_size) ||
      !get_count (rd, t, "grad_accum", "train.grad_accum", 1, 4096, &r->grad_accum) ||
      !get_count (rd, t, "max_seq_len", "train.max_seq_len", 16, 1 << 20, &r->max_seq_len) ||
      !get_bool (rd, t, "packing", "train.packing", &r->packing) ||
      !get_bool (rd, t, "shuffle", "train.shuffle", &r->shuffle) ||
      !get_number (rd, t, "seed", "train.seed", 0, 9007199254740991.0, &seed) ||
      !get_number (rd, t, "grad_clip", "train.grad_clip", 0, 1e6, &r->grad_clip) ||
      !get_count (rd, t, "save_every_steps", "train.save_every_steps", 0, 10000000, &r->save_every_steps))
    return FALSE;
  r->schedule = schedule;
  r->seed = (guint64) seed;
  return TRUE;
}

gboolean
wh_recipe_load_from_data (WhRecipe    *r,
                          const char  *json,
                          const char  *base_dir,
                          GError     **error)
{
  static const char *const keys[] = {
    "name", "description", "model", "dataset", "template", "system_prompt", "train_on", "method", "quant",
    "lora", "train", "eval", "output_dir", "device", NULL,
  };
  static const char *const train_on[] = { "assistant", "all" };
  static const char *const eval_keys[] = { "val_fraction", "every_steps", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  Reader rd = { r->path != NULL ? r->path : _("(recipe)"), base_dir, error };
  JsonObject *root, *eval;
  guint method = r->method, quant = r->quant, on = r->train_on_all;

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                   _("The recipe “%s” is not valid JSON: %s"), rd.file, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (&rd, "(top)", _("must be a JSON object"));
  root = json_node_get_object (json_parser_get_root (parser));

  if (!check_keys (&rd, root, "", keys) ||
      !get_string (&rd, root, "name", "name", &r->name) ||
      !get_string (&rd, root, "description", "description", &r->description) ||
      !get_path (&rd, root, "model", "model", &r->model) ||
      !read_dataset (&rd, root, r) ||
      !get_string (&rd, root, "template", "template", &r->template) ||
      !get_string (&rd, root, "system_prompt", "system_prompt", &r->system_prompt) ||
      !get_choice (&rd, root, "train_on", "train_on", train_on, G_N_ELEMENTS (train_on), &on) ||
      !get_choice (&rd, root, "method", "method", method_names, G_N_ELEMENTS (method_names), &method) ||
      !get_choice (&rd, root, "quant", "quant", quant_names, G_N_ELEMENTS (quant_names), &quant) ||
      !read_lora (&rd, root, r) ||
      !read_train (&rd, root, r) ||
      !read_object (&rd, root, "eval", &eval) ||
      (eval != NULL && (!check_keys (&rd, eval, "eval.", eval_keys) ||
                        !get_number (&rd, eval, "val_fraction", "eval.val_fraction", 0, 0.5, &r->val_fraction) ||
                        !get_count (&rd, eval, "every_steps", "eval.every_steps", 0, 10000000, &r->eval_every_steps))) ||
      !get_path (&rd, root, "output_dir", "output_dir", &r->output_dir) ||
      !get_string (&rd, root, "device", "device", &r->device))
    return FALSE;

  r->method = method;
  r->quant = quant;
  r->train_on_all = on;

  if (!g_str_equal (r->template, "auto"))
    {
      WhChatFamily family;

      if (!wh_chat_family_from_string (r->template, &family, NULL))
        return invalid (&rd, "template", _("names no chat template family; use \"auto\", chatml, llama3, llama2, mistral-v1, mistral-v3, mistral-v7, gemma, phi3, zephyr or alpaca"));
    }
  return TRUE;
}

gboolean
wh_recipe_load (WhRecipe    *r,
                const char  *path,
                GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (absolute);
  g_autoptr(GError) local_error = NULL;

  wh_recipe_init (r);
  r->path = g_filename_display_name (path);
  if (!g_file_get_contents (path, &data, NULL, &local_error))
    {
      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_OPEN,
                   _("Cannot read the recipe “%s”: %s"), r->path, local_error->message);
      return FALSE;
    }
  return wh_recipe_load_from_data (r, data, dir, error);
}

JsonNode *
wh_recipe_to_json (const WhRecipe *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

#define STR(k, v) G_STMT_START { json_builder_set_member_name (b, k); \
    if ((v) != NULL) json_builder_add_string_value (b, v); else json_builder_add_null_value (b); } G_STMT_END
#define INT(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } G_STMT_END
#define DBL(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_double_value (b, v); } G_STMT_END
#define BOOL(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_boolean_value (b, v); } G_STMT_END

  json_builder_begin_object (b);
  STR ("name", r->name);
  STR ("description", r->description);
  STR ("model", r->model);
  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  STR ("path", r->dataset_path);
  STR ("format", wh_dataset_format_to_string (r->dataset_format));
  STR ("text_prompt", r->text_prompt);
  if (r->dataset_columns != NULL)
    {
      json_builder_set_member_name (b, "columns");
      json_builder_begin_object (b);
      for (char **c = r->dataset_columns; *c != NULL; c++)
        {
          const char *eq = strrchr (*c, '=');
          g_autofree char *name = g_strndup (*c, eq - *c);

          STR (name, eq + 1);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  STR ("template", r->template);
  STR ("system_prompt", r->system_prompt);
  STR ("train_on", r->train_on_all ? "all" : "assistant");
  STR ("method", method_names[r->method]);
  STR ("quant", quant_names[r->quant]);
  json_builder_set_member_name (b, "lora");
  json_builder_begin_object (b);
  INT ("r", r->lora_r);
  DBL ("alpha", r->lora_alpha);
  DBL ("dropout", r->lora_dropout);
  json_builder_set_member_name (b, "targets");
  json_builder_begin_array (b);
  for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
    if (r->lora_targets & (1u << t))
      json_builder_add_string_value (b, wh_lora_target_name (t));
  json_builder_end_array (b);
  BOOL ("use_rslora", r->use_rslora);
  STR ("init_adapter", r->init_adapter);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "train");
  json_builder_begin_object (b);
  if (r->epochs > 0)
    INT ("epochs", r->epochs);
  else
    STR ("epochs", "auto");
  if (r->max_steps > 0)
    INT ("max_steps", r->max_steps);
  if (r->learning_rate > 0)
    DBL ("learning_rate", r->learning_rate);
  else
    STR ("learning_rate", "auto");
  STR ("schedule", schedule_names[r->schedule]);
  INT ("warmup_steps", r->warmup_steps);
  DBL ("weight_decay", r->weight_decay);
  INT ("batch_size", r->batch_size);
  INT ("grad_accum", r->grad_accum);
  INT ("max_seq_len", r->max_seq_len);
  BOOL ("packing", r->packing);
  BOOL ("shuffle", r->shuffle);
  INT ("seed", r->seed);
  DBL ("grad_clip", r->grad_clip);
  INT ("save_every_steps", r->save_every_steps);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "eval");
  json_builder_begin_object (b);
  DBL ("val_fraction", r->val_fraction);
  INT ("every_steps", r->eval_every_steps);
  json_builder_end_object (b);
  STR ("output_dir", r->output_dir);
  STR ("device", r->device);
  json_builder_end_object (b);

#undef STR
#undef INT
#undef DBL
#undef BOOL

  return json_builder_get_root (b);
}

gboolean
wh_recipe_save (const WhRecipe  *r,
                const char      *path,
                GError         **error)
{
  g_autoptr(JsonNode) root = wh_recipe_to_json (r);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  /* g_file_set_contents writes a temporary file, syncs it and renames. */
  if (!g_file_set_contents (path, text, len, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_WRITE,
                   _("Cannot write the recipe “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}
