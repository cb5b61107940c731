/* wh-ui.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "wh-ui.h"
#include "whetstone-ui-resources.h"

/**
 * wh_ui_init:
 *
 * Registers the templates, shortcuts window and style sheet of the user
 * interface. Call it before the application starts up (GtkApplication and
 * AdwApplication load `gtk/help-overlay.ui` and `style.css` from the
 * resource base path during startup) and before any widget of this library
 * is created. Calling it again does nothing.
 *
 * The resource is compiled with `--manual-register`: a constructor in a
 * static library lives in an object file that nothing references, so the
 * linker would be free to drop it and the templates with it.
 */
void
wh_ui_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      whetstone_ui_register_resource ();
      g_once_init_leave (&initialized, TRUE);
    }
}

/**
 * wh_ui_recent_add:
 * @recent: (nullable): the paths, newest first
 * @path: the path used now
 * @max: how many to keep
 *
 * Returns: (transfer full): @recent with @path moved or added to the front
 */
char **
wh_ui_recent_add (const char * const *recent,
                  const char         *path,
                  guint               max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max > 0, NULL);

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent != NULL && recent[i] != NULL && n < max; i++)
    if (g_strcmp0 (recent[i], path) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }

  return g_strv_builder_end (builder);
}
