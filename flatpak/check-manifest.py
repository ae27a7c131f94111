#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks what the Flatpak manifest promises, beyond what flatpak-builder parses.

  check-manifest.py MANIFEST APP_ID

The Devel manifest builds the .Devel application ID on the GNOME runtime with meson
(-Ddevelopment=true) and runs `tether`. Its sandbox holes are exactly the ones Tether needs:
the network; Wayland with X11 as a fallback (and IPC for X11); DRI; PulseAudio for the audio
a tool may return; and the Secret Service's bus name for the keyring. A permission missing
from that list fails, and so does one added to the manifest without being added here.
Exits 1 on any difference, printing each.
"""

import json
import sys

REQUIRED_FINISH_ARGS = {
    '--share=network': 'MCP servers and OAuth endpoints are on the network',
    '--socket=wayland': 'the window, on Wayland',
    '--socket=fallback-x11': 'the window, on X11 when there is no Wayland',
    '--share=ipc': 'X11 shared memory, for the X11 fallback',
    '--device=dri': 'GPU rendering (GTK and WebKit)',
    '--socket=pulseaudio': 'playing the audio a tool returns',
    '--talk-name=org.freedesktop.secrets': 'tokens in the keyring (Secret Service)',
}


def main():
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} MANIFEST APP_ID', file=sys.stderr)
        return 2
    path, app_id = sys.argv[1], sys.argv[2]
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)

    problems = []

    def expect(what, actual, wanted):
        if actual != wanted:
            problems.append(f'{what} is {actual!r}, expected {wanted!r}')

    expect('id', manifest.get('id', manifest.get('app-id')), app_id)
    expect('runtime', manifest.get('runtime'), 'org.gnome.Platform')
    expect('sdk', manifest.get('sdk'), 'org.gnome.Sdk')
    expect('command', manifest.get('command'), 'tether')
    if not str(manifest.get('runtime-version', '')).strip():
        problems.append('runtime-version is missing')

    finish_args = manifest.get('finish-args', [])
    for arg, why in REQUIRED_FINISH_ARGS.items():
        if arg not in finish_args:
            problems.append(f'finish-args lacks {arg} ({why})')
    for arg in finish_args:
        if arg not in REQUIRED_FINISH_ARGS:
            problems.append(f'finish-args has {arg}, which Tether does not need '
                            '(or add it to REQUIRED_FINISH_ARGS with the reason)')
    if len(set(finish_args)) != len(finish_args):
        problems.append('finish-args lists a permission twice')

    modules = manifest.get('modules', [])
    app_module = modules[-1] if modules else {}
    if not isinstance(app_module, dict):
        problems.append('the last module (the application) is not described inline')
        app_module = {}
    expect('the application module\'s name', app_module.get('name'), 'tether')
    expect('the application module\'s buildsystem', app_module.get('buildsystem'), 'meson')
    if '-Ddevelopment=true' not in app_module.get('config-opts', []):
        problems.append('the application module is not configured with -Ddevelopment=true, '
                        f'so it would not install {app_id}')
    sources = app_module.get('sources', [])
    if not any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources):
        problems.append('the application module does not build this source tree (dir "..")')

    for p in problems:
        print(f'FAIL: {p}')
    if problems:
        return 1
    print(f'{path}: {app_id}, {len(finish_args)} permissions, each needed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
