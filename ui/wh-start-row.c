/* wh-start-row.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "wh-start-page-private.h"
#include "wh-start-row.h"

/* One run's row of the Start screen, in words: its name, model, state,
 * loss and when it last changed, and the buttons and menu that act on
 * it through the page's start-page.* actions. */

/* Words */

char *
_wh_start_page_format_date (GDateTime *when,
                            GDateTime *now)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan ago;
  gint64 days;

  g_return_val_if_fail (when != NULL && now != NULL, NULL);

  ago = g_date_time_difference (now, when);
  day = g_date_time_new_local (g_date_time_get_year (when), g_date_time_get_month (when),
                               g_date_time_get_day_of_month (when), 0, 0, 0);
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  /* Calendar days, rounded across a change of summer time. */
  days = (g_date_time_difference (today, day) + G_TIME_SPAN_HOUR * 12) / G_TIME_SPAN_DAY;

  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      guint minutes = ago / G_TIME_SPAN_MINUTE;

      return g_strdup_printf (ngettext ("%u minute ago", "%u minutes ago", minutes), minutes);
    }
  if (days == 0)
    {
      guint hours = ago / G_TIME_SPAN_HOUR;

      return g_strdup_printf (ngettext ("%u hour ago", "%u hours ago", hours), hours);
    }
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    return g_strdup_printf (ngettext ("%u day ago", "%u days ago", (guint) days), (guint) days);

  return g_date_time_format (when, g_date_time_get_year (when) == g_date_time_get_year (now)
                                  /* Translators: a date this year, see g_date_time_format() */
                                  ? _("%-d %B")
                                  /* Translators: a date of another year, see g_date_time_format() */
                                  : _("%-d %B %Y"));
}

const char *
_wh_start_row_get_title (const WhRunInfo *run)
{
  return run->name != NULL && run->name[0] != '\0' ? run->name : run->id;
}

static gboolean
can_resume (const WhRunInfo *run,
            gboolean         active)
{
  return wh_run_info_can_resume (run) && !active;
}

static char *
run_state_text (const WhRunInfo *run,
                gboolean         active)
{
  if (active)
    return g_strdup (_("Training"));

  switch (run->state)
    {
    case WH_RUN_STATE_FINISHED:
      return g_strdup (_("Finished"));

    case WH_RUN_STATE_STOPPED:
      if (run->step == 0)
        return g_strdup (_("Stopped before the first step"));
      return g_strdup_printf (_("Stopped after step %u"), run->step);

    case WH_RUN_STATE_INCOMPLETE:
    default:
      return g_strdup (_("Stopped while preparing"));
    }
}

/* Model · state · loss · when, e.g. “SmolLM2-135M · Finished · loss 1.234 · Yesterday”. */
static char *
run_subtitle (const WhRunInfo *run,
              gboolean         active)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (run->model_name != NULL)
    g_ptr_array_add (parts, g_strdup (run->model_name));
  else if (run->state != WH_RUN_STATE_INCOMPLETE)
    g_ptr_array_add (parts, g_strdup (_("Built-in demo model")));
  g_ptr_array_add (parts, run_state_text (run, active));
  if (!isnan (run->loss))
    /* Translators: the training loss of the last step */
    g_ptr_array_add (parts, g_strdup_printf (_("loss %.3f"), run->loss));
  if (run->modified != NULL)
    g_ptr_array_add (parts, _wh_start_page_format_date (run->modified, now));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between the facts of a run */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

/* Rows */

static const char *
run_icon_name (const WhRunInfo *run,
               gboolean         active)
{
  if (active)
    return "media-playback-start-symbolic";
  switch (run->state)
    {
    case WH_RUN_STATE_FINISHED:
      return "emblem-ok-symbolic";
    case WH_RUN_STATE_STOPPED:
      return "media-playback-pause-symbolic";
    case WH_RUN_STATE_INCOMPLETE:
    default:
      return "dialog-warning-symbolic";
    }
}

/* The item acts on this run: its folder is the target. */
static void
append_item (GMenu      *section,
             const char *label,
             const char *action,
             const char *run_dir)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (run_dir));
  g_menu_append_item (section, item);
}

static GMenuModel *
create_run_menu (const WhRunInfo *run,
                 gboolean         active)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();

  append_item (open, _("_Open"), "start-page.open", run->path);
  if (can_resume (run, active))
    append_item (open, _("_Resume"), "start-page.resume", run->path);
  append_item (open, _("Open _Folder"), "start-page.open-folder", run->path);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));

  if (!active)
    {
      g_autoptr(GMenu) remove = g_menu_new ();

      append_item (remove, _("_Delete…"), "start-page.delete", run->path);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (remove));
    }
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

GtkWidget *
_wh_start_row_new (const WhRunInfo *run,
                   gboolean         active)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *subtitle = run_subtitle (run, active);
  g_autofree char *more_label = NULL;
  g_autoptr(GMenuModel) menu = create_run_menu (run, active);
  GtkWidget *icon;
  GtkWidget *more;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _wh_start_row_get_title (run));
  /* Activated, it opens the run (see row_activated_cb()). */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_set_subtitle (row, subtitle);
  g_object_set_data_full (G_OBJECT (row), WH_START_ROW_RUN_DIR_KEY, g_strdup (run->path), g_free);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), run->id);

  /* The state is in the subtitle's words too. */
  icon = gtk_image_new_from_icon_name (run_icon_name (run, active));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, NULL, -1);
  g_object_set (icon, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  adw_action_row_add_prefix (row, icon);

  if (can_resume (run, active))
    {
      GtkWidget *resume = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
      g_autofree char *label = g_strdup_printf (_("Resume “%s”"), _wh_start_row_get_title (run));

      gtk_widget_set_valign (resume, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (resume, _("Resume"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (resume), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (resume), "start-page.resume");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (resume), g_variant_new_string (run->path));
      gtk_widget_add_css_class (resume, "flat");
      adw_action_row_add_suffix (row, resume);
    }

  more = gtk_menu_button_new ();
  more_label = g_strdup_printf (_("More for “%s”"), _wh_start_row_get_title (run));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), menu);
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (more, _("More"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, more_label, -1);
  gtk_widget_add_css_class (more, "flat");
  adw_action_row_add_suffix (row, more);

  return GTK_WIDGET (row);
}
