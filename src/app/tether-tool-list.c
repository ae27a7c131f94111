/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tool list. A server may offer thousands of tools, so this is a list model all the way:
 * a GListStore of TetherTool, a GtkFilterListModel over it, and a GtkListView that makes only
 * the rows on screen and recycles them. Typing narrows the filter with
 * GTK_FILTER_CHANGE_MORE_STRICT, so each keystroke looks only at the tools still shown. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tether-tool-list.h"
#include "tether-tool-row.h"

/* A second press this soon after a click is the list view's double-click activation of a
 * row the click already activated. */
#define DOUBLE_CLICK_WINDOW_US (500 * G_TIME_SPAN_MILLISECOND)

struct _TetherToolList
{
  GtkWidget           parent_instance;

  GListStore         *tools;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  char               *folded_query;     /* what the filter currently applies */
  char              **folded_words;
  guint               search_idle;
  gint64              double_press_time;

  /* Template children */
  GtkWidget          *box;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_matches_page;
};

G_DEFINE_FINAL_TYPE (TetherToolList, tether_tool_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SEARCH_TEXT,
  PROP_SELECTED_TOOL,
  PROP_N_TOOLS,
  N_PROPS
};

enum {
  TOOL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char tool_list_css[] =
  "toolrow { padding: 9px 12px; }\n"
  "toolrow .tool-title { font-weight: bold; }\n"
  "toolrow .tool-name { font-family: monospace; font-size: 0.85em; opacity: 0.55; }\n"
  "toolrow .tool-description { font-size: 0.9em; opacity: 0.8; margin-top: 2px; }\n"
  "toolrow .tool-badge {\n"
  "  font-size: 0.75em; font-weight: bold;\n"
  "  padding: 1px 7px; border-radius: 999px;\n"
  "  background-color: alpha(currentColor, 0.1);\n"
  "}\n"
  "toolrow .tool-badge.destructive {\n"
  "  color: @error_color; background-color: alpha(@error_color, 0.12);\n"
  "}\n";

static void
ensure_css (GtkWidget *widget)
{
  static GQuark quark;
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (quark == 0)
    quark = g_quark_from_static_string ("tether-tool-list-css");
  if (display == NULL || g_object_get_qdata (G_OBJECT (display), quark) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, tool_list_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_qdata_full (G_OBJECT (display), quark, g_steal_pointer (&provider),
                           g_object_unref);
}

/* ---- Filtering --------------------------------------------------------------------------- */

static gboolean
tool_matches (gpointer item,
              gpointer user_data)
{
  TetherToolList *self = user_data;

  return tether_tool_matches (TETHER_TOOL (item), (const char * const *) self->folded_words);
}

static void
tether_tool_list_update_page (TetherToolList *self)
{
  guint n_tools = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (n_tools == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (n_shown == 0)
    {
      g_autofree char *escaped =
        g_markup_escape_text (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
      g_autofree char *description =
        /* Translators: shown when the search matches no tool; %s is what was typed. */
        g_strdup_printf (_("No tool’s name, title or description contains “%s”."), escaped);

      adw_status_page_set_description (self->no_matches_page, description);
      gtk_stack_set_visible_child_name (self->stack, "no-matches");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "tools");
    }
}

static void
tether_tool_list_apply_search (TetherToolList *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_auto(GStrv) words = tether_tool_fold_query (text);
  g_autofree char *folded = g_strjoinv (" ", words);
  GtkFilterChange change;

  if (g_strcmp0 (folded, self->folded_query) == 0)
    return;

  /* Typing on only ever removes matches, and deleting only ever adds them: the filter can
   * then skip the tools whose answer cannot change. Words are joined by single spaces, so
   * "extends the old query" is a plain prefix test. */
  if (g_str_has_prefix (folded, self->folded_query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (g_str_has_prefix (self->folded_query, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  g_free (self->folded_query);
  self->folded_query = g_steal_pointer (&folded);
  g_strfreev (self->folded_words);
  self->folded_words = g_steal_pointer (&words);

  gtk_filter_changed (GTK_FILTER (self->filter), change);
  tether_tool_list_update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

static gboolean
apply_search_idle_cb (gpointer user_data)
{
  TetherToolList *self = user_data;

  self->search_idle = 0;
  tether_tool_list_apply_search (self);
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (TetherToolList *self)
{
  /* Not right away: replacing the text (select all, then type) changes it twice, through
   * the empty string, and filtering for that would rebuild the whole list in between. An
   * idle ahead of the next frame takes only the last. */
  if (self->search_idle == 0)
    {
      self->search_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_search_idle_cb, self,
                                           NULL);
      g_source_set_name_by_id (self->search_idle, "[tether] tool list search");
    }
}

static void
stop_search_cb (TetherToolList *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---- Activation -------------------------------------------------------------------------- */

static void
tether_tool_list_activate_position (TetherToolList *self,
                                    guint           position)
{
  g_autoptr(TetherTool) tool = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (tool == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[TOOL_ACTIVATED], 0, tool);
}

static void
search_activate_cb (TetherToolList *self)
{
  /* Enter in the search field opens the first match: type a few letters, press Enter. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    tether_tool_list_activate_position (self, 0);
}

static void
list_activate_cb (TetherToolList *self,
                  guint           position)
{
  /* The list view activates on Enter and on double-click; the click before the double
   * already activated this row through row_released_cb. */
  if (self->double_press_time != 0 &&
      g_get_monotonic_time () - self->double_press_time < DOUBLE_CLICK_WINDOW_US)
    {
      self->double_press_time = 0;
      return;
    }
  self->double_press_time = 0;
  tether_tool_list_activate_position (self, position);
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkListItem     *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TetherToolList *self =
    TETHER_TOOL_LIST (gtk_widget_get_ancestor (widget, TETHER_TYPE_TOOL_LIST));

  if (self != NULL && n_press > 1)
    self->double_press_time = g_get_monotonic_time ();
}

static void
row_released_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TetherToolList *self =
    TETHER_TOOL_LIST (gtk_widget_get_ancestor (widget, TETHER_TYPE_TOOL_LIST));
  guint position = gtk_list_item_get_position (item);

  /* A single click opens the tool, as in a sidebar; the list view itself would want a
   * double-click, and single-click-activate would select rows on mere hover. */
  if (self != NULL && n_press == 1 && position != GTK_INVALID_LIST_POSITION &&
      gtk_widget_contains (widget, x, y))
    tether_tool_list_activate_position (self, position);
}

/* ---- Rows -------------------------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *row = tether_tool_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), item);
  g_signal_connect (click, "released", G_CALLBACK (row_released_cb), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  tether_tool_row_set_tool (TETHER_TOOL_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  tether_tool_row_set_tool (TETHER_TOOL_ROW (gtk_list_item_get_child (item)), NULL);
}

/* ---- Public API -------------------------------------------------------------------------- */

GtkWidget *
tether_tool_list_new (void)
{
  return g_object_new (TETHER_TYPE_TOOL_LIST, NULL);
}

void
tether_tool_list_set_tools (TetherToolList *self,
                            JsonArray      *tools)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *selected_name = NULL;
  TetherTool *selected;
  guint n_old;

  g_return_if_fail (TETHER_IS_TOOL_LIST (self));

  selected = tether_tool_list_get_selected_tool (self);
  if (selected != NULL)
    selected_name = g_strdup (tether_tool_get_name (selected));

  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      JsonNode *node = json_array_get_element (tools, i);
      g_autoptr(GError) error = NULL;
      TetherTool *tool;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_debug ("Skipping tools[%u]: expected an object", i);
          continue;
        }
      tool = tether_tool_new_from_json (json_node_get_object (node), &error);
      if (tool == NULL)
        {
          g_debug ("Skipping tools[%u]: %s", i, error->message);
          continue;
        }
      g_ptr_array_add (items, tool);
    }

  /* One splice, one items-changed: the list view rebuilds once, not once per tool. */
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  g_list_store_splice (self->tools, 0, n_old, items->pdata, items->len);

  if (selected_name != NULL)
    tether_tool_list_select_tool (self, selected_name);

  tether_tool_list_update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOOLS]);
}

guint
tether_tool_list_get_n_tools (TetherToolList *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->tools));
}

TetherTool *
tether_tool_list_lookup (TetherToolList *self,
                         const char     *name)
{
  guint n;

  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TetherTool) tool = g_list_model_get_item (G_LIST_MODEL (self->tools), i);

      if (g_strcmp0 (tether_tool_get_name (tool), name) == 0)
        return tool; /* the store keeps its reference */
    }
  return NULL;
}

GListModel *
tether_tool_list_get_model (TetherToolList *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

const char *
tether_tool_list_get_search_text (TetherToolList *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

void
tether_tool_list_set_search_text (TetherToolList *self,
                                  const char     *text)
{
  g_return_if_fail (TETHER_IS_TOOL_LIST (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_clear_handle_id (&self->search_idle, g_source_remove);
  tether_tool_list_apply_search (self);
}

TetherTool *
tether_tool_list_get_selected_tool (TetherToolList *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

gboolean
tether_tool_list_select_tool (TetherToolList *self,
                              const char     *name)
{
  guint n;

  g_return_val_if_fail (TETHER_IS_TOOL_LIST (self), FALSE);

  if (name == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return TRUE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TetherTool) tool = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (tether_tool_get_name (tool), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TetherToolList *self = TETHER_TOOL_LIST (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
selected_item_changed_cb (TetherToolList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TOOL]);
}

static void
tether_tool_list_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tether_tool_list_parent_class)->root (widget);
  ensure_css (widget);
}

static void
tether_tool_list_dispose (GObject *object)
{
  TetherToolList *self = TETHER_TOOL_LIST (object);

  g_clear_handle_id (&self->search_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_TOOL_LIST);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->tools);

  G_OBJECT_CLASS (tether_tool_list_parent_class)->dispose (object);
}

static void
tether_tool_list_finalize (GObject *object)
{
  TetherToolList *self = TETHER_TOOL_LIST (object);

  g_clear_pointer (&self->folded_query, g_free);
  g_clear_pointer (&self->folded_words, g_strfreev);

  G_OBJECT_CLASS (tether_tool_list_parent_class)->finalize (object);
}

static void
tether_tool_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TetherToolList *self = TETHER_TOOL_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, tether_tool_list_get_search_text (self));
      break;
    case PROP_SELECTED_TOOL:
      g_value_set_object (value, tether_tool_list_get_selected_tool (self));
      break;
    case PROP_N_TOOLS:
      g_value_set_uint (value, tether_tool_list_get_n_tools (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_tool_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TetherToolList *self = TETHER_TOOL_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH_TEXT:
      tether_tool_list_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_tool_list_class_init (TetherToolListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_tool_list_dispose;
  object_class->finalize = tether_tool_list_finalize;
  object_class->get_property = tether_tool_list_get_property;
  object_class->set_property = tether_tool_list_set_property;

  widget_class->root = tether_tool_list_root;

  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_TOOL] =
    g_param_spec_object ("selected-tool", NULL, NULL, TETHER_TYPE_TOOL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOOLS] =
    g_param_spec_uint ("n-tools", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOOL_ACTIVATED] =
    g_signal_new ("tool-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TETHER_TYPE_TOOL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-tool-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherToolList, box);
  gtk_widget_class_bind_template_child (widget_class, TetherToolList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TetherToolList, stack);
  gtk_widget_class_bind_template_child (widget_class, TetherToolList, list_view);
  gtk_widget_class_bind_template_child (widget_class, TetherToolList, no_matches_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_action (widget_class, "tool-list.search", NULL, search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "tool-list.search", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "toollist");
}

static void
tether_tool_list_init (TetherToolList *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->folded_query = g_strdup ("");
  self->folded_words = g_new0 (char *, 1);

  self->tools = g_list_store_new (TETHER_TYPE_TOOL);
  self->filter = gtk_custom_filter_new (tool_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->tools)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  /* Nothing is selected until a person picks a tool: the selection means "the open tool". */
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selected_item_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Typing while the list has focus goes to the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));

  tether_tool_list_update_page (self);
}
