/* wh-cl-buffer.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-context.h"

G_BEGIN_DECLS

/* A device buffer, counted byte for byte in its context's memory use. */
typedef struct
{
  WhClContext *ctx;
  cl_mem       mem;
  gsize        size;   /* bytes */
} WhClBuffer;

WhClBuffer *wh_cl_buffer_new        (WhClContext   *ctx,
                                     gsize          size,
                                     GError       **error);
void        wh_cl_buffer_free       (WhClBuffer    *buffer);
gboolean    wh_cl_buffer_write      (WhClBuffer    *buffer,
                                     gsize          offset,
                                     const void    *data,
                                     gsize          size,
                                     GError       **error);
gboolean    wh_cl_buffer_read       (WhClBuffer    *buffer,
                                     gsize          offset,
                                     void          *data,
                                     gsize          size,
                                     GError       **error);
gboolean    wh_cl_buffer_fill_zero  (WhClBuffer    *buffer,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhClBuffer, wh_cl_buffer_free)

G_END_DECLS
