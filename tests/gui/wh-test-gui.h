/* wh-test-gui.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-device.h"
#include "wh-playground-page.h"

G_BEGIN_DECLS

/* Helpers of the tests that drive widgets from the main loop. */

typedef gboolean (*WhTestCondition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test, naming
 * @what, after @timeout_s seconds rather than hanging. */
void              wh_test_iterate_until              (WhTestCondition   condition,
                                                      gpointer          data,
                                                      guint             timeout_s,
                                                      const char       *what);
/* Runs what the main loop has pending, without waiting. */
void              wh_test_flush_main_loop            (void);
/* The message dialog on screen, or NULL. */
AdwMessageDialog *wh_test_find_message_dialog        (void);
/* The visible top-level window of @type, or NULL. */
GtkWindow        *wh_test_find_toplevel              (GType             type);
/* Activates @button as the keyboard does, and waits for the ::clicked
 * that GtkButton emits a moment after. */
void              wh_test_click                      (GtkWidget        *button);
/* A compute thread on the device the tests run on (WHETSTONE_DEVICE
 * names one), or NULL, with a test message, when there is none. */
WhDevice         *wh_test_device_new                 (void);

/* Types @prompt in the playground's prompt box and presses Enter, then
 * waits for every column's answer. */
void              wh_test_playground_ask             (WhPlaygroundPage *page,
                                                      const char       *prompt,
                                                      guint             timeout_s);
/* Each of the @n_columns columns shown answered, without an error. */
void              wh_test_playground_assert_answered (WhPlaygroundPage *page,
                                                      guint             n_columns);

G_END_DECLS
