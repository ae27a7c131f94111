/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One row of the tool list. GTK 4.8's list view keeps up to 200 rows alive and makes new
 * ones whenever the filter changes, so a row must be cheap to make and to measure: no
 * template (parsing one costs more than the row's widgets), single-line labels, and the
 * badges only made for rows that show a tool with annotations. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-tool-row.h"

enum {
  BADGE_READ_ONLY,
  BADGE_DESTRUCTIVE,
  BADGE_IDEMPOTENT,
  BADGE_OPEN_WORLD,
  N_BADGES
};

struct _TetherToolRow
{
  GtkWidget       parent_instance;

  TetherTool     *tool;

  GtkLabel       *title;
  GtkLabel       *name;
  GtkInscription *description;
  GtkWidget      *badges;           /* made on first need, as are the badges in it */
  GtkWidget      *badge[N_BADGES];
};

G_DEFINE_FINAL_TYPE (TetherToolRow, tether_tool_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Badges are made when a row first shows a tool that has them, one by one: most rows need
 * none or one. */
static void
tether_tool_row_show_badge (TetherToolRow *self,
                            guint          badge,
                            gboolean       show)
{
  static const struct { const char *label; const char *explanation; } badges[N_BADGES] = {
    { N_("Read-only"), N_("The tool says it does not change its environment") },
    { N_("Destructive"), N_("The tool says it may delete or overwrite data") },
    { N_("Idempotent"),
      N_("The tool says calling it again with the same arguments has no further effect") },
    { N_("Open world"), N_("The tool says it reaches outside systems, such as the web") },
  };
  GtkWidget *previous = NULL;

  if (self->badge[badge] != NULL || !show)
    {
      if (self->badge[badge] != NULL)
        gtk_widget_set_visible (self->badge[badge], show);
      return;
    }

  if (self->badges == NULL)
    {
      self->badges = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      gtk_widget_set_margin_top (self->badges, 4);
      gtk_widget_set_parent (self->badges, GTK_WIDGET (self));
    }

  self->badge[badge] = gtk_label_new (_(badges[badge].label));
  /* Not a tooltip: setting one asks the X server where the pointer is, a round trip per
   * badge per row. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge[badge]),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _(badges[badge].explanation),
                                  -1);
  gtk_widget_add_css_class (self->badge[badge], "tool-badge");
  if (badge == BADGE_DESTRUCTIVE)
    gtk_widget_add_css_class (self->badge[badge], "destructive");
  /* Keep the badges in their fixed order whichever came first. */
  for (guint i = 0; i < badge; i++)
    if (self->badge[i] != NULL)
      previous = self->badge[i];
  gtk_box_insert_child_after (GTK_BOX (self->badges), self->badge[badge], previous);
}

void
tether_tool_row_set_tool (TetherToolRow *self,
                          TetherTool    *tool)
{
  const char *description;
  gboolean hints[N_BADGES];
  gboolean any_hint = FALSE;

  g_return_if_fail (TETHER_IS_TOOL_ROW (self));
  g_return_if_fail (tool == NULL || TETHER_IS_TOOL (tool));

  if (!g_set_object (&self->tool, tool))
    return;

  if (tool == NULL)
    {
      gtk_label_set_text (self->title, "");
      gtk_label_set_text (self->name, "");
      gtk_inscription_set_text (self->description, NULL);
      if (self->badges != NULL)
        gtk_widget_set_visible (self->badges, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
      return;
    }

  description = tether_tool_get_description (tool);
  gtk_label_set_text (self->title, tether_tool_get_display_title (tool));
  /* Without a title the name is already the bold line; saying it twice helps no one. */
  gtk_label_set_text (self->name, tether_tool_get_name (tool));
  gtk_widget_set_visible (GTK_WIDGET (self->name), tether_tool_get_title (tool) != NULL);
  gtk_inscription_set_text (self->description, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description),
                          description != NULL && *description != '\0');

  hints[BADGE_READ_ONLY] = tether_tool_get_read_only_hint (tool);
  hints[BADGE_DESTRUCTIVE] = tether_tool_get_destructive_hint (tool);
  hints[BADGE_IDEMPOTENT] = tether_tool_get_idempotent_hint (tool);
  hints[BADGE_OPEN_WORLD] = tether_tool_get_open_world_hint (tool);
  for (guint i = 0; i < N_BADGES; i++)
    {
      any_hint |= hints[i];
      tether_tool_row_show_badge (self, i, hints[i]);
    }
  if (self->badges != NULL)
    gtk_widget_set_visible (self->badges, any_hint);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tether_tool_get_display_title (tool),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "",
                                  -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

TetherTool *
tether_tool_row_get_tool (TetherToolRow *self)
{
  g_return_val_if_fail (TETHER_IS_TOOL_ROW (self), NULL);
  return self->tool;
}

static void
tether_tool_row_dispose (GObject *object)
{
  TetherToolRow *self = TETHER_TOOL_ROW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->badges = NULL;
  g_clear_object (&self->tool);

  G_OBJECT_CLASS (tether_tool_row_parent_class)->dispose (object);
}

static void
tether_tool_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TetherToolRow *self = TETHER_TOOL_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      g_value_set_object (value, self->tool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_tool_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TetherToolRow *self = TETHER_TOOL_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      tether_tool_row_set_tool (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_tool_row_class_init (TetherToolRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_tool_row_dispose;
  object_class->get_property = tether_tool_row_get_property;
  object_class->set_property = tether_tool_row_set_property;

  properties[PROP_TOOL] =
    g_param_spec_object ("tool", NULL, NULL, TETHER_TYPE_TOOL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "toolrow");
}

static GtkLabel *
add_label (TetherToolRow      *self,
           const char         *css_class,
           PangoEllipsizeMode  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), ellipsize);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  return GTK_LABEL (label);
}

static void
tether_tool_row_init (TetherToolRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *description;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);

  self->title = add_label (self, "tool-title", PANGO_ELLIPSIZE_END);
  self->name = add_label (self, "tool-name", PANGO_ELLIPSIZE_MIDDLE);
  /* Two lines of a wrapped label cost several layouts per measure; an inscription costs
   * one, at a fixed height. */
  description = gtk_inscription_new (NULL);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (description), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (description), 2);
  gtk_inscription_set_wrap_mode (GTK_INSCRIPTION (description), PANGO_WRAP_WORD_CHAR);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (description),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (description, "tool-description");
  gtk_widget_set_parent (description, GTK_WIDGET (self));
  self->description = GTK_INSCRIPTION (description);
}

GtkWidget *
tether_tool_row_new (void)
{
  return g_object_new (TETHER_TYPE_TOOL_ROW, NULL);
}
