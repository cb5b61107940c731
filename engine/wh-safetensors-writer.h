/* wh-safetensors-writer.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes f32 (or f16) tensors as a safetensors file, atomically: a temporary file
 * in the same folder, synced, then renamed over @path.  Tensors are laid
 * out in the order added; names must be unique. */

typedef struct _WhSafetensorsWriter WhSafetensorsWriter;

WhSafetensorsWriter *wh_safetensors_writer_new      (void);
void                 wh_safetensors_writer_free     (WhSafetensorsWriter *writer);
/* Copies @data (product of @shape floats). */
void                 wh_safetensors_writer_add_f32  (WhSafetensorsWriter *writer,
                                                     const char          *name,
                                                     const guint64       *shape,
                                                     guint                n_dims,
                                                     const float         *data);
void                 wh_safetensors_writer_add_f16  (WhSafetensorsWriter *writer,
                                                     const char          *name,
                                                     const guint64       *shape,
                                                     guint                n_dims,
                                                     const float         *data);
void                 wh_safetensors_writer_set_metadata (WhSafetensorsWriter *writer,
                                                         const char          *key,
                                                         const char          *value);
gboolean             wh_safetensors_writer_save     (WhSafetensorsWriter *writer,
                                                     const char          *path,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSafetensorsWriter, wh_safetensors_writer_free)

G_END_DECLS
