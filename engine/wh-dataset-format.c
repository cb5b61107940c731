/* wh-dataset-format.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-dataset-private.h"
#include "wh-json.h"

/* Rows in the formats people have → one internal form: a conversation of
 * system/user/assistant turns, or a preference pair. */

WhExample *
_wh_example_new (guint64 line)
{
  WhExample *example = g_new0 (WhExample, 1);

  example->line = line;
  example->turns = g_ptr_array_new_with_free_func (g_free);
  return example;
}

void
_wh_example_free (gpointer data)
{
  WhExample *example = data;

  if (example == NULL)
    return;
  for (guint i = 0; i < example->turns->len; i++)
    g_free (((WhTurn *) g_ptr_array_index (example->turns, i))->content);
  g_ptr_array_unref (example->turns);
  g_free (example->chosen);
  g_free (example->rejected);
  g_free (example);
}

void
_wh_example_add_turn (WhExample   *example,
                      WhChatRole   role,
                      const char  *content,
                      gboolean     train)
{
  WhTurn *turn = g_new0 (WhTurn, 1);

  turn->role = role;
  turn->content = g_strdup (content);
  turn->train = train;
  g_ptr_array_add (example->turns, turn);
}

/* One line of Whetstone's copy: the normalised conversation. */
char *
_wh_example_to_json_line (const WhExample *example)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  static const char *const roles[] = { "system", "user", "assistant" };
  char *json;
  gsize len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "line");
  json_builder_add_int_value (b, example->line);
  json_builder_set_member_name (b, example->chosen != NULL ? "prompt" : "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < example->turns->len; i++)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, roles[turn->role]);
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, turn->content);
      if (turn->role == WH_CHAT_ROLE_ASSISTANT && !turn->train)
        {
          json_builder_set_member_name (b, "weight");
          json_builder_add_int_value (b, 0);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (example->chosen != NULL)
    {
      json_builder_set_member_name (b, "chosen");
      json_builder_add_string_value (b, example->chosen);
      json_builder_set_member_name (b, "rejected");
      json_builder_add_string_value (b, example->rejected);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, &len);
  json = g_realloc (json, len + 2);
  json[len] = '\n';
  json[len + 1] = '\0';
  return json;
}

static gboolean
has_member (JsonObject *object,
            const char *name)
{
  return object != NULL && json_object_has_member (object, name);
}

WhDatasetFormat
_wh_dataset_guess_json (JsonNode *node)
{
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (o == NULL)
    return WH_DATASET_FORMAT_AUTO;
  if (has_member (o, "chosen") && has_member (o, "rejected"))
    return WH_DATASET_FORMAT_PREFERENCE;
  if (has_member (o, "preferred_output") && has_member (o, "non_preferred_output"))
    return WH_DATASET_FORMAT_PREFERENCE;
  if (has_member (o, "messages"))
    return WH_DATASET_FORMAT_OPENAI;
  if (has_member (o, "conversations"))
    return WH_DATASET_FORMAT_SHAREGPT;
  if (has_member (o, "instruction") || (has_member (o, "output") && has_member (o, "input")))
    return WH_DATASET_FORMAT_ALPACA;
  if (has_member (o, "prompt") && has_member (o, "completion"))
    return WH_DATASET_FORMAT_PROMPT_COMPLETION;
  if (has_member (o, "text"))
    return WH_DATASET_FORMAT_TEXT;
  return WH_DATASET_FORMAT_AUTO;
}

const char *
_wh_dataset_format_reason (WhDatasetFormat format)
{
  switch (format)
    {
    case WH_DATASET_FORMAT_OPENAI:
      return _("its rows have a “messages” list of turns with “role” and “content” (OpenAI chat format)");
    case WH_DATASET_FORMAT_SHAREGPT:
      return _("its rows have a “conversations” list of turns with “from” and “value” (ShareGPT format)");
    case WH_DATASET_FORMAT_ALPACA:
      return _("its rows have “instruction” and “output” fields (Alpaca format)");
    case WH_DATASET_FORMAT_PROMPT_COMPLETION:
      return _("its rows have “prompt” and “completion” fields");
    case WH_DATASET_FORMAT_TEXT:
      return _("its rows have a single “text” field (plain text, trained on as a whole)");
    case WH_DATASET_FORMAT_PREFERENCE:
      return _("its rows pair a preferred and a rejected answer (preference data)");
    case WH_DATASET_FORMAT_COLUMNS:
      return _("it is a table whose columns are mapped to conversation roles");
    case WH_DATASET_FORMAT_AUTO:
    default:
      return _("its rows match no format Whetstone knows");
    }
}

static const char *
format_short_name (WhDatasetFormat format)
{
  switch (format)
    {
    case WH_DATASET_FORMAT_OPENAI: return _("OpenAI chat (“messages”)");
    case WH_DATASET_FORMAT_SHAREGPT: return _("ShareGPT (“conversations”)");
    case WH_DATASET_FORMAT_ALPACA: return _("Alpaca (“instruction”/“output”)");
    case WH_DATASET_FORMAT_PROMPT_COMPLETION: return _("prompt/completion");
    case WH_DATASET_FORMAT_TEXT: return _("plain “text”");
    case WH_DATASET_FORMAT_PREFERENCE: return _("preference pairs");
    case WH_DATASET_FORMAT_COLUMNS:
    case WH_DATASET_FORMAT_AUTO:
    default: return _("an unknown format");
    }
}

/* Each unknown key is reported once, at its first line. */
static void
check_keys (WhDataset          *ds,
            JsonObject         *object,
            guint64             line,
            const char * const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *tag = NULL;

      if (g_strv_contains (known, key))
        continue;
      tag = g_strconcat ("unknown-field:", key, NULL);
      if (!g_hash_table_add (ds->reported, g_steal_pointer (&tag)))
        continue;
      _wh_dataset_add_problem (ds, WH_PROBLEM_UNKNOWN_FIELD, WH_PROBLEM_WARNING, line, 0,
                               _("Whetstone ignores it; remove it to silence this warning."),
                               _("The field “%s” is not part of this format (first seen here)."), key);
    }
}

/* A string, or OpenAI's list of content parts. */
static char *
content_text (JsonNode *node,
              gboolean *ok)
{
  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *parts = json_node_get_array (node);
      GString *out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonObject *part = json_array_get_object_element (parts, i);
          const char *text = wh_json_get_string (part, "text");

          if (text == NULL || g_strcmp0 (wh_json_get_string (part, "type"), "text") != 0)
            {
              *ok = FALSE;
              break;
            }
          g_string_append (out, text);
        }
      return g_string_free (out, FALSE);
    }
  *ok = FALSE;
  return NULL;
}

static gboolean
parse_role (const char *name,
            WhChatRole *role)
{
  static const struct { const char *name; WhChatRole role; } roles[] = {
    { "system", WH_CHAT_ROLE_SYSTEM }, { "developer", WH_CHAT_ROLE_SYSTEM },
    { "user", WH_CHAT_ROLE_USER }, { "human", WH_CHAT_ROLE_USER },
    { "assistant", WH_CHAT_ROLE_ASSISTANT }, { "gpt", WH_CHAT_ROLE_ASSISTANT },
    { "model", WH_CHAT_ROLE_ASSISTANT }, { "chatgpt", WH_CHAT_ROLE_ASSISTANT },
    { "bot", WH_CHAT_ROLE_ASSISTANT },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (roles); i++)
    if (g_ascii_strcasecmp (name, roles[i].name) == 0)
      {
        *role = roles[i].role;
        return TRUE;
      }
  return FALSE;
}

/* A list of turns: OpenAI ("role"/"content") or ShareGPT ("from"/"value"). */
static gboolean
read_turns (WhDataset   *ds,
            WhExample   *example,
            JsonNode    *list_node,
            const char  *list_name,
            const char  *role_key,
            const char  *content_key,
            guint64      line)
{
  JsonArray *list;

  if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node))
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                               _("Give a list of turns, each with a role and a text."),
                               _("“%s” is missing or is not a list."), list_name);
      return FALSE;
    }

  list = json_node_get_array (list_node);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *turn = json_array_get_object_element (list, i);
      const char *role_name = wh_json_get_string (turn, role_key);
      g_autofree char *content = NULL;
      WhChatRole role;
      gboolean ok, train = TRUE;
      JsonNode *weight;

      if (turn == NULL || role_name == NULL)
        {
          _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                                   _("Each turn needs a role (“system”, “user” or “assistant”)."),
                                   _("Turn %u has no “%s”."), i + 1, role_key);
          return FALSE;
        }
      if (!parse_role (role_name, &role))
        {
          _wh_dataset_add_problem (ds, WH_PROBLEM_UNKNOWN_ROLE, WH_PROBLEM_ERROR, line, 0,
                                   _("Use “system”, “user” or “assistant” (tool calls are not supported yet)."),
                                   _("Turn %u has the role “%s”, which Whetstone does not know."), i + 1, role_name);
          return FALSE;
        }
      content = content_text (json_object_get_member (turn, content_key), &ok);
      if (!ok)
        {
          _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                                   _("Write the turn’s text as a string (images and other parts are not supported)."),
                                   _("Turn %u’s “%s” is not text."), i + 1, content_key);
          return FALSE;
        }
      weight = json_object_get_member (turn, "weight");
      if (weight != NULL && JSON_NODE_HOLDS_VALUE (weight))
        train = json_node_get_int (weight) != 0;
      _wh_example_add_turn (example, role, content, role == WH_CHAT_ROLE_ASSISTANT && train);
    }
  return TRUE;
}

static const char *
string_member (WhDataset   *ds,
               JsonObject  *object,
               const char  *name,
               gboolean     required,
               guint64      line,
               gboolean    *failed)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (node == NULL && !required)
    return NULL;
  if (node != NULL && JSON_NODE_HOLDS_NULL (node) && !required)
    return NULL;

  _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                           _("Give it as a text string."),
                           node == NULL ? _("The field “%s” is missing.") : _("The field “%s” is not text."), name);
  *failed = TRUE;
  return NULL;
}

static WhExample *
from_alpaca (WhDataset  *ds,
             JsonObject *o,
             guint64     line)
{
  static const char *const known[] = { "instruction", "input", "output", "system", "history", NULL };
  g_autoptr(WhExample) example = _wh_example_new (line);
  gboolean failed = FALSE;
  const char *instruction = string_member (ds, o, "instruction", TRUE, line, &failed);
  const char *input = string_member (ds, o, "input", FALSE, line, &failed);
  const char *output = string_member (ds, o, "output", TRUE, line, &failed);
  const char *system = string_member (ds, o, "system", FALSE, line, &failed);
  JsonArray *history = wh_json_get_array (o, "history");
  g_autofree char *user = NULL;

  if (failed)
    return NULL;
  check_keys (ds, o, line, known);
  if (system != NULL && *system != '\0')
    _wh_example_add_turn (example, WH_CHAT_ROLE_SYSTEM, system, FALSE);
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonArray *pair = json_array_get_array_element (history, i);

      if (pair == NULL || json_array_get_length (pair) != 2)
        {
          _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                                   _("Write each earlier exchange as [\"question\", \"answer\"]."),
                                   _("Entry %u of “history” is not a pair of texts."), i + 1);
          return NULL;
        }
      _wh_example_add_turn (example, WH_CHAT_ROLE_USER, json_array_get_string_element (pair, 0), FALSE);
      _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, json_array_get_string_element (pair, 1), TRUE);
    }
  user = input != NULL && *input != '\0' ? g_strconcat (instruction, "\n\n", input, NULL) : g_strdup (instruction);
  _wh_example_add_turn (example, WH_CHAT_ROLE_USER, user, FALSE);
  _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, output, TRUE);
  return g_steal_pointer (&example);
}

/* Preference pairs: {"prompt", "chosen", "rejected"} with strings or turn
 * lists, or OpenAI's {"input": {"messages"}, "preferred_output": [turn],
 * "non_preferred_output": [turn]}. */
static char *
answer_text (JsonNode *node)
{
  gboolean ok;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      JsonObject *last = json_array_get_length (list) > 0
                         ? json_array_get_object_element (list, json_array_get_length (list) - 1) : NULL;

      return last != NULL ? content_text (json_object_get_member (last, "content"), &ok) : NULL;
    }
  {
    char *text = content_text (node, &ok);

    if (!ok)
      g_clear_pointer (&text, g_free);
    return text;
  }
}

static WhExample *
from_preference (WhDataset  *ds,
                 JsonObject *o,
                 guint64     line)
{
  g_autoptr(WhExample) example = _wh_example_new (line);
  gboolean openai = has_member (o, "preferred_output");
  JsonNode *prompt = json_object_get_member (o, openai ? "input" : "prompt");

  if (openai && prompt != NULL && JSON_NODE_HOLDS_OBJECT (prompt))
    {
      if (!read_turns (ds, example, json_object_get_member (json_node_get_object (prompt), "messages"),
                       "input.messages", "role", "content", line))
        return NULL;
    }
  else if (prompt != NULL && JSON_NODE_HOLDS_ARRAY (prompt))
    {
      if (!read_turns (ds, example, prompt, "prompt", "role", "content", line))
        return NULL;
    }
  else if (prompt != NULL && JSON_NODE_HOLDS_VALUE (prompt))
    _wh_example_add_turn (example, WH_CHAT_ROLE_USER, json_node_get_string (prompt), FALSE);
  else
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                               _("Give the question both answers reply to."),
                               _("The prompt of this preference pair is missing."));
      return NULL;
    }

  example->chosen = answer_text (json_object_get_member (o, openai ? "preferred_output" : "chosen"));
  example->rejected = answer_text (json_object_get_member (o, openai ? "non_preferred_output" : "rejected"));
  if (example->chosen == NULL || example->rejected == NULL)
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                               _("Give both the preferred and the rejected answer as text."),
                               _("This preference pair lacks an answer."));
      return NULL;
    }
  return g_steal_pointer (&example);
}

WhExample *
_wh_dataset_from_json (WhDataset *ds,
                       JsonNode  *node,
                       guint64    line)
{
  WhDatasetFormat row_format = _wh_dataset_guess_json (node);
  g_autoptr(WhExample) example = NULL;
  JsonObject *o;
  gboolean failed = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                               _("Each row must be a JSON object such as {\"messages\": [...]}."),
                               _("This row is not a JSON object."));
      return NULL;
    }
  o = json_node_get_object (node);

  if (row_format == WH_DATASET_FORMAT_AUTO)
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MISSING_FIELD, WH_PROBLEM_ERROR, line, 0,
                               _("Give the row the fields of the file’s format."),
                               _("This row has none of the fields of %s."), format_short_name (ds->format));
      return NULL;
    }
  if (row_format != ds->format)
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_MIXED_FORMAT, WH_PROBLEM_ERROR, line, 0,
                               _("Convert it to the file’s format, or keep one format per file."),
                               _("This row is in %s but the file is in %s."),
                               format_short_name (row_format), format_short_name (ds->format));
      return NULL;
    }

  example = _wh_example_new (line);
  switch (ds->format)
    {
    case WH_DATASET_FORMAT_OPENAI:
      {
        static const char *const known[] = { "messages", "tools", "parallel_tool_calls", "metadata", NULL };

        if (!read_turns (ds, example, json_object_get_member (o, "messages"), "messages", "role", "content", line))
          return NULL;
        check_keys (ds, o, line, known);
      }
      break;

    case WH_DATASET_FORMAT_SHAREGPT:
      {
        static const char *const known[] = { "conversations", "id", "system", NULL };
        const char *system = wh_json_get_string (o, "system");

        if (system != NULL && *system != '\0')
          _wh_example_add_turn (example, WH_CHAT_ROLE_SYSTEM, system, FALSE);
        if (!read_turns (ds, example, json_object_get_member (o, "conversations"), "conversations", "from", "value", line))
          return NULL;
        check_keys (ds, o, line, known);
      }
      break;

    case WH_DATASET_FORMAT_ALPACA:
      return from_alpaca (ds, o, line);

    case WH_DATASET_FORMAT_PROMPT_COMPLETION:
      {
        static const char *const known[] = { "prompt", "completion", NULL };
        const char *prompt = string_member (ds, o, "prompt", TRUE, line, &failed);
        const char *completion = string_member (ds, o, "completion", TRUE, line, &failed);

        if (failed)
          return NULL;
        check_keys (ds, o, line, known);
        _wh_example_add_turn (example, WH_CHAT_ROLE_USER, prompt, FALSE);
        _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, completion, TRUE);
      }
      break;

    case WH_DATASET_FORMAT_TEXT:
      {
        static const char *const known[] = { "text", "id", "source", "metadata", NULL };
        const char *text = string_member (ds, o, "text", TRUE, line, &failed);

        if (failed)
          return NULL;
        check_keys (ds, o, line, known);
        _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, text, TRUE);
      }
      break;

    case WH_DATASET_FORMAT_PREFERENCE:
      return from_preference (ds, o, line);

    case WH_DATASET_FORMAT_COLUMNS:
    case WH_DATASET_FORMAT_AUTO:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&example);
}

/* The first @max_words words of @text, with "…" when there are more. */
static char *
opening_words (const char *text,
               guint       max_words)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  GString *out = g_string_new (NULL);
  guint n = 0, i;

  for (i = 0; words[i] != NULL && n < max_words; i++)
    if (*words[i] != '\0')
      {
        g_string_append_printf (out, "%s%s", n > 0 ? " " : "", words[i]);
        n++;
      }
  while (words[i] != NULL && *words[i] == '\0')
    i++;
  if (words[i] != NULL)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

WhExample *
_wh_dataset_from_text (WhDataset  *ds,
                       const char *text,
                       guint64     line)
{
  WhExample *example = _wh_example_new (line);

  if (ds->options.text_prompt != NULL)
    {
      g_autofree char *opening = opening_words (text, 8);
      g_auto(GStrv) parts = g_strsplit (ds->options.text_prompt, "%s", 2);
      g_autofree char *request = g_strjoin (opening, parts[0], parts[1], NULL);

      _wh_example_add_turn (example, WH_CHAT_ROLE_USER, parts[1] != NULL ? request : parts[0], FALSE);
    }
  _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, text, TRUE);
  return example;
}

/* CSV/TSV columns */

static const struct
{
  const char   *name;
  WhColumnRole  role;
} column_names[] = {
  { "system", WH_COLUMN_SYSTEM }, { "system_prompt", WH_COLUMN_SYSTEM }, { "context", WH_COLUMN_SYSTEM },
  { "schema", WH_COLUMN_SYSTEM },
  { "prompt", WH_COLUMN_USER }, { "question", WH_COLUMN_USER }, { "instruction", WH_COLUMN_USER },
  { "input", WH_COLUMN_USER }, { "user", WH_COLUMN_USER }, { "human", WH_COLUMN_USER },
  { "request", WH_COLUMN_USER }, { "message", WH_COLUMN_USER }, { "q", WH_COLUMN_USER },
  { "response", WH_COLUMN_ASSISTANT }, { "answer", WH_COLUMN_ASSISTANT }, { "output", WH_COLUMN_ASSISTANT },
  { "completion", WH_COLUMN_ASSISTANT }, { "assistant", WH_COLUMN_ASSISTANT }, { "reply", WH_COLUMN_ASSISTANT },
  { "gpt", WH_COLUMN_ASSISTANT }, { "target", WH_COLUMN_ASSISTANT }, { "sql", WH_COLUMN_ASSISTANT },
  { "query", WH_COLUMN_ASSISTANT }, { "a", WH_COLUMN_ASSISTANT },
  { "chosen", WH_COLUMN_CHOSEN }, { "rejected", WH_COLUMN_REJECTED },
  { "ignore", WH_COLUMN_IGNORE },
};

static const char *
role_name (WhColumnRole role)
{
  static const char *const names[] = { "ignore", "system", "user", "assistant", "chosen", "rejected" };

  return names[role];
}

static gboolean
lookup_role (const char   *name,
             WhColumnRole *role)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (g_str_equal (lower, column_names[i].name))
      {
        *role = column_names[i].role;
        return TRUE;
      }
  return FALSE;
}

gboolean
_wh_dataset_map_columns (WhDataset           *ds,
                         const char * const  *names,
                         GError             **error)
{
  guint n = g_strv_length ((char **) names);
  gboolean user = FALSE, assistant = FALSE, chosen = FALSE, rejected = FALSE;

  ds->n_columns = n;
  ds->column_roles = g_new0 (WhColumnRole, n);

  if (ds->options.columns != NULL)
    {
      for (const char * const *m = ds->options.columns; *m != NULL; m++)
        {
          const char *eq = strrchr (*m, '=');
          g_autofree char *column = eq != NULL ? g_strndup (*m, eq - *m) : NULL;
          WhColumnRole role;
          guint index = n;

          for (guint i = 0; column != NULL && i < n; i++)
            if (g_str_equal (names[i], column))
              index = i;
          if (eq == NULL || index == n || !lookup_role (eq + 1, &role) ||
              (role != WH_COLUMN_IGNORE && !g_str_equal (eq + 1, role_name (role))))
            {
              g_autofree char *all = g_strjoinv (", ", (char **) names);

              g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPTIONS,
                           _("The column mapping “%s” does not fit “%s”: write COLUMN=ROLE with one of its columns (%s) and a role among system, user, assistant, chosen, rejected, ignore"),
                           *m, ds->display, all);
              return FALSE;
            }
          ds->column_roles[index] = role;
        }
    }
  else
    {
      for (guint i = 0; i < n; i++)
        if (!lookup_role (names[i], &ds->column_roles[i]))
          ds->column_roles[i] = WH_COLUMN_IGNORE;
      /* Two unnamed columns: a question and its answer. */
      if (n == 2 && ds->column_roles[0] == WH_COLUMN_IGNORE && ds->column_roles[1] == WH_COLUMN_IGNORE)
        {
          ds->column_roles[0] = WH_COLUMN_USER;
          ds->column_roles[1] = WH_COLUMN_ASSISTANT;
        }
    }

  ds->columns = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      ds->columns[i] = g_strdup_printf ("%s=%s", names[i], role_name (ds->column_roles[i]));
      user |= ds->column_roles[i] == WH_COLUMN_USER;
      assistant |= ds->column_roles[i] == WH_COLUMN_ASSISTANT;
      chosen |= ds->column_roles[i] == WH_COLUMN_CHOSEN;
      rejected |= ds->column_roles[i] == WH_COLUMN_REJECTED;
    }

  if (chosen && rejected)
    ds->format = WH_DATASET_FORMAT_PREFERENCE;
  else if (user && assistant)
    ds->format = WH_DATASET_FORMAT_COLUMNS;
  else
    {
      g_autofree char *all = g_strjoinv (", ", (char **) names);

      g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT,
                   _("Whetstone cannot tell which columns of “%s” hold the questions and the answers (its columns: %s). "
                     "Name them, for example prompt and response, or map them: --columns question=user --columns answer=assistant"),
                   ds->display, all);
      return FALSE;
    }
  return TRUE;
}

static void
append_part (GString    *out,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, "\n\n");
  g_string_append (out, text);
}

WhExample *
_wh_dataset_from_fields (WhDataset *ds,
                         GPtrArray *fields,
                         guint64    line)
{
  g_autoptr(GString) system = g_string_new (NULL);
  g_autoptr(GString) user = g_string_new (NULL);
  g_autoptr(GString) assistant = g_string_new (NULL);
  g_autoptr(GString) chosen = g_string_new (NULL);
  g_autoptr(GString) rejected = g_string_new (NULL);
  WhExample *example;

  for (guint i = 0; i < fields->len && i < ds->n_columns; i++)
    {
      const char *text = g_ptr_array_index (fields, i);
      GString *targets[] = { NULL, system, user, assistant, chosen, rejected };

      if (targets[ds->column_roles[i]] != NULL)
        append_part (targets[ds->column_roles[i]], text);
    }

  example = _wh_example_new (line);
  if (system->len > 0)
    _wh_example_add_turn (example, WH_CHAT_ROLE_SYSTEM, system->str, FALSE);
  _wh_example_add_turn (example, WH_CHAT_ROLE_USER, user->str, FALSE);
  if (ds->format == WH_DATASET_FORMAT_PREFERENCE)
    {
      example->chosen = g_strdup (chosen->str);
      example->rejected = g_strdup (rejected->str);
    }
  else
    _wh_example_add_turn (example, WH_CHAT_ROLE_ASSISTANT, assistant->str, TRUE);
  return example;
}
