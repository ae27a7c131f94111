/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A window with a TetherArgumentsEditor built from the JSON Schema in argv[1], for the AT-SPI
 * test (test-schema-form-a11y.py) to read. */
#include "config.h"

#include <adwaita.h>
#include <glib-unix.h>
#include <signal.h>

#include "tether-arguments-editor.h"

static char *schema_path;

static void
activate (GtkApplication *app)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *editor = tether_arguments_editor_new ();

  if (!json_parser_load_from_file (parser, schema_path, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_printerr ("Cannot read a schema object from %s: %s\n", schema_path,
                  error != NULL ? error->message : "not an object");
      g_application_quit (G_APPLICATION (app));
      return;
    }

  tether_arguments_editor_set_schema (TETHER_ARGUMENTS_EDITOR (editor),
                                      json_node_get_object (json_parser_get_root (parser)));
  gtk_widget_set_margin_top (editor, 18);
  gtk_widget_set_margin_bottom (editor, 18);
  gtk_widget_set_margin_start (editor, 12);
  gtk_widget_set_margin_end (editor, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), editor);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), scrolled);
  gtk_window_set_title (GTK_WINDOW (window), "Schema Form");
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 900);
  gtk_window_present (GTK_WINDOW (window));
}

/* The test stops the demo with SIGTERM: quit the application as a person would, so the process
 * ends through main() and a sanitizer build gets to check it (leaks included) on the way out. */
static gboolean
on_sigterm (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s SCHEMA.json\n", argv[0]);
      return 2;
    }
  schema_path = argv[1];

  app = adw_application_new ("io.github.tethermcp.SchemaFormDemo", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  g_unix_signal_add (SIGTERM, on_sigterm, app);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
