#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's run command, build-aux/run.sh, as a new user runs it.

It must start tether-demo-server in offline mode (even with GitHub credentials in the
environment), open Tether in a throwaway profile with a connection to the demo server in the
sidebar, and when Tether quits, stop the server and delete the throwaway profile. The script
runs on the test's own build directory (TETHER_BUILDDIR), so it builds nothing new. Run inside
run-gui-test.sh.
"""

import argparse
import json
import os
import signal
import socket
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tetherui as T  # noqa: E402  (sets dogtail up before it loads)

CONNECTION_NAME = 'Demo Server (simple-auth)'


def port_closes(port, timeout):
    """Whether nothing listens on 127.0.0.1:port any more within timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                pass
        except OSError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('script', help='build-aux/run.sh')
    parser.add_argument('--build-dir', required=True, help='the build directory to run from')
    parser.add_argument('--app-id', default='io.github.tethermcp.Tether')
    parser.add_argument('--screenshots', required=True, help='directory for logs and pictures')
    parser.add_argument('--timeout', type=float, default=170)
    args = parser.parse_args()

    signal.signal(signal.SIGALRM, T.on_alarm)
    signal.alarm(int(args.timeout))

    os.makedirs(args.screenshots, exist_ok=True)
    log_path = os.path.join(args.screenshots, 'run-script.log')
    env = dict(os.environ)
    env['TETHER_BUILDDIR'] = args.build_dir
    env['TETHER_DEMO_PORT'] = str(T.free_port())
    # A user with the reference example's GitHub credentials set still gets the offline demo.
    env['MCP_GITHUB_GITHUB_CLIENT_ID'] = 'not-a-real-client'
    env['MCP_GITHUB_GITHUB_CLIENT_SECRET'] = 'not-a-real-secret'

    script = T.Peer('build-aux/run.sh', ['sh', args.script], log_path, env=env)
    # The App helper drives a tether it started; here run.sh starts it.
    app = T.App.__new__(T.App)
    app.binary = os.path.join(args.build_dir, 'src', 'app', 'tether')
    app.app_id = args.app_id
    app.log_path = log_path
    app.log_file = open(os.devnull, 'w', encoding='utf-8')
    app.process = script.process
    app.root = None
    status = 1
    try:
        match = script.wait_for_output(
            r'tether-demo-server is running at (http://localhost:(\d+)/mcp) '
            r'\(its log: (\S+)\)', 120)
        url, port, demo_log = match.group(1), match.group(2), match.group(3)
        workdir = os.path.dirname(demo_log)
        T.log(f'demo server at {url}, throwaway directory {workdir}')

        with urllib.request.urlopen(
                f'http://127.0.0.1:{port}/.well-known/oauth-authorization-server',
                timeout=10) as response:
            metadata = json.load(response)
        if metadata.get('issuer') != f'http://localhost:{port}':
            raise T.Failure(f'unexpected issuer in the demo server metadata: {metadata}')
        with open(demo_log, encoding='utf-8', errors='replace') as f:
            started = f.read()
        if 'sign-in on the consent page' not in started:
            raise T.Failure('the demo server did not start in offline mode:\n' + started)

        script.wait_for_output(r'Running Tether in a throwaway profile', 30)
        connections_path = os.path.join(workdir, 'profile', 'config', 'tether',
                                        'connections.json')
        with open(connections_path, encoding='utf-8') as f:
            connections = json.load(f)['connections']
        if [(c['name'], c['url']) for c in connections] != [(CONNECTION_NAME, url)]:
            raise T.Failure(f'unexpected connections in the throwaway profile: {connections}')

        app.attach(90)
        main_window = app.wait_for('the main window', lambda: next(
            (w for w in app.root if w is not None and w.roleName == 'frame' and w.showing),
            None), 60)
        app.wait_for(f'the sidebar row "{CONNECTION_NAME}"',
                     lambda: T.find_first(main_window, lambda n: n.roleName == 'list item'
                                          and n.name == CONNECTION_NAME and n.visible), 30)
        T.log('the window lists the demo connection')

        app.quit(60)
        if not port_closes(int(port), 10):
            raise T.Failure(f'the demo server still listens on port {port} after Tether quit')
        if os.path.exists(workdir):
            raise T.Failure(f'the throwaway directory {workdir} is still there')
        T.log('Tether quit; the demo server stopped and the throwaway profile is gone')
        status = 0
    except (T.Failure, T.HardTimeout, OSError, ValueError, KeyError) as error:
        T.log(f'FAILED: {error!r}')
        T.log('run.sh said:\n' + script.output())
    finally:
        signal.alarm(0)
        script.stop()
        app.log_file.close()
    return status


if __name__ == '__main__':
    sys.exit(main())
