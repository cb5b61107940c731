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
