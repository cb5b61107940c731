/* wh-playground-export.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_PLAYGROUND_EXPORT (wh_playground_export_get_type ())

G_DECLARE_FINAL_TYPE (WhPlaygroundExport, wh_playground_export, WH, PLAYGROUND_EXPORT, GObject)

/* Exports adapters for the page that holds @overlay: asks where over its
 * window, and says in @overlay's toasts how it went. */
WhPlaygroundExport *wh_playground_export_new   (AdwToastOverlay    *overlay);
/* Asks for a folder and copies the adapter in @source there: into it
 * when it is empty, else into a new folder @name inside it, asking
 * before one of that name is replaced.  A chooser still open is closed. */
void                wh_playground_export_start (WhPlaygroundExport *self,
                                                const char         *source,
                                                const char         *name);

G_END_DECLS
