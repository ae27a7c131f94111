#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A new user's path through the Tether window, against server-everything (no auth).

Starts server-everything (Streamable HTTP) on a port the kernel picked, starts tether, and
over AT-SPI does what a person does: "+", fills the Add Server dialog (name, URL, auth
"None"), adds it; the connection comes up and the tools appear; selects `echo`, types a
message in its form, runs it with Ctrl+Return; the result pane shows the message. Then the
connection's actions: disconnect, connect again, delete with the Undo toast, undo. A
screenshot of every step goes to --screenshots. Run inside run-gui-test.sh.
"""

import argparse
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tetherui as T  # noqa: E402  (sets dogtail up before it loads)
from dogtail.rawinput import keyCombo, pressKey  # noqa: E402
from gi.repository import GLib  # noqa: E402

MESSAGE = 'Hello from the Tether GUI test ✓'
SERVER_NAME = 'Everything'
RENAMED = 'Everything Server'
COPY = f'{RENAMED} (copy)'


def starts(role, prefix):
    """GTK 4.8 names a button after its label property, mnemonic underline included, then
    repeats the label's text ("Add Add", "_Undo Undo")."""
    def test(node):
        name = (node.name or '').replace('_', '')
        return node.roleName == role and (name == prefix or name.startswith(prefix + ' '))
    return test


def choose_in_combo_row(app, dialog, combo_name, choice):
    """Picks @choice in an AdwComboRow with the keyboard, as a person would: Tab to the row,
    Space opens its list, arrows move, Return picks. (The row offers no AT-SPI action.)"""
    combo = app.wait_for(f'the combo row "{combo_name}"',
                         lambda: T.find_first(dialog, starts('combo box', combo_name)))

    def current():
        label = T.find_first(combo, lambda n: n.roleName == 'label' and n.name != combo_name)
        return label.name if label is not None else None

    for _ in range(30):
        if combo.focused:
            break
        pressKey('Tab')
        time.sleep(0.15)
    else:
        raise T.Failure(f'Tab never reached the combo row "{combo_name}"')

    for _ in range(4):
        if current() == choice:
            return combo
        pressKey('space')
        time.sleep(0.6)
        # One entry further down each time, until the row shows the choice.
        pressKey('Down')
        time.sleep(0.15)
        pressKey('Return')
        time.sleep(0.6)
    if current() != choice:
        raise T.Failure(f'the combo row "{combo_name}" shows "{current()}", not "{choice}"')
    return combo


def visible_window(root, title):
    for window in root:
        if window is not None and window.name == title and window.visible:
            return window
    return None


def use_connection_menu(app, main_window, item):
    T.click(app.wait_for('the "Connection Menu" button',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'push button'
                                              and n.name == 'Connection Menu'
                                              and 'click' in n.actions)))
    T.click(app.wait_for(f'the "{item}" menu item',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'menu item'
                                              and n.name == item and n.visible)))


def sidebar_rows(main_window):
    servers = T.find_first(main_window, lambda n: n.roleName == 'list' and n.name == 'Servers')
    return [] if servers is None else [row for row in servers if row is not None]


def check_sidebar_count(app, main_window, expected, when):
    app.wait_for(f'{expected} server(s) in the sidebar {when}',
                 lambda: len(sidebar_rows(main_window)) == expected
                 or (expected == 0 and T.find_visible(main_window, 'No Servers Yet', 'label')),
                 10)


def sidebar_row(app, main_window, name):
    return app.wait_for(f'the sidebar row "{name}"',
                        lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                             and n.name == name and n.visible), 10)


def row_menu_item(app, main_window, name, item):
    """The item of the menu that a sidebar row opens (a popover of the row's own): the
    connection menu of the header has the same items, so look inside the row."""
    row = sidebar_row(app, main_window, name)
    return app.wait_for(f'"{item}" in the menu of the row "{name}"',
                        lambda: T.find_first(row, lambda n: n.roleName == 'menu item'
                                             and n.name == item and n.visible), 10)


def use_row_menu(app, main_window, name, item):
    """A right click on the sidebar row, then @item in the menu that opens."""
    T.log(f'right click on the row "{name}", then "{item}"')
    T.pointer_click(sidebar_row(app, main_window, name), button=3)
    T.click(row_menu_item(app, main_window, name, item))


def select_connection(app, main_window, name):
    servers = app.wait_for('the sidebar list',
                           lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                                and n.name == 'Servers'))
    for index, row in enumerate(servers):
        if row is not None and row.name == name:
            servers.querySelection().selectChild(index)
            return
    raise T.Failure(f'no sidebar row for "{name}"')


def run(args, app, shots, port):
    root = app.attach()
    main_window = app.wait_for_window('Tether')
    app.wait_for('the empty sidebar', lambda: T.find_visible(main_window, 'No Servers Yet', 'label'))
    shots.take('empty')

    # "+" opens the Add Server dialog.
    add_button = app.wait_for('the "Add Server" button',
                              lambda: T.find_node(main_window, 'Add Server', 'push button'))
    T.log('pressing "Add Server"')
    T.click(add_button)
    # Ask for the new window only once it is set up (see tetherui.EventLog).
    T.pause(1.0)

    def find_dialog():
        for window in root:
            if window is not None and window.name == 'Add Server' and window.visible:
                return window
        return None

    dialog = app.wait_for('the "Add Server" dialog', find_dialog)
    name_row = app.wait_for('the "Name" row', lambda: T.find_first(dialog, starts('text', 'Name')))
    url_row = T.find_first(dialog, starts('text', 'Server URL'))
    if url_row is None:
        raise T.Failure('the dialog has no "Server URL" row')
    primary = T.find_first(dialog, starts('push button', 'Add'))
    if primary is None:
        raise T.Failure('the dialog has no "Add" button')
    if primary.sensitive:
        raise T.Failure('"Add" is enabled before anything was entered')

    T.set_text(name_row, SERVER_NAME)
    T.set_text(url_row, f'http://127.0.0.1:{port}/mcp')
    choose_in_combo_row(app, dialog, 'Authentication', 'None')
    app.wait_for('"Add" to become enabled', lambda: primary.sensitive, 10)
    shots.take('add-server-dialog')

    T.log('pressing "Add"')
    T.click(primary)

    # The new connection is selected and connects by itself; its tools appear.
    app.wait_for(f'the sidebar row "{SERVER_NAME}"',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                      and n.name == SERVER_NAME))
    tools = app.wait_for('the tool list to fill',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                              and n.name == 'Tools' and n.childCount > 0), 30)
    T.log(f'{tools.childCount} tools listed')
    if T.find_visible(main_window, 'Connected', 'label') is None:
        raise T.Failure('the connection does not say "Connected"')
    shots.take('connected')

    # Select echo (the list view's selection, as a click does).
    index = None
    for i, item in enumerate(tools):
        if T.find_first(item, lambda n: n.roleName == 'label' and n.name == 'echo'):
            index = i
            break
    if index is None:
        raise T.Failure('no tool named "echo" in the list')
    T.log('selecting echo')
    tools.querySelection().selectChild(index)

    message_row = app.wait_for('the "message" field of echo',
                               lambda: T.find_first(main_window, lambda n: n.roleName == 'text'
                                                    and n.name == 'message' and n.visible))
    run_button = app.wait_for('the "Run" button',
                              lambda: T.find_first(main_window, starts('push button', 'Run')))
    if run_button.sensitive:
        raise T.Failure('"Run" is enabled while the required message is empty')
    T.set_text(message_row, MESSAGE)
    app.wait_for('"Run" to become enabled', lambda: run_button.sensitive, 10)
    shots.take('echo-form')

    T.log('pressing Ctrl+Return')
    keyCombo('<Control>Return')
    result = app.wait_for('the result to show the message',
                          lambda: T.find_first(main_window, lambda n: n.roleName == 'label'
                                               and MESSAGE in (n.name or '') and n.visible), 30)
    T.log(f'result: "{result.name}"')
    if T.find_visible(main_window, 'Success', 'label') is None:
        raise T.Failure('the result does not say "Success"')
    shots.take('echo-result')

    # Running again with the button gives the same answer.
    T.set_text(message_row, MESSAGE + ' again')
    app.wait_for('"Run" to become enabled', lambda: run_button.sensitive, 10)
    T.click(run_button)
    app.wait_for('the second result',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'label'
                                      and MESSAGE + ' again' in (n.name or '') and n.visible), 30)

    # The connection's commands, through the header's buttons and the connection menu.
    # (Not through the window's actions over AT-SPI: GTK 4.8 leaks the list of action names
    # it builds to activate one, which the AddressSanitizer build reports.)
    T.log('disconnecting')
    T.click(app.wait_for('the "Disconnect" button',
                         lambda: T.find_first(main_window, lambda n: starts('push button',
                                                                           'Disconnect')(n)
                                              and n.visible and 'click' in n.actions)))
    app.wait_for('"Not Connected"',
                 lambda: T.find_visible(main_window, 'Not Connected', 'label'), 15)
    shots.take('disconnected')

    T.log('connecting again')
    T.click(app.wait_for('the "Connect" button',
                         lambda: T.find_first(main_window, lambda n: starts('push button',
                                                                           'Connect')(n)
                                              and n.visible and 'click' in n.actions)))
    app.wait_for('the tools again',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                      and n.name == 'Tools' and n.childCount > 0 and n.visible),
                 30)
    # The tool shown before, with what was typed, comes back with the list.
    app.wait_for('the echo form again',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'text'
                                      and n.name == 'message' and n.visible
                                      and MESSAGE in T.node_text(n)), 15)
    shots.take('reconnected')

    # Edit: rename it; the row follows and the connection comes back up with the new name.
    T.log('editing the connection')
    use_connection_menu(app, main_window, 'Edit…')
    T.pause(1.0)
    editor = app.wait_for('the "Edit Server" dialog', lambda: visible_window(root, 'Edit Server'))
    name_row = app.wait_for('the "Name" row', lambda: T.find_first(editor, starts('text', 'Name')))
    T.set_text(name_row, RENAMED)
    save = T.find_first(editor, starts('push button', 'Save'))
    if save is None:
        raise T.Failure('the Edit Server dialog has no "Save" button')
    app.wait_for('"Save" to become enabled', lambda: save.sensitive, 10)
    shots.take('edit-server-dialog')
    T.click(save)
    app.wait_for(f'the row "{RENAMED}"',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                      and n.name == RENAMED and n.visible), 10)
    app.wait_for('the tools after the edit',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list'
                                      and n.name == 'Tools' and n.childCount > 0 and n.visible),
                 30)

    # The sidebar row's own menu. From the keyboard first: a click puts the focus on the row,
    # Shift+F10 opens its menu, Duplicate makes a second connection with the same settings.
    check_sidebar_count(app, main_window, 1, 'after the edit')
    T.pointer_click(sidebar_row(app, main_window, RENAMED))
    T.log('opening the row menu with Shift+F10')
    keyCombo('<Shift>F10')
    duplicate = row_menu_item(app, main_window, RENAMED, 'Duplicate')
    shots.take('row-menu')
    T.click(duplicate)
    app.wait_for(f'the row "{COPY}"',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                      and n.name == COPY and n.visible), 10)
    check_sidebar_count(app, main_window, 2, 'after Duplicate')
    shots.take('duplicated')

    # Then with the pointer: a right click on the copy, Delete, Undo brings it back; deleted
    # again, it stays deleted.
    T.log('deleting the copy from its row menu')
    use_row_menu(app, main_window, COPY, 'Delete')
    check_sidebar_count(app, main_window, 1, 'after Delete')
    undo = app.wait_for('the Undo button of the toast',
                        lambda: T.find_first(main_window, starts('push button', 'Undo')), 10)
    shots.take('copy-deleted')
    T.click(undo)
    check_sidebar_count(app, main_window, 2, 'after Undo')
    sidebar_row(app, main_window, COPY)
    use_row_menu(app, main_window, COPY, 'Delete')
    check_sidebar_count(app, main_window, 1, 'after deleting the copy again')
    select_connection(app, main_window, RENAMED)

    T.log('deleting the connection')
    T.click(app.wait_for('the "Connection Menu" button',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'push button'
                                              and n.name == 'Connection Menu'
                                              and 'click' in n.actions)))
    T.click(app.wait_for('the "Delete" menu item',
                         lambda: T.find_first(main_window, lambda n: n.roleName == 'menu item'
                                              and n.name == 'Delete' and n.visible)))
    undo = app.wait_for('the Undo button of the toast',
                        lambda: T.find_first(main_window, starts('push button', 'Undo')), 10)
    app.wait_for('the empty sidebar',
                 lambda: T.find_visible(main_window, 'No Servers Yet', 'label'))
    shots.take('deleted')
    T.click(undo)
    app.wait_for(f'the row "{RENAMED}" to come back',
                 lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                      and n.name == RENAMED and n.visible), 10)
    shots.take('undone')

    T.log('quitting')
    app.quit()
    app.check_log()
    # The connection was saved where the XDG config directory says.
    saved = os.path.join(os.environ['XDG_CONFIG_HOME'], 'tether', 'connections.json')
    with open(saved, encoding='utf-8') as f:
        if f'127.0.0.1:{port}/mcp' not in f.read():
            raise T.Failure(f'{saved} does not hold the server')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('binary', help='the tether executable')
    parser.add_argument('--app-id', default='io.github.tethermcp.Tether')
    parser.add_argument('--server-everything', required=True,
                        help='the mcp-server-everything executable')
    parser.add_argument('--screenshots', required=True, help='directory for the screenshots')
    parser.add_argument('--timeout', type=float, default=170)
    args = parser.parse_args()

    if not os.access(args.server_everything, os.X_OK):
        print(f'{args.server_everything} is missing (npm ci in tests/peers): skipped')
        return 77

    signal.signal(signal.SIGALRM, T.on_alarm)
    signal.alarm(int(args.timeout))

    shots = T.Screenshots(args.screenshots, 'user-path')
    log_path = os.path.join(args.screenshots, 'user-path.log')
    port = T.free_port()
    peer = None
    app = None
    status = 1
    try:
        peer = T.Peer('server-everything', [args.server_everything, 'streamableHttp'],
                      os.path.join(args.screenshots, 'user-path-server-everything.log'),
                      env=dict(os.environ, PORT=str(port)))
        T.wait_for_port(port, peer.process, 60, 'server-everything')
        T.log(f'server-everything listens on port {port}')
        app = T.App(args.binary, log_path, args.app_id)
        run(args, app, shots, port)
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
                T.dump(app.root, os.path.join(args.screenshots, 'user-path-tree.txt'))
            except Exception as e:  # noqa: BLE001  (best effort on the way out)
                T.log(f'could not record the failure: {e}')
        if app is not None:
            app.kill()
        if peer is not None:
            peer.stop()
            if status != 0:
                T.log('output of server-everything:\n' + peer.output())
    if status != 0 and app is not None:
        T.log(f'output of tether ({log_path}):\n' + app.output())
    return status


if __name__ == '__main__':
    sys.exit(main())
