/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of McpOAuthDiscovery: mcp-oauth-discovery.c (the object and what it
 * found), mcp-oauth-discovery-run.c (fetching the metadata documents, in order) and
 * mcp-oauth-discovery-urls.c (where the documents are, and which URLs are acceptable). */

#include <json-glib/json-glib.h>

#include "mcp-oauth-discovery.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

struct _McpOAuthDiscovery
{
  GObject      parent_instance;

  SoupSession *session;
  char        *server_url;

  char        *resource_metadata_url;
  char        *resource;
  char       **resource_scopes;
  char        *issuer;
  char        *server_metadata_url;
  JsonObject  *server_metadata;
  char        *authorization_endpoint;
  char        *token_endpoint;
  char        *registration_endpoint;
  gboolean     legacy;
};

/* mcp-oauth-discovery.c */

/* Emits "log" with the formatted text (and logs it for debugging). */
G_GNUC_INTERNAL
void         mcp_oauth_discovery_log               (McpOAuthDiscovery *self,
                                                    McpLogLevel        level,
                                                    const char        *format,
                                                    ...) G_GNUC_PRINTF (3, 4);
/* Forgets what an earlier run found. */
G_GNUC_INTERNAL
void         mcp_oauth_discovery_clear_results     (McpOAuthDiscovery *self);
/* A string member of @object (NULL when @object is NULL, or the member absent or no string). */
G_GNUC_INTERNAL
const char  *mcp_oauth_discovery_object_get_string (JsonObject        *object,
                                                    const char        *member);
/* The strings of array @member (NULL when the member is absent or not an array). */
G_GNUC_INTERNAL
char       **mcp_oauth_discovery_object_dup_strv   (JsonObject        *object,
                                                    const char        *member);

/* mcp-oauth-discovery-urls.c */

/* Splits @url into its "scheme://authority" and the rest (path, query, fragment). */
G_GNUC_INTERNAL
char        *mcp_oauth_discovery_split_origin      (const char        *url,
                                                    const char       **rest);

G_END_DECLS
