/* wh-run-list.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The run folders under a runs folder, as the app's Start screen and the
 * command line see them: what each trains, how far it got and whether it
 * finished, read from what the run wrote (recipe.json, metrics.jsonl,
 * checkpoints/, and adapter/ or model/ at the end), and whether a
 * process is training it right now (its run.lock is held). */

typedef enum
{
  WH_RUN_STATE_FINISHED,    /* the final adapter (or model) is written */
  WH_RUN_STATE_STOPPED,     /* stopped or interrupted: resumes from its latest checkpoint */
  WH_RUN_STATE_INCOMPLETE,  /* stopped before training (no recipe.json): it cannot resume */
} WhRunState;

typedef struct
{
  char       *path;             /* the run folder */
  char       *id;               /* its name */
  char       *name;             /* the recipe's name (the goal), or NULL */
  char       *description;      /* the recipe's, or NULL */
  char       *model;            /* the base model's path; NULL: the built-in demo model */
  char       *model_name;       /* "org/name" from the Hugging Face cache, else the file's name */
  char       *method;           /* "lora", "qlora", "full", or NULL when unknown */
  WhRunState  state;
  gboolean    active;           /* being trained right now, by this process or another */
  char       *result;           /* the final adapter or model folder, once finished */
  guint       step;             /* the last step in metrics.jsonl; 0 before the first */
  guint       epoch;            /* of that step */
  double      loss;             /* of that step; NAN before the first */
  double      val_loss;         /* the latest measured; NAN when none was */
  char       *checkpoint;       /* the latest checkpoint folder, or NULL */
  guint       checkpoint_step;  /* the steps it holds */
  GDateTime  *modified;         /* when the run last wrote something */
} WhRunInfo;

/* $XDG_DATA_HOME/whetstone/runs: where runs go unless the user chose
 * another folder. */
char      *wh_run_dup_default_dir  (void);
/* The folder the app's "runs-folder" setting names, or the default one:
 * where both the app and the command line keep their runs.  @settings:
 * the app's, or NULL to read them where their schema is installed. */
char      *wh_run_dup_runs_dir     (GSettings        *settings);

/* Fails with G_IO_ERROR_NOT_DIRECTORY, or G_IO_ERROR_INVALID_ARGUMENT
 * when @run_dir holds nothing a run writes. */
WhRunInfo *wh_run_info_read        (const char       *run_dir,
                                    GError          **error);
void       wh_run_info_free        (WhRunInfo        *info);
gboolean   wh_run_info_can_resume  (const WhRunInfo  *info);

/* The runs in @runs_dir (of WhRunInfo), the most recently written first;
 * none when the folder does not exist yet.  Reads every run's metrics, so
 * call it off the main thread. */
GPtrArray *wh_run_list             (const char       *runs_dir,
                                    GCancellable     *cancellable,
                                    GError          **error);

/* Deletes the run folder @run_dir and everything in it, only if it is a
 * run folder: one that holds what a run writes and nothing else (no
 * symbolic link in its place, no file a run does not write), and no
 * process is training it (G_IO_ERROR_BUSY).  It is
 * renamed to a hidden name first, so it leaves the list at once. */
gboolean   wh_run_delete           (const char       *run_dir,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhRunInfo, wh_run_info_free)

G_END_DECLS
