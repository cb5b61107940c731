/* wh-run-list.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "wh-json.h"
#include "wh-run-folder.h"
#include "wh-preset.h"
#include "wh-run-list.h"
#include "wh-train-run.h"
#include "wh-train-checkpoint.h"

/* The app's settings, the same in both profiles (see data/meson.build). */
#define SETTINGS_SCHEMA_ID "io.github.whetstone.Whetstone"

/* What a run writes in its folder (see wh-train-run.h), and nothing else
 * is deleted with it. */
static const char * const run_entries[] = {
  "recipe.json", "metrics.jsonl", "dataset", "checkpoints", "adapter", "model", "exports",
  WH_TRAIN_RUN_LOCK_FILE,
};

/**
 * wh_run_dup_default_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/whetstone/runs`
 */
char *
wh_run_dup_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "whetstone", "runs", NULL);
}

/**
 * wh_run_dup_runs_dir:
 * @settings: (nullable): the app's settings
 *
 * Returns: (transfer full): the folder runs are kept in
 */
char *
wh_run_dup_runs_dir (GSettings *settings)
{
  g_autoptr(GSettings) own = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  /* Looked up rather than assumed: the command line runs without the app
   * installed, and g_settings_new() aborts on a missing schema. */
  if (settings == NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL && (schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE)) &&
          g_settings_schema_has_key (schema, "runs-folder"))
        settings = own = g_settings_new_full (schema, NULL, NULL);
    }
  if (settings != NULL)
    folder = g_settings_get_string (settings, "runs-folder");
  if (folder != NULL && folder[0] != '\0')
    return g_steal_pointer (&folder);
  return wh_run_dup_default_dir ();
}

void
wh_run_info_free (WhRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->id);
  g_free (info->name);
  g_free (info->description);
  g_free (info->model);
  g_free (info->model_name);
  g_free (info->method);
  g_free (info->result);
  g_free (info->checkpoint);
  g_clear_pointer (&info->modified, g_date_time_unref);
  g_free (info);
}

gboolean
wh_run_info_can_resume (const WhRunInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->state == WH_RUN_STATE_STOPPED && !info->active;
}

/* errno read first: the rest may change it. */
#define SET_ERRNO_ERROR(error, format, path) G_STMT_START {                          \
    int saved_ = errno;                                                               \
    g_autofree char *display_ = g_filename_display_name (path);                       \
                                                                                      \
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_), format, display_, \
                 g_strerror (saved_));                                                \
  } G_STMT_END

/* A folder of the Hugging Face cache names its repository,
 * hub/models--org--name/snapshots/<rev>; any other model is named by its
 * file or folder. */
static char *
model_display_name (const char *model)
{
  const char *repo = strstr (model, "models--");
  g_autofree char *demo = wh_demo_model_dup_dir ();
  char *base;
  gsize len;

  if (g_strcmp0 (model, demo) == 0)
    return g_strdup (_("Demo model"));

  if (repo != NULL && (repo == model || repo[-1] == G_DIR_SEPARATOR))
    {
      const char *start = repo + strlen ("models--");
      const char *end = strchr (start, G_DIR_SEPARATOR);
      g_autofree char *folder = end != NULL ? g_strndup (start, end - start) : g_strdup (start);
      char *sep = strstr (folder, "--");

      if (sep != NULL)
        {
          *sep = '/';
          memmove (sep + 1, sep + 2, strlen (sep + 2) + 1);
        }
      if (folder[0] != '\0')
        return g_steal_pointer (&folder);
    }

  base = g_path_get_basename (model);
  len = strlen (base);
  if (len > 5 && g_str_has_suffix (base, ".gguf"))
    base[len - 5] = '\0';
  return base;
}

static gboolean
read_recipe (WhRunInfo *info)
{
  g_autofree char *path = g_build_filename (info->path, "recipe.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WhRunCheckpoint) result = NULL;
  JsonObject *o;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      !json_parser_load_from_mapped_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  /* Another program's recipe.json is not a run's. */
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "dataset"))
    return FALSE;

  info->name = g_strdup (wh_json_get_string (o, "name"));
  info->description = g_strdup (wh_json_get_string (o, "description"));
  info->model = g_strdup (wh_json_get_string (o, "model"));
  info->method = g_strdup (wh_json_get_string (o, "method"));
  if (info->model != NULL)
    info->model_name = model_display_name (info->model);

  /* The result goes to the recipe's output_dir when it names one. */
  if ((result = wh_run_folder_find_result (info->path, wh_json_get_string (o, "output_dir"))))
    info->result = g_steal_pointer (&result->path);
  return TRUE;
}

/* The last step, and the latest validation loss. */
static gboolean
read_metrics (WhRunInfo    *info,
              GCancellable *cancellable)
{
  g_autoptr(GArray) history = wh_run_folder_read_metrics (info->path, cancellable, NULL);
  const WhTrainProgress *last;

  if (history == NULL || history->len == 0)
    return FALSE;
  last = &g_array_index (history, WhTrainProgress, history->len - 1);
  info->step = last->step;
  info->epoch = last->epoch;
  info->loss = last->loss;
  for (guint i = history->len; i > 0 && isnan (info->val_loss); i--)
    info->val_loss = g_array_index (history, WhTrainProgress, i - 1).val_loss;
  return TRUE;
}

static void
take_newer (GDateTime  **modified,
            const char  *path)
{
  GStatBuf st;
  GDateTime *time;

  if (path == NULL || g_stat (path, &st) != 0)
    return;
  time = g_date_time_new_from_unix_local (st.st_mtime);
  if (*modified == NULL || g_date_time_compare (time, *modified) > 0)
    {
      g_clear_pointer (modified, g_date_time_unref);
      *modified = time;
    }
  else
    g_date_time_unref (time);
}

/* The folder itself, never a link to one. */
static gboolean
check_folder (const char  *path,
              GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      SET_ERRNO_ERROR (error, _("Cannot read the run folder “%s”: %s"), path);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, _("“%s” is not a run folder"), display);
      return FALSE;
    }
  return TRUE;
}

/**
 * wh_run_info_read:
 * @run_dir: a run folder
 *
 * Returns: (transfer full): what the run in @run_dir trained and how far it
 *   got, or %NULL when it is not a run folder
 */
WhRunInfo *
wh_run_info_read (const char  *run_dir,
                  GError     **error)
{
  g_autoptr(WhRunInfo) info = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *train = NULL;
  gboolean has_recipe, has_metrics, has_data;
  WhTrainState state = { 0 };

  g_return_val_if_fail (run_dir != NULL, NULL);

  if (!check_folder (run_dir, error))
    return NULL;

  info = g_new0 (WhRunInfo, 1);
  info->path = g_strdup (run_dir);
  info->id = g_path_get_basename (run_dir);
  info->loss = NAN;
  info->val_loss = NAN;

  has_recipe = read_recipe (info);
  has_metrics = read_metrics (info, NULL);
  info->checkpoint = wh_train_checkpoint_find_latest (run_dir, &state, NULL);
  info->checkpoint_step = info->checkpoint != NULL ? state.step : 0;
  train = g_build_filename (run_dir, "dataset", "train.jsonl", NULL);
  has_data = g_file_test (train, G_FILE_TEST_IS_REGULAR);

  if (!has_recipe && !has_metrics && info->checkpoint == NULL && !has_data)
    {
      g_autofree char *display = g_filename_display_name (run_dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a run folder: it holds none of the files a training run writes"), display);
      return NULL;
    }

  info->active = wh_train_run_is_active (run_dir);
  if (info->result != NULL)
    info->state = WH_RUN_STATE_FINISHED;
  else if (has_recipe)
    info->state = WH_RUN_STATE_STOPPED;
  else
    info->state = WH_RUN_STATE_INCOMPLETE;

  metrics = g_build_filename (run_dir, "metrics.jsonl", NULL);
  take_newer (&info->modified, run_dir);
  take_newer (&info->modified, metrics);
  take_newer (&info->modified, info->checkpoint);
  take_newer (&info->modified, info->result);

  return g_steal_pointer (&info);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const WhRunInfo *x = *(const WhRunInfo * const *) a;
  const WhRunInfo *y = *(const WhRunInfo * const *) b;
  int order = g_date_time_compare (y->modified, x->modified);

  return order != 0 ? order : g_strcmp0 (y->id, x->id);
}

/**
 * wh_run_list:
 * @runs_dir: the folder runs are kept in
 *
 * Returns: (transfer container) (element-type WhRunInfo): the runs, the
 *   most recently written first, or %NULL when cancelled or @runs_dir
 *   cannot be read
 */
GPtrArray *
wh_run_list (const char    *runs_dir,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_info_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (runs_dir != NULL, NULL);

  if (!(dir = g_dir_open (runs_dir, 0, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&runs);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) run_error = NULL;
      WhRunInfo *info;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* Hidden: a run being deleted. */
      if (name[0] == '.')
        continue;
      path = g_build_filename (runs_dir, name, NULL);
      if ((info = wh_run_info_read (path, &run_error)))
        g_ptr_array_add (runs, info);
      else
        g_debug ("Not listed: %s", run_error->message);
    }

  g_ptr_array_sort (runs, compare_newest_first);
  return g_steal_pointer (&runs);
}

/* recipe.json and the like, or a temporary file of their atomic writes:
 * g_file_set_contents() writes “recipe.json.XXXXXX”, and g_file_replace()
 * “.goutputstream-XXXXXX”. */
static gboolean
is_run_entry (const char *name)
{
  if (g_str_has_prefix (name, ".goutputstream-"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (run_entries); i++)
    {
      gsize len = strlen (run_entries[i]);

      if (strncmp (name, run_entries[i], len) == 0 &&
          (name[len] == '\0' || (name[len] == '.' && strlen (name + len + 1) == 6)))
        return TRUE;
    }
  return FALSE;
}

/* Never follows a link: a link is removed, not what it points to. */
static gboolean
remove_tree (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  GStatBuf st;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_lstat (path, &st) != 0)
    {
      SET_ERRNO_ERROR (error, _("Cannot delete “%s”: %s"), path);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          SET_ERRNO_ERROR (error, _("Cannot delete “%s”: %s"), path);
          return FALSE;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, cancellable, error))
            return FALSE;
        }
      if (g_rmdir (path) != 0)
        {
          SET_ERRNO_ERROR (error, _("Cannot delete “%s”: %s"), path);
          return FALSE;
        }
      return TRUE;
    }
  if (g_unlink (path) != 0)
    {
      SET_ERRNO_ERROR (error, _("Cannot delete “%s”: %s"), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
wh_run_delete (const char    *run_dir,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(WhRunInfo) info = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *hidden = NULL;
  const char *name;

  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (!(info = wh_run_info_read (run_dir, error)))
    return FALSE;
  if (info->active)
    {
      g_autofree char *display = g_filename_display_name (run_dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("“%s” was not deleted: it is being trained right now; stop it first"), display);
      return FALSE;
    }
  if (!(dir = g_dir_open (run_dir, 0, error)))
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!is_run_entry (name))
      {
        g_autofree char *display = g_filename_display_name (run_dir);
        g_autofree char *entry = g_filename_display_name (name);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” was not deleted: it holds “%s”, which training did not write"), display, entry);
        return FALSE;
      }

  parent = g_path_get_dirname (run_dir);
  base = g_path_get_basename (run_dir);
  hidden = g_strdup_printf ("%s%c.%s.deleting", parent, G_DIR_SEPARATOR, base);
  if (g_rename (run_dir, hidden) != 0)
    {
      SET_ERRNO_ERROR (error, _("Cannot delete “%s”: %s"), run_dir);
      return FALSE;
    }
  return remove_tree (hidden, cancellable, error);
}
