# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared pieces of the GUI path tests: peers on kernel-picked ports, the tether process,
waiting for widgets over AT-SPI, screenshots.

Import this before anything else from dogtail: it switches dogtail's accessibility check off
(a private session bus under Xvfb has no desktop that turns accessibility on, yet GTK 4 talks
AT-SPI all the same).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time

from dogtail.config import config

config.checkForA11y = False
config.logDebugToStdOut = False
config.logDebugToFile = False

import dogtail.tree  # noqa: E402  (must come after the config above)
from dogtail.predicate import GenericPredicate  # noqa: E402
from gi.repository import Gio, GLib  # noqa: E402


class Failure(Exception):
    pass


class HardTimeout(Exception):
    pass


def log(message):
    print(f'{os.path.basename(sys.argv[0])}: {message}', flush=True)


def on_alarm(signum, frame):
    raise HardTimeout()


def free_port():
    """A port the kernel picks for 127.0.0.1, released for the peer to bind right away."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for_port(port, process, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise Failure(f'{what} exited with status {process.returncode} before listening')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Failure(f'{what} did not listen on port {port} within {timeout} s')
        time.sleep(0.1)


class Peer:
    """A server process, stopped (with its children) when the test ends, pass or fail."""

    def __init__(self, name, argv, log_path, env=None, cwd=None):
        self.name = name
        self.log_path = log_path
        with open(log_path, 'w', encoding='utf-8') as log_file:
            self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log_file,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def wait_for_output(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.output())
            if match:
                return match
            if self.process.poll() is not None:
                raise Failure(f'{self.name} exited with status {self.process.returncode}:\n'
                              + self.output())
            if time.monotonic() > deadline:
                raise Failure(f'{self.name} did not print {pattern!r} within {timeout} s:\n'
                              + self.output())
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait()


def start_keyring():
    """A Secret Service in this D-Bus session (gnome-keyring, unlocked with a throwaway
    password); it goes away with the session bus."""
    result = subprocess.run(['gnome-keyring-daemon', '--unlock', '--components=secrets'],
                            input=b'pw', capture_output=True, timeout=30)
    if result.returncode != 0:
        raise Failure('gnome-keyring-daemon failed: ' + result.stderr.decode(errors='replace'))
    for line in result.stdout.decode(errors='replace').splitlines():
        name, _, value = line.partition('=')
        if name and value:
            os.environ[name] = value
    # Wait until the Secret Service answers on the bus.
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    deadline = time.monotonic() + 15
    while True:
        reply = bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                              'org.freedesktop.DBus', 'NameHasOwner',
                              GLib.Variant('(s)', ('org.freedesktop.secrets',)), None,
                              Gio.DBusCallFlags.NONE, 5000, None)
        if reply.unpack()[0]:
            return
        if time.monotonic() > deadline:
            raise Failure('the Secret Service did not appear on the session bus')
        time.sleep(0.2)


class App:
    """The tether process and its accessible tree."""

    def __init__(self, binary, log_path, app_id):
        self.binary = binary
        self.app_id = app_id
        self.log_path = log_path
        os.makedirs(os.path.dirname(log_path) or '.', exist_ok=True)
        self.log_file = open(log_path, 'w', encoding='utf-8')
        # TETHER_TEST_WRAPPER (e.g. "gdb -batch -ex run -ex bt --args") runs tether under a
        # debugger or valgrind when a test needs looking into.
        wrapper = os.environ.get('TETHER_TEST_WRAPPER', '').split()
        self.process = subprocess.Popen(wrapper + [binary], stdout=self.log_file,
                                        stderr=subprocess.STDOUT)
        self.root = None

    def wait_for(self, what, probe, timeout=20, interval=0.25):
        """Calls probe() until it returns something true; fails when tether dies or time runs
        out."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise Failure(f'tether exited with status {self.process.returncode} '
                              f'while waiting for {what}')
            try:
                result = probe()
            except (GLib.GError, LookupError):
                # The accessible tree changes under our feet while widgets come and go.
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                raise Failure(f'timed out after {timeout} s waiting for {what}')
            pause(interval)

    def attach(self, timeout=45):
        name = os.path.basename(self.binary)

        def find():
            for app in dogtail.tree.root.applications():
                if app.name == name:
                    return app
            return None

        self.root = self.wait_for(f'the application "{name}" on the accessibility bus', find,
                                  timeout)
        return self.root

    def window(self, title):
        for window in self.root:
            if window is not None and window.name == title and window.roleName == 'frame':
                return window
        return None

    def showing_window(self, title):
        window = self.window(title)
        return window if window is not None and window.showing else None

    def wait_for_window(self, title, timeout=20, interval=0.25):
        return self.wait_for(f'the window "{title}"', lambda: self.showing_window(title),
                             timeout, interval)

    def wait_for_window_gone(self, title, timeout=20):
        return self.wait_for(f'the window "{title}" to close',
                             lambda: self.window(title) is None, timeout)

    def quit(self, timeout=30):
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        path = '/' + self.app_id.replace('.', '/').replace('-', '_')
        bus.call_sync(self.app_id, path, 'org.gtk.Actions', 'Activate',
                      GLib.Variant('(sava{sv})', ('quit', [], {})), None,
                      Gio.DBusCallFlags.NONE, 10000, None)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f'tether still runs {timeout} s after app.quit')
        if status != 0 and not only_quark_table_leaks(self.output()):
            raise Failure(f'tether exited with status {status} after app.quit')

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log_file.close()

    def output(self):
        self.log_file.flush()
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def check_log(self):
        """Warnings from our own log domain and criticals from any fail the test, except the
        one GTK 4.8's AT-SPI code logs when it is asked about a window that is going away
        (it answers with a NULL object path): that comes from the test looking, not from
        Tether. The path tests run without fatal criticals for that reason."""
        bad = []
        for line in self.output().splitlines():
            if 'Tether-WARNING' in line:
                bad.append(line)
            elif '-CRITICAL' in line and ATSPI_NULL_PATH not in line:
                bad.append(line)
        if bad:
            raise Failure('tether logged:\n' + '\n'.join(bad))


ATSPI_NULL_PATH = "g_variant_is_object_path: assertion 'string != NULL' failed"


# GLib keeps its quark table in an array that grows by 2048 entries; when it grows, the old
# array is dropped on purpose, never freed (lock-free readers may still look at it: see
# quark_new() in glib/gquark.c). The whole window registers more than 2048 quarks, so an
# AddressSanitizer build reports one block of 16384 bytes (2048 pointers; 32768 at the next
# growth, and so on) allocated by g_malloc, with no caller in the stack (Debian's GLib has no
# frame pointers) and nothing pointing to it. That one report is GLib's, not a leak of ours.
LEAK_HEADER = re.compile(r'^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object')


def only_quark_table_leaks(output):
    """True when the output holds a LeakSanitizer report and every leak in it is one of GLib's
    dropped quark arrays; any other sanitizer error or leak makes it False."""
    if 'ERROR: LeakSanitizer: detected memory leaks' not in output:
        return False
    if 'ERROR: AddressSanitizer' in output or 'runtime error:' in output:
        return False
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if 'ERROR: LeakSanitizer' in line)
    leaks = []
    for line in lines[start:]:
        match = LEAK_HEADER.match(line)
        if match:
            leaks.append([match.group(1), int(match.group(2)), int(match.group(3)), []])
        elif leaks and re.match(r'^\s+#\d+ ', line):
            leaks[-1][3].append(line)
        elif line.startswith('SUMMARY:'):
            break
    if not leaks:
        return False
    for kind, size, count, frames in leaks:
        quark_array = (kind == 'Direct' and count == 1 and size % 16384 == 0
                       and (size // 16384) & (size // 16384 - 1) == 0
                       and len(frames) == 2 and 'malloc' in frames[0]
                       and 'in g_malloc ' in frames[1])
        if not quark_array:
            return False
    log(f'LeakSanitizer reported only GLib\'s dropped quark table ({len(leaks)} block(s))')
    return True


def pause(seconds):
    """Sleeps while dispatching AT-SPI events to the listeners of EventLog."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while True:
        while context.iteration(False):
            pass
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.02))


class EventLog:
    """What the application says over AT-SPI events, without asking it anything.

    GTK 4.8 answers a question about the application's windows (GetChildren, GetChildAtIndex)
    with a NULL object path, logs a critical and may crash, when a window has just been shown
    and its accessible is not set up yet. A test that polls the window list while a dialog
    appears (the sign-in dialog is up for a fraction of a second) hits that, and polling a
    label that changes that fast misses states. Events catch both: windows added and removed,
    and every description a widget takes (a sidebar row describes its connection's state)."""

    def __init__(self, app_name):
        import pyatspi
        self.app_name = app_name
        self.added = 0
        self.removed = 0
        self.descriptions = []   # (accessible name, new description), in order
        self._registry = pyatspi.Registry
        self._registry.registerEventListener(self._on_children, 'object:children-changed')
        self._registry.registerEventListener(self._on_description,
                                             'object:property-change:accessible-description')

    def _on_children(self, event):
        try:
            if event.source is None or event.source.getRoleName() != 'application' \
               or event.source.name != self.app_name:
                return
        except (GLib.GError, LookupError):
            return
        if event.type.endswith(':add'):
            self.added += 1
        elif event.type.endswith(':remove'):
            self.removed += 1

    def _on_description(self, event):
        try:
            name = event.source.name if event.source is not None else None
        except (GLib.GError, LookupError):
            name = None
        self.descriptions.append((name, event.any_data))

    def descriptions_of(self, name):
        return [description for who, description in self.descriptions if who == name]

    def close(self):
        self._registry.deregisterEventListener(self._on_children, 'object:children-changed')
        self._registry.deregisterEventListener(self._on_description,
                                               'object:property-change:accessible-description')


def find_node(root, name, role, showing_only=False):
    node = root.findChild(GenericPredicate(name=name, roleName=role),
                          retry=False, requireResult=False, showingOnly=showing_only)
    return node


def find_visible(root, name, role):
    node = find_node(root, name, role)
    return node if node is not None and node.visible else None


def find_all(root, predicate):
    return root.findChildren(predicate, recursive=True, showingOnly=False)


def find_first(root, test):
    """The first node under root for which test(node) is true (depth first)."""
    try:
        return root.findChild(lambda node: _safe(test, node), retry=False,
                              requireResult=False, showingOnly=False)
    except TypeError:
        return None


def _safe(test, node):
    try:
        return test(node)
    except (GLib.GError, LookupError):
        return False


def node_text(node):
    """Everything the node says: its name and, for text, its contents."""
    parts = [node.name or '']
    try:
        text = node.queryText()
        # GTK 4.8 answers an end offset of -1 with nothing: ask for the whole length.
        parts.append(text.getText(0, text.characterCount))
    except (NotImplementedError, AttributeError, GLib.GError, LookupError):
        pass
    return '\n'.join(parts)


def click(node):
    node.doActionNamed('click')


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def dump(root, path):
    """Writes the accessible tree to path (for finding out why a widget was not found)."""
    with open(path, 'w', encoding='utf-8') as f:
        def walk(node, depth):
            try:
                f.write('  ' * depth + f'[{node.roleName}] {node.name!r}'
                        + ('' if node.visible else ' (hidden)')
                        + f' actions={list(node.actions.keys())}\n')
                for child in node:
                    if child is not None:
                        walk(child, depth + 1)
            except (GLib.GError, LookupError) as e:
                f.write('  ' * depth + f'<error {e}>\n')
        walk(root, 0)


class Screenshots:
    def __init__(self, directory, prefix):
        self.directory = directory
        self.prefix = prefix
        self.count = 0
        os.makedirs(directory, exist_ok=True)
        # Pictures of an earlier run would mix with this run's.
        for name in os.listdir(directory):
            if name.startswith(prefix + '-') and name.endswith('.png'):
                os.remove(os.path.join(directory, name))

    def take(self, step, settle=0.6):
        # A change is on screen a moment after AT-SPI reports it; let it draw.
        pause(settle)
        self.count += 1
        path = os.path.join(self.directory, f'{self.prefix}-{self.count:02d}-{step}.png')
        subprocess.run(['import', '-window', 'root', path], check=True, timeout=30)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            raise Failure(f'no screenshot was written to {path}')
        log(f'screenshot: {path}')
        return path


class Frames:
    """Screenshots grabbed in this process (Gdk 3, as dogtail's input uses), fast enough to
    call on every poll: for a window that is on screen too briefly to catch on purpose (the
    sign-in dialog of a server that approves at once). Only frames that differ from the one
    before are kept, at most @limit; save() writes them out."""

    def __init__(self, shots, step, limit=24):
        import hashlib
        gi_require('Gdk', '3.0')
        from gi.repository import Gdk
        self._gdk = Gdk
        self._hash = hashlib.sha1
        self.shots = shots
        self.step = step
        self.limit = limit
        self.frames = []
        self._last = None

    def grab(self):
        if len(self.frames) >= self.limit:
            return
        root = self._gdk.get_default_root_window()
        pixbuf = self._gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(),
                                                  root.get_height())
        if pixbuf is None:
            return
        digest = self._hash(pixbuf.get_pixels()).digest()
        if digest != self._last:
            self._last = digest
            self.frames.append(pixbuf)

    def save(self):
        paths = []
        for number, pixbuf in enumerate(self.frames, start=1):
            path = os.path.join(self.shots.directory,
                                f'{self.shots.prefix}-{self.step}-{number:02d}.png')
            pixbuf.savev(path, 'png', [], [])
            paths.append(path)
        log(f'{len(paths)} frames: {self.shots.prefix}-{self.step}-NN.png')
        return paths


def gi_require(namespace, version):
    import gi
    gi.require_version(namespace, version)


def pointer_click(node, button=1):
    """Clicks the middle of node with the pointer (XTest), as a person would: for what has no
    accessible action (a right click on a row). Without a window manager the window sits at the
    top left of the screen, so its coordinates are the screen's."""
    import pyatspi
    from dogtail import rawinput
    box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    if box.width <= 0 or box.height <= 0:
        raise Failure(f'"{node.name}" has no size on screen to click')
    rawinput.click(box.x + box.width // 2, box.y + box.height // 2, button)
