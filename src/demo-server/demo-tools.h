/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "demo-tool-call.h"

G_BEGIN_DECLS

/* The demo server's tools: get_user_profile, echo, add, countdown, long_running, image,
 * large_result and admin_stats. */

/* Largest large_result, in bytes. */
#define DEMO_TOOLS_MAX_LARGE_RESULT (64 * 1024 * 1024)

/* The tools/list "tools" array (new each time). */
JsonArray  *demo_tools_list_definitions    (void);
gboolean    demo_tools_exists              (const char   *name);
/* The scopes a tool needs beyond "user" (space-separated, the full set), or NULL. */
const char *demo_tools_get_required_scope  (const char   *name);
/* Runs the call; it finishes now or later, through the DemoToolCall. */
void        demo_tools_run                 (DemoToolCall *call);

G_END_DECLS
