/* wh-file-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and, when it is a folder, everything in it, as far as it
 * can: used to clear away what a write left half done.  A symbolic link
 * is removed, never followed. */
void _wh_file_remove_tree (const char *path);

G_END_DECLS
