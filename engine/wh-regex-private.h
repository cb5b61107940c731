/* wh-regex-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-regex.h"

G_BEGIN_DECLS

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

gboolean _wh_regex_charset_matches_slow (const CharSet *set,
                                         gunichar       cp,
                                         guint8         type);
void     _wh_regex_charset_finish       (CharSet       *set);

static inline gboolean
charset_matches (const CharSet *set,
                 gunichar       cp,
                 guint8         type)
{
  if (cp < 128)
    return (set->ascii[cp >> 5] >> (cp & 31)) & 1;
  return _wh_regex_charset_matches_slow (set, cp, type);
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

void     _wh_regex_node_free            (gpointer       node);
/* Parses @pattern, adding its character sets to @sets (CharSet). */
Node    *_wh_regex_parse                (const char    *pattern,
                                         GArray        *sets,
                                         GError       **error);

/* Parses @pattern into @sets (CharSet) and @program (Inst). */
gboolean _wh_regex_compile              (const char    *pattern,
                                         GArray        *sets,
                                         GArray        *program,
                                         GError       **error);

G_END_DECLS
