/* test-chat-template.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every family against what jinja2 renders from the official templates
 * (tests/reference/chat-templates, written by make-goldens.py), then
 * detection, defaults and the errors. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wh-chat-template.h"

typedef struct
{
  const char *family;
  const char *bos;
  const char *eos;
} FamilyTokens;

/* What wh_chat_template_new() uses for NULL tokens. */
static const FamilyTokens family_tokens[] = {
  { "chatml", "", "<|im_end|>" },
  { "llama3", "<|begin_of_text|>", "<|eot_id|>" },
  { "llama2", "<s>", "</s>" },
  { "mistral-v1", "<s>", "</s>" },
  { "mistral-v3", "<s>", "</s>" },
  { "mistral-v7", "<s>", "</s>" },
  { "gemma", "<bos>", "<eos>" },
  { "phi3", "<s>", "<|endoftext|>" },
  { "zephyr", "<s>", "</s>" },
  { "alpaca", "<s>", "</s>" },
};

static JsonObject *goldens;

static const char *
reference_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("WH_REFERENCE_DIR");

      dir = env ? g_strdup (env) : g_test_build_filename (G_TEST_DIST, "reference", NULL);
    }
  return dir;
}

static char *
read_reference (const char *name)
{
  g_autofree char *path = g_build_filename (reference_dir (), "chat-templates", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* make-goldens.py writes <<strftime_now:FORMAT>> where a template asks for
 * the date; transformers would write today's. */
static char *
with_today (const char *text)
{
  g_autoptr(GDateTime) now = NULL;
  GString *out;
  const char *p = text;
  const char *start;

  if (text == NULL)
    return NULL;

  now = g_date_time_new_now_local ();
  out = g_string_new (NULL);

  while ((start = strstr (p, "<<strftime_now:")) != NULL)
    {
      const char *format = start + strlen ("<<strftime_now:");
      const char *end = strstr (format, ">>");
      g_autofree char *f = NULL;
      g_autofree char *date = NULL;

      g_assert_nonnull (end);
      f = g_strndup (format, end - format);
      date = g_date_time_format (now, f);
      g_string_append_len (out, p, start - p);
      g_string_append (out, date);
      p = end + 2;
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

static const char *
member_string_or_null (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
find_template_info (const char *file)
{
  JsonArray *templates = json_object_get_array_member (goldens, "templates");

  for (guint i = 0; i < json_array_get_length (templates); i++)
    {
      JsonObject *t = json_array_get_object_element (templates, i);

      if (g_str_equal (json_object_get_string_member (t, "file"), file))
        return t;
    }
  g_assert_not_reached ();
}

static WhChatFamily
family_of (JsonObject *template_info)
{
  g_autoptr(GError) error = NULL;
  WhChatFamily family = WH_CHAT_FAMILY_UNKNOWN;

  wh_chat_family_from_string (json_object_get_string_member (template_info, "family"), &family, &error);
  g_assert_no_error (error);
  return family;
}

static WhChatTemplate *
template_from_reference (JsonObject *template_info)
{
  g_autofree char *jinja = read_reference (json_object_get_string_member (template_info, "file"));
  g_autoptr(GError) error = NULL;
  WhChatTemplate *template;

  template = wh_chat_template_new_from_jinja (jinja,
                                              member_string_or_null (template_info, "bos_token"),
                                              member_string_or_null (template_info, "eos_token"),
                                              &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  return template;
}

static WhChatMessage *
messages_from_json (JsonArray *array,
                    gsize     *n_messages)
{
  guint n = json_array_get_length (array);
  WhChatMessage *messages = g_new0 (WhChatMessage, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (array, i);
      const char *role = json_object_get_string_member (m, "role");

      if (g_str_equal (role, "system"))
        messages[i].role = WH_CHAT_ROLE_SYSTEM;
      else if (g_str_equal (role, "user"))
        messages[i].role = WH_CHAT_ROLE_USER;
      else if (g_str_equal (role, "assistant"))
        messages[i].role = WH_CHAT_ROLE_ASSISTANT;
      else
        g_assert_not_reached ();
      messages[i].content = json_object_get_string_member (m, "content");
      messages[i].train = json_object_get_boolean_member_with_default (m, "train", TRUE);
    }

  *n_messages = n;
  return messages;
}

static void
assert_strings_equal (GPtrArray *actual,
                      JsonArray *expected)
{
  g_assert_cmpuint (actual->len, ==, json_array_get_length (expected));
  for (guint i = 0; i < actual->len; i++)
    {
      g_autofree char *want = with_today (json_array_get_string_element (expected, i));

      g_assert_cmpstr (g_ptr_array_index (actual, i), ==, want);
    }
}

static void
check_segments (GPtrArray     *segments,
                JsonObject    *golden,
                WhChatMessage *messages,
                gsize          n_messages)
{
  g_autoptr(GPtrArray) contents = g_ptr_array_new ();
  g_autoptr(GPtrArray) spans = g_ptr_array_new_with_free_func (g_free);
  GString *span = NULL;

  for (guint i = 0; i < segments->len; i++)
    {
      WhChatSegment *segment = g_ptr_array_index (segments, i);

      g_assert_nonnull (segment->text);
      g_assert_cmpstr (segment->text, !=, "");

      if (segment->kind == WH_CHAT_SEGMENT_CONTENT)
        g_ptr_array_add (contents, segment->text);
      else
        {
          /* The template's own text never carries the conversation's. */
          for (gsize j = 0; j < n_messages; j++)
            {
              g_autofree char *text = g_strstrip (g_strdup (messages[j].content));

              if (strlen (text) >= 3)
                g_assert_null (strstr (segment->text, text));
            }
        }

      if (segment->assistant)
        {
          if (span == NULL)
            span = g_string_new (NULL);
          g_string_append (span, segment->text);
        }
      else if (span != NULL)
        g_ptr_array_add (spans, g_string_free (g_steal_pointer (&span), FALSE));
    }
  if (span != NULL)
    g_ptr_array_add (spans, g_string_free (g_steal_pointer (&span), FALSE));

  assert_strings_equal (contents, json_object_get_array_member (golden, "contents"));
  assert_strings_equal (spans, json_object_get_array_member (golden, "assistant_spans"));
}

static void
render_and_compare (WhChatTemplate *template,
                    JsonObject     *golden)
{
  g_autofree WhChatMessage *messages = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  gsize n_messages;

  messages = messages_from_json (json_object_get_array_member (golden, "messages"), &n_messages);
  segments = wh_chat_template_render (template, messages, n_messages,
                                      json_object_get_boolean_member (golden, "add_generation_prompt"),
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (segments);

  text = wh_chat_segments_join (segments);
  expected = with_today (json_object_get_string_member (golden, "expected"));
  g_assert_cmpstr (text, ==, expected);

  check_segments (segments, golden, messages, n_messages);
}

static void
test_golden (gconstpointer data)
{
  JsonObject *golden = (JsonObject *) data;
  JsonObject *info = find_template_info (json_object_get_string_member (golden, "template"));
  g_autoptr(WhChatTemplate) template = template_from_reference (info);

  g_assert_cmpint (wh_chat_template_get_family (template), ==, family_of (info));
  render_and_compare (template, golden);

  /* Templates that are their family's plain form render the same by name,
   * and with the family's usual tokens when the model's are those. */
  if (json_object_get_boolean_member (info, "by_name"))
    {
      const char *bos = member_string_or_null (info, "bos_token");
      const char *eos = member_string_or_null (info, "eos_token");
      g_autoptr(WhChatTemplate) named = wh_chat_template_new (family_of (info), bos, eos);

      render_and_compare (named, golden);

      for (guint i = 0; i < G_N_ELEMENTS (family_tokens); i++)
        {
          if (g_str_equal (family_tokens[i].family, json_object_get_string_member (info, "family")) &&
              g_strcmp0 (family_tokens[i].eos, eos) == 0 &&
              (bos == NULL || g_str_equal (family_tokens[i].bos, bos)))
            {
              g_autoptr(WhChatTemplate) plain = wh_chat_template_new (family_of (info), NULL, NULL);

              render_and_compare (plain, golden);
            }
        }
    }
}

/* Where the official template raises, so does Whetstone. */
static void
test_golden_error (gconstpointer data)
{
  JsonObject *golden = (JsonObject *) data;
  JsonObject *info = find_template_info (json_object_get_string_member (golden, "template"));
  g_autoptr(WhChatTemplate) template = template_from_reference (info);
  g_autofree WhChatMessage *messages = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  gsize n_messages;

  messages = messages_from_json (json_object_get_array_member (golden, "messages"), &n_messages);
  segments = wh_chat_template_render (template, messages, n_messages,
                                      json_object_get_boolean_member (golden, "add_generation_prompt"),
                                      &error);
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION);
  g_assert_null (segments);
  g_assert_nonnull (strstr (error->message, "Message "));
}

static void
test_detect (void)
{
  JsonArray *templates = json_object_get_array_member (goldens, "templates");

  g_assert_cmpuint (json_array_get_length (templates), >=, G_N_ELEMENTS (family_tokens));

  for (guint i = 0; i < json_array_get_length (templates); i++)
    {
      JsonObject *info = json_array_get_object_element (templates, i);
      g_autofree char *jinja = read_reference (json_object_get_string_member (info, "file"));
      g_autoptr(WhChatTemplate) template = template_from_reference (info);
      g_autofree char *expected = with_today (member_string_or_null (info, "default_system"));

      g_test_message ("%s", json_object_get_string_member (info, "file"));
      g_assert_cmpint (wh_chat_family_detect (jinja), ==, family_of (info));
      g_assert_cmpstr (wh_chat_template_get_default_system (template), ==, expected);
    }
}

static void
test_detect_unknown (void)
{
  const char *unknown[] = {
    "",
    "Hello {{ name }}!",
    "{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}",
    /* Phi-4: ChatML's tokens, another layout. */
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + '<|im_end|>'}}{% endfor %}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(WhChatTemplate) template = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (wh_chat_family_detect (unknown[i]), ==, WH_CHAT_FAMILY_UNKNOWN);
      template = wh_chat_template_new_from_jinja (unknown[i], NULL, NULL, &error);
      g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY);
      g_assert_null (template);
      g_assert_nonnull (strstr (error->message, "\"template\": \"chatml\""));
    }
}

static void
test_family_names (void)
{
  g_autoptr(GError) error = NULL;
  WhChatFamily family;

  for (guint i = 0; i < G_N_ELEMENTS (family_tokens); i++)
    {
      g_assert_true (wh_chat_family_from_string (family_tokens[i].family, &family, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (wh_chat_family_to_string (family), ==, family_tokens[i].family);
    }
  g_assert_null (wh_chat_family_to_string (WH_CHAT_FAMILY_UNKNOWN));

  family = WH_CHAT_FAMILY_CHATML;
  g_assert_false (wh_chat_family_from_string ("vicuna", &family, &error));
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY);
  g_assert_cmpint (family, ==, WH_CHAT_FAMILY_CHATML);
  g_assert_nonnull (strstr (error->message, "vicuna"));
  for (guint i = 0; i < G_N_ELEMENTS (family_tokens); i++)
    g_assert_nonnull (strstr (error->message, family_tokens[i].family));
}

static GPtrArray *
render (WhChatFamily         family,
        const WhChatMessage *messages,
        gsize                n_messages,
        gboolean             add_generation_prompt,
        GError             **error)
{
  g_autoptr(WhChatTemplate) template = wh_chat_template_new (family, NULL, NULL);

  return wh_chat_template_render (template, messages, n_messages, add_generation_prompt, error);
}

static void
test_segments (void)
{
  const WhChatMessage messages[] = {
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
    { WH_CHAT_ROLE_ASSISTANT, "Hello", TRUE },
  };
  const struct
  {
    WhChatSegmentKind kind;
    gboolean assistant;
    const char *text;
  } expected[] = {
    { WH_CHAT_SEGMENT_MARKUP, FALSE, "<|im_start|>user\n" },
    { WH_CHAT_SEGMENT_CONTENT, FALSE, "Hi" },
    { WH_CHAT_SEGMENT_MARKUP, FALSE, "<|im_end|>\n<|im_start|>assistant\n" },
    { WH_CHAT_SEGMENT_CONTENT, TRUE, "Hello" },
    { WH_CHAT_SEGMENT_MARKUP, TRUE, "<|im_end|>" },
    { WH_CHAT_SEGMENT_MARKUP, FALSE, "\n<|im_start|>assistant\n" },
  };
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  segments = render (WH_CHAT_FAMILY_CHATML, messages, G_N_ELEMENTS (messages), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < segments->len; i++)
    {
      WhChatSegment *segment = g_ptr_array_index (segments, i);

      g_assert_cmpint (segment->kind, ==, expected[i].kind);
      g_assert_cmpint (segment->assistant, ==, expected[i].assistant);
      g_assert_cmpstr (segment->text, ==, expected[i].text);
    }
}

static void
test_default_system (void)
{
  const WhChatMessage messages[] = {
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
  };
  const WhChatMessage with_system[] = {
    { WH_CHAT_ROLE_SYSTEM, "Be terse.", FALSE },
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
  };
  g_autoptr(WhChatTemplate) template = wh_chat_template_new (WH_CHAT_FAMILY_CHATML, NULL, NULL);
  g_autoptr(WhChatTemplate) alpaca = wh_chat_template_new (WH_CHAT_FAMILY_ALPACA, NULL, NULL);
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_null (wh_chat_template_get_default_system (template));
  g_assert_true (g_str_has_prefix (wh_chat_template_get_default_system (alpaca), "Below is an instruction"));

  wh_chat_template_set_default_system (template, "Be kind.");
  g_assert_cmpstr (wh_chat_template_get_default_system (template), ==, "Be kind.");
  segments = wh_chat_template_render (template, messages, 1, FALSE, &error);
  g_assert_no_error (error);
  text = wh_chat_segments_join (segments);
  g_assert_cmpstr (text, ==, "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
  g_clear_pointer (&segments, g_ptr_array_unref);
  g_clear_pointer (&text, g_free);

  segments = wh_chat_template_render (template, with_system, 2, FALSE, &error);
  g_assert_no_error (error);
  text = wh_chat_segments_join (segments);
  g_assert_cmpstr (text, ==, "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
  g_clear_pointer (&segments, g_ptr_array_unref);
  g_clear_pointer (&text, g_free);

  wh_chat_template_set_default_system (template, NULL);
  g_assert_null (wh_chat_template_get_default_system (template));
  segments = wh_chat_template_render (template, messages, 1, FALSE, &error);
  g_assert_no_error (error);
  text = wh_chat_segments_join (segments);
  g_assert_cmpstr (text, ==, "<|im_start|>user\nHi<|im_end|>\n");
}

static void
test_stop_strings (void)
{
  const struct
  {
    WhChatFamily family;
    const char *stops[3];
  } cases[] = {
    { WH_CHAT_FAMILY_CHATML, { "<|im_end|>" } },
    { WH_CHAT_FAMILY_LLAMA3, { "<|eot_id|>", "<|end_of_text|>" } },
    { WH_CHAT_FAMILY_LLAMA2, { "</s>" } },
    { WH_CHAT_FAMILY_MISTRAL_V1, { "</s>" } },
    { WH_CHAT_FAMILY_MISTRAL_V3, { "</s>" } },
    { WH_CHAT_FAMILY_MISTRAL_V7, { "</s>" } },
    { WH_CHAT_FAMILY_GEMMA, { "<end_of_turn>" } },
    { WH_CHAT_FAMILY_PHI3, { "<|end|>", "<|endoftext|>" } },
    { WH_CHAT_FAMILY_ZEPHYR, { "</s>" } },
    { WH_CHAT_FAMILY_ALPACA, { "</s>" } },
  };
  g_autoptr(WhChatTemplate) qwen_alpaca = wh_chat_template_new (WH_CHAT_FAMILY_ALPACA, NULL, "<|endoftext|>");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WhChatTemplate) template = wh_chat_template_new (cases[i].family, NULL, NULL);

      g_assert_cmpstrv (wh_chat_template_get_stop_strings (template), cases[i].stops);
    }

  g_assert_cmpstrv (wh_chat_template_get_stop_strings (qwen_alpaca),
                    ((const char * const[]) { "<|endoftext|>", NULL }));
}

static void
assert_conversation_error (WhChatFamily         family,
                           const WhChatMessage *messages,
                           gsize                n_messages,
                           const char          *mentions)
{
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  segments = render (family, messages, n_messages, TRUE, &error);
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION);
  g_assert_null (segments);
  if (mentions != NULL)
    g_assert_nonnull (strstr (error->message, mentions));
}

static void
test_errors (void)
{
  const WhChatMessage two_users[] = {
    { WH_CHAT_ROLE_SYSTEM, "Be terse.", FALSE },
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
    { WH_CHAT_ROLE_USER, "Hello?", FALSE },
  };
  const WhChatMessage assistant_first[] = {
    { WH_CHAT_ROLE_ASSISTANT, "I start.", TRUE },
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
  };
  const WhChatMessage late_system[] = {
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
    { WH_CHAT_ROLE_ASSISTANT, "Hello", TRUE },
    { WH_CHAT_ROLE_SYSTEM, "Be terse.", FALSE },
    { WH_CHAT_ROLE_USER, "Again", FALSE },
  };
  const WhChatMessage no_text[] = {
    { WH_CHAT_ROLE_USER, NULL, FALSE },
  };
  const WhChatMessage bad_utf8[] = {
    { WH_CHAT_ROLE_USER, "caf\xc3", FALSE },
  };
  const WhChatFamily alternating[] = {
    WH_CHAT_FAMILY_LLAMA2, WH_CHAT_FAMILY_MISTRAL_V1, WH_CHAT_FAMILY_MISTRAL_V3,
    WH_CHAT_FAMILY_GEMMA, WH_CHAT_FAMILY_ALPACA,
  };

  for (guint i = 0; i < G_N_ELEMENTS (alternating); i++)
    {
      assert_conversation_error (alternating[i], two_users, G_N_ELEMENTS (two_users), "Message 3");
      assert_conversation_error (alternating[i], assistant_first, G_N_ELEMENTS (assistant_first), "Message 1");
    }

  for (WhChatFamily f = WH_CHAT_FAMILY_CHATML; f <= WH_CHAT_FAMILY_ALPACA; f++)
    {
      const WhChatMessage *none = NULL;

      assert_conversation_error (f, none, 0, NULL);
      assert_conversation_error (f, late_system, G_N_ELEMENTS (late_system), "Message 3");
      assert_conversation_error (f, no_text, 1, "Message 1");
      assert_conversation_error (f, bad_utf8, 1, "message 1");
    }
}

/* The first Mistral templates have no place for a system prompt. */
static void
test_mistral_legacy_system (void)
{
  g_autofree char *jinja = read_reference ("mistral-v1-mixtral-8x7b-instruct-v0.1-original.jinja");
  g_autoptr(WhChatTemplate) template = wh_chat_template_new_from_jinja (jinja, NULL, NULL, NULL);
  const WhChatMessage messages[] = {
    { WH_CHAT_ROLE_USER, "Hi", FALSE },
  };
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  wh_chat_template_set_default_system (template, "Be terse.");
  segments = wh_chat_template_render (template, messages, 1, TRUE, &error);
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION);
  g_assert_null (segments);
}

/* Gemma 2's template refuses a system message; Whetstone renders it as
 * Gemma 3's does. */
static void
test_gemma2_system (void)
{
  g_autofree char *gemma2 = read_reference ("gemma-gemma-2-2b-it.jinja");
  g_autofree char *gemma3 = read_reference ("gemma-gemma-3-270m-it.jinja");
  g_autoptr(WhChatTemplate) template2 = wh_chat_template_new_from_jinja (gemma2, "<bos>", "<eos>", NULL);
  g_autoptr(WhChatTemplate) template3 = wh_chat_template_new_from_jinja (gemma3, "<bos>", "<eos>", NULL);
  JsonArray *list = json_object_get_array_member (goldens, "goldens");
  guint compared = 0;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *golden = json_array_get_object_element (list, i);
      JsonArray *messages = json_object_get_array_member (golden, "messages");
      JsonObject *first = json_array_get_object_element (messages, 0);

      if (g_str_equal (json_object_get_string_member (golden, "template"), "gemma-gemma-3-270m-it.jinja") &&
          g_str_equal (json_object_get_string_member (first, "role"), "system"))
        {
          render_and_compare (template2, golden);
          render_and_compare (template3, golden);
          compared++;
        }
    }
  g_assert_cmpuint (compared, >, 0);
}

static void
load_goldens (void)
{
  g_autofree char *text = read_reference ("goldens.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  goldens = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

int
main (int   argc,
      char *argv[])
{
  JsonArray *list;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  load_goldens ();

  g_test_add_func ("/whetstone/chat-template/family-names", test_family_names);
  g_test_add_func ("/whetstone/chat-template/detect", test_detect);
  g_test_add_func ("/whetstone/chat-template/detect-unknown", test_detect_unknown);
  g_test_add_func ("/whetstone/chat-template/segments", test_segments);
  g_test_add_func ("/whetstone/chat-template/default-system", test_default_system);
  g_test_add_func ("/whetstone/chat-template/stop-strings", test_stop_strings);
  g_test_add_func ("/whetstone/chat-template/errors", test_errors);
  g_test_add_func ("/whetstone/chat-template/mistral-legacy-system", test_mistral_legacy_system);
  g_test_add_func ("/whetstone/chat-template/gemma2-system", test_gemma2_system);

  list = json_object_get_array_member (goldens, "goldens");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *golden = json_array_get_object_element (list, i);
      g_autofree char *path = g_strdup_printf ("/whetstone/chat-template/golden/%s/%s",
                                               json_object_get_string_member (golden, "template"),
                                               json_object_get_string_member (golden, "conversation"));

      g_test_add_data_func (path, golden, test_golden);
    }

  list = json_object_get_array_member (goldens, "errors");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *golden = json_array_get_object_element (list, i);
      g_autofree char *path = g_strdup_printf ("/whetstone/chat-template/error/%s/%s",
                                               json_object_get_string_member (golden, "template"),
                                               json_object_get_string_member (golden, "conversation"));

      g_test_add_data_func (path, golden, test_golden_error);
    }

  ret = g_test_run ();
  json_object_unref (goldens);
  return ret;
}
