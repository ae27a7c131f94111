#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Smoke test of the Tether window over AT-SPI.

Starts the built `tether` binary, waits until it shows up on the accessibility bus, checks
the sidebar's empty state and the main area's status page, presses "Add Server" through its
accessible action, checks the dialog it opens, saves a screenshot and cancels the dialog;
opens the preferences with Ctrl+comma, saves a screenshot of them and closes them with Ctrl+W;
opens the primary menu with F10, checks its Preferences, Keyboard Shortcuts and About items,
opens About from it (checking the version shown there) and the keyboard shortcuts window,
with a screenshot of each; quits the application through its `app.quit` action and requires
a clean exit (under AddressSanitizer that includes the leak check). Any failure exits non-zero
and prints what tether wrote.

Run it inside its own X server and session bus (see run-gui-test.sh). Strings are passed
in, so the same script checks the English and the translated interface.
"""

import argparse
import locale
import os
import signal
import subprocess
import sys
import time

from dogtail.config import config

# The check asks GSettings whether a desktop has accessibility switched on; a private
# session bus under Xvfb has no such desktop, yet GTK 4 talks AT-SPI all the same.
config.checkForA11y = False
config.logDebugToStdOut = False
config.logDebugToFile = False

import dogtail.tree  # noqa: E402  (must come after the config above)
from dogtail.predicate import GenericPredicate  # noqa: E402
from dogtail.rawinput import keyCombo  # noqa: E402
from gi.repository import Gio, GLib  # noqa: E402


class SmokeFailure(Exception):
    pass


class HardTimeout(Exception):
    pass


def log(message):
    print(f'smoke: {message}', flush=True)


def on_alarm(signum, frame):
    raise HardTimeout()


def wait_for(what, probe, timeout, app_process):
    """Calls probe() until it returns something true; fails when the app dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if app_process.poll() is not None:
            raise SmokeFailure(f'tether exited with status {app_process.returncode} '
                               f'while waiting for {what}')
        try:
            result = probe()
        except (GLib.GError, LookupError):
            # The accessible tree changes under our feet while the window builds itself.
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f'timed out after {timeout} s waiting for {what}')
        time.sleep(0.25)


def find_application(name):
    for app in dogtail.tree.root.applications():
        if app.name == name:
            return app
    return None


def find_node(root, name, role):
    return root.findChild(GenericPredicate(name=name, roleName=role),
                          retry=False, requireResult=False)


def find_visible_node(root, name, role):
    # GTK 4.8 sets "showing" on windows only, so "visible" is the best AT-SPI can tell.
    node = find_node(root, name, role)
    return node if node is not None and node.visible else None


def application_object_path(app_id):
    return '/' + app_id.replace('.', '/').replace('-', '_')


def activate_app_action(app_id, action):
    """Activates a GApplication action the way `gapplication action` does, over D-Bus."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(app_id, application_object_path(app_id), 'org.gtk.Actions', 'Activate',
                  GLib.Variant('(sava{sv})', (action, [], {})), None,
                  Gio.DBusCallFlags.NONE, 10000, None)


def take_screenshot(path):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    subprocess.run(['import', '-window', 'root', path], check=True, timeout=30)
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        raise SmokeFailure(f'no screenshot was written to {path}')
    log(f'screenshot saved to {path}')


def find_window(app, title):
    for window in app:
        if window is not None and window.name == title and window.roleName == 'frame':
            return window
    return None


def find_showing_dialog(app, title):
    # libadwaita 1.2 windows other than the application window show up as "filler", and
    # GTK 4.8 sets "showing" on frames only: "visible" is what AT-SPI can tell.
    for window in app:
        if window is not None and window.name == title and window.visible:
            return window
    return None


def find_showing_window(app, title):
    window = find_window(app, title)
    return window if window is not None and window.showing else None


def run(args, app_process):
    app = wait_for(f'the application "{args.app_name}" on the accessibility bus',
                   lambda: find_application(args.app_name), args.startup_timeout, app_process)
    log(f'found application "{app.name}" on AT-SPI')

    wait_for(f'the window "{args.window_title}"',
             lambda: find_showing_window(app, args.window_title),
             args.step_timeout, app_process)

    empty_title = wait_for(f'the label "{args.empty_title}"',
                           lambda: find_visible_node(app, args.empty_title, 'label'),
                           args.step_timeout, app_process)
    log(f'sidebar shows "{empty_title.name}"')

    # Nothing is chosen yet, so the main area shows its status page.
    no_connection = wait_for(f'the label "{args.no_connection_title}"',
                             lambda: find_visible_node(app, args.no_connection_title, 'label'),
                             args.step_timeout, app_process)
    log(f'main area shows "{no_connection.name}"')

    add_button = wait_for(f'the push button "{args.add_server}"',
                          lambda: find_node(app, args.add_server, 'push button'),
                          args.step_timeout, app_process)
    if not add_button.sensitive:
        raise SmokeFailure(f'the push button "{args.add_server}" is not sensitive')
    log(f'pressing "{add_button.name}"')
    add_button.doActionNamed('click')

    # The dialog is a window of its own; AT-SPI names it after its title.
    dialog = wait_for(f'the dialog "{args.add_server_title}"',
                      lambda: find_showing_dialog(app, args.add_server_title),
                      args.step_timeout, app_process)
    log(f'dialog "{dialog.name}" is open')
    time.sleep(1.5)
    take_screenshot(args.screenshot)
    # Escape, as a person would. (Activating the dialog's "dialog.cancel" over AT-SPI would
    # do too, but GTK 4.8 leaks the list of action names it builds for that.)
    log('pressing Escape')
    keyCombo('Escape')
    wait_for(f'the dialog "{args.add_server_title}" to close',
             lambda: find_showing_dialog(app, args.add_server_title) is None,
             args.step_timeout, app_process)

    # Keyboard shortcuts go through the X server (XTest), as a person's would.
    log('pressing Ctrl+comma')
    keyCombo('<Control>comma')
    wait_for(f'the window "{args.preferences_title}"',
             lambda: find_showing_window(app, args.preferences_title),
             args.step_timeout, app_process)
    wait_for('the "Remember sign-in sessions" switch',
             lambda: find_visible_node(app, args.remember_sign_in, 'check box'),
             args.step_timeout, app_process)
    # A new window is on screen a moment after AT-SPI reports it; let it draw.
    time.sleep(1.5)
    take_screenshot(os.path.splitext(args.screenshot)[0] + '-preferences.png')

    log('pressing Ctrl+W')
    keyCombo('<Control>w')
    wait_for(f'the window "{args.preferences_title}" to close',
             lambda: find_window(app, args.preferences_title) is None,
             args.step_timeout, app_process)

    check_primary_menu(args, app, app_process)

    log('activating app.quit')
    activate_app_action(args.app_id, 'quit')
    try:
        status = app_process.wait(timeout=args.exit_timeout)
    except subprocess.TimeoutExpired:
        raise SmokeFailure(f'tether still runs {args.exit_timeout} s after app.quit')
    if status != 0:
        raise SmokeFailure(f'tether exited with status {status} after app.quit')
    log('tether quit cleanly')


def open_primary_menu(args, app, app_process):
    """Opens the primary menu with F10, as a person would; returns its items by name."""
    log('pressing F10')
    keyCombo('F10')
    names = [args.menu_preferences, args.menu_shortcuts, args.menu_about]
    items = {}
    for name in names:
        items[name] = wait_for(f'the menu item "{name}"',
                               lambda name=name: find_visible_node(app, name, 'menu item'),
                               args.step_timeout, app_process)
    return items


def check_primary_menu(args, app, app_process):
    """The primary menu's three items, each opening what it says."""
    items = open_primary_menu(args, app, app_process)
    log('primary menu shows ' + ', '.join(f'"{name}"' for name in items))
    time.sleep(1)
    take_screenshot(os.path.splitext(args.screenshot)[0] + '-menu.png')

    log(f'choosing "{args.menu_about}"')
    items[args.menu_about].doActionNamed('click')
    about = wait_for(f'the window "{args.about_title}"',
                     lambda: find_showing_window(app, args.about_title),
                     args.step_timeout, app_process)
    if args.version:
        wait_for(f'the version "{args.version}" in "{about.name}"',
                 lambda: find_visible_node(about, args.version, 'label'),
                 args.step_timeout, app_process)
    wait_for(f'the developer "{args.developer}" in "{about.name}"',
             lambda: find_visible_node(about, args.developer, 'label'),
             args.step_timeout, app_process)
    log(f'"{about.name}" shows version {args.version} by "{args.developer}"')
    time.sleep(1.5)
    take_screenshot(os.path.splitext(args.screenshot)[0] + '-about.png')
    log('pressing Escape')
    keyCombo('Escape')
    wait_for(f'the window "{args.about_title}" to close',
             lambda: find_showing_window(app, args.about_title) is None,
             args.step_timeout, app_process)

    items = open_primary_menu(args, app, app_process)
    log(f'choosing "{args.menu_shortcuts}"')
    items[args.menu_shortcuts].doActionNamed('click')
    shortcut = wait_for(f'the shortcut "{args.shortcut_title}"',
                        lambda: find_visible_node(app, args.shortcut_title, 'label'),
                        args.step_timeout, app_process)
    log(f'keyboard shortcuts window lists "{shortcut.name}"')
    time.sleep(1.5)
    take_screenshot(os.path.splitext(args.screenshot)[0] + '-shortcuts.png')
    log('pressing Escape')
    keyCombo('Escape')
    wait_for(f'the shortcut "{args.shortcut_title}" to go away',
             lambda: find_visible_node(app, args.shortcut_title, 'label') is None,
             args.step_timeout, app_process)


def check_log(path):
    """Warnings or criticals from our own log domain fail the test."""
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().splitlines()
    ours = [line for line in lines if 'Tether-WARNING' in line or 'Tether-CRITICAL' in line]
    if ours:
        raise SmokeFailure('tether logged:\n' + '\n'.join(ours))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('binary', nargs='?', default=os.environ.get('TETHER_BINARY'),
                        help='the tether executable (default: $TETHER_BINARY)')
    parser.add_argument('--app-id', default='io.github.tethermcp.Tether')
    parser.add_argument('--app-name', default=None,
                        help='the name on AT-SPI (default: the program name of the binary)')
    parser.add_argument('--window-title', default='Tether', help='title of the main window')
    parser.add_argument('--add-server', default='Add Server',
                        help='accessible name of the add-server button')
    parser.add_argument('--empty-title', default='No Servers Yet',
                        help='title of the empty sidebar')
    parser.add_argument('--add-server-title', default='Add Server',
                        help='title of the dialog the add-server button opens')
    parser.add_argument('--preferences-title', default='Preferences',
                        help='title of the preferences window')
    parser.add_argument('--remember-sign-in', default='Remember sign-in sessions',
                        help='accessible name of the switch in the preferences')
    parser.add_argument('--no-connection-title', default='No Connection Selected',
                        help='title of the main area while no connection is chosen')
    parser.add_argument('--menu-preferences', default='Preferences',
                        help='the primary menu\'s item that opens the preferences')
    parser.add_argument('--menu-shortcuts', default='Keyboard Shortcuts',
                        help='the primary menu\'s item that opens the keyboard shortcuts')
    parser.add_argument('--menu-about', default='About Tether',
                        help='the primary menu\'s item that opens About')
    parser.add_argument('--about-title', default='About',
                        help='title of the About window (libadwaita\'s)')
    parser.add_argument('--developer', default='The Tether developers',
                        help='the developer name shown in About')
    parser.add_argument('--version', default=None,
                        help='the version About must show (not checked when not given)')
    parser.add_argument('--shortcut-title', default='Edit the Selected Server',
                        help='a shortcut the keyboard shortcuts window lists')
    parser.add_argument('--screenshot', required=True,
                        help='where to save the screenshot of the main window; the one of '
                        'the preferences goes beside it with "-preferences" appended')
    parser.add_argument('--log', default=None, help='where to save tether’s output')
    parser.add_argument('--timeout', type=float, default=100,
                        help='hard limit for the whole test, in seconds')
    parser.add_argument('--startup-timeout', type=float, default=45)
    parser.add_argument('--step-timeout', type=float, default=15)
    parser.add_argument('--exit-timeout', type=float, default=30)
    args = parser.parse_args()

    if not args.binary:
        parser.error('give the tether binary as an argument or in $TETHER_BINARY')
    if args.app_name is None:
        args.app_name = os.path.basename(args.binary)
    if args.log is None:
        args.log = os.path.splitext(args.screenshot)[0] + '.log'

    # tether inherits the locale; one that is not installed would silently give English.
    try:
        locale.setlocale(locale.LC_ALL, '')
    except locale.Error as e:
        log(f'FAIL: the locale {os.environ.get("LC_ALL") or os.environ.get("LANG")} '
            f'is not usable ({e}); generate it with locale-gen')
        return 1

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout))

    os.makedirs(os.path.dirname(args.log) or '.', exist_ok=True)
    status = 1
    with open(args.log, 'w', encoding='utf-8') as app_log:
        app_process = subprocess.Popen([args.binary], stdout=app_log, stderr=subprocess.STDOUT)
        try:
            run(args, app_process)
            check_log(args.log)
            status = 0
        except SmokeFailure as e:
            log(f'FAIL: {e}')
        except HardTimeout:
            log(f'FAIL: the test did not finish within {args.timeout} s')
        except (GLib.GError, OSError, subprocess.SubprocessError) as e:
            log(f'FAIL: {type(e).__name__}: {e}')
        finally:
            signal.alarm(0)
            if app_process.poll() is None:
                app_process.kill()
                app_process.wait()

    if status != 0:
        with open(args.log, encoding='utf-8', errors='replace') as f:
            output = f.read()
        if output:
            log(f'output of tether ({args.log}):')
            sys.stdout.write(output)
    return status


if __name__ == '__main__':
    sys.exit(main())
