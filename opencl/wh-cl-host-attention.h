/* wh-cl-host-attention.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* Private to wh-cl-attention-train.c, which checks the shapes first:
 * its two directions on PoCL's CPU device through the host's BLAS; built
 * only with OpenBLAS. */
typedef struct
{
  gsize n_tokens;
  gsize n_heads;
  gsize n_kv_heads;
  gsize head_dim;
  float scale;
} WhClHostAttentionShape;

gboolean _wh_cl_host_attention_forward  (WhClContext                  *ctx,
                                         WhClBuffer                   *out,
                                         WhClBuffer                   *lse,
                                         WhClBuffer                   *q,
                                         WhClBuffer                   *k,
                                         WhClBuffer                   *v,
                                         WhClBuffer                   *seg,
                                         const WhClHostAttentionShape *shape,
                                         GError                      **error);
gboolean _wh_cl_host_attention_backward (WhClContext                  *ctx,
                                         WhClBuffer                   *dq,
                                         WhClBuffer                   *dk,
                                         WhClBuffer                   *dv,
                                         WhClBuffer                   *delta,
                                         WhClBuffer                   *dout,
                                         WhClBuffer                   *q,
                                         WhClBuffer                   *k,
                                         WhClBuffer                   *v,
                                         WhClBuffer                   *out,
                                         WhClBuffer                   *lse,
                                         WhClBuffer                   *seg,
                                         const WhClHostAttentionShape *shape,
                                         GError                      **error);

G_END_DECLS
