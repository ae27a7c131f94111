/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The string formats a form checks as one types: uri, email, date, time, date-time, uuid,
 * ipv4, ipv6, hostname, regex. Unknown formats accept any text, as JSON Schema says. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tether-json-schema-private.h"

static gboolean
match_regex (const char  *pattern,
             const char  *text,
             GRegexCompileFlags flags)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, flags, 0, NULL);

  return regex != NULL && g_regex_match (regex, text, 0, NULL);
}

static gboolean
check_date (const char *text,
            gsize       length)
{
  guint64 year, month, day;
  char digits[5];

  if (length != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (gsize i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  memcpy (digits, text, 4);
  digits[4] = '\0';
  year = g_ascii_strtoull (digits, NULL, 10);
  month = (guint64) ((text[5] - '0') * 10 + (text[6] - '0'));
  day = (guint64) ((text[8] - '0') * 10 + (text[9] - '0'));
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm) */
static gboolean
check_time (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?"
                                         "([Zz]|[+-]([0-9]{2}):([0-9]{2}))$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *hour = NULL;
  g_autofree char *minute = NULL;
  g_autofree char *second = NULL;
  g_autofree char *offset_hour = NULL;
  g_autofree char *offset_minute = NULL;

  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  hour = g_match_info_fetch (match, 1);
  minute = g_match_info_fetch (match, 2);
  second = g_match_info_fetch (match, 3);
  offset_hour = g_match_info_fetch (match, 6);
  offset_minute = g_match_info_fetch (match, 7);

  return atoi (hour) < 24 && atoi (minute) < 60 && atoi (second) <= 60 &&
         (offset_hour == NULL || *offset_hour == '\0' ||
          (atoi (offset_hour) < 24 && atoi (offset_minute) < 60));
}

static gboolean
check_ip_address (const char     *text,
                  GSocketFamily   family)
{
  g_autoptr(GInetAddress) address = NULL;

  if (strchr (text, '%') != NULL)
    return FALSE;
  address = g_inet_address_new_from_string (text);
  return address != NULL && g_inet_address_get_family (address) == family;
}

/**
 * tether_json_schema_check_format:
 * @format: a JSON Schema "format" (unknown formats accept any text)
 *
 * Returns: %TRUE when @text is valid for @format
 */
gboolean
tether_json_schema_check_format (const char  *format,
                                 const char  *text,
                                 GError     **error)
{
  gboolean valid = TRUE;
  const char *message = NULL;

  g_return_val_if_fail (format != NULL, TRUE);
  g_return_val_if_fail (text != NULL, TRUE);

  if (g_str_equal (format, "uri") || g_str_equal (format, "url") || g_str_equal (format, "iri"))
    {
      valid = strpbrk (text, " \t\r\n") == NULL && g_uri_is_valid (text, G_URI_FLAGS_NONE, NULL);
      message = _("Not a valid address; expected something like https://example.com/page");
    }
  else if (g_str_equal (format, "uri-reference") || g_str_equal (format, "iri-reference"))
    {
      valid = strpbrk (text, " \t\r\n") == NULL;
      message = _("Not a valid address; expected no spaces");
    }
  else if (g_str_equal (format, "email") || g_str_equal (format, "idn-email"))
    {
      valid = match_regex ("^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)*$", text, 0);
      message = _("Not a valid email address; expected something like name@example.com");
    }
  else if (g_str_equal (format, "date"))
    {
      valid = check_date (text, strlen (text));
      message = _("Not a valid date; expected YYYY-MM-DD, like 2024-05-31");
    }
  else if (g_str_equal (format, "time"))
    {
      valid = check_time (text);
      message = _("Not a valid time; expected hh:mm:ss with a time zone, like 13:45:00Z");
    }
  else if (g_str_equal (format, "date-time"))
    {
      gsize length = strlen (text);

      valid = length > 11 && (text[10] == 'T' || text[10] == 't' || text[10] == ' ') &&
              check_date (text, 10) && check_time (text + 11);
      message = _("Not a valid date and time; expected something like 2024-05-31T13:45:00Z");
    }
  else if (g_str_equal (format, "uuid"))
    {
      valid = g_uuid_string_is_valid (text);
      message = _("Not a valid UUID; expected 8-4-4-4-12 hexadecimal digits");
    }
  else if (g_str_equal (format, "ipv4"))
    {
      valid = check_ip_address (text, G_SOCKET_FAMILY_IPV4);
      message = _("Not a valid IPv4 address; expected something like 192.0.2.1");
    }
  else if (g_str_equal (format, "ipv6"))
    {
      valid = check_ip_address (text, G_SOCKET_FAMILY_IPV6);
      message = _("Not a valid IPv6 address; expected something like 2001:db8::1");
    }
  else if (g_str_equal (format, "hostname") || g_str_equal (format, "idn-hostname"))
    {
      valid = strlen (text) <= 253 &&
              match_regex ("^[[:alnum:]]([[:alnum:]-]{0,61}[[:alnum:]])?"
                           "(\\.[[:alnum:]]([[:alnum:]-]{0,61}[[:alnum:]])?)*$", text, 0);
      message = _("Not a valid host name; expected something like example.com");
    }
  else if (g_str_equal (format, "regex"))
    {
      g_autoptr(GRegex) regex = g_regex_new (text, 0, 0, NULL);

      valid = regex != NULL;
      message = _("Not a valid regular expression");
    }

  if (!valid)
    g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_FORMAT,
                         message);
  return valid;
}
