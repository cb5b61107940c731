/* wh-test-gui.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-playground-page-private.h"
#include "wh-test-gui.h"

#define CLICK_TIMEOUT_S 60

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
wh_test_iterate_until (WhTestCondition  condition,
                       gpointer         data,
                       guint            timeout_s,
                       const char      *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", timeout_s, what);
  g_source_remove (id);
}

void
wh_test_flush_main_loop (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static GtkWindow *
find_toplevel (GType    type,
               gboolean visible)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && (!visible || gtk_widget_get_visible (GTK_WIDGET (window))))
        return window;
    }
  return NULL;
}

AdwMessageDialog *
wh_test_find_message_dialog (void)
{
  return (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG, FALSE);
}

GtkWindow *
wh_test_find_toplevel (GType type)
{
  return find_toplevel (type, TRUE);
}

static void
clicked_cb (GtkButton *button,
            gboolean  *clicked)
{
  *clicked = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
wh_test_click (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong id = g_signal_connect (button, "clicked", G_CALLBACK (clicked_cb), &clicked);

  g_assert_true (gtk_widget_activate (button));
  wh_test_iterate_until (is_true, &clicked, CLICK_TIMEOUT_S, "the click");
  g_signal_handler_disconnect (button, id);
}

WhDevice *
wh_test_device_new (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;

  devices = wh_cl_enumerate_devices (&error);
  if (devices == NULL || devices->len == 0)
    {
      g_test_message ("no OpenCL device: %s", error != NULL ? error->message : "none found");
      return NULL;
    }
  info = wh_cl_select_device (devices, g_getenv ("WHETSTONE_DEVICE"), &error);
  g_assert_no_error (error);
  return wh_device_new (info);
}

/* The playground */

static gboolean
is_idle (gpointer data)
{
  return !wh_playground_page_get_busy (data);
}

void
wh_test_playground_ask (WhPlaygroundPage *page,
                        const char       *prompt,
                        guint             timeout_s)
{
  GtkTextView *view = _wh_playground_page_get_prompt_view (page);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean handled = FALSE;
  gint64 start = g_get_monotonic_time ();

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), prompt, -1);
  g_assert_true (gtk_widget_is_sensitive (_wh_playground_page_get_send_button (page)));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
    }
  g_assert_true (handled);
  g_assert_true (wh_playground_page_get_busy (page));
  /* The prompt went, and the box is ready for the next one. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (view)), ==, 0);
  wh_test_iterate_until (is_idle, page, timeout_s, "the answers");
  g_test_message ("“%s” answered in %.1f s", prompt, (g_get_monotonic_time () - start) / 1e6);
}

void
wh_test_playground_assert_answered (WhPlaygroundPage *page,
                                    guint             n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    {
      guint n_pieces = 0;
      const char *answer = _wh_playground_page_get_answer (page, i, &n_pieces);

      g_assert_nonnull (answer);
      g_assert_null (_wh_playground_page_get_column_error (page, i));
      g_test_message ("column %u: %u pieces: %s", i, n_pieces, answer);
      g_assert_cmpstr (answer, !=, "");
    }
  g_assert_null (_wh_playground_page_get_answer (page, n_columns, NULL));
}
