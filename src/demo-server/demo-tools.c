/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "demo-png.h"
#include "demo-tools.h"

/* The definitions as tools/list shows them. Kept as JSON text: it reads like the wire. */
static const char tool_definitions[] =
  "["
  "{\"name\":\"get_user_profile\",\"title\":\"Get user profile\","
  "\"description\":\"Get the signed-in person's profile: their GitHub profile in GitHub mode, "
  "a fixed demo profile offline. Needs the 'user' scope.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{}},"
  "\"outputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"login\":{\"type\":\"string\"},\"id\":{\"type\":\"integer\"},"
  "\"name\":{\"type\":[\"string\",\"null\"]},\"avatar_url\":{\"type\":\"string\"},"
  "\"html_url\":{\"type\":\"string\"},\"public_repos\":{\"type\":\"integer\"}},"
  "\"required\":[\"login\",\"id\"]},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":true}},"

  "{\"name\":\"echo\",\"title\":\"Echo\",\"description\":\"Echoes back the message.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"message\":{\"type\":\"string\",\"description\":\"Text to echo back\"}},"
  "\"required\":[\"message\"]},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"add\",\"title\":\"Add\",\"description\":\"Adds two numbers.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"a\":{\"type\":\"number\",\"description\":\"First number\"},"
  "\"b\":{\"type\":\"number\",\"description\":\"Second number\"}},\"required\":[\"a\",\"b\"]},"
  "\"outputSchema\":{\"type\":\"object\",\"properties\":{\"sum\":{\"type\":\"number\"}},"
  "\"required\":[\"sum\"]},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"countdown\",\"title\":\"Countdown\",\"description\":\"Counts down one step per "
  "interval. Sends notifications/progress when the request has a progressToken; stops on "
  "notifications/cancelled.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"steps\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":5},"
  "\"interval_ms\":{\"type\":\"integer\",\"minimum\":10,\"maximum\":10000,\"default\":500}}},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"long_running\",\"title\":\"Long-running operation\",\"description\":\"Works for "
  "'duration' seconds in 'steps' steps, with progress notifications; can be cancelled.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"duration\":{\"type\":\"number\",\"minimum\":0.01,\"maximum\":600,\"default\":10,"
  "\"description\":\"Seconds\"},"
  "\"steps\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":5}}},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"image\",\"title\":\"Image\",\"description\":\"Returns a small PNG image.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"seed\":{\"type\":\"integer\",\"description\":\"Picks the pattern and colour\"}}},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"large_result\",\"title\":\"Large result\",\"description\":\"Returns text of "
  "exactly 'size' bytes (at most 64 MiB), to test big messages.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
  "\"size\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":67108864,\"default\":1048576}}},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}},"

  "{\"name\":\"admin_stats\",\"title\":\"Server statistics\",\"description\":\"Counters of "
  "the demo server (clients, tokens, sessions). Needs the 'admin' scope.\","
  "\"inputSchema\":{\"type\":\"object\",\"properties\":{}},"
  "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}}"
  "]";

typedef void (*ToolFunc) (DemoToolCall *call);

static void run_get_user_profile (DemoToolCall *call);
static void run_echo             (DemoToolCall *call);
static void run_add              (DemoToolCall *call);
static void run_countdown        (DemoToolCall *call);
static void run_long_running     (DemoToolCall *call);
static void run_image            (DemoToolCall *call);
static void run_large_result     (DemoToolCall *call);
static void run_admin_stats      (DemoToolCall *call);

static const struct {
  const char *name;
  const char *required_scope;
  ToolFunc    run;
} tools[] = {
  { "get_user_profile", NULL, run_get_user_profile },
  { "echo", NULL, run_echo },
  { "add", NULL, run_add },
  { "countdown", NULL, run_countdown },
  { "long_running", NULL, run_long_running },
  { "image", NULL, run_image },
  { "large_result", NULL, run_large_result },
  { "admin_stats", "user admin", run_admin_stats },
};

JsonArray *
demo_tools_list_definitions (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  /* A static literal: failing to parse it is a programming error. */
  if (!json_parser_load_from_data (parser, tool_definitions, -1, &error))
    g_error ("Built-in tool definitions do not parse: %s", error->message);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static int
find_tool (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    if (g_strcmp0 (tools[i].name, name) == 0)
      return (int) i;
  return -1;
}

gboolean
demo_tools_exists (const char *name)
{
  return find_tool (name) >= 0;
}

const char *
demo_tools_get_required_scope (const char *name)
{
  int index = find_tool (name);

  return index >= 0 ? tools[index].required_scope : NULL;
}

void
demo_tools_run (DemoToolCall *call)
{
  int index;

  g_return_if_fail (DEMO_IS_TOOL_CALL (call));

  index = find_tool (demo_tool_call_get_name (call));
  if (index < 0)
    {
      demo_tool_call_return_protocol_error (call, MCP_JSONRPC_INVALID_PARAMS, "Unknown tool");
      return;
    }
  demo_mcp_server_count_tool_call (demo_tool_call_get_server (call));
  tools[index].run (call);
}

/* ---------------------------------------------------------------------------------------- */
/* Argument helpers: a wrong argument is a tool execution error (isError), which the model can
 * read and correct, as the 2025-11-25 specification asks. */

static gboolean
get_number_arg (DemoToolCall *call,
                const char   *name,
                gboolean      required,
                double        fallback,
                double       *out)
{
  JsonNode *node = json_object_get_member (demo_tool_call_get_arguments (call), name);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          demo_tool_call_return_tool_error (call, "Missing argument “%s”: expected a number",
                                            name);
          return FALSE;
        }
      *out = fallback;
      return TRUE;
    }
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    {
      demo_tool_call_return_tool_error (call, "Argument “%s” must be a number", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_integer_arg (DemoToolCall *call,
                 const char   *name,
                 gint64        minimum,
                 gint64        maximum,
                 gint64        fallback,
                 gint64       *out)
{
  JsonNode *node = json_object_get_member (demo_tool_call_get_arguments (call), name);
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    value = NAN;
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    value = NAN;

  if (isnan (value) || value != (double) (gint64) value || value < minimum || value > maximum)
    {
      demo_tool_call_return_tool_error (call, "Argument “%s” must be an integer from %"
                                        G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                        name, minimum, maximum);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

static JsonObject *
structured_result (JsonObject *structured)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  JsonObject *result = json_object_new ();
  JsonArray *content = json_array_new ();
  JsonObject *item = json_object_new ();

  /* The text block repeats the structured content, for clients that predate it. */
  json_node_set_object (node, structured);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  json_object_set_string_member (item, "type", "text");
  json_object_set_string_member (item, "text", text);
  json_array_add_object_element (content, item);
  json_object_set_array_member (result, "content", content);
  json_object_set_object_member (result, "structuredContent", json_object_ref (structured));
  return result;
}

/* ---------------------------------------------------------------------------------------- */

static guint32
user_number (const char *login)
{
  /* Stable across runs (g_str_hash is djb2), distinct enough for a demo. */
  return 100000 + g_str_hash (login) % 900000;
}

static JsonObject *
build_offline_profile (DemoToolCall *call)
{
  DemoGrant *grant = demo_tool_call_get_grant (call);
  const char *base_url = demo_mcp_server_get_base_url (demo_tool_call_get_server (call));
  JsonObject *profile = json_object_new ();
  g_autofree char *avatar = g_strdup_printf ("%s/avatars/%s.png", base_url, grant->user);
  g_autofree char *html = g_strdup_printf ("%s/users/%s", base_url, grant->user);
  g_autofree char *name = NULL;

  if (g_str_equal (grant->user, "demo"))
    name = g_strdup ("Demo User");
  else
    name = g_strdup_printf ("%c%s", g_ascii_toupper (grant->user[0]), grant->user + 1);

  json_object_set_string_member (profile, "login", grant->user);
  json_object_set_int_member (profile, "id", user_number (grant->user));
  json_object_set_string_member (profile, "name", name);
  json_object_set_string_member (profile, "avatar_url", avatar);
  json_object_set_string_member (profile, "html_url", html);
  json_object_set_string_member (profile, "type", "User");
  json_object_set_boolean_member (profile, "site_admin",
                                  demo_grant_has_scope (grant, "admin"));
  json_object_set_string_member (profile, "company", "Tether demo");
  json_object_set_string_member (profile, "location", "Offline");
  json_object_set_null_member (profile, "email");
  json_object_set_string_member (profile, "bio", "A fixed profile served by tether-demo-server "
                                                 "in offline mode.");
  json_object_set_int_member (profile, "public_repos", 3);
  json_object_set_int_member (profile, "public_gists", 1);
  json_object_set_int_member (profile, "followers", 7);
  json_object_set_int_member (profile, "following", 2);
  json_object_set_string_member (profile, "created_at", "2024-01-01T00:00:00Z");
  return profile;
}

static void
github_user_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DemoToolCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(JsonObject) tool_result = NULL;

  profile = demo_github_fetch_user_finish (DEMO_GITHUB (source), result, &error);
  if (profile == NULL)
    {
      demo_tool_call_return_tool_error (call, "Could not read the GitHub profile: %s",
                                        error->message);
      return;
    }
  tool_result = structured_result (profile);
  demo_tool_call_return_result (call, tool_result);
}

static void
run_get_user_profile (DemoToolCall *call)
{
  DemoGithub *github = demo_mcp_server_get_github (demo_tool_call_get_server (call));
  DemoGrant *grant = demo_tool_call_get_grant (call);
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (github != NULL && grant->github_token != NULL)
    {
      demo_github_fetch_user_async (github, grant->github_token,
                                    demo_tool_call_get_cancellable (call),
                                    github_user_cb, g_object_ref (call));
      return;
    }

  profile = build_offline_profile (call);
  result = structured_result (profile);
  demo_tool_call_return_result (call, result);
}

static void
run_echo (DemoToolCall *call)
{
  JsonNode *node = json_object_get_member (demo_tool_call_get_arguments (call), "message");
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      demo_tool_call_return_tool_error (call, "Argument “message” must be a string");
      return;
    }
  text = g_strconcat ("Echo: ", json_node_get_string (node), NULL);
  demo_tool_call_return_text (call, text);
}

static void
run_add (DemoToolCall *call)
{
  g_autoptr(JsonObject) structured = json_object_new ();
  g_autoptr(JsonObject) result = NULL;
  JsonArray *content;
  JsonObject *item;
  char a_text[G_ASCII_DTOSTR_BUF_SIZE], b_text[G_ASCII_DTOSTR_BUF_SIZE];
  char sum_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;
  double a, b;

  if (!get_number_arg (call, "a", TRUE, 0, &a) || !get_number_arg (call, "b", TRUE, 0, &b))
    return;

  json_object_set_double_member (structured, "sum", a + b);
  g_ascii_formatd (a_text, sizeof a_text, "%.17g", a);
  g_ascii_formatd (b_text, sizeof b_text, "%.17g", b);
  g_ascii_formatd (sum_text, sizeof sum_text, "%.17g", a + b);
  text = g_strdup_printf ("%s + %s = %s", a_text, b_text, sum_text);

  result = json_object_new ();
  content = json_array_new ();
  item = json_object_new ();
  json_object_set_string_member (item, "type", "text");
  json_object_set_string_member (item, "text", text);
  json_array_add_object_element (content, item);
  json_object_set_array_member (result, "content", content);
  json_object_set_object_member (result, "structuredContent", g_steal_pointer (&structured));
  demo_tool_call_return_result (call, result);
}

/* countdown and long_running share one timer loop. */
typedef struct
{
  DemoToolCall *call;
  guint         step;
  guint         steps;
  guint         source;
  gulong        cancelled_id;
} Countdown;

static void
countdown_free (gpointer data)
{
  Countdown *countdown = data;

  /* Not reached from inside the ::cancelled handler (it clears cancelled_id first), where
   * disconnecting would deadlock. */
  if (countdown->cancelled_id != 0)
    g_cancellable_disconnect (demo_tool_call_get_cancellable (countdown->call),
                              countdown->cancelled_id);
  g_object_unref (countdown->call);
  g_free (countdown);
}

static gboolean
countdown_tick (gpointer data)
{
  Countdown *countdown = data;
  g_autofree char *message = NULL;

  if (demo_tool_call_is_finished (countdown->call))
    return G_SOURCE_REMOVE;

  countdown->step++;
  message = g_strdup_printf ("Step %u of %u", countdown->step, countdown->steps);
  demo_tool_call_send_progress (countdown->call, countdown->step, countdown->steps, message);
  demo_tool_call_send_log (countdown->call, "info", message);

  if (countdown->step < countdown->steps)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&message, g_free);
  message = g_strdup_printf ("Counted down %u steps", countdown->steps);
  demo_tool_call_return_text (countdown->call, message);
  countdown->source = 0;
  return G_SOURCE_REMOVE;
}

static void
countdown_cancelled (GCancellable *cancellable,
                     gpointer      data)
{
  Countdown *countdown = data;
  guint source = countdown->source;

  countdown->cancelled_id = 0;
  countdown->source = 0;
  if (source != 0)
    g_source_remove (source);  /* frees @countdown */
}

static void
start_countdown (DemoToolCall *call,
                 guint         steps,
                 guint         interval_ms)
{
  Countdown *countdown = g_new0 (Countdown, 1);

  countdown->call = g_object_ref (call);
  countdown->steps = steps;
  countdown->source = g_timeout_add_full (G_PRIORITY_DEFAULT, interval_ms, countdown_tick,
                                          countdown, countdown_free);
  countdown->cancelled_id = g_cancellable_connect (demo_tool_call_get_cancellable (call),
                                                   G_CALLBACK (countdown_cancelled),
                                                   countdown, NULL);
}

static void
run_countdown (DemoToolCall *call)
{
  gint64 steps, interval_ms;

  if (!get_integer_arg (call, "steps", 1, 1000, 5, &steps)
      || !get_integer_arg (call, "interval_ms", 10, 10000, 500, &interval_ms))
    return;
  start_countdown (call, steps, interval_ms);
}

static void
run_long_running (DemoToolCall *call)
{
  gint64 steps;
  double duration;

  if (!get_number_arg (call, "duration", FALSE, 10, &duration)
      || !get_integer_arg (call, "steps", 1, 1000, 5, &steps))
    return;
  if (!(duration >= 0.01 && duration <= 600))
    {
      demo_tool_call_return_tool_error (call, "Argument “duration” must be from 0.01 to 600 "
                                              "seconds");
      return;
    }
  start_countdown (call, steps, MAX (1, (guint) (duration * 1000 / steps)));
}

static void
run_image (DemoToolCall *call)
{
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *data = NULL;
  g_autofree char *description = NULL;
  JsonArray *content;
  JsonObject *image, *text;
  gint64 seed;

  if (!get_integer_arg (call, "seed", 0, G_MAXUINT32, 1, &seed))
    return;

  png = demo_png_render_identicon ((guint32) seed, 8);
  data = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  description = g_strdup_printf ("A 56×56 PNG pattern (seed %" G_GINT64_FORMAT ", %zu bytes)",
                                 seed, g_bytes_get_size (png));

  image = json_object_new ();
  json_object_set_string_member (image, "type", "image");
  json_object_set_string_member (image, "data", data);
  json_object_set_string_member (image, "mimeType", "image/png");
  text = json_object_new ();
  json_object_set_string_member (text, "type", "text");
  json_object_set_string_member (text, "text", description);
  content = json_array_new ();
  json_array_add_object_element (content, image);
  json_array_add_object_element (content, text);
  result = json_object_new ();
  json_object_set_array_member (result, "content", content);
  demo_tool_call_return_result (call, result);
}

static void
run_large_result (DemoToolCall *call)
{
  static const char pattern[] = "Tether demo server large result. 0123456789 abcdefghij\n";
  g_autoptr(JsonObject) result = json_object_new ();
  JsonArray *content;
  JsonObject *item;
  gint64 size;
  char *text;

  if (!get_integer_arg (call, "size", 0, DEMO_TOOLS_MAX_LARGE_RESULT, 1024 * 1024, &size))
    return;

  text = g_malloc (size + 1);
  for (gint64 offset = 0; offset < size; offset += sizeof pattern - 1)
    memcpy (text + offset, pattern, MIN ((gint64) sizeof pattern - 1, size - offset));
  text[size] = '\0';

  item = json_object_new ();
  json_object_set_string_member (item, "type", "text");
  json_object_set_string_member (item, "text", text);
  g_free (text);
  content = json_array_new ();
  json_array_add_object_element (content, item);
  json_object_set_array_member (result, "content", content);
  demo_tool_call_return_result (call, result);
}

static void
run_admin_stats (DemoToolCall *call)
{
  DemoMcpServer *server = demo_tool_call_get_server (call);
  DemoGrant *grant = demo_tool_call_get_grant (call);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) auth_stats = NULL;
  g_autoptr(JsonObject) result = NULL;

  /* The HTTP layer answers 403 first; this guards any other path in. */
  if (!demo_grant_has_scope (grant, "admin"))
    {
      demo_tool_call_return_tool_error (call, "admin_stats needs the “admin” scope");
      return;
    }

  stats = demo_mcp_server_dup_stats (server);
  auth_stats = demo_auth_server_dup_stats (demo_mcp_server_get_auth_server (server));
  json_object_set_object_member (stats, "authorization", g_steal_pointer (&auth_stats));
  json_object_set_string_member (stats, "requested_by", grant->user);
  result = structured_result (stats);
  demo_tool_call_return_result (call, result);
}
