/* wh-record-reader-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-record-reader.h"

G_BEGIN_DECLS

/* Bytes read from the file at a time.  The first chunk is also what the
 * kind, the delimiter and the header are guessed from. */
#ifndef WH_RECORD_CHUNK
#define WH_RECORD_CHUNK (64 * 1024)
#endif

/* The longest record kept.  Fuzzing builds (tests/fuzz) lower this and
 * WH_RECORD_CHUNK, so that small inputs reach the paths of refilling and
 * of records too long to keep. */
#ifndef WH_RECORD_LIMIT
#define WH_RECORD_LIMIT WH_RECORD_MAX_BYTES
#endif

/* json-glib's parser recurses once per level of nesting: deeper values are
 * refused before they reach it, so that no record can exhaust the stack. */
#define WH_RECORD_MAX_DEPTH 1000

/* What _wh_record_reader_getc() returns besides bytes. */
#define WH_RECORD_EOF         (-1)
#define WH_RECORD_READ_FAILED (-2)

typedef enum
{
  WH_JSON_ARRAY_FIRST,    /* after “[” */
  WH_JSON_ARRAY_NEXT,     /* after “,” */
  WH_JSON_ARRAY_CLOSED,   /* after “]”: only white space may follow */
  WH_JSON_ARRAY_DONE,
} WhJsonArrayState;

struct _WhRecordReader
{
  char             *display_name;  /* base name, for messages */
  WhFileKind        kind;
  char             *reason;
  guint64           size;

  GFileInputStream *file;
  GInputStream     *stream;        /* the file, or a UTF-16 → UTF-8 converter over it */
  gboolean          utf16;
  guint64           stream_read;   /* bytes taken from stream */

  guint8           *buf;           /* WH_RECORD_CHUNK bytes, buf[pos, len) not yet read */
  gsize             pos;
  gsize             len;
  gboolean          eof;
  gboolean          done;          /* next() has nothing more to return */

  /* Where the next byte is.  CR, LF and CR LF each end a line. */
  guint64           line;          /* 1-based */
  guint64           column;        /* characters already read on this line */
  gboolean          after_cr;

  /* The record being read: its bytes, line breaks as “\n”, at most
   * WH_RECORD_LIMIT of them; raw_size counts all, kept or not. */
  GString          *raw;
  guint64           raw_size;
  guint64           start_line;
  guint64           start_column;  /* 1-based, of raw->str[0] */

  /* CSV and TSV */
  char              delimiter;
  gboolean          has_header;
  char            **columns;
  guint             n_fields;      /* in each row; 0 when unknown */
  WhRecord          pending;       /* the first row when it is not a header */
  gboolean          has_pending;

  /* JSON */
  JsonParser       *parser;
  WhJsonArrayState  array_state;
};

/* How the first value of a file that starts with “{” or “[” is laid out. */
typedef enum
{
  WH_JSON_SHAPE_LINES,           /* a value on the first line, another on a later one */
  WH_JSON_SHAPE_ONE_LINE,        /* one value on one line, then the end of the file */
  WH_JSON_SHAPE_ONE_MULTILINE,   /* one value over several lines, and nothing after it seen */
  WH_JSON_SHAPE_MANY_MULTILINE,  /* values over several lines each */
  WH_JSON_SHAPE_LONG_LINE,       /* the first line is longer than what was looked at */
} WhJsonShape;

gssize       _wh_record_reader_fill          (WhRecordReader  *self,
                                              GError         **error);
gboolean     _wh_record_reader_fill_up       (WhRecordReader  *self,
                                              GError         **error);
gboolean     _wh_record_reader_sniff         (WhRecordReader  *self,
                                              const char      *ext,
                                              GError         **error);
void         _wh_record_reader_begin         (WhRecordReader  *self,
                                              guint64          line,
                                              guint64          column);
gboolean     _wh_record_reader_check_text    (WhRecordReader  *self,
                                              WhRecord        *record);
void         _wh_record_reader_position      (WhRecordReader  *self,
                                              gsize            offset,
                                              guint64         *line,
                                              guint64         *column);
char        *_wh_record_format_size          (guint64          size);
void         _wh_record_set_error            (WhRecord        *record,
                                              WhRecordError    code,
                                              guint64          column,
                                              const char      *format,
                                              ...) G_GNUC_PRINTF (4, 5);

gboolean     _wh_record_csv_open             (WhRecordReader  *self,
                                              GError         **error);
gboolean     _wh_record_csv_next             (WhRecordReader  *self,
                                              WhRecord        *record,
                                              GError         **error);
char         _wh_record_csv_sniff            (const guint8    *data,
                                              gsize            len,
                                              gboolean         at_eof,
                                              const char      *candidates,
                                              gboolean        *even,
                                              guint           *n_rows);

WhJsonShape  _wh_record_json_shape           (const guint8    *data,
                                              gsize            len,
                                              gboolean         at_eof);
void         _wh_record_json_single_error    (WhRecordReader  *self,
                                              WhJsonShape      shape,
                                              GError         **error);
gboolean     _wh_record_json_array_open      (WhRecordReader  *self,
                                              GError         **error);
gboolean     _wh_record_json_array_next      (WhRecordReader  *self,
                                              WhRecord        *record,
                                              GError         **error);
gboolean     _wh_record_jsonl_next           (WhRecordReader  *self,
                                              WhRecord        *record,
                                              GError         **error);

/* The next byte, with each line break (CR, LF or CR LF) turned into one
 * “\n”; WH_RECORD_EOF at the end, WH_RECORD_READ_FAILED with @error. */
static inline int
_wh_record_reader_getc (WhRecordReader  *self,
                        GError         **error)
{
  for (;;)
    {
      guint8 c;

      if (G_UNLIKELY (self->pos == self->len))
        {
          gssize n = _wh_record_reader_fill (self, error);

          if (n <= 0)
            return n == 0 ? WH_RECORD_EOF : WH_RECORD_READ_FAILED;
        }

      c = self->buf[self->pos++];
      if (c == '\n' && self->after_cr)
        {
          self->after_cr = FALSE;
          continue;
        }
      if (c == '\n' || c == '\r')
        {
          self->after_cr = c == '\r';
          self->line++;
          self->column = 0;
          return '\n';
        }
      self->after_cr = FALSE;
      if ((c & 0xc0) != 0x80)
        self->column++;
      return c;
    }
}

/* Adds @c to the record being read, if it still fits. */
static inline void
_wh_record_reader_keep (WhRecordReader *self,
                        int             c)
{
  if (self->raw->len < WH_RECORD_LIMIT)
    g_string_append_c (self->raw, (char) c);
  self->raw_size++;
}

static inline gboolean
_wh_record_reader_too_long (WhRecordReader *self)
{
  return self->raw_size > WH_RECORD_LIMIT;
}

G_END_DECLS
