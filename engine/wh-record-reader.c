/* wh-record-reader.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opening a dataset file, the byte stream the kinds share, and the text
 * kinds.  Deciding the kind is in wh-record-sniff.c, CSV and TSV in
 * wh-record-csv.c, JSON Lines and JSON arrays in wh-record-json.c.
 *
 * The file is read in WH_RECORD_CHUNK pieces through a GFileInputStream
 * (read-only).  Every kind turns CR, LF and CR LF into one “\n” as it
 * reads (_wh_record_reader_getc()), so lines are numbered as editors
 * number them, and gathers the bytes of one record at a time into
 * self->raw, which never holds more than WH_RECORD_MAX_BYTES: a longer
 * record is scanned to its end, counted and reported, not kept.
 *
 * Records are checked to be UTF-8 each on its own, so that one bad row
 * does not stop the rest. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-record-reader-private.h"

G_DEFINE_QUARK (wh-record-reader-error-quark, wh_record_reader_error)
G_DEFINE_QUARK (wh-record-error-quark, wh_record_error)

const char *
wh_file_kind_to_string (WhFileKind kind)
{
  switch (kind)
    {
    case WH_FILE_KIND_AUTO:       return "auto";
    case WH_FILE_KIND_CSV:        return "csv";
    case WH_FILE_KIND_TSV:        return "tsv";
    case WH_FILE_KIND_JSONL:      return "jsonl";
    case WH_FILE_KIND_JSON_ARRAY: return "json";
    case WH_FILE_KIND_TEXT:       return "text";
    case WH_FILE_KIND_TEXT_WHOLE: return "text-whole";
    default:                      return "unknown";
    }
}

/* Records and their errors */

void
wh_record_clear (WhRecord *record)
{
  g_return_if_fail (record != NULL);

  g_clear_pointer (&record->json, json_node_unref);
  g_clear_pointer (&record->fields, g_ptr_array_unref);
  g_clear_pointer (&record->text, g_free);
  g_clear_error (&record->error);
  memset (record, 0, sizeof *record);
}

void
_wh_record_set_error (WhRecord      *record,
                      WhRecordError  code,
                      guint64        column,
                      const char    *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_clear_error (&record->error);
  record->error = g_error_new_literal (WH_RECORD_ERROR, code, message);
  record->column = column;
}

/* “2.0 GiB” */
char *
_wh_record_format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

/* The byte stream */

/* Makes room in the buffer and reads into it once.  Returns the number of
 * bytes read, 0 at the end of the file, -1 with @error. */
gssize
_wh_record_reader_fill (WhRecordReader  *self,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->eof)
    return 0;

  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, self->len - self->pos);
      self->len -= self->pos;
      self->pos = 0;
    }
  if (self->len == WH_RECORD_CHUNK)
    return self->len;

  n = g_input_stream_read (self->stream, self->buf + self->len, WH_RECORD_CHUNK - self->len,
                           NULL, &local_error);
  if (n < 0)
    {
      self->eof = TRUE;
      if (self->utf16 && (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
                          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” starts as UTF-16 text, but before byte %llu it is not valid UTF-16; "
                       "save it as UTF-8 and try again."),
                     self->display_name, (unsigned long long) wh_record_reader_get_offset (self));
      else
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_OPEN,
                     _("“%s” cannot be read: %s"), self->display_name, local_error->message);
      return -1;
    }
  if (n == 0)
    self->eof = TRUE;
  self->len += n;
  self->stream_read += n;
  return n;
}

/* Fills the whole buffer, or up to the end of the file. */
gboolean
_wh_record_reader_fill_up (WhRecordReader  *self,
                           GError         **error)
{
  while (!self->eof && (self->pos > 0 || self->len < WH_RECORD_CHUNK))
    if (_wh_record_reader_fill (self, error) < 0)
      return FALSE;
  return TRUE;
}

/* Starts a new record whose first byte is at @line, @column. */
void
_wh_record_reader_begin (WhRecordReader *self,
                         guint64         line,
                         guint64         column)
{
  g_string_truncate (self->raw, 0);
  self->raw_size = 0;
  self->start_line = line;
  self->start_column = column;
}

/* The line and column of self->raw->str[@offset] in the file. */
void
_wh_record_reader_position (WhRecordReader *self,
                            gsize           offset,
                            guint64        *line,
                            guint64        *column)
{
  const char *s = self->raw->str;
  gsize line_start = 0;
  guint64 n_lines = 0;
  guint64 n_chars = 0;

  offset = MIN (offset, self->raw->len);
  for (gsize i = 0; i < offset; i++)
    if (s[i] == '\n')
      {
        n_lines++;
        line_start = i + 1;
      }
  for (gsize i = line_start; i < offset; i++)
    if (((guint8) s[i] & 0xc0) != 0x80)
      n_chars++;

  *line = self->start_line + n_lines;
  *column = n_chars + 1 + (n_lines == 0 ? self->start_column - 1 : 0);
}

/* Checks that the record's bytes are UTF-8 text, or sets record->error. */
gboolean
_wh_record_reader_check_text (WhRecordReader *self,
                              WhRecord       *record)
{
  const char *end;
  guint64 line, column;

  if (g_utf8_validate_len (self->raw->str, self->raw->len, &end))
    return TRUE;

  _wh_record_reader_position (self, end - self->raw->str, &line, &column);
  if (*end == '\0')
    _wh_record_set_error (record, WH_RECORD_ERROR_ENCODING, column,
                          _("There is a NUL byte at line %llu, column %llu: this part of the file is not text."),
                          (unsigned long long) line, (unsigned long long) column);
  else
    _wh_record_set_error (record, WH_RECORD_ERROR_ENCODING, column,
                          _("The text is not UTF-8 at line %llu, column %llu: save the file as UTF-8."),
                          (unsigned long long) line, (unsigned long long) column);
  return FALSE;
}

/* Text */

/* TEXT: the lines up to the next blank one (white space only), without
 * the line break after the last.  TEXT_WHOLE: the same, but blank lines
 * are part of the document; only those at the start and the end go. */
static gboolean
text_next (WhRecordReader  *self,
           WhRecord        *record,
           GError         **error)
{
  gboolean whole = self->kind == WH_FILE_KIND_TEXT_WHOLE;
  gboolean in_doc = FALSE;
  guint64 doc_end = 0;
  guint64 last_line = 0;
  int c;

  _wh_record_reader_begin (self, self->line, 1);
  do
    {
      guint64 line = self->line;
      gboolean blank = TRUE;

      while ((c = _wh_record_reader_getc (self, error)) >= 0 && c != '\n')
        {
          if (!g_ascii_isspace (c))
            blank = FALSE;
          _wh_record_reader_keep (self, c);
        }
      if (c == WH_RECORD_READ_FAILED)
        return FALSE;

      if (!blank)
        {
          in_doc = TRUE;
          doc_end = self->raw_size;
          last_line = line;
        }
      else if (!in_doc)
        {
          _wh_record_reader_begin (self, self->line, 1);
          continue;
        }
      else if (!whole)
        break;

      if (c == '\n')
        _wh_record_reader_keep (self, c);
    }
  while (c != WH_RECORD_EOF);

  if (c == WH_RECORD_EOF)
    self->done = TRUE;
  if (!in_doc)
    return FALSE;

  record->line = self->start_line;
  record->end_line = last_line;
  if (doc_end > WH_RECORD_LIMIT)
    {
      g_autofree char *size = _wh_record_format_size (doc_end);
      g_autofree char *limit = _wh_record_format_size (WH_RECORD_LIMIT);

      if (whole)
        _wh_record_set_error (record, WH_RECORD_ERROR_TOO_LONG, 0,
                              _("The file is %s long; read as one document it may be at most %s. "
                                "Read it as documents separated by blank lines instead."),
                              size, limit);
      else
        _wh_record_set_error (record, WH_RECORD_ERROR_TOO_LONG, 0,
                              _("The document on line %llu is %s long; a document may be at most %s. "
                                "Split it with blank lines or remove it."),
                              (unsigned long long) record->line, size, limit);
      return TRUE;
    }

  g_string_truncate (self->raw, doc_end);
  if (_wh_record_reader_check_text (self, record))
    record->text = g_strndup (self->raw->str, self->raw->len);
  return TRUE;
}

/* Opening */

WhRecordReader *
wh_record_reader_new (const char  *path,
                      WhFileKind   kind,
                      GError     **error)
{
  g_autoptr(WhRecordReader) self = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *ext = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail ((guint) kind <= WH_FILE_KIND_TEXT_WHOLE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (WhRecordReader, 1);
  self->display_name = g_filename_display_basename (path);
  self->kind = kind;
  self->buf = g_malloc (WH_RECORD_CHUNK);
  self->raw = g_string_sized_new (4096);
  self->line = 1;

  file = g_file_new_for_path (path);
  self->file = g_file_read (file, NULL, &local_error);
  if (self->file == NULL)
    {
      g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_OPEN,
                   _("“%s” cannot be opened: %s"), self->display_name, local_error->message);
      return NULL;
    }
  self->stream = g_object_ref (G_INPUT_STREAM (self->file));

  info = g_file_input_stream_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_OPEN,
                   _("“%s” cannot be read: %s"), self->display_name, local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_OPEN,
                   _("“%s” cannot be opened: it is not a regular file"), self->display_name);
      return NULL;
    }
  self->size = g_file_info_get_size (info);

  basename = g_path_get_basename (path);
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename && dot[1] != '\0')
    ext = g_ascii_strdown (dot + 1, -1);

  if (!_wh_record_reader_fill_up (self, error) ||
      !_wh_record_reader_sniff (self, ext, error))
    return NULL;

  switch (self->kind)
    {
    case WH_FILE_KIND_CSV:
    case WH_FILE_KIND_TSV:
      if (!_wh_record_csv_open (self, error))
        return NULL;
      break;

    case WH_FILE_KIND_JSON_ARRAY:
      self->parser = json_parser_new ();
      if (!_wh_record_json_array_open (self, error))
        return NULL;
      break;

    case WH_FILE_KIND_JSONL:
      self->parser = json_parser_new ();
      break;

    case WH_FILE_KIND_TEXT:
    case WH_FILE_KIND_TEXT_WHOLE:
    case WH_FILE_KIND_AUTO:
    default:
      break;
    }

  return g_steal_pointer (&self);
}

void
wh_record_reader_free (WhRecordReader *self)
{
  if (self == NULL)
    return;

  wh_record_clear (&self->pending);
  g_clear_object (&self->parser);
  g_strfreev (self->columns);
  g_string_free (self->raw, TRUE);
  g_free (self->buf);
  g_clear_object (&self->stream);
  g_clear_object (&self->file);
  g_free (self->reason);
  g_free (self->display_name);
  g_free (self);
}

WhFileKind
wh_record_reader_get_kind (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, WH_FILE_KIND_AUTO);

  return self->kind;
}

const char *
wh_record_reader_get_reason (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->reason;
}

const char * const *
wh_record_reader_get_columns (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->columns;
}

gboolean
wh_record_reader_has_header (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_header;
}

char
wh_record_reader_get_delimiter (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, '\0');

  return self->delimiter;
}

guint64
wh_record_reader_get_size (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/* The bytes of the file read so far.  Through a UTF-16 converter this
 * includes what the converter has read ahead. */
guint64
wh_record_reader_get_offset (WhRecordReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->utf16)
    {
      guint64 read = g_seekable_tell (G_SEEKABLE (self->file));

      return MIN (read, self->size);
    }
  return self->stream_read - (self->len - self->pos);
}

gboolean
wh_record_reader_next (WhRecordReader  *self,
                       WhRecord        *record,
                       GError         **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  wh_record_clear (record);
  if (self->done)
    return FALSE;

  switch (self->kind)
    {
    case WH_FILE_KIND_CSV:
    case WH_FILE_KIND_TSV:
      ok = _wh_record_csv_next (self, record, error);
      break;

    case WH_FILE_KIND_JSONL:
      ok = _wh_record_jsonl_next (self, record, error);
      break;

    case WH_FILE_KIND_JSON_ARRAY:
      ok = _wh_record_json_array_next (self, record, error);
      break;

    case WH_FILE_KIND_TEXT:
    case WH_FILE_KIND_TEXT_WHOLE:
      ok = text_next (self, record, error);
      break;

    case WH_FILE_KIND_AUTO:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      self->done = TRUE;
      wh_record_clear (record);
    }
  return ok;
}
