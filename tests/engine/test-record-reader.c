/* test-record-reader.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The dataset readers against the files of tests/reference/datasets (what
 * Excel, LibreOffice and editors write, damage included; see its README),
 * against files written here (each way of guessing the kind, line breaks,
 * JSON arrays cut or padded, records too long to keep), and against every
 * prefix of small files.  The files read must be left as they were. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wh-record-reader.h"
#include "wh-test-files.h"

static char *tmp_dir;

/* Helpers */

static char *
fixture (const char *name)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");

  if (root != NULL)
    return g_build_filename (root, "datasets", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "reference", "datasets", name, NULL);
}

/* Writes @size bytes of @data to @name in the temporary folder. */
static char *
write_temp (const char *name,
            const char *data,
            gssize      size)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  if (size < 0)
    size = strlen (data);
  g_assert_cmpuint (fwrite (data, 1, size, f), ==, (gsize) size);
  g_assert_cmpint (fclose (f), ==, 0);
  return path;
}

static void
record_free (gpointer data)
{
  wh_record_clear (data);
  g_free (data);
}

/* All the records of @reader, which must not fail to read. */
static GPtrArray *
read_all (WhRecordReader *reader)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (record_free);
  g_autoptr(GError) error = NULL;
  WhRecord *record = g_new0 (WhRecord, 1);
  guint64 offset = 0;

  while (wh_record_reader_next (reader, record, &error))
    {
      g_assert_cmpuint (wh_record_reader_get_offset (reader), >=, offset);
      offset = wh_record_reader_get_offset (reader);
      g_ptr_array_add (records, record);
      record = g_new0 (WhRecord, 1);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (wh_record_reader_get_offset (reader), <=, wh_record_reader_get_size (reader));
  /* The end stays the end. */
  g_assert_false (wh_record_reader_next (reader, record, &error));
  g_assert_no_error (error);
  record_free (record);
  return records;
}

/* Whether all of the file was read. */
static void
assert_read_through (WhRecordReader *reader)
{
  g_assert_cmpuint (wh_record_reader_get_size (reader), >, 0);
  g_assert_cmpuint (wh_record_reader_get_offset (reader), ==, wh_record_reader_get_size (reader));
}

static WhRecordReader *
open_ok (const char *path,
         WhFileKind  kind)
{
  g_autoptr(GError) error = NULL;
  WhRecordReader *reader = wh_record_reader_new (path, kind, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static void
assert_open_fails (const char *path,
                   WhFileKind  kind,
                   int         code,
                   const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhRecordReader) reader = wh_record_reader_new (path, kind, &error);

  g_assert_null (reader);
  g_assert_error (error, WH_RECORD_READER_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” is not in the message “%s”", part, error->message);
}

#define record_at(records, i) ((WhRecord *) g_ptr_array_index ((records), (i)))

static void
assert_lines (WhRecord *record,
              guint64   line,
              guint64   end_line)
{
  g_assert_cmpuint (record->line, ==, line);
  g_assert_cmpuint (record->end_line, ==, end_line);
}

/* A good CSV record with the fields that follow, up to NULL. */
static void
assert_fields (WhRecord *record,
               ...)
{
  const char *field;
  va_list args;
  guint i = 0;

  g_assert_no_error (record->error);
  g_assert_nonnull (record->fields);
  va_start (args, record);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, record->fields->len);
      g_assert_cmpstr (g_ptr_array_index (record->fields, i), ==, field);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, record->fields->len);
}

/* A broken record, its error's message holding each of the strings that
 * follow, up to NULL. */
static void
assert_broken (WhRecord *record,
               int       code,
               ...)
{
  const char *part;
  va_list args;

  g_assert_error (record->error, WH_RECORD_ERROR, code);
  va_start (args, code);
  while ((part = va_arg (args, const char *)) != NULL)
    if (strstr (record->error->message, part) == NULL)
      g_error ("“%s” is not in the message “%s”", part, record->error->message);
  va_end (args);
}

static const char *
json_member (WhRecord   *record,
             const char *name)
{
  g_assert_no_error (record->error);
  g_assert_nonnull (record->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (record->json));
  return json_object_get_string_member (json_node_get_object (record->json), name);
}

static void
assert_columns (WhRecordReader *reader,
                const char     *first,
                ...)
{
  const char * const *columns = wh_record_reader_get_columns (reader);
  va_list args;
  guint i = 0;

  g_assert_nonnull (columns);
  va_start (args, first);
  for (const char *c = first; c != NULL; c = va_arg (args, const char *))
    g_assert_cmpstr (columns[i++], ==, c);
  va_end (args);
  g_assert_null (columns[i]);
}

static void
assert_reason (WhRecordReader *reader,
               const char     *part)
{
  const char *reason = wh_record_reader_get_reason (reader);

  g_assert_nonnull (reason);
  if (strstr (reason, part) == NULL)
    g_error ("“%s” is not in the reason “%s”", part, reason);
}

/* CSV and TSV fixtures */

static void
test_excel_csv (void)
{
  g_autofree char *path = fixture ("excel.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_read_through (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_CSV);
  g_assert_cmpint (wh_record_reader_get_delimiter (reader), ==, ',');
  g_assert_true (wh_record_reader_has_header (reader));
  assert_reason (reader, ".csv");
  assert_reason (reader, "commas");
  assert_columns (reader, "id", "question", "answer", NULL);

  g_assert_cmpuint (records->len, ==, 4);
  assert_fields (record_at (records, 0), "1", "What is \"AI\"?", "Artificial intelligence.\nSee also: ML.", NULL);
  assert_lines (record_at (records, 0), 2, 3);
  assert_fields (record_at (records, 1), "2", "Capital of France?", "Paris", NULL);
  assert_lines (record_at (records, 1), 4, 4);
  assert_fields (record_at (records, 2), "3", "Two, with a comma", "Yes; and a \"quote\"", NULL);
  assert_lines (record_at (records, 2), 5, 5);
  assert_fields (record_at (records, 3), "4", "Café?", "Multi\nline\nanswer", NULL);
  assert_lines (record_at (records, 3), 6, 8);
}

static void
test_semicolon_csv (void)
{
  g_autofree char *path = fixture ("semicolon.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_CSV);
  g_assert_cmpint (wh_record_reader_get_delimiter (reader), ==, ';');
  assert_reason (reader, "semicolons");
  assert_columns (reader, "product", "price", "note", NULL);
  g_assert_cmpuint (records->len, ==, 3);
  assert_fields (record_at (records, 0), "apple", "1,50", "fresh, red", NULL);
  assert_fields (record_at (records, 1), "pear", "2,25", "ripe; soft", NULL);
  assert_lines (record_at (records, 2), 4, 4);

  /* Asked for as CSV, the delimiter is still guessed. */
  {
    g_autoptr(WhRecordReader) asked = open_ok (path, WH_FILE_KIND_CSV);

    g_assert_cmpint (wh_record_reader_get_kind (asked), ==, WH_FILE_KIND_CSV);
    g_assert_cmpint (wh_record_reader_get_delimiter (asked), ==, ';');
    assert_reason (asked, "as asked");
  }
}

static void
test_tsv (void)
{
  g_autofree char *path = fixture ("data.tsv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_TSV);
  g_assert_cmpint (wh_record_reader_get_delimiter (reader), ==, '\t');
  assert_columns (reader, "instruction", "input", "output", NULL);
  g_assert_cmpuint (records->len, ==, 3);
  assert_fields (record_at (records, 1), "Add the numbers", "2, 3", "5", NULL);
  assert_fields (record_at (records, 2), "Quote this", "a\tb", "done", NULL);
}

static void
test_no_header (void)
{
  g_autofree char *path = fixture ("no-header.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  g_assert_false (wh_record_reader_has_header (reader));
  assert_columns (reader, "column 1", "column 2", NULL);
  g_assert_cmpuint (records->len, ==, 3);
  assert_fields (record_at (records, 0), "1", "The cat sat on the mat.", NULL);
  assert_lines (record_at (records, 0), 1, 1);
  assert_fields (record_at (records, 2), "3", "A bird, in the hand.", NULL);
}

static void
test_ragged (void)
{
  g_autofree char *path = fixture ("ragged.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_columns (reader, "prompt", "completion", NULL);
  g_assert_cmpuint (records->len, ==, 5);
  assert_fields (record_at (records, 0), "Say hi", "Hello there", NULL);
  assert_broken (record_at (records, 1), WH_RECORD_ERROR_CSV, "line 3", "expected 2", "found 1", NULL);
  assert_lines (record_at (records, 1), 3, 3);
  g_assert_cmpuint (record_at (records, 1)->fields->len, ==, 1);
  assert_fields (record_at (records, 2), "Say bye", "Goodbye", NULL);
  assert_broken (record_at (records, 3), WH_RECORD_ERROR_CSV, "line 5", "expected 2", "found 3", NULL);
  assert_fields (record_at (records, 4), "Last", "row", NULL);
}

static void
test_unterminated (void)
{
  g_autofree char *path = fixture ("unterminated.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  g_assert_cmpuint (records->len, ==, 3);
  assert_fields (record_at (records, 1), "c", "d", NULL);
  assert_broken (record_at (records, 2), WH_RECORD_ERROR_CSV, "line 4, column 11", "never closed", NULL);
  assert_lines (record_at (records, 2), 4, 6);
  g_assert_cmpuint (record_at (records, 2)->column, ==, 11);
  g_assert_null (record_at (records, 2)->fields);
}

static void
test_bad_utf8 (void)
{
  g_autofree char *path = fixture ("bad-utf8.csv");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_read_through (reader);

  g_assert_cmpuint (records->len, ==, 13);
  for (guint i = 0; i < 10; i++)
    g_assert_no_error (record_at (records, i)->error);
  assert_broken (record_at (records, 10), WH_RECORD_ERROR_ENCODING,
                 "not UTF-8 at line 12, column 30", "save the file as UTF-8", NULL);
  g_assert_cmpuint (record_at (records, 10)->line, ==, 12);
  g_assert_cmpuint (record_at (records, 10)->column, ==, 30);
  assert_fields (record_at (records, 11), "12", "Fine again", NULL);
  assert_fields (record_at (records, 12), "13", "Also fine", NULL);
  assert_lines (record_at (records, 12), 14, 14);
}

static void
test_utf16 (void)
{
  g_autofree char *path = fixture ("unicode-text.txt");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_read_through (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_TSV);
  assert_reason (reader, "UTF-16");
  assert_columns (reader, "name", "greeting", NULL);
  g_assert_cmpuint (records->len, ==, 3);
  assert_fields (record_at (records, 0), "Zoë", "Bonjour, ça va ?", NULL);
  assert_lines (record_at (records, 0), 2, 2);
  assert_fields (record_at (records, 1), "Hiro", "日本語のテキスト", NULL);
  assert_fields (record_at (records, 2), "Emoji", "😀 grin", NULL);
  assert_lines (record_at (records, 2), 4, 4);
}

static void
test_utf16_broken (void)
{
  /* A lone surrogate, and an odd number of bytes. */
  static const char surrogate[] = "\xff\xfe" "a\0\t\0b\0\n\0" "\x00\xd8" "\n\0";
  static const char odd[] = "\xff\xfe" "a\0\t\0b\0\n\0" "c";
  g_autofree char *path1 = write_temp ("surrogate.tsv", surrogate, sizeof surrogate - 1);
  g_autofree char *path2 = write_temp ("odd.tsv", odd, sizeof odd - 1);

  assert_open_fails (path1, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "not valid UTF-16");
  assert_open_fails (path2, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "not valid UTF-16");
}

/* JSON fixtures */

static void
test_jsonl_broken (void)
{
  g_autofree char *path = fixture ("broken.jsonl");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);
  static const guint64 lines[] = { 1, 2, 3, 4, 5, 6, 8, 9, 10 };

  assert_read_through (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_JSONL);
  assert_reason (reader, "The file ends in .jsonl and its lines are JSON objects.");
  g_assert_null (wh_record_reader_get_columns (reader));
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < records->len; i++)
    assert_lines (record_at (records, i), lines[i], lines[i]);

  g_assert_cmpstr (json_member (record_at (records, 0), "prompt"), ==, "Question 1");
  assert_broken (record_at (records, 4), WH_RECORD_ERROR_JSON, "line 5, column 40", NULL);
  g_assert_null (record_at (records, 4)->json);
  g_assert_cmpuint (record_at (records, 4)->column, ==, 40);
  g_assert_cmpstr (json_member (record_at (records, 5), "completion"), ==, "Answer 6");
  g_assert_cmpstr (json_member (record_at (records, 6), "completion"), ==, "Answer 7");
  g_assert_cmpstr (json_member (record_at (records, 8), "prompt"), ==, "Question 9");
}

static void
test_json_array (void)
{
  g_autofree char *path = fixture ("nested.json");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);
  JsonObject *object;
  JsonArray *messages;

  assert_read_through (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_JSON_ARRAY);
  assert_reason (reader, "JSON array");
  g_assert_cmpuint (records->len, ==, 6);

  g_assert_cmpstr (json_member (record_at (records, 0), "text"), ==, "brackets ] } [ { and commas, inside");
  assert_lines (record_at (records, 0), 2, 2);

  assert_lines (record_at (records, 1), 3, 7);
  object = json_node_get_object (record_at (records, 1)->json);
  messages = json_object_get_array_member (object, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"),
                   ==, "say \"hi\" [ok]");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"),
                   ==, "hi \\ there }");

  g_assert_cmpstr (json_member (record_at (records, 2), "text"), ==, "été 😀");
  assert_broken (record_at (records, 3), WH_RECORD_ERROR_JSON, "line 9", NULL);
  assert_lines (record_at (records, 3), 9, 9);
  g_assert_cmpstr (json_node_get_string (record_at (records, 4)->json), ==, "a bare string");
  g_assert_cmpstr (json_member (record_at (records, 5), "text"), ==, "last");
  assert_lines (record_at (records, 5), 11, 11);
}

static void
test_json_single_object (void)
{
  g_autofree char *path = fixture ("single-object.json");

  assert_open_fails (path, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "JSON Lines");
  assert_open_fails (path, WH_FILE_KIND_JSON_ARRAY, WH_RECORD_READER_ERROR_FORMAT, "single JSON object");
}

static void
test_jsonl_named_json (void)
{
  g_autofree char *path = fixture ("lines.json");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_JSONL);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (json_member (record_at (records, 2), "text"), ==, "third");
}

typedef struct
{
  const char *name;
  const char *data;
  guint       n_records;
  const char *errors;   /* per record: '.' good, 'J' JSON error */
} JsonCase;

static void
test_json_edges (void)
{
  static const JsonCase cases[] = {
    { "empty-array.json", "[]", 0, "" },
    { "empty-array2.json", "  [ \n ]  \n", 0, "" },
    { "scalars.json", "[1, \"two\", true, null, 2.5e3]", 5, "....." },
    { "trailing-comma.json", "[1, 2,]", 2, ".." },
    { "missing.json", "[1,,2]", 3, ".J." },
    { "leading-comma.json", "[,1]", 2, "J." },
    { "cut.json", "[{\"a\": 1}, {\"b\":", 2, ".J" },
    { "cut-after.json", "[{\"a\": 1},", 2, ".J" },
    { "cut-open.json", "[", 1, "J" },
    { "after.json", "[1] [2]", 2, ".J" },
    { "extra-close.json", "[{\"a\": 1}}, {\"b\": 2}]", 2, "J." },
    { "two-values.json", "[{\"a\": 1} {\"b\": 2}, 3]", 2, "J." },
    { "string-brackets.json", "[\"]\", \"[\", \"\\\"]\"]", 3, "..." },
    { "two.jsonl", "{\"a\": 1} {\"b\": 2}\n{\"c\": 3}\n", 2, "J." },
    { "blank.jsonl", "\n\n  \n{\"a\": 1}\n\n", 1, "." },
    { "cr.jsonl", "{\"a\": 1}\r{\"b\": 2}\r", 2, ".." },
    { "scalar-lines.jsonl", "1\n\"s\"\n[1]\nnull\n", 4, "...." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (cases[i].name, cases[i].data, -1);
      WhFileKind kind = g_str_has_suffix (cases[i].name, ".jsonl") ? WH_FILE_KIND_JSONL : WH_FILE_KIND_JSON_ARRAY;
      g_autoptr(WhRecordReader) reader = open_ok (path, kind);
      g_autoptr(GPtrArray) records = read_all (reader);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpuint (records->len, ==, cases[i].n_records);
      for (guint j = 0; j < records->len; j++)
        {
          WhRecord *r = record_at (records, j);

          if (cases[i].errors[j] == 'J')
            {
              g_assert_error (r->error, WH_RECORD_ERROR, WH_RECORD_ERROR_JSON);
              g_assert_null (r->json);
            }
          else
            {
              g_assert_no_error (r->error);
              g_assert_nonnull (r->json);
            }
        }
    }
}

/* Nesting deeper than json-glib can take is refused, not parsed. */
static void
test_json_deep (void)
{
  GString *deep = g_string_new (NULL);
  g_autofree char *jsonl = NULL;
  g_autofree char *array = NULL;
  g_autofree char *jsonl_path = NULL;
  g_autofree char *array_path = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  jsonl = g_strdup_printf ("{\"a\": 1}\n%s\n{\"b\": 2}\n", deep->str);
  array = g_strdup_printf ("[%s, 2]", deep->str);
  g_string_free (deep, TRUE);
  jsonl_path = write_temp ("deep.jsonl", jsonl, -1);
  array_path = write_temp ("deep.json", array, -1);

  {
    g_autoptr(WhRecordReader) reader = open_ok (jsonl_path, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 3);
    assert_broken (record_at (records, 1), WH_RECORD_ERROR_JSON, "line 2", "nested", NULL);
    g_assert_no_error (record_at (records, 2)->error);
  }
  {
    g_autoptr(WhRecordReader) reader = open_ok (array_path, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_JSON_ARRAY);
    g_assert_cmpuint (records->len, ==, 2);
    assert_broken (record_at (records, 0), WH_RECORD_ERROR_JSON, "nested", NULL);
    g_assert_cmpint (json_node_get_int (record_at (records, 1)->json), ==, 2);
  }
}

/* Text */

static void
test_text (void)
{
  g_autofree char *path = fixture ("paragraphs.txt");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_read_through (reader);

  g_assert_cmpint (wh_record_reader_get_kind (reader), ==, WH_FILE_KIND_TEXT);
  g_assert_null (wh_record_reader_get_columns (reader));
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (record_at (records, 0)->text, ==, "First document,\non two lines.");
  assert_lines (record_at (records, 0), 2, 3);
  g_assert_cmpstr (record_at (records, 1)->text, ==, "Second document.");
  assert_lines (record_at (records, 1), 6, 6);
  g_assert_cmpstr (record_at (records, 2)->text, ==, "Third document,\n  indented line.");
  assert_lines (record_at (records, 2), 9, 10);
}

static void
test_text_whole (void)
{
  g_autofree char *path = fixture ("paragraphs.txt");
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_TEXT_WHOLE);
  g_autoptr(GPtrArray) records = read_all (reader);
  g_autofree char *md = write_temp ("notes.md", "# Title\n\nBody.\n", -1);
  g_autoptr(WhRecordReader) md_reader = open_ok (md, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) md_records = read_all (md_reader);

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (record_at (records, 0)->text, ==,
                   "First document,\non two lines.\n\n   \nSecond document.\n\n\n"
                   "Third document,\n  indented line.");
  assert_lines (record_at (records, 0), 2, 10);

  g_assert_cmpint (wh_record_reader_get_kind (md_reader), ==, WH_FILE_KIND_TEXT_WHOLE);
  g_assert_cmpuint (md_records->len, ==, 1);
  g_assert_cmpstr (record_at (md_records, 0)->text, ==, "# Title\n\nBody.");
}

/* Files that are not text */

static void
test_not_text (void)
{
  g_autofree char *xlsx = fixture ("workbook.csv");
  g_autofree char *binary = fixture ("binary.dat");
  g_autofree char *gz = write_temp ("data.csv.gz", "\x1f\x8b\x08\0\0\0\0\0", 8);
  g_autofree char *utf16 = write_temp ("no-bom.txt", "a\0b\0c\0\n\0d\0e\0\n\0", 14);
  g_autofree char *zip = write_temp ("archive.zip", "PK\x03\x04" "\x14\0\0\0\0\0" "data/train.jsonl", 26);
  g_autofree char *utf32 = write_temp ("utf32.txt", "\xff\xfe\0\0a\0\0\0", 8);

  for (WhFileKind kind = WH_FILE_KIND_AUTO; kind <= WH_FILE_KIND_TEXT_WHOLE; kind++)
    assert_open_fails (xlsx, kind, WH_RECORD_READER_ERROR_FORMAT,
                       "looks like an Excel workbook; save it as CSV (File → Save As → CSV UTF-8) and try again.");
  assert_open_fails (binary, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "NUL");
  assert_open_fails (gz, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "gzip");
  assert_open_fails (utf16, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "UTF-16");
  assert_open_fails (zip, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "ZIP archive");
  assert_open_fails (utf32, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, "UTF-32");
}

static void
test_nul_later (void)
{
  GString *s = g_string_new ("text\n");
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  gsize len;

  for (guint i = 2; i <= 1000; i++)
    g_string_append_printf (s, "line %u\n", i);
  g_string_append (s, "ab");
  g_string_append_c (s, '\0');
  g_string_append (s, "c\nfine\n");
  len = s->len;
  data = g_string_free (s, FALSE);
  path = write_temp ("nul-later.csv", data, len);

  {
    g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 1001);
    assert_broken (record_at (records, 999), WH_RECORD_ERROR_ENCODING, "NUL byte at line 1001, column 3", NULL);
    assert_fields (record_at (records, 1000), "fine", NULL);
  }
}

static void
test_open_errors (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.csv", NULL);

  assert_open_fails (missing, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_OPEN, "“missing.csv”");
  assert_open_fails (tmp_dir, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_OPEN, "cannot be");
}

/* Guessing the kind */

/* Not a kind: the file is refused. */
#define REFUSED ((WhFileKind) 100)

typedef struct
{
  const char *name;
  const char *data;
  WhFileKind  kind;      /* or REFUSED */
  const char *reason;    /* in the reason, or the error */
  char        delimiter;
} KindCase;

static void
test_auto_kind (void)
{
  static const KindCase cases[] = {
    { "a.jsonl", "{\"a\": 1}\n{\"a\": 2}\n", WH_FILE_KIND_JSONL, "The file ends in .jsonl and its lines are JSON objects.", 0 },
    { "a.ndjson", "{\"a\": 1}\n", WH_FILE_KIND_JSONL, ".ndjson", 0 },
    { "one.jsonl", "{\"a\": 1}", WH_FILE_KIND_JSONL, ".jsonl", 0 },
    { "array.jsonl", "[\n{\"a\": 1}\n]\n", WH_FILE_KIND_JSON_ARRAY, "one JSON array", 0 },
    { "arrays.jsonl", "[1, 2]\n[3, 4]\n", WH_FILE_KIND_JSONL, ".jsonl", 0 },
    { "pretty.jsonl", "{\n \"a\": 1\n}\n", REFUSED, "single JSON object", 0 },
    { "data", "[{\"a\": 1}]", WH_FILE_KIND_JSON_ARRAY, "“[”", 0 },
    { "data2", "{\"a\": 1}\n{\"a\": 2}\n", WH_FILE_KIND_JSONL, "JSON Lines", 0 },
    { "many.json", "{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n", REFUSED, "several lines", 0 },
    { "minified.json", "{\"data\": [1, 2]}", REFUSED, "single JSON object", 0 },
    { "number.json", "42", REFUSED, "JSON", 0 },
    { "rows", "a,b,c\n1,2,3\n4,5,6\n", WH_FILE_KIND_CSV, "commas", ',' },
    { "rows2", "a;b\n1;2\n", WH_FILE_KIND_CSV, "semicolons", ';' },
    { "rows3", "a|b\n1|2\n", WH_FILE_KIND_CSV, "vertical bars", '|' },
    { "rows4", "a\tb\n1\t2\n", WH_FILE_KIND_TSV, "tabs", '\t' },
    { "tabs.csv", "a\tb\n1\t2\n", WH_FILE_KIND_TSV, ".csv", '\t' },
    { "sheet.txt", "a\tb\tc\n1\t2\t3\n", WH_FILE_KIND_TSV, "spreadsheets", '\t' },
    { "prose.txt", "Hello, world.\nHow are you, friend?\n", WH_FILE_KIND_TEXT, ".txt", 0 },
    { "prose", "Once upon a time.\n\nThe end.\n", WH_FILE_KIND_TEXT, "plain text", 0 },
    { "one-line", "a,b,c\n", WH_FILE_KIND_TEXT, "plain text", 0 },
    { "notes.MD", "# x\n", WH_FILE_KIND_TEXT_WHOLE, ".md", 0 },
    { "empty.csv", "", WH_FILE_KIND_CSV, "empty", ',' },
    { "empty.json", "  \n", WH_FILE_KIND_JSON_ARRAY, "empty", 0 },
    { "empty", "", WH_FILE_KIND_TEXT, "empty", 0 },
    { "bom.jsonl", "\xef\xbb\xbf{\"a\": 1}\n", WH_FILE_KIND_JSONL, ".jsonl", 0 },
    { "doc.pdf", "%PDF-1.7\n", REFUSED, "PDF", 0 },
    { "t.parquet", "PAR1\x15\x04", REFUSED, "Parquet", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (cases[i].name, cases[i].data, -1);

      g_test_message ("%s", cases[i].name);
      if (cases[i].kind == REFUSED)
        assert_open_fails (path, WH_FILE_KIND_AUTO, WH_RECORD_READER_ERROR_FORMAT, cases[i].reason);
      else
        {
          g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
          g_autoptr(GPtrArray) records = read_all (reader);

          g_assert_cmpstr (wh_file_kind_to_string (wh_record_reader_get_kind (reader)), ==,
                           wh_file_kind_to_string (cases[i].kind));
          g_assert_cmpint (wh_record_reader_get_delimiter (reader), ==, cases[i].delimiter);
          assert_reason (reader, cases[i].reason);
          for (guint j = 0; j < records->len; j++)
            g_assert_no_error (record_at (records, j)->error);
        }
    }
}

/* Line breaks */

static void
test_line_breaks (void)
{
  /* Lone CR (old Mac), CR LF, LF, mixed; a CR LF inside quotes is one
   * line break in the field, and counts as one line. */
  g_autofree char *path = write_temp ("breaks.csv",
                                      "text,n\r"
                                      "\"a\r\nb\",1\r\n"
                                      "\"c\rd\ne\",2\n"
                                      "\r\n"
                                      "f,3\r"
                                      "g,4", -1);
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  g_autoptr(GPtrArray) records = read_all (reader);

  assert_columns (reader, "text", "n", NULL);
  g_assert_cmpuint (records->len, ==, 4);
  assert_fields (record_at (records, 0), "a\nb", "1", NULL);
  assert_lines (record_at (records, 0), 2, 3);
  assert_fields (record_at (records, 1), "c\nd\ne", "2", NULL);
  assert_lines (record_at (records, 1), 4, 6);
  assert_fields (record_at (records, 2), "f", "3", NULL);
  assert_lines (record_at (records, 2), 8, 8);
  assert_fields (record_at (records, 3), "g", "4", NULL);
  assert_lines (record_at (records, 3), 9, 9);
}

/* Records too long to keep */

static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

/* @before, @mib MiB of @filler repeated, @after; @n_newlines counts the
 * line feeds in the filler. */
static char *
write_big (const char *name,
           const char *before,
           gsize       mib,
           const char *filler,
           const char *after,
           guint64    *n_newlines)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *chunk = g_malloc (1 << 20);
  gsize filler_len = strlen (filler);
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  *n_newlines = 0;
  for (gsize i = 0; i < 1 << 20; i++)
    {
      chunk[i] = filler[i % filler_len];
      *n_newlines += chunk[i] == '\n' ? mib : 0;
    }
  fputs (before, f);
  for (gsize i = 0; i < mib; i++)
    g_assert_cmpuint (fwrite (chunk, 1, 1 << 20, f), ==, 1 << 20);
  fputs (after, f);
  g_assert_cmpint (fclose (f), ==, 0);
  return path;
}

static void
test_too_long_jsonl (void)
{
  guint64 n_newlines;
  g_autofree char *path = write_big ("big.jsonl", "{\"a\": 1}\n{\"text\": \"", 40, "x", "\"}\n{\"b\": 2}\n",
                                     &n_newlines);
  g_autoptr(WhRecordReader) reader = open_ok (path, WH_FILE_KIND_AUTO);
  long before = peak_rss_kib ();
  g_autoptr(GPtrArray) records = read_all (reader);
  long after = peak_rss_kib ();

  g_assert_cmpuint (records->len, ==, 3);
  g_assert_no_error (record_at (records, 0)->error);
  assert_broken (record_at (records, 1), WH_RECORD_ERROR_TOO_LONG,
                 "Line 2 is 40.0", "MiB long; a line may be at most 16.0", "Split it or remove it.", NULL);
  g_assert_null (record_at (records, 1)->json);
  assert_lines (record_at (records, 2), 3, 3);
  g_assert_no_error (record_at (records, 2)->error);

  /* What is kept of a long record stops at WH_RECORD_MAX_BYTES: the peak
   * grows by less than the 40 MiB line (sanitizers keep freed memory). */
#if !defined(__SANITIZE_ADDRESS__)
  if (before > 0 && after > 0)
    g_assert_cmpint (after - before, <, 36 * 1024);
#else
  (void) before;
  (void) after;
#endif
}

static void
test_too_long_others (void)
{
  /* A quoted CSV field of 17 MiB over 8 Mi lines, then a good row whose
   * line number must still be right. */
  guint64 n_lines, none;
  g_autofree char *csv = write_big ("big.csv", "id,text\n1,\"", 17, "ab\n", "\"\n2,fine\n", &n_lines);
  g_autofree char *json = write_big ("big.json", "[1,\n\"", 17, "[{\\\"", "\",\n 3]", &none);
  g_autofree char *txt = write_big ("big.txt", "first\n\n", 17, "words ", "\n\nlast\n", &none);

  {
    g_autoptr(WhRecordReader) reader = open_ok (csv, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 2);
    assert_broken (record_at (records, 0), WH_RECORD_ERROR_TOO_LONG, "The row on line 2 is 17.0", NULL);
    assert_lines (record_at (records, 0), 2, 2 + n_lines);
    assert_fields (record_at (records, 1), "2", "fine", NULL);
    assert_lines (record_at (records, 1), 3 + n_lines, 3 + n_lines);
  }
  {
    g_autoptr(WhRecordReader) reader = open_ok (json, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 3);
    assert_broken (record_at (records, 1), WH_RECORD_ERROR_TOO_LONG, "The element on line 2", NULL);
    g_assert_cmpint (json_node_get_int (record_at (records, 2)->json), ==, 3);
    assert_lines (record_at (records, 2), 3, 3);
  }
  {
    g_autoptr(WhRecordReader) reader = open_ok (txt, WH_FILE_KIND_AUTO);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 3);
    assert_broken (record_at (records, 1), WH_RECORD_ERROR_TOO_LONG, "The document on line 3", NULL);
    g_assert_cmpstr (record_at (records, 2)->text, ==, "last");
    assert_lines (record_at (records, 2), 5, 5);
  }
  {
    g_autoptr(WhRecordReader) reader = open_ok (txt, WH_FILE_KIND_TEXT_WHOLE);
    g_autoptr(GPtrArray) records = read_all (reader);

    g_assert_cmpuint (records->len, ==, 1);
    assert_broken (record_at (records, 0), WH_RECORD_ERROR_TOO_LONG, "The file is", NULL);
  }
}

/* Every prefix of small files, read as every kind: no crash, no read
 * error, and no more records than the whole file has. */
static void
test_prefixes (void)
{
  static const char *names[] = { "excel.csv", "nested.json", "broken.jsonl", "unicode-text.txt" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autofree char *path = fixture (names[n]);
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      for (gsize cut = 0; cut <= len; cut++)
        {
          g_autofree char *prefix = write_temp ("prefix", data, cut);

          for (WhFileKind kind = WH_FILE_KIND_AUTO; kind <= WH_FILE_KIND_TEXT_WHOLE; kind++)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(WhRecordReader) reader = wh_record_reader_new (prefix, kind, &error);
              WhRecord record = { 0 };
              guint count = 0;

              if (reader == NULL)
                {
                  g_assert_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT);
                  continue;
                }
              while (wh_record_reader_next (reader, &record, &error))
                {
                  g_assert_true (record.error != NULL || record.json != NULL ||
                                 record.fields != NULL || record.text != NULL);
                  g_assert_cmpuint (record.line, >=, 1);
                  g_assert_cmpuint (record.end_line, >=, record.line);
                  count++;
                }
              /* A UTF-16 file cut in the middle of a character fails to decode. */
              if (error != NULL)
                g_assert_error (error, WH_RECORD_READER_ERROR, WH_RECORD_READER_ERROR_FORMAT);
              g_assert_cmpuint (count, <=, cut + 1);
              wh_record_clear (&record);
            }
        }
    }
}

/* Reading leaves the files as they were. */
static void
test_unchanged (void)
{
  g_autofree char *dir = fixture ("");
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      gsize before_len, after_len;
      GStatBuf st1, st2;

      g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
      g_assert_cmpint (g_stat (path, &st1), ==, 0);
      for (WhFileKind kind = WH_FILE_KIND_AUTO; kind <= WH_FILE_KIND_TEXT_WHOLE; kind++)
        {
          g_autoptr(WhRecordReader) reader = wh_record_reader_new (path, kind, NULL);
          WhRecord record = { 0 };

          while (reader != NULL && wh_record_reader_next (reader, &record, NULL))
            ;
          wh_record_clear (&record);
        }
      g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
      g_assert_cmpint (g_stat (path, &st2), ==, 0);
      g_assert_cmpmem (before, before_len, after, after_len);
      g_assert_cmpint (st1.st_mtime, ==, st2.st_mtime);
      g_assert_cmpint (st1.st_mtim.tv_nsec, ==, st2.st_mtim.tv_nsec);
      g_assert_cmpint (st1.st_size, ==, st2.st_size);
      n++;
    }
  g_assert_cmpuint (n, >=, 15);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whetstone-record-reader-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/whetstone/record-reader/too-long-jsonl", test_too_long_jsonl);
  g_test_add_func ("/whetstone/record-reader/too-long-others", test_too_long_others);
  g_test_add_func ("/whetstone/record-reader/csv/excel", test_excel_csv);
  g_test_add_func ("/whetstone/record-reader/csv/semicolon", test_semicolon_csv);
  g_test_add_func ("/whetstone/record-reader/csv/tsv", test_tsv);
  g_test_add_func ("/whetstone/record-reader/csv/no-header", test_no_header);
  g_test_add_func ("/whetstone/record-reader/csv/ragged", test_ragged);
  g_test_add_func ("/whetstone/record-reader/csv/unterminated", test_unterminated);
  g_test_add_func ("/whetstone/record-reader/csv/bad-utf8", test_bad_utf8);
  g_test_add_func ("/whetstone/record-reader/csv/utf16", test_utf16);
  g_test_add_func ("/whetstone/record-reader/csv/utf16-broken", test_utf16_broken);
  g_test_add_func ("/whetstone/record-reader/csv/line-breaks", test_line_breaks);
  g_test_add_func ("/whetstone/record-reader/csv/nul-later", test_nul_later);
  g_test_add_func ("/whetstone/record-reader/json/jsonl-broken", test_jsonl_broken);
  g_test_add_func ("/whetstone/record-reader/json/array", test_json_array);
  g_test_add_func ("/whetstone/record-reader/json/single-object", test_json_single_object);
  g_test_add_func ("/whetstone/record-reader/json/lines-named-json", test_jsonl_named_json);
  g_test_add_func ("/whetstone/record-reader/json/edges", test_json_edges);
  g_test_add_func ("/whetstone/record-reader/json/deep", test_json_deep);
  g_test_add_func ("/whetstone/record-reader/text/documents", test_text);
  g_test_add_func ("/whetstone/record-reader/text/whole", test_text_whole);
  g_test_add_func ("/whetstone/record-reader/not-text", test_not_text);
  g_test_add_func ("/whetstone/record-reader/open-errors", test_open_errors);
  g_test_add_func ("/whetstone/record-reader/auto-kind", test_auto_kind);
  g_test_add_func ("/whetstone/record-reader/prefixes", test_prefixes);
  g_test_add_func ("/whetstone/record-reader/unchanged", test_unchanged);

  result = g_test_run ();

  wh_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return result;
}
