/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherConnection, continued: one entry of connections.json. Each property is the member of
 * the same name: strings as strings, string lists as arrays, enums by their nicks, the
 * timeout as a whole number. */
#include "config.h"

#include <stdlib.h>

#include "tether-connection-private.h"

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "true or false";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "a value of an unknown type";
    }
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Turns @node into @value (initialized to the property's type), or says what is wrong. */
static gboolean
read_member (GParamSpec  *pspec,
             JsonNode    *node,
             GValue      *value,
             GError     **error)
{
  const char *member = g_param_spec_get_name (pspec);

  if (pspec->value_type == G_TYPE_STRING)
    {
      if (!holds (node, G_TYPE_STRING))
        goto wrong_type;
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;
    }

  if (pspec->value_type == G_TYPE_UINT)
    {
      GParamSpecUInt *range = G_PARAM_SPEC_UINT (pspec);

      if (!holds (node, G_TYPE_INT64))
        goto wrong_type;
      g_value_set_uint (value, (guint) CLAMP (json_node_get_int (node),
                                              (gint64) range->minimum, (gint64) range->maximum));
      return TRUE;
    }

  if (pspec->value_type == G_TYPE_STRV)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        goto wrong_type;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!holds (element, G_TYPE_STRING))
            {
              g_set_error (error, TETHER_CONNECTION_ERROR, TETHER_CONNECTION_ERROR_INVALID,
                           "“%s” item %u should be a string, found %s",
                           member, i + 1, describe_node (element));
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      g_value_take_boxed (value, g_strv_builder_end (builder));
      return TRUE;
    }

  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumValue *ev;

      if (!holds (node, G_TYPE_STRING))
        goto wrong_type;
      ev = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class,
                                     json_node_get_string (node));
      if (ev == NULL)
        {
          g_set_error (error, TETHER_CONNECTION_ERROR, TETHER_CONNECTION_ERROR_INVALID,
                       "“%s” is “%s”, which this version of Tether does not know",
                       member, json_node_get_string (node));
          return FALSE;
        }
      g_value_set_enum (value, ev->value);
      return TRUE;
    }

  g_return_val_if_reached (FALSE);

wrong_type:
  g_set_error (error, TETHER_CONNECTION_ERROR, TETHER_CONNECTION_ERROR_INVALID,
               "“%s” should be %s, found %s", member,
               pspec->value_type == G_TYPE_STRING ? "a string"
               : pspec->value_type == G_TYPE_UINT ? "a whole number"
               : pspec->value_type == G_TYPE_STRV ? "an array of strings"
               : "a string", describe_node (node));
  return FALSE;
}

/* Strict about the types of the members it knows (a hand-edited file with a mistake is
 * better kept aside than silently "repaired" and overwritten), lenient about absent ones
 * (their defaults), and keeps unknown ones for the next save. */
TetherConnection *
tether_connection_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(TetherConnection) self = NULL;
  g_autoptr(JsonObject) unknown = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  const char *id = NULL;
  JsonNode *id_node;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  guint n_pspecs;

  g_return_val_if_fail (object != NULL, NULL);

  id_node = json_object_get_member (object, "id");
  if (id_node != NULL)
    {
      if (!holds (id_node, G_TYPE_STRING))
        {
          g_set_error (error, TETHER_CONNECTION_ERROR, TETHER_CONNECTION_ERROR_INVALID,
                       "“id” should be a string, found %s", describe_node (id_node));
          return NULL;
        }
      id = json_node_get_string (id_node);
    }
  /* Without one (a hand-written entry), a new id. */
  self = tether_connection_new_with_id (id);

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_pspecs);
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE) || (pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY))
        continue;
      node = json_object_get_member (object, g_param_spec_get_name (pspecs[i]));
      if (node == NULL)
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      if (!read_member (pspecs[i], node, &value, error))
        {
          g_object_thaw_notify (G_OBJECT (self));
          return NULL;
        }
      g_object_set_property (G_OBJECT (self), g_param_spec_get_name (pspecs[i]), &value);
    }
  g_object_thaw_notify (G_OBJECT (self));

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (self), member) != NULL)
        continue;
      if (unknown == NULL)
        unknown = json_object_new ();
      json_object_set_member (unknown, member, json_node_copy (node));
    }
  tether_connection_take_unknown_members (self, g_steal_pointer (&unknown));

  return g_steal_pointer (&self);
}

/* In the order the class installs them, so files read id, name, transport, ... */
static int
compare_install_order (gconstpointer a,
                       gconstpointer b)
{
  const GParamSpec *pa = *(const GParamSpec * const *) a;
  const GParamSpec *pb = *(const GParamSpec * const *) b;

  return pa->param_id < pb->param_id ? -1 : pa->param_id > pb->param_id;
}

JsonNode *
tether_connection_to_json (TetherConnection *self)
{
  g_autofree GParamSpec **pspecs = NULL;
  JsonObject *object;
  JsonObject *unknown;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  guint n_pspecs;

  g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);

  object = json_object_new ();

  unknown = tether_connection_get_unknown_members (self);
  if (unknown != NULL)
    {
      json_object_iter_init (&iter, unknown);
      while (json_object_iter_next (&iter, &member, &node))
        json_object_set_member (object, member, json_node_copy (node));
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_pspecs);
  qsort (pspecs, n_pspecs, sizeof (GParamSpec *), compare_install_order);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      const char *name = g_param_spec_get_name (pspecs[i]);

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (self), name, &value);

      if (pspecs[i]->value_type == G_TYPE_STRING)
        json_object_set_string_member (object, name, g_value_get_string (&value));
      else if (pspecs[i]->value_type == G_TYPE_UINT)
        json_object_set_int_member (object, name, g_value_get_uint (&value));
      else if (pspecs[i]->value_type == G_TYPE_STRV)
        {
          const char * const *strv = g_value_get_boxed (&value);
          JsonArray *array = json_array_new ();

          for (guint j = 0; strv != NULL && strv[j] != NULL; j++)
            json_array_add_string_element (array, strv[j]);
          json_object_set_array_member (object, name, array);
        }
      else if (G_IS_PARAM_SPEC_ENUM (pspecs[i]))
        {
          GEnumValue *ev = g_enum_get_value (G_PARAM_SPEC_ENUM (pspecs[i])->enum_class,
                                             g_value_get_enum (&value));

          g_return_val_if_fail (ev != NULL, NULL);
          json_object_set_string_member (object, name, ev->value_nick);
        }
      else
        g_return_val_if_reached (NULL);
    }

  return json_node_init_object (json_node_alloc (), object);
}
