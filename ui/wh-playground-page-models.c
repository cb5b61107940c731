/* wh-playground-page-models.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-page-private.h"
#include "wh-playground-stream.h"
#include "wh-recipe.h"
#include "wh-run-folder.h"

/* The Try It step's models: the run's recipe and checkpoints as its
 * folder holds them, the models chosen to answer in the Models menu, and
 * a column for each. */

gboolean
_wh_playground_page_chat_active (WhPlaygroundPage *self)
{
  return self->chat_mode && (!self->template_known || self->has_template);
}

void
_wh_playground_page_column_free (gpointer data)
{
  /* Columns taken over by _wh_playground_page_update_columns() leave a
   * hole. */
  if (data != NULL)
    g_object_unref (data);
}

static const WhRunCheckpoint *
find_checkpoint (WhPlaygroundPage *self,
                 const char       *name)
{
  for (guint i = 0; self->checkpoints != NULL && i < self->checkpoints->len; i++)
    {
      const WhRunCheckpoint *checkpoint = g_ptr_array_index (self->checkpoints, i);

      if (g_str_equal (checkpoint->name, name))
        return checkpoint;
    }
  return NULL;
}

/* Columns */

WhPlaygroundColumn *
_wh_playground_page_find_column (WhPlaygroundPage *self,
                                 guint             id)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      if (wh_playground_column_get_id (column) == id)
        return column;
    }
  return NULL;
}

void
_wh_playground_page_clear_conversation (WhPlaygroundPage *self)
{
  if (self->n_running > 0)
    _wh_playground_page_cancel_answers (self);
  g_ptr_array_set_size (self->prompts, 0);
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      wh_playground_column_clear (column);
      wh_playground_column_set_status (column, _("Waiting for a prompt"), FALSE, FALSE);
    }
}

void
_wh_playground_page_update_columns (WhPlaygroundPage *self)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->columns);
  gboolean changed = FALSE;
  GtkWidget *child;

  self->columns = g_ptr_array_new_with_free_func (_wh_playground_page_column_free);

  if (self->session != NULL && g_hash_table_contains (self->chosen, ""))
    g_ptr_array_add (wanted, NULL);
  for (guint i = 0; self->session != NULL && i < self->checkpoints->len; i++)
    {
      WhRunCheckpoint *checkpoint = g_ptr_array_index (self->checkpoints, i);

      if (g_hash_table_contains (self->chosen, checkpoint->name))
        g_ptr_array_add (wanted, checkpoint);
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      const WhRunCheckpoint *checkpoint = g_ptr_array_index (wanted, i);
      const char *key = checkpoint != NULL ? checkpoint->name : "";
      WhPlaygroundColumn *column = NULL;

      for (guint j = 0; j < old->len && column == NULL; j++)
        {
          WhPlaygroundColumn *candidate = g_ptr_array_index (old, j);

          if (candidate != NULL && g_str_equal (wh_playground_column_get_key (candidate), key) &&
              g_strcmp0 (wh_playground_column_get_checkpoint (candidate),
                         checkpoint != NULL ? checkpoint->path : NULL) == 0)
            {
              column = candidate;
              old->pdata[j] = NULL;
              changed |= j != i;
            }
        }
      if (column == NULL)
        {
          /* Moved between flow box children as the columns change. */
          column = WH_PLAYGROUND_COLUMN (g_object_ref_sink (wh_playground_column_new (++self->next_column_id, checkpoint)));
          changed = TRUE;
        }
      g_ptr_array_add (self->columns, column);
    }
  for (guint j = 0; j < old->len; j++)
    changed |= g_ptr_array_index (old, j) != NULL;

  if (!changed)
    return;

  /* A conversation goes on with the same models only. */
  if (self->prompts->len > 0 && _wh_playground_page_chat_active (self))
    _wh_playground_page_clear_conversation (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    {
      GtkWidget *content = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (content != NULL)
        gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), NULL);
      gtk_flow_box_remove (self->columns_box, child);
    }
  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);
      GtkWidget *child_box = gtk_flow_box_child_new ();

      /* The keyboard stops at each column, then goes into it. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (child_box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, wh_playground_column_get_title (column),
                                      -1);
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child_box), GTK_WIDGET (column));
      gtk_flow_box_append (self->columns_box, child_box);
    }
  gtk_flow_box_set_max_children_per_line (self->columns_box, MAX (1, self->columns->len));
}

/* Choices */

static void choice_toggled_cb (GtkCheckButton   *button,
                               WhPlaygroundPage *self);

void
_wh_playground_page_update_models_label (WhPlaygroundPage *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      WhPlaygroundColumn *column = g_ptr_array_index (self->columns, i);

      if (i > 0)
        /* Translators: between the names of the models that answer, e.g. “Base model, Epoch 2” */
        g_string_append (summary, _(", "));
      g_string_append (summary, wh_playground_column_get_title (column));
    }
  gtk_label_set_label (self->models_label, summary->len > 0 ? summary->str : _("No model chosen"));
}

/* The default: the base model and the latest checkpoint, or the run's
 * result once there is one. */
static void
choose_default (WhPlaygroundPage *self)
{
  g_hash_table_remove_all (self->chosen);
  g_hash_table_add (self->chosen, g_strdup (""));
  if (self->checkpoints->len > 0)
    {
      WhRunCheckpoint *latest = g_ptr_array_index (self->checkpoints, self->checkpoints->len - 1);

      g_hash_table_add (self->chosen, g_strdup (latest->name));
    }
}

static GtkWidget *
choice_new (WhPlaygroundPage      *self,
            const WhRunCheckpoint *checkpoint)
{
  g_autofree char *title = wh_playground_checkpoint_title (checkpoint);
  GtkWidget *button = gtk_check_button_new_with_label (title);

  g_object_set_data_full (G_OBJECT (button), "wh-choice", g_strdup (checkpoint != NULL ? checkpoint->name : ""),
                          g_free);
  gtk_widget_set_margin_end (button, 6);
  g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), self);
  return button;
}

static void
update_choices (WhPlaygroundPage *self)
{
  GtkWidget *child;

  self->updating_choices = TRUE;
  while ((child = gtk_widget_get_first_child (self->models_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->models_list), child);
  g_ptr_array_set_size (self->choices, 0);

  if (self->session != NULL)
    {
      g_ptr_array_add (self->choices, choice_new (self, NULL));
      for (guint i = 0; i < self->checkpoints->len; i++)
        g_ptr_array_add (self->choices, choice_new (self, g_ptr_array_index (self->checkpoints, i)));
    }
  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choices, i);
      const char *key = g_object_get_data (G_OBJECT (button), "wh-choice");

      gtk_check_button_set_active (GTK_CHECK_BUTTON (button), g_hash_table_contains (self->chosen, key));
      gtk_box_append (GTK_BOX (self->models_list), button);
    }
  self->updating_choices = FALSE;
}

static void
choice_toggled_cb (GtkCheckButton   *button,
                   WhPlaygroundPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "wh-choice");

  if (self->updating_choices)
    return;
  self->choice_touched = TRUE;
  if (gtk_check_button_get_active (button))
    g_hash_table_add (self->chosen, g_strdup (key));
  else
    g_hash_table_remove (self->chosen, key);
  _wh_playground_page_update_all (self);
}

/* Reading the run */

static gboolean
same_checkpoints (GPtrArray *a,
                  GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const WhRunCheckpoint *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      if (!g_str_equal (x->name, y->name) || x->step != y->step)
        return FALSE;
    }
  return TRUE;
}

void
_wh_playground_page_release_session (WhPlaygroundPage *self)
{
  WhTrySession *session = g_steal_pointer (&self->session);

  if (session == NULL)
    return;
  /* Its model lives on the compute thread, and goes there. */
  wh_playground_release_session (self->device, session);
  self->template_known = FALSE;
  self->has_template = FALSE;
}

void
_wh_playground_page_reload (WhPlaygroundPage *self)
{
  g_autoptr(GPtrArray) checkpoints = NULL;
  g_autoptr(GError) error = NULL;
  WhRunCheckpoint *result;
  gboolean new_session = FALSE;

  if (self->run_dir == NULL)
    {
      g_ptr_array_set_size (self->checkpoints, 0);
      update_choices (self);
      _wh_playground_page_update_all (self);
      return;
    }

  /* The run's copy of its recipe, written once training has its model
   * and examples. */
  if (self->session == NULL)
    {
      g_autofree char *path = g_build_filename (self->run_dir, "recipe.json", NULL);
      WhRecipe recipe;

      wh_recipe_init (&recipe);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && wh_recipe_load (&recipe, path, &error))
        {
          /* No system prompt of the recipe's own: the one every example
           * was trained with (a support chatbot's product description). */
          if (recipe.system_prompt == NULL)
            recipe.system_prompt = wh_run_folder_dup_shared_system_prompt (self->run_dir);
          self->session = wh_try_session_new (&recipe);
          new_session = TRUE;
          /* Plain text is continued, never a conversation. */
          if (recipe.dataset_format == WH_DATASET_FORMAT_TEXT)
            {
              self->template_known = TRUE;
              self->has_template = FALSE;
            }
        }
      else if (error != NULL)
        g_debug ("Cannot read the run's recipe yet: %s", error->message);
      wh_recipe_clear (&recipe);
      g_clear_error (&error);
    }

  if (!(checkpoints = wh_run_folder_list_checkpoints (self->run_dir, &error)))
    {
      g_debug ("Cannot list the run's checkpoints: %s", error->message);
      checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_checkpoint_free);
    }
  /* A finished run's adapter (or model) is tried like its checkpoints,
   * after them. */
  if (self->session != NULL &&
      (result = wh_run_folder_find_result (self->run_dir, wh_try_session_get_recipe (self->session)->output_dir)) != NULL)
    g_ptr_array_add (checkpoints, result);

  if (new_session || !same_checkpoints (self->checkpoints, checkpoints))
    {
      g_clear_pointer (&self->checkpoints, g_ptr_array_unref);
      self->checkpoints = g_steal_pointer (&checkpoints);
      /* Follows the latest until someone chooses, or the models are
       * answering. */
      if (!self->choice_touched && self->prompts->len == 0)
        choose_default (self);
      else
        {
          GHashTableIter iter;
          const char *key;

          g_hash_table_iter_init (&iter, self->chosen);
          while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
            if (*key != '\0' && find_checkpoint (self, key) == NULL)
              g_hash_table_iter_remove (&iter);
        }
      update_choices (self);
    }
  _wh_playground_page_update_all (self);
}

/* For the tests */

GtkWidget *
_wh_playground_page_get_choice (WhPlaygroundPage *self,
                                const char       *name)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choices, i);

      if (g_str_equal (g_object_get_data (G_OBJECT (button), "wh-choice"), name != NULL ? name : ""))
        return button;
    }
  return NULL;
}

char **
_wh_playground_page_dup_titles (WhPlaygroundPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->columns->len; i++)
    g_strv_builder_add (builder, wh_playground_column_get_title (g_ptr_array_index (self->columns, i)));
  return g_strv_builder_end (builder);
}

const char *
_wh_playground_page_get_answer (WhPlaygroundPage *self,
                                guint             i,
                                guint            *n_pieces)
{
  if (i >= self->columns->len)
    return NULL;
  return wh_playground_column_get_answer (g_ptr_array_index (self->columns, i), n_pieces);
}

guint
_wh_playground_page_get_n_turns (WhPlaygroundPage *self,
                                 guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_answers (g_ptr_array_index (self->columns, i))->len : 0;
}

const char *
_wh_playground_page_get_column_error (WhPlaygroundPage *self,
                                      guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_error (g_ptr_array_index (self->columns, i)) : NULL;
}

GtkWidget *
_wh_playground_page_get_export_button (WhPlaygroundPage *self,
                                       guint             i)
{
  return i < self->columns->len ? wh_playground_column_get_export_button (g_ptr_array_index (self->columns, i)) : NULL;
}
