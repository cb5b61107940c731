/* wh-cl-program.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Kernel programs: sources shipped as a GResource, compiled once per device
 * and driver, with the binaries kept under $XDG_CACHE_HOME/whetstone/programs/
 * so that a second start compiles nothing.  Some drivers (PoCL among them)
 * take seconds per program. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-resources.h"

#define KERNELS_RESOURCE_PATH "/io/github/whetstone/Whetstone/kernels/"

/* The prelude of every program of kernels/: helpers they share. */
#define PRELUDE_NAME "common"

/* Bumped when the way programs are built changes in a way the key misses. */
#define PROGRAM_CACHE_VERSION "1"

static const char *default_options = "-cl-mad-enable -cl-no-signed-zeros";

/* The key covers every part of the source, each with its length so that
 * no two splits of the same text share a key. */
static char *
program_cache_path (WhClContext        *ctx,
                    const char * const *sources,
                    const size_t       *lengths,
                    guint               n_sources,
                    const char         *options)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;

  g_checksum_update (sum, (const guchar *) PROGRAM_CACHE_VERSION, -1);
  g_checksum_update (sum, (const guchar *) ctx->cache_key, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) options, -1);
  for (guint i = 0; i < n_sources; i++)
    {
      char length[32];

      g_snprintf (length, sizeof length, "\n%" G_GSIZE_FORMAT "\n", (gsize) lengths[i]);
      g_checksum_update (sum, (const guchar *) length, -1);
      g_checksum_update (sum, (const guchar *) sources[i], lengths[i]);
    }

  name = g_strconcat (g_checksum_get_string (sum), ".bin", NULL);
  return g_build_filename (ctx->cache_dir, "programs", name, NULL);
}

static char *
dup_build_log (WhClContext *ctx,
               cl_program   program)
{
  size_t size = 0;
  char *log;

  if (clGetProgramBuildInfo (program, ctx->device->device_id, CL_PROGRAM_BUILD_LOG,
                             0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");

  log = g_malloc0 (size + 1);
  if (clGetProgramBuildInfo (program, ctx->device->device_id, CL_PROGRAM_BUILD_LOG,
                             size, log, NULL) != CL_SUCCESS)
    log[0] = '\0';

  return g_strstrip (log);
}

static cl_program
load_cached_binary (WhClContext *ctx,
                    const char  *path,
                    const char  *options)
{
  g_autofree guchar *bytes = NULL;
  gsize length = 0;
  const guchar *binaries[1];
  cl_int binary_status = CL_SUCCESS;
  cl_int status = CL_SUCCESS;
  cl_program program;

  if (!g_file_get_contents (path, (char **) &bytes, &length, NULL) || length == 0)
    return NULL;

  binaries[0] = bytes;
  program = clCreateProgramWithBinary (ctx->context, 1, &ctx->device->device_id, &length,
                                       binaries, &binary_status, &status);
  if (status != CL_SUCCESS || binary_status != CL_SUCCESS)
    {
      if (program != NULL)
        clReleaseProgram (program);
      return NULL;
    }

  if (clBuildProgram (program, 1, &ctx->device->device_id, options, NULL, NULL) != CL_SUCCESS)
    {
      clReleaseProgram (program);
      return NULL;
    }

  return program;
}

static void
store_binary (WhClContext *ctx,
              cl_program   program,
              const char  *path)
{
  g_autofree guchar *bytes = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  size_t size = 0;
  guchar *binaries[1];

  if (clGetProgramInfo (program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS ||
      size == 0)
    return;

  bytes = g_malloc (size);
  binaries[0] = bytes;
  if (clGetProgramInfo (program, CL_PROGRAM_BINARIES, sizeof binaries, binaries, NULL) != CL_SUCCESS)
    return;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, (const char *) bytes, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Not caching program binary at %s: %s", path,
             error ? error->message : g_strerror (errno));
}

/* Builds the concatenation of @sources, or loads its cached binary. */
static cl_program
build_sources (WhClContext   *ctx,
               const char    *label,
               const char   **sources,
               const size_t  *lengths,
               guint          n_sources,
               const char    *options,
               GError       **error)
{
  g_autofree char *path = NULL;
  cl_program program;
  cl_int status = CL_SUCCESS;

  if (options == NULL)
    options = default_options;

  path = program_cache_path (ctx, sources, lengths, n_sources, options);
  if ((program = load_cached_binary (ctx, path, options)))
    {
      ctx->n_cache_hits++;
      return program;
    }

  program = clCreateProgramWithSource (ctx->context, n_sources, sources, lengths, &status);
  if (!wh_cl_check (status, _("Loading a kernel program"), error))
    return NULL;

  status = clBuildProgram (program, 1, &ctx->device->device_id, options, NULL, NULL);
  if (status != CL_SUCCESS)
    {
      g_autofree char *log = dup_build_log (ctx, program);

      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_BUILD_FAILED,
                   _("The OpenCL driver could not compile the kernel program “%s” (%s). "
                     "Updating the graphics driver may help; please report this with the "
                     "compiler’s log:\n%s"),
                   label, wh_cl_status_name (status), log);
      clReleaseProgram (program);
      return NULL;
    }

  ctx->n_compiled++;
  store_binary (ctx, program, path);

  return program;
}

/**
 * wh_cl_context_build_program:
 * @label: a name for messages, such as "elementwise"
 * @source: OpenCL C source
 * @options: (nullable): build options; %NULL for Whetstone's defaults
 *
 * Builds @source for the context's device, or loads the binary cached by an
 * earlier build of the same source, options, device and driver.  A
 * compilation error carries the compiler's log.
 *
 * Returns: (transfer full): the built program
 */
cl_program
wh_cl_context_build_program (WhClContext  *ctx,
                             const char   *label,
                             const char   *source,
                             const char   *options,
                             GError      **error)
{
  size_t length;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  length = strlen (source);
  return build_sources (ctx, label, &source, &length, 1, options, error);
}

/* The source of kernels/@program_name.cl, as shipped in the resources. */
static GBytes *
lookup_source (const char  *program_name,
               GError     **error)
{
  g_autofree char *resource_path = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  resource_path = g_strconcat (KERNELS_RESOURCE_PATH, program_name, ".cl", NULL);
  bytes = g_resource_lookup_data (wh_cl_get_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                 _("Kernel program “%s” is missing from this build of Whetstone (%s). "
                   "Please reinstall Whetstone."),
                 program_name, local_error->message);

  return bytes;
}

/**
 * wh_cl_context_get_program:
 * @program_name: a file of opencl/kernels/, without ".cl"
 *
 * Builds the file after kernels/common.cl, the helpers every program
 * shares.
 *
 * Returns: (transfer none): the program, built once per context
 */
cl_program
wh_cl_context_get_program (WhClContext  *ctx,
                           const char   *program_name,
                           GError      **error)
{
  g_autoptr(GBytes) prelude = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *line = NULL;
  const char *sources[3];
  size_t lengths[3];
  gsize prelude_length, length;
  cl_program program;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (program_name != NULL, NULL);

  if ((program = g_hash_table_lookup (ctx->programs, program_name)))
    return program;

  if (!(prelude = lookup_source (PRELUDE_NAME, error)) ||
      !(bytes = lookup_source (program_name, error)))
    return NULL;

  /* common.cl, then the program's file, whose lines the compiler's log
   * numbers as the file does. */
  line = g_strdup_printf ("#line 1 \"%s.cl\"\n", program_name);
  sources[0] = g_bytes_get_data (prelude, &prelude_length);
  lengths[0] = prelude_length;
  sources[1] = line;
  lengths[1] = strlen (line);
  sources[2] = g_bytes_get_data (bytes, &length);
  lengths[2] = length;
  if (!(program = build_sources (ctx, program_name, sources, lengths, G_N_ELEMENTS (sources),
                                 NULL, error)))
    return NULL;

  g_hash_table_insert (ctx->programs, g_strdup (program_name), program);
  return program;
}
