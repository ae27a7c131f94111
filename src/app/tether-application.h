/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The schema id stays the same for the .Devel build, so both share one set of keys. */
#define TETHER_SETTINGS_SCHEMA_ID "io.github.tethermcp.Tether"

#define TETHER_TYPE_APPLICATION (tether_application_get_type ())
G_DECLARE_FINAL_TYPE (TetherApplication, tether_application, TETHER, APPLICATION, AdwApplication)

TetherApplication *tether_application_new          (void);

G_END_DECLS
