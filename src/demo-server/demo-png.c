/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "demo-png.h"

#define GRID   5
#define MARGIN 1   /* in cells */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];
  static gsize table_ready = 0;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 crc;

  put_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, len);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  put_be32 (out, crc);
}

/* zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4). */
static GByteArray *
zlib_store (const guint8 *data,
            gsize         len)
{
  GByteArray *out = g_byte_array_sized_new (len + len / 65535 * 5 + 16);
  static const guint8 header[2] = { 0x78, 0x01 };
  guint32 a = 1, b = 0;
  gsize offset = 0;

  g_byte_array_append (out, header, 2);
  do
    {
      gsize block = MIN (len - offset, 65535);
      guint8 block_header[5];

      block_header[0] = offset + block == len ? 1 : 0;  /* BFINAL, BTYPE=00 */
      block_header[1] = block & 0xff;
      block_header[2] = block >> 8;
      block_header[3] = ~block & 0xff;
      block_header[4] = (~block >> 8) & 0xff;
      g_byte_array_append (out, block_header, 5);
      g_byte_array_append (out, data + offset, block);
      offset += block;
    }
  while (offset < len);

  for (gsize i = 0; i < len; i++)
    {
      a = (a + data[i]) % 65521;
      b = (b + a) % 65521;
    }
  put_be32 (out, (b << 16) | a);
  return out;
}

GBytes *
demo_png_render_identicon (guint32 seed,
                           guint   cell_size)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) idat = NULL;
  g_autofree guint8 *raw = NULL;
  gboolean cells[GRID][GRID];
  guint8 ihdr[13];
  guint8 colour[3];
  guint32 state = seed != 0 ? seed : 0x9e3779b9u;
  guint size, stride;

  cell_size = CLAMP (cell_size, 1, 64);
  size = (GRID + 2 * MARGIN) * cell_size;
  stride = 1 + size * 3;

  /* xorshift32: a picture, not a secret. */
#define NEXT() (state ^= state << 13, state ^= state >> 17, state ^= state << 5, state)
  for (int i = 0; i < 3; i++)
    colour[i] = 40 + NEXT () % 160;
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x <= GRID / 2; x++)
      cells[y][x] = cells[y][GRID - 1 - x] = (NEXT () & 1) != 0;
#undef NEXT

  raw = g_malloc (stride * size);
  for (guint y = 0; y < size; y++)
    {
      guint8 *row = raw + y * stride;
      int cy = (int) (y / cell_size) - MARGIN;

      row[0] = 0;  /* filter: none */
      for (guint x = 0; x < size; x++)
        {
          int cx = (int) (x / cell_size) - MARGIN;
          gboolean on = cx >= 0 && cx < GRID && cy >= 0 && cy < GRID && cells[cy][cx];
          guint8 *pixel = row + 1 + x * 3;

          if (on)
            memcpy (pixel, colour, 3);
          else
            memset (pixel, 0xf6, 3);
        }
    }

  g_byte_array_append (png, signature, sizeof signature);
  ihdr[0] = size >> 24; ihdr[1] = size >> 16; ihdr[2] = size >> 8; ihdr[3] = size;
  memcpy (ihdr + 4, ihdr, 4);
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* colour type: RGB */
  ihdr[10] = 0;  /* compression */
  ihdr[11] = 0;  /* filter */
  ihdr[12] = 0;  /* no interlace */
  put_chunk (png, "IHDR", ihdr, sizeof ihdr);
  idat = zlib_store (raw, stride * size);
  put_chunk (png, "IDAT", idat->data, idat->len);
  put_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
