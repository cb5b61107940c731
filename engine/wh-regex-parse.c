/* wh-regex-parse.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-regex-private.h"

/* Pattern → parse tree, in Oniguruma's syntax as tokenizer files use it.
 * Character sets are built here; wh-regex-compile.c turns the tree into a
 * program. */

#define MAX_REPEAT    1000
#define MAX_DEPTH     64

void
_wh_regex_node_free (gpointer data)
{
  Node *node = data;

  if (node == NULL)
    return;
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  _wh_regex_node_free (node->child);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  if (kind == NODE_CAT || kind == NODE_ALT)
    node->children = g_ptr_array_new_with_free_func (_wh_regex_node_free);
  return node;
}

typedef struct
{
  const char *pattern;
  const char *p;
  GArray     *sets;
  gboolean    icase;
  int         depth;
  GError    **error;
} Parser;

static gboolean
parse_fail (Parser     *parser,
            int         code,
            const char *what)
{
  if (parser->error != NULL && *parser->error == NULL)
    g_set_error (parser->error, WH_REGEX_ERROR, code,
                 _("Cannot use the pattern “%s”: %s at position %d"),
                 parser->pattern, what, (int) (parser->p - parser->pattern));
  return FALSE;
}

static gboolean
next_char (Parser   *parser,
           gunichar *out)
{
  gunichar cp;

  if (*parser->p == '\0')
    return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("it ends too early"));

  cp = g_utf8_get_char_validated (parser->p, -1);
  if (cp == (gunichar) -1 || cp == (gunichar) -2)
    return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("it is not valid UTF-8"));

  parser->p = g_utf8_next_char (parser->p);
  *out = cp;
  return TRUE;
}

static const struct
{
  const char *name;
  guint32     mask;
} category_names[] = {
#define T(x) (1u << G_UNICODE_##x)
  { "L",  T (LOWERCASE_LETTER) | T (MODIFIER_LETTER) | T (OTHER_LETTER) | T (TITLECASE_LETTER) | T (UPPERCASE_LETTER) },
  { "Lu", T (UPPERCASE_LETTER) },
  { "Ll", T (LOWERCASE_LETTER) },
  { "Lt", T (TITLECASE_LETTER) },
  { "Lm", T (MODIFIER_LETTER) },
  { "Lo", T (OTHER_LETTER) },
  { "M",  T (SPACING_MARK) | T (ENCLOSING_MARK) | T (NON_SPACING_MARK) },
  { "Mn", T (NON_SPACING_MARK) },
  { "Mc", T (SPACING_MARK) },
  { "Me", T (ENCLOSING_MARK) },
  { "N",  T (DECIMAL_NUMBER) | T (LETTER_NUMBER) | T (OTHER_NUMBER) },
  { "Nd", T (DECIMAL_NUMBER) },
  { "Nl", T (LETTER_NUMBER) },
  { "No", T (OTHER_NUMBER) },
  { "P",  T (CONNECT_PUNCTUATION) | T (DASH_PUNCTUATION) | T (CLOSE_PUNCTUATION) | T (FINAL_PUNCTUATION) | T (INITIAL_PUNCTUATION) | T (OTHER_PUNCTUATION) | T (OPEN_PUNCTUATION) },
  { "Pc", T (CONNECT_PUNCTUATION) },
  { "Pd", T (DASH_PUNCTUATION) },
  { "Ps", T (OPEN_PUNCTUATION) },
  { "Pe", T (CLOSE_PUNCTUATION) },
  { "Pi", T (INITIAL_PUNCTUATION) },
  { "Pf", T (FINAL_PUNCTUATION) },
  { "Po", T (OTHER_PUNCTUATION) },
  { "S",  T (CURRENCY_SYMBOL) | T (MODIFIER_SYMBOL) | T (MATH_SYMBOL) | T (OTHER_SYMBOL) },
  { "Sm", T (MATH_SYMBOL) },
  { "Sc", T (CURRENCY_SYMBOL) },
  { "Sk", T (MODIFIER_SYMBOL) },
  { "So", T (OTHER_SYMBOL) },
  { "Z",  T (SPACE_SEPARATOR) | T (LINE_SEPARATOR) | T (PARAGRAPH_SEPARATOR) },
  { "Zs", T (SPACE_SEPARATOR) },
  { "Zl", T (LINE_SEPARATOR) },
  { "Zp", T (PARAGRAPH_SEPARATOR) },
  { "C",  T (CONTROL) | T (FORMAT) | T (UNASSIGNED) | T (PRIVATE_USE) | T (SURROGATE) },
  { "Cc", T (CONTROL) },
  { "Cf", T (FORMAT) },
  { "Cn", T (UNASSIGNED) },
  { "Co", T (PRIVATE_USE) },
  { "Cs", T (SURROGATE) },
#undef T
};

static const struct
{
  const char     *name;
  GUnicodeScript  script;
} script_names[] = {
  { "Han", G_UNICODE_SCRIPT_HAN },
  { "Hiragana", G_UNICODE_SCRIPT_HIRAGANA },
  { "Katakana", G_UNICODE_SCRIPT_KATAKANA },
  { "Hangul", G_UNICODE_SCRIPT_HANGUL },
  { "Latin", G_UNICODE_SCRIPT_LATIN },
  { "Greek", G_UNICODE_SCRIPT_GREEK },
  { "Cyrillic", G_UNICODE_SCRIPT_CYRILLIC },
  { "Arabic", G_UNICODE_SCRIPT_ARABIC },
  { "Hebrew", G_UNICODE_SCRIPT_HEBREW },
  { "Thai", G_UNICODE_SCRIPT_THAI },
  { "Devanagari", G_UNICODE_SCRIPT_DEVANAGARI },
};

static gboolean
parse_property (Parser   *parser,
                gboolean  negated,
                Item     *item)
{
  char name[32];
  gsize len = 0;

  if (*parser->p == '{')
    {
      parser->p++;
      while (*parser->p != '}' && *parser->p != '\0' && len < sizeof name - 1)
        name[len++] = *parser->p++;
      if (*parser->p != '}')
        return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a \\p{…} is not closed"));
      parser->p++;
    }
  else if (*parser->p != '\0')
    name[len++] = *parser->p++;
  name[len] = '\0';

  if (name[0] == '^')
    {
      negated = !negated;
      memmove (name, name + 1, len);
    }

  memset (item, 0, sizeof *item);
  item->negated = negated;

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    if (strcmp (name, category_names[i].name) == 0)
      {
        item->kind = ITEM_TYPES;
        item->type_mask = category_names[i].mask;
        return TRUE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (script_names); i++)
    if (strcmp (name, script_names[i].name) == 0)
      {
        item->kind = ITEM_SCRIPT;
        item->lo = script_names[i].script;
        return TRUE;
      }

  return parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED,
                     _("the Unicode property is not supported"));
}

static gboolean
parse_hex (Parser   *parser,
           guint     digits,
           gunichar *out)
{
  gunichar value = 0;
  gboolean braced = digits == 0;

  if (braced)
    {
      if (*parser->p != '{')
        return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("expected “{” after \\x"));
      parser->p++;
      digits = 8;
    }

  for (guint i = 0; i < digits; i++)
    {
      int d = g_ascii_xdigit_value (*parser->p);

      if (d < 0)
        {
          if (braced && i > 0 && *parser->p == '}')
            break;
          return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a hexadecimal escape is malformed"));
        }
      value = value * 16 + (gunichar) d;
      parser->p++;
    }

  if (braced)
    {
      if (*parser->p != '}')
        return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a hexadecimal escape is malformed"));
      parser->p++;
    }

  if (value > 0x10FFFF)
    return parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a code point is out of range"));

  *out = value;
  return TRUE;
}

/* Parses the escape after a backslash.  Sets either *cp (a single code
 * point) or *item (a class such as \s or \p{L}) and *is_item. */
static gboolean
parse_escape (Parser   *parser,
              gunichar *cp,
              Item     *item,
              gboolean *is_item)
{
  gunichar c;

  *is_item = FALSE;
  if (!next_char (parser, &c))
    return FALSE;

  memset (item, 0, sizeof *item);

  switch (c)
    {
    case 'n': *cp = '\n'; return TRUE;
    case 'r': *cp = '\r'; return TRUE;
    case 't': *cp = '\t'; return TRUE;
    case 'f': *cp = '\f'; return TRUE;
    case 'v': *cp = '\v'; return TRUE;
    case 'a': *cp = '\a'; return TRUE;
    case 'e': *cp = 0x1B; return TRUE;
    case '0': *cp = 0; return TRUE;
    case 'x':
      return parse_hex (parser, *parser->p == '{' ? 0 : 2, cp);
    case 'u':
      return parse_hex (parser, 4, cp);
    case 's':
    case 'S':
      *is_item = TRUE;
      item->kind = ITEM_SPACE;
      item->negated = c == 'S';
      return TRUE;
    case 'd':
    case 'D':
      *is_item = TRUE;
      item->kind = ITEM_TYPES;
      item->type_mask = 1u << G_UNICODE_DECIMAL_NUMBER;
      item->negated = c == 'D';
      return TRUE;
    case 'w':
    case 'W':
      *is_item = TRUE;
      item->kind = ITEM_TYPES;
      item->type_mask = category_names[0].mask | category_names[6].mask |
                        (1u << G_UNICODE_DECIMAL_NUMBER) |
                        (1u << G_UNICODE_CONNECT_PUNCTUATION);
      item->negated = c == 'W';
      return TRUE;
    case 'p':
    case 'P':
      *is_item = TRUE;
      return parse_property (parser, c == 'P', item);
    default:
      if (g_unichar_isalnum (c))
        return parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("the escape is not supported"));
      *cp = c;
      return TRUE;
    }
}

static guint
add_set (Parser  *parser,
         CharSet *set)
{
  set->icase = parser->icase;
  _wh_regex_charset_finish (set);
  g_array_append_val (parser->sets, *set);
  return parser->sets->len - 1;
}

static Node *
set_node (Parser  *parser,
          CharSet *set)
{
  Node *node = node_new (NODE_SET);

  node->set = add_set (parser, set);
  return node;
}

static CharSet
charset_new (void)
{
  CharSet set = { 0 };

  set.items = g_array_new (FALSE, TRUE, sizeof (Item));
  return set;
}

static void
charset_add_range (CharSet  *set,
                   gunichar  lo,
                   gunichar  hi)
{
  Item item = { .kind = ITEM_RANGE, .lo = lo, .hi = hi };

  g_array_append_val (set->items, item);
}

static Node *
parse_class (Parser *parser)
{
  CharSet set = charset_new ();
  gboolean first = TRUE;

  if (*parser->p == '^')
    {
      set.negated = TRUE;
      parser->p++;
    }

  while (first || *parser->p != ']')
    {
      gunichar lo, hi;
      Item item;
      gboolean is_item = FALSE;

      first = FALSE;
      if (*parser->p == '\0')
        {
          g_array_unref (set.items);
          parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a character class is not closed"));
          return NULL;
        }

      if (*parser->p == '[')
        {
          g_array_unref (set.items);
          parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("nested character classes are not supported"));
          return NULL;
        }

      if (*parser->p == '\\')
        {
          parser->p++;
          if (!parse_escape (parser, &lo, &item, &is_item))
            goto fail;
        }
      else if (!next_char (parser, &lo))
        goto fail;

      if (is_item)
        {
          g_array_append_val (set.items, item);
          continue;
        }

      hi = lo;
      if (parser->p[0] == '-' && parser->p[1] != ']' && parser->p[1] != '\0')
        {
          parser->p++;
          if (*parser->p == '\\')
            {
              parser->p++;
              if (!parse_escape (parser, &hi, &item, &is_item))
                goto fail;
              if (is_item)
                {
                  parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a range ends in a class"));
                  goto fail;
                }
            }
          else if (!next_char (parser, &hi))
            goto fail;

          if (hi < lo)
            {
              parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a range is reversed"));
              goto fail;
            }
        }
      charset_add_range (&set, lo, hi);
    }
  parser->p++;

  return set_node (parser, &set);

fail:
  g_array_unref (set.items);
  return NULL;
}

static Node *parse_alternation (Parser *parser);

static Node *
parse_group (Parser *parser)
{
  gboolean saved_icase = parser->icase;
  Node *inner;
  Node *look = NULL;

  if (parser->p[0] == '?')
    {
      if (parser->p[1] == ':')
        parser->p += 2;
      else if (parser->p[1] == '=' || parser->p[1] == '!')
        {
          look = node_new (NODE_LOOKAHEAD);
          look->negated = parser->p[1] == '!';
          parser->p += 2;
        }
      else if (parser->p[1] == 'i' && parser->p[2] == ':')
        {
          parser->icase = TRUE;
          parser->p += 3;
        }
      else
        {
          parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("this kind of group is not supported"));
          return NULL;
        }
    }

  inner = parse_alternation (parser);
  parser->icase = saved_icase;
  if (inner == NULL)
    {
      _wh_regex_node_free (look);
      return NULL;
    }

  if (*parser->p != ')')
    {
      _wh_regex_node_free (inner);
      _wh_regex_node_free (look);
      parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a group is not closed"));
      return NULL;
    }
  parser->p++;

  if (look != NULL)
    {
      look->child = inner;
      return look;
    }
  return inner;
}

static Node *
parse_atom (Parser *parser)
{
  gunichar cp;
  Item item;
  gboolean is_item;
  CharSet set;

  switch (*parser->p)
    {
    case '(':
      parser->p++;
      if (++parser->depth > MAX_DEPTH)
        {
          parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("groups are nested too deeply"));
          return NULL;
        }
      {
        Node *node = parse_group (parser);
        parser->depth--;
        return node;
      }
    case '[':
      parser->p++;
      return parse_class (parser);
    case '.':
      parser->p++;
      set = charset_new ();
      item = (Item) { .kind = ITEM_ANY_BUT_NEWLINE };
      g_array_append_val (set.items, item);
      return set_node (parser, &set);
    case '^':
      parser->p++;
      return node_new (NODE_BEGIN);
    case '$':
      parser->p++;
      return node_new (NODE_END);
    case '\\':
      parser->p++;
      if (*parser->p == 'A' || *parser->p == 'z' || *parser->p == 'Z')
        return node_new (*parser->p++ == 'A' ? NODE_BEGIN : NODE_END);
      if (!parse_escape (parser, &cp, &item, &is_item))
        return NULL;
      set = charset_new ();
      if (is_item)
        g_array_append_val (set.items, item);
      else
        charset_add_range (&set, cp, cp);
      return set_node (parser, &set);
    case '*': case '+': case '?':
      parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a quantifier follows nothing"));
      return NULL;
    default:
      if (!next_char (parser, &cp))
        return NULL;
      set = charset_new ();
      charset_add_range (&set, cp, cp);
      return set_node (parser, &set);
    }
}

static gboolean
parse_count (Parser *parser,
             int    *out)
{
  int value = 0;

  if (!g_ascii_isdigit (*parser->p))
    return FALSE;
  while (g_ascii_isdigit (*parser->p))
    {
      value = value * 10 + (*parser->p++ - '0');
      if (value > MAX_REPEAT)
        return parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("a repeat count is too large"));
    }
  *out = value;
  return TRUE;
}

static Node *
parse_repeat (Parser *parser)
{
  Node *atom = parse_atom (parser);

  while (atom != NULL)
    {
      int min, max;
      Node *rep;

      switch (*parser->p)
        {
        case '*': min = 0; max = -1; parser->p++; break;
        case '+': min = 1; max = -1; parser->p++; break;
        case '?': min = 0; max = 1; parser->p++; break;
        case '{':
          {
            const char *save = parser->p;

            parser->p++;
            if (!parse_count (parser, &min))
              {
                /* A literal brace, as Oniguruma reads it. */
                parser->p = save;
                return atom;
              }
            max = min;
            if (*parser->p == ',')
              {
                parser->p++;
                if (!parse_count (parser, &max))
                  max = -1;
              }
            if (*parser->p != '}' || (max >= 0 && max < min))
              {
                _wh_regex_node_free (atom);
                parse_fail (parser, WH_REGEX_ERROR_SYNTAX, _("a repeat count is malformed"));
                return NULL;
              }
            parser->p++;
          }
          break;
        default:
          return atom;
        }

      rep = node_new (NODE_REPEAT);
      rep->child = atom;
      rep->min = min;
      rep->max = max;
      rep->greedy = TRUE;
      if (*parser->p == '?')
        {
          rep->greedy = FALSE;
          parser->p++;
        }
      else if (*parser->p == '+')
        {
          _wh_regex_node_free (rep);
          parse_fail (parser, WH_REGEX_ERROR_UNSUPPORTED, _("possessive quantifiers are not supported"));
          return NULL;
        }
      atom = rep;
    }

  return NULL;
}

static Node *
parse_concatenation (Parser *parser)
{
  Node *cat = node_new (NODE_CAT);

  while (*parser->p != '\0' && *parser->p != '|' && *parser->p != ')')
    {
      Node *node = parse_repeat (parser);

      if (node == NULL)
        {
          _wh_regex_node_free (cat);
          return NULL;
        }
      g_ptr_array_add (cat->children, node);
    }

  return cat;
}

static Node *
parse_alternation (Parser *parser)
{
  Node *alt = node_new (NODE_ALT);

  for (;;)
    {
      Node *cat = parse_concatenation (parser);

      if (cat == NULL)
        {
          _wh_regex_node_free (alt);
          return NULL;
        }
      g_ptr_array_add (alt->children, cat);
      if (*parser->p != '|')
        break;
      parser->p++;
    }

  return alt;
}

Node *
_wh_regex_parse (const char  *pattern,
                 GArray      *sets,
                 GError     **error)
{
  Parser parser = { 0 };
  Node *root;

  parser.pattern = pattern;
  parser.p = pattern;
  parser.sets = sets;
  parser.error = error;

  root = parse_alternation (&parser);
  if (root != NULL && *parser.p != '\0')
    {
      parse_fail (&parser, WH_REGEX_ERROR_SYNTAX, _("there is an unmatched “)”"));
      g_clear_pointer (&root, _wh_regex_node_free);
    }

  return root;
}
