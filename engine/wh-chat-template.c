/* wh-chat-template.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Whetstone does not run Jinja.  Each family's official template is written
 * out by hand in wh-chat-render.c.  Where a family's templates differ in
 * ways that change the output (Mistral's spacing, Llama 3.1's date lines, a
 * default system prompt), new_from_jinja() reads the difference from the
 * template's text. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-chat-template-private.h"

typedef struct
{
  const char *name;
  const char *bos;
  const char *eos;
} FamilyInfo;

static const FamilyInfo families[] = {
  [WH_CHAT_FAMILY_UNKNOWN]    = { NULL, NULL, NULL },
  [WH_CHAT_FAMILY_CHATML]     = { "chatml", "", "<|im_end|>" },
  [WH_CHAT_FAMILY_LLAMA3]     = { "llama3", "<|begin_of_text|>", "<|eot_id|>" },
  [WH_CHAT_FAMILY_LLAMA2]     = { "llama2", "<s>", "</s>" },
  [WH_CHAT_FAMILY_MISTRAL_V1] = { "mistral-v1", "<s>", "</s>" },
  [WH_CHAT_FAMILY_MISTRAL_V3] = { "mistral-v3", "<s>", "</s>" },
  [WH_CHAT_FAMILY_MISTRAL_V7] = { "mistral-v7", "<s>", "</s>" },
  [WH_CHAT_FAMILY_GEMMA]      = { "gemma", "<bos>", "<eos>" },
  [WH_CHAT_FAMILY_PHI3]       = { "phi3", "<s>", "<|endoftext|>" },
  [WH_CHAT_FAMILY_ZEPHYR]     = { "zephyr", "<s>", "</s>" },
  [WH_CHAT_FAMILY_ALPACA]     = { "alpaca", "<s>", "</s>" },
};

#define STANFORD_ALPACA_PREAMBLE \
  "Below is an instruction that describes a task. " \
  "Write a response that appropriately completes the request."

#define LLAMA31_SYSTEM_PREAMBLE \
  "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"

G_DEFINE_QUARK (wh-chat-template-error-quark, wh_chat_template_error)

static gboolean
family_is_valid (WhChatFamily family)
{
  return family > WH_CHAT_FAMILY_UNKNOWN && family < G_N_ELEMENTS (families);
}

static char *
family_names (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 1; i < G_N_ELEMENTS (families); i++)
    {
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, families[i].name);
    }

  return g_string_free (names, FALSE);
}

const char *
wh_chat_family_to_string (WhChatFamily family)
{
  if (!family_is_valid (family))
    return NULL;

  return families[family].name;
}

gboolean
wh_chat_family_from_string (const char    *name,
                            WhChatFamily  *family,
                            GError       **error)
{
  g_autofree char *names = NULL;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 1; i < G_N_ELEMENTS (families); i++)
    {
      if (g_ascii_strcasecmp (name, families[i].name) == 0)
        {
          if (family != NULL)
            *family = i;
          return TRUE;
        }
    }

  names = family_names ();
  g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY,
               _("There is no chat template called “%s”. The templates are: %s."),
               name, names);
  return FALSE;
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return strstr (haystack, needle) != NULL;
}

/* A literal in the template, with either quote. */
static gboolean
contains_literal (const char *jinja,
                  const char *text)
{
  g_autofree char *single = g_strdup_printf ("'%s'", text);
  g_autofree char *dbl = g_strdup_printf ("\"%s\"", text);

  return contains (jinja, single) || contains (jinja, dbl);
}

WhChatFamily
wh_chat_family_detect (const char *jinja)
{
  g_return_val_if_fail (jinja != NULL, WH_CHAT_FAMILY_UNKNOWN);

  /* Phi-4 borrows ChatML's tokens but not its layout. */
  if (contains (jinja, "<|im_start|>"))
    return contains (jinja, "<|im_sep|>") ? WH_CHAT_FAMILY_UNKNOWN : WH_CHAT_FAMILY_CHATML;
  if (contains (jinja, "<|start_header_id|>"))
    return WH_CHAT_FAMILY_LLAMA3;
  if (contains (jinja, "[SYSTEM_PROMPT]"))
    return WH_CHAT_FAMILY_MISTRAL_V7;
  if (contains (jinja, "<<SYS>>"))
    return WH_CHAT_FAMILY_LLAMA2;
  if (contains (jinja, "[INST]"))
    {
      /* v1 writes " [/INST]", v3 "[/INST]" straight after the content. */
      if (contains (jinja, "'[/INST]") || contains (jinja, "\"[/INST]") ||
          contains (jinja, "[AVAILABLE_TOOLS]"))
        return WH_CHAT_FAMILY_MISTRAL_V3;
      return WH_CHAT_FAMILY_MISTRAL_V1;
    }
  if (contains (jinja, "<start_of_turn>"))
    return WH_CHAT_FAMILY_GEMMA;
  if (contains (jinja, "<|assistant|>"))
    {
      if (contains (jinja, "<|end|>"))
        return WH_CHAT_FAMILY_PHI3;
      if (contains (jinja, "eos_token") || contains (jinja, "</s>"))
        return WH_CHAT_FAMILY_ZEPHYR;
      return WH_CHAT_FAMILY_UNKNOWN;
    }
  if (contains (jinja, "### Instruction"))
    return WH_CHAT_FAMILY_ALPACA;

  return WH_CHAT_FAMILY_UNKNOWN;
}

/* Reading literals out of a template's source.  A Jinja string literal is
 * unescaped like a Python one. */

static const char *
skip_ascii_space (const char *p)
{
  while (*p != '\0' && g_ascii_isspace (*p))
    p++;
  return p;
}

/* @p is at the opening quote.  Returns the text, and where the literal ends
 * in @end, or NULL when it is not closed. */
static char *
parse_literal (const char  *p,
               const char **end)
{
  GString *text;
  char quote = *p;

  g_assert (quote == '\'' || quote == '"');

  text = g_string_new (NULL);
  for (p++; *p != '\0' && *p != quote; p++)
    {
      guint digits = 0;

      if (*p != '\\')
        {
          g_string_append_c (text, *p);
          continue;
        }

      p++;
      switch (*p)
        {
        case '\0': p--; break;
        case '\n': break;
        case 'n': g_string_append_c (text, '\n'); break;
        case 't': g_string_append_c (text, '\t'); break;
        case 'r': g_string_append_c (text, '\r'); break;
        case 'f': g_string_append_c (text, '\f'); break;
        case 'v': g_string_append_c (text, '\v'); break;
        case 'b': g_string_append_c (text, '\b'); break;
        case 'a': g_string_append_c (text, '\a'); break;
        case '\\': case '\'': case '"': g_string_append_c (text, *p); break;
        case 'x': digits = 2; break;
        case 'u': digits = 4; break;
        case 'U': digits = 8; break;
        default:
          g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
          break;
        }

      if (digits > 0)
        {
          gunichar c = 0;
          guint i;

          for (i = 0; i < digits && g_ascii_isxdigit (p[i + 1]); i++)
            c = c * 16 + g_ascii_xdigit_value (p[i + 1]);
          if (i < digits || !g_unichar_validate (c))
            {
              g_string_free (text, TRUE);
              return NULL;
            }
          g_string_append_unichar (text, c);
          p += digits;
        }
    }

  if (*p != quote)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  if (end != NULL)
    *end = p + 1;
  return g_string_free (text, FALSE);
}

/* An expression of literals and variables joined by "+", as in
 * `"The date is " + today + "."`.  NULL when it holds anything else. */
static char *
parse_concatenation (const char *p,
                     GHashTable *variables)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (;;)
    {
      p = skip_ascii_space (p);
      if (*p == '\'' || *p == '"')
        {
          g_autofree char *literal = parse_literal (p, &p);

          if (literal == NULL)
            return NULL;
          g_string_append (text, literal);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          g_autofree char *name = NULL;
          const char *start = p;
          const char *value;

          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
          name = g_strndup (start, p - start);
          value = variables ? g_hash_table_lookup (variables, name) : NULL;
          if (value == NULL)
            return NULL;
          g_string_append (text, value);
        }
      else
        return NULL;

      p = skip_ascii_space (p);
      if (*p != '+')
        break;
      p++;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The literal that begins with @text, quote included. */
static const char *
find_literal_starting (const char *jinja,
                       const char *text)
{
  for (const char *p = strstr (jinja, text); p != NULL; p = strstr (p + 1, text))
    {
      if (p > jinja && (p[-1] == '\'' || p[-1] == '"'))
        return p - 1;
    }
  return NULL;
}

/* Qwen and SmolLM write their default as one literal:
 * '<|im_start|>system\nYou are…<|im_end|>\n'. */
static char *
extract_chatml_default (const char *jinja)
{
  static const char head[] = "<|im_start|>system\n";

  for (const char *p = strstr (jinja, "<|im_start|>system"); p != NULL;
       p = strstr (p + 1, "<|im_start|>system"))
    {
      g_autofree char *literal = NULL;
      const char *end;

      if (p == jinja || (p[-1] != '\'' && p[-1] != '"'))
        continue;
      literal = parse_literal (p - 1, NULL);
      if (literal == NULL || !g_str_has_prefix (literal, head))
        continue;
      end = strstr (literal + strlen (head), "<|im_end|>");
      if (end != NULL && end > literal + strlen (head))
        return g_strndup (literal + strlen (head), end - (literal + strlen (head)));
    }

  return NULL;
}

/* transformers' Llama 2 template with use_default_system_prompt:
 * {% elif true == true and not '<<SYS>>' in … %}…{% set system_message = '…' %} */
static char *
extract_llama2_default (const char *jinja)
{
  static const char set[] = "set system_message = ";

  if (contains (jinja, "false == true"))
    return NULL;

  for (const char *p = strstr (jinja, set); p != NULL; p = strstr (p + 1, set))
    {
      const char *value = p + strlen (set);

      if (*value == '\'' || *value == '"')
        return parse_literal (value, NULL);
    }

  return NULL;
}

/* Variables a default may be built from: Mistral's `today` (the date
 * strftime_now() gives, as transformers renders it) and Llama's
 * `date_string` (the template's own fallback, never today's date). */
static GHashTable *
template_variables (const char *jinja)
{
  g_autoptr(GRegex) strftime_regex = NULL;
  g_autoptr(GRegex) date_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  GHashTable *variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  strftime_regex = g_regex_new ("set\\s+(\\w+)\\s*=\\s*strftime_now\\(\\s*(['\"])(.*?)\\2\\s*\\)",
                                0, 0, NULL);
  if (g_regex_match (strftime_regex, jinja, 0, &match))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *format = g_match_info_fetch (match, 3);
      char *date = g_date_time_format (now, format);

      if (date != NULL)
        g_hash_table_insert (variables, g_match_info_fetch (match, 1), date);
    }
  g_clear_pointer (&match, g_match_info_free);

  date_regex = g_regex_new ("set\\s+date_string\\s*=\\s*(['\"])(.*?)\\1", 0, 0, NULL);
  if (g_regex_match (date_regex, jinja, 0, &match))
    g_hash_table_insert (variables, g_strdup ("date_string"), g_match_info_fetch (match, 2));

  return variables;
}

/* `{%- set default_system_message = "…" + today + "…" %}`, as Mistral Small 3
 * and Devstral write it (and Whetstone's Alpaca template). */
static char *
extract_default_system_message (const char *jinja,
                                GHashTable *variables)
{
  static const char set[] = "default_system_message = ";
  const char *p = strstr (jinja, set);

  if (p == NULL)
    return NULL;

  return parse_concatenation (p + strlen (set), variables);
}

/* Llama 3.1+:
 *   {{- "Cutting Knowledge Date: December 2023\n" }}
 *   {{- "Today Date: " + date_string + "\n\n" }} */
static char *
extract_llama3_preamble (const char *jinja,
                         GHashTable *variables)
{
  const char *cutting = find_literal_starting (jinja, "Cutting Knowledge Date:");
  const char *today = find_literal_starting (jinja, "Today Date: ");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  if (cutting == NULL)
    return NULL;

  first = parse_concatenation (cutting, variables);
  if (today != NULL)
    second = parse_concatenation (today, variables);
  if (first == NULL || (today != NULL && second == NULL))
    return g_strdup (LLAMA31_SYSTEM_PREAMBLE);

  return g_strconcat (first, second, NULL);
}

static void
update_stop_strings (WhChatTemplate *self)
{
  GPtrArray *stops = g_ptr_array_new ();

  switch (self->family)
    {
    case WH_CHAT_FAMILY_CHATML:
      g_ptr_array_add (stops, g_strdup ("<|im_end|>"));
      break;
    case WH_CHAT_FAMILY_LLAMA3:
      g_ptr_array_add (stops, g_strdup ("<|eot_id|>"));
      g_ptr_array_add (stops, g_strdup ("<|end_of_text|>"));
      break;
    case WH_CHAT_FAMILY_GEMMA:
      g_ptr_array_add (stops, g_strdup ("<end_of_turn>"));
      break;
    case WH_CHAT_FAMILY_PHI3:
      g_ptr_array_add (stops, g_strdup ("<|end|>"));
      if (*self->eos != '\0' && g_strcmp0 (self->eos, "<|end|>") != 0)
        g_ptr_array_add (stops, g_strdup (self->eos));
      break;
    case WH_CHAT_FAMILY_LLAMA2:
    case WH_CHAT_FAMILY_MISTRAL_V1:
    case WH_CHAT_FAMILY_MISTRAL_V3:
    case WH_CHAT_FAMILY_MISTRAL_V7:
    case WH_CHAT_FAMILY_ZEPHYR:
    case WH_CHAT_FAMILY_ALPACA:
      if (*self->eos != '\0')
        g_ptr_array_add (stops, g_strdup (self->eos));
      break;
    case WH_CHAT_FAMILY_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  g_ptr_array_add (stops, NULL);
  g_strfreev (self->stop_strings);
  self->stop_strings = (char **) g_ptr_array_free (stops, FALSE);
}

/**
 * wh_chat_template_new:
 * @family: a known family
 * @bos_token: (nullable): the text of the model's BOS token
 * @eos_token: (nullable): the text of the model's EOS token
 *
 * The family's plain form: no default system prompt (Alpaca's is the
 * Stanford preamble), Llama 3 without 3.1's date lines, the current
 * official Mistral spacing.
 *
 * Returns: (transfer full): a new template
 */
WhChatTemplate *
wh_chat_template_new (WhChatFamily  family,
                      const char   *bos_token,
                      const char   *eos_token)
{
  WhChatTemplate *self;

  g_return_val_if_fail (family_is_valid (family), NULL);

  self = g_new0 (WhChatTemplate, 1);
  self->family = family;
  self->bos = g_strdup (bos_token ? bos_token : families[family].bos);
  self->eos = g_strdup (eos_token ? eos_token : families[family].eos);
  if (family == WH_CHAT_FAMILY_ALPACA)
    self->default_system = g_strdup (STANFORD_ALPACA_PREAMBLE);
  update_stop_strings (self);

  return self;
}

/**
 * wh_chat_template_new_from_jinja:
 * @jinja: a model's chat template (tokenizer_config.json's chat_template)
 *
 * Returns: (transfer full) (nullable): a template rendering as @jinja
 *   does, or %NULL with %WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY
 */
WhChatTemplate *
wh_chat_template_new_from_jinja (const char  *jinja,
                                 const char  *bos_token,
                                 const char  *eos_token,
                                 GError     **error)
{
  g_autoptr(WhChatTemplate) self = NULL;
  g_autoptr(GHashTable) variables = NULL;
  WhChatFamily family;

  g_return_val_if_fail (jinja != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  family = wh_chat_family_detect (jinja);
  if (family == WH_CHAT_FAMILY_UNKNOWN)
    {
      g_autofree char *names = family_names ();

      g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY,
                   _("Whetstone does not recognise this model’s chat template. "
                     "Choose a template family (in a recipe, \"template\": \"chatml\"; "
                     "with whetstone-cli, --family chatml). The families are: %s."),
                   names);
      return NULL;
    }

  self = wh_chat_template_new (family, bos_token, eos_token);
  variables = template_variables (jinja);

  switch (family)
    {
    case WH_CHAT_FAMILY_CHATML:
      self->default_system = extract_chatml_default (jinja);
      break;
    case WH_CHAT_FAMILY_LLAMA3:
      self->system_preamble = extract_llama3_preamble (jinja, variables);
      break;
    case WH_CHAT_FAMILY_LLAMA2:
      self->default_system = extract_llama2_default (jinja);
      break;
    case WH_CHAT_FAMILY_MISTRAL_V1:
      if (contains_literal (jinja, "[INST] "))
        {
          self->variants |= WH_CHAT_VARIANT_MISTRAL_LEGACY;
          if (contains (jinja, "eos_token + ' '") || contains (jinja, "eos_token + \" \""))
            self->variants |= WH_CHAT_VARIANT_MISTRAL_LEGACY_EOS_SPACE;
        }
      break;
    case WH_CHAT_FAMILY_MISTRAL_V3:
      if (contains_literal (jinja, "[INST]"))
        self->variants |= WH_CHAT_VARIANT_MISTRAL_TEKKEN;
      break;
    case WH_CHAT_FAMILY_MISTRAL_V7:
      self->default_system = extract_default_system_message (jinja, variables);
      break;
    case WH_CHAT_FAMILY_PHI3:
      if (contains (jinja, "message['role'] == 'system' and message['content']"))
        self->variants |= WH_CHAT_VARIANT_PHI3_SKIP_EMPTY_SYSTEM;
      break;
    case WH_CHAT_FAMILY_ALPACA:
      {
        char *preamble = extract_default_system_message (jinja, variables);

        if (preamble != NULL)
          {
            g_free (self->default_system);
            self->default_system = preamble;
          }
      }
      break;
    case WH_CHAT_FAMILY_GEMMA:
    case WH_CHAT_FAMILY_ZEPHYR:
      break;
    case WH_CHAT_FAMILY_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&self);
}

void
wh_chat_template_free (WhChatTemplate *self)
{
  if (self == NULL)
    return;

  g_free (self->bos);
  g_free (self->eos);
  g_free (self->default_system);
  g_free (self->system_preamble);
  g_strfreev (self->stop_strings);
  g_free (self);
}

WhChatFamily
wh_chat_template_get_family (WhChatTemplate *self)
{
  g_return_val_if_fail (self != NULL, WH_CHAT_FAMILY_UNKNOWN);
  return self->family;
}

const char *
wh_chat_template_get_default_system (WhChatTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->default_system;
}

void
wh_chat_template_set_default_system (WhChatTemplate *self,
                                     const char     *system)
{
  g_return_if_fail (self != NULL);

  if (system != self->default_system)
    {
      g_free (self->default_system);
      self->default_system = g_strdup (system);
    }
}

const char * const *
wh_chat_template_get_stop_strings (WhChatTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->stop_strings;
}

/**
 * wh_chat_template_render:
 * @messages: (array length=n_messages): the conversation
 * @add_generation_prompt: whether to end with the header of the assistant's
 *   next turn (where the family has one)
 *
 * Returns: (transfer full) (element-type WhChatSegment) (nullable): the
 *   segments, or %NULL with %WH_CHAT_TEMPLATE_ERROR_CONVERSATION
 */
GPtrArray *
wh_chat_template_render (WhChatTemplate       *self,
                         const WhChatMessage  *messages,
                         gsize                 n_messages,
                         gboolean              add_generation_prompt,
                         GError              **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (messages != NULL || n_messages == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _wh_chat_template_render_segments (self, messages, n_messages,
                                            add_generation_prompt, error);
}

char *
wh_chat_segments_join (GPtrArray *segments)
{
  GString *text;

  g_return_val_if_fail (segments != NULL, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < segments->len; i++)
    {
      const WhChatSegment *segment = g_ptr_array_index (segments, i);

      g_string_append (text, segment->text);
    }

  return g_string_free (text, FALSE);
}
