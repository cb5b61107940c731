/* wh-data-chooser.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A modal native file chooser for one dataset file, over @widget's
 * window, with filters for the kinds of file the Data step reads. */
GtkFileChooserNative *wh_data_chooser_new (GtkWidget *widget);

G_END_DECLS
