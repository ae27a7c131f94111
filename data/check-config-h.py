#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Configures the project twice, with -Ddevelopment=false and true, and checks config.h.

  check-config-h.py MESON SOURCE_ROOT APP_ID_BASE VERSION

Each configuration (only configured, never compiled; -Dapp=false keeps it independent of
the GTK stack) must give a config.h with APP_ID, VERSION, GETTEXT_PACKAGE and LOCALEDIR,
and the development one the ".Devel" application ID and the "Devel" profile. Exits 1 on any
difference, printing each.
"""

import os
import re
import subprocess
import sys
import tempfile


def read_defines(path):
    defines = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'#define\s+(\w+)\s+"(.*)"\s*$', line)
            if m:
                defines[m.group(1)] = m.group(2)
    return defines


def main():
    if len(sys.argv) != 5:
        print(f'usage: {sys.argv[0]} MESON SOURCE_ROOT APP_ID_BASE VERSION', file=sys.stderr)
        return 2
    meson, source_root, app_id_base, version = sys.argv[1:]
    problems = []

    with tempfile.TemporaryDirectory(prefix='tether-config-h-') as tmp:
        for development, app_id, profile in ((False, app_id_base, ''),
                                             (True, app_id_base + '.Devel', 'Devel')):
            build = os.path.join(tmp, 'devel' if development else 'plain')
            prefix = os.path.join(tmp, 'prefix')
            result = subprocess.run(
                [meson, 'setup', build, source_root, '-Dapp=false',
                 f'-Ddevelopment={"true" if development else "false"}', f'--prefix={prefix}'],
                capture_output=True, text=True)
            if result.returncode != 0:
                print(result.stdout[-4000:])
                print(result.stderr[-4000:])
                problems.append(f'meson setup -Ddevelopment={development} failed')
                continue
            defines = read_defines(os.path.join(build, 'config.h'))
            label = f'-Ddevelopment={"true" if development else "false"}'
            wanted = {
                'APP_ID': app_id,
                'PROFILE': profile,
                'VERSION': version,
                'GETTEXT_PACKAGE': 'tether',
                'LOCALEDIR': os.path.join(prefix, 'share', 'locale'),
            }
            for name, value in wanted.items():
                if defines.get(name) != value:
                    problems.append(f'{label}: config.h has {name} {defines.get(name)!r}, '
                                    f'expected {value!r}')
            print(f'{label}: APP_ID {defines.get("APP_ID")!r}, VERSION '
                  f'{defines.get("VERSION")!r}, GETTEXT_PACKAGE '
                  f'{defines.get("GETTEXT_PACKAGE")!r}, LOCALEDIR {defines.get("LOCALEDIR")!r}')

    for p in problems:
        print(f'FAIL: {p}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
