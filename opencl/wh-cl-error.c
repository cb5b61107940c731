/* wh-cl-error.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <clblast_c.h>

#include "wh-cl-error.h"

G_DEFINE_QUARK (wh-cl-error-quark, wh_cl_error)

const char *
wh_cl_status_name (cl_int status)
{
  switch (status)
    {
#define S(x) case x: return #x;
    S (CL_SUCCESS)
    S (CL_DEVICE_NOT_FOUND)
    S (CL_DEVICE_NOT_AVAILABLE)
    S (CL_COMPILER_NOT_AVAILABLE)
    S (CL_MEM_OBJECT_ALLOCATION_FAILURE)
    S (CL_OUT_OF_RESOURCES)
    S (CL_OUT_OF_HOST_MEMORY)
    S (CL_PROFILING_INFO_NOT_AVAILABLE)
    S (CL_MEM_COPY_OVERLAP)
    S (CL_IMAGE_FORMAT_MISMATCH)
    S (CL_IMAGE_FORMAT_NOT_SUPPORTED)
    S (CL_BUILD_PROGRAM_FAILURE)
    S (CL_MAP_FAILURE)
    S (CL_MISALIGNED_SUB_BUFFER_OFFSET)
    S (CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    S (CL_COMPILE_PROGRAM_FAILURE)
    S (CL_LINKER_NOT_AVAILABLE)
    S (CL_LINK_PROGRAM_FAILURE)
    S (CL_DEVICE_PARTITION_FAILED)
    S (CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
    S (CL_INVALID_VALUE)
    S (CL_INVALID_DEVICE_TYPE)
    S (CL_INVALID_PLATFORM)
    S (CL_INVALID_DEVICE)
    S (CL_INVALID_CONTEXT)
    S (CL_INVALID_QUEUE_PROPERTIES)
    S (CL_INVALID_COMMAND_QUEUE)
    S (CL_INVALID_HOST_PTR)
    S (CL_INVALID_MEM_OBJECT)
    S (CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
    S (CL_INVALID_IMAGE_SIZE)
    S (CL_INVALID_SAMPLER)
    S (CL_INVALID_BINARY)
    S (CL_INVALID_BUILD_OPTIONS)
    S (CL_INVALID_PROGRAM)
    S (CL_INVALID_PROGRAM_EXECUTABLE)
    S (CL_INVALID_KERNEL_NAME)
    S (CL_INVALID_KERNEL_DEFINITION)
    S (CL_INVALID_KERNEL)
    S (CL_INVALID_ARG_INDEX)
    S (CL_INVALID_ARG_VALUE)
    S (CL_INVALID_ARG_SIZE)
    S (CL_INVALID_KERNEL_ARGS)
    S (CL_INVALID_WORK_DIMENSION)
    S (CL_INVALID_WORK_GROUP_SIZE)
    S (CL_INVALID_WORK_ITEM_SIZE)
    S (CL_INVALID_GLOBAL_OFFSET)
    S (CL_INVALID_EVENT_WAIT_LIST)
    S (CL_INVALID_EVENT)
    S (CL_INVALID_OPERATION)
    S (CL_INVALID_GL_OBJECT)
    S (CL_INVALID_BUFFER_SIZE)
    S (CL_INVALID_MIP_LEVEL)
    S (CL_INVALID_GLOBAL_WORK_SIZE)
    S (CL_INVALID_PROPERTY)
    S (CL_INVALID_IMAGE_DESCRIPTOR)
    S (CL_INVALID_COMPILER_OPTIONS)
    S (CL_INVALID_LINKER_OPTIONS)
    S (CL_INVALID_DEVICE_PARTITION_COUNT)
    S (-1001) /* CL_PLATFORM_NOT_FOUND_KHR, from the ICD loader */
#undef S
    default:
      return "unknown OpenCL status";
    }
}

/* What a person can do about a status, in plain words.  The status name
 * stays in the message for bug reports. */
static void
set_status_error (GError     **error,
                  int          status,
                  const char  *status_name,
                  const char  *what)
{
  switch (status)
    {
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
    case CL_INVALID_BUFFER_SIZE:
    case CLBlastInsufficientMemoryTemp:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY,
                   _("%s: the device ran out of memory (%s). "
                     "Try a smaller model, a shorter sequence length or a smaller batch, "
                     "or close other programs that use the graphics card."),
                   what, status_name);
      break;

    case CL_OUT_OF_RESOURCES:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY,
                   _("%s: the device ran out of resources (%s). "
                     "This usually means its memory is full: try a smaller batch or "
                     "sequence length, or close other programs that use the graphics card."),
                   what, status_name);
      break;

    case CL_OUT_OF_HOST_MEMORY:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_HOST_MEMORY,
                   _("%s: the computer ran out of memory (%s). "
                     "Close other programs or use a smaller model."),
                   what, status_name);
      break;

    case CL_DEVICE_NOT_FOUND:
    case CL_DEVICE_NOT_AVAILABLE:
    case -1001:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE,
                   _("%s: no usable OpenCL device (%s). "
                     "Install your graphics card's OpenCL driver, "
                     "or the “pocl-opencl-icd” package to train on the processor."),
                   what, status_name);
      break;

    case CL_COMPILER_NOT_AVAILABLE:
    case CL_BUILD_PROGRAM_FAILURE:
    case CL_COMPILE_PROGRAM_FAILURE:
    case CL_LINK_PROGRAM_FAILURE:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_BUILD_FAILED,
                   _("%s: the OpenCL driver could not compile a kernel (%s). "
                     "Updating the graphics driver may help; please report this with the log."),
                   what, status_name);
      break;

    default:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                   _("%s failed (%s, status %d). "
                     "If it happens again, updating the graphics driver may help; "
                     "please report it with this message."),
                   what, status_name, status);
      break;
    }
}

/**
 * wh_cl_check:
 * @status: what an OpenCL call returned
 * @what: a short description of what was being done, for the message
 *
 * Returns: %TRUE when @status is %CL_SUCCESS, else sets @error.
 */
gboolean
wh_cl_check (cl_int       status,
             const char  *what,
             GError     **error)
{
  if (G_LIKELY (status == CL_SUCCESS))
    return TRUE;

  set_status_error (error, status, wh_cl_status_name (status), what);
  return FALSE;
}

static const char *
clblast_status_name (int status)
{
  switch (status)
    {
#define S(x) case x: return #x;
    S (CLBlastNotImplemented)
    S (CLBlastInvalidMatrixA)
    S (CLBlastInvalidMatrixB)
    S (CLBlastInvalidMatrixC)
    S (CLBlastInvalidVectorX)
    S (CLBlastInvalidVectorY)
    S (CLBlastInvalidDimension)
    S (CLBlastInvalidLeadDimA)
    S (CLBlastInvalidLeadDimB)
    S (CLBlastInvalidLeadDimC)
    S (CLBlastInvalidIncrementX)
    S (CLBlastInvalidIncrementY)
    S (CLBlastInsufficientMemoryA)
    S (CLBlastInsufficientMemoryB)
    S (CLBlastInsufficientMemoryC)
    S (CLBlastInsufficientMemoryX)
    S (CLBlastInsufficientMemoryY)
    S (CLBlastInsufficientMemoryTemp)
    S (CLBlastInvalidBatchCount)
    S (CLBlastInvalidOverrideKernel)
    S (CLBlastMissingOverrideParameter)
    S (CLBlastInvalidLocalMemUsage)
    S (CLBlastNoHalfPrecision)
    S (CLBlastNoDoublePrecision)
    S (CLBlastInvalidVectorScalar)
    S (CLBlastInsufficientMemoryScalar)
    S (CLBlastDatabaseError)
    S (CLBlastUnknownError)
    S (CLBlastUnexpectedError)
#undef S
    default:
      return NULL;
    }
}

/**
 * wh_clblast_check:
 * @status: what a CLBlast call returned; OpenCL statuses pass through it
 * @what: a short description of what was being done, for the message
 *
 * Returns: %TRUE when @status is success, else sets @error.
 */
gboolean
wh_clblast_check (int          status,
                  const char  *what,
                  GError     **error)
{
  const char *name;

  if (G_LIKELY (status == CLBlastSuccess))
    return TRUE;

  name = clblast_status_name (status);
  if (name == NULL)
    return wh_cl_check (status, what, error);

  switch (status)
    {
    case CLBlastInvalidMatrixA:
    case CLBlastInvalidMatrixB:
    case CLBlastInvalidMatrixC:
    case CLBlastInvalidDimension:
    case CLBlastInvalidLeadDimA:
    case CLBlastInvalidLeadDimB:
    case CLBlastInvalidLeadDimC:
    case CLBlastInsufficientMemoryA:
    case CLBlastInsufficientMemoryB:
    case CLBlastInsufficientMemoryC:
    case CLBlastInvalidBatchCount:
    case CLBlastInvalidOverrideKernel:
    case CLBlastMissingOverrideParameter:
    case CLBlastInvalidLocalMemUsage:
      /* These are programming errors on our side, not the user's. */
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   _("%s: invalid matrix arguments (%s). This is a bug in Whetstone; please report it."),
                   what, name);
      return FALSE;

    case CLBlastNoHalfPrecision:
    case CLBlastNoDoublePrecision:
    case CLBlastNotImplemented:
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   _("%s: the device does not support this operation (%s)."),
                   what, name);
      return FALSE;

    default:
      set_status_error (error, status, name, what);
      return FALSE;
    }
}
