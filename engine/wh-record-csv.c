/* wh-record-csv.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* CSV and TSV as RFC 4180 has them, read as Python's csv module and
 * pandas read them:
 *
 *  - a field that starts with a double quote runs to the next lone
 *    double quote; inside it, delimiters and line breaks are text and a
 *    doubled quote is one quote.  A quote elsewhere is text, and so is
 *    what follows a closing quote up to the next delimiter;
 *  - outside quotes, CR, LF and CR LF end a row; inside them, each is
 *    kept as “\n”;
 *  - empty lines are skipped;
 *  - a row whose number of fields differs from the header's (or, without
 *    a header, from the first row's) is returned with its fields and an
 *    error; a quote still open at the end of the file is an error naming
 *    the line where it opened.
 *
 * One state machine, csv_step(), finds where rows end as the file is read
 * (so that a row longer than WH_RECORD_MAX_BYTES can be skipped without
 * being kept), splits the kept bytes of a row into fields, and splits the
 * first chunk of the file into rows when guessing the delimiter and the
 * header. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-record-reader-private.h"

/* Rows looked at when guessing the delimiter and the header */
#define SNIFF_ROWS 20

/* Longest header cell, in bytes: names are short. */
#define MAX_HEADER_CELL 128

typedef enum
{
  CSV_FIELD_START,
  CSV_UNQUOTED,
  CSV_QUOTED,
  CSV_QUOTED_QUOTE,   /* a quote inside a quoted field: the end, or the first of two */
} CsvState;

typedef enum
{
  CSV_SKIP,           /* a quote that is syntax */
  CSV_APPEND,         /* a byte of the field */
  CSV_END_FIELD,
  CSV_END_ROW,
} CsvAction;

/* One byte, @c, line breaks already turned into “\n”. */
static inline CsvAction
csv_step (CsvState *state,
          int       c,
          char      delimiter)
{
  switch (*state)
    {
    case CSV_FIELD_START:
      if (c == '"')
        {
          *state = CSV_QUOTED;
          return CSV_SKIP;
        }
      if (c == delimiter)
        return CSV_END_FIELD;
      if (c == '\n')
        return CSV_END_ROW;
      *state = CSV_UNQUOTED;
      return CSV_APPEND;

    case CSV_UNQUOTED:
      if (c == delimiter || c == '\n')
        {
          *state = CSV_FIELD_START;
          return c == '\n' ? CSV_END_ROW : CSV_END_FIELD;
        }
      return CSV_APPEND;

    case CSV_QUOTED:
      if (c == '"')
        {
          *state = CSV_QUOTED_QUOTE;
          return CSV_SKIP;
        }
      return CSV_APPEND;

    case CSV_QUOTED_QUOTE:
      if (c == '"')
        {
          *state = CSV_QUOTED;
          return CSV_APPEND;
        }
      if (c == delimiter || c == '\n')
        {
          *state = CSV_FIELD_START;
          return c == '\n' ? CSV_END_ROW : CSV_END_FIELD;
        }
      *state = CSV_UNQUOTED;
      return CSV_APPEND;

    default:
      g_assert_not_reached ();
    }
}

/* The fields of one row, whose @len bytes hold no row-ending line break. */
static GPtrArray *
split_row (const char *data,
           gsize       len,
           char        delimiter)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  CsvState state = CSV_FIELD_START;

  for (gsize i = 0; i < len; i++)
    switch (csv_step (&state, (guint8) data[i], delimiter))
      {
      case CSV_SKIP:
        break;

      case CSV_APPEND:
        g_string_append_c (field, data[i]);
        break;

      case CSV_END_FIELD:
      case CSV_END_ROW:
      default:
        g_ptr_array_add (fields, g_strndup (field->str, field->len));
        g_string_truncate (field, 0);
        break;
      }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}

/* Guessing */

/* The first rows of @data (at most @max_rows, each a GPtrArray of fields),
 * leaving out a last one that may go on past @len. */
static GPtrArray *
preview_rows (const guint8 *data,
              gsize         len,
              gboolean      at_eof,
              char          delimiter,
              guint         max_rows)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  CsvState state = CSV_FIELD_START;
  gboolean empty = TRUE;

  for (gsize i = 0; i < len && rows->len < max_rows; i++)
    {
      int c = data[i] == '\r' ? '\n' : data[i];

      switch (csv_step (&state, c, delimiter))
        {
        case CSV_SKIP:
          empty = FALSE;
          break;

        case CSV_APPEND:
          g_string_append_c (field, c);
          empty = FALSE;
          break;

        case CSV_END_FIELD:
          g_ptr_array_add (row, g_strndup (field->str, field->len));
          g_string_truncate (field, 0);
          empty = FALSE;
          break;

        case CSV_END_ROW:
        default:
          if (!empty)
            {
              g_ptr_array_add (row, g_strndup (field->str, field->len));
              g_ptr_array_add (rows, g_steal_pointer (&row));
              row = g_ptr_array_new_with_free_func (g_free);
            }
          g_string_truncate (field, 0);
          empty = TRUE;
          break;
        }
    }

  if (at_eof && !empty && state != CSV_QUOTED && rows->len < max_rows)
    {
      g_ptr_array_add (row, g_strndup (field->str, field->len));
      g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  return rows;
}

/* Of @candidates, the delimiter that splits the first rows of @data most
 * evenly: into the same number of fields (more than one) in every row,
 * the most fields winning; failing that, the one for which most rows
 * share a number of fields above one; failing that, the first.  @even
 * says whether every row agreed, @n_rows how many rows were looked at. */
char
_wh_record_csv_sniff (const guint8 *data,
                      gsize         len,
                      gboolean      at_eof,
                      const char   *candidates,
                      gboolean     *even,
                      guint        *n_rows)
{
  char best = candidates[0];
  gboolean best_even = FALSE;
  guint best_score = 0;
  guint best_rows = 0;

  for (const char *d = candidates; *d != '\0'; d++)
    {
      g_autoptr(GPtrArray) rows = preview_rows (data, len, at_eof, *d, SNIFF_ROWS);
      guint n_first, agree = 0, score = 0;
      gboolean is_even;

      if (rows->len == 0)
        continue;

      n_first = ((GPtrArray *) rows->pdata[0])->len;
      for (guint i = 0; i < rows->len; i++)
        {
          guint n = ((GPtrArray *) rows->pdata[i])->len;
          guint same = 0;

          if (n == n_first)
            agree++;
          if (n < 2)
            continue;
          for (guint j = 0; j < rows->len; j++)
            if (((GPtrArray *) rows->pdata[j])->len == n)
              same++;
          score = MAX (score, same);
        }
      is_even = agree == rows->len && n_first > 1;
      if (is_even)
        score = n_first;

      if ((is_even && !best_even) || (is_even == best_even && score > best_score))
        {
          best = *d;
          best_even = is_even;
          best_score = score;
          best_rows = rows->len;
        }
    }

  *even = best_even;
  *n_rows = best_rows;
  return best;
}

/* A number as spreadsheets write them: 12, -3.5, 1,5, 1e-3, 40 %. */
static gboolean
is_number (const char *s)
{
  gboolean digits = FALSE;
  gboolean point = FALSE;

  while (*s == ' ')
    s++;
  if (*s == '+' || *s == '-')
    s++;
  for (; *s != '\0'; s++)
    {
      if (g_ascii_isdigit (*s))
        digits = TRUE;
      else if ((*s == '.' || *s == ',') && !point)
        point = TRUE;
      else
        break;
    }
  if (digits && (*s == 'e' || *s == 'E'))
    {
      s++;
      if (*s == '+' || *s == '-')
        s++;
      if (!g_ascii_isdigit (*s))
        return FALSE;
      while (g_ascii_isdigit (*s))
        s++;
    }
  while (*s == ' ')
    s++;
  if (*s == '%')
    s++;
  return digits && *s == '\0';
}

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/* Column names that datasets for fine-tuning use. */
static gboolean
is_known_name (const char *name)
{
  static const char * const known[] = {
    "answer", "chosen", "completion", "content", "context", "conversations", "id", "input",
    "instruction", "label", "messages", "output", "prompt", "query", "question", "rejected",
    "response", "role", "source", "summary", "system", "target", "text", "title",
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (name, known[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the first of @rows names the columns.  Its cells must all be
 * non-blank, distinct, not numbers, short (MAX_HEADER_CELL bytes), on one
 * line and UTF-8.  If other rows follow, the first row must also be
 * unlike them: each column votes against a header when the first row's
 * cell appears among the column's other cells (a repeated value, not a
 * name); for it when the cell is a name fine-tuning datasets use
 * (“prompt”, “output”…), or when the other cells are all numbers, or all
 * longer than the first row's; and not at all otherwise.  A header needs
 * more votes for than against.  A row on its own that passes the first
 * test is taken as a header. */
static gboolean
guess_header (GPtrArray *rows)
{
  GPtrArray *head;
  int votes = 0;

  if (rows->len == 0)
    return FALSE;

  head = rows->pdata[0];
  for (guint j = 0; j < head->len; j++)
    {
      const char *cell = head->pdata[j];

      if (is_blank (cell) || is_number (cell) || strlen (cell) > MAX_HEADER_CELL ||
          strchr (cell, '\n') != NULL || !g_utf8_validate (cell, -1, NULL))
        return FALSE;
      for (guint k = 0; k < j; k++)
        if (g_str_equal (cell, head->pdata[k]))
          return FALSE;
    }

  if (rows->len == 1)
    return TRUE;

  for (guint j = 0; j < head->len; j++)
    {
      const char *name = head->pdata[j];
      gsize name_len = strlen (name);
      gboolean any = FALSE, numbers = TRUE, repeated = FALSE;
      gsize shortest = G_MAXSIZE;

      for (guint i = 1; i < rows->len; i++)
        {
          GPtrArray *row = rows->pdata[i];
          const char *cell;

          if (j >= row->len || is_blank (cell = row->pdata[j]))
            continue;
          any = TRUE;
          numbers = numbers && is_number (cell);
          shortest = MIN (shortest, strlen (cell));
          repeated = repeated || g_str_equal (cell, name);
        }

      if (!any)
        continue;
      if (repeated)
        votes--;
      else if (is_known_name (name) || numbers || name_len < shortest)
        votes++;
    }
  return votes > 0;
}

/* Reading */

/* The next row, or FALSE at the end (or with @error). */
static gboolean
csv_read (WhRecordReader  *self,
          WhRecord        *record,
          GError         **error)
{
  CsvState state;
  guint64 quote_line = 0, quote_column = 0;
  int c;

  do
    {
      _wh_record_reader_begin (self, self->line, 1);
      state = CSV_FIELD_START;
      while ((c = _wh_record_reader_getc (self, error)) >= 0)
        {
          CsvState before = state;

          if (csv_step (&state, c, self->delimiter) == CSV_END_ROW)
            break;
          if (before == CSV_FIELD_START && state == CSV_QUOTED)
            {
              quote_line = self->line;
              quote_column = self->column;
            }
          _wh_record_reader_keep (self, c);
        }
      if (c == WH_RECORD_READ_FAILED)
        return FALSE;
      if (c == WH_RECORD_EOF && self->raw_size == 0)
        return FALSE;
    }
  while (self->raw_size == 0);   /* an empty line */

  record->line = self->start_line;
  /* The row ends on the line before when a line break was its last byte. */
  record->end_line = self->column == 0 && self->line > self->start_line ? self->line - 1 : self->line;

  if (c == WH_RECORD_EOF && state == CSV_QUOTED)
    {
      _wh_record_set_error (record, WH_RECORD_ERROR_CSV, quote_column,
                            _("The quote that opens at line %llu, column %llu is never closed: "
                              "the file ends inside it. Add the closing quote."),
                            (unsigned long long) quote_line, (unsigned long long) quote_column);
      return TRUE;
    }

  if (_wh_record_reader_too_long (self))
    {
      g_autofree char *size = _wh_record_format_size (self->raw_size);
      g_autofree char *limit = _wh_record_format_size (WH_RECORD_LIMIT);

      _wh_record_set_error (record, WH_RECORD_ERROR_TOO_LONG, 0,
                            _("The row on line %llu is %s long; a row may be at most %s. Split it or remove it."),
                            (unsigned long long) record->line, size, limit);
      return TRUE;
    }

  if (_wh_record_reader_check_text (self, record))
    record->fields = split_row (self->raw->str, self->raw->len, self->delimiter);
  return TRUE;
}

/* Guesses the delimiter (unless already known) and whether there is a
 * header, then reads the first row: the column names, or the first record. */
gboolean
_wh_record_csv_open (WhRecordReader  *self,
                     GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  WhRecord first = { 0 };

  if (self->delimiter == '\0')
    {
      gboolean even;
      guint n_rows;

      self->delimiter = _wh_record_csv_sniff (self->buf + self->pos, self->len - self->pos, self->eof,
                                              ",;|", &even, &n_rows);
    }

  rows = preview_rows (self->buf + self->pos, self->len - self->pos, self->eof, self->delimiter,
                       SNIFF_ROWS + 1);
  self->has_header = guess_header (rows);

  if (!csv_read (self, &first, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      self->has_header = FALSE;
      self->columns = g_new0 (char *, 1);
      self->done = TRUE;
      return TRUE;
    }

  if (self->has_header && first.fields != NULL && first.error == NULL)
    {
      self->n_fields = first.fields->len;
      g_ptr_array_add (first.fields, NULL);
      self->columns = (char **) g_ptr_array_steal (first.fields, NULL);
      wh_record_clear (&first);
      return TRUE;
    }

  self->has_header = FALSE;
  if (first.fields != NULL)
    self->n_fields = first.fields->len;
  else if (rows->len > 0)
    self->n_fields = ((GPtrArray *) rows->pdata[0])->len;
  self->columns = g_new0 (char *, self->n_fields + 1);
  for (guint i = 0; i < self->n_fields; i++)
    self->columns[i] = g_strdup_printf (C_("a column of a file without a header", "column %u"), i + 1);
  self->pending = first;
  self->has_pending = TRUE;
  return TRUE;
}

gboolean
_wh_record_csv_next (WhRecordReader  *self,
                     WhRecord        *record,
                     GError         **error)
{
  if (self->has_pending)
    {
      *record = self->pending;
      memset (&self->pending, 0, sizeof self->pending);
      self->has_pending = FALSE;
      return TRUE;
    }

  if (!csv_read (self, record, error))
    return FALSE;

  if (record->fields != NULL && self->n_fields > 0 && record->fields->len != self->n_fields)
    {
      if (self->has_header)
        _wh_record_set_error (record, WH_RECORD_ERROR_CSV, 0,
                              _("Wrong number of fields in the row on line %llu: "
                                "expected %u (as in the header), found %u."),
                              (unsigned long long) record->line, self->n_fields, record->fields->len);
      else
        _wh_record_set_error (record, WH_RECORD_ERROR_CSV, 0,
                              _("Wrong number of fields in the row on line %llu: "
                                "expected %u (as in the first row), found %u."),
                              (unsigned long long) record->line, self->n_fields, record->fields->len);
    }
  return TRUE;
}
