/* wh-test-gui.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Helpers of the tests that drive widgets from the main loop. */

typedef gboolean (*WhTestCondition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test, naming
 * @what, after @timeout_s seconds rather than hanging. */
void              wh_test_iterate_until        (WhTestCondition  condition,
                                                gpointer         data,
                                                guint            timeout_s,
                                                const char      *what);
/* Runs what the main loop has pending, without waiting. */
void              wh_test_flush_main_loop      (void);
/* The message dialog on screen, or NULL. */
AdwMessageDialog *wh_test_find_message_dialog  (void);

G_END_DECLS
