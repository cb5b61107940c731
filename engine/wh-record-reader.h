/* wh-record-reader.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Streaming readers for the files people bring as datasets: CSV and TSV
 * (RFC 4180), JSON Lines, a JSON array, and plain text.  Memory is bounded
 * by the largest record, never by the file; a record longer than
 * WH_RECORD_MAX_BYTES is skipped and reported, not read into memory.  The
 * file is only ever read. */

#define WH_RECORD_READER_ERROR (wh_record_reader_error_quark ())

typedef enum
{
  WH_RECORD_READER_ERROR_OPEN,     /* missing or unreadable: names the file */
  WH_RECORD_READER_ERROR_FORMAT,   /* cannot be read as any supported kind */
} WhRecordReaderError;

/* Problems of one record, which is then skipped (the reader goes on). */
#define WH_RECORD_ERROR (wh_record_error_quark ())

typedef enum
{
  WH_RECORD_ERROR_JSON,        /* not valid JSON: message has the parser's position */
  WH_RECORD_ERROR_ENCODING,    /* not UTF-8 */
  WH_RECORD_ERROR_TOO_LONG,    /* longer than WH_RECORD_MAX_BYTES */
  WH_RECORD_ERROR_CSV,         /* unterminated quote, wrong number of fields… */
} WhRecordError;

#define WH_RECORD_MAX_BYTES (16 * 1024 * 1024)

typedef enum
{
  WH_FILE_KIND_AUTO,
  WH_FILE_KIND_CSV,         /* delimiter sniffed: , ; or | */
  WH_FILE_KIND_TSV,
  WH_FILE_KIND_JSONL,
  WH_FILE_KIND_JSON_ARRAY,
  WH_FILE_KIND_TEXT,        /* documents separated by blank lines */
  WH_FILE_KIND_TEXT_WHOLE,  /* the whole file is one document */
} WhFileKind;

typedef struct
{
  guint64    line;        /* 1-based line of the file where the record starts */
  guint64    end_line;    /* line where it ends (CSV fields may span lines) */
  JsonNode  *json;        /* JSONL / JSON array: the value, or NULL if broken */
  GPtrArray *fields;      /* CSV / TSV: the fields as UTF-8 strings (char *) */
  char      *text;        /* text kinds: the document */
  GError    *error;       /* set when the record is broken (WH_RECORD_ERROR) */
  guint64    column;      /* with an error: 1-based column (character) in the line, 0 if unknown */
} WhRecord;

typedef struct _WhRecordReader WhRecordReader;

GQuark          wh_record_reader_error_quark   (void);
GQuark          wh_record_error_quark          (void);

const char     *wh_file_kind_to_string         (WhFileKind       kind);

/* Opens @path and, with WH_FILE_KIND_AUTO, decides its kind from its
 * name and first bytes.  For CSV/TSV the header row is read (or found
 * missing) here. */
WhRecordReader *wh_record_reader_new           (const char      *path,
                                                WhFileKind       kind,
                                                GError         **error);
void            wh_record_reader_free          (WhRecordReader  *reader);

WhFileKind      wh_record_reader_get_kind      (WhRecordReader  *reader);
/* Why that kind, in one sentence ("The file ends in .csv and its first
 * rows split evenly on commas."). */
const char     *wh_record_reader_get_reason    (WhRecordReader  *reader);
/* CSV/TSV: the column names (from the header, or "column 1"…), NULL
 * terminated; NULL for other kinds. */
const char * const *wh_record_reader_get_columns (WhRecordReader *reader);
gboolean        wh_record_reader_has_header    (WhRecordReader  *reader);
char            wh_record_reader_get_delimiter (WhRecordReader  *reader);
guint64         wh_record_reader_get_size      (WhRecordReader  *reader);
guint64         wh_record_reader_get_offset    (WhRecordReader  *reader);

/* Reads the next record into @record (cleared first).  Returns FALSE at
 * the end of the file, or with @error on a read failure.  A broken record
 * is returned with record->error set. */
gboolean        wh_record_reader_next          (WhRecordReader  *reader,
                                                WhRecord        *record,
                                                GError         **error);
void            wh_record_clear                (WhRecord        *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhRecordReader, wh_record_reader_free)

G_END_DECLS
