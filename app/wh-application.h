/* wh-application.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_APPLICATION (wh_application_get_type ())

G_DECLARE_FINAL_TYPE (WhApplication, wh_application, WH, APPLICATION, AdwApplication)

WhApplication *wh_application_new (void);

G_END_DECLS
