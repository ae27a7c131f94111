/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherArgumentsEditor: a tool's arguments, edited either in the TetherSchemaForm built from
 * its inputSchema or as JSON text in a source view. Switching keeps the values both ways;
 * JSON that does not parse stays where it is, with the line and column of the problem. */
#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <stdio.h>
#include <string.h>

#include "tether-arguments-editor.h"
#include "tether-json-schema.h"

#define MODE_FORM "form"
#define MODE_JSON "json"

struct _TetherArgumentsEditor
{
  AdwBin             parent_instance;

  TetherJsonSchema  *schema;
  char              *mode;
  guint              valid : 1;
  guint              json_valid : 1;
  guint              setting_text;
  guint              syncing_buttons;

  /* Template children */
  TetherSchemaForm  *form;
  GtkStack          *stack;
  GtkSourceView     *source_view;
  GtkLabel          *json_message;
  GtkToggleButton   *form_button;
  GtkToggleButton   *json_button;
};

G_DEFINE_FINAL_TYPE (TetherArgumentsEditor, tether_arguments_editor, ADW_TYPE_BIN)
G_DEFINE_QUARK (tether-arguments-editor-error-quark, tether_arguments_editor_error)

enum {
  PROP_0,
  PROP_MODE,
  PROP_VALID,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GtkSourceBuffer *
source_buffer (TetherArgumentsEditor *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
}

static char *
dup_text (TetherArgumentsEditor *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (source_buffer (self));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_text (TetherArgumentsEditor *self,
          JsonObject            *arguments)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), arguments);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  self->setting_text++;
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (source_buffer (self)), text, -1);
  self->setting_text--;
}

/* Empty text means no arguments. A parse error names the line and column (from 1) as
 * json-glib reports them: "<data>:LINE:COLUMN: message". */
static JsonObject *
parse_arguments (const char  *text,
                 guint       *line,
                 guint       *column,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  *line = 0;
  *column = 0;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      int consumed = 0;

      if (sscanf (local_error->message, "<data>:%u:%u: %n", line, column, &consumed) == 2 &&
          consumed > 0)
        {
          const char *detail = local_error->message + consumed;

          /* json-glib says "Parse error: " first; the line and column say that already. */
          if (g_str_has_prefix (detail, "Parse error: "))
            detail += strlen ("Parse error: ");
          g_set_error (error, TETHER_ARGUMENTS_EDITOR_ERROR, TETHER_ARGUMENTS_EDITOR_ERROR_PARSE,
                       _("Line %u, column %u: %s"), *line, *column, detail);
        }
      else
        g_set_error_literal (error, TETHER_ARGUMENTS_EDITOR_ERROR,
                             TETHER_ARGUMENTS_EDITOR_ERROR_PARSE, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    return json_object_new ();

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *got = tether_json_schema_describe_value (root);

      g_set_error (error, TETHER_ARGUMENTS_EDITOR_ERROR, TETHER_ARGUMENTS_EDITOR_ERROR_NOT_OBJECT,
                   _("The arguments must be a JSON object, not %s"), got);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
show_json_message (TetherArgumentsEditor *self,
                   const char            *message,
                   const char            *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->json_message), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->json_message), "warning");
  gtk_label_set_text (self->json_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->json_message), message != NULL);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->json_message), css_class);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->source_view),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               g_strcmp0 (css_class, "error") == 0 ? GTK_ACCESSIBLE_INVALID_TRUE
                                                                   : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
update_valid (TetherArgumentsEditor *self)
{
  gboolean valid;

  if (g_str_equal (self->mode, MODE_JSON))
    valid = self->json_valid;
  else
    valid = tether_schema_form_get_valid (self->form);

  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

/* Text that does not parse is an error. Text that parses but does not match the schema is
 * only a warning: this is a debugger, and sending what the schema forbids is a fair test of
 * a server. */
static void
check_json (TetherArgumentsEditor *self)
{
  g_autofree char *text = dup_text (self);
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(GError) error = NULL;
  guint line, column;

  arguments = parse_arguments (text, &line, &column, &error);
  self->json_valid = arguments != NULL;
  if (arguments == NULL)
    {
      show_json_message (self, error->message, "error");
      return;
    }

  if (self->schema != NULL)
    {
      g_autoptr(JsonNode) value = json_node_init_object (json_node_alloc (), arguments);
      g_autofree char *path = NULL;

      if (!tether_json_schema_validate (self->schema, value, &path, &error))
        {
          g_autofree char *message = NULL;

          if (path != NULL && *path != '\0')
            /* Translators: a field's path such as items[2].name, then what is wrong with it */
            message = g_strdup_printf (_("Does not match the schema: %s: %s"), path,
                                       error->message);
          else
            message = g_strdup_printf (_("Does not match the schema: %s"), error->message);
          show_json_message (self, message, "warning");
          return;
        }
    }
  show_json_message (self, NULL, NULL);
}

static void
buffer_changed (TetherArgumentsEditor *self)
{
  if (self->setting_text > 0 && !g_str_equal (self->mode, MODE_JSON))
    return;

  check_json (self);
  update_valid (self);
  if (self->setting_text == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
form_changed (TetherArgumentsEditor *self)
{
  if (g_str_equal (self->mode, MODE_FORM))
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_style_scheme (TetherArgumentsEditor *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (style) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (source_buffer (self),
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

static void
place_cursor (TetherArgumentsEditor *self,
              guint                  line,
              guint                  column)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (source_buffer (self));
  GtkTextIter iter;

  if (line == 0)
    return;
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, (int) line - 1,
                                           column > 0 ? (int) column - 1 : 0);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->source_view), &iter, 0.1, FALSE, 0, 0);
}

static void
sync_mode_buttons (TetherArgumentsEditor *self)
{
  self->syncing_buttons++;
  gtk_toggle_button_set_active (self->form_button, g_str_equal (self->mode, MODE_FORM));
  gtk_toggle_button_set_active (self->json_button, g_str_equal (self->mode, MODE_JSON));
  self->syncing_buttons--;
}

/* The buttons are a group: one toggles on, the other off; act on the one turned on. */
static void
mode_button_toggled (TetherArgumentsEditor *self,
                     GtkToggleButton       *button)
{
  if (self->syncing_buttons > 0 || !gtk_toggle_button_get_active (button))
    return;

  /* A refusal (JSON that does not parse) is shown under the editor; the buttons go back. */
  if (!tether_arguments_editor_set_mode (self, button == self->json_button ? MODE_JSON : MODE_FORM,
                                         NULL))
    sync_mode_buttons (self);
}

static void
tether_arguments_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TETHER_TYPE_ARGUMENTS_EDITOR);

  G_OBJECT_CLASS (tether_arguments_editor_parent_class)->dispose (object);
}

static void
tether_arguments_editor_finalize (GObject *object)
{
  TetherArgumentsEditor *self = TETHER_ARGUMENTS_EDITOR (object);

  g_clear_object (&self->schema);
  g_clear_pointer (&self->mode, g_free);

  G_OBJECT_CLASS (tether_arguments_editor_parent_class)->finalize (object);
}

static void
tether_arguments_editor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TetherArgumentsEditor *self = TETHER_ARGUMENTS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_arguments_editor_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TetherArgumentsEditor *self = TETHER_ARGUMENTS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODE:
      /* A refusal (JSON that does not parse) is shown under the editor. */
      tether_arguments_editor_set_mode (self, g_value_get_string (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_arguments_editor_class_init (TetherArgumentsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_arguments_editor_dispose;
  object_class->finalize = tether_arguments_editor_finalize;
  object_class->get_property = tether_arguments_editor_get_property;
  object_class->set_property = tether_arguments_editor_set_property;

  /**
   * TetherArgumentsEditor:mode:
   *
   * "form" or "json": how the arguments are being edited.
   */
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL,
                         MODE_FORM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TetherArgumentsEditor:valid:
   *
   * Whether get_arguments() would succeed now: the form is valid, or the JSON parses to an
   * object.
   */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TetherArgumentsEditor::changed:
   *
   * The arguments were edited, in the form or in the JSON.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* Safe to repeat; the application may have done it already. */
  gtk_source_init ();
  g_type_ensure (TETHER_TYPE_SCHEMA_FORM);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-arguments-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, form);
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, json_message);
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, form_button);
  gtk_widget_class_bind_template_child (widget_class, TetherArgumentsEditor, json_button);

  gtk_widget_class_bind_template_callback (widget_class, mode_button_toggled);

  /* For menus and shortcuts: the action with the targets 'form' and 'json'. */
  gtk_widget_class_install_property_action (widget_class, "arguments.mode", "mode");
}

static void
tether_arguments_editor_init (TetherArgumentsEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer;

  self->mode = g_strdup (MODE_FORM);
  self->json_valid = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = source_buffer (self);
  gtk_source_buffer_set_language (buffer,
                                  gtk_source_language_manager_get_language (languages, "json"));
  gtk_source_buffer_set_highlight_matching_brackets (buffer, TRUE);
  update_style_scheme (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "changed", G_CALLBACK (form_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::valid", G_CALLBACK (update_valid), self,
                           G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->stack, MODE_FORM);
  update_valid (self);
}

GtkWidget *
tether_arguments_editor_new (void)
{
  return g_object_new (TETHER_TYPE_ARGUMENTS_EDITOR, NULL);
}

/**
 * tether_arguments_editor_get_form:
 *
 * Returns: (transfer none): the form inside
 */
TetherSchemaForm *
tether_arguments_editor_get_form (TetherArgumentsEditor *self)
{
  g_return_val_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self), NULL);

  return self->form;
}

/* A new schema (another tool): back to the form, with its defaults. */
void
tether_arguments_editor_set_schema (TetherArgumentsEditor *self,
                                    JsonObject            *schema)
{
  g_return_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self));

  g_clear_object (&self->schema);
  if (schema != NULL)
    self->schema = tether_json_schema_new (schema);

  tether_schema_form_set_schema (self->form, schema);
  if (!g_str_equal (self->mode, MODE_FORM))
    {
      g_free (self->mode);
      self->mode = g_strdup (MODE_FORM);
      gtk_stack_set_visible_child_name (self->stack, MODE_FORM);
      show_json_message (self, NULL, NULL);
      sync_mode_buttons (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
    }
  update_valid (self);
}

const char *
tether_arguments_editor_get_mode (TetherArgumentsEditor *self)
{
  g_return_val_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self), NULL);

  return self->mode;
}

/**
 * tether_arguments_editor_set_mode:
 * @mode: "form" or "json"
 *
 * Switches between the form and the JSON text, carrying the values over. Going back to the
 * form fails while the JSON does not parse; the cursor is then put where the problem is.
 *
 * Returns: %TRUE when @mode is now shown
 */
gboolean
tether_arguments_editor_set_mode (TetherArgumentsEditor  *self,
                                  const char             *mode,
                                  GError                **error)
{
  g_return_val_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self), FALSE);
  g_return_val_if_fail (g_strcmp0 (mode, MODE_FORM) == 0 || g_strcmp0 (mode, MODE_JSON) == 0,
                        FALSE);

  if (g_str_equal (mode, self->mode))
    return TRUE;

  if (g_str_equal (mode, MODE_JSON))
    {
      /* What the form holds, invalid parts included, so that nothing typed is lost. */
      g_autoptr(JsonObject) draft = tether_schema_form_dup_draft_arguments (self->form);

      set_text (self, draft);
      check_json (self);
    }
  else
    {
      g_autofree char *text = dup_text (self);
      g_autoptr(JsonObject) arguments = NULL;
      g_autoptr(GError) local_error = NULL;
      guint line, column;

      arguments = parse_arguments (text, &line, &column, &local_error);
      if (arguments == NULL)
        {
          show_json_message (self, local_error->message, "error");
          place_cursor (self, line, column);
          gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
          g_propagate_error (error, g_steal_pointer (&local_error));
          sync_mode_buttons (self);
          return FALSE;
        }
      tether_schema_form_set_arguments (self->form, arguments);
    }

  g_free (self->mode);
  self->mode = g_strdup (mode);
  gtk_stack_set_visible_child_name (self->stack, mode);
  sync_mode_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  update_valid (self);
  return TRUE;
}

/**
 * tether_arguments_editor_get_arguments:
 *
 * From the form: as tether_schema_form_get_arguments(). From the JSON: the object written,
 * even where it does not match the schema.
 *
 * Returns: (transfer full) (nullable): the arguments, or %NULL with @error set
 */
JsonObject *
tether_arguments_editor_get_arguments (TetherArgumentsEditor  *self,
                                       GError                **error)
{
  g_autofree char *text = NULL;
  guint line, column;

  g_return_val_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self), NULL);

  if (g_str_equal (self->mode, MODE_FORM))
    return tether_schema_form_get_arguments (self->form, error);

  text = dup_text (self);
  return parse_arguments (text, &line, &column, error);
}

/* Shows @arguments in the form and, when it is showing, in the JSON text. */
void
tether_arguments_editor_set_arguments (TetherArgumentsEditor *self,
                                       JsonObject            *arguments)
{
  g_autoptr(JsonObject) empty = NULL;

  g_return_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self));

  if (arguments == NULL)
    arguments = empty = json_object_new ();

  tether_schema_form_set_arguments (self->form, arguments);
  if (g_str_equal (self->mode, MODE_JSON))
    {
      set_text (self, arguments);
      check_json (self);
    }
  update_valid (self);
}

gboolean
tether_arguments_editor_get_valid (TetherArgumentsEditor *self)
{
  g_return_val_if_fail (TETHER_IS_ARGUMENTS_EDITOR (self), FALSE);

  return self->valid;
}
