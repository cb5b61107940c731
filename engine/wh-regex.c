/* wh-regex.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-regex.h"

/* The pattern is parsed into a tree, then compiled into a small program
 * for a backtracking machine.  A repeated single-character atom (the
 * common \p{L}+ or \s+) is one instruction that consumes greedily and
 * gives back one character per backtrack, so the stack holds one frame per
 * repetition rather than one per character. */

#define MAX_PROGRAM   20000
#define MAX_REPEAT    1000
#define MAX_DEPTH     64

G_DEFINE_QUARK (wh-regex-error-quark, wh_regex_error)

/* Character sets */

typedef enum
{
  ITEM_RANGE,     /* lo…hi */
  ITEM_TYPES,     /* a set of GUnicodeType values */
  ITEM_SPACE,     /* \s */
  ITEM_SCRIPT,    /* \p{Han} … */
  ITEM_ANY_BUT_NEWLINE,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  gboolean  negated;
  guint32   lo, hi;       /* ITEM_RANGE; ITEM_SCRIPT keeps the script in lo */
  guint32   type_mask;    /* ITEM_TYPES */
} Item;

typedef struct
{
  GArray   *items;        /* Item */
  gboolean  negated;
  gboolean  icase;
  guint32   ascii[4];     /* the answer for code points below 128 */
} CharSet;

static gboolean
item_matches (const Item *item,
              gunichar    cp,
              guint8      type)
{
  gboolean hit;

  switch (item->kind)
    {
    case ITEM_RANGE:
      hit = cp >= item->lo && cp <= item->hi;
      break;
    case ITEM_TYPES:
      hit = (item->type_mask & (1u << type)) != 0;
      break;
    case ITEM_SPACE:
      hit = wh_regex_is_space (cp);
      break;
    case ITEM_SCRIPT:
      hit = (guint32) g_unichar_get_script (cp) == item->lo;
      break;
    case ITEM_ANY_BUT_NEWLINE:
      hit = cp != '\n';
      break;
    default:
      g_assert_not_reached ();
    }

  return item->negated ? !hit : hit;
}

static gboolean
charset_matches_slow (const CharSet *set,
                      gunichar       cp,
                      guint8         type)
{
  gboolean hit = FALSE;

  for (guint i = 0; i < set->items->len && !hit; i++)
    hit = item_matches (&g_array_index (set->items, Item, i), cp, type);

  if (!hit && set->icase)
    {
      gunichar alts[2] = { g_unichar_tolower (cp), g_unichar_toupper (cp) };

      for (guint a = 0; a < G_N_ELEMENTS (alts) && !hit; a++)
        {
          if (alts[a] == cp)
            continue;
          for (guint i = 0; i < set->items->len && !hit; i++)
            hit = item_matches (&g_array_index (set->items, Item, i),
                                alts[a], (guint8) g_unichar_type (alts[a]));
        }
    }

  return set->negated ? !hit : hit;
}

static inline gboolean
charset_matches (const CharSet *set,
                 gunichar       cp,
                 guint8         type)
{
  if (cp < 128)
    return (set->ascii[cp >> 5] >> (cp & 31)) & 1;
  return charset_matches_slow (set, cp, type);
}

static void
charset_finish (CharSet *set)
{
  memset (set->ascii, 0, sizeof set->ascii);
  for (gunichar cp = 0; cp < 128; cp++)
    if (charset_matches_slow (set, cp, (guint8) g_unichar_type (cp)))
      set->ascii[cp >> 5] |= 1u << (cp & 31);
}

gboolean
wh_regex_is_space (gunichar cp)
{
  if (cp < 128)
    return cp == ' ' || (cp >= '\t' && cp <= '\r');

  switch (cp)
    {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return TRUE;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
    }
}

/* Parse tree */

typedef enum
{
  NODE_EMPTY,
  NODE_SET,       /* one code point from sets[set] */
  NODE_CAT,
  NODE_ALT,
  NODE_REPEAT,
  NODE_BEGIN,
  NODE_END,
  NODE_LOOKAHEAD,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind   kind;
  guint      set;
  GPtrArray *children;    /* Node, for CAT and ALT */
  Node      *child;       /* REPEAT, LOOKAHEAD */
  int        min, max;    /* REPEAT; max < 0: unbounded */
  gboolean   greedy;
  gboolean   negated;     /* LOOKAHEAD */
};

static void
node_free (gpointer data)
{
  Node *node = data;

  if (node == NULL)
    return;
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  node_free (node->child);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  if (kind == NODE_CAT || kind == NODE_ALT)
    node->children = g_ptr_array_new_with_free_func (node_free);
  return node;
}

/* The program */

typedef enum
{
  OP_SET,
  OP_REPEAT,
  OP_SPLIT,
  OP_JMP,
  OP_BEGIN,
  OP_END,
  OP_LOOKAHEAD,
  OP_MATCH,
} OpCode;

typedef struct
{
  OpCode   op;
  int      x, y;       /* jump targets; SET/REPEAT: x is the set; LOOKAHEAD: x is the sub-program */
  int      min, max;
  gboolean greedy;
  gboolean negated;
} Inst;

struct _WhRegex
{
  char    *pattern;
  GArray  *sets;      /* CharSet */
  GArray  *program;   /* Inst */
};

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
  charset_finish (set);
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
      node_free (look);
      return NULL;
    }

  if (*parser->p != ')')
    {
      node_free (inner);
      node_free (look);
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
                node_free (atom);
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
          node_free (rep);
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
          node_free (cat);
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
          node_free (alt);
          return NULL;
        }
      g_ptr_array_add (alt->children, cat);
      if (*parser->p != '|')
        break;
      parser->p++;
    }

  return alt;
}

/* Compilation */

static gboolean
node_nullable (const Node *node)
{
  switch (node->kind)
    {
    case NODE_SET:
      return FALSE;
    case NODE_CAT:
      for (guint i = 0; i < node->children->len; i++)
        if (!node_nullable (g_ptr_array_index (node->children, i)))
          return FALSE;
      return TRUE;
    case NODE_ALT:
      for (guint i = 0; i < node->children->len; i++)
        if (node_nullable (g_ptr_array_index (node->children, i)))
          return TRUE;
      return FALSE;
    case NODE_REPEAT:
      return node->min == 0 || node_nullable (node->child);
    case NODE_EMPTY:
    case NODE_BEGIN:
    case NODE_END:
    case NODE_LOOKAHEAD:
    default:
      return TRUE;
    }
}

static int
emit (GArray *program,
      OpCode  op)
{
  Inst inst = { .op = op };

  g_array_append_val (program, inst);
  return program->len - 1;
}

#define INST(prog, i) (&g_array_index ((prog), Inst, (i)))

static gboolean compile_node (const Node *node, GArray *program, GError **error);

static gboolean
compile_repeat (const Node *node,
                GArray     *program,
                GError    **error)
{
  const Node *child = node->child;
  GArray *ends;
  int copies;

  if (child->kind == NODE_CAT && child->children->len == 1)
    child = g_ptr_array_index (child->children, 0);
  if (child->kind == NODE_ALT && child->children->len == 1)
    child = g_ptr_array_index (child->children, 0);
  if (child->kind == NODE_CAT && child->children->len == 1)
    child = g_ptr_array_index (child->children, 0);

  if (child->kind == NODE_SET)
    {
      int i = emit (program, OP_REPEAT);

      INST (program, i)->x = child->set;
      INST (program, i)->min = node->min;
      INST (program, i)->max = node->max;
      INST (program, i)->greedy = node->greedy;
      return TRUE;
    }

  if (node_nullable (child) && node->max != 1)
    {
      g_set_error_literal (error, WH_REGEX_ERROR, WH_REGEX_ERROR_UNSUPPORTED,
                           _("a repeated group that can match nothing is not supported"));
      return FALSE;
    }

  for (int i = 0; i < node->min; i++)
    if (!compile_node (child, program, error))
      return FALSE;

  if (node->max < 0)
    {
      int split = emit (program, OP_SPLIT);
      int jmp;

      if (!compile_node (child, program, error))
        return FALSE;
      jmp = emit (program, OP_JMP);
      INST (program, jmp)->x = split;
      INST (program, split)->x = node->greedy ? split + 1 : (int) program->len;
      INST (program, split)->y = node->greedy ? (int) program->len : split + 1;
      return TRUE;
    }

  ends = g_array_new (FALSE, FALSE, sizeof (int));
  copies = node->max - node->min;
  for (int i = 0; i < copies; i++)
    {
      int split = emit (program, OP_SPLIT);

      g_array_append_val (ends, split);
      if (!compile_node (child, program, error))
        {
          g_array_unref (ends);
          return FALSE;
        }
    }
  for (guint i = 0; i < ends->len; i++)
    {
      int split = g_array_index (ends, int, i);

      INST (program, split)->x = node->greedy ? split + 1 : (int) program->len;
      INST (program, split)->y = node->greedy ? (int) program->len : split + 1;
    }
  g_array_unref (ends);
  return TRUE;
}

static gboolean
compile_node (const Node *node,
              GArray     *program,
              GError    **error)
{
  if (program->len > MAX_PROGRAM)
    {
      g_set_error_literal (error, WH_REGEX_ERROR, WH_REGEX_ERROR_UNSUPPORTED,
                           _("the pattern is too large"));
      return FALSE;
    }

  switch (node->kind)
    {
    case NODE_EMPTY:
      return TRUE;

    case NODE_SET:
      {
        int i = emit (program, OP_SET);

        INST (program, i)->x = node->set;
        return TRUE;
      }

    case NODE_BEGIN:
      emit (program, OP_BEGIN);
      return TRUE;

    case NODE_END:
      emit (program, OP_END);
      return TRUE;

    case NODE_CAT:
      for (guint i = 0; i < node->children->len; i++)
        if (!compile_node (g_ptr_array_index (node->children, i), program, error))
          return FALSE;
      return TRUE;

    case NODE_ALT:
      {
        GArray *jumps = g_array_new (FALSE, FALSE, sizeof (int));
        guint n = node->children->len;

        for (guint i = 0; i < n; i++)
          {
            int split = -1;

            if (i + 1 < n)
              split = emit (program, OP_SPLIT);
            if (!compile_node (g_ptr_array_index (node->children, i), program, error))
              {
                g_array_unref (jumps);
                return FALSE;
              }
            if (i + 1 < n)
              {
                int jmp = emit (program, OP_JMP);

                g_array_append_val (jumps, jmp);
                INST (program, split)->x = split + 1;
                INST (program, split)->y = program->len;
              }
          }
        for (guint i = 0; i < jumps->len; i++)
          INST (program, g_array_index (jumps, int, i))->x = program->len;
        g_array_unref (jumps);
        return TRUE;
      }

    case NODE_REPEAT:
      return compile_repeat (node, program, error);

    case NODE_LOOKAHEAD:
      {
        /* The sub-program sits inline, skipped by a jump. */
        int look = emit (program, OP_LOOKAHEAD);
        int jmp = emit (program, OP_JMP);

        INST (program, look)->negated = node->negated;
        INST (program, look)->x = program->len;
        if (!compile_node (node->child, program, error))
          return FALSE;
        emit (program, OP_MATCH);
        INST (program, jmp)->x = program->len;
        INST (program, look)->y = jmp;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

WhRegex *
wh_regex_new (const char  *pattern,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  WhRegex *regex;
  Parser parser = { 0 };
  Node *root;

  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  regex = g_new0 (WhRegex, 1);
  regex->pattern = g_strdup (pattern);
  regex->sets = g_array_new (FALSE, TRUE, sizeof (CharSet));
  regex->program = g_array_new (FALSE, TRUE, sizeof (Inst));

  parser.pattern = pattern;
  parser.p = pattern;
  parser.sets = regex->sets;
  parser.error = &local_error;

  root = parse_alternation (&parser);
  if (root != NULL && *parser.p != '\0')
    {
      parse_fail (&parser, WH_REGEX_ERROR_SYNTAX, _("there is an unmatched “)”"));
      g_clear_pointer (&root, node_free);
    }

  if (root != NULL)
    {
      if (compile_node (root, regex->program, &local_error))
        emit (regex->program, OP_MATCH);
      else
        g_prefix_error (&local_error, _("Cannot use the pattern “%s”: "), pattern);
      node_free (root);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      wh_regex_free (regex);
      return NULL;
    }

  return regex;
}

void
wh_regex_free (WhRegex *regex)
{
  if (regex == NULL)
    return;

  for (guint i = 0; i < regex->sets->len; i++)
    g_array_unref (g_array_index (regex->sets, CharSet, i).items);
  g_array_unref (regex->sets);
  g_array_unref (regex->program);
  g_free (regex->pattern);
  g_free (regex);
}

const char *
wh_regex_get_pattern (WhRegex *regex)
{
  g_return_val_if_fail (regex != NULL, NULL);
  return regex->pattern;
}

/* Matching */

typedef enum
{
  FRAME_PC,
  FRAME_GREEDY,
  FRAME_LAZY,
} FrameKind;

typedef struct
{
  guint32 kind;
  guint32 pc;
  gsize   pos;
  gsize   count;
} Frame;

static inline void
push (GArray    *stack,
      FrameKind  kind,
      int        pc,
      gsize      pos,
      gsize      count)
{
  Frame frame = { kind, (guint32) pc, pos, count };

  g_array_append_val (stack, frame);
}

static gboolean
run (WhRegex           *regex,
     const WhRegexText *text,
     GArray            *stack,
     int                pc,
     gsize              pos,
     gsize             *end)
{
  const Inst *program = (const Inst *) (gpointer) regex->program->data;
  const CharSet *sets = (const CharSet *) (gpointer) regex->sets->data;
  guint base = stack->len;
  const gunichar *cps = text->cps;
  const guint8 *types = text->types;
  gsize n = text->n;

  for (;;)
    {
      const Inst *inst = &program[pc];

      switch (inst->op)
        {
        case OP_SET:
          if (pos < n && charset_matches (&sets[inst->x], cps[pos], types[pos]))
            {
              pos++;
              pc++;
              continue;
            }
          goto fail;

        case OP_REPEAT:
          {
            const CharSet *set = &sets[inst->x];
            gsize limit = n - pos;
            gsize k = 0;

            if (inst->max >= 0 && (gsize) inst->max < limit)
              limit = inst->max;

            if (inst->greedy)
              {
                while (k < limit && charset_matches (set, cps[pos + k], types[pos + k]))
                  k++;
                if (k < (gsize) inst->min)
                  goto fail;
                if (k > (gsize) inst->min)
                  push (stack, FRAME_GREEDY, pc, pos, k - 1);
              }
            else
              {
                if ((gsize) inst->min > limit)
                  goto fail;
                while (k < (gsize) inst->min)
                  {
                    if (!charset_matches (set, cps[pos + k], types[pos + k]))
                      goto fail;
                    k++;
                  }
                if (k < limit)
                  push (stack, FRAME_LAZY, pc, pos, k + 1);
              }
            pos += k;
            pc++;
            continue;
          }

        case OP_SPLIT:
          push (stack, FRAME_PC, inst->y, pos, 0);
          pc = inst->x;
          continue;

        case OP_JMP:
          pc = inst->x;
          continue;

        case OP_BEGIN:
          if (pos != 0)
            goto fail;
          pc++;
          continue;

        case OP_END:
          if (pos != n)
            goto fail;
          pc++;
          continue;

        case OP_LOOKAHEAD:
          {
            gsize ignored;
            gboolean hit = run (regex, text, stack, inst->x, pos, &ignored);

            if (hit == inst->negated)
              goto fail;
            pc = inst->y;
            continue;
          }

        case OP_MATCH:
          *end = pos;
          g_array_set_size (stack, base);
          return TRUE;

        default:
          g_assert_not_reached ();
        }

    fail:
      for (;;)
        {
          Frame *frame;
          const Inst *rep;

          if (stack->len == base)
            return FALSE;

          frame = &g_array_index (stack, Frame, stack->len - 1);
          pc = frame->pc;

          if (frame->kind == FRAME_PC)
            {
              pos = frame->pos;
              g_array_set_size (stack, stack->len - 1);
              break;
            }

          rep = &program[pc];
          if (frame->kind == FRAME_GREEDY)
            {
              gsize count = frame->count;

              pos = frame->pos + count;
              if (count > (gsize) rep->min)
                frame->count--;
              else
                g_array_set_size (stack, stack->len - 1);
              pc++;
              break;
            }
          else
            {
              gsize count = frame->count;
              gsize at = frame->pos + count - 1;
              gsize limit = n - frame->pos;

              if (rep->max >= 0 && (gsize) rep->max < limit)
                limit = rep->max;

              if (!charset_matches (&sets[rep->x], cps[at], types[at]))
                {
                  g_array_set_size (stack, stack->len - 1);
                  continue;
                }
              pos = frame->pos + count;
              if (count < limit)
                frame->count++;
              else
                g_array_set_size (stack, stack->len - 1);
              pc++;
              break;
            }
        }
    }
}

GArray *
wh_regex_scratch_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Frame));
}

gboolean
wh_regex_search (WhRegex           *regex,
                 const WhRegexText *text,
                 gsize              from,
                 GArray            *scratch,
                 gsize             *start,
                 gsize             *end)
{
  g_autoptr(GArray) own = NULL;

  g_return_val_if_fail (regex != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (scratch == NULL)
    scratch = own = wh_regex_scratch_new ();
  g_return_val_if_fail (g_array_get_element_size (scratch) == sizeof (Frame), FALSE);

  for (gsize s = from; s < text->n; s++)
    {
      gsize e;

      if (run (regex, text, scratch, 0, s, &e) && e > s)
        {
          *start = s;
          *end = e;
          return TRUE;
        }
    }

  return FALSE;
}
