/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small PNG drawn from a seed: a symmetric 5×5 pattern in one colour ("identicon"), used by
 * the image tool and as the demo profile's avatar. Uncompressed (stored) deflate keeps the
 * encoder short; the images are a few kilobytes. */
GBytes *demo_png_render_identicon (guint32 seed,
                                   guint   cell_size);

G_END_DECLS
