#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built .desktop and AppStream files against the build, beyond the validators.

  check-metadata.py DESKTOP METAINFO APP_ID VERSION LANGUAGE...

desktop-file-validate and appstreamcli check the form; this checks the content the issue
asks for and that the build fills in: both files carry the build's application ID (.Devel or
not), the newest release is this version, the metainfo has a description, OARS rating,
developer and homepage and bug tracker URLs, and every language of po/LINGUAS was merged into
both files. Exits 1 on any difference, printing each.
"""

import configparser
import sys
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def main():
    if len(sys.argv) < 5:
        print(f'usage: {sys.argv[0]} DESKTOP METAINFO APP_ID VERSION LANGUAGE...',
              file=sys.stderr)
        return 2
    desktop_path, metainfo_path, app_id, version = sys.argv[1:5]
    languages = sys.argv[5:]
    problems = []

    def expect(what, actual, wanted):
        if actual != wanted:
            problems.append(f'{what} is {actual!r}, expected {wanted!r}')

    desktop = configparser.RawConfigParser(strict=True, interpolation=None)
    desktop.optionxform = str
    desktop.read(desktop_path, encoding='utf-8')
    entry = desktop['Desktop Entry'] if desktop.has_section('Desktop Entry') else {}
    expect('the desktop file\'s Icon', entry.get('Icon'), app_id)
    expect('the desktop file\'s Exec', (entry.get('Exec') or '').split(' ')[0], 'tether')
    for lang in languages:
        for key in ('Name', 'Comment'):
            if f'{key}[{lang}]' not in entry:
                problems.append(f'the desktop file has no {key}[{lang}]: po/{lang}.po not merged')

    root = ET.parse(metainfo_path).getroot()
    expect('the metainfo\'s id', root.findtext('id'), app_id)
    launchable = root.find('launchable')
    expect('the metainfo\'s launchable', launchable.text if launchable is not None else None,
           app_id + '.desktop')
    releases = root.findall('releases/release')
    if not releases:
        problems.append('the metainfo has no release')
    else:
        expect('the newest release', releases[0].get('version'), version)
        if not releases[0].get('date'):
            problems.append('the newest release has no date')
        if releases[0].find('description') is None:
            problems.append('the newest release has no description')
    untranslated = [e for e in root.findall('description/*') if e.get(XML_LANG) is None]
    if not any(e.tag == 'p' for e in untranslated):
        problems.append('the metainfo\'s description has no paragraph')
    rating = root.find('content_rating')
    if rating is None or not (rating.get('type') or '').startswith('oars-'):
        problems.append('the metainfo has no OARS content rating')
    if not (root.findtext('developer/name') or '').strip():
        problems.append('the metainfo names no developer')
    urls = {u.get('type'): (u.text or '') for u in root.findall('url')}
    for kind in ('homepage', 'bugtracker'):
        if not urls.get(kind, '').startswith('https://'):
            problems.append(f'the metainfo has no https {kind} URL')
    for lang in languages:
        tag = lang.replace('_', '-')
        for what in ('summary', 'description/p'):
            if not any(e.get(XML_LANG) in (lang, tag) for e in root.findall(what)):
                problems.append(f'the metainfo has no {what} for {lang}: po/{lang}.po not merged')

    for p in problems:
        print(f'FAIL: {p}')
    if problems:
        return 1
    print(f'{desktop_path} and {metainfo_path}: {app_id} {version}, '
          f'translated into {", ".join(languages) or "no language"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
