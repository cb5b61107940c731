/* wh-ref-ops.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-ops.h"

G_BEGIN_DECLS

/* Plain-C twins of the ops in wh-cl-ops.h, same shapes and semantics (those
 * of Hugging Face transformers' Llama), accumulating in double: the oracle
 * of the kernel tests and of the model tests built on them. */

void wh_ref_embedding     (float         *out,
                           const float   *table,
                           gsize          n_rows,
                           const gint32  *ids,
                           gsize          n_tokens,
                           gsize          dim);
void wh_ref_rmsnorm       (float         *out,
                           const float   *x,
                           const float   *weight,
                           gsize          rows,
                           gsize          dim,
                           float          eps);
void wh_ref_rope          (float         *x,
                           const float   *inv_freq,
                           gsize          n_tokens,
                           gsize          n_heads,
                           gsize          head_dim,
                           gsize          pos0,
                           WhClRopeStyle  style);
void wh_ref_attention     (float         *out,
                           const float   *q,
                           const float   *k_cache,
                           const float   *v_cache,
                           gsize          n_tokens,
                           gsize          n_heads,
                           gsize          n_kv_heads,
                           gsize          head_dim,
                           gsize          pos0,
                           float          scale);
void wh_ref_add           (float         *y,
                           const float   *x,
                           gsize          n);
void wh_ref_add_bias      (float         *x,
                           const float   *bias,
                           gsize          rows,
                           gsize          cols);
void wh_ref_softmax_rows  (float         *x,
                           gsize          rows,
                           gsize          cols);
void wh_ref_rope_inv_freq (float         *inv_freq,
                           gsize          head_dim,
                           double         theta);

G_END_DECLS
