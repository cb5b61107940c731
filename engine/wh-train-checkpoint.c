/* wh-train-checkpoint.c
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
#include <string.h>
#include <unistd.h>

#include "wh-file-private.h"
#include "wh-json.h"
#include "wh-train-checkpoint.h"

#define STATE_FILE     "trainer_state.json"
#define OPTIMIZER_FILE "optimizer.safetensors"

/* The rename of a folder is durable once its parent is synced. */
static void
sync_dir (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static void
write_error (GError     **error,
             const char  *path)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Cannot write the checkpoint “%s”: %s"), path, g_strerror (saved));
}

static gboolean
write_state (const char          *dir,
             const WhTrainState  *s,
             GError             **error)
{
  g_autofree char *path = g_build_filename (dir, STATE_FILE, NULL);
  g_autofree char *text = NULL;
  char elapsed[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (elapsed, sizeof elapsed, "%.3f", s->elapsed);
  text = g_strdup_printf ("{\n  \"step\": %u,\n  \"epoch\": %u,\n  \"next_example\": %u,\n"
                          "  \"tokens\": %" G_GUINT64_FORMAT ",\n  \"elapsed_seconds\": %s\n}\n",
                          s->step, s->epoch, s->next_example, s->tokens, elapsed);
  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

/**
 * wh_train_checkpoint_write:
 * @name: the folder's name, such as "epoch-2" or "step-300"
 * @adapter: (nullable): the adapter trained, or %NULL in full
 *   fine-tuning, whose checkpoint holds the whole model
 *
 * Returns: (transfer full): the checkpoint folder
 */
char *
wh_train_checkpoint_write (const char          *run_dir,
                           const char          *name,
                           WhAdapter           *adapter,
                           WhTrainStep         *step,
                           const char          *base_model,
                           const WhTrainState  *state,
                           GError             **error)
{
  g_autofree char *parent = g_build_filename (run_dir, "checkpoints", NULL);
  g_autofree char *partial = g_strdup_printf ("%s/.%s.partial", parent, name);
  g_autofree char *optimizer = g_build_filename (partial, OPTIMIZER_FILE, NULL);
  g_autofree char *final = g_build_filename (parent, name, NULL);

  g_return_val_if_fail (run_dir != NULL && name != NULL, NULL);

  /* What a crash left half-written, and a checkpoint of the same name
   * from before a resume, which this one replaces. */
  _wh_file_remove_tree (partial);
  if (g_mkdir_with_parents (partial, 0755) != 0)
    {
      write_error (error, final);
      return NULL;
    }
  if (!(adapter != NULL ? wh_adapter_save (adapter, partial, base_model, error)
                        : wh_train_step_save_model (step, partial, WH_CL_DTYPE_F32, error)) ||
      !wh_train_step_save_state (step, optimizer, error) ||
      !write_state (partial, state, error))
    return NULL;
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    _wh_file_remove_tree (final);
  if (g_rename (partial, final) != 0)
    {
      write_error (error, final);
      return NULL;
    }
  sync_dir (parent);
  return g_steal_pointer (&final);
}

gboolean
wh_train_checkpoint_read_state (const char    *checkpoint,
                                WhTrainState  *s,
                                GError       **error)
{
  g_autofree char *path = g_build_filename (checkpoint, STATE_FILE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (o = json_node_get_object (json_parser_get_root (parser)), "step") ||
      !json_object_has_member (o, "epoch") || !json_object_has_member (o, "next_example"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The checkpoint state “%s” is damaged; resume from an earlier checkpoint"), path);
      return FALSE;
    }
  s->step = json_object_get_int_member (o, "step");
  s->epoch = MAX (1, json_object_get_int_member (o, "epoch"));
  s->next_example = json_object_get_int_member (o, "next_example");
  s->tokens = json_object_get_int_member_with_default (o, "tokens", 0);
  s->elapsed = json_object_get_double_member_with_default (o, "elapsed_seconds", 0);
  return TRUE;
}

char *
wh_train_checkpoint_find_latest (const char    *run_dir,
                                 WhTrainState  *state,
                                 GError       **error)
{
  g_autofree char *parent = g_build_filename (run_dir, "checkpoints", NULL);
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  g_autofree char *best = NULL;
  WhTrainState best_state = { 0 };
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;
      WhTrainState s;

      if (name[0] == '.')
        continue;
      path = g_build_filename (parent, name, NULL);
      if (!wh_train_checkpoint_read_state (path, &s, &local_error))
        {
          g_warning ("Skipping checkpoint %s: %s", path, local_error->message);
          continue;
        }
      if (best == NULL || s.step > best_state.step)
        {
          g_free (best);
          best = g_steal_pointer (&path);
          best_state = s;
        }
    }
  if (best != NULL && state != NULL)
    *state = best_state;
  return g_steal_pointer (&best);
}

gboolean
wh_train_metrics_truncate (const char  *path,
                           guint        step,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  char *line, *next;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (line = contents; (next = strchr (line, '\n')) != NULL; line = next + 1)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      *next = '\0';
      if (!json_parser_load_from_data (parser, line, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)) ||
          json_object_get_int_member_with_default (json_node_get_object (root), "step", G_MAXINT64) > step)
        break;
      g_string_append (kept, line);
      g_string_append_c (kept, '\n');
    }
  return g_file_set_contents_full (path, kept->str, kept->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
