/* wh-record-sniff.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Deciding what a dataset file is, from its name and its first chunk.
 *
 * Files that are plainly not text (spreadsheets, archives, compressed
 * files, NUL bytes near the start) are refused whatever the kind asked
 * for, with advice on what to do instead.  A UTF-8 byte-order mark is
 * skipped.  A file with a UTF-16 byte-order mark (Excel's “Unicode Text”
 * is UTF-16LE TSV) is decoded through a GCharsetConverter from then on;
 * UTF-32 is refused.  Then, with WH_FILE_KIND_AUTO, the kind comes from
 * the extension checked against the content, or from the content alone
 * (see choose_kind()). */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-record-reader-private.h"

/* How far into the file NUL bytes mean it is not text */
#define BINARY_PROBE 4096

typedef struct
{
  const char *magic;
  gsize       len;
  const char *what;   /* for the compressed and foreign kinds */
} Signature;

static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Refuses files that are plainly not text, with advice. */
static gboolean
check_signatures (WhRecordReader  *self,
                  const char      *ext,
                  GError         **error)
{
  static const Signature compressed[] = {
    { "\x1f\x8b", 2, "gzip" },
    { "BZh", 3, "bzip2" },
    { "\xfd" "7zXZ\0", 6, "xz" },
    { "\x28\xb5\x2f\xfd", 4, "Zstandard" },
    { "7z\xbc\xaf\x27\x1c", 6, "7-Zip" },
  };
  static const Signature foreign[] = {
    { "PAR1", 4, "Parquet" },
    { "ARROW1", 6, "Arrow" },
    { "SQLite format 3", 16, "SQLite" },
  };
  const char *data = (const char *) self->buf + self->pos;
  gsize n = self->len - self->pos;
  gsize probe = MIN (n, BINARY_PROBE);

#define HAS(magic, magic_len) (n >= (magic_len) && memcmp (data, (magic), (magic_len)) == 0)
#define HOLDS(needle) contains (data, probe, (needle))

  if (HAS ("PK\x03\x04", 4) || HAS ("PK\x05\x06", 4) ||
      HAS ("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
    {
      gboolean zip = data[0] == 'P';

      if (g_strcmp0 (ext, "ods") == 0 || (zip && HOLDS ("opendocument.spreadsheet")))
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” looks like a LibreOffice spreadsheet; save it as CSV "
                       "(File → Save As → Text CSV, UTF-8) and try again."),
                     self->display_name);
      else if (g_strcmp0 (ext, "docx") == 0 || g_strcmp0 (ext, "doc") == 0 ||
               g_strcmp0 (ext, "odt") == 0 || (zip && HOLDS ("word/")))
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” looks like a word-processor document; save it as plain text (.txt) and try again."),
                     self->display_name);
      else if (!zip || g_str_has_prefix (ext != NULL ? ext : "", "xl") || HOLDS ("xl/") ||
               HOLDS ("[Content_Types].xml"))
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” looks like an Excel workbook; save it as CSV "
                       "(File → Save As → CSV UTF-8) and try again."),
                     self->display_name);
      else
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” is a ZIP archive; extract it and choose the dataset file inside."),
                     self->display_name);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (compressed); i++)
    if (HAS (compressed[i].magic, compressed[i].len))
      {
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” is compressed (%s); decompress it and choose the file inside."),
                     self->display_name, compressed[i].what);
        return FALSE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    if (HAS (foreign[i].magic, foreign[i].len))
      {
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” is a %s file, which Whetstone cannot read; "
                       "convert it to JSON Lines or CSV and try again."),
                     self->display_name, foreign[i].what);
        return FALSE;
      }

  if (HAS ("%PDF-", 5))
    {
      g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                   _("“%s” is a PDF document; copy its text into a plain-text file and try again."),
                   self->display_name);
      return FALSE;
    }

  if (HAS ("\xff\xfe\0\0", 4) || HAS ("\0\0\xfe\xff", 4))
    {
      g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                   _("“%s” is UTF-32 text, which Whetstone does not read; save it as UTF-8 and try again."),
                   self->display_name);
      return FALSE;
    }

#undef HAS
#undef HOLDS

  return TRUE;
}

/* Decodes a UTF-16 file from its start, and skips a byte-order mark. */
static gboolean
check_encoding (WhRecordReader  *self,
                GError         **error)
{
  const guint8 *data = self->buf + self->pos;
  gsize n = self->len - self->pos;

  if (n >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GCharsetConverter) converter = NULL;
      const char *charset = data[0] == 0xff ? "UTF-16LE" : "UTF-16BE";

      /* The mark is decoded too, to U+FEFF, and skipped below. */
      converter = g_charset_converter_new ("UTF-8", charset, &local_error);
      if (converter == NULL ||
          !g_seekable_seek (G_SEEKABLE (self->file), 0, G_SEEK_SET, NULL, &local_error))
        {
          g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                       _("“%s” is UTF-16 text and cannot be decoded (%s); save it as UTF-8 and try again."),
                       self->display_name, local_error->message);
          return FALSE;
        }
      g_object_unref (self->stream);
      self->stream = g_converter_input_stream_new (G_INPUT_STREAM (self->file), G_CONVERTER (converter));
      self->utf16 = TRUE;
      self->pos = self->len = 0;
      self->stream_read = 0;
      self->eof = FALSE;
      if (!_wh_record_reader_fill_up (self, error))
        return FALSE;
      data = self->buf;
      n = self->len;
    }

  if (n >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    self->pos += 3;

  data = self->buf + self->pos;
  n = MIN (self->len - self->pos, BINARY_PROBE);
  if (memchr (data, '\0', n) != NULL)
    {
      guint zeros_odd = 0, zeros_even = 0;

      for (gsize i = 0; i < n; i++)
        if (data[i] == '\0' && i % 2 == 1)
          zeros_odd++;
        else if (data[i] == '\0')
          zeros_even++;
      if (MAX (zeros_odd, zeros_even) * 4 >= n / 2 * 3 && MIN (zeros_odd, zeros_even) == 0)
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” looks like UTF-16 text without a byte-order mark; save it as UTF-8 and try again."),
                     self->display_name);
      else
        g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                     _("“%s” is not a text file (it has NUL bytes near the start); "
                       "choose a CSV, JSON Lines, JSON or text file."),
                     self->display_name);
      return FALSE;
    }

  return TRUE;
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    /* Translators: completes “its first rows split evenly on …” */
    case ',':  return _("commas");
    case ';':  return _("semicolons");
    case '|':  return _("vertical bars");
    case '\t': return _("tabs");
    default:   return "?";
    }
}

static const char *
kind_name (WhFileKind kind)
{
  switch (kind)
    {
    case WH_FILE_KIND_CSV:        return _("CSV");
    case WH_FILE_KIND_TSV:        return _("tab-separated values");
    case WH_FILE_KIND_JSONL:      return _("JSON Lines");
    case WH_FILE_KIND_JSON_ARRAY: return _("a JSON array");
    case WH_FILE_KIND_TEXT:       return _("plain text with documents separated by blank lines");
    case WH_FILE_KIND_TEXT_WHOLE: return _("one plain-text document");
    case WH_FILE_KIND_AUTO:
    default:                      return "?";
    }
}

static gboolean
ext_is (const char *ext,
        const char *a,
        const char *b,
        const char *c)
{
  return ext != NULL && (g_strcmp0 (ext, a) == 0 || g_strcmp0 (ext, b) == 0 || g_strcmp0 (ext, c) == 0);
}

/* Decides self->kind (and for CSV the delimiter) from @ext and the first
 * chunk, and says why in self->reason:
 *
 *  - .csv: CSV, on whichever of , ; | or tab splits the first rows most
 *    evenly (TSV if tabs).  .tsv, .tab: TSV.
 *  - .jsonl, .ndjson: JSON Lines; but a JSON array if it starts with “[”
 *    and no second value follows on a later line, and refused if its
 *    first object takes several lines.
 *  - .json: a JSON array if it starts with “[”; JSON Lines if it holds
 *    values one per line; otherwise refused (a single object).
 *  - .txt: TSV if its first rows (at least two) split evenly on tabs, as
 *    spreadsheets export “text”; otherwise text in documents.  .md: one
 *    document.
 *  - anything else, by content: “[” or “{” first as for .json; then rows
 *    split evenly on tabs (TSV), on , ; or | (CSV), at least two of them;
 *    otherwise text in documents. */
static gboolean
choose_kind (WhRecordReader  *self,
             const char      *ext,
             GError         **error)
{
  const guint8 *data = self->buf + self->pos;
  gsize n = self->len - self->pos;
  gboolean at_eof = self->eof;
  int first = -1;
  gboolean even = FALSE;
  guint n_rows = 0;
  char delimiter;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isspace (data[i]))
      {
        first = data[i];
        break;
      }

  if (self->kind != WH_FILE_KIND_AUTO)
    {
      if (self->kind == WH_FILE_KIND_CSV)
        {
          self->delimiter = _wh_record_csv_sniff (data, n, at_eof, ",;|", &even, &n_rows);
          self->reason = g_strdup_printf (_("Read as CSV separated by %s, as asked."),
                                          delimiter_name (self->delimiter));
        }
      else
        self->reason = g_strdup_printf (_("Read as %s, as asked."), kind_name (self->kind));
      if (self->kind == WH_FILE_KIND_TSV)
        self->delimiter = '\t';
      return TRUE;
    }

  if (first == -1)
    {
      if (ext_is (ext, "csv", NULL, NULL))
        self->kind = WH_FILE_KIND_CSV;
      else if (ext_is (ext, "tsv", "tab", NULL))
        self->kind = WH_FILE_KIND_TSV;
      else if (ext_is (ext, "jsonl", "ndjson", "jsonlines"))
        self->kind = WH_FILE_KIND_JSONL;
      else if (ext_is (ext, "json", NULL, NULL))
        self->kind = WH_FILE_KIND_JSON_ARRAY;
      else if (ext_is (ext, "md", "markdown", NULL))
        self->kind = WH_FILE_KIND_TEXT_WHOLE;
      else
        self->kind = WH_FILE_KIND_TEXT;
      if (self->kind == WH_FILE_KIND_CSV || self->kind == WH_FILE_KIND_TSV)
        self->delimiter = self->kind == WH_FILE_KIND_TSV ? '\t' : ',';
      self->reason = g_strdup (_("The file is empty."));
      return TRUE;
    }

  if (ext_is (ext, "csv", NULL, NULL))
    {
      delimiter = _wh_record_csv_sniff (data, n, at_eof, ",\t;|", &even, &n_rows);
      self->kind = delimiter == '\t' ? WH_FILE_KIND_TSV : WH_FILE_KIND_CSV;
      self->delimiter = delimiter;
      if (even)
        self->reason = g_strdup_printf (_("The file ends in .%s and its first rows split evenly on %s."),
                                        ext, delimiter_name (delimiter));
      else
        self->reason = g_strdup_printf (_("The file ends in .%s; its first rows split most evenly on %s."),
                                        ext, delimiter_name (delimiter));
      return TRUE;
    }

  if (ext_is (ext, "tsv", "tab", NULL))
    {
      self->kind = WH_FILE_KIND_TSV;
      self->delimiter = '\t';
      self->reason = g_strdup_printf (_("The file ends in .%s, so its rows are split on tabs."), ext);
      return TRUE;
    }

  if (ext_is (ext, "jsonl", "ndjson", "jsonlines"))
    {
      WhJsonShape shape = first == '{' || first == '[' ? _wh_record_json_shape (data, n, at_eof)
                                                       : WH_JSON_SHAPE_LINES;

      if (first == '[' && shape != WH_JSON_SHAPE_LINES)
        {
          self->kind = WH_FILE_KIND_JSON_ARRAY;
          self->reason = g_strdup_printf (_("The file ends in .%s but holds one JSON array."), ext);
        }
      else if (first == '{' && (shape == WH_JSON_SHAPE_ONE_MULTILINE || shape == WH_JSON_SHAPE_MANY_MULTILINE))
        {
          _wh_record_json_single_error (self, shape, error);
          return FALSE;
        }
      else
        {
          self->kind = WH_FILE_KIND_JSONL;
          if (first == '{')
            self->reason = g_strdup_printf (_("The file ends in .%s and its lines are JSON objects."), ext);
          else
            self->reason = g_strdup_printf (_("The file ends in .%s, so each line is read as a JSON value."), ext);
        }
      return TRUE;
    }

  if (ext_is (ext, "json", NULL, NULL) || first == '[' || first == '{')
    {
      WhJsonShape shape = first == '{' || first == '[' ? _wh_record_json_shape (data, n, at_eof)
                                                       : WH_JSON_SHAPE_ONE_LINE;
      gboolean named = ext_is (ext, "json", NULL, NULL);

      if (first == '[' && shape != WH_JSON_SHAPE_LINES)
        {
          self->kind = WH_FILE_KIND_JSON_ARRAY;
          if (named)
            self->reason = g_strdup (_("The file ends in .json and holds a JSON array."));
          else
            self->reason = g_strdup (_("The file starts with “[”, so it is read as a JSON array."));
        }
      else if ((first == '[' || first == '{') &&
               (shape == WH_JSON_SHAPE_LINES || shape == WH_JSON_SHAPE_LONG_LINE))
        {
          self->kind = WH_FILE_KIND_JSONL;
          if (named)
            self->reason = g_strdup (_("The file ends in .json but its lines are separate JSON values (JSON Lines)."));
          else
            self->reason = g_strdup (_("Its lines are JSON values, one per line (JSON Lines)."));
        }
      else if (first == '{')
        {
          _wh_record_json_single_error (self, shape, error);
          return FALSE;
        }
      else
        {
          g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                       _("“%s” does not hold JSON records: it should start with “[” (a JSON array) "
                         "or hold one JSON object per line (JSON Lines)."),
                       self->display_name);
          return FALSE;
        }
      return TRUE;
    }

  if (ext_is (ext, "md", "markdown", NULL))
    {
      self->kind = WH_FILE_KIND_TEXT_WHOLE;
      self->reason = g_strdup_printf (_("The file ends in .%s, so the whole file is read as one document."), ext);
      return TRUE;
    }

  delimiter = _wh_record_csv_sniff (data, n, at_eof, "\t", &even, &n_rows);
  if (even && n_rows >= 2)
    {
      self->kind = WH_FILE_KIND_TSV;
      self->delimiter = '\t';
      if (ext_is (ext, "txt", NULL, NULL))
        self->reason = g_strdup (_("The file ends in .txt but its rows split evenly on tabs, "
                                   "as spreadsheets export them."));
      else
        self->reason = g_strdup (_("Its first rows split evenly on tabs."));
      return TRUE;
    }

  if (!ext_is (ext, "txt", "text", NULL))
    {
      delimiter = _wh_record_csv_sniff (data, n, at_eof, ",;|", &even, &n_rows);
      if (even && n_rows >= 2)
        {
          self->kind = WH_FILE_KIND_CSV;
          self->delimiter = delimiter;
          self->reason = g_strdup_printf (_("Its first rows split evenly on %s."), delimiter_name (delimiter));
          return TRUE;
        }
    }

  self->kind = WH_FILE_KIND_TEXT;
  if (ext_is (ext, "txt", "text", NULL))
    self->reason = g_strdup_printf (_("The file ends in .%s, so it is read as plain text, "
                                      "with documents separated by blank lines."), ext);
  else
    self->reason = g_strdup (_("It is neither JSON nor rows split evenly on a delimiter, so it is read as "
                               "plain text, with documents separated by blank lines."));
  return TRUE;
}

/* Refuses what is not text, decodes UTF-16, and decides the kind. */
gboolean
_wh_record_reader_sniff (WhRecordReader  *self,
                         const char      *ext,
                         GError         **error)
{
  if (!check_signatures (self, ext, error) ||
      !check_encoding (self, error) ||
      !choose_kind (self, ext, error))
    return FALSE;

  if (self->utf16)
    {
      char *reason = g_strconcat (self->reason, " ", _("It is decoded from UTF-16, as Excel saves “Unicode Text”."),
                                  NULL);

      g_free (self->reason);
      self->reason = reason;
    }
  return TRUE;
}
