/* wh-tokenizer-config.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-json.h"
#include "wh-tokenizer-private.h"

/* What a tokenizer.json leaves to the files beside it:
 * tokenizer_config.json (special tokens, add_bos_token, the chat template),
 * special_tokens_map.json, generation_config.json (stop ids) and
 * chat_template.jinja. */

JsonNode *
_wh_tokenizer_read_json (const char  *path,
                         gboolean     optional,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (optional && !g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      gboolean missing = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, WH_TOKENIZER_ERROR,
                   local_error->domain == JSON_PARSER_ERROR ? WH_TOKENIZER_ERROR_PARSE : WH_TOKENIZER_ERROR_OPEN,
                   missing ? _("The tokenizer file “%s” does not exist")
                           : _("Cannot read the tokenizer file “%s”: %s"),
                   display, local_error->message);
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/* A token given as "text" or as {"content": "text", …}. */
static const char *
token_content (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return wh_json_get_string (json_node_get_object (node), "content");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gint32
find_token (WhTokenizer *tok,
            const char  *text)
{
  return text != NULL ? _wh_tokenizer_find (tok, text, strlen (text)) : -1;
}

static void
apply_add_flag (WhTokenizer *tok,
                GArray      *ids,
                gint32       id,
                gboolean     add)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint32, i) == id)
      {
        if (!add)
          g_array_remove_index (ids, i);
        return;
      }
  if (add && id >= 0)
    {
      if (ids == tok->prefix_ids)
        g_array_prepend_val (ids, id);
      else
        g_array_append_val (ids, id);
    }
}

static void
read_ids (JsonNode *node,
          GArray   *out)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint32 id = json_node_get_int (node);
      g_array_append_val (out, id);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (list); i++)
        read_ids (json_array_get_element (list, i), out);
    }
}

/* The companion files: special tokens, BOS/EOS rules, stop ids and the
 * chat template. */
gboolean
_wh_tokenizer_load_companions (WhTokenizer  *tok,
                               const char   *dir,
                               GError      **error)
{
  g_autofree char *config_path = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autofree char *map_path = g_build_filename (dir, "special_tokens_map.json", NULL);
  g_autofree char *gen_path = g_build_filename (dir, "generation_config.json", NULL);
  g_autofree char *jinja_path = g_build_filename (dir, "chat_template.jinja", NULL);
  g_autoptr(JsonNode) config_node = NULL;
  g_autoptr(JsonNode) map_node = NULL;
  g_autoptr(JsonNode) gen_node = NULL;
  JsonObject *config, *map, *gen;
  static const char *const names[] = { "bos_token", "eos_token", "unk_token", "pad_token" };
  gint32 *slots[] = { &tok->bos, &tok->eos, &tok->unk, &tok->pad };
  static const char *const eot_texts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|eom_id|>", "<|endoftext|>", "<|end_of_text|>",
  };

  if (!(config_node = _wh_tokenizer_read_json (config_path, TRUE, error)) && *error != NULL)
    return FALSE;
  if (!(map_node = _wh_tokenizer_read_json (map_path, TRUE, error)) && *error != NULL)
    return FALSE;
  if (!(gen_node = _wh_tokenizer_read_json (gen_path, TRUE, error)) && *error != NULL)
    return FALSE;

  config = config_node != NULL && JSON_NODE_HOLDS_OBJECT (config_node) ? json_node_get_object (config_node) : NULL;
  map = map_node != NULL && JSON_NODE_HOLDS_OBJECT (map_node) ? json_node_get_object (map_node) : NULL;
  gen = gen_node != NULL && JSON_NODE_HOLDS_OBJECT (gen_node) ? json_node_get_object (gen_node) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = token_content (config, names[i]);

      if (text == NULL)
        text = token_content (map, names[i]);
      if (text != NULL && find_token (tok, text) >= 0)
        *slots[i] = find_token (tok, text);
    }

  /* Without configuration, take BOS/EOS from the post-processor and the
   * usual texts. */
  if (tok->bos < 0 && tok->prefix_ids->len > 0)
    tok->bos = g_array_index (tok->prefix_ids, gint32, 0);
  if (tok->bos < 0)
    tok->bos = find_token (tok, "<s>");
  if (tok->eos < 0)
    tok->eos = find_token (tok, "</s>");

  if (config != NULL && json_object_has_member (config, "add_bos_token"))
    apply_add_flag (tok, tok->prefix_ids, tok->bos, wh_json_get_bool (config, "add_bos_token", FALSE));
  if (config != NULL && json_object_has_member (config, "add_eos_token"))
    apply_add_flag (tok, tok->suffix_ids, tok->eos, wh_json_get_bool (config, "add_eos_token", FALSE));

  if (config != NULL)
    {
      JsonNode *node = json_object_get_member (config, "chat_template");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        tok->chat_template = g_strdup (json_node_get_string (node));
      else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *list = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              JsonObject *entry = json_array_get_object_element (list, i);

              if (g_strcmp0 (wh_json_get_string (entry, "name"), "default") == 0)
                tok->chat_template = g_strdup (wh_json_get_string (entry, "template"));
            }
        }
    }
  if (tok->chat_template == NULL && g_file_test (jinja_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (jinja_path, &tok->chat_template, NULL, &local_error))
        {
          g_autofree char *display = g_filename_display_name (jinja_path);

          g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_OPEN,
                       _("Cannot read the chat template “%s”: %s"), display, local_error->message);
          return FALSE;
        }
    }

  /* Stop ids: EOS, the end-of-turn tokens the vocabulary has, and
   * generation_config.json's list. */
  _wh_tokenizer_add_stop_id (tok, tok->eos);
  for (guint i = 0; i < G_N_ELEMENTS (eot_texts); i++)
    {
      gint32 id = find_token (tok, eot_texts[i]);

      if (id >= 0 && tok->token_types[id] == WH_TOKEN_CONTROL)
        _wh_tokenizer_add_stop_id (tok, id);
    }
  if (gen != NULL)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      read_ids (json_object_get_member (gen, "eos_token_id"), ids);
      for (guint i = 0; i < ids->len; i++)
        _wh_tokenizer_add_stop_id (tok, g_array_index (ids, gint32, i));
    }

  return TRUE;
}
