/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-connection-row.h"

struct _TetherConnectionRow
{
  GtkListBoxRow   parent_instance;

  TetherSession  *session;
  GMenuModel     *menu;
  GtkWidget      *popover;   /* the context menu, made on first use */

  /* Template children */
  GtkImage       *transport_icon;
  GtkLabel       *name_label;
  GtkLabel       *state_label;
  GtkStack       *state_stack;
  GtkSpinner     *spinner;
};

G_DEFINE_FINAL_TYPE (TetherConnectionRow, tether_connection_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_MENU,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tether_connection_row_update_transport (TetherConnectionRow *self)
{
  TetherConnection *connection = tether_session_get_connection (self->session);
  const char *icon;
  const char *description;

  switch (tether_connection_get_transport (connection))
    {
    case TETHER_TRANSPORT_SSE:
      icon = "network-transmit-receive-symbolic";
      description = _("HTTP+SSE");
      break;
    case TETHER_TRANSPORT_STDIO:
      icon = "utilities-terminal-symbolic";
      description = _("Local command (stdio)");
      break;
    case TETHER_TRANSPORT_HTTP:
    default:
      icon = "network-server-symbolic";
      description = _("Streamable HTTP");
      break;
    }

  gtk_image_set_from_icon_name (self->transport_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->transport_icon), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->transport_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static void
tether_connection_row_update (TetherConnectionRow *self)
{
  TetherConnection *connection = tether_session_get_connection (self->session);
  TetherSessionState state = tether_session_get_state (self->session);
  const char *reason = tether_session_get_reason (self->session);
  const char *state_text = tether_session_state_to_string (state);
  const char *name = tether_connection_get_name (connection);
  const char *page;
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->state_label, state_text);

  switch (state)
    {
    case TETHER_SESSION_STATE_CONNECTING:
      page = "busy";
      break;
    case TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN:
      page = "sign-in";
      break;
    case TETHER_SESSION_STATE_CONNECTED:
      page = "connected";
      break;
    case TETHER_SESSION_STATE_FAILED:
      page = "failed";
      break;
    case TETHER_SESSION_STATE_DISCONNECTED:
    default:
      page = "none";
      break;
    }
  gtk_stack_set_visible_child_name (self->state_stack, page);
  gtk_spinner_set_spinning (self->spinner, state == TETHER_SESSION_STATE_CONNECTING);

  /* The reason on hover; the main area shows it too. */
  if (reason != NULL && *reason != '\0')
    tooltip = g_strdup_printf ("%s: %s", state_text, reason);
  else
    tooltip = g_strdup (state_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
}

static void
tether_connection_row_popup_menu (TetherConnectionRow *self,
                                  double               x,
                                  double               y)
{
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self));

  if (self->menu == NULL)
    return;

  /* The "connection.*" actions work on the selected connection. */
  if (GTK_IS_LIST_BOX (list))
    gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (self));

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (self->menu);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                                 &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), NULL);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_secondary_click (GtkGestureClick     *gesture,
                    int                  n_press,
                    double               x,
                    double               y,
                    TetherConnectionRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  tether_connection_row_popup_menu (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               TetherConnectionRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  tether_connection_row_popup_menu (self, x, y);
}

static void
menu_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  tether_connection_row_popup_menu (TETHER_CONNECTION_ROW (widget), -1, -1);
}

static void
tether_connection_row_constructed (GObject *object)
{
  TetherConnectionRow *self = TETHER_CONNECTION_ROW (object);
  TetherConnection *connection = tether_session_get_connection (self->session);

  G_OBJECT_CLASS (tether_connection_row_parent_class)->constructed (object);

  g_signal_connect_object (connection, "notify::name",
                           G_CALLBACK (tether_connection_row_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::transport",
                           G_CALLBACK (tether_connection_row_update_transport), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (tether_connection_row_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reason",
                           G_CALLBACK (tether_connection_row_update), self, G_CONNECT_SWAPPED);

  tether_connection_row_update_transport (self);
  tether_connection_row_update (self);
}

static void
tether_connection_row_dispose (GObject *object)
{
  TetherConnectionRow *self = TETHER_CONNECTION_ROW (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_CONNECTION_ROW);
  g_clear_object (&self->session);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (tether_connection_row_parent_class)->dispose (object);
}

static void
tether_connection_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TetherConnectionRow *self = TETHER_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_MENU:
      g_value_set_object (value, self->menu);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TetherConnectionRow *self = TETHER_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_MENU:
      self->menu = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_row_class_init (TetherConnectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tether_connection_row_constructed;
  object_class->dispose = tether_connection_row_dispose;
  object_class->get_property = tether_connection_row_get_property;
  object_class->set_property = tether_connection_row_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TETHER_TYPE_SESSION, construct);
  properties[PROP_MENU] =
    g_param_spec_object ("menu", NULL, NULL, G_TYPE_MENU_MODEL, construct);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-connection-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionRow, transport_icon);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionRow, spinner);

  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "row.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "row.menu", NULL);
}

static void
tether_connection_row_init (TetherConnectionRow *self)
{
  GtkGesture *click;
  GtkGesture *long_press;

  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

GtkWidget *
tether_connection_row_new (TetherSession *session,
                           GMenuModel    *menu)
{
  g_return_val_if_fail (TETHER_IS_SESSION (session), NULL);
  g_return_val_if_fail (menu == NULL || G_IS_MENU_MODEL (menu), NULL);

  return g_object_new (TETHER_TYPE_CONNECTION_ROW,
                       "session", session,
                       "menu", menu,
                       NULL);
}

TetherSession *
tether_connection_row_get_session (TetherConnectionRow *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_ROW (self), NULL);

  return self->session;
}
