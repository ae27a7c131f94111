#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window at a given size and color scheme, with a connection open, a tool run and its
result shown, against server-everything (no auth).

The window size and the color scheme are set before start in a keyfile GSettings backend, as a
person's earlier session would have left them; the connection is a saved one. Over AT-SPI the
test connects, selects `echo`, runs it and then checks:
- the result header (verdict, time and size, the Content/JSON switcher, Copy) lies inside the
  window, whatever its width;
- every push button and toggle button of the window has an accessible name;
and saves screenshots. Run inside run-gui-test.sh.
"""

import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tetherui as T  # noqa: E402  (sets dogtail up before it loads)
from dogtail.rawinput import keyCombo  # noqa: E402
from gi.repository import GLib  # noqa: E402

MESSAGE = 'Layout check'
SERVER_NAME = 'Everything'
BUTTON_ROLES = ('push button', 'toggle button', 'page tab')


def prepare_home(port, width, height, scheme):
    """A saved connection and the window state of a previous session."""
    config = os.environ['XDG_CONFIG_HOME']
    os.makedirs(os.path.join(config, 'tether'), exist_ok=True)
    with open(os.path.join(config, 'tether', 'connections.json'), 'w', encoding='utf-8') as f:
        json.dump({'version': 1, 'connections': [{
            'id': 'layout-test', 'name': SERVER_NAME, 'transport': 'http',
            'url': f'http://127.0.0.1:{port}/mcp', 'auth-mode': 'none'}]}, f)
    settings = os.path.join(config, 'glib-2.0', 'settings')
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, 'keyfile'), 'w', encoding='utf-8') as f:
        f.write('[io/github/tethermcp/Tether]\n'
                f'window-width={width}\nwindow-height={height}\n'
                f"color-scheme='{scheme}'\n")
    # The application reads the keyfile; nothing of it reaches the person's dconf.
    os.environ['GSETTINGS_BACKEND'] = 'keyfile'
    # The title buttons GNOME shows by default (close only); the X server alone would give
    # minimize and maximize too, which no GNOME session shows.
    gtk = os.path.join(config, 'gtk-4.0')
    os.makedirs(gtk, exist_ok=True)
    with open(os.path.join(gtk, 'settings.ini'), 'w', encoding='utf-8') as f:
        f.write('[Settings]\ngtk-decoration-layout=appmenu:close\n')


def extents(node):
    """(x, y, width, height) in the window's coordinates."""
    import pyatspi
    box = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return box.x, box.y, box.width, box.height


def check_inside(window, node, what):
    wx, wy, ww, wh = extents(window)
    x, y, w, h = extents(node)
    T.log(f'{what}: x={x} y={y} w={w} h={h} (window {ww}x{wh})')
    if w <= 0 or h <= 0:
        raise T.Failure(f'{what} has no size ({w}x{h})')
    if x < 0 or y < 0 or x + w > ww or y + h > wh:
        raise T.Failure(f'{what} lies outside the {ww}x{wh} window: x={x} y={y} w={w} h={h}')


def unnamed_buttons(root):
    """Every push or toggle button that can be seen or reached and has no accessible name, and
    how many buttons were looked at."""
    bad = []
    seen = []

    def walk(node, path):
        try:
            role = node.roleName
            name = node.name or ''
            visible = node.visible
            children = list(node)
        except (GLib.GError, LookupError):
            return
        here = f'{path} > [{role}] {name!r}'
        if not visible:
            return
        if role in BUTTON_ROLES:
            seen.append(here)
            if name.strip() == '':
                bad.append(here)
        for child in children:
            if child is not None:
                walk(child, here)

    walk(root, '')
    return bad, len(seen)


def run(args, app, shots):
    root = app.attach()
    main_window = app.wait_for_window('Tether')

    servers = app.wait_for('the saved connection in the sidebar',
                           lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                                and n.name == 'Servers' and n.childCount == 1))
    shots.take('sidebar')
    # A click on the row, as a person's: narrow, where the sidebar and the content are pages of
    # a leaflet, that goes forward to the content.
    T.pointer_click(servers[0])
    T.click(app.wait_for('the "Connect" button',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'push button'
                                              and (n.name or '').replace('_', '')
                                              .startswith('Connect')
                                              and n.visible and 'click' in n.actions)))
    tools = app.wait_for('the tool list to fill',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                              and n.name == 'Tools' and n.childCount > 0), 30)
    shots.take('connected')

    index = None
    for i, item in enumerate(tools):
        if T.find_first(item, lambda n: n.roleName == 'label' and n.name == 'echo'):
            index = i
            break
    if index is None:
        raise T.Failure('no tool named "echo" in the list')
    tools.querySelection().selectChild(index)
    message_row = app.wait_for('the "message" field of echo',
                               lambda: T.find_first(main_window, lambda n: n.roleName == 'text'
                                                    and n.name == 'message' and n.visible))
    T.set_text(message_row, MESSAGE)
    run_button = app.wait_for('the "Run" button',
                              lambda: T.find_first(main_window, lambda n:
                                                   n.roleName == 'push button'
                                                   and (n.name or '').replace('_', '')
                                                   .startswith('Run') and n.visible))
    app.wait_for('"Run" to become enabled', lambda: run_button.sensitive, 10)
    shots.take('tool')
    keyCombo('<Control>Return')
    app.wait_for('the result', lambda: T.find_first(main_window, lambda n: n.roleName == 'label'
                                                    and MESSAGE in (n.name or '')
                                                    and n.visible), 30)
    T.pause(1.0)
    shots.take('result')

    # The window kept the width it was given: nothing in it needs more. (GTK reports the
    # window without the shadow around it, so a little less than the width asked for.)
    _, _, width, _ = extents(main_window)
    if width > args.width:
        raise T.Failure(f'the window is {width} px wide, wider than the {args.width} px it was '
                        'given: something in it does not fit')

    # The result header, whole, inside the window.
    switcher = app.wait_for('the Content/JSON switcher of the result',
                            lambda: T.find_first(main_window, lambda n: n.name == 'Result View'
                                                 and n.visible), 10)
    for what, scope, test in [
            ('the verdict', main_window,
             lambda n: n.roleName == 'label' and n.name == 'Success'),
            ('the time and size', main_window,
             lambda n: n.roleName == 'label' and ' · ' in (n.name or '')),
            ('the JSON page button', switcher,
             lambda n: n.roleName in BUTTON_ROLES and n.name == 'JSON'),
            ('the Copy Result button', main_window,
             lambda n: n.roleName == 'push button' and n.name == 'Copy Result')]:
        node = app.wait_for(what, lambda scope=scope, test=test:
                            T.find_first(scope, lambda n: test(n) and n.visible), 10)
        check_inside(main_window, node, what)

    bad, count = unnamed_buttons(main_window)
    if bad:
        raise T.Failure('buttons without an accessible name:\n' + '\n'.join(bad))
    # The walk reached the window's buttons (header, tool, arguments, result), not a few.
    if count < 10:
        raise T.Failure(f'only {count} buttons found in the window: the walk missed some')
    T.log(f'all {count} visible buttons of the window have an accessible name')

    app.quit()
    app.check_log()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('binary', help='the tether executable')
    parser.add_argument('--app-id', default='io.github.tethermcp.Tether')
    parser.add_argument('--server-everything', required=True,
                        help='the mcp-server-everything executable')
    parser.add_argument('--screenshots', required=True, help='directory for the screenshots')
    parser.add_argument('--prefix', required=True, help='prefix of the screenshots and logs')
    parser.add_argument('--width', type=int, default=960)
    parser.add_argument('--height', type=int, default=640)
    parser.add_argument('--color-scheme', default='default', choices=['default', 'light', 'dark'])
    parser.add_argument('--timeout', type=float, default=170)
    args = parser.parse_args()

    if not os.access(args.server_everything, os.X_OK):
        print(f'{args.server_everything} is missing (npm ci in tests/peers): skipped')
        return 77

    signal.signal(signal.SIGALRM, T.on_alarm)
    signal.alarm(int(args.timeout))

    shots = T.Screenshots(args.screenshots, args.prefix)
    log_path = os.path.join(args.screenshots, f'{args.prefix}.log')
    port = T.free_port()
    peer = None
    app = None
    status = 1
    try:
        peer = T.Peer('server-everything', [args.server_everything, 'streamableHttp'],
                      os.path.join(args.screenshots, f'{args.prefix}-server-everything.log'),
                      env=dict(os.environ, PORT=str(port)))
        T.wait_for_port(port, peer.process, 60, 'server-everything')
        prepare_home(port, args.width, args.height, args.color_scheme)
        app = T.App(args.binary, log_path, args.app_id)
        run(args, app, shots)
        status = 0
        T.log('PASS')
    except T.Failure as e:
        T.log(f'FAIL: {e}')
    except T.HardTimeout:
        T.log(f'FAIL: the test did not finish within {args.timeout} s')
    except (GLib.GError, OSError, LookupError) as e:
        T.log(f'FAIL: {type(e).__name__}: {e}')
    finally:
        signal.alarm(0)
        if status != 0 and app is not None and app.root is not None:
            try:
                shots.take('failure', settle=0)
                T.dump(app.root, os.path.join(args.screenshots, f'{args.prefix}-tree.txt'))
            except Exception as e:  # noqa: BLE001  (best effort on the way out)
                T.log(f'could not record the failure: {e}')
        if app is not None:
            app.kill()
        if peer is not None:
            peer.stop()
    if status != 0 and app is not None:
        T.log(f'output of tether ({log_path}):\n' + app.output())
    return status


if __name__ == '__main__':
    sys.exit(main())
