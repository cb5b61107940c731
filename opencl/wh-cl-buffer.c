/* wh-cl-buffer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-cl-buffer.h"
#include "wh-cl-context-private.h"
#include "wh-cl-error.h"

/**
 * wh_cl_buffer_new:
 * @size: bytes, at least 1
 *
 * Allocates a zero-filled device buffer.  A request the device cannot hold
 * fails here, with the numbers, before the driver is asked: drivers differ
 * in whether and when they report it.
 *
 * Returns: (transfer full): the buffer, or %NULL with @error set
 */
WhClBuffer *
wh_cl_buffer_new (WhClContext  *ctx,
                  gsize         size,
                  GError      **error)
{
  const WhClDeviceInfo *device;
  g_autofree WhClBuffer *buffer = NULL;
  cl_int status = CL_SUCCESS;
  const float zero = 0.0f;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  device = ctx->device;

  if (device->max_alloc_size > 0 && size > device->max_alloc_size)
    {
      g_autofree char *want = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (device->max_alloc_size, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY,
                   _("%s cannot hold a single block of %s: its largest is %s. "
                     "Try a smaller model or a shorter sequence length."),
                   device->name, want, limit);
      return NULL;
    }

  if (device->global_mem_size > 0 && ctx->mem_in_use + size > device->global_mem_size)
    {
      g_autofree char *want = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *used = g_format_size_full (ctx->mem_in_use, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *total = g_format_size_full (device->global_mem_size, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY,
                   _("%s does not have room for %s more: %s of its %s are in use. "
                     "Try a smaller model, a shorter sequence length or a smaller batch."),
                   device->name, want, used, total);
      return NULL;
    }

  buffer = g_new0 (WhClBuffer, 1);
  buffer->ctx = ctx;
  buffer->size = size;
  buffer->mem = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, size, NULL, &status);
  if (!wh_cl_check (status, _("Allocating device memory"), error))
    return NULL;

  /* Filling touches every page, so that drivers which allocate lazily
   * report a shortage now rather than in the middle of a training step. */
  if (size % sizeof zero == 0)
    status = clEnqueueFillBuffer (ctx->queue, buffer->mem, &zero, sizeof zero, 0, size, 0, NULL, NULL);
  else
    {
      const guint8 byte = 0;
      status = clEnqueueFillBuffer (ctx->queue, buffer->mem, &byte, 1, 0, size, 0, NULL, NULL);
    }

  if (!wh_cl_check (status, _("Allocating device memory"), error))
    {
      clReleaseMemObject (buffer->mem);
      return NULL;
    }

  _wh_cl_context_account_alloc (ctx, size);

  return g_steal_pointer (&buffer);
}

void
wh_cl_buffer_free (WhClBuffer *buffer)
{
  if (buffer == NULL)
    return;

  _wh_cl_context_account_free (buffer->ctx, buffer->size);
  clReleaseMemObject (buffer->mem);
  g_free (buffer);
}

static gboolean
check_range (WhClBuffer  *buffer,
             gsize        offset,
             gsize        size,
             GError     **error)
{
  if (offset > buffer->size || size > buffer->size - offset)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "Access of %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT
                   " is outside a buffer of %" G_GSIZE_FORMAT " bytes",
                   size, offset, buffer->size);
      return FALSE;
    }

  return TRUE;
}

/**
 * wh_cl_buffer_write:
 *
 * Copies @size bytes from host memory into the buffer at @offset, and
 * returns once @data may be reused.
 */
gboolean
wh_cl_buffer_write (WhClBuffer  *buffer,
                    gsize        offset,
                    const void  *data,
                    gsize        size,
                    GError     **error)
{
  g_return_val_if_fail (buffer != NULL, FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (!check_range (buffer, offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;

  return wh_cl_check (clEnqueueWriteBuffer (buffer->ctx->queue, buffer->mem, CL_TRUE,
                                            offset, size, data, 0, NULL, NULL),
                      _("Copying data to the device"), error);
}

/**
 * wh_cl_buffer_read:
 *
 * Copies @size bytes at @offset into host memory, after all queued work.
 */
gboolean
wh_cl_buffer_read (WhClBuffer  *buffer,
                   gsize        offset,
                   void        *data,
                   gsize        size,
                   GError     **error)
{
  g_return_val_if_fail (buffer != NULL, FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (!check_range (buffer, offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;

  return wh_cl_check (clEnqueueReadBuffer (buffer->ctx->queue, buffer->mem, CL_TRUE,
                                           offset, size, data, 0, NULL, NULL),
                      _("Copying data from the device"), error);
}

gboolean
wh_cl_buffer_fill_zero (WhClBuffer  *buffer,
                        GError     **error)
{
  const guint8 zero = 0;

  g_return_val_if_fail (buffer != NULL, FALSE);

  return wh_cl_check (clEnqueueFillBuffer (buffer->ctx->queue, buffer->mem, &zero, 1,
                                           0, buffer->size, 0, NULL, NULL),
                      _("Clearing device memory"), error);
}
