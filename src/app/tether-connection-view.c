/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-arguments-editor.h"
#include "tether-connection-view.h"
#include "tether-result-view.h"
#include "tether-tool-list.h"

struct _TetherConnectionView
{
  GtkWidget               parent_instance;

  TetherSession          *session;
  TetherTool             *tool;          /* the tool shown, if any */

  GCancellable           *call_cancellable;
  char                   *call_tool;     /* the name of the tool running */
  gint64                  call_started;  /* monotonic, µs */
  gboolean                running;

  /* Template children */
  GtkStack               *stack;
  AdwStatusPage          *status_page;
  GtkSpinner             *status_spinner;
  GtkButton              *status_button;
  AdwLeaflet             *tools_leaflet;
  TetherToolList         *tool_list;
  GtkStack               *tool_stack;
  GtkLabel               *tool_title;
  GtkLabel               *tool_name;
  GtkLabel               *tool_description;
  TetherArgumentsEditor  *arguments_editor;
  GtkLabel               *run_hint;
  GtkButton              *cancel_button;
  GtkButton              *run_button;
  TetherResultView       *result_view;
};

G_DEFINE_FINAL_TYPE (TetherConnectionView, tether_connection_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
tether_connection_view_update_actions (TetherConnectionView *self)
{
  gboolean connected = tether_session_get_state (self->session)
                       == TETHER_SESSION_STATE_CONNECTED;
  gboolean can_run;

  /* After dispose (a call finishing once the window closed) there is nothing to update. */
  if (self->arguments_editor == NULL)
    return;

  can_run = connected && self->tool != NULL && !self->running
            && tether_arguments_editor_get_valid (self->arguments_editor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tool.run", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tool.cancel", self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_hint), !self->running);
}

static void
tether_connection_view_set_running (TetherConnectionView *self,
                                    gboolean              running)
{
  if (self->running == running)
    return;

  self->running = running;
  if (!running)
    g_clear_pointer (&self->call_tool, g_free);
  tether_connection_view_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The session's state */

static void
tether_connection_view_update_status (TetherConnectionView *self)
{
  TetherSessionState state = tether_session_get_state (self->session);
  TetherConnection *connection = tether_session_get_connection (self->session);
  const char *reason = tether_session_get_reason (self->session);
  const char *icon = "network-offline-symbolic";
  const char *title = NULL;
  g_autofree char *description = NULL;
  const char *button_label = NULL;
  const char *button_action = NULL;
  gboolean busy = FALSE;

  switch (state)
    {
    case TETHER_SESSION_STATE_DISCONNECTED:
      title = _("Not Connected");
      description = g_strdup (_("Connect to see the server’s tools."));
      button_label = _("_Connect");
      button_action = "connection.connect";
      break;

    case TETHER_SESSION_STATE_CONNECTING:
      icon = "network-transmit-receive-symbolic";
      title = _("Connecting…");
      if (tether_connection_get_transport (connection) == TETHER_TRANSPORT_STDIO)
        description = g_strdup (tether_connection_get_command (connection));
      else
        description = g_strdup (tether_connection_get_url (connection));
      button_label = _("_Cancel");
      button_action = "connection.disconnect";
      busy = TRUE;
      break;

    case TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN:
      icon = "dialog-password-symbolic";
      title = _("Waiting for Sign-In");
      /* Translators: %s is what the sign-in waits for, e.g. "Sign in in the window that
       * opened" */
      description = g_strdup_printf (_("%s. The connection carries on once you are "
                                       "signed in."),
                                     reason != NULL ? reason : _("Sign in to continue"));
      button_label = _("_Cancel");
      button_action = "connection.disconnect";
      break;

    case TETHER_SESSION_STATE_FAILED:
      icon = "dialog-warning-symbolic";
      title = _("Could Not Connect");
      description = g_markup_escape_text (reason != NULL ? reason : "", -1);
      button_label = _("_Try Again");
      button_action = "connection.connect";
      break;

    case TETHER_SESSION_STATE_CONNECTED:
    default:
      if (tether_session_get_tools (self->session) == NULL)
        {
          icon = "network-transmit-receive-symbolic";
          title = _("Loading Tools…");
          busy = TRUE;
        }
      break;
    }

  if (title == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "tools");
      gtk_spinner_stop (self->status_spinner);
      tether_connection_view_update_actions (self);
      return;
    }

  /* Descriptions are markup in AdwStatusPage; everything put there is escaped. */
  if (description != NULL && state != TETHER_SESSION_STATE_FAILED)
    {
      char *escaped = g_markup_escape_text (description, -1);

      g_free (description);
      description = escaped;
    }

  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), busy);
  gtk_spinner_set_spinning (self->status_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), button_label != NULL);
  if (button_label != NULL)
    {
      g_autofree char *plain = g_strdup (button_label);

      gtk_button_set_label (self->status_button, button_label);
      /* GTK 4.8 would name the button after its label with the mnemonic underline. */
      g_strdelimit (plain, "_", ' ');
      g_strstrip (plain);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), button_action);
      if (g_strcmp0 (button_action, "connection.connect") == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_button), "suggested-action");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_button), "suggested-action");
    }
  gtk_stack_set_visible_child_name (self->stack, "status");
  tether_connection_view_update_actions (self);
}

static void
on_session_state_changed (TetherConnectionView *self)
{
  if (tether_session_get_state (self->session) != TETHER_SESSION_STATE_CONNECTED
      && self->call_cancellable != NULL)
    g_cancellable_cancel (self->call_cancellable);
  tether_connection_view_update_status (self);
}

/* Tools */

static gboolean
same_schema (JsonObject *a,
             JsonObject *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  node_a = json_node_init_object (json_node_alloc (), a);
  node_b = json_node_init_object (json_node_alloc (), b);
  return json_node_equal (node_a, node_b);
}

static void
tether_connection_view_show_tool (TetherConnectionView *self,
                                  TetherTool           *tool)
{
  const char *description;
  const char *title;
  gboolean same_tool;

  if (tool == self->tool)
    return;

  same_tool = tool != NULL && self->tool != NULL
              && g_strcmp0 (tether_tool_get_name (tool), tether_tool_get_name (self->tool)) == 0;

  /* One call at a time: switching to another tool cancels the one running. */
  if (!same_tool && self->call_cancellable != NULL)
    g_cancellable_cancel (self->call_cancellable);

  if (tool == NULL)
    {
      g_clear_object (&self->tool);
      gtk_stack_set_visible_child_name (self->tool_stack, "none");
      tether_connection_view_update_actions (self);
      return;
    }

  /* A refresh (list_changed) brings new objects for the same tools; keep what was typed
   * unless the schema changed. */
  if (!same_tool
      || !same_schema (tether_tool_get_input_schema (self->tool),
                       tether_tool_get_input_schema (tool)))
    {
      tether_arguments_editor_set_schema (self->arguments_editor,
                                          tether_tool_get_input_schema (tool));
    }
  if (!same_tool)
    tether_result_view_clear (self->result_view);

  g_set_object (&self->tool, tool);

  title = tether_tool_get_display_title (tool);
  description = tether_tool_get_description (tool);
  gtk_label_set_label (self->tool_title, title);
  gtk_label_set_label (self->tool_name, tether_tool_get_name (tool));
  gtk_widget_set_visible (GTK_WIDGET (self->tool_name),
                          g_strcmp0 (title, tether_tool_get_name (tool)) != 0);
  gtk_label_set_label (self->tool_description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tool_description),
                          description != NULL && *description != '\0');
  gtk_stack_set_visible_child_name (self->tool_stack, "tool");
  tether_connection_view_update_actions (self);
}

static void
on_session_tools_changed (TetherConnectionView *self)
{
  JsonArray *tools = tether_session_get_tools (self->session);
  TetherTool *tool = NULL;

  tether_tool_list_set_tools (self->tool_list, tools);

  /* Without tools (disconnected) the status page covers the tools; the tool shown, and what
   * was typed for it, come back with the next list when the server still has it. */
  if (tools != NULL && self->tool != NULL)
    {
      tool = tether_tool_list_lookup (self->tool_list, tether_tool_get_name (self->tool));
      tether_connection_view_show_tool (self, tool);
      if (tool != NULL)
        tether_tool_list_select_tool (self->tool_list, tether_tool_get_name (tool));
    }
  tether_connection_view_update_status (self);
}

/* A tool the person picked: when the list and the tool do not fit side by side, the tool
 * takes the place of the list ("Tools" goes back). */
static void
tether_connection_view_open_tool (TetherConnectionView *self,
                                  TetherTool           *tool)
{
  tether_connection_view_show_tool (self, tool);
  adw_leaflet_navigate (self->tools_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
tool_activated_cb (TetherConnectionView *self,
                   TetherTool           *tool)
{
  tether_connection_view_open_tool (self, tool);
}

static void
selected_tool_changed_cb (TetherConnectionView *self)
{
  TetherTool *tool = tether_tool_list_get_selected_tool (self->tool_list);

  /* A selection going away (a search hiding it) keeps the tool shown. */
  if (tool != NULL)
    tether_connection_view_open_tool (self, tool);
}

static void
show_list_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (widget);

  adw_leaflet_navigate (self->tools_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
arguments_valid_changed_cb (TetherConnectionView *self)
{
  tether_connection_view_update_actions (self);
}

/* Running a tool */

static void
on_call_progress (double      progress,
                  double      total,
                  const char *message,
                  gpointer    user_data)
{
  TetherConnectionView *self = user_data;
  g_autofree char *text = NULL;
  double fraction = -1.0;

  if (!self->running || self->result_view == NULL)
    return;

  if (total > 0)
    {
      fraction = CLAMP (progress / total, 0.0, 1.0);
      /* Translators: progress of a tool call, e.g. "3 of 10" */
      text = message != NULL ? g_strdup (message) : g_strdup_printf (_("%g of %g"),
                                                                     progress, total);
    }
  else
    text = message != NULL ? g_strdup (message) : g_strdup_printf ("%g", progress);

  tether_result_view_set_running (self->result_view, TRUE, fraction, text);
}

/* The size of a result as compact JSON, measured in a worker thread: a result can be many
 * megabytes. The node is made and freed on the main thread; the worker only reads it, while
 * nothing else touches the result. */
typedef struct
{
  JsonNode   *node;
  gint64      elapsed_us;
} Measure;

static void
measure_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Measure *measure = task_data;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (generator, measure->node);
  text = json_generator_to_data (generator, &length);
  g_task_return_int (task, (gssize) length);
}

static void
on_result_measured (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (source);
  Measure *measure = user_data;
  gssize size = g_task_propagate_int (G_TASK (result), NULL);

  if (self->result_view != NULL)
    tether_result_view_set_result (self->result_view, json_node_get_object (measure->node),
                                   measure->elapsed_us, size > 0 ? (gsize) size : 0,
                                   self->tool != NULL
                                   ? tether_tool_get_output_schema (self->tool) : NULL);
  tether_connection_view_set_running (self, FALSE);
  json_node_unref (measure->node);
  g_free (measure);
}

static void
on_tool_called (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TetherConnectionView) self = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed = g_get_monotonic_time () - self->call_started;

  answer = tether_session_call_tool_finish (TETHER_SESSION (source), result, &error);
  g_clear_object (&self->call_cancellable);

  /* Disposed meanwhile (the window closed). */
  if (self->result_view == NULL)
    {
      tether_connection_view_set_running (self, FALSE);
      return;
    }

  if (answer != NULL)
    {
      g_autoptr(GTask) task = NULL;
      Measure *measure = g_new0 (Measure, 1);

      measure->node = json_node_init_object (json_node_alloc (), answer);
      measure->elapsed_us = elapsed;
      task = g_task_new (self, NULL, on_result_measured, measure);
      g_task_set_source_tag (task, on_tool_called);
      g_task_set_task_data (task, measure, NULL);
      g_task_run_in_thread (task, measure_in_thread);
      return;
    }

  tether_connection_view_set_running (self, FALSE);
  tether_result_view_set_running (self->result_view, FALSE, -1, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The call was cancelled"));

      tether_result_view_set_error (self->result_view, cancelled);
    }
  else
    tether_result_view_set_error (self->result_view, error);
}

static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (widget);
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tool == NULL || self->running)
    return;

  arguments = tether_arguments_editor_get_arguments (self->arguments_editor, &error);
  if (arguments == NULL)
    {
      tether_schema_form_focus_first_invalid (
        tether_arguments_editor_get_form (self->arguments_editor));
      tether_result_view_set_error (self->result_view, error);
      return;
    }

  self->call_cancellable = g_cancellable_new ();
  self->call_tool = g_strdup (tether_tool_get_name (self->tool));
  self->call_started = g_get_monotonic_time ();
  tether_connection_view_set_running (self, TRUE);
  tether_result_view_set_running (self->result_view, TRUE, -1, _("Running…"));

  tether_session_call_tool_async (self->session, self->call_tool, arguments,
                                  on_call_progress, self, self->call_cancellable,
                                  on_tool_called, g_object_ref (self));
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (widget);

  if (self->call_cancellable != NULL)
    g_cancellable_cancel (self->call_cancellable);
}

/* GObject */

static void
tether_connection_view_constructed (GObject *object)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (object);

  G_OBJECT_CLASS (tether_connection_view_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reason",
                           G_CALLBACK (tether_connection_view_update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::tools",
                           G_CALLBACK (on_session_tools_changed), self, G_CONNECT_SWAPPED);

  on_session_tools_changed (self);
}

static void
tether_connection_view_dispose (GObject *object)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (object);

  if (self->call_cancellable != NULL)
    g_cancellable_cancel (self->call_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_CONNECTION_VIEW);
  g_clear_object (&self->tool);

  G_OBJECT_CLASS (tether_connection_view_parent_class)->dispose (object);
}

static void
tether_connection_view_finalize (GObject *object)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (object);

  g_clear_object (&self->call_cancellable);
  g_clear_object (&self->session);
  g_free (self->call_tool);

  G_OBJECT_CLASS (tether_connection_view_parent_class)->finalize (object);
}

static void
tether_connection_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TetherConnectionView *self = TETHER_CONNECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_view_class_init (TetherConnectionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tether_connection_view_constructed;
  object_class->dispose = tether_connection_view_dispose;
  object_class->finalize = tether_connection_view_finalize;
  object_class->get_property = tether_connection_view_get_property;
  object_class->set_property = tether_connection_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TETHER_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TETHER_TYPE_TOOL_LIST);
  g_type_ensure (TETHER_TYPE_ARGUMENTS_EDITOR);
  g_type_ensure (TETHER_TYPE_RESULT_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-connection-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, stack);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, status_page);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, status_button);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tools_leaflet);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tool_list);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tool_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tool_title);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tool_name);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, tool_description);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, arguments_editor);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, run_hint);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, run_button);
  gtk_widget_class_bind_template_child (widget_class, TetherConnectionView, result_view);
  gtk_widget_class_bind_template_callback (widget_class, tool_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_tool_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, arguments_valid_changed_cb);

  gtk_widget_class_install_action (widget_class, "tool.run", NULL, run_activated);
  gtk_widget_class_install_action (widget_class, "tool.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "tool.show-list", NULL, show_list_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "tool.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "tool.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "tool.cancel", NULL);
}

static void
tether_connection_view_init (TetherConnectionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tether_connection_view_new (TetherSession *session)
{
  g_return_val_if_fail (TETHER_IS_SESSION (session), NULL);

  return g_object_new (TETHER_TYPE_CONNECTION_VIEW,
                       "session", session,
                       NULL);
}

TetherSession *
tether_connection_view_get_session (TetherConnectionView *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_VIEW (self), NULL);

  return self->session;
}

gboolean
tether_connection_view_get_running (TetherConnectionView *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_VIEW (self), FALSE);

  return self->running;
}
