#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Tether needs on Debian 12, only what is missing. Idempotent.
#   install-deps.sh build   build dependencies (enough to build and run the app)
#   install-deps.sh test    build + test dependencies, the zh_CN locale and the npm peers
set -eu

what="${1:-build}"
srcdir="$(cd "$(dirname "$0")/.." && pwd)"

build_pkgs="gcc libc6-dev meson ninja-build pkg-config gettext libglib2.0-dev libgtk-4-dev
libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libwebkitgtk-6.0-dev libgtksourceview-5-dev
libsecret-1-dev libgnutls28-dev gnome-keyring"
test_pkgs="clang libclang-rt-14-dev xvfb xauth dbus-x11 at-spi2-core python3-dogtail
python3-pyatspi imagemagick libsecret-tools desktop-file-utils appstream flatpak-builder locales
libxml2-utils curl"

pkgs="$build_pkgs"
if [ "$what" = test ]; then
  pkgs="$pkgs $test_pkgs"
fi
# Node.js and npm: the machine may already have them (from another source); only ask apt when
# neither is there, since Debian's npm conflicts with a Node.js that bundles its own.
if [ "$what" = test ] && ! command -v npm >/dev/null 2>&1; then
  pkgs="$pkgs nodejs npm"
fi

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  echo "Installing missing packages:$missing"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi

if [ "$what" = test ]; then
  # The zh_CN GUI test needs the locale itself, not only LANGUAGE.
  if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      sudo="sudo"
    fi
    $sudo sh -c "grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen"
    $sudo locale-gen >/dev/null
  fi
  # Real MCP peers for the integration tests, pinned by tests/peers/package-lock.json.
  if [ -f "$srcdir/tests/peers/package-lock.json" ]; then
    if [ ! -f "$srcdir/tests/peers/node_modules/.package-lock.json" ] ||
       ! cmp -s "$srcdir/tests/peers/package-lock.json" "$srcdir/tests/peers/node_modules/.tether-lock"; then
      (cd "$srcdir/tests/peers" && npm ci --no-audit --no-fund --loglevel=error)
      cp "$srcdir/tests/peers/package-lock.json" "$srcdir/tests/peers/node_modules/.tether-lock"
    fi
  fi
fi
