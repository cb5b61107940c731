/* wh-model-scan.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Finding the models already on this computer, for the Model screen:
 * the built-in demo model, the Hugging Face cache and Ollama's store.
 * Only where the files are and how big they are: what a model holds is
 * read by wh_model_info_load() once the user picks one. */

typedef enum
{
  WH_MODEL_SOURCE_DEMO,
  WH_MODEL_SOURCE_HUGGING_FACE,
  WH_MODEL_SOURCE_OLLAMA,
  WH_MODEL_SOURCE_FILE,          /* opened or dropped by the user */
} WhModelSource;

typedef struct
{
  WhModelSource  source;
  char          *name;           /* for people: "HuggingFaceTB/SmolLM2-135M", "llama3.2:1b" */
  char          *path;           /* a model folder or a .gguf file */
  guint64        size;           /* bytes on disk */
} WhModelCandidate;

WhModelCandidate *wh_model_candidate_new_for_path (WhModelSource       source,
                                                   const char         *path);
WhModelCandidate *wh_model_candidate_copy         (const WhModelCandidate *candidate);
void              wh_model_candidate_free         (WhModelCandidate   *candidate);

/* The built-in demo model's folder, as wh_demo_model_dup_dir() names it
 * ($WHETSTONE_DEMO_MODEL, then the data folder's demo/model); NULL when it
 * is not there. */
char             *wh_model_scan_dup_demo_dir      (void);
/* $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub, as
 * huggingface_hub chooses it. */
char             *wh_model_scan_dup_hf_hub_dir    (void);
/* $OLLAMA_MODELS or ~/.ollama/models. */
char             *wh_model_scan_dup_ollama_dir    (void);

/* A folder with a config.json, or a GGUF file (by its contents). */
gboolean          wh_model_scan_is_model_path     (const char         *path);

/* The demo model first, then the Hugging Face cache, then Ollama's store,
 * each sorted by name (WhModelCandidate).  Missing or unreadable folders
 * are skipped: the result may be empty, never an error.  Blocks: call it
 * from a worker thread, or use the _async variant. */
GPtrArray        *wh_model_scan                   (GCancellable       *cancellable);
void              wh_model_scan_async             (GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
GPtrArray        *wh_model_scan_finish            (GAsyncResult       *result,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhModelCandidate, wh_model_candidate_free)

G_END_DECLS
