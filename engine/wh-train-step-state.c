/* wh-train-step-state.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-safetensors.h"
#include "wh-safetensors-writer.h"
#include "wh-train-step-private.h"

/* The optimizer's state for an exact resume: for every trained tensor
 * NAME, "NAME.exp_avg" and "NAME.exp_avg_sq" (torch's names for AdamW's
 * moments), f32, in the trained tensor's shape.  Nothing else is needed:
 * the step count goes with the trainer's state, and the weights are the
 * adapter's or the saved model's. */

#define STATE_FORMAT "whetstone-adamw"

static const char *const moment_names[] = { "exp_avg", "exp_avg_sq" };

static WhClBuffer *
moment (WhTrainParam *p,
        guint         which)
{
  return which == 0 ? p->m : p->v;
}

gboolean
wh_train_step_save_state (WhTrainStep  *ts,
                          const char   *path,
                          GError      **error)
{
  g_autoptr(WhSafetensorsWriter) writer = wh_safetensors_writer_new ();

  g_return_val_if_fail (ts != NULL && path != NULL, FALSE);

  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);
      g_autofree float *data = g_new (float, p->n);

      for (guint k = 0; k < G_N_ELEMENTS (moment_names); k++)
        {
          g_autofree char *name = g_strconcat (p->name, ".", moment_names[k], NULL);

          if (!wh_cl_buffer_read (moment (p, k), 0, data, p->n * sizeof (float), error))
            return FALSE;
          wh_safetensors_writer_add_f32 (writer, name, p->shape, p->n_dims, data);
        }
    }
  wh_safetensors_writer_set_metadata (writer, "format", STATE_FORMAT);
  wh_safetensors_writer_set_metadata (writer, "method", ts->adapter != NULL ? "lora" : "full");
  return wh_safetensors_writer_save (writer, path, error);
}

gboolean
wh_train_step_load_state (WhTrainStep  *ts,
                          const char   *path,
                          GError      **error)
{
  g_autoptr(WhSafetensors) st = NULL;
  g_autofree char *display = NULL;
  const char *format, *method;

  g_return_val_if_fail (ts != NULL && path != NULL, FALSE);

  if (!(st = wh_safetensors_open (path, error)))
    return FALSE;
  display = g_filename_display_name (path);
  format = wh_safetensors_get_metadata (st, "format");
  method = wh_safetensors_get_metadata (st, "method");
  if (g_strcmp0 (format, STATE_FORMAT) != 0)
    {
      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_FORMAT,
                   _("“%s” is not a Whetstone optimizer state; resume from a checkpoint folder Whetstone wrote"),
                   display);
      return FALSE;
    }
  if (g_strcmp0 (method, ts->adapter != NULL ? "lora" : "full") != 0 ||
      wh_safetensors_get_n_tensors (st) != 2 * ts->params->len)
    {
      g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_FORMAT,
                   _("The optimizer state “%s” belongs to another run (%s fine-tuning of %" G_GSIZE_FORMAT
                     " tensors; this run trains %u with %s); resume the run it came from"),
                   display, method != NULL ? method : "unknown", wh_safetensors_get_n_tensors (st) / 2,
                   ts->params->len, ts->adapter != NULL ? "LoRA" : "full fine-tuning");
      return FALSE;
    }

  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);

      for (guint k = 0; k < G_N_ELEMENTS (moment_names); k++)
        {
          g_autofree char *name = g_strconcat (p->name, ".", moment_names[k], NULL);
          const WhSafetensorsTensor *t = wh_safetensors_require (st, name, p->n_dims, p->shape, error);

          if (t == NULL)
            return FALSE;
          if (t->dtype != WH_CL_DTYPE_F32)
            {
              g_set_error (error, WH_SAFETENSORS_ERROR, WH_SAFETENSORS_ERROR_DTYPE,
                           _("The tensor “%s” in “%s” is %s; optimizer state must be F32"),
                           name, display, t->dtype_name);
              return FALSE;
            }
          if (!wh_cl_buffer_write (moment (p, k), 0, t->data, p->n * sizeof (float), error))
            return FALSE;
        }
    }
  return wh_cl_context_finish (ts->ctx, error);
}
