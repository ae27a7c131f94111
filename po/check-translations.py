#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the translations against the sources, the way a translator would meet them.

  check-translations.py SOURCE_ROOT

1. po/POTFILES.in lists every file under src/ and data/ that has translatable strings
   (_(), N_(), C_(), NC_(), g_dngettext(), g_dpgettext2(), translatable="yes", and the
   .desktop.in, .metainfo.xml.in and .gschema.xml files), and every file it lists exists.
2. For every language in po/LINGUAS, the .po file passes `msgfmt --check` and, merged with a
   template freshly extracted from those sources, has no untranslated and no fuzzy message:
   a string added or changed in the code without its translation fails here.
3. A label with a mnemonic (`_Preferences`) keeps one in its translation.

Prints every problem it finds and exits 1 if there was any, 77 if gettext is missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n.gettext(preset: 'glib'), which makes po/tether.pot.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printf:1:c-format',
]

C_MARKER = re.compile(r'(?<![\w.])(_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*"(yes|true|1)"')
ALWAYS_TRANSLATABLE = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')
MNEMONIC = re.compile(r'(^|[^\w])_[^\W_]')

problems = []


def problem(message):
    problems.append(message)
    print(f'FAIL: {message}', flush=True)


def has_translatable_strings(path):
    if path.endswith(ALWAYS_TRANSLATABLE):
        return True
    if not path.endswith(('.c', '.h', '.ui')):
        return False
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith('.ui'):
        return UI_MARKER.search(text) is not None
    # A C marker inside a comment (`/* _("x") */`) is rare enough to list such a file anyway.
    return C_MARKER.search(text) is not None


def check_potfiles(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')]
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            problem(f'po/POTFILES.in lists {path}, which does not exist')
    if len(set(listed)) != len(listed):
        problem('po/POTFILES.in lists a file twice')

    wanted = []
    for top in ('src', 'data'):
        for directory, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                path = os.path.join(directory, name)
                if has_translatable_strings(path):
                    wanted.append(os.path.relpath(path, root))
    for path in sorted(set(wanted) - set(listed)):
        problem(f'{path} has translatable strings but is not in po/POTFILES.in')
    print(f'po/POTFILES.in: {len(listed)} files listed, {len(wanted)} with translatable strings')


def po_entries(path):
    """(msgid, msgstr, flags) of each message, from `msgattrib`'s normalised output."""
    result = subprocess.run(['msgattrib', '--no-wrap', '--no-obsolete', path],
                            capture_output=True, text=True, check=True)
    entries = []
    for block in result.stdout.split('\n\n'):
        flags = ''.join(line for line in block.splitlines() if line.startswith('#,'))
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if msgid and msgstr and msgid.group(1):
            entries.append((msgid.group(1), msgstr.group(1), flags))
    return entries


def check_language(root, lang, template, tmp):
    po = os.path.join(root, 'po', lang + '.po')
    if not os.path.isfile(po):
        problem(f'po/LINGUAS names {lang}, but po/{lang}.po does not exist')
        return
    result = subprocess.run(['msgfmt', '--check', '-o', '/dev/null', po],
                            capture_output=True, text=True)
    if result.returncode != 0:
        problem(f'msgfmt --check po/{lang}.po:\n{result.stderr.strip()}')

    merged = os.path.join(tmp, lang + '.po')
    subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, template],
                   check=True)
    entries = po_entries(merged)
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, msgstr, flags in entries if msgstr and 'fuzzy' in flags]
    for msgid in untranslated:
        problem(f'po/{lang}.po: not translated: "{msgid}"')
    for msgid in fuzzy:
        problem(f'po/{lang}.po: fuzzy: "{msgid}"')
    for msgid, msgstr, flags in entries:
        if msgstr and MNEMONIC.search(msgid) and '_' not in msgstr:
            problem(f'po/{lang}.po: "{msgid}" has a mnemonic, its translation "{msgstr}" none')
    print(f'po/{lang}.po: {len(entries)} messages in the sources, {len(untranslated)} '
          f'untranslated, {len(fuzzy)} fuzzy')


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} SOURCE_ROOT', file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    for tool in ('xgettext', 'msgmerge', 'msgfmt', 'msgattrib'):
        if shutil.which(tool) is None:
            print(f'{tool} not found (Debian package gettext): skipped')
            return 77

    check_potfiles(root)

    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        languages = [word for line in f if not line.startswith('#') for word in line.split()]
    if not languages:
        problem('po/LINGUAS names no language')

    with tempfile.TemporaryDirectory(prefix='tether-po-') as tmp:
        template = os.path.join(tmp, 'tether.pot')
        subprocess.run(['xgettext', '--package-name=tether', '-f', 'po/POTFILES.in', '-D', '.',
                        '-o', template] + XGETTEXT_ARGS, cwd=root, check=True)
        for lang in languages:
            check_language(root, lang, template, tmp)

    if problems:
        print(f'{len(problems)} problem(s)')
        return 1
    print('translations complete')
    return 0


if __name__ == '__main__':
    sys.exit(main())
