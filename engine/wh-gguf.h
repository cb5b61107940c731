/* wh-gguf.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A read-only view of a GGUF file (versions 2 and 3): the header, every
 * key/value pair and the tensor infos.  The file is memory-mapped; tensor
 * data is not read here.  Every length, count and offset in the file is
 * checked against the file size before it is used. */

#define WH_GGUF_ERROR (wh_gguf_error_quark ())

typedef enum
{
  WH_GGUF_ERROR_OPEN,        /* the file cannot be opened or mapped */
  WH_GGUF_ERROR_FORMAT,      /* not GGUF, unsupported version, truncated or corrupt */
  WH_GGUF_ERROR_MISSING_KEY, /* a key that was asked for is absent */
  WH_GGUF_ERROR_WRONG_TYPE,  /* a key has another type than the one asked for */
} WhGgufError;

/* Value types, numbered as in the GGUF specification. */
typedef enum
{
  WH_GGUF_TYPE_UINT8   = 0,
  WH_GGUF_TYPE_INT8    = 1,
  WH_GGUF_TYPE_UINT16  = 2,
  WH_GGUF_TYPE_INT16   = 3,
  WH_GGUF_TYPE_UINT32  = 4,
  WH_GGUF_TYPE_INT32   = 5,
  WH_GGUF_TYPE_FLOAT32 = 6,
  WH_GGUF_TYPE_BOOL    = 7,
  WH_GGUF_TYPE_STRING  = 8,
  WH_GGUF_TYPE_ARRAY   = 9,
  WH_GGUF_TYPE_UINT64  = 10,
  WH_GGUF_TYPE_INT64   = 11,
  WH_GGUF_TYPE_FLOAT64 = 12,
} WhGgufType;

/* A string inside the mapping: not NUL-terminated, not validated as UTF-8. */
typedef struct
{
  const char *data;
  gsize       length;
} WhGgufString;

#define WH_GGUF_MAX_DIMS 4

typedef struct
{
  char    *name;                     /* NUL-terminated copy */
  guint    n_dims;
  guint64  dims[WH_GGUF_MAX_DIMS];   /* ne[0] is the fastest-varying */
  guint32  type;                     /* a ggml type id (0 = f32, 1 = f16, 8 = q8_0…) */
  guint64  offset;                   /* absolute offset of the data in the file */
  guint64  n_bytes;                  /* 0 when the type is unknown to this reader */
} WhGgufTensorInfo;

typedef struct _WhGguf WhGguf;

GQuark                  wh_gguf_error_quark      (void);

WhGguf                 *wh_gguf_open             (const char    *path,
                                                  GError       **error);
void                    wh_gguf_free             (WhGguf        *gguf);

const char             *wh_gguf_get_path         (WhGguf        *gguf);
guint32                 wh_gguf_get_version      (WhGguf        *gguf);
guint64                 wh_gguf_get_alignment    (WhGguf        *gguf);
/* The mapped file, for the model loader. */
const guint8           *wh_gguf_get_data         (WhGguf        *gguf,
                                                  gsize         *size);

/* Key/value pairs, in file order. */
gsize                   wh_gguf_get_n_keys       (WhGguf        *gguf);
const char             *wh_gguf_get_key          (WhGguf        *gguf,
                                                  gsize          index);
WhGgufType              wh_gguf_get_key_type     (WhGguf        *gguf,
                                                  gsize          index);
/* -1 when absent. */
gssize                  wh_gguf_find_key         (WhGguf        *gguf,
                                                  const char    *key);
gboolean                wh_gguf_has_key          (WhGguf        *gguf,
                                                  const char    *key);

/* Typed getters.  Each returns FALSE with WH_GGUF_ERROR_MISSING_KEY or
 * WH_GGUF_ERROR_WRONG_TYPE (the message names the file and the key) when
 * the key is absent or its type does not convert.  Integer getters accept
 * any integer type whose value fits; the float getter accepts f32 and
 * f64. */
gboolean                wh_gguf_get_int          (WhGguf        *gguf,
                                                  const char    *key,
                                                  gint64        *value,
                                                  GError       **error);
gboolean                wh_gguf_get_uint32       (WhGguf        *gguf,
                                                  const char    *key,
                                                  guint32       *value,
                                                  GError       **error);
gboolean                wh_gguf_get_float        (WhGguf        *gguf,
                                                  const char    *key,
                                                  double        *value,
                                                  GError       **error);
gboolean                wh_gguf_get_bool         (WhGguf        *gguf,
                                                  const char    *key,
                                                  gboolean      *value,
                                                  GError       **error);
gboolean                wh_gguf_get_string       (WhGguf        *gguf,
                                                  const char    *key,
                                                  WhGgufString  *value,
                                                  GError       **error);
/* A NUL-terminated copy; also fails (WRONG_TYPE) on an embedded NUL. */
char                   *wh_gguf_dup_string       (WhGguf        *gguf,
                                                  const char    *key,
                                                  GError       **error);

/* Arrays.  For string arrays the items point into the mapping and stay
 * valid while @gguf lives.  Numeric arrays are converted into a new
 * allocation the caller frees with g_free(). */
gboolean                wh_gguf_get_array_info   (WhGguf        *gguf,
                                                  const char    *key,
                                                  WhGgufType    *item_type,
                                                  gsize         *length,
                                                  GError       **error);
gboolean                wh_gguf_get_string_array (WhGguf        *gguf,
                                                  const char    *key,
                                                  const WhGgufString **items,
                                                  gsize         *length,
                                                  GError       **error);
gboolean                wh_gguf_get_int_array    (WhGguf        *gguf,
                                                  const char    *key,
                                                  gint64       **items,
                                                  gsize         *length,
                                                  GError       **error);
gboolean                wh_gguf_get_float_array  (WhGguf        *gguf,
                                                  const char    *key,
                                                  float        **items,
                                                  gsize         *length,
                                                  GError       **error);

/* Tensor infos, in file order. */
gsize                   wh_gguf_get_n_tensors    (WhGguf        *gguf);
const WhGgufTensorInfo *wh_gguf_get_tensor       (WhGguf        *gguf,
                                                  gsize          index);
const WhGgufTensorInfo *wh_gguf_find_tensor      (WhGguf        *gguf,
                                                  const char    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhGguf, wh_gguf_free)

G_END_DECLS
