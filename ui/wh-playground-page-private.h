/* wh-playground-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-playground-column.h"
#include "wh-playground-export.h"
#include "wh-playground-page.h"
#include "wh-try-session.h"

G_BEGIN_DECLS

/* The page is split by concern: wh-playground-page.c holds the page, its
 * actions and what they enable, wh-playground-page-models.c the run read
 * and the models chosen to answer (a column each), and
 * wh-playground-page-answers.c the answers asked for and shown as they
 * come. */

struct _WhPlaygroundPage
{
  AdwBin               parent_instance;

  WhDevice            *device;
  WhTrainer           *trainer;
  char                *run_dir;
  WhTrySession        *session;         /* NULL until the run's recipe is read */
  gboolean             has_template;    /* as far as known */
  gboolean             template_known;
  GPtrArray           *checkpoints;     /* of WhRunCheckpoint */
  GHashTable          *chosen;          /* checkpoint names; "" for the base model */
  gboolean             choice_touched;
  GPtrArray           *choices;         /* of GtkCheckButton, the base model first */
  gboolean             updating_choices;

  GPtrArray           *columns;         /* of WhPlaygroundColumn, as shown */
  guint                next_column_id;
  GPtrArray           *prompts;         /* of char *, the conversation's user turns */
  gboolean             chat_mode;
  gboolean             ready;

  GCancellable        *cancellable;     /* of the answers under way */
  guint                generation;
  guint                n_running;

  WhPlaygroundExport  *exporter;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkWidget           *models_button;
  GtkLabel            *models_label;
  GtkWidget           *models_list;
  GtkWidget           *new_conversation_button;
  GtkWidget           *settings_button;
  GtkLabel            *hint_label;
  GtkFlowBox          *columns_box;
  GtkTextView         *prompt_view;
  GtkWidget           *placeholder_label;
  GtkStack            *send_stack;
  GtkWidget           *send_button;
  GtkWidget           *stop_button;
  GtkWidget           *chat_label;
  GtkSwitch           *chat_switch;
  GtkSpinButton       *temperature_spin;
  GtkSpinButton       *top_p_spin;
  GtkSpinButton       *top_k_spin;
  GtkSpinButton       *repetition_spin;
  GtkSpinButton       *length_spin;
  GtkSpinButton       *seed_spin;
};

/* wh-playground-page.c */
void                _wh_playground_page_update_all          (WhPlaygroundPage *self);
void                _wh_playground_page_update_actions      (WhPlaygroundPage *self);
gboolean            _wh_playground_page_prompt_is_empty     (WhPlaygroundPage *self);
/* @n_running answers under way; notifies "busy". */
void                _wh_playground_page_set_busy            (WhPlaygroundPage *self,
                                                             guint             n_running);

/* wh-playground-page-models.c */
/* A multi-turn conversation: chat mode, and a template (as far as
 * known). */
gboolean            _wh_playground_page_chat_active         (WhPlaygroundPage *self);
/* The free function of the columns' array. */
void                _wh_playground_page_column_free         (gpointer          column);
WhPlaygroundColumn *_wh_playground_page_find_column         (WhPlaygroundPage *self,
                                                             guint             id);
void                _wh_playground_page_clear_conversation  (WhPlaygroundPage *self);
/* One column per model chosen, the base model first, then by step;
 * those already there keep what they show. */
void                _wh_playground_page_update_columns      (WhPlaygroundPage *self);
void                _wh_playground_page_update_models_label (WhPlaygroundPage *self);
/* Reads the run's recipe (once) and its checkpoints. */
void                _wh_playground_page_reload              (WhPlaygroundPage *self);
void                _wh_playground_page_release_session     (WhPlaygroundPage *self);

/* wh-playground-page-answers.c */
/* Asks every column the prompt typed. */
void                _wh_playground_page_send                (WhPlaygroundPage *self);
void                _wh_playground_page_cancel_answers      (WhPlaygroundPage *self);

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
