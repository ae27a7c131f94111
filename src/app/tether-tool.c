/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A tool as the tool list shows it. Everything the list filters on is worked out once, here,
 * so that filtering 5,000 tools per keystroke is a strstr() per tool and nothing more. */
#include "config.h"

#include <string.h>

#include "tether-tool.h"

struct _TetherTool
{
  GObject     parent_instance;

  JsonObject *json;
  const char *name;            /* these point into json */
  const char *title;
  const char *description;
  JsonObject *input_schema;
  JsonObject *output_schema;
  char       *search_key;      /* "name\ntitle\ndescription", normalized and case-folded */

  guint       read_only : 1;
  guint       destructive : 1;
  guint       idempotent : 1;
  guint       open_world : 1;
};

G_DEFINE_FINAL_TYPE (TetherTool, tether_tool, G_TYPE_OBJECT)

G_DEFINE_QUARK (tether-tool-error-quark, tether_tool_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TITLE,
  PROP_DISPLAY_TITLE,
  PROP_DESCRIPTION,
  PROP_READ_ONLY_HINT,
  PROP_DESTRUCTIVE_HINT,
  PROP_IDEMPOTENT_HINT,
  PROP_OPEN_WORLD_HINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
hint_member (JsonObject *annotations,
             const char *name)
{
  JsonNode *node = annotations != NULL ? json_object_get_member (annotations, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

TetherTool *
tether_tool_new_from_json (JsonObject  *json,
                           GError     **error)
{
  g_autoptr(TetherTool) self = NULL;
  g_autofree char *key = NULL;
  JsonObject *annotations;
  const char *name;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = string_member (json, "name");
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, TETHER_TOOL_ERROR, TETHER_TOOL_ERROR_INVALID,
                   "Expected a tool with a “name” string, got one without");
      return NULL;
    }

  self = g_object_new (TETHER_TYPE_TOOL, NULL);
  self->json = json_object_ref (json);
  self->name = name;
  annotations = object_member (json, "annotations");
  self->title = string_member (json, "title");
  if (self->title == NULL || *self->title == '\0')
    self->title = string_member (annotations, "title");
  if (self->title != NULL && *self->title == '\0')
    self->title = NULL;
  self->description = string_member (json, "description");
  self->input_schema = object_member (json, "inputSchema");
  self->output_schema = object_member (json, "outputSchema");

  self->read_only = hint_member (annotations, "readOnlyHint");
  /* The spec gives destructiveHint meaning only for tools that are not read-only. */
  self->destructive = !self->read_only && hint_member (annotations, "destructiveHint");
  self->idempotent = hint_member (annotations, "idempotentHint");
  self->open_world = hint_member (annotations, "openWorldHint");

  key = g_strjoin ("\n", self->name, self->title ? self->title : "",
                   self->description ? self->description : "", NULL);
  self->search_key = fold (key);

  return g_steal_pointer (&self);
}

JsonObject *
tether_tool_get_json (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->json;
}

const char *
tether_tool_get_name (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->name;
}

const char *
tether_tool_get_title (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->title;
}

const char *
tether_tool_get_display_title (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->title != NULL ? self->title : self->name;
}

const char *
tether_tool_get_description (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->description;
}

gboolean
tether_tool_get_read_only_hint (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), FALSE);
  return self->read_only;
}

gboolean
tether_tool_get_destructive_hint (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), FALSE);
  return self->destructive;
}

gboolean
tether_tool_get_idempotent_hint (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), FALSE);
  return self->idempotent;
}

gboolean
tether_tool_get_open_world_hint (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), FALSE);
  return self->open_world;
}

JsonObject *
tether_tool_get_input_schema (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->input_schema;
}

JsonObject *
tether_tool_get_output_schema (TetherTool *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), NULL);
  return self->output_schema;
}

char **
tether_tool_fold_query (const char *query)
{
  g_autofree char *folded = fold (query != NULL ? query : "");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit_set (folded, " \t\n\r", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (builder, words[i]);
  return g_strv_builder_end (builder);
}

gboolean
tether_tool_matches (TetherTool         *self,
                     const char * const *folded_words)
{
  g_return_val_if_fail (TETHER_IS_TOOL (self), FALSE);

  if (folded_words == NULL)
    return TRUE;
  for (guint i = 0; folded_words[i] != NULL; i++)
    if (strstr (self->search_key, folded_words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
tether_tool_finalize (GObject *object)
{
  TetherTool *self = TETHER_TOOL (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (tether_tool_parent_class)->finalize (object);
}

static void
tether_tool_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TetherTool *self = TETHER_TOOL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DISPLAY_TITLE:
      g_value_set_string (value, tether_tool_get_display_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_READ_ONLY_HINT:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_DESTRUCTIVE_HINT:
      g_value_set_boolean (value, self->destructive);
      break;
    case PROP_IDEMPOTENT_HINT:
      g_value_set_boolean (value, self->idempotent);
      break;
    case PROP_OPEN_WORLD_HINT:
      g_value_set_boolean (value, self->open_world);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_tool_class_init (TetherToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tether_tool_finalize;
  object_class->get_property = tether_tool_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_TITLE] =
    g_param_spec_string ("display-title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY_HINT] =
    g_param_spec_boolean ("read-only-hint", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTRUCTIVE_HINT] =
    g_param_spec_boolean ("destructive-hint", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDEMPOTENT_HINT] =
    g_param_spec_boolean ("idempotent-hint", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN_WORLD_HINT] =
    g_param_spec_boolean ("open-world-hint", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tether_tool_init (TetherTool *self)
{
}
