/* wh-ref-backward.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-ops.h"

G_BEGIN_DECLS

/* Plain-C twins of the ops in wh-cl-backward.h, same shapes and
 * semantics, accumulating in double: the oracle of the kernel tests.  The
 * cross-entropy reference materialises the full logits (rows, vocab). */

void   wh_ref_rmsnorm_backward        (float         *dx,
                                       float         *dweight,
                                       const float   *dy,
                                       const float   *x,
                                       const float   *weight,
                                       gsize          rows,
                                       gsize          dim,
                                       float          eps);
void   wh_ref_rope_backward           (float         *dx,
                                       const float   *inv_freq,
                                       gsize          n_tokens,
                                       gsize          n_heads,
                                       gsize          head_dim,
                                       gsize          pos0,
                                       WhClRopeStyle  style);
void   wh_ref_embedding_backward      (float         *dtable,
                                       gsize          n_rows,
                                       const float   *dy,
                                       const gint32  *ids,
                                       gsize          n_tokens,
                                       gsize          dim);
double wh_ref_cross_entropy           (float         *losses,
                                       const float   *logits,
                                       const gint32  *targets,
                                       gsize          rows,
                                       gsize          vocab);
void   wh_ref_cross_entropy_backward  (float         *dlogits,
                                       const float   *logits,
                                       const gint32  *targets,
                                       gsize          rows,
                                       gsize          vocab,
                                       float          scale);
void   wh_ref_dropout                 (const float   *x,
                                       float         *y,
                                       gsize          n,
                                       guint32        seed,
                                       float          p);
guint32 wh_ref_dropout_threshold      (float          p);
void   wh_ref_add_scaled              (float         *y,
                                       float          a,
                                       const float   *x,
                                       gsize          n);
double wh_ref_sum_squares             (const float   *x,
                                       gsize          n);

G_END_DECLS
