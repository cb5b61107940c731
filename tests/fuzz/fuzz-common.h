/* fuzz-common.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* What the record-reader fuzz targets share: each input is written to a
 * file named @name in a temporary folder and read to the end as every
 * kind, checking what wh-record-reader.h promises of each record. */

#include <stdio.h>
#include <stdlib.h>

#include "wh-record-reader.h"

static void
fuzz_read_file (const guint8 *data,
                size_t        size,
                const char   *name)
{
  static char *path;

  if (path == NULL)
    {
      char *dir = g_dir_make_tmp ("whetstone-fuzz-XXXXXX", NULL);

      if (dir == NULL)
        abort ();
      path = g_build_filename (dir, name, NULL);
      g_free (dir);
    }

  {
    FILE *f = fopen (path, "wb");

    if (f == NULL || fwrite (data, 1, size, f) != size || fclose (f) != 0)
      abort ();
  }

  for (WhFileKind kind = WH_FILE_KIND_AUTO; kind <= WH_FILE_KIND_TEXT_WHOLE; kind++)
    {
      GError *error = NULL;
      WhRecordReader *reader = wh_record_reader_new (path, kind, &error);
      WhRecord record = { 0 };
      guint64 offset = 0;

      if (reader == NULL)
        {
          /* Refused: said why, in the reader's domain. */
          if (error == NULL || error->domain != WH_RECORD_READER_ERROR || error->message[0] == '\0')
            abort ();
          g_error_free (error);
          continue;
        }
      if (wh_record_reader_get_reason (reader) == NULL)
        abort ();

      while (wh_record_reader_next (reader, &record, &error))
        {
          /* Exactly one of the contents, or an error. */
          int n = (record.json != NULL) + (record.fields != NULL) + (record.text != NULL);

          if (record.error != NULL ? record.error->domain != WH_RECORD_ERROR : n != 1)
            abort ();
          if (record.text != NULL && !g_utf8_validate (record.text, -1, NULL))
            abort ();
          if (record.fields != NULL)
            for (guint i = 0; i < record.fields->len; i++)
              if (!g_utf8_validate (g_ptr_array_index (record.fields, i), -1, NULL))
                abort ();
          if (record.line == 0 || record.end_line < record.line)
            abort ();
          if (wh_record_reader_get_offset (reader) < offset ||
              wh_record_reader_get_offset (reader) > wh_record_reader_get_size (reader))
            abort ();
          offset = wh_record_reader_get_offset (reader);
        }
      if (error != NULL)
        g_error_free (error);
      wh_record_clear (&record);
      wh_record_reader_free (reader);
    }
}
