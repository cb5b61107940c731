/* wh-model-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-model-fit.h"
#include "wh-model-page.h"
#include "wh-model-rows.h"
#include "wh-model-scan.h"
#include "wh-recipe.h"

struct _WhModelPage
{
  AdwBin             parent_instance;

  GPtrArray         *candidates;      /* WhModelCandidate, as listed */
  GPtrArray         *opened;          /* WhModelCandidate the user opened or dropped */
  char              *recent;          /* the model used last time, if it is still there */
  char              *model_path;
  WhModelInfo       *info;            /* of model_path, once read */
  WhClDeviceInfo    *device;
  GCancellable      *scan_cancellable;
  GCancellable      *load_cancellable;
  GtkFileChooserNative *chooser;
  guint              scanned : 1;
  guint              ready : 1;

  /* Template widgets */
  GtkSpinner        *scan_spinner;
  GtkWidget         *rescan_button;
  GtkListBox        *model_list;
  AdwActionRow      *open_problem_row;
  AdwPreferencesGroup *details_group;
  GtkStack          *details_stack;
  GtkSpinner        *load_spinner;
  AdwActionRow      *error_row;
  AdwActionRow      *fit_row;
  GtkImage          *fit_icon;
  GtkLabel          *size_label;
  GtkLabel          *architecture_label;
  GtkLabel          *params_label;
  GtkLabel          *context_label;
  GtkLabel          *weights_label;
};

enum {
  PROP_0,
  PROP_MODEL_PATH,
  PROP_READY,
  PROP_SCANNING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (WhModelPage, wh_model_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void wh_model_page_load (WhModelPage *self);

static void
wh_model_page_set_ready (WhModelPage *self,
                         gboolean     ready)
{
  g_assert (WH_IS_MODEL_PAGE (self));

  ready = !!ready;
  if (self->ready == ready)
    return;

  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* Showing a model */

static char *
format_params (guint64 n_params)
{
  if (n_params >= 1000000000)
    /* Translators: a number of parameters, e.g. “1.2 billion” */
    return g_strdup_printf (_("%.1f billion"), n_params / 1e9);
  if (n_params >= 10000000)
    /* Translators: a number of parameters, e.g. “135 million” */
    return g_strdup_printf (_("%.0f million"), n_params / 1e6);
  if (n_params >= 1000000)
    return g_strdup_printf (_("%.1f million"), n_params / 1e6);
  /* Translators: a small number of parameters, e.g. “about 29 thousand” */
  return g_strdup_printf (_("about %.0f thousand"), MAX (n_params / 1e3, 1));
}

/* Whether the model fits the device at the recipe's default length, in
 * plain words. */
static void
wh_model_page_update_fit (WhModelPage *self)
{
  g_auto(WhModelFitWords) words = { 0 };

  g_assert (WH_IS_MODEL_PAGE (self));

  if (self->info == NULL)
    return;

  wh_model_fit_describe_model (self->info, self->device, &words);
  wh_model_fit_set_icon (self->fit_icon, words.icon_name, words.style);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fit_row), words.title);
  adw_action_row_set_subtitle (self->fit_row, words.subtitle);
}

static void
wh_model_page_show_info (WhModelPage *self)
{
  const WhModelInfo *info = self->info;
  g_autofree char *params = NULL;
  g_autofree char *context = NULL;
  g_autofree char *weights = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));
  g_assert (info != NULL);

  params = format_params (info->n_params);
  /* Translators: the longest text a model reads at once, e.g. “8192 tokens” */
  context = g_strdup_printf (ngettext ("%u token", "%u tokens", info->config.max_position_embeddings),
                             info->config.max_position_embeddings);
  /* Translators: storage types and file format, e.g. “bf16 (safetensors)” */
  weights = g_strdup_printf (_("%s (%s)"), info->dtypes, info->format);

  gtk_label_set_label (self->architecture_label, info->config.architecture);
  gtk_label_set_label (self->params_label, params);
  gtk_label_set_label (self->context_label, context);
  gtk_label_set_label (self->weights_label, weights);

  wh_model_page_update_fit (self);
  gtk_stack_set_visible_child_name (self->details_stack, "info");
}

/* Reading the chosen model's metadata, off the main thread */

static void
wh_model_page_load_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  WhModelPage *self = user_data;
  g_autoptr(GError) error = NULL;
  WhModelInfo *info = wh_model_info_load_finish (result, &error);

  /* Cancelled when another model was chosen or the page went away: the
   * page may be gone, so leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert (WH_IS_MODEL_PAGE (self));

  g_clear_object (&self->load_cancellable);
  gtk_spinner_stop (self->load_spinner);

  if (info == NULL)
    {
      adw_action_row_set_subtitle (self->error_row, error->message);
      gtk_stack_set_visible_child_name (self->details_stack, "error");
      wh_model_page_set_ready (self, FALSE);
      return;
    }

  g_clear_pointer (&self->info, wh_model_info_free);
  self->info = g_steal_pointer (&info);
  wh_model_page_show_info (self);
  wh_model_page_set_ready (self, TRUE);
}

static void
wh_model_page_load (WhModelPage *self)
{
  const WhModelCandidate *candidate;
  g_autofree char *size = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->info, wh_model_info_free);
  wh_model_page_set_ready (self, FALSE);

  if (self->model_path == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->details_group), FALSE);
      return;
    }

  candidate = wh_model_rows_find (self->candidates, self->opened, self->model_path);
  g_assert (candidate != NULL);

  size = g_format_size (candidate->size);
  gtk_label_set_label (self->size_label, size);
  adw_preferences_group_set_title (self->details_group, candidate->name);
  gtk_widget_set_visible (GTK_WIDGET (self->details_group), TRUE);
  gtk_stack_set_visible_child_name (self->details_stack, "loading");
  gtk_spinner_start (self->load_spinner);

  self->load_cancellable = g_cancellable_new ();

  /* The task keeps nothing alive: its callback is told of a page gone by
   * the cancellation. */
  wh_model_info_load_async (self->model_path, self->load_cancellable, wh_model_page_load_cb, self);
}

/* The list */

static void
row_check_toggled_cb (WhModelPage    *self,
                      GtkCheckButton *check)
{
  const char *path;

  g_assert (WH_IS_MODEL_PAGE (self));
  g_assert (GTK_IS_CHECK_BUTTON (check));

  if (!gtk_check_button_get_active (check))
    return;

  path = wh_model_rows_get_path (GTK_WIDGET (check));
  if (g_strcmp0 (path, self->model_path) == 0)
    return;

  g_free (self->model_path);
  self->model_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PATH]);

  wh_model_page_load (self);
}

/* Lists the scanned models and those the user opened. */
static void
wh_model_page_rebuild (WhModelPage *self)
{
  g_assert (WH_IS_MODEL_PAGE (self));

  wh_model_rows_fill (self->model_list, self->candidates, self->opened, self->model_path,
                      G_CALLBACK (row_check_toggled_cb), self);
}

static void
wh_model_page_scan_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  WhModelPage *self = user_data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;

  /* Fails only when cancelled, by dispose among others. */
  if (!(candidates = wh_model_scan_finish (result, &error)))
    return;

  g_assert (WH_IS_MODEL_PAGE (self));

  g_clear_object (&self->scan_cancellable);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  self->candidates = g_steal_pointer (&candidates);

  /* The model used last time, or else the demo, the safe first choice
   * for someone trying the app. */
  if (self->model_path == NULL && self->recent != NULL)
    {
      self->model_path = g_strdup (self->recent);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PATH]);
      wh_model_page_rebuild (self);
      wh_model_page_load (self);
    }
  else if (self->model_path == NULL && self->candidates->len > 0 &&
           ((WhModelCandidate *) g_ptr_array_index (self->candidates, 0))->source == WH_MODEL_SOURCE_DEMO)
    {
      self->model_path = g_strdup (((WhModelCandidate *) g_ptr_array_index (self->candidates, 0))->path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PATH]);
      wh_model_page_rebuild (self);
      wh_model_page_load (self);
    }
  else
    wh_model_page_rebuild (self);

  gtk_spinner_stop (self->scan_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_spinner), FALSE);
  gtk_widget_set_visible (self->rescan_button, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

/**
 * wh_model_page_rescan:
 * @self: a #WhModelPage
 *
 * Looks for models on this computer again, keeping the chosen one.  The
 * page does this by itself the first time it is shown.
 */
void
wh_model_page_rescan (WhModelPage *self)
{
  gboolean was_scanning;

  g_return_if_fail (WH_IS_MODEL_PAGE (self));

  was_scanning = self->scan_cancellable != NULL;
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);

  self->scanned = TRUE;
  self->scan_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->rescan_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_spinner), TRUE);
  gtk_spinner_start (self->scan_spinner);
  wh_model_scan_async (self->scan_cancellable, wh_model_page_scan_cb, self);

  if (!was_scanning)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

/* Opening and dropping */

static void
wh_model_page_show_open_problem (WhModelPage *self,
                                 GFile       *file)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));

  if (file == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->open_problem_row), FALSE);
      return;
    }

  name = g_file_get_parse_name (file);
  /* Translators: %s is a file or folder name */
  title = g_strdup_printf (_("“%s” is not a model"), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->open_problem_row), title);
  adw_action_row_set_subtitle (self->open_problem_row,
                               _("Choose a folder with a config.json and .safetensors files, as Hugging Face shares them, or a .gguf file."));
  gtk_widget_set_visible (GTK_WIDGET (self->open_problem_row), TRUE);
}

static gboolean
wh_model_page_open_file (WhModelPage *self,
                         GFile       *file)
{
  g_autofree char *path = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));
  g_assert (G_IS_FILE (file));

  if (!(path = g_file_get_path (file)) || !wh_model_scan_is_model_path (path))
    {
      wh_model_page_show_open_problem (self, file);
      return FALSE;
    }

  wh_model_page_show_open_problem (self, NULL);
  wh_model_page_set_model_path (self, path);
  return TRUE;
}

static void
chooser_response_cb (WhModelPage          *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    wh_model_page_open_file (self, file);

  g_clear_object (&self->chooser);
}

static void
wh_model_page_choose (WhModelPage          *self,
                      GtkFileChooserAction  action,
                      const char           *title)
{
  GtkRoot *root;

  g_assert (WH_IS_MODEL_PAGE (self));

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) gguf = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (gguf, _("GGUF models"));
      gtk_file_filter_add_pattern (gguf, "*.gguf");
      gtk_file_filter_add_pattern (gguf, "sha256-*");   /* Ollama's blobs */
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), gguf);

      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
    }

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
wh_model_page_open_folder_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  wh_model_page_choose (WH_MODEL_PAGE (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("Open Model Folder"));
}

static void
wh_model_page_open_file_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  wh_model_page_choose (WH_MODEL_PAGE (widget), GTK_FILE_CHOOSER_ACTION_OPEN, _("Open GGUF File"));
}

static void
wh_model_page_rescan_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  wh_model_page_rescan (WH_MODEL_PAGE (widget));
}

static gboolean
drop_cb (WhModelPage   *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GSList) files = NULL;
  GFile *file = NULL;

  g_assert (WH_IS_MODEL_PAGE (self));

  /* One model at a time: the first of several dropped. */
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      if ((files = gdk_file_list_get_files (g_value_get_boxed (value))))
        file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  return wh_model_page_open_file (self, file);
}

/* GObject */

static void
wh_model_page_map (GtkWidget *widget)
{
  WhModelPage *self = (WhModelPage *)widget;

  GTK_WIDGET_CLASS (wh_model_page_parent_class)->map (widget);

  if (!self->scanned)
    wh_model_page_rescan (self);
}

static void
wh_model_page_dispose (GObject *object)
{
  WhModelPage *self = (WhModelPage *)object;

  g_cancellable_cancel (self->scan_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_MODEL_PAGE);

  G_OBJECT_CLASS (wh_model_page_parent_class)->dispose (object);
}

static void
wh_model_page_finalize (GObject *object)
{
  WhModelPage *self = (WhModelPage *)object;

  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->opened, g_ptr_array_unref);
  g_clear_pointer (&self->recent, g_free);
  g_clear_pointer (&self->model_path, g_free);
  g_clear_pointer (&self->info, wh_model_info_free);
  g_clear_pointer (&self->device, wh_cl_device_info_free);

  G_OBJECT_CLASS (wh_model_page_parent_class)->finalize (object);
}

static void
wh_model_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WhModelPage *self = WH_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODEL_PATH:
      g_value_set_string (value, self->model_path);
      break;

    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    case PROP_SCANNING:
      g_value_set_boolean (value, wh_model_page_get_scanning (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_model_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WhModelPage *self = WH_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODEL_PATH:
      wh_model_page_set_model_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_model_page_class_init (WhModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_model_page_dispose;
  object_class->finalize = wh_model_page_finalize;
  object_class->get_property = wh_model_page_get_property;
  object_class->set_property = wh_model_page_set_property;

  widget_class->map = wh_model_page_map;

  /**
   * WhModelPage:model-path:
   *
   * The chosen model: a folder or a GGUF file.
   */
  properties[PROP_MODEL_PATH] =
    g_param_spec_string ("model-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * WhModelPage:ready:
   *
   * Whether the chosen model was read and can be fine-tuned.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_STATIC_STRINGS));

  /**
   * WhModelPage:scanning:
   *
   * Whether the page is looking for models on this computer.
   */
  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, scan_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, rescan_button);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, model_list);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, open_problem_row);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, details_stack);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, load_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, error_row);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, fit_row);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, fit_icon);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, size_label);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, architecture_label);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, params_label);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, context_label);
  gtk_widget_class_bind_template_child (widget_class, WhModelPage, weights_label);

  gtk_widget_class_install_action (widget_class, "model.rescan", NULL, wh_model_page_rescan_action);
  gtk_widget_class_install_action (widget_class, "model.open-folder", NULL, wh_model_page_open_folder_action);
  gtk_widget_class_install_action (widget_class, "model.open-file", NULL, wh_model_page_open_file_action);
}

static void
wh_model_page_init (WhModelPage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->opened = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_model_candidate_free);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
wh_model_page_new (void)
{
  return g_object_new (WH_TYPE_MODEL_PAGE, NULL);
}

/**
 * wh_model_page_get_model_path:
 * @self: a #WhModelPage
 *
 * Returns: (nullable): the chosen model's folder or GGUF file
 */
const char *
wh_model_page_get_model_path (WhModelPage *self)
{
  g_return_val_if_fail (WH_IS_MODEL_PAGE (self), NULL);

  return self->model_path;
}

/**
 * wh_model_page_set_model_path:
 * @self: a #WhModelPage
 * @model_path: (nullable): a model folder or GGUF file
 *
 * Chooses a model, adding it to the list when it is not there yet, and
 * starts reading it.
 */
void
wh_model_page_set_model_path (WhModelPage *self,
                              const char  *model_path)
{
  g_return_if_fail (WH_IS_MODEL_PAGE (self));
  g_return_if_fail (model_path == NULL || model_path[0] != '\0');

  if (g_strcmp0 (model_path, self->model_path) == 0)
    return;

  if (model_path != NULL && wh_model_rows_find (self->candidates, self->opened, model_path) == NULL)
    g_ptr_array_add (self->opened, wh_model_candidate_new_for_path (WH_MODEL_SOURCE_FILE, model_path));

  g_free (self->model_path);
  self->model_path = g_strdup (model_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PATH]);

  wh_model_page_rebuild (self);
  wh_model_page_load (self);
}

gboolean
wh_model_page_get_ready (WhModelPage *self)
{
  g_return_val_if_fail (WH_IS_MODEL_PAGE (self), FALSE);

  return self->ready;
}

gboolean
wh_model_page_get_scanning (WhModelPage *self)
{
  g_return_val_if_fail (WH_IS_MODEL_PAGE (self), FALSE);

  return self->scan_cancellable != NULL;
}

/**
 * wh_model_page_get_model_info:
 * @self: a #WhModelPage
 *
 * Returns: (nullable): what the chosen model holds, once read; %NULL
 *   while it is being read or when it could not be
 */
const WhModelInfo *
wh_model_page_get_model_info (WhModelPage *self)
{
  g_return_val_if_fail (WH_IS_MODEL_PAGE (self), NULL);

  return self->info;
}

/**
 * wh_model_page_set_device:
 * @self: a #WhModelPage
 * @device: (nullable): the device training will run on
 *
 * Sets the device whose memory the chosen model is measured against.
 */
void
wh_model_page_set_device (WhModelPage          *self,
                          const WhClDeviceInfo *device)
{
  g_return_if_fail (WH_IS_MODEL_PAGE (self));

  g_clear_pointer (&self->device, wh_cl_device_info_free);
  if (device != NULL)
    self->device = wh_cl_device_info_copy (device);

  wh_model_page_update_fit (self);
}

/**
 * wh_model_page_set_recent:
 * @self: a #WhModelPage
 * @paths: (nullable) (array zero-terminated=1): models used before,
 *   newest first
 *
 * Lists the models used before that are still there, beside those found
 * on this computer; the newest is chosen when the page first shows, if
 * nothing was chosen yet.
 */
void
wh_model_page_set_recent (WhModelPage        *self,
                          const char * const *paths)
{
  g_return_if_fail (WH_IS_MODEL_PAGE (self));

  g_clear_pointer (&self->recent, g_free);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      if (!wh_model_scan_is_model_path (paths[i]))
        continue;

      if (self->recent == NULL)
        self->recent = g_strdup (paths[i]);

      if (wh_model_rows_find (self->candidates, self->opened, paths[i]) == NULL)
        g_ptr_array_add (self->opened, wh_model_candidate_new_for_path (WH_MODEL_SOURCE_FILE, paths[i]));
    }

  wh_model_page_rebuild (self);
}
