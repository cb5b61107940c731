/* wh-ui.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void    wh_ui_init       (void);
/* A list of recent paths with @path first, once, and at most @max in
 * all: for the settings' recent-models and recent-datasets. */
char  **wh_ui_recent_add (const char * const *recent,
                          const char         *path,
                          guint               max);

G_END_DECLS
