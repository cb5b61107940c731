/* wh-json.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members of a JSON object read leniently: NULL (or @fallback) when the
 * member is absent or of another type, so callers decide what is an
 * error and name the key in it. */
const char *wh_json_get_string (JsonObject *object,
                                const char *name);
gboolean    wh_json_get_bool   (JsonObject *object,
                                const char *name,
                                gboolean    fallback);
JsonObject *wh_json_get_object (JsonObject *object,
                                const char *name);
JsonArray  *wh_json_get_array  (JsonObject *object,
                                const char *name);

G_END_DECLS
