/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-redirect-listener.h"

struct _McpRedirectListener
{
  GObject     parent_instance;

  SoupServer *server;
  guint       port;
  char       *redirect_uri;
  guint       requests;
};

G_DEFINE_FINAL_TYPE (McpRedirectListener, mcp_redirect_listener, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PORT,
  PROP_REQUESTS,
  N_PROPS
};

enum {
  SIGNAL_ARRIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
mcp_redirect_listener_answer (SoupServerMessage *msg,
                              guint              status,
                              const char        *title,
                              const char        *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *page = NULL;
  gsize length;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>%s</title></head>"
                          "<body style=\"font-family: sans-serif; text-align: center; "
                          "margin-top: 4em\"><h1>%s</h1><p>%s</p></body></html>\n",
                          escaped_title, escaped_title, escaped_text);
  length = strlen (page);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), length);
}

static void
request_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  McpRedirectListener *self = user_data;
  G_GNUC_UNUSED g_autoptr(McpRedirectListener) hold = g_object_ref (self);

  self->requests++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS]);

  if (!g_str_equal (path, MCP_REDIRECT_LISTENER_PATH))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  /* A handler that forgets to answer leaves the browser with an error, not a hang. */
  soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
  g_signal_emit (self, signals[SIGNAL_ARRIVED], 0, msg, query);
}

static gboolean
listen_on (McpRedirectListener  *self,
           guint                 port,
           GError              **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "Tether", NULL);
  GSList *uris;

  if (!soup_server_listen (server, address, 0, error))
    return FALSE;
  uris = soup_server_get_uris (server);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Expected an address to listen on at 127.0.0.1:%u, got none", port);
      return FALSE;
    }
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  soup_server_add_handler (server, NULL, request_handler, self, NULL);
  self->server = g_steal_pointer (&server);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" MCP_REDIRECT_LISTENER_PATH,
                                        self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

/* The port of @registered when it is one of ours (http://127.0.0.1:PORT/callback), else 0. */
static guint
registered_port (const char *registered)
{
  g_autoptr(GUri) uri = NULL;

  if (registered == NULL)
    return 0;
  uri = g_uri_parse (registered, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
      || g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") != 0
      || g_strcmp0 (g_uri_get_path (uri), MCP_REDIRECT_LISTENER_PATH) != 0
      || g_uri_get_port (uri) <= 0)
    return 0;
  return g_uri_get_port (uri);
}

const char *
mcp_redirect_listener_listen (McpRedirectListener  *self,
                              const char           *registered,
                              char                **note,
                              GError              **error)
{
  guint wanted;

  g_return_val_if_fail (MCP_IS_REDIRECT_LISTENER (self), NULL);
  g_return_val_if_fail (note == NULL || *note == NULL, NULL);

  wanted = registered_port (registered);
  if (self->server != NULL && (wanted == 0 || wanted == self->port))
    return self->redirect_uri;

  mcp_redirect_listener_stop (self);
  if (wanted != 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (listen_on (self, wanted, &local_error))
        return self->redirect_uri;
      /* Taken by now: a new port means a new registration with strict servers. */
      if (note != NULL)
        *note = g_strdup_printf ("Could not listen on the registered port %u again (%s); "
                                 "using another one", wanted, local_error->message);
    }
  if (!listen_on (self, 0, error))
    return NULL;
  return self->redirect_uri;
}

void
mcp_redirect_listener_stop (McpRedirectListener *self)
{
  g_return_if_fail (MCP_IS_REDIRECT_LISTENER (self));

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->redirect_uri, g_free);
  self->port = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

gboolean
mcp_redirect_listener_is_listening (McpRedirectListener *self)
{
  g_return_val_if_fail (MCP_IS_REDIRECT_LISTENER (self), FALSE);
  return self->server != NULL;
}

guint
mcp_redirect_listener_get_port (McpRedirectListener *self)
{
  g_return_val_if_fail (MCP_IS_REDIRECT_LISTENER (self), 0);
  return self->port;
}

guint
mcp_redirect_listener_get_requests (McpRedirectListener *self)
{
  g_return_val_if_fail (MCP_IS_REDIRECT_LISTENER (self), 0);
  return self->requests;
}

const char *
mcp_redirect_listener_get_redirect_uri (McpRedirectListener *self)
{
  g_return_val_if_fail (MCP_IS_REDIRECT_LISTENER (self), NULL);
  return self->redirect_uri;
}

static void
mcp_redirect_listener_dispose (GObject *object)
{
  mcp_redirect_listener_stop (MCP_REDIRECT_LISTENER (object));
  G_OBJECT_CLASS (mcp_redirect_listener_parent_class)->dispose (object);
}

static void
mcp_redirect_listener_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  McpRedirectListener *self = MCP_REDIRECT_LISTENER (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_REQUESTS:
      g_value_set_uint (value, self->requests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_redirect_listener_class_init (McpRedirectListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mcp_redirect_listener_dispose;
  object_class->get_property = mcp_redirect_listener_get_property;

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTS] =
    g_param_spec_uint ("requests", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ARRIVED] =
    g_signal_new ("arrived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, SOUP_TYPE_SERVER_MESSAGE, G_TYPE_HASH_TABLE);
}

static void
mcp_redirect_listener_init (McpRedirectListener *self)
{
}

McpRedirectListener *
mcp_redirect_listener_new (void)
{
  return g_object_new (MCP_TYPE_REDIRECT_LISTENER, NULL);
}
