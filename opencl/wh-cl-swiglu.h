/* wh-cl-swiglu.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

gboolean wh_cl_swiglu_forward  (WhClContext  *ctx,
                                WhClBuffer   *out,
                                WhClBuffer   *gate,
                                WhClBuffer   *up,
                                gsize         n,
                                GError      **error);
gboolean wh_cl_swiglu_backward (WhClContext  *ctx,
                                WhClBuffer   *dgate,
                                WhClBuffer   *dup,
                                WhClBuffer   *dout,
                                WhClBuffer   *gate,
                                WhClBuffer   *up,
                                gsize         n,
                                GError      **error);

G_END_DECLS
