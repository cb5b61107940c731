/* wh-data-columns.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_DATA_COLUMNS (wh_data_columns_get_type ())

G_DECLARE_FINAL_TYPE (WhDataColumns, wh_data_columns, WH, DATA_COLUMNS, AdwPreferencesGroup)

/* What each column of a CSV/TSV file holds, as a combo row per column;
 * ::changed when the user chooses another role.  Roles are spelled as
 * wh_dataset_import() spells them ("user", "assistant", …, "ignore"). */

/* @names: (nullable): the columns, NULL to hide the group; @roles:
 * (nullable): parallel to @names, "ignore" where missing. */
void    wh_data_columns_set_columns   (WhDataColumns       *self,
                                       const char * const  *names,
                                       const char * const  *roles);
/* The roles chosen, "name=role" per column, as wh_dataset_import() takes
 * them. */
char  **wh_data_columns_dup_mapping   (WhDataColumns       *self);

/* @mapping's names, with their roles in @roles. */
char  **wh_data_columns_split_mapping (const char * const  *mapping,
                                       char              ***roles);
/* The role @mapping (nullable) gives each of @names, "ignore" where it
 * gives none. */
char  **wh_data_columns_roles_for     (const char * const  *names,
                                       const char * const  *mapping);

G_END_DECLS
