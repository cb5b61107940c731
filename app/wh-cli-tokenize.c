/* wh-cli-tokenize.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "wh-cli.h"
#include "wh-tokenizer.h"

/* `whetstone-cli tokenize` and `whetstone-cli template`: what the model
 * will see, token by token. */

static gboolean
read_text (const char  *text,
           const char  *file,
           char       **out,
           GError     **error)
{
  if ((text == NULL) == (file == NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give exactly one of --text and --file"));
      return FALSE;
    }

  if (text != NULL)
    {
      *out = g_strdup (text);
      return TRUE;
    }

  return g_file_get_contents (file, out, NULL, error);
}

/* "1, 2 3" → ids; names the bad entry. */
static GArray *
parse_ids (const char  *text,
           WhTokenizer *tok,
           GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_auto(GStrv) words = g_strsplit_set (text, " ,\n\t[]", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      char *end = NULL;
      gint64 id;

      if (words[i][0] == '\0')
        continue;
      errno = 0;
      id = g_ascii_strtoll (words[i], &end, 10);
      if (errno != 0 || *end != '\0' || id < 0 || id >= wh_tokenizer_get_vocab_size (tok))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a token id of this tokenizer (0 to %u)"),
                       words[i], wh_tokenizer_get_vocab_size (tok) - 1);
          return NULL;
        }
      {
        gint32 v = (gint32) id;
        g_array_append_val (ids, v);
      }
    }

  return g_steal_pointer (&ids);
}

static void
print_ids (GArray *ids)
{
  for (guint i = 0; i < ids->len; i++)
    g_print ("%s%d", i > 0 ? " " : "", g_array_index (ids, gint32, i));
  g_print ("\n");
}

static void
add_ids_member (JsonBuilder *b,
                const char  *name,
                GArray      *ids)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (b, g_array_index (ids, gint32, i));
  json_builder_end_array (b);
}

int
wh_cli_tokenize (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autofree char *model = NULL;
  g_autofree char *text_arg = NULL;
  g_autofree char *file = NULL;
  g_autofree char *input = NULL;
  gboolean no_bos = FALSE, no_special = FALSE, json = FALSE, decode = FALSE;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
      N_("A model folder, a tokenizer.json or a .gguf file"), N_("PATH") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text_arg, N_("The text (or, with --decode, the ids)"), N_("TEXT") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the text from a file"), N_("FILE") },
    { "no-bos", 0, 0, G_OPTION_ARG_NONE, &no_bos,
      N_("Do not add the tokens the model adds around a text (BOS)"), NULL },
    { "no-special", 0, 0, G_OPTION_ARG_NONE, &no_special,
      N_("Treat special tokens written in the text as plain text"), NULL },
    { "decode", 0, 0, G_OPTION_ARG_NONE, &decode, N_("Turn ids back into text"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Shows the token ids a model’s tokenizer gives a text, "
                                  "or with --decode the text of ids."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;

  if (model == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give the model with --model PATH"));
      return WH_CLI_EXIT_USAGE;
    }
  if (!read_text (text_arg, file, &input, &error))
    return wh_cli_fail (error);
  if (!(tok = wh_tokenizer_new_from_file (model, &error)))
    return wh_cli_fail (error);

  if (decode)
    {
      g_autoptr(GArray) ids = parse_ids (input, tok, &error);
      g_autofree char *text = NULL;

      if (ids == NULL)
        return wh_cli_fail (error);
      text = wh_tokenizer_decode (tok, (const gint32 *) (gpointer) ids->data, ids->len,
                                  no_special ? WH_DECODE_SKIP_SPECIAL : WH_DECODE_NONE);
      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, text);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          wh_cli_print_json (root);
        }
      else
        g_print ("%s\n", text);
      return WH_CLI_EXIT_OK;
    }

  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
    WhEncodeFlags flags = WH_ENCODE_NONE;

    if (!no_bos)
      flags |= WH_ENCODE_ADD_SPECIAL;
    if (!no_special)
      flags |= WH_ENCODE_PARSE_SPECIAL;
    if (!wh_tokenizer_encode (tok, input, -1, flags, ids, &error))
      return wh_cli_fail (error);

    if (json)
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;

        json_builder_begin_object (b);
        add_ids_member (b, "ids", ids);
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        wh_cli_print_json (root);
      }
    else
      print_ids (ids);
  }

  return WH_CLI_EXIT_OK;
}

/* Shows line breaks and tabs as \\n and \\t, keeping other characters. */
static char *
escape_controls (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_c (out, *p); break;
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_role (const char  *name,
            WhChatRole  *role)
{
  if (g_strcmp0 (name, "system") == 0)
    *role = WH_CHAT_ROLE_SYSTEM;
  else if (g_strcmp0 (name, "user") == 0)
    *role = WH_CHAT_ROLE_USER;
  else if (g_strcmp0 (name, "assistant") == 0)
    *role = WH_CHAT_ROLE_ASSISTANT;
  else
    return FALSE;
  return TRUE;
}

/* A conversation as OpenAI writes it: {"messages": [{"role", "content",
 * "weight"?}]} or the bare list.  The messages point into @root. */
static GArray *
read_conversation (const char  *path,
                   JsonNode   **root_out,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) messages = g_array_new (FALSE, TRUE, sizeof (WhChatMessage));
  g_autofree char *display = g_filename_display_name (path);
  JsonNode *root;
  JsonArray *list = NULL;

  if (!json_parser_load_from_file (parser, path, error))
    {
      g_prefix_error (error, "%s: ", display);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root) &&
           json_object_has_member (json_node_get_object (root), "messages") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "messages")))
    list = json_object_get_array_member (json_node_get_object (root), "messages");

  if (list == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: expected {\"messages\": [{\"role\": …, \"content\": …}, …]}"), display);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      WhChatMessage message = { 0 };
      JsonNode *content = object != NULL ? json_object_get_member (object, "content") : NULL;

      if (object == NULL || content == NULL || !JSON_NODE_HOLDS_VALUE (content) ||
          json_node_get_value_type (content) != G_TYPE_STRING)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s: message %u needs a text “content”"), display, i + 1);
          return NULL;
        }
      if (!parse_role (json_object_get_string_member_with_default (object, "role", NULL), &message.role))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s: message %u has the role “%s”; use system, user or assistant"),
                       display, i + 1, json_object_get_string_member_with_default (object, "role", ""));
          return NULL;
        }
      message.content = json_node_get_string (content);
      message.train = json_object_get_int_member_with_default (object, "weight", 1) != 0;
      g_array_append_val (messages, message);
    }

  *root_out = json_node_ref (root);
  return g_steal_pointer (&messages);
}

int
wh_cli_template (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autoptr(GArray) messages = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) mask = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autofree char *model = NULL;
  g_autofree char *file = NULL;
  g_autofree char *family_name = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE, generation_prompt = FALSE;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
      N_("A model folder, a tokenizer.json or a .gguf file"), N_("PATH") },
    { "conversation", 'c', 0, G_OPTION_ARG_FILENAME, &file,
      N_("A JSON file: {\"messages\": [{\"role\": …, \"content\": …}]}"), N_("FILE") },
    { "family", 0, 0, G_OPTION_ARG_STRING, &family_name,
      N_("Use this template family instead of the model’s own (chatml, llama3, llama2, mistral-v1, mistral-v3, mistral-v7, gemma, phi3, zephyr, alpaca)"),
      N_("NAME") },
    { "generation-prompt", 'g', 0, G_OPTION_ARG_NONE, &generation_prompt,
      N_("End with the header of the assistant’s next turn, as the playground does"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Renders a conversation with a model’s chat template and shows the "
                                  "tokens, marking with * those the model learns from (the assistant’s)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;

  if (model == NULL || file == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give the model with --model PATH and the conversation with --conversation FILE"));
      return WH_CLI_EXIT_USAGE;
    }

  if (!(tok = wh_tokenizer_new_from_file (model, &error)))
    return wh_cli_fail (error);

  if (family_name != NULL)
    {
      WhChatFamily family;
      gint32 bos = wh_tokenizer_get_bos (tok), eos = wh_tokenizer_get_eos (tok);

      if (!wh_chat_family_from_string (family_name, &family, &error))
        return wh_cli_fail (error);
      tmpl = wh_chat_template_new (family,
                                   bos >= 0 ? wh_tokenizer_get_token_text (tok, bos) : NULL,
                                   eos >= 0 ? wh_tokenizer_get_token_text (tok, eos) : NULL);
    }
  else if (!(tmpl = wh_tokenizer_dup_chat_template (tok, &error)))
    return wh_cli_fail (error);

  if (!(messages = read_conversation (file, &conversation, &error)))
    return wh_cli_fail (error);
  if (!wh_tokenizer_encode_chat (tok, tmpl, (const WhChatMessage *) (gpointer) messages->data,
                                 messages->len, generation_prompt, ids, mask, &text, &error))
    return wh_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "family");
      json_builder_add_string_value (b, wh_chat_family_to_string (wh_chat_template_get_family (tmpl)));
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, text);
      add_ids_member (b, "ids", ids);
      json_builder_set_member_name (b, "mask");
      json_builder_begin_array (b);
      for (guint i = 0; i < mask->len; i++)
        json_builder_add_int_value (b, g_array_index (mask, guint8, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
      return WH_CLI_EXIT_OK;
    }

  g_print ("%s: %s\n\n", _("Template"), wh_chat_family_to_string (wh_chat_template_get_family (tmpl)));
  g_print ("%s\n", text);
  g_print ("\n%s\n", _("Tokens (* = learned from):"));
  for (guint i = 0; i < ids->len; i++)
    {
      gint32 id = g_array_index (ids, gint32, i);
      g_autofree char *piece = wh_tokenizer_decode (tok, &id, 1, WH_DECODE_NONE);
      g_autofree char *shown = escape_controls (piece);

      g_print ("%c %7d  %s\n", g_array_index (mask, guint8, i) ? '*' : ' ', id, shown);
    }

  return WH_CLI_EXIT_OK;
}
