/* wh-cl-context.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-gemm-tune.h"

static void
release_program (gpointer data)
{
  clReleaseProgram (data);
}

static void
release_kernel (gpointer data)
{
  clReleaseKernel (data);
}

/**
 * wh_cl_context_new:
 * @device: the device to run on
 *
 * Creates the device's context and queue, and applies the GEMM tuning
 * cached for this device and driver, if there is one.
 *
 * Returns: (transfer full): a new context, or %NULL with @error set
 */
WhClContext *
wh_cl_context_new (const WhClDeviceInfo  *device,
                   GError               **error)
{
  return wh_cl_context_new_full (device, WH_CL_CONTEXT_FLAGS_NONE, error);
}

/**
 * wh_cl_context_new_full:
 * @flags: %WH_CL_CONTEXT_FLAGS_UNTUNED to measure CLBlast's defaults; CLBlast's
 *   parameters are per process, so only before any tuned context exists
 *
 * Returns: (transfer full): a new context, or %NULL with @error set
 */
WhClContext *
wh_cl_context_new_full (const WhClDeviceInfo  *device,
                        WhClContextFlags       flags,
                        GError               **error)
{
  g_autoptr(WhClContext) ctx = NULL;
  cl_context_properties props[] = {
    CL_CONTEXT_PLATFORM, (cl_context_properties) device->platform_id, 0,
  };
  cl_int status = CL_SUCCESS;
  g_autoptr(GError) tuning_error = NULL;

  g_return_val_if_fail (device != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ctx = g_new0 (WhClContext, 1);
  ctx->device = wh_cl_device_info_copy (device);
  ctx->cache_key = wh_cl_device_info_dup_cache_key (device);
  ctx->cache_dir = g_build_filename (g_get_user_cache_dir (), "whetstone", NULL);
  ctx->programs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, release_program);
  ctx->kernels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, release_kernel);

  ctx->context = clCreateContext (props, 1, &device->device_id, NULL, NULL, &status);
  if (!wh_cl_check (status, _("Opening the OpenCL device"), error))
    return NULL;

  ctx->queue = clCreateCommandQueue (ctx->context, device->device_id, 0, &status);
  if (!wh_cl_check (status, _("Opening the OpenCL device’s queue"), error))
    return NULL;

  /* The host's BLAS where it can (see wh-cl-gemm.h); refused elsewhere. */
  if (g_strcmp0 (g_getenv ("WHETSTONE_GEMM"), "clblast") != 0)
    wh_cl_gemm_set_path (ctx, WH_CL_GEMM_PATH_HOST_BLAS, NULL);

  /* A broken cache file must not stop anyone from working: CLBlast's
   * defaults are slower but correct. */
  if (!(flags & WH_CL_CONTEXT_FLAGS_UNTUNED) &&
      !wh_cl_gemm_apply_cached_tuning (ctx, &tuning_error))
    g_warning ("%s", tuning_error->message);

  return g_steal_pointer (&ctx);
}

void
wh_cl_context_free (WhClContext *ctx)
{
  if (ctx == NULL)
    return;

  if (ctx->queue != NULL)
    clFinish (ctx->queue);

  if (ctx->mem_in_use != 0)
    g_critical ("OpenCL context freed with %" G_GUINT64_FORMAT " bytes of buffers still alive",
                ctx->mem_in_use);

  g_clear_pointer (&ctx->kernels, g_hash_table_unref);
  g_clear_pointer (&ctx->programs, g_hash_table_unref);
  g_clear_pointer (&ctx->queue, clReleaseCommandQueue);
  g_clear_pointer (&ctx->context, clReleaseContext);
  g_clear_pointer (&ctx->device, wh_cl_device_info_free);
  g_free (ctx->cache_key);
  g_free (ctx->cache_dir);
  g_free (ctx);
}

const WhClDeviceInfo *
wh_cl_context_get_device (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->device;
}

cl_context
wh_cl_context_get_cl_context (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->context;
}

cl_command_queue
wh_cl_context_get_queue (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->queue;
}

/**
 * wh_cl_context_finish:
 *
 * Waits for every queued command.  Errors of asynchronous work (a kernel
 * that ran out of resources, say) surface here.
 */
gboolean
wh_cl_context_finish (WhClContext  *ctx,
                      GError      **error)
{
  g_return_val_if_fail (ctx != NULL, FALSE);
  return wh_cl_check (clFinish (ctx->queue), _("Running work on the OpenCL device"), error);
}

const char *
wh_cl_context_get_cache_dir (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->cache_dir;
}

const char *
wh_cl_context_get_cache_key (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->cache_key;
}

guint64
wh_cl_context_get_mem_in_use (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->mem_in_use;
}

guint64
wh_cl_context_get_mem_peak (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->mem_peak;
}

void
wh_cl_context_reset_mem_peak (WhClContext *ctx)
{
  g_return_if_fail (ctx != NULL);
  ctx->mem_peak = ctx->mem_in_use;
}

void
_wh_cl_context_account_alloc (WhClContext *ctx,
                              guint64      bytes)
{
  ctx->mem_in_use += bytes;
  ctx->mem_peak = MAX (ctx->mem_peak, ctx->mem_in_use);
}

void
_wh_cl_context_account_free (WhClContext *ctx,
                             guint64      bytes)
{
  g_assert (ctx->mem_in_use >= bytes);
  ctx->mem_in_use -= bytes;
}

guint
wh_cl_context_get_n_compiled (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->n_compiled;
}

guint
wh_cl_context_get_n_cache_hits (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->n_cache_hits;
}

/**
 * wh_cl_context_get_kernel:
 * @program_name: a program shipped in opencl/kernels/, without ".cl"
 * @kernel_name: the kernel's name, `<op>_<variant>_<type>`
 *
 * Returns: (transfer none): the kernel, created once per context
 */
cl_kernel
wh_cl_context_get_kernel (WhClContext  *ctx,
                          const char   *program_name,
                          const char   *kernel_name,
                          GError      **error)
{
  g_autofree char *key = NULL;
  cl_program program;
  cl_kernel kernel;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (program_name != NULL, NULL);
  g_return_val_if_fail (kernel_name != NULL, NULL);

  key = g_strconcat (program_name, ":", kernel_name, NULL);
  if ((kernel = g_hash_table_lookup (ctx->kernels, key)))
    return kernel;

  if (!(program = wh_cl_context_get_program (ctx, program_name, error)))
    return NULL;

  kernel = clCreateKernel (program, kernel_name, &status);
  if (status != CL_SUCCESS)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                   _("Kernel “%s” of program “%s” could not be created (%s). "
                     "This is a bug in Whetstone; please report it."),
                   kernel_name, program_name, wh_cl_status_name (status));
      return NULL;
    }

  g_hash_table_insert (ctx->kernels, g_steal_pointer (&key), kernel);
  return kernel;
}
