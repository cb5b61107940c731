/* wh-playground-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-playground-page.h"

G_BEGIN_DECLS

/* For the tests. */
GtkTextView *_wh_playground_page_get_prompt_view   (WhPlaygroundPage *self);
GtkWidget   *_wh_playground_page_get_send_button   (WhPlaygroundPage *self);
GtkWidget   *_wh_playground_page_get_models_button (WhPlaygroundPage *self);
GtkWidget   *_wh_playground_page_get_settings_button (WhPlaygroundPage *self);
/* The check button that puts the checkpoint @name (NULL: the base
 * model) in a column. */
GtkWidget   *_wh_playground_page_get_choice        (WhPlaygroundPage *self,
                                                    const char       *name);
/* The columns' titles, in order. */
char       **_wh_playground_page_dup_titles        (WhPlaygroundPage *self);
/* The latest answer of column @i, as shown, and how many pieces it came
 * in; NULL past the last column. */
const char  *_wh_playground_page_get_answer        (WhPlaygroundPage *self,
                                                    guint             i,
                                                    guint            *n_pieces);
/* How many prompts column @i answered in the conversation shown. */
guint        _wh_playground_page_get_n_turns       (WhPlaygroundPage *self,
                                                    guint             i);
/* Column @i's error or “Stopped”, NULL when it has none. */
const char  *_wh_playground_page_get_column_error  (WhPlaygroundPage *self,
                                                    guint             i);
/* The export button of column @i, NULL when it has none. */
GtkWidget   *_wh_playground_page_get_export_button (WhPlaygroundPage *self,
                                                    guint             i);
GtkSpinButton *_wh_playground_page_get_spin        (WhPlaygroundPage *self,
                                                    const char       *name);

G_END_DECLS
