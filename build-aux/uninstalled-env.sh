# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by build-aux scripts: lets the binaries in $builddir find their schemas and
# translations without being installed.
export GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export TETHER_LOCALEDIR="$builddir/po"
