/* wh-dataset-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-dataset.h"

G_BEGIN_DECLS

#define WH_DATASET_MAX_PROBLEMS_PER_CATEGORY 200

/* What is kept of every example: enough for duplicates, the split and
 * the statistics, a few dozen bytes whatever the example's size. */
typedef struct
{
  guint64 line;
  guint64 hash;          /* exact content */
  guint64 loose_hash;    /* lowercased, punctuation and spacing removed */
  guint32 tokens;
  guint32 train_tokens;
  guint8  validation;
} WhExampleSummary;

/* One record on its way through the import: what the reader made of it
 * (on the importing thread), then the checks of the example alone (on any
 * thread), then, in file order, what depends on the examples before it.
 * Its problems wait here until then, so that the report is the same
 * whatever the number of threads. */
typedef struct
{
  WhExample        *example;     /* NULL: the record is left out */
  GPtrArray        *problems;    /* WhProblem found so far; NULL when none */
  char             *copy;        /* the example as a line of the copy, with its newline */
  WhExampleSummary  summary;
} WhDatasetItem;

typedef enum
{
  WH_COLUMN_IGNORE,
  WH_COLUMN_SYSTEM,
  WH_COLUMN_USER,
  WH_COLUMN_ASSISTANT,
  WH_COLUMN_CHOSEN,
  WH_COLUMN_REJECTED,
} WhColumnRole;

struct _WhDataset
{
  WhDatasetOptions  options;
  char             *display;         /* the file's display name */
  WhFileKind        kind;
  WhDatasetFormat   format;
  char             *reason;
  char            **columns;         /* "name=role" */
  WhColumnRole     *column_roles;
  guint             n_columns;

  GPtrArray        *problems;        /* WhProblem */
  GPtrArray        *preview;         /* WhExample */
  GArray           *summaries;       /* WhExampleSummary */
  WhDatasetStats    stats;

  GHashTable       *reported;        /* problems reported once per file */
  GHashTable       *seen_exact;      /* hash → line of first occurrence */
  GHashTable       *seen_loose;
  WhDatasetItem    *item;            /* the record being read, whose problems wait */

  GOutputStream    *train_out;
  GOutputStream    *val_out;
};

void     _wh_example_free         (gpointer           data);
WhExample *_wh_example_new        (guint64            line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhExample, _wh_example_free)
void     _wh_example_add_turn     (WhExample         *example,
                                   WhChatRole         role,
                                   const char        *content,
                                   gboolean           train);

/* A problem for @item, which keeps it until its turn in file order, or
 * when @item is NULL, straight into the report of @ds. */
void     _wh_problem_report       (WhDataset         *ds,
                                   WhDatasetItem     *item,
                                   WhProblemCategory  category,
                                   WhProblemSeverity  severity,
                                   guint64            line,
                                   guint64            column,
                                   const char        *fix,
                                   const char        *format,
                                   ...) G_GNUC_PRINTF (8, 9);
/* To the record being read (ds->item) when there is one, else to the
 * report; on the importing thread only. */
#define _wh_dataset_add_problem(ds, ...) _wh_problem_report ((ds), (ds)->item, __VA_ARGS__)
/* To @item only: safe on any thread. */
#define _wh_item_add_problem(item, ...) _wh_problem_report (NULL, (item), __VA_ARGS__)
/* Into the report, in order: at most WH_DATASET_MAX_PROBLEMS_PER_CATEGORY
 * of each category are kept, all are counted.  Takes @problem. */
void     _wh_dataset_keep_problem (WhDataset         *ds,
                                   WhProblem         *problem);
void     _wh_problem_free         (gpointer           data);
void     _wh_dataset_item_clear   (WhDatasetItem     *item);

/* wh-dataset-format.c: rows → examples.  Each returns NULL when the row
 * cannot become an example, having added the problem. */
WhDatasetFormat _wh_dataset_guess_json    (JsonNode          *node);
const char     *_wh_dataset_format_reason (WhDatasetFormat    format);
WhExample      *_wh_dataset_from_json     (WhDataset         *ds,
                                           JsonNode          *node,
                                           guint64            line);
gboolean        _wh_dataset_map_columns   (WhDataset         *ds,
                                           const char * const *names,
                                           GError           **error);
WhExample      *_wh_dataset_from_fields   (WhDataset         *ds,
                                           GPtrArray         *fields,
                                           guint64            line);
WhExample      *_wh_dataset_from_text     (WhDataset         *ds,
                                           const char        *text,
                                           guint64            line);
/* The example as a line of Whetstone's copy (normalised JSON Lines). */
char           *_wh_example_to_json_line  (const WhExample   *example);

/* wh-dataset-doctor.c: the checks of one example alone, safe on any
 * thread as they only read @ds (FALSE: left out, problems in @item; @ids
 * is scratch space); the checks against the examples before it, in file
 * order; and those of the whole dataset once every row is read. */
gboolean        _wh_dataset_check_example (const WhDataset   *ds,
                                           WhDatasetItem     *item,
                                           GArray            *ids);
void            _wh_dataset_check_repeats (WhDataset         *ds,
                                           WhDatasetItem     *item);
void            _wh_dataset_finish        (WhDataset         *ds);

/* wh-dataset-batch.c: items go through in batches; the checks of examples
 * alone run on a few threads, everything else on the importing thread, in
 * file order.  WH_DATASET_THREADS=1 in the environment keeps everything
 * on the importing thread. */
typedef struct _WhDatasetBatches WhDatasetBatches;

/* @commit is called on the importing thread, in file order, for every
 * item once its checks are done. */
typedef gboolean (*WhDatasetCommit) (WhDataset      *ds,
                                     WhDatasetItem  *item,
                                     GError        **error);

WhDatasetBatches *_wh_dataset_batches_new    (WhDataset         *ds,
                                              WhDatasetCommit    commit);
void              _wh_dataset_batches_free   (WhDatasetBatches  *batches);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhDatasetBatches, _wh_dataset_batches_free)
/* A fresh item at the end of the current batch, for a record of about
 * @bytes bytes. */
WhDatasetItem    *_wh_dataset_batches_add    (WhDatasetBatches  *batches,
                                              gsize              bytes);
/* Hands a full batch on and commits what is done; waits (or helps) only
 * when too many batches are under way. */
gboolean          _wh_dataset_batches_step   (WhDatasetBatches  *batches,
                                              GError           **error);
/* Everything: checks and commits every item left. */
gboolean          _wh_dataset_batches_finish (WhDatasetBatches  *batches,
                                              GError           **error);
guint             _wh_dataset_batches_get_threads (WhDatasetBatches *batches);

G_END_DECLS
