#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sign-in path through the Tether window: OAuth inside the app.

With a real keyring in the test's D-Bus session, against tether-demo-server in --auto-approve
mode (the reference scenario offline) and against the TypeScript SDK's OAuth example server
(simpleStreamableHttp.js --oauth): "+", the server's URL with automatic OAuth, Add; the
sign-in dialog opens on the authorization server's page and closes by itself once the server
redirects back; the tools appear; a tool runs (get_user_profile, greet) and its result shows.
Both connections stay live side by side. Screenshots of every step go to --screenshots.
Run inside run-gui-test.sh.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tetherui as T  # noqa: E402  (sets dogtail up before it loads)
from dogtail.rawinput import keyCombo  # noqa: E402
from gi.repository import GLib  # noqa: E402


def starts(role, prefix):
    """GTK 4.8 names a button after its label property, mnemonic underline included, then
    repeats the label's text ("Add Add", "_Undo Undo")."""
    def test(node):
        name = (node.name or '').replace('_', '')
        return node.roleName == role and (name == prefix or name.startswith(prefix + ' '))
    return test


def visible_window(root, title):
    for window in root:
        if window is not None and window.name == title and window.visible:
            return window
    return None


def sidebar_state(main, name):
    """The state label of the sidebar row of connection @name, or None."""
    row = T.find_first(main, lambda n: n.roleName == 'list item' and n.name == name)
    if row is None:
        return None
    labels = [n.name for n in T.find_all(row, lambda n: n.roleName == 'label')]
    return labels[1] if len(labels) > 1 else None


def add_server(app, main, shots, name, url, step):
    root = app.root
    T.log(f'adding "{name}" at {url}')
    T.click(app.wait_for('the "Add Server" button',
                         lambda: T.find_node(main, 'Add Server', 'push button')))
    # Ask for the new window only once it is set up (see tetherui.EventLog).
    T.pause(1.0)
    dialog = app.wait_for('the "Add Server" dialog', lambda: visible_window(root, 'Add Server'))
    T.set_text(app.wait_for('the "Name" row', lambda: T.find_first(dialog, starts('text', 'Name'))),
               name)
    T.set_text(T.find_first(dialog, starts('text', 'Server URL')), url)
    auth = T.find_first(dialog, starts('combo box', 'Authentication'))
    shown = T.find_first(auth, lambda n: n.roleName == 'label' and n.name != 'Authentication')
    if shown is None or 'OAuth' not in shown.name:
        raise T.Failure('a new server does not default to automatic OAuth')
    primary = T.find_first(dialog, starts('push button', 'Add'))
    app.wait_for('"Add" to become enabled', lambda: primary.sensitive, 10)
    shots.take(f'{step}-add-server')
    # Found now: once Add is pressed, things go fast.
    servers = app.wait_for('the sidebar list',
                           lambda: T.find_first(main, lambda n: n.roleName == 'list'
                                                and n.name == 'Servers'))
    T.click(primary)
    return servers


def sign_in_by_itself(app, main, shots, events, servers, name, step):
    """The sign-in dialog opens on its own and closes by itself after the redirect; the
    connection waits for it, then carries on. The sidebar row describes each state as it
    comes; the dialog is up for a fraction of a second here, so the row is watched closely
    (its description, polled and from AT-SPI events) rather than the window list."""
    root = app.root
    title = f'Sign in to {name}'
    added_before = events.added
    frames = T.Frames(shots, f'{step}-sign-in')
    polled = []

    def note(description):
        if description and (not polled or polled[-1] != description):
            polled.append(description)

    try:
        row = app.wait_for(f'the sidebar row of "{name}"',
                           lambda: next((r for r in servers if r is not None and r.name == name),
                                        None), 10, 0.02)
        seen_before = len(events.descriptions_of(name))

        def connected():
            frames.grab()
            note(row.description)
            return bool(polled) and polled[-1] == 'Connected'

        app.wait_for(f'"{name}" to connect after signing in', connected, 90, 0.02)
    finally:
        frames.save()
    announced = events.descriptions_of(name)[seen_before:]
    T.log(f'"{name}" went through (polled): ' + ' → '.join(polled))
    T.log(f'"{name}" went through (events): ' + ' → '.join(announced))
    T.log(f'windows added meanwhile (events): {events.added - added_before}')
    # Tether says so once a connect that needed the sign-in dialog is through: the session
    # saw the authorizer's dialog open. (The row's "waiting in the window that opened" may
    # come and go between two looks, and GTK 4.8 does not always announce new windows.)
    toast = f'Signed in to “{name}”'
    app.wait_for(f'the toast "{toast}"', lambda: T.find_visible(main, toast, 'label'), 10)
    T.log(f'toast: {toast}')
    T.pause(1.0)
    if visible_window(root, title) is not None:
        raise T.Failure(f'"{title}" is still open')
    T.log(f'"{title}" opened and closed by itself')


def select_connection(app, main, name):
    servers = app.wait_for('the sidebar list',
                           lambda: T.find_first(main, lambda n: n.roleName == 'list'
                                                and n.name == 'Servers'))
    for index, row in enumerate(servers):
        if row is not None and row.name == name:
            servers.querySelection().selectChild(index)
            return
    raise T.Failure(f'no sidebar row for "{name}"')


def use_connection_menu(app, main, item):
    T.click(app.wait_for('the "Connection Menu" button',
                         lambda: T.find_first(main, lambda n: n.roleName == 'push button'
                                              and n.name == 'Connection Menu'
                                              and 'click' in n.actions)))
    T.click(app.wait_for(f'the "{item}" menu item',
                         lambda: T.find_first(main, lambda n: n.roleName == 'menu item'
                                              and n.name == item and n.visible)))


def sign_out_and_in(app, main, shots, events, name, url):
    T.log(f'signing out of "{name}"')
    select_connection(app, main, name)
    app.wait_for(f'"{name}" in the header',
                 lambda: T.find_visible(main, name, 'label') is not None
                 and T.find_first(main, lambda n: n.roleName == 'push button'
                                  and n.name == 'Connection Menu' and n.visible))
    use_connection_menu(app, main, 'Sign Out')
    toast = f'Signed out of “{name}”'
    app.wait_for(f'the toast "{toast}"', lambda: T.find_visible(main, toast, 'label'), 20)
    app.wait_for(f'"{name}" to say "Disconnected"',
                 lambda: sidebar_state(main, name) == 'Disconnected', 10)
    if keyring_has_token(url):
        raise T.Failure(f'the tokens for {url} are still in the keyring after signing out')
    T.log(f'the keyring no longer holds the tokens for {url}')
    shots.take('signed-out')

    T.log(f'connecting to "{name}" again')
    T.click(app.wait_for('the "Connect" button',
                         lambda: T.find_first(main, lambda n: starts('push button',
                                                                    'Connect')(n)
                                              and n.visible and 'click' in n.actions)))
    servers = T.find_first(main, lambda n: n.roleName == 'list' and n.name == 'Servers')
    sign_in_by_itself(app, main, shots, events, servers, name, '3again')
    check_keyring_holds_token(url)


def keyring_has_token(url):
    result = subprocess.run(['secret-tool', 'search', '--all', 'server', url],
                            capture_output=True, text=True, timeout=30)
    # secret-tool prints the secrets too: look at the attribute lines only, print nothing else.
    return any(line.strip() == 'attribute.kind = token'
               for line in (result.stdout + result.stderr).splitlines())


def check_keyring_holds_token(url):
    """The OAuth tokens went to the keyring (never a file)."""
    if not keyring_has_token(url):
        raise T.Failure(f'no token for {url} in the keyring')
    T.log(f'the keyring holds the tokens for {url}')


def select_tool(app, main, tool_name):
    def tools_with(name):
        for tools in T.find_all(main, lambda n: n.roleName == 'list' and n.name == 'Tools'):
            if not tools.visible:
                continue
            for i, item in enumerate(tools):
                if T.find_first(item, lambda n: n.roleName == 'label' and n.name == name):
                    return tools, i
        return None

    tools, index = app.wait_for(f'the tool "{tool_name}" in the list',
                                lambda: tools_with(tool_name), 60)
    T.log(f'selecting {tool_name}')
    tools.querySelection().selectChild(index)


def run_tool(app, main, shots, step, fields, expected):
    for field, value in fields.items():
        entry = app.wait_for(f'the field "{field}"',
                             lambda: T.find_first(main, lambda n: n.roleName == 'text'
                                                  and n.name == field and n.visible))
        T.set_text(entry, value)

    def run_button():
        for button in T.find_all(main, starts('push button', 'Run')):
            if button.visible:
                return button
        return None

    button = app.wait_for('the "Run" button', run_button)
    app.wait_for('"Run" to become enabled', lambda: button.sensitive, 10)
    shots.take(f'{step}-tool')
    T.log('pressing Ctrl+Return')
    keyCombo('<Control>Return')

    def shows_result():
        return T.find_first(main, lambda n: n.visible and n.roleName in ('label', 'text')
                            and re.search(expected, T.node_text(n)) is not None)

    found = app.wait_for(f'the result to match {expected!r}', shows_result, 30)
    T.log(f'result shows: {T.node_text(found).strip()[:200]!r}')
    shots.take(f'{step}-result')


def run(args, app, shots, scenarios):
    root = app.attach()
    events = T.EventLog(app.root.name)
    main = app.wait_for_window('Tether')
    app.wait_for('the empty sidebar', lambda: T.find_visible(main, 'No Servers Yet', 'label'))

    for number, scenario in enumerate(scenarios, start=1):
        step = f'{number}{scenario["key"]}'
        servers = add_server(app, main, shots, scenario['name'], scenario['url'], step)
        sign_in_by_itself(app, main, shots, events, servers, scenario['name'], step)
        check_keyring_holds_token(scenario['url'])
        select_tool(app, main, scenario['tool'])
        run_tool(app, main, shots, step, scenario['fields'], scenario['expected'])

    # Every connection is still up.
    for scenario in scenarios:
        state = sidebar_state(main, scenario['name'])
        if state != 'Connected':
            raise T.Failure(f'"{scenario["name"]}" says "{state}", not "Connected"')
    shots.take('all-connected')

    # Sign out of the first server: its tokens leave the keyring; connecting again signs in
    # again, through the dialog.
    first = scenarios[0]
    sign_out_and_in(app, main, shots, events, first['name'], first['url'])
    events.close()

    T.log('quitting')
    app.quit()
    app.check_log()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('binary', help='the tether executable')
    parser.add_argument('--app-id', default='io.github.tethermcp.Tether')
    parser.add_argument('--demo-server', required=True, help='the tether-demo-server executable')
    parser.add_argument('--peers', required=True, help='tests/peers/node_modules')
    parser.add_argument('--screenshots', required=True, help='directory for the screenshots')
    parser.add_argument('--timeout', type=float, default=170)
    args = parser.parse_args()

    sdk_example = os.path.join(args.peers, '@modelcontextprotocol', 'sdk', 'dist', 'esm',
                               'examples', 'server', 'simpleStreamableHttp.js')
    node = os.path.join(args.peers, '.bin', 'node')
    if not os.access(node, os.X_OK):
        node = 'node'

    signal.signal(signal.SIGALRM, T.on_alarm)
    signal.alarm(int(args.timeout))

    shots = T.Screenshots(args.screenshots, 'sign-in-path')
    log_path = os.path.join(args.screenshots, 'sign-in-path.log')
    peers = []
    app = None
    status = 1
    try:
        T.start_keyring()
        T.log('keyring unlocked')

        demo = T.Peer('tether-demo-server', [args.demo_server, '--port', '0', '--auto-approve'],
                      os.path.join(args.screenshots, 'sign-in-path-demo-server.log'))
        peers.append(demo)
        port = demo.wait_for_output(r'Listening on http://127\.0\.0\.1:(\d+)', 30).group(1)
        # The demo server names itself localhost in its issuer and resource metadata.
        scenarios = [{
            'key': 'demo',
            'name': 'Demo Server',
            'url': f'http://localhost:{port}/mcp',
            'tool': 'get_user_profile',
            'fields': {},
            'expected': r'Demo User',
        }]

        if os.path.isfile(sdk_example):
            mcp_port, auth_port = T.free_port(), T.free_port()
            sdk = T.Peer('the SDK OAuth example', [node, sdk_example, '--oauth'],
                         os.path.join(args.screenshots, 'sign-in-path-sdk-server.log'),
                         env=dict(os.environ, MCP_PORT=str(mcp_port),
                                  MCP_AUTH_PORT=str(auth_port)))
            peers.append(sdk)
            T.wait_for_port(mcp_port, sdk.process, 60, 'the SDK OAuth example')
            T.wait_for_port(auth_port, sdk.process, 60, 'the SDK OAuth example')
            scenarios.append({
                'key': 'sdk',
                'name': 'SDK Example',
                'url': f'http://localhost:{mcp_port}/mcp',
                'tool': 'greet',
                'fields': {'name': 'Tether'},
                'expected': r'Hello, Tether!',
            })
        else:
            T.log(f'{sdk_example} is missing (npm ci in tests/peers): only the demo server')

        app = T.App(args.binary, log_path, args.app_id)
        run(args, app, shots, scenarios)
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
                T.dump(app.root, os.path.join(args.screenshots, 'sign-in-path-tree.txt'))
            except Exception as e:  # noqa: BLE001  (best effort on the way out)
                T.log(f'could not record the failure: {e}')
        if app is not None:
            app.kill()
        for peer in peers:
            peer.stop()
            if status != 0:
                T.log(f'output of {peer.name}:\n' + peer.output())
    if status != 0 and app is not None:
        T.log(f'output of tether ({log_path}):\n' + app.output())
    return status


if __name__ == '__main__':
    sys.exit(main())
