/* wh-application.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-ui.h"
#include "wh-window.h"

struct _WhApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (WhApplication, wh_application, ADW_TYPE_APPLICATION)

static WhWindow *
wh_application_find_window (WhApplication *self)
{
  g_assert (WH_IS_APPLICATION (self));

  /* Most recently focused first. */
  for (const GList *iter = gtk_application_get_windows (GTK_APPLICATION (self));
       iter != NULL;
       iter = iter->next)
    {
      if (WH_IS_WINDOW (iter->data))
        return iter->data;
    }

  return NULL;
}

static void
wh_application_about_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  WhApplication *self = user_data;
  AdwAboutWindow *about;

  g_assert (WH_IS_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", wh_application_find_window (self),
                        "modal", TRUE,
                        "destroy-with-parent", TRUE,
                        "application-name", _("Whetstone"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Whetstone authors"),
                        "copyright", _("© 2026 The Whetstone authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/whetstone/whetstone",
                        "issue-url", "https://github.com/whetstone/whetstone/issues",
                        /* Translators: your names, one per line, as you wish them credited */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
wh_application_preferences_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  WhApplication *self = user_data;
  WhWindow *window;

  g_assert (WH_IS_APPLICATION (self));

  if ((window = wh_application_find_window (self)))
    wh_window_present_preferences (window);
}

static void
wh_application_quit_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  WhApplication *self = user_data;
  g_autolist(GtkWindow) windows = NULL;

  g_assert (WH_IS_APPLICATION (self));

  /* Closing rather than destroying lets each window save its size (and,
   * once trainings run, ask before stopping one). The application exits
   * when its last window is gone. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);

  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (iter->data);
}

static const GActionEntry app_actions[] = {
  { "about", wh_application_about_action },
  { "preferences", wh_application_preferences_action },
  { "quit", wh_application_quit_action },
};

static const struct {
  const char *action_name;
  const char *accels[2];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.new-fine-tune", { "<Control>n", NULL } },
};

static void
wh_application_startup (GApplication *app)
{
  WhApplication *self = (WhApplication *)app;

  g_assert (WH_IS_APPLICATION (self));

  /* Before chaining up: GtkApplication loads gtk/help-overlay.ui and
   * AdwApplication style.css from the resource base path at startup. */
  wh_ui_init ();

  G_APPLICATION_CLASS (wh_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action_name,
                                           app_accels[i].accels);
}

static void
wh_application_activate (GApplication *app)
{
  WhApplication *self = (WhApplication *)app;
  WhWindow *window;

  g_assert (WH_IS_APPLICATION (self));

  if (!(window = wh_application_find_window (self)))
    window = wh_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));
}

static void
wh_application_class_init (WhApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = wh_application_startup;
  app_class->activate = wh_application_activate;
}

static void
wh_application_init (WhApplication *self)
{
}

WhApplication *
wh_application_new (void)
{
  return g_object_new (WH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/whetstone/Whetstone",
                       NULL);
}
