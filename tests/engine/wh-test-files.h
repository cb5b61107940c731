/* wh-test-files.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers of the tests that read files: temporary files, the shared test
 * data, and the errors a reader sets. */

void   wh_test_write_file    (const char    *path,
                              const guint8  *data,
                              gsize          size);
void   wh_test_write_text    (const char    *path,
                              const char    *text);
char  *wh_test_make_dir      (const char    *tmpl);
void   wh_test_remove_dir    (const char    *path);
char  *wh_test_find_data     (const char    *relative);
void   wh_test_assert_error  (GError       **error,
                              GQuark         domain,
                              int            code,
                              ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
