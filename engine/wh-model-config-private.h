/* wh-model-config-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-model-config.h"

G_BEGIN_DECLS

/* Far above any released model, low enough that the parameter count and
 * the buffer sizes the model loader computes from these cannot overflow. */
#define MAX_VOCAB      (1u << 24)
#define MAX_WIDTH      (1u << 20)  /* hidden, intermediate, head_dim */
#define MAX_COUNT      (1u << 16)  /* layers, heads */
#define MAX_POSITIONS  (1u << 30)

gboolean _wh_model_config_validate (WhModelConfig  *c,
                                    const char     *file,
                                    GError        **error);

G_END_DECLS
