/* wh-run-folder.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wh-file-private.h"
#include "wh-json.h"
#include "wh-run-folder.h"
#include "wh-train-checkpoint.h"

#define ADAPTER_CONFIG  "adapter_config.json"
#define ADAPTER_WEIGHTS "adapter_model.safetensors"

/* What makes a PEFT adapter folder; the training state beside it in a
 * checkpoint is not part of the adapter. */
static const char * const adapter_files[] = { ADAPTER_CONFIG, ADAPTER_WEIGHTS };

void
wh_run_checkpoint_free (WhRunCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return;
  g_free (checkpoint->name);
  g_free (checkpoint->path);
  g_free (checkpoint);
}

gboolean
wh_run_folder_is_adapter (const char *dir)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (adapter_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, adapter_files[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (const char *name,
              const char *prefix,
              guint      *n)
{
  guint value;
  char tail;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  if (sscanf (name + strlen (prefix), "%u%c", &value, &tail) != 1)
    return FALSE;
  *n = value;
  return TRUE;
}

static int
compare_checkpoints (gconstpointer a,
                     gconstpointer b)
{
  const WhRunCheckpoint *x = *(WhRunCheckpoint * const *) a;
  const WhRunCheckpoint *y = *(WhRunCheckpoint * const *) b;

  if (x->step != y->step)
    return x->step < y->step ? -1 : 1;
  if (x->epoch != y->epoch)
    return x->epoch < y->epoch ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

/**
 * wh_run_folder_list_checkpoints:
 * @run_dir: a run folder
 *
 * Returns: (transfer full) (element-type WhRunCheckpoint): the run's
 *   checkpoints, fewest steps first, or %NULL when checkpoints/ cannot be
 *   read
 */
GPtrArray *
wh_run_folder_list_checkpoints (const char  *run_dir,
                                GError     **error)
{
  g_autofree char *parent = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (run_dir != NULL, NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_checkpoint_free);
  parent = g_build_filename (run_dir, "checkpoints", NULL);
  if (!(dir = g_dir_open (parent, 0, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&list);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *config = NULL;
      WhRunCheckpoint *checkpoint;
      WhTrainState state;
      guint step = 0, epoch = 0, in_epoch = 0;
      gboolean is_adapter;

      /* Hidden: one being written. */
      if (name[0] == '.')
        continue;
      path = g_build_filename (parent, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      is_adapter = wh_run_folder_is_adapter (path);
      config = g_build_filename (path, "config.json", NULL);
      if (!is_adapter && !g_file_test (config, G_FILE_TEST_IS_REGULAR))
        continue;

      parse_number (name, "epoch-", &epoch);
      if (wh_train_checkpoint_read_state (path, &state, NULL))
        {
          step = state.step;
          /* The state names the epoch of the next step, which is this
           * one's but at the end of an epoch, where the name says it. */
          in_epoch = epoch > 0 ? epoch : state.epoch;
        }
      else if (!parse_number (name, "step-", &step) && epoch == 0)
        continue;
      else
        in_epoch = epoch;

      checkpoint = g_new0 (WhRunCheckpoint, 1);
      checkpoint->name = g_strdup (name);
      checkpoint->path = g_steal_pointer (&path);
      checkpoint->step = step;
      checkpoint->epoch = epoch;
      checkpoint->in_epoch = in_epoch;
      checkpoint->is_adapter = is_adapter;
      g_ptr_array_add (list, checkpoint);
    }

  g_ptr_array_sort (list, compare_checkpoints);
  return g_steal_pointer (&list);
}

/**
 * wh_run_folder_find_result:
 * @run_dir: a run folder
 * @output_dir: (nullable): the recipe's output_dir
 *
 * Returns: (transfer full) (nullable): the final adapter or model
 */
WhRunCheckpoint *
wh_run_folder_find_result (const char *run_dir,
                           const char *output_dir)
{
  static const struct {
    const char *name;
    const char *last;  /* the file written last */
  } results[] = {
    { "adapter", ADAPTER_CONFIG },
    { "model", "model.safetensors" },
  };

  g_return_val_if_fail (run_dir != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *dir = g_build_filename (output_dir != NULL ? output_dir : run_dir, results[i].name, NULL);
      g_autofree char *last = g_build_filename (dir, results[i].last, NULL);
      g_autofree char *latest = NULL;
      WhRunCheckpoint *result;
      WhTrainState state = { 0 };

      if (!g_file_test (last, G_FILE_TEST_IS_REGULAR))
        continue;
      /* The last step saves a checkpoint, which holds the run's steps. */
      latest = wh_train_checkpoint_find_latest (run_dir, &state, NULL);
      result = g_new0 (WhRunCheckpoint, 1);
      result->name = g_strdup (results[i].name);
      result->path = g_steal_pointer (&dir);
      result->step = latest != NULL ? state.step : 0;
      result->is_adapter = i == 0;
      result->is_result = TRUE;
      return result;
    }
  return NULL;
}

/* Metrics */

/* The member @name when it is a number. */
static gboolean
get_number (JsonObject *object,
            const char *name,
            double     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static double
number_or (JsonObject *object,
           const char *name,
           double      fallback)
{
  double value;

  return get_number (object, name, &value) ? value : fallback;
}

/* A step's line, as append_metrics() in wh-train-run.c writes it; runs
 * from before total_steps, epochs and elapsed_seconds were written lack
 * them. */
static gboolean
parse_metrics_line (JsonParser      *parser,
                    const char      *line,
                    guint            epoch_before,
                    WhTrainProgress *p)
{
  JsonNode *root;
  JsonObject *o;
  double step, value;

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)) ||
      !get_number (o = json_node_get_object (root), "step", &step) || step < 0)
    return FALSE;

  *p = (WhTrainProgress) { 0 };
  p->step = (guint) step;
  p->epoch = get_number (o, "epoch", &value) && value >= 0 ? (guint) value : epoch_before;
  p->loss = number_or (o, "loss", NAN);
  p->val_loss = number_or (o, "val_loss", NAN);
  p->learning_rate = number_or (o, "lr", NAN);
  p->grad_norm = number_or (o, "grad_norm", NAN);
  p->tokens_per_second = number_or (o, "tokens_per_second", NAN);
  p->total_steps = get_number (o, "total_steps", &value) && value >= 0 ? (guint) value : 0;
  p->n_epochs = get_number (o, "epochs", &value) && value >= 0 ? (guint) value : 0;
  p->elapsed = number_or (o, "elapsed_seconds", NAN);
  p->eta = NAN;
  return TRUE;
}

/**
 * wh_run_folder_read_metrics:
 * @run_dir: a run folder
 *
 * Streamed, as metrics.jsonl grows by a line a step.
 *
 * Returns: (transfer full) (element-type WhTrainProgress): the steps, or
 *   %NULL when metrics.jsonl cannot be read
 */
GArray *
wh_run_folder_read_metrics (const char    *run_dir,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) history = NULL;
  g_autoptr(GError) local_error = NULL;
  guint total = 0, epochs = 0;
  char *line;

  g_return_val_if_fail (run_dir != NULL, NULL);

  history = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));
  g_array_set_clear_func (history, wh_train_progress_clear);

  path = g_build_filename (run_dir, "metrics.jsonl", NULL);
  file = g_file_new_for_path (path);
  if (!(in = g_file_read (file, cancellable, &local_error)))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&history);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  parser = json_parser_new ();
  data = g_data_input_stream_new (G_INPUT_STREAM (in));
  while ((line = g_data_input_stream_read_line (data, NULL, cancellable, &local_error)) != NULL)
    {
      g_autofree char *owned = line;
      guint epoch_before = history->len > 0 ? g_array_index (history, WhTrainProgress, history->len - 1).epoch : 0;
      WhTrainProgress p;

      if (parse_metrics_line (parser, line, epoch_before, &p))
        g_array_append_val (history, p);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* An older run's length: as far as it got. */
  for (guint i = 0; i < history->len; i++)
    {
      const WhTrainProgress *p = &g_array_index (history, WhTrainProgress, i);

      total = MAX (total, MAX (p->total_steps, p->step));
      epochs = MAX (epochs, MAX (p->n_epochs, p->epoch));
    }
  for (guint i = 0; i < history->len; i++)
    {
      WhTrainProgress *p = &g_array_index (history, WhTrainProgress, i);

      if (p->total_steps == 0)
        p->total_steps = total;
      if (p->n_epochs == 0)
        p->n_epochs = epochs;
    }
  return g_steal_pointer (&history);
}

/**
 * wh_run_folder_read_history:
 * @run_dir: a run folder
 *
 * Returns: (transfer full) (element-type WhTrainProgress): the steps,
 *   with their checkpoints, or %NULL when metrics.jsonl cannot be read
 */
GArray *
wh_run_folder_read_history (const char    *run_dir,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GArray) history = NULL;
  g_autoptr(GPtrArray) checkpoints = NULL;
  g_autoptr(GError) local_error = NULL;
  guint at = 0;

  g_return_val_if_fail (run_dir != NULL, NULL);

  if (!(history = wh_run_folder_read_metrics (run_dir, cancellable, error)))
    return NULL;
  /* Without its checkpoints, the history is still worth showing. */
  if (!(checkpoints = wh_run_folder_list_checkpoints (run_dir, &local_error)))
    {
      g_debug ("Cannot list the checkpoints of %s: %s", run_dir, local_error->message);
      return g_steal_pointer (&history);
    }

  /* Both by step; of two at one step, the end of an epoch's is named. */
  for (guint i = 0; i < checkpoints->len; i++)
    {
      const WhRunCheckpoint *checkpoint = g_ptr_array_index (checkpoints, i);

      while (at < history->len && g_array_index (history, WhTrainProgress, at).step < checkpoint->step)
        at++;
      if (at < history->len && g_array_index (history, WhTrainProgress, at).step == checkpoint->step)
        {
          WhTrainProgress *p = &g_array_index (history, WhTrainProgress, at);

          g_free ((char *) p->checkpoint);
          p->checkpoint = g_strdup (checkpoint->path);
        }
    }
  return g_steal_pointer (&history);
}

/* The content of @line's first turn when it is a system turn. */
static char *
line_system_prompt (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *messages;
  JsonObject *first;

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (messages = wh_json_get_array (json_node_get_object (root), "messages")) == NULL ||
      json_array_get_length (messages) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (messages, 0)))
    return NULL;
  first = json_array_get_object_element (messages, 0);
  if (g_strcmp0 (wh_json_get_string (first, "role"), "system") != 0)
    return NULL;
  return g_strdup (wh_json_get_string (first, "content"));
}

/**
 * wh_run_folder_dup_shared_system_prompt:
 *
 * Returns: (transfer full) (nullable): the shared system prompt
 */
char *
wh_run_folder_dup_shared_system_prompt (const char *run_dir)
{
  g_autofree char *path = g_build_filename (run_dir, "dataset", "train.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GDataInputStream) data = NULL;
  g_autofree char *shared = NULL;
  char *line;

  if (in == NULL)
    return NULL;
  data = g_data_input_stream_new (G_INPUT_STREAM (in));
  for (guint n = 0; n < 64 && (line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, NULL)) != NULL; n++)
    {
      g_autofree char *owned = line;
      g_autofree char *system = line_system_prompt (owned);

      if (system == NULL || (shared != NULL && !g_str_equal (system, shared)))
        return NULL;
      if (shared == NULL)
        shared = g_steal_pointer (&system);
    }
  return g_steal_pointer (&shared);
}

/**
 * wh_run_folder_dup_chat_template:
 *
 * Returns: (transfer full) (nullable): the template, or %NULL
 */
WhChatTemplate *
wh_run_folder_dup_chat_template (const WhRecipe  *recipe,
                                 WhTokenizer     *tokenizer,
                                 GError         **error)
{
  g_return_val_if_fail (recipe != NULL, NULL);
  g_return_val_if_fail (tokenizer != NULL, NULL);

  /* Plain text trains without a template (see wh_train_run()). */
  if (recipe->dataset_format == WH_DATASET_FORMAT_TEXT)
    return NULL;

  if (recipe->template != NULL && g_strcmp0 (recipe->template, "auto") != 0)
    {
      WhChatFamily family;

      if (!wh_chat_family_from_string (recipe->template, &family, error))
        return NULL;
      return wh_chat_template_new (family,
                                   wh_tokenizer_get_token_text (tokenizer, wh_tokenizer_get_bos (tokenizer)),
                                   wh_tokenizer_get_token_text (tokenizer, wh_tokenizer_get_eos (tokenizer)));
    }
  if (wh_tokenizer_get_chat_template (tokenizer) == NULL)
    return NULL;
  return wh_tokenizer_dup_chat_template (tokenizer, error);
}

/* Copying */

typedef enum
{
  CANNOT_WRITE,
  CANNOT_WRITE_INTO,
  CANNOT_REPLACE,
} Failure;

static void
set_errno_error (GError     **error,
                 int          saved,
                 Failure      failure,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);
  GIOErrorEnum code = g_io_error_from_errno (saved);

  switch (failure)
    {
    case CANNOT_WRITE:
      g_set_error (error, G_IO_ERROR, code, _("Cannot write “%s”: %s"), display, g_strerror (saved));
      break;

    case CANNOT_WRITE_INTO:
      g_set_error (error, G_IO_ERROR, code, _("Cannot write into “%s”: %s"), display, g_strerror (saved));
      break;

    case CANNOT_REPLACE:
      g_set_error (error, G_IO_ERROR, code, _("Cannot replace “%s”: %s"), display, g_strerror (saved));
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
sync_path (const char  *path,
           gboolean     is_dir,
           GError     **error)
{
  int fd = open (path, O_RDONLY | (is_dir ? O_DIRECTORY : 0));
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      /* Some file systems cannot sync a folder; the data are safe. */
      if (is_dir && (saved == EINVAL || saved == EBADF))
        return TRUE;
      set_errno_error (error, saved, CANNOT_WRITE, path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Empty, or not there at all. */
static gboolean
is_empty_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

/* @inner is @outer or inside it, both existing. */
static gboolean
path_is_within (const char *inner,
                const char *outer)
{
  g_autofree char *a = realpath (inner, NULL);
  g_autofree char *b = realpath (outer, NULL);

  if (a == NULL || b == NULL)
    return FALSE;
  return g_str_equal (a, b) || (g_str_has_prefix (a, b) && (a[strlen (b)] == '/' || g_str_equal (b, "/")));
}

static void
exists_error (GError     **error,
              const char  *dest)
{
  g_autofree char *display = g_filename_display_name (dest);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” already exists and is not empty"), display);
}

gboolean
wh_adapter_folder_copy (const char  *src,
                        const char  *dest,
                        gboolean     replace,
                        GError     **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *old = NULL;
  gboolean exists;

  g_return_val_if_fail (src != NULL, FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  if (!wh_run_folder_is_adapter (src))
    {
      g_autofree char *display = g_filename_display_name (src);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” holds no adapter (adapter_config.json and adapter_model.safetensors)"), display);
      return FALSE;
    }

  parent = g_path_get_dirname (dest);
  base = g_path_get_basename (dest);
  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      set_errno_error (error, ENOENT, CANNOT_WRITE_INTO, parent);
      return FALSE;
    }

  exists = g_file_test (dest, G_FILE_TEST_EXISTS) || g_file_test (dest, G_FILE_TEST_IS_SYMLINK);
  if (exists)
    {
      /* Replacing would delete what is copied. */
      if (path_is_within (src, dest))
        {
          g_autofree char *display = g_filename_display_name (dest);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” holds the adapter itself; choose another folder"), display);
          return FALSE;
        }
      if (!replace && !is_empty_dir (dest))
        {
          exists_error (error, dest);
          return FALSE;
        }
    }

  partial = g_strdup_printf ("%s/.%s.partial-XXXXXX", parent, base);
  if (g_mkdtemp (partial) == NULL)
    {
      set_errno_error (error, errno, CANNOT_WRITE_INTO, parent);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (adapter_files); i++)
    {
      g_autofree char *from_path = g_build_filename (src, adapter_files[i], NULL);
      g_autofree char *to_path = g_build_filename (partial, adapter_files[i], NULL);
      g_autoptr(GFile) from = g_file_new_for_path (from_path);
      g_autoptr(GFile) to = g_file_new_for_path (to_path);

      if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, error) ||
          !sync_path (to_path, FALSE, error))
        {
          _wh_file_remove_tree (partial);
          return FALSE;
        }
    }
  if (!sync_path (partial, TRUE, error))
    {
      _wh_file_remove_tree (partial);
      return FALSE;
    }

  /* An empty folder is replaced by the rename itself; anything else is
   * moved aside first, and back if the rename fails. */
  if (exists && !is_empty_dir (dest))
    {
      old = g_strdup_printf ("%s.old", partial);
      if (g_rename (dest, old) != 0)
        {
          set_errno_error (error, errno, CANNOT_REPLACE, dest);
          _wh_file_remove_tree (partial);
          return FALSE;
        }
    }
  if (g_rename (partial, dest) != 0)
    {
      int saved = errno;

      if (old != NULL)
        g_rename (old, dest);
      _wh_file_remove_tree (partial);
      if (saved == ENOTEMPTY || saved == EEXIST)
        exists_error (error, dest);
      else
        set_errno_error (error, saved, CANNOT_WRITE, dest);
      return FALSE;
    }
  if (old != NULL)
    _wh_file_remove_tree (old);
  return sync_path (parent, TRUE, error);
}
