/* wh-cli-devices.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-cli.h"

static JsonNode *
device_to_json (const WhClDeviceInfo *info,
                gboolean              selected)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, info->index);
  json_builder_set_member_name (b, "selected");
  json_builder_add_boolean_value (b, selected);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, info->name);
  json_builder_set_member_name (b, "vendor");
  json_builder_add_string_value (b, info->vendor);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, wh_cl_device_kind_to_string (info->kind));
  json_builder_set_member_name (b, "platform");
  json_builder_add_string_value (b, info->platform_name);
  json_builder_set_member_name (b, "platform_version");
  json_builder_add_string_value (b, info->platform_version);
  json_builder_set_member_name (b, "driver_version");
  json_builder_add_string_value (b, info->driver_version);
  json_builder_set_member_name (b, "opencl_version");
  json_builder_add_string_value (b, info->device_version);
  json_builder_set_member_name (b, "opencl_c_version");
  json_builder_add_string_value (b, info->opencl_c_version);
  json_builder_set_member_name (b, "global_memory_bytes");
  json_builder_add_int_value (b, info->global_mem_size);
  json_builder_set_member_name (b, "max_allocation_bytes");
  json_builder_add_int_value (b, info->max_alloc_size);
  json_builder_set_member_name (b, "local_memory_bytes");
  json_builder_add_int_value (b, info->local_mem_size);
  json_builder_set_member_name (b, "compute_units");
  json_builder_add_int_value (b, info->compute_units);
  json_builder_set_member_name (b, "fp16");
  json_builder_add_boolean_value (b, info->has_fp16);
  json_builder_set_member_name (b, "pocl");
  json_builder_add_boolean_value (b, info->is_pocl);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static void
print_device (const WhClDeviceInfo *info,
              gboolean              selected)
{
  g_autofree char *mem = g_format_size_full (info->global_mem_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *alloc = g_format_size_full (info->max_alloc_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *local = g_format_size_full (info->local_mem_size, G_FORMAT_SIZE_IEC_UNITS);

  g_print ("%u%s %s\n", info->index, selected ? "*" : " ", info->name);
  g_print ("   %-16s %s%s\n", _("Type:"), wh_cl_device_kind_to_string (info->kind),
           info->is_pocl ? " (PoCL)" : "");
  g_print ("   %-16s %s\n", _("Vendor:"), info->vendor);
  g_print ("   %-16s %s (%s)\n", _("Platform:"), info->platform_name, info->platform_version);
  g_print ("   %-16s %s\n", _("Driver:"), info->driver_version);
  g_print ("   %-16s %s, %s\n", _("OpenCL:"), info->device_version, info->opencl_c_version);
  g_print ("   %-16s %s (%s %s)\n", _("Memory:"), mem, _("largest buffer"), alloc);
  g_print ("   %-16s %s\n", _("Local memory:"), local);
  g_print ("   %-16s %u\n", _("Compute units:"), info->compute_units);
  g_print ("   %-16s %s\n", _("Half floats:"), info->has_fp16 ? _("yes") : _("no"));
}

int
wh_cli_devices (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_spec = NULL;
  gboolean json = FALSE;
  WhClDeviceInfo *selected;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec,
      N_("Mark this device as chosen instead of the default (number or part of a name)"), N_("DEVICE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists every OpenCL device of this computer. The one marked * is "
                                  "the one Whetstone uses: the graphics card with the most memory, "
                                  "unless --device or WHETSTONE_DEVICE says otherwise."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;

  if (!(devices = wh_cl_enumerate_devices (&error)))
    return wh_cli_fail (error);

  if (!(selected = wh_cl_select_device (devices, device_spec, &error)))
    return wh_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "selected");
      json_builder_add_int_value (b, selected->index);
      json_builder_set_member_name (b, "devices");
      json_builder_begin_array (b);
      for (guint i = 0; i < devices->len; i++)
        {
          const WhClDeviceInfo *info = g_ptr_array_index (devices, i);
          json_builder_add_value (b, device_to_json (info, info == selected));
        }
      json_builder_end_array (b);
      json_builder_end_object (b);

      root = json_builder_get_root (b);
      wh_cli_print_json (root);
      return WH_CLI_EXIT_OK;
    }

  for (guint i = 0; i < devices->len; i++)
    {
      const WhClDeviceInfo *info = g_ptr_array_index (devices, i);

      if (i > 0)
        g_print ("\n");
      print_device (info, info == selected);
    }

  return WH_CLI_EXIT_OK;
}
