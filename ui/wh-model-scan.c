/* wh-model-scan.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wh-model-scan.h"
#include "wh-preset.h"

/* Deeper than any model folder nests its files; stops symlink loops. */
#define MAX_DEPTH 4

WhModelCandidate *
wh_model_candidate_copy (const WhModelCandidate *candidate)
{
  WhModelCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_new0 (WhModelCandidate, 1);
  copy->source = candidate->source;
  copy->name = g_strdup (candidate->name);
  copy->path = g_strdup (candidate->path);
  copy->size = candidate->size;

  return copy;
}

void
wh_model_candidate_free (WhModelCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->name);
  g_free (candidate->path);
  g_free (candidate);
}

static guint64
path_size (const char *path,
           guint       depth)
{
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  const char *name;
  guint64 size = 0;

  /* g_stat() follows links: the Hugging Face cache's snapshots are links
   * into its blobs, and what counts is the blobs' size. */
  if (g_stat (path, &st) != 0)
    return 0;
  if (!S_ISDIR (st.st_mode))
    return S_ISREG (st.st_mode) ? (guint64) st.st_size : 0;
  if (depth >= MAX_DEPTH || !(dir = g_dir_open (path, 0, NULL)))
    return 0;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      size += path_size (child, depth + 1);
    }

  return size;
}

WhModelCandidate *
wh_model_candidate_new_for_path (WhModelSource  source,
                                 const char    *path)
{
  WhModelCandidate *candidate;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);

  candidate = g_new0 (WhModelCandidate, 1);
  candidate->source = source;
  candidate->name = g_filename_display_name (basename);
  candidate->path = g_strdup (path);
  candidate->size = path_size (path, 0);

  return candidate;
}

char *
wh_model_scan_dup_demo_dir (void)
{
  g_autofree char *path = wh_demo_model_dup_dir ();

  /* $WHETSTONE_DEMO_MODEL set empty turns the demo off. */
  if (path == NULL || path[0] == '\0' || !g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return g_steal_pointer (&path);
}

char *
wh_model_scan_dup_hf_hub_dir (void)
{
  const char *hub = g_getenv ("HF_HUB_CACHE");
  const char *home = g_getenv ("HF_HOME");
  const char *cache = g_getenv ("XDG_CACHE_HOME");

  if (hub != NULL && hub[0] != '\0')
    return g_strdup (hub);
  if (home != NULL && home[0] != '\0')
    return g_build_filename (home, "hub", NULL);
  /* Not g_get_user_cache_dir(): inside Flatpak that is the sandbox's
   * cache, not the one the Hugging Face tools write to. */
  if (cache != NULL && cache[0] != '\0')
    return g_build_filename (cache, "huggingface", "hub", NULL);
  return g_build_filename (g_get_home_dir (), ".cache", "huggingface", "hub", NULL);
}

char *
wh_model_scan_dup_ollama_dir (void)
{
  const char *models = g_getenv ("OLLAMA_MODELS");

  if (models != NULL && models[0] != '\0')
    return g_strdup (models);
  return g_build_filename (g_get_home_dir (), ".ollama", "models", NULL);
}

gboolean
wh_model_scan_is_model_path (const char *path)
{
  g_autofree char *config = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      config = g_build_filename (path, "config.json", NULL);
      return g_file_test (config, G_FILE_TEST_IS_REGULAR);
    }

  /* By its magic rather than its name: Ollama's blobs have none. */
  {
    FILE *file = g_fopen (path, "rb");
    char magic[4];
    gboolean is_gguf;

    if (file == NULL)
      return FALSE;
    is_gguf = fread (magic, 1, sizeof magic, file) == sizeof magic && memcmp (magic, "GGUF", 4) == 0;
    fclose (file);

    return is_gguf;
  }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const WhModelCandidate *ca = *(const WhModelCandidate * const *) a;
  const WhModelCandidate *cb = *(const WhModelCandidate * const *) b;

  if (ca->source != cb->source)
    return (int) ca->source - (int) cb->source;
  return g_utf8_collate (ca->name, cb->name);
}

/* Hugging Face cache: hub/models--org--name/{refs/main,snapshots/<rev>/} */

static char *
hf_snapshot_dir (const char *repo_dir)
{
  g_autofree char *refs_main = g_build_filename (repo_dir, "refs", "main", NULL);
  g_autofree char *snapshots = g_build_filename (repo_dir, "snapshots", NULL);
  g_autofree char *revision = NULL;
  g_autofree char *newest = NULL;
  g_autoptr(GDir) dir = NULL;
  gint64 newest_mtime = G_MININT64;
  const char *name;

  if (g_file_get_contents (refs_main, &revision, NULL, NULL))
    {
      g_autofree char *path = g_build_filename (snapshots, g_strstrip (revision), NULL);

      if (revision[0] != '\0' && strchr (revision, G_DIR_SEPARATOR) == NULL &&
          g_file_test (path, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&path);
    }

  /* Downloaded by revision, or refs/main points at a snapshot since
   * deleted: take the newest snapshot there is. */
  if (!(dir = g_dir_open (snapshots, 0, NULL)))
    return NULL;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (snapshots, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode) && st.st_mtime > newest_mtime)
        {
          newest_mtime = st.st_mtime;
          g_free (newest);
          newest = g_steal_pointer (&path);
        }
    }

  return g_steal_pointer (&newest);
}

static void
scan_hf_repo (GPtrArray  *candidates,
              const char *repo_dir,
              const char *repo_name)
{
  g_autofree char *snapshot = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GPtrArray) ggufs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  gboolean has_safetensors = FALSE;
  const char *name;

  if (!(snapshot = hf_snapshot_dir (repo_dir)) || !(dir = g_dir_open (snapshot, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)))
    {
      if (g_str_has_suffix (name, ".safetensors"))
        has_safetensors = TRUE;
      else if (g_str_has_suffix (name, ".gguf"))
        g_ptr_array_add (ggufs, g_strdup (name));
    }

  config = g_build_filename (snapshot, "config.json", NULL);

  /* Whetstone reads Hugging Face folders in safetensors only; a GGUF
   * repository offers each of its files. */
  if (has_safetensors && g_file_test (config, G_FILE_TEST_IS_REGULAR))
    {
      WhModelCandidate *candidate = wh_model_candidate_new_for_path (WH_MODEL_SOURCE_HUGGING_FACE, snapshot);

      g_free (candidate->name);
      candidate->name = g_strdup (repo_name);
      g_ptr_array_add (candidates, candidate);
    }

  for (guint i = 0; i < ggufs->len; i++)
    {
      g_autofree char *path = g_build_filename (snapshot, g_ptr_array_index (ggufs, i), NULL);
      g_autofree char *display = g_filename_display_name (g_ptr_array_index (ggufs, i));
      WhModelCandidate *candidate = wh_model_candidate_new_for_path (WH_MODEL_SOURCE_HUGGING_FACE, path);

      g_free (candidate->name);
      /* Translators: a model in the Hugging Face cache and one of its files, e.g. “org/model (model-q8_0.gguf)” */
      candidate->name = g_strdup_printf (_("%s (%s)"), repo_name, display);
      g_ptr_array_add (candidates, candidate);
    }
}

static void
scan_hf (GPtrArray    *candidates,
         GCancellable *cancellable)
{
  g_autofree char *hub = wh_model_scan_dup_hf_hub_dir ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!(dir = g_dir_open (hub, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)) && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *repo_dir = NULL;
      g_autofree char *repo_name = NULL;
      g_autofree char *display = NULL;
      char *sep;

      if (!g_str_has_prefix (name, "models--"))
        continue;

      /* models--org--name → org/name; a repository without an
       * organisation is models--name. */
      repo_name = g_strdup (name + strlen ("models--"));
      if ((sep = strstr (repo_name, "--")))
        {
          *sep = '/';
          memmove (sep + 1, sep + 2, strlen (sep + 2) + 1);
        }

      repo_dir = g_build_filename (hub, name, NULL);
      display = g_filename_display_name (repo_name);
      scan_hf_repo (candidates, repo_dir, display);
    }
}

/* Ollama: models/manifests/<host>/<namespace>/<model>/<tag> is a JSON
 * manifest whose model layer is the GGUF file models/blobs/sha256-<hex>. */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
scan_ollama_manifest (GPtrArray  *candidates,
                      const char *models_dir,
                      const char *manifest,
                      const char *host,
                      const char *namespace,
                      const char *model,
                      const char *tag)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *layers;

  if (!json_parser_load_from_mapped_file (parser, manifest, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "layers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "layers")))
    return;

  layers = json_object_get_array_member (root, "layers");

  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *node = json_array_get_element (layers, i);
      g_autofree char *blob_name = NULL;
      g_autofree char *blob = NULL;
      WhModelCandidate *candidate;
      JsonObject *layer;
      const char *digest;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      layer = json_node_get_object (node);
      if (g_strcmp0 (member_string (layer, "mediaType"),
                     "application/vnd.ollama.image.model") != 0 ||
          !(digest = member_string (layer, "digest")) ||
          !g_str_has_prefix (digest, "sha256:") ||
          strchr (digest, G_DIR_SEPARATOR) != NULL)
        continue;

      blob_name = g_strconcat ("sha256-", digest + strlen ("sha256:"), NULL);
      blob = g_build_filename (models_dir, "blobs", blob_name, NULL);
      if (!g_file_test (blob, G_FILE_TEST_IS_REGULAR))
        {
          /* Older versions of Ollama named a blob by its digest as it is. */
          g_free (blob);
          blob = g_build_filename (models_dir, "blobs", digest, NULL);
          if (!g_file_test (blob, G_FILE_TEST_IS_REGULAR))
            continue;
        }

      candidate = wh_model_candidate_new_for_path (WH_MODEL_SOURCE_OLLAMA, blob);
      g_free (candidate->name);
      /* As `ollama list` names them. */
      if (g_str_equal (host, "registry.ollama.ai") && g_str_equal (namespace, "library"))
        candidate->name = g_strdup_printf ("%s:%s", model, tag);
      else if (g_str_equal (host, "registry.ollama.ai"))
        candidate->name = g_strdup_printf ("%s/%s:%s", namespace, model, tag);
      else
        candidate->name = g_strdup_printf ("%s/%s/%s:%s", host, namespace, model, tag);
      g_ptr_array_add (candidates, candidate);
      break;
    }
}

/* Walks manifests/<host>/<namespace>/<model>/<tag>: @names[@level] is the
 * name at @level. */
static void
scan_ollama_level (GPtrArray    *candidates,
                   const char   *models_dir,
                   const char   *dir_path,
                   const char  **names,
                   guint         level,
                   GCancellable *cancellable)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!(dir = g_dir_open (dir_path, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)) && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *display = g_filename_display_name (name);

      names[level] = display;

      if (level < 3)
        {
          if (g_file_test (path, G_FILE_TEST_IS_DIR))
            scan_ollama_level (candidates, models_dir, path, names, level + 1, cancellable);
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        scan_ollama_manifest (candidates, models_dir, path, names[0], names[1], names[2], names[3]);
    }
}

static void
scan_ollama (GPtrArray    *candidates,
             GCancellable *cancellable)
{
  g_autofree char *models_dir = wh_model_scan_dup_ollama_dir ();
  g_autofree char *manifests = g_build_filename (models_dir, "manifests", NULL);
  const char *names[4] = { NULL, };

  scan_ollama_level (candidates, models_dir, manifests, names, 0, cancellable);
}

GPtrArray *
wh_model_scan (GCancellable *cancellable)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_model_candidate_free);
  g_autofree char *demo = NULL;

  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  if ((demo = wh_model_scan_dup_demo_dir ()))
    {
      WhModelCandidate *candidate = wh_model_candidate_new_for_path (WH_MODEL_SOURCE_DEMO, demo);

      g_free (candidate->name);
      candidate->name = g_strdup (_("Demo model (built-in)"));
      g_ptr_array_add (candidates, candidate);
    }

  scan_hf (candidates, cancellable);
  scan_ollama (candidates, cancellable);

  g_ptr_array_sort (candidates, compare_candidates);

  return g_steal_pointer (&candidates);
}

static void
wh_model_scan_worker (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_task_return_pointer (task,
                         wh_model_scan (cancellable),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
wh_model_scan_async (GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_model_scan_async);
  g_task_set_name (task, "[whetstone-model-scan]");
  g_task_run_in_thread (task, wh_model_scan_worker);
}

/**
 * wh_model_scan_finish:
 *
 * Returns: (transfer full): the candidates (#WhModelCandidate), or %NULL
 *   when the scan was cancelled
 */
GPtrArray *
wh_model_scan_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
