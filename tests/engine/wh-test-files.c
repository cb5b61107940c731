/* wh-test-files.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wh-test-files.h"

void
wh_test_write_file (const char   *path,
                    const guint8 *data,
                    gsize         size)
{
  g_autoptr(GError) error = NULL;

  /* Not G_FILE_SET_CONTENTS_NONE: GLib 2.74 then leaves the old file's
   * tail in place when the new contents are shorter. */
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
}

void
wh_test_write_text (const char *path,
                    const char *text)
{
  wh_test_write_file (path, (const guint8 *) text, strlen (text));
}

/* A fresh temporary folder, named after @tmpl as for g_dir_make_tmp(). */
char *
wh_test_make_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @path and everything in it; links are removed, not followed. */
void
wh_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        wh_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The path of the file @relative (“a/b/c”) in the shared test data
 * ($WH_TESTDATA_DIR), or %NULL after marking the test skipped where it is
 * absent. */
char *
wh_test_find_data (const char *relative)
{
  const char *testdata = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *path = NULL;

  if (testdata != NULL)
    path = g_build_filename (testdata, relative, NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *why = g_strdup_printf ("The shared test data is absent (no %s)", relative);

      g_test_skip (why);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Checks that *@error is @code of @domain, with a message holding each of
 * the strings that follow, up to a NULL; then clears it. */
void
wh_test_assert_error (GError **error,
                      GQuark   domain,
                      int      code,
                      ...)
{
  const char *part;
  va_list args;

  g_assert_error (*error, domain, code);

  va_start (args, code);
  while ((part = va_arg (args, const char *)) != NULL)
    if (strstr ((*error)->message, part) == NULL)
      g_error ("“%s” is not in the message “%s”", part, (*error)->message);
  va_end (args);

  g_clear_error (error);
}
