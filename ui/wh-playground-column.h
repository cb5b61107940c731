/* wh-playground-column.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "wh-generate.h"
#include "wh-run-folder.h"

G_BEGIN_DECLS

#define WH_TYPE_PLAYGROUND_COLUMN (wh_playground_column_get_type ())

G_DECLARE_FINAL_TYPE (WhPlaygroundColumn, wh_playground_column, WH, PLAYGROUND_COLUMN, GtkBox)

/* What a model is called: “Base model” (@checkpoint NULL), “Epoch 2”,
 * “Step 300”, “Fine-tuned” (the run's result). */
char       *wh_playground_checkpoint_title         (const WhRunCheckpoint *checkpoint);

/* One model's side of the Try It step, as a card: its name, the
 * conversation as it answered it, and how its latest answer is getting
 * on.  @id: the page's name for it; @checkpoint: (nullable): what answers,
 * a checkpoint or the run's result; NULL: the base model. */
GtkWidget  *wh_playground_column_new               (guint                  id,
                                                    const WhRunCheckpoint *checkpoint);
guint       wh_playground_column_get_id            (WhPlaygroundColumn    *self);
/* The checkpoint's folder name, "" for the base model. */
const char *wh_playground_column_get_key           (WhPlaygroundColumn    *self);
/* The checkpoint's folder, NULL for the base model. */
const char *wh_playground_column_get_checkpoint    (WhPlaygroundColumn    *self);
gboolean    wh_playground_column_get_is_adapter    (WhPlaygroundColumn    *self);
const char *wh_playground_column_get_title         (WhPlaygroundColumn    *self);
/* The button that exports its adapter, NULL when it has none. */
GtkWidget  *wh_playground_column_get_export_button (WhPlaygroundColumn    *self);

/* NULL hides the status line. */
void        wh_playground_column_set_status        (WhPlaygroundColumn    *self,
                                                    const char            *status,
                                                    gboolean               spinning,
                                                    gboolean               error);
/* Adds @prompt, said by “You” (or, as text to continue, @plain_text, the
 * “Prompt”), and waits for its answer. */
void        wh_playground_column_ask               (WhPlaygroundColumn    *self,
                                                    const char            *prompt,
                                                    gboolean               plain_text);
/* Waiting for, or being given, the answer to the latest prompt. */
gboolean    wh_playground_column_get_waiting       (WhPlaygroundColumn    *self);
/* A piece of the answer, as it comes. */
void        wh_playground_column_add_piece         (WhPlaygroundColumn    *self,
                                                    const char            *text);
/* The answer is over: @text, the whole of it, with @stats; or @error,
 * which says why not (G_IO_ERROR_CANCELLED: stopped). */
void        wh_playground_column_end_answer        (WhPlaygroundColumn    *self,
                                                    const char            *text,
                                                    const WhGenerateStats *stats,
                                                    const GError          *error);
/* The answer is given up on: “Stopped”. */
void        wh_playground_column_stop              (WhPlaygroundColumn    *self);
/* Forgets the conversation. */
void        wh_playground_column_clear             (WhPlaygroundColumn    *self);

/* Its answers, one per prompt (of char *): its side of the
 * conversation. */
GPtrArray  *wh_playground_column_get_answers       (WhPlaygroundColumn    *self);
/* The latest answer, as shown, and how many pieces it came in. */
const char *wh_playground_column_get_answer        (WhPlaygroundColumn    *self,
                                                    guint                 *n_pieces);
/* The latest answer's error or “Stopped”, NULL when it has none. */
const char *wh_playground_column_get_error         (WhPlaygroundColumn    *self);

G_END_DECLS
