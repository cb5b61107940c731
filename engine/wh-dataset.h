/* wh-dataset.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-record-reader.h"
#include "wh-tokenizer.h"

G_BEGIN_DECLS

/* A dataset imported from a user's file: every row normalised to a
 * conversation (or a preference pair), checked by the "dataset doctor",
 * counted in tokens, split into training and validation, and optionally
 * written as Whetstone's own copy (normalised JSON Lines).  The file is
 * streamed: memory follows the number of examples (a few dozen bytes
 * each), never the size of the file. */

#define WH_DATASET_ERROR (wh_dataset_error_quark ())

typedef enum
{
  WH_DATASET_ERROR_OPEN,      /* cannot read the file at all */
  WH_DATASET_ERROR_FORMAT,    /* not a format Whetstone reads, or no format fits */
  WH_DATASET_ERROR_OPTIONS,   /* a bad option (unknown format name, column…) */
  WH_DATASET_ERROR_WRITE,     /* the copy could not be written */
} WhDatasetError;

typedef enum
{
  WH_DATASET_FORMAT_AUTO,
  WH_DATASET_FORMAT_OPENAI,            /* {"messages": [{"role", "content", "weight"?}]} */
  WH_DATASET_FORMAT_SHAREGPT,          /* {"conversations": [{"from", "value"}]} */
  WH_DATASET_FORMAT_ALPACA,            /* {"instruction", "input"?, "output", "system"?, "history"?} */
  WH_DATASET_FORMAT_PROMPT_COMPLETION, /* {"prompt", "completion"} */
  WH_DATASET_FORMAT_TEXT,              /* {"text"} or plain text files */
  WH_DATASET_FORMAT_PREFERENCE,        /* {"prompt", "chosen", "rejected"} or OpenAI's preference form */
  WH_DATASET_FORMAT_COLUMNS,           /* CSV/TSV columns mapped to roles */
} WhDatasetFormat;

typedef enum
{
  WH_PROBLEM_ERROR,     /* the example is left out */
  WH_PROBLEM_WARNING,   /* kept, but worth a look */
} WhProblemSeverity;

typedef enum
{
  WH_PROBLEM_UNREADABLE,       /* not valid JSON / not UTF-8 / too long / CSV shape */
  WH_PROBLEM_MISSING_FIELD,
  WH_PROBLEM_UNKNOWN_FIELD,
  WH_PROBLEM_MIXED_FORMAT,     /* a row in another format than the file's */
  WH_PROBLEM_UNKNOWN_ROLE,
  WH_PROBLEM_ROLE_ORDER,
  WH_PROBLEM_EMPTY_CONTENT,
  WH_PROBLEM_NO_ASSISTANT,
  WH_PROBLEM_TOO_LONG,         /* longer than the chosen context, in tokens */
  WH_PROBLEM_DUPLICATE,
  WH_PROBLEM_NEAR_DUPLICATE,
  WH_PROBLEM_SPLIT_OVERLAP,    /* a validation example also in training */
  WH_PROBLEM_TOO_FEW,
  WH_PROBLEM_UNBALANCED,
  WH_PROBLEM_PERSONAL_DATA,
  WH_PROBLEM_N_CATEGORIES,
} WhProblemCategory;

typedef struct
{
  WhProblemCategory  category;
  WhProblemSeverity  severity;
  guint64            line;      /* 0 for problems of the whole dataset */
  guint64            column;    /* 0 when unknown */
  char              *message;   /* one plain sentence */
  char              *fix;       /* what to do */
} WhProblem;

/* One turn of a normalised conversation. */
typedef struct
{
  WhChatRole  role;
  char       *content;
  gboolean    train;
} WhTurn;

typedef struct
{
  guint64    line;
  GPtrArray *turns;       /* WhTurn; for preference pairs, the prompt turns */
  char      *chosen;      /* preference pairs only */
  char      *rejected;
  gboolean   validation;
} WhExample;

typedef struct
{
  WhFileKind        kind;            /* AUTO to detect */
  WhDatasetFormat   format;          /* AUTO to detect */
  /* CSV/TSV: "column=role" strings (role: system, user, assistant,
   * chosen, rejected, ignore); NULL to guess from the column names. */
  const char * const *columns;
  WhTokenizer      *tokenizer;       /* for token counts; may be NULL */
  WhChatTemplate   *chat_template;   /* for token counts; may be NULL */
  const char       *system_prompt;   /* added to conversations without one (NULL: none) */
  /* Plain text only: turns each document into a request and the document
   * as its answer; "%s" in it stands for the document's first words
   * (brand voice: "Write in our voice about: %s"). NULL: train on the
   * text as it is. */
  const char       *text_prompt;
  gsize             max_seq_len;     /* 0: no limit */
  double            val_fraction;    /* 0…0.5 */
  guint64           seed;
  const char       *output_dir;      /* NULL: no copy; else train.jsonl and val.jsonl there */
  guint             preview;         /* examples kept for display (default 0) */
} WhDatasetOptions;

typedef struct
{
  guint64 rows;              /* records read, broken ones included */
  guint64 examples;          /* usable examples (train + validation) */
  guint64 train_examples;
  guint64 val_examples;
  guint64 excluded;          /* rows left out by an error */
  guint64 turns;
  guint64 tokens;            /* all tokens of usable examples (with a tokenizer) */
  guint64 train_tokens;      /* tokens trained on, in the training split */
  guint   tokens_min, tokens_median, tokens_p95, tokens_max;
  guint   histogram[16];     /* example lengths in tokens, bins of width histogram_bin */
  guint   histogram_bin;
  guint   problem_counts[WH_PROBLEM_N_CATEGORIES];
  double  seconds;
} WhDatasetStats;

typedef struct _WhDataset WhDataset;

/* Progress: bytes read of the file's size.  Called on the importing
 * thread. */
typedef void (*WhDatasetProgress) (guint64   done,
                                   guint64   total,
                                   gpointer  user_data);

GQuark              wh_dataset_error_quark      (void);

void                wh_dataset_options_init     (WhDatasetOptions   *options);
const char         *wh_dataset_format_to_string (WhDatasetFormat     format);
gboolean            wh_dataset_format_from_string (const char       *name,
                                                   WhDatasetFormat  *format,
                                                   GError          **error);
const char         *wh_problem_category_to_string (WhProblemCategory category);

/* Imports @path.  Fails only when the file cannot be read as a dataset
 * at all; problems of rows are in the result. */
WhDataset          *wh_dataset_import           (const char              *path,
                                                 const WhDatasetOptions  *options,
                                                 WhDatasetProgress        progress,
                                                 gpointer                 user_data,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);
void                wh_dataset_free             (WhDataset               *dataset);

WhFileKind          wh_dataset_get_kind         (WhDataset               *dataset);
WhDatasetFormat     wh_dataset_get_format       (WhDataset               *dataset);
/* Why that format, in a sentence. */
const char         *wh_dataset_get_reason       (WhDataset               *dataset);
/* CSV/TSV: the "column=role" mapping used; NULL otherwise. */
const char * const *wh_dataset_get_columns      (WhDataset               *dataset);
const WhDatasetStats *wh_dataset_get_stats      (WhDataset               *dataset);
/* WhProblem, in file order (at most 200 per category are kept; counts
 * are in the stats). */
GPtrArray          *wh_dataset_get_problems     (WhDataset               *dataset);
/* The first options->preview examples (WhExample). */
GPtrArray          *wh_dataset_get_preview      (WhDataset               *dataset);
/* TRUE when at least one example can be trained on. */
gboolean            wh_dataset_is_usable        (WhDataset               *dataset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhDataset, wh_dataset_free)

G_END_DECLS
