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

/* Bumped when the way programs are built changes in a way the key misses. */
#define PROGRAM_CACHE_VERSION "1"

static const char *default_options = "-cl-mad-enable -cl-no-signed-zeros";

static char *
program_cache_path (WhClContext *ctx,
                    const char  *source,
                    const char  *options)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;

  g_checksum_update (sum, (const guchar *) PROGRAM_CACHE_VERSION, -1);
  g_checksum_update (sum, (const guchar *) ctx->cache_key, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) options, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) source, -1);

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
  g_autofree char *path = NULL;
  cl_program program;
  cl_int status = CL_SUCCESS;
  size_t length;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (options == NULL)
    options = default_options;

  path = program_cache_path (ctx, source, options);
  if ((program = load_cached_binary (ctx, path, options)))
    {
      ctx->n_cache_hits++;
      return program;
    }

  length = strlen (source);
  program = clCreateProgramWithSource (ctx->context, 1, &source, &length, &status);
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
 * wh_cl_context_get_program:
 * @program_name: a file of opencl/kernels/, without ".cl"
 *
 * Returns: (transfer none): the program, built once per context
 */
cl_program
wh_cl_context_get_program (WhClContext  *ctx,
                           const char   *program_name,
                           GError      **error)
{
  g_autofree char *resource_path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) local_error = NULL;
  cl_program program;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (program_name != NULL, NULL);

  if ((program = g_hash_table_lookup (ctx->programs, program_name)))
    return program;

  resource_path = g_strconcat (KERNELS_RESOURCE_PATH, program_name, ".cl", NULL);
  bytes = g_resource_lookup_data (wh_cl_get_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                   _("Kernel program “%s” is missing from this build of Whetstone (%s). "
                     "Please reinstall Whetstone."),
                   program_name, local_error->message);
      return NULL;
    }

  source = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!(program = wh_cl_context_build_program (ctx, program_name, source, NULL, error)))
    return NULL;

  g_hash_table_insert (ctx->programs, g_strdup (program_name), program);
  return program;
}
