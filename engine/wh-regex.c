/* wh-regex.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-regex-private.h"

/* The pattern is compiled (wh-regex-compile.c) into a small program for a
 * backtracking machine.  A repeated single-character set (the common \p{L}+
 * or \s+) is one instruction that consumes greedily and gives back one
 * character per backtrack, so the stack holds one frame per repetition
 * rather than one per character. */

G_DEFINE_QUARK (wh-regex-error-quark, wh_regex_error)

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

gboolean
_wh_regex_charset_matches_slow (const CharSet *set,
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

void
_wh_regex_charset_finish (CharSet *set)
{
  memset (set->ascii, 0, sizeof set->ascii);
  for (gunichar cp = 0; cp < 128; cp++)
    if (_wh_regex_charset_matches_slow (set, cp, (guint8) g_unichar_type (cp)))
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

WhRegex *
wh_regex_new (const char  *pattern,
              GError     **error)
{
  WhRegex *regex;

  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  regex = g_new0 (WhRegex, 1);
  regex->pattern = g_strdup (pattern);
  regex->sets = g_array_new (FALSE, TRUE, sizeof (CharSet));
  regex->program = g_array_new (FALSE, TRUE, sizeof (Inst));

  if (!_wh_regex_compile (pattern, regex->sets, regex->program, error))
    {
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
