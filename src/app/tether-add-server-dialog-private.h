/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-add-server-dialog.h"

G_BEGIN_DECLS

/* The input checks of the dialog (tether-add-server-dialog-checks.c): NULL when @text is
 * fine, else a message saying what is wrong, written for the person. */

/* An http(s) URL with a host; with @https_only, an https URL naming a document. */
char     *tether_add_server_check_url       (const char  *text,
                                             gboolean     https_only);
/* "Name: value" with an RFC 9110 token as the name. */
char     *tether_add_server_check_header    (const char  *line);
/* "NAME=value" with a portable variable name. */
char     *tether_add_server_check_variable  (const char  *line);
/* Splits as a shell would; NULL @argv and no error for text with nothing but spaces. */
gboolean  tether_add_server_parse_arguments (const char  *text,
                                             GStrv       *argv,
                                             GError     **error);

G_END_DECLS
