/* wh-safetensors.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl.h"

G_BEGIN_DECLS

/* Safetensors files, memory-mapped and validated as the reference reader
 * validates them (header size bound, JSON header, offsets inside the file,
 * no gaps, no overlaps, full coverage of the data, sizes matching dtype
 * and shape), one file or a sharded set through
 * model.safetensors.index.json. */

#define WH_SAFETENSORS_ERROR (wh_safetensors_error_quark ())

typedef enum
{
  WH_SAFETENSORS_ERROR_OPEN,      /* missing or unreadable file */
  WH_SAFETENSORS_ERROR_FORMAT,    /* damaged: the message names file and tensor */
  WH_SAFETENSORS_ERROR_MISSING,   /* a tensor asked for is absent */
  WH_SAFETENSORS_ERROR_DTYPE,     /* a tensor asked for has a dtype we cannot use */
} WhSafetensorsError;

#define WH_SAFETENSORS_MAX_DIMS 8

typedef struct
{
  const char    *name;
  const char    *dtype_name;        /* as in the file: "F32", "BF16", "I64"… */
  int            dtype;             /* a WhClDType (F32, F16, BF16) or -1 */
  guint          n_dims;
  guint64        shape[WH_SAFETENSORS_MAX_DIMS];
  guint64        n_elements;
  const guint8  *data;              /* inside the mapping */
  guint64        n_bytes;
  const char    *file;              /* display name of the file holding it */
} WhSafetensorsTensor;

typedef struct _WhSafetensors WhSafetensors;

GQuark                     wh_safetensors_error_quark     (void);

/* @path: a .safetensors file, a model.safetensors.index.json, or a folder
 * holding either (model.safetensors first). */
WhSafetensors             *wh_safetensors_open            (const char     *path,
                                                           GError        **error);
void                       wh_safetensors_free            (WhSafetensors  *st);

gsize                      wh_safetensors_get_n_tensors   (WhSafetensors  *st);
const WhSafetensorsTensor *wh_safetensors_get_tensor      (WhSafetensors  *st,
                                                           gsize           index);
/* NULL when absent. */
const WhSafetensorsTensor *wh_safetensors_find            (WhSafetensors  *st,
                                                           const char     *name);
/* Looks up a tensor the model needs: MISSING or DTYPE errors name the
 * tensor and the file; @n_dims and @shape (NULL to skip) must match. */
const WhSafetensorsTensor *wh_safetensors_require         (WhSafetensors  *st,
                                                           const char     *name,
                                                           guint           n_dims,
                                                           const guint64  *shape,
                                                           GError        **error);
/* The "__metadata__" value for @key, or NULL. */
const char                *wh_safetensors_get_metadata    (WhSafetensors  *st,
                                                           const char     *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSafetensors, wh_safetensors_free)

G_END_DECLS
