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
  GArray           *scratch_ids;

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

void     _wh_dataset_add_problem  (WhDataset         *ds,
                                   WhProblemCategory  category,
                                   WhProblemSeverity  severity,
                                   guint64            line,
                                   guint64            column,
                                   const char        *fix,
                                   const char        *format,
                                   ...) G_GNUC_PRINTF (7, 8);

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

/* wh-dataset-doctor.c: checks of one example (FALSE: left out) and of
 * the whole dataset once every row is read. */
gboolean        _wh_dataset_check_example (WhDataset         *ds,
                                           WhExample         *example,
                                           WhExampleSummary  *summary);
void            _wh_dataset_finish        (WhDataset         *ds);

G_END_DECLS
