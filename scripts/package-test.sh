#!/usr/bin/env bash
# Installs the .deb that `make package` built, as a shelter's laptop would, and runs the end-to-end
# tests against the installed binary (/usr/bin/hearth-desktop) instead of the debug build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

shopt -s nullglob
debs=(target/release/bundle/deb/*.deb)
((${#debs[@]} == 1)) || { echo "package-test: expected one .deb under target/release/bundle/deb (run make package)" >&2; exit 1; }
sudo=()
((EUID == 0)) || sudo=(sudo)
# apt-get (not dpkg -i) so that the package's declared dependencies are checked and installed.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --reinstall "./${debs[0]}"
installed=$(dpkg -L hearth | grep -m1 '/bin/hearth-desktop$') || { echo "package-test: the package installed no hearth-desktop binary" >&2; exit 1; }

# The CLI that README documents, with its man page and completions, as a person finds them.
command -v man >/dev/null || "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y man-db
dpkg -L hearth | grep -qx /usr/bin/hearth || { echo "package-test: the package installed no hearth CLI" >&2; exit 1; }
version=$(/usr/bin/hearth --version) || { echo "package-test: hearth --version failed" >&2; exit 1; }
[[ $version == "hearth $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" ]] || { echo "package-test: hearth --version says '$version'" >&2; exit 1; }
MANPAGER=cat MANWIDTH=100 man hearth | grep -q 'Hearth keeps case records' || { echo "package-test: man hearth shows no Hearth page" >&2; exit 1; }
for completion in /usr/share/bash-completion/completions/hearth /usr/share/zsh/vendor-completions/_hearth /usr/share/fish/vendor_completions.d/hearth.fish; do
  [[ -s $completion ]] || { echo "package-test: $completion is missing" >&2; exit 1; }
done
bash -c 'source /usr/share/bash-completion/completions/hearth && complete -p hearth' >/dev/null || { echo "package-test: the bash completion does not load" >&2; exit 1; }
echo "package-test: $version, man hearth and the completions are installed"
echo "package-test: testing $installed"
# A release build has no test double for the file dialogs (src-tauri/src/file_dialogs.rs), and
# WebDriver cannot reach a GTK dialog: the files that choose files run against the debug build
# only (make test). Say which, rather than leave them out quietly.
tests=() skipped=()
for file in tests/e2e/*.test.mjs; do
  if grep -q answerFileDialogs "$file"; then skipped+=("${file##*/}"); else tests+=("./${file##*/}"); fi
done
((${#skipped[@]} == 0)) || echo "package-test: not run against the package (they need the dialogs' test double): ${skipped[*]}"
HEARTH_APP=$installed E2E_TESTS="${tests[*]}" tests/e2e/run.sh
