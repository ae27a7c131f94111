/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files and folders the tests make for themselves (throwaway homes, profiles). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and everything below it; symbolic links are removed, never followed. Missing
 * files are no error: a test cleans up whatever it got to create. */
void test_files_remove_tree (const char *path);

G_END_DECLS
