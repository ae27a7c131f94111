#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The schema form as an assistive technology sees it, over AT-SPI: every control a person can
# reach has a name (the field's title, without the required mark), descriptions come along,
# and typing through the accessible text interface reaches the form.
#   test-schema-form-a11y.py DEMO SCHEMA.json
import subprocess
import sys
import time

from dogtail.config import config

config.checkForA11y = False
config.logDebugToStdOut = False
config.logDebugToFile = False

import dogtail.tree  # noqa: E402  (must come after the config above)
import pyatspi  # noqa: E402

CONTROL_ROLES = ('text', 'push button', 'toggle button', 'check box', 'combo box')
failures = []


def check(condition, message):
    print(('ok: ' if condition else 'FAILED: ') + message)
    if not condition:
        failures.append(message)


def find_app(name, timeout=90):
    # Generous: with full unwinding on every malloc (the ASan build), the demo takes over 30 s
    # to show up on a loaded two-core machine.
    deadline = time.time() + timeout
    while time.time() < deadline:
        for app in dogtail.tree.root.applications():
            if app.name == name:
                return app
        time.sleep(0.5)
    raise RuntimeError('%s never showed up on the accessibility bus' % name)


def controls(app):
    # GTK 4.8 leaves "showing" unset; "visible" is what it keeps up to date.
    return app.findChildren(lambda n: n.roleName in CONTROL_ROLES and
                            n.getState().contains(pyatspi.STATE_VISIBLE),
                            recursive=True, showingOnly=False)


def main():
    demo, schema = sys.argv[1], sys.argv[2]
    process = subprocess.Popen([demo, schema])
    try:
        app = find_app('schema-form-demo')
        time.sleep(1)
        nodes = controls(app)
        check(len(nodes) >= 12, 'the form shows its controls (%d found)' % len(nodes))
        for node in nodes:
            check(node.name.strip() != '', 'a %s has a name' % node.roleName)
            check('*' not in node.name, '“%s” carries no required mark' % node.name)

        names = {(n.roleName, n.name) for n in nodes}
        for expected in [('text', 'Query'), ('text', 'Body'), ('text', 'Limit'),
                         ('check box', 'Exact match'), ('combo box', 'Mode'),
                         ('text', 'Note'), ('text', 'Item 1'),
                         ('push button', 'Add an item to “Tags”'),
                         ('push button', 'Remove “Item 1”'),
                         ('push button', 'Increase “Limit”'),
                         ('check box', 'Include “Filter”'),
                         ('push button', 'JSON')]:
            check(expected in names, '%s “%s” is there' % expected)

        query = app.findChild(lambda n: n.roleName == 'text' and n.name == 'Query',
                              recursive=True, showingOnly=False)
        check(query.description == 'What to look for', 'the description of Query comes along')

        # Typing through AT-SPI reaches the form: the JSON view then shows it.
        query.queryEditableText().setTextContents('cats and dogs')
        time.sleep(0.5)
        app.findChild(lambda n: n.roleName == 'push button' and n.name == 'JSON',
                      recursive=True, showingOnly=False).doActionNamed('click')
        time.sleep(1)
        editor = app.findChild(lambda n: n.roleName == 'text' and n.name == 'Arguments as JSON',
                               recursive=True, showingOnly=False)
        text = editor.queryText().getText(0, -1)
        check('"query" : "cats and dogs"' in text, 'the JSON view shows what was typed')
    finally:
        # The demo quits on SIGTERM through its main loop, so a sanitizer build checks it
        # (memory errors, undefined behaviour, leaks) on the way out: it must exit with 0.
        process.terminate()
        try:
            status = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            status = process.wait()
        check(status == 0, 'the demo quits cleanly on SIGTERM (exit status %d)' % status)

    if failures:
        print('%d check(s) failed' % len(failures))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
