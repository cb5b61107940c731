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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (g_rmdir (path) != 0 && errno == ENOTDIR)
    g_unlink (path);
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
          remove_tree (partial);
          return FALSE;
        }
    }
  if (!sync_path (partial, TRUE, error))
    {
      remove_tree (partial);
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
          remove_tree (partial);
          return FALSE;
        }
    }
  if (g_rename (partial, dest) != 0)
    {
      int saved = errno;

      if (old != NULL)
        g_rename (old, dest);
      remove_tree (partial);
      if (saved == ENOTEMPTY || saved == EEXIST)
        exists_error (error, dest);
      else
        set_errno_error (error, saved, CANNOT_WRITE, dest);
      return FALSE;
    }
  if (old != NULL)
    remove_tree (old);
  return sync_path (parent, TRUE, error);
}
