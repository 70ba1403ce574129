#!/usr/bin/env bash
# Installs what building and testing Hearth needs, skipping whatever is already there, so that make
# works on a fresh Debian 12 machine and takes only seconds on a prepared one.
#
#   scripts/install-deps.sh app   to build and run the app: system libraries, the UI's npm packages
#   scripts/install-deps.sh test  for the Rust tests: the standard tools they check our files with
#   scripts/install-deps.sh e2e   to run tests/e2e: Xvfb, WebKitWebDriver, tauri-driver, selenium
#   scripts/install-deps.sh fuzz  for fuzz/: cargo-fuzz (the nightly toolchain must be there), OpenSSL's headers
#
# Rust (with clippy and rustfmt, and a nightly toolchain beside stable for the fuzz targets) and
# Node.js are expected to be installed already.
# (The test packages also give man-db, for the CLI test that reads the generated man page.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH=$HOME/.cargo/bin:$PATH

# What Tauri 2 needs on Linux: WebKitGTK 4.1 and the libraries it builds against.
app_packages=(build-essential pkg-config libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev
  librsvg2-dev)
# A virtual screen, WebKit's WebDriver, a private D-Bus session bus, xwininfo, and screenshots.
e2e_packages=(xvfb webkit2gtk-driver dbus-daemon x11-utils imagemagick age)

# The standard tools the Rust tests check Hearth against: Go age for every encrypted file, faketime
# for clocks that are wrong (util-linux, always there, gives unshare for a small tmpfs), and Python,
# zstd and openssl, which the office's scripts/verify-changes.py checks change chains with, and jq
# and xxd, with which a test runs the steps docs/bundle-format.md gives the office.
test_packages=(age faketime man-db python3 zstd openssl poppler-utils jq xxd)

apt_updated=false

install_apt() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0
  echo "install-deps: installing ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  if ! $apt_updated; then
    "${sudo[@]}" apt-get update
    apt_updated=true
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# npm ci wipes and reinstalls node_modules, so run it only when the lockfile differs from the one
# that node_modules was installed from.
install_npm() {
  local dir=$1
  local stamp=$dir/node_modules/.installed-from-lock lock
  lock=$(sha256sum "$dir/package-lock.json")
  [[ -f $stamp && $(<"$stamp") == "$lock" ]] && return 0
  echo "install-deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$lock" >"$stamp"
}

case ${1:-} in
app)
  install_apt "${app_packages[@]}"
  install_npm ui
  ;;
test)
  install_apt "${test_packages[@]}"
  ;;
e2e)
  install_apt "${e2e_packages[@]}"
  install_npm tests/e2e
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version '^2'
  ;;
fuzz)
  # libFuzzer needs nightly's -Z flags; rustup cannot fetch a toolchain without the internet, so
  # say so plainly rather than fail inside cargo.
  cargo +nightly --version >/dev/null 2>&1 || {
    echo "install-deps: the fuzz targets need a nightly toolchain (rustup toolchain install nightly)" >&2
    exit 1
  }
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
  # The targets that reach SQLCipher build it against the system's OpenSSL (fuzz/.cargo/config.toml).
  install_apt build-essential pkg-config libssl-dev
  ;;
*)
  echo "usage: $0 app|test|e2e|fuzz" >&2
  exit 2
  ;;
esac
