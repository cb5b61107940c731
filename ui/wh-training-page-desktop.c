/* wh-training-page-desktop.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-training-page-private.h"

/* What the Training step asks of the desktop: that the computer stays
 * awake while the run is active (through the window's application), a
 * notification when the run ends with the window in the background, and
 * a folder opened in the file manager. */

static GtkApplication *
get_application (WhTrainingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
}

void
_wh_training_page_update_inhibit (WhTrainingPage *self)
{
  GtkApplication *app = get_application (self);
  gboolean want = app != NULL && _wh_training_page_is_active (_wh_training_page_get_state (self));

  if (self->inhibit_cookie != 0 && (!want || app != self->inhibit_app))
    {
      gtk_application_uninhibit (self->inhibit_app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
      g_clear_object (&self->inhibit_app);
    }
  if (want && self->inhibit_cookie == 0)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      self->inhibit_cookie = gtk_application_inhibit (app, GTK_WINDOW (root),
                                                      GTK_APPLICATION_INHIBIT_SUSPEND,
                                                      _("Training a model"));
      if (self->inhibit_cookie != 0)
        self->inhibit_app = g_object_ref (app);
    }
}

void
wh_training_page_notify_if_unfocused (WhTrainingPage *self)
{
  g_autoptr(GNotification) notification = NULL;
  GtkRoot *root;
  GApplication *app;
  WhTrainerState state;

  g_return_if_fail (WH_IS_TRAINING_PAGE (self));

  state = _wh_training_page_get_state (self);
  if (state != WH_TRAINER_STATE_FINISHED && state != WH_TRAINER_STATE_FAILED)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root)))
    return;

  app = G_APPLICATION (get_application (self));
  if (app == NULL)
    app = g_application_get_default ();
  /* Notifications go over D-Bus; without a session bus there is no one
   * to tell (and GLib would complain). */
  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_dbus_connection (app) == NULL)
    return;

  if (state == WH_TRAINER_STATE_FINISHED)
    {
      notification = g_notification_new (_("Training finished"));
      g_notification_set_body (notification, _("The fine-tuned model is ready to try"));
    }
  else
    {
      const GError *error = wh_trainer_get_error (self->trainer);

      notification = g_notification_new (_("Training failed"));
      g_notification_set_body (notification, error != NULL ? error->message : NULL);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
    }
  g_application_send_notification (app, "training", notification);
}

void
_wh_training_page_withdraw_notification (WhTrainingPage *self)
{
  GApplication *app = G_APPLICATION (get_application (self));

  if (app != NULL && g_application_get_is_registered (app) && g_application_get_dbus_connection (app) != NULL)
    g_application_withdraw_notification (app, "training");
}

typedef struct
{
  GWeakRef page;
} LaunchData;

static void
launch_data_free (LaunchData *data)
{
  g_weak_ref_clear (&data->page);
  g_free (data);
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LaunchData *data = user_data;
  g_autoptr(WhTrainingPage) self = g_weak_ref_get (&data->page);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && self != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      _wh_training_page_toast (self, message);
    }
  launch_data_free (data);
}

void
_wh_training_page_open_folder (WhTrainingPage *self,
                               const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  LaunchData *data = g_new0 (LaunchData, 1);

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_weak_ref_init (&data->page, self);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, launch_cb, data);
}
