/* wh-record-json.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* JSON Lines and JSON arrays.
 *
 * JSON Lines: each line that is not blank holds one value.  JSON array:
 * the file is “[”, values separated by “,”, “]”; it is never loaded
 * whole.  A scanner that follows strings, escapes and the depth of
 * nesting finds where each element ends (the “,” or “]” at depth 0), the
 * element's bytes are kept (up to WH_RECORD_MAX_BYTES) and json-glib
 * parses them.  A broken element is reported and the scanner goes on from
 * where it ended, so later elements are still read, unless the damage
 * (an unclosed string or bracket) runs to the end of the file.
 *
 * Before json-glib sees a value, json_scan() checks that it is nested at
 * most WH_RECORD_MAX_DEPTH deep (json-glib's parser recurses and would
 * exhaust the stack) and that nothing follows it (json-glib 1.6 accepts
 * “{…} {…}” as one value). */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-record-reader-private.h"

/* The deepest nesting in @data and where something other than white
 * space follows its first complete object, array or string (@len if
 * nothing does). */
static void
json_scan (const char *data,
           gsize       len,
           guint      *max_depth,
           gsize      *trailing)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE, ended = FALSE;

  *max_depth = 0;
  *trailing = len;
  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
            }
        }
      else if (ended)
        {
          if (!g_ascii_isspace (c))
            {
              *trailing = i;
              return;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          depth++;
          *max_depth = MAX (*max_depth, depth);
        }
      else if ((c == '}' || c == ']') && depth > 0)
        ended = --depth == 0;
    }
}

/* Turns the bytes of the record in self->raw into record->json, or sets
 * record->error. */
static void
parse_record (WhRecordReader *self,
              WhRecord       *record)
{
  g_autoptr(GError) local_error = NULL;
  guint64 line, column;
  guint max_depth;
  gsize trailing;

  if (!_wh_record_reader_check_text (self, record))
    return;

  json_scan (self->raw->str, self->raw->len, &max_depth, &trailing);
  if (max_depth > WH_RECORD_MAX_DEPTH)
    {
      _wh_record_set_error (record, WH_RECORD_ERROR_JSON, 0,
                            _("The value on line %llu is nested more than %d levels deep; "
                              "Whetstone does not read such values."),
                            (unsigned long long) record->line, WH_RECORD_MAX_DEPTH);
      return;
    }
  if (trailing < self->raw->len)
    {
      _wh_record_reader_position (self, trailing, &line, &column);
      _wh_record_set_error (record, WH_RECORD_ERROR_JSON, column,
                            _("Not valid JSON at line %llu, column %llu: more follows the end of the value."),
                            (unsigned long long) line, (unsigned long long) column);
      return;
    }

  if (json_parser_load_from_data (self->parser, self->raw->str, self->raw->len, &local_error) &&
      json_parser_get_root (self->parser) != NULL)
    {
      record->json = json_parser_steal_root (self->parser);
      return;
    }

  {
    /* json-glib says “<data>:LINE:COLUMN: Parse error: DETAIL”, COLUMN
     * counting bytes of LINE of the data it was given. */
    const char *detail = local_error != NULL ? local_error->message : "";
    unsigned int data_line = 1, data_column = 1;
    int consumed = 0;
    gsize offset = 0;

    if (sscanf (detail, "<data>:%u:%u: %n", &data_line, &data_column, &consumed) == 2 && consumed > 0)
      detail += consumed;
    if (g_str_has_prefix (detail, "Parse error: "))
      detail += strlen ("Parse error: ");
    if (*detail == '\0')
      detail = _("the value is empty");

    for (guint l = 1; l < data_line && offset < self->raw->len; offset++)
      if (self->raw->str[offset] == '\n')
        l++;
    offset += data_column > 0 ? data_column - 1 : 0;
    _wh_record_reader_position (self, offset, &line, &column);
    _wh_record_set_error (record, WH_RECORD_ERROR_JSON, column,
                          _("Not valid JSON at line %llu, column %llu: %s."),
                          (unsigned long long) line, (unsigned long long) column, detail);
  }
}

/* JSON Lines */

gboolean
_wh_record_jsonl_next (WhRecordReader  *self,
                       WhRecord        *record,
                       GError         **error)
{
  gboolean blank;
  int c;

  do
    {
      _wh_record_reader_begin (self, self->line, 1);
      blank = TRUE;
      while ((c = _wh_record_reader_getc (self, error)) >= 0 && c != '\n')
        {
          if (!g_ascii_isspace (c))
            blank = FALSE;
          _wh_record_reader_keep (self, c);
        }
      if (c == WH_RECORD_READ_FAILED || (blank && c == WH_RECORD_EOF))
        return FALSE;
    }
  while (blank);

  record->line = record->end_line = self->start_line;
  if (_wh_record_reader_too_long (self))
    {
      g_autofree char *size = _wh_record_format_size (self->raw_size);
      g_autofree char *limit = _wh_record_format_size (WH_RECORD_LIMIT);

      _wh_record_set_error (record, WH_RECORD_ERROR_TOO_LONG, 0,
                            _("Line %llu is %s long; a line may be at most %s. Split it or remove it."),
                            (unsigned long long) record->line, size, limit);
      return TRUE;
    }

  parse_record (self, record);
  return TRUE;
}

/* JSON arrays */

/* How the first value of @data is laid out, to tell JSON Lines from one
 * big value (see WhJsonShape).  @data starts, after white space, with
 * “{” or “[”. */
WhJsonShape
_wh_record_json_shape (const guint8 *data,
                       gsize         len,
                       gboolean      at_eof)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE, started = FALSE, multiline = FALSE;
  gsize i;

  for (i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          else if (c == '\n' || c == '\r')
            multiline = TRUE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          depth++;
          started = TRUE;
        }
      else if (c == '}' || c == ']')
        {
          if (depth > 0 && --depth == 0)
            break;
        }
      else if ((c == '\n' || c == '\r') && started)
        multiline = TRUE;
    }

  /* Never closed: a long or pretty-printed value still going, or, when the
   * whole file was seen, a broken one: then the lines are read one by one
   * and each broken one reported. */
  if (i == len && at_eof)
    return WH_JSON_SHAPE_LINES;
  if (i == len)
    return multiline ? WH_JSON_SHAPE_ONE_MULTILINE : WH_JSON_SHAPE_LONG_LINE;

  for (i++; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return multiline ? WH_JSON_SHAPE_MANY_MULTILINE : WH_JSON_SHAPE_LINES;

  if (multiline)
    return WH_JSON_SHAPE_ONE_MULTILINE;
  return at_eof ? WH_JSON_SHAPE_ONE_LINE : WH_JSON_SHAPE_LINES;
}

/* Refuses a file that is one JSON object, or objects over several lines. */
void
_wh_record_json_single_error (WhRecordReader  *self,
                              WhJsonShape      shape,
                              GError         **error)
{
  if (shape == WH_JSON_SHAPE_MANY_MULTILINE)
    g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                 _("“%s” holds JSON objects that each take several lines. Put each record on one line "
                   "(JSON Lines, .jsonl) or put them in a JSON array: [{…}, {…}]."),
                 self->display_name);
  else
    g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                 _("“%s” holds a single JSON object, not a list of records. Put one record per line "
                   "(JSON Lines, .jsonl) or make the file a JSON array: [{…}, {…}]."),
                 self->display_name);
}

/* Reads up to the “[” that opens the array. */
gboolean
_wh_record_json_array_open (WhRecordReader  *self,
                            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  int c;

  while ((c = _wh_record_reader_getc (self, &local_error)) >= 0 && g_ascii_isspace (c))
    ;

  if (c == '[')
    {
      self->array_state = WH_JSON_ARRAY_FIRST;
      return TRUE;
    }
  if (c == WH_RECORD_EOF)
    {
      self->array_state = WH_JSON_ARRAY_DONE;
      self->done = TRUE;
      return TRUE;
    }
  if (c == WH_RECORD_READ_FAILED)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (c == '{')
    _wh_record_json_single_error (self, WH_JSON_SHAPE_ONE_MULTILINE, error);
  else
    g_set_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT,
                 _("“%s” is not a JSON array: it does not start with “[”."), self->display_name);
  return FALSE;
}

/* Reads one element: its first byte @c is read already.  Returns the
 * byte that ended it (“,” or “]”), WH_RECORD_EOF or WH_RECORD_READ_FAILED,
 * and in @last_line the line of its last byte that is not white space. */
static int
scan_element (WhRecordReader  *self,
              int              c,
              guint64         *last_line,
              GError         **error)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;

  do
    {
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
      if (!g_ascii_isspace (c))
        *last_line = self->line;
      _wh_record_reader_keep (self, c);

      c = _wh_record_reader_getc (self, error);
    }
  while (c >= 0 && (in_string || depth > 0 || (c != ',' && c != ']')));

  return c;
}

gboolean
_wh_record_json_array_next (WhRecordReader  *self,
                            WhRecord        *record,
                            GError         **error)
{
  int c;

  for (;;)
    {
      while ((c = _wh_record_reader_getc (self, error)) >= 0 && g_ascii_isspace (c))
        ;
      if (c == WH_RECORD_READ_FAILED)
        return FALSE;

      if (self->array_state == WH_JSON_ARRAY_CLOSED)
        {
          self->array_state = WH_JSON_ARRAY_DONE;
          if (c == WH_RECORD_EOF)
            return FALSE;
          record->line = record->end_line = self->line;
          _wh_record_set_error (record, WH_RECORD_ERROR_JSON, self->column,
                                _("Not valid JSON at line %llu, column %llu: the array has ended, "
                                  "but more follows; the rest of the file is not read."),
                                (unsigned long long) self->line, (unsigned long long) self->column);
          self->done = TRUE;
          return TRUE;
        }

      if (c == WH_RECORD_EOF)
        {
          record->line = record->end_line = self->line;
          _wh_record_set_error (record, WH_RECORD_ERROR_JSON, 0,
                                _("The file ends at line %llu before the array is closed with “]”; "
                                  "it may have been cut short."),
                                (unsigned long long) self->line);
          self->done = TRUE;
          return TRUE;
        }

      /* “[]”, and a comma before “]”, which is forgiven */
      if (c == ']')
        {
          self->array_state = WH_JSON_ARRAY_CLOSED;
          continue;
        }
      break;
    }

  if (c == ',')
    {
      record->line = record->end_line = self->line;
      _wh_record_set_error (record, WH_RECORD_ERROR_JSON, self->column,
                            _("Not valid JSON at line %llu, column %llu: an element is missing before “,”."),
                            (unsigned long long) self->line, (unsigned long long) self->column);
      self->array_state = WH_JSON_ARRAY_NEXT;
      return TRUE;
    }

  _wh_record_reader_begin (self, self->line, self->column);
  c = scan_element (self, c, &record->end_line, error);
  if (c == WH_RECORD_READ_FAILED)
    return FALSE;

  record->line = self->start_line;
  if (c == WH_RECORD_EOF)
    {
      _wh_record_set_error (record, WH_RECORD_ERROR_JSON, 0,
                            _("The file ends inside the element that starts on line %llu: the element "
                              "or the array is not closed, or the file has been cut short."),
                            (unsigned long long) record->line);
      self->done = TRUE;
      return TRUE;
    }
  self->array_state = c == ',' ? WH_JSON_ARRAY_NEXT : WH_JSON_ARRAY_CLOSED;

  if (_wh_record_reader_too_long (self))
    {
      g_autofree char *size = _wh_record_format_size (self->raw_size);
      g_autofree char *limit = _wh_record_format_size (WH_RECORD_LIMIT);

      _wh_record_set_error (record, WH_RECORD_ERROR_TOO_LONG, 0,
                            _("The element on line %llu is %s long; an element may be at most %s. "
                              "Split it or remove it."),
                            (unsigned long long) record->line, size, limit);
      return TRUE;
    }

  parse_record (self, record);
  return TRUE;
}
