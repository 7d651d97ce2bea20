#!/usr/bin/env bash
# The desk as a Debian package (Debian, Ubuntu, UOS, Kylin: any amd64 dpkg system) from the Linux PyInstaller
# bundle (.ci/build-bundle makes dist/liaison-desk):
#   bash installer/build-deb.sh [BUNDLE_DIR] [OUT_DIR]     -> OUT_DIR/liaison-desk_VERSION_amd64.deb
# /opt/liaison-desk holds the bundle; /usr/bin/liaison-desk and /usr/bin/liaison link to it; the menu entry
# 维权联络点工作台 with its icon. Nothing of a user's (data, keys, logs in ~/.local/share/liaison-desk and
# ~/.config/liaison-desk) belongs to the package, so `apt remove` leaves them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$(realpath "${1:-$ROOT/dist/liaison-desk}")
OUT=$(realpath -m "${2:-$ROOT/dist}")
[ -x "$BUNDLE/liaison-desk" ] || { echo "no bundle at $BUNDLE: run .ci/build-bundle first" >&2; exit 1; }
VERSION=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
  "$ROOT/pyproject.toml")
ARCH=$(dpkg --print-architecture)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/liaison-desk
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/icons/hicolor/scalable/apps" "$pkg/usr/share/doc/liaison-desk"
cp -a "$BUNDLE" "$pkg/opt/liaison-desk"
chmod -R u+rwX,go+rX,go-w "$pkg/opt/liaison-desk"
ln -s /opt/liaison-desk/liaison-desk "$pkg/usr/bin/liaison-desk"
ln -s /opt/liaison-desk/liaison "$pkg/usr/bin/liaison"
install -m 644 "$ROOT/installer/linux/liaison-desk.desktop" "$pkg/usr/share/applications/liaison-desk.desktop"
install -m 644 "$ROOT/installer/linux/liaison-desk.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/liaison-desk.svg"
for f in resources/fonts/LICENSE-*.txt; do install -m 644 "$ROOT/$f" "$pkg/usr/share/doc/liaison-desk/"; done
cat > "$pkg/usr/share/doc/liaison-desk/copyright" <<'EOF'
维权联络点工作台 (Liaison Desk): Apache-2.0. Bundled fonts: see the LICENSE-*.txt files beside this one.
Bundled Python packages and Qt keep their own licences (LGPL-3.0 for Qt/PySide6).
EOF

# The oldest glibc any bundled library asks for (the bundle carries Python and Qt, not the C library).
glibc=$(find "$pkg/opt/liaison-desk" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null |
  grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
# What Qt's xcb platform plugin, fontconfig and OpenGL load from the system (.ci/setup installs the same list).
# t64 alternatives: Debian 13 / Ubuntu 24.04 renamed libglib2.0-0.
depends="libc6 (>= ${glibc:-2.28}), libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0t64 | libglib2.0-0"
depends+=", libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4"
depends+=", libxcb-keysyms1, libxcb-shape0, libxcb-xinerama0, libxcb-randr0, libxcb-render-util0, libxcb-image0"
depends+=", libxcb-xkb1, libxcb-sync1, libxcb-xfixes0, libxcb-shm0, libxcb-render0, libxcb-util1 | libxcb-util0"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF
Package: liaison-desk
Version: $VERSION
Architecture: $ARCH
Maintainer: Liaison Desk <liaison-desk@example.invalid>
Section: misc
Priority: optional
Installed-Size: $size
Depends: $depends
Description: 维权联络点工作台 — front desk of a consumer-rights liaison point
 Registers walk-in complaints and consultations, prints the receipt the
 consumer takes home and follows every case and its statutory deadlines.
 The window is liaison-desk (menu: 维权联络点工作台); the command is liaison.
 Each user's data stays in ~/.local/share/liaison-desk when the package is
 removed.
EOF
# The icon cache and menu are refreshed by dpkg triggers (hicolor-icon-theme, desktop-file-utils) where present.
mkdir -p "$OUT"
deb="$OUT/liaison-desk_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$pkg" "$deb" >/dev/null
echo "$deb"
