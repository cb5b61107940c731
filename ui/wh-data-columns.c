/* wh-data-columns.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-data-columns.h"

/* The Data step's column mapping: one role per column of a CSV/TSV file. */

struct _WhDataColumns
{
  AdwPreferencesGroup  parent_instance;

  char               **names;
  GPtrArray           *rows;      /* AdwComboRow, one per name */
  gboolean             updating;  /* the rows are being set, not chosen */
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (WhDataColumns, wh_data_columns, ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static const struct {
  const char *role;    /* as wh_dataset_import() spells it */
  const char *label;
} role_items[] = {
  { "user",      N_("User message") },
  { "assistant", N_("Assistant answer") },
  { "system",    N_("System prompt") },
  { "chosen",    N_("Preferred answer") },
  { "rejected",  N_("Rejected answer") },
  { "ignore",    N_("Ignore") },
};

static const char *
role_of_mapping (const char *mapping,
                 char      **name)
{
  const char *eq = strrchr (mapping, '=');

  if (eq == NULL)
    {
      *name = g_strdup (mapping);
      return "ignore";
    }
  *name = g_strndup (mapping, eq - mapping);
  return eq + 1;
}

char **
wh_data_columns_split_mapping (const char * const  *mapping,
                               char              ***roles)
{
  guint n;
  char **names;

  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (roles != NULL, NULL);

  n = g_strv_length ((char **) mapping);
  names = g_new0 (char *, n + 1);
  *roles = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    (*roles)[i] = g_strdup (role_of_mapping (mapping[i], &names[i]));
  return names;
}

char **
wh_data_columns_roles_for (const char * const *names,
                           const char * const *mapping)
{
  char **roles;

  g_return_val_if_fail (names != NULL, NULL);

  roles = g_new0 (char *, g_strv_length ((char **) names) + 1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *role = "ignore";

      for (guint j = 0; mapping != NULL && mapping[j] != NULL; j++)
        {
          g_autofree char *name = NULL;
          const char *mapped = role_of_mapping (mapping[j], &name);

          if (g_str_equal (name, names[i]))
            role = mapped;
        }
      roles[i] = g_strdup (role);
    }
  return roles;
}

static void
row_selected_cb (WhDataColumns *self,
                 GParamSpec    *pspec,
                 AdwComboRow   *row)
{
  g_assert (WH_IS_DATA_COLUMNS (self));

  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

char **
wh_data_columns_dup_mapping (WhDataColumns *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (WH_IS_DATA_COLUMNS (self), NULL);

  for (guint i = 0; i < self->rows->len && self->names != NULL && self->names[i] != NULL; i++)
    {
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->rows, i));
      g_autofree char *mapping = NULL;

      selected = MIN (selected, G_N_ELEMENTS (role_items) - 1);
      mapping = g_strdup_printf ("%s=%s", self->names[i], role_items[selected].role);
      g_strv_builder_add (builder, mapping);
    }

  return g_strv_builder_end (builder);
}

void
wh_data_columns_set_columns (WhDataColumns      *self,
                             const char * const *names,
                             const char * const *roles)
{
  gboolean same;

  g_return_if_fail (WH_IS_DATA_COLUMNS (self));

  gtk_widget_set_visible (GTK_WIDGET (self), names != NULL);
  if (names == NULL)
    return;

  same = self->rows->len == g_strv_length ((char **) names);
  for (guint i = 0; same && i < self->rows->len; i++)
    same = g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (self->rows, i)), names[i]) == 0;

  if (!same)
    {
      for (guint i = 0; i < self->rows->len; i++)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
      g_ptr_array_set_size (self->rows, 0);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
          AdwComboRow *row;

          for (guint r = 0; r < G_N_ELEMENTS (role_items); r++)
            gtk_string_list_append (model, _(role_items[r].label));

          row = g_object_new (ADW_TYPE_COMBO_ROW,
                              "title", names[i],
                              "use-markup", FALSE,
                              "model", model,
                              NULL);
          g_signal_connect_object (row, "notify::selected",
                                   G_CALLBACK (row_selected_cb), self,
                                   G_CONNECT_SWAPPED);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
          g_ptr_array_add (self->rows, row);
        }
    }
  g_strfreev (self->names);
  self->names = g_strdupv ((char **) names);

  self->updating = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      const char *role = roles != NULL && i < g_strv_length ((char **) roles) ? roles[i] : "ignore";
      guint selected = G_N_ELEMENTS (role_items) - 1;

      for (guint r = 0; r < G_N_ELEMENTS (role_items); r++)
        if (g_str_equal (role, role_items[r].role))
          selected = r;
      adw_combo_row_set_selected (g_ptr_array_index (self->rows, i), selected);
    }
  self->updating = FALSE;
}

/* GObject */

static void
wh_data_columns_dispose (GObject *object)
{
  WhDataColumns *self = (WhDataColumns *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_strfreev);

  G_OBJECT_CLASS (wh_data_columns_parent_class)->dispose (object);
}

static void
wh_data_columns_class_init (WhDataColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_data_columns_dispose;

  /**
   * WhDataColumns::changed:
   *
   * The user chose another role for a column: see
   * wh_data_columns_dup_mapping().
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
wh_data_columns_init (WhDataColumns *self)
{
  self->rows = g_ptr_array_new ();
}
