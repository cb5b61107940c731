/* wh-regex-compile.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-regex-private.h"

/* Parse tree → program.  Counted repeats are unrolled; a repeat of a
 * single-character set stays one instruction. */

#define MAX_PROGRAM   20000

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


gboolean
_wh_regex_compile (const char  *pattern,
                   GArray      *sets,
                   GArray      *program,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Node *root = _wh_regex_parse (pattern, sets, &local_error);

  if (root != NULL)
    {
      if (compile_node (root, program, &local_error))
        emit (program, OP_MATCH);
      else
        g_prefix_error (&local_error, _("Cannot use the pattern “%s”: "), pattern);
      _wh_regex_node_free (root);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
