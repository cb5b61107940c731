/* wh-gguf-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "wh-gguf.h"

G_BEGIN_DECLS

/* A key/value pair.  The value stays in the mapping. */
typedef struct
{
  char         *key;
  WhGgufType    type;
  WhGgufType    item_type; /* arrays */
  guint64       length;    /* strings: bytes; arrays: items */
  gsize         value;     /* where the value (or the first item) is in the mapping */
  WhGgufString *strings;   /* arrays of strings: the items */
} WhGgufKv;

struct _WhGguf
{
  char         *path;
  char         *display_name;
  GMappedFile  *mapped;
  const guint8 *data;
  gsize         size;

  guint32       version;
  guint64       alignment;
  guint64       data_offset;

  GArray       *kvs;          /* of WhGgufKv, in file order */
  GHashTable   *kv_index;     /* key (borrowed from kvs) → index in kvs */
  GArray       *tensors;      /* of WhGgufTensorInfo, in file order */
  GHashTable   *tensor_index; /* name (borrowed from tensors) → index in tensors */
};

typedef enum
{
  WH_GGUF_SECTION_HEADER,
  WH_GGUF_SECTION_KVS,
  WH_GGUF_SECTION_TENSORS,
} WhGgufSection;

/* A position in the mapping, and what is being read there, for messages. */
typedef struct
{
  const guint8  *data;
  gsize          size;
  gsize          pos;
  const char    *name;        /* display name of the file */
  WhGgufSection  section;
  gsize          index;       /* of the key or tensor being read */
  const char    *key;         /* the key whose value is being read */
  const char    *tensor_name; /* the tensor whose info is being read */
} WhGgufParser;

/* Values in the mapping may be unaligned: they are read with memcpy. */

static inline guint16
_wh_gguf_load_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static inline guint32
_wh_gguf_load_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

static inline guint64
_wh_gguf_load_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static inline gsize
_wh_gguf_parser_left (WhGgufParser *p)
{
  return p->size - p->pos;
}

/* In wh-gguf.c.  On failure each sets WH_GGUF_ERROR_FORMAT and returns
 * FALSE; _wh_gguf_format_error() and _wh_gguf_truncated() (something that
 * starts at byte @at does not fit in what is left) always fail. */
gboolean _wh_gguf_format_error    (WhGgufParser  *p,
                                   GError       **error,
                                   const char    *format,
                                   ...) G_GNUC_PRINTF (3, 4);
gboolean _wh_gguf_truncated       (WhGgufParser  *p,
                                   gsize          at,
                                   GError       **error);
gboolean _wh_gguf_read_u32        (WhGgufParser  *p,
                                   guint32       *value,
                                   GError       **error);
gboolean _wh_gguf_read_u64        (WhGgufParser  *p,
                                   guint64       *value,
                                   GError       **error);
/* A gguf_string: a uint64 length, then that many bytes. */
gboolean _wh_gguf_read_string     (WhGgufParser  *p,
                                   WhGgufString  *string,
                                   GError       **error);
/* A key or a tensor name: valid UTF-8 (so without NUL bytes), copied. */
gboolean _wh_gguf_read_name       (WhGgufParser  *p,
                                   char         **name,
                                   GError       **error);

/* In wh-gguf-values.c */
gboolean _wh_gguf_parse_kv        (WhGguf        *self,
                                   WhGgufParser  *p,
                                   GError       **error);
/* general.alignment, or the default. */
gboolean _wh_gguf_parse_alignment (WhGguf        *self,
                                   WhGgufParser  *p,
                                   GError       **error);

G_END_DECLS
