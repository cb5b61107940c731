/* wh-data-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-data-page.h"

G_BEGIN_DECLS

/* A count as the Data step shows it, with the locale's thousands
 * separators: “1,234”. */
char *_wh_data_format_count (guint64 value);

G_END_DECLS
