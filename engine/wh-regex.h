/* wh-regex.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A backtracking regular expression matcher over code points, for the
 * pre-tokenizer patterns of Hugging Face tokenizers (Oniguruma syntax,
 * leftmost-first alternation): literals and escapes, classes with ranges,
 * \s \d \w and their negations, \p{…}/\P{…} general categories and a few
 * scripts from GLib's Unicode tables, . ^ $, groups (?:…) (…) (?i:…),
 * lookahead (?=…) (?!…), and the quantifiers ? * + {n} {n,} {n,m} with
 * their lazy forms. */

#define WH_REGEX_ERROR (wh_regex_error_quark ())

typedef enum
{
  WH_REGEX_ERROR_SYNTAX,
  WH_REGEX_ERROR_UNSUPPORTED,
} WhRegexError;

/* Decoded text: code points and their GUnicodeType, as the matcher
 * reads them. */
typedef struct
{
  const gunichar *cps;
  const guint8   *types;
  gsize           n;
} WhRegexText;

typedef struct _WhRegex WhRegex;

GQuark    wh_regex_error_quark (void);

WhRegex  *wh_regex_new         (const char        *pattern,
                                GError           **error);
void      wh_regex_free        (WhRegex           *regex);
const char *wh_regex_get_pattern (WhRegex         *regex);

/* Backtracking state, one per thread: a regex itself is immutable and
 * may be shared between threads. */
GArray   *wh_regex_scratch_new (void);

/* Finds the leftmost non-empty match starting at or after @from.  On
 * success sets [*start, *end) in code points.  @scratch comes from
 * wh_regex_scratch_new() (NULL allocates one for this call). */
gboolean  wh_regex_search      (WhRegex           *regex,
                                const WhRegexText *text,
                                gsize              from,
                                GArray            *scratch,
                                gsize             *start,
                                gsize             *end);

/* Whether @cp counts as \s (Unicode White_Space). */
gboolean  wh_regex_is_space    (gunichar           cp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhRegex, wh_regex_free)

G_END_DECLS
