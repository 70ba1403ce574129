#!/usr/bin/env bash
# Runs the end-to-end tests against the built desktop app (debug build by default; set HEARTH_APP to
# test another binary). For this run only it starts an X server (Xvfb), a D-Bus session bus (the
# single-instance lock lives on it) and tauri-driver, and it stops each of them by PID however the
# run ends: PID 1 on our machines reaps no orphans, so nothing may be left behind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
artifacts=$here/artifacts
export PATH=$HOME/.cargo/bin:$PATH
# Until this run's own X server and bus exist, nothing may reach the developer's: not the app, and
# not the failure screenshot below.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

fail() {
  echo "e2e: $*" >&2
  exit 1
}

app=${HEARTH_APP:-${CARGO_TARGET_DIR:-$root/target}/debug/hearth-desktop}
[[ -x $app ]] || fail "no app binary at $app; build it first (make app)"
# WebDriver needs an absolute path, and CARGO_TARGET_DIR may be relative.
HEARTH_APP=$(realpath "$app")
export HEARTH_APP
# The tests use the CLI to arrange what the UI offers only in coarser steps (a 10 s idle timeout).
cli=${HEARTH_CLI:-${CARGO_TARGET_DIR:-$root/target}/debug/hearth}
[[ -x $cli ]] || fail "no hearth CLI at $cli; build it first (make app)"
HEARTH_CLI=$(realpath "$cli")
export HEARTH_CLI
for tool in Xvfb dbus-daemon tauri-driver WebKitWebDriver xwininfo import node; do
  command -v "$tool" >/dev/null || fail "$tool is not installed; run: make deps"
done
[[ -d $here/node_modules ]] || fail "tests/e2e/node_modules is missing; run: make deps"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# tauri-driver listens on 4444 and starts WebKitWebDriver on 4445.
for port in 4444 4445; do
  port_open "$port" && fail "port $port is already in use (is another tauri-driver running?)"
done

scratch=$(mktemp -d)
pids=()
mkdir -p "$artifacts"
rm -f "$artifacts"/*

stop_all() {
  local status=$?
  if ((status != 0)); then
    # What the screen showed and what the app and drivers said are the only clues in CI.
    [[ -n ${DISPLAY:-} ]] && import -display "$DISPLAY" -window root "$artifacts/failure.png" 2>/dev/null || true
    echo "e2e: failed (exit $status); last lines of $artifacts/tauri-driver.log:" >&2
    tail -n 40 "$artifacts/tauri-driver.log" >&2 2>/dev/null || true
  fi
  # Newest first: tauri-driver (with WebKitWebDriver and the app it started, which share its
  # process group) before the bus and the X server that they use.
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM -- "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]#-}" 2>/dev/null || true
  done
  rm -rf "$scratch"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Waits up to 20 s for a file to have content, failing early if the process writing it died.
await_file() {
  local file=$1 pid=$2 what=$3
  for _ in $(seq 200); do
    [[ -s $file ]] && return 0
    kill -0 "$pid" 2>/dev/null || fail "$what exited during startup"
    sleep 0.1
  done
  fail "$what did not start within 20 s"
}

# -displayfd lets Xvfb pick a free display, so a developer's own X servers are never touched.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>"$artifacts/xvfb.log" &
pids+=($!)
await_file "$scratch/display" "$!" Xvfb
export DISPLAY=":$(<"$scratch/display")"

# A bare session bus: it can start no services, so no desktop portals or accessibility daemons
# join the run, only the app and its second instance meet there.
cat >"$scratch/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$scratch</listen>
  <auth>EXTERNAL</auth>
  <!-- The stock session bus policy: anyone may own a name and talk to anyone. -->
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$scratch/bus.conf" --nofork --nopidfile --print-address=3 \
  3>"$scratch/bus" 2>"$artifacts/dbus.log" &
pids+=($!)
await_file "$scratch/bus" "$!" dbus-daemon
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$scratch/bus")
export DBUS_SESSION_BUS_ADDRESS

# The app under test gets empty data, config and cache folders, never the developer's own; X11 even
# when the developer's session is Wayland; and no accessibility bridge, which the bare bus lacks.
# TMPDIR too: WebDriver ends the app with a signal, so the demo vault's own clean-up at exit never
# runs there; it lands in the scratch folder instead.
mkdir -m 700 "$scratch/runtime" "$scratch/tmp"
# The file dialogs' test double (debug builds only; see src-tauri/src/file_dialogs.rs and app.mjs).
export HEARTH_TEST_FILE_DIALOG=$scratch/file-dialog
: >"$HEARTH_TEST_FILE_DIALOG"
export XDG_RUNTIME_DIR=$scratch/runtime XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config \
  XDG_CACHE_HOME=$scratch/cache TMPDIR=$scratch/tmp GDK_BACKEND=x11 NO_AT_BRIDGE=1

# setsid gives tauri-driver its own process group, so that stop_all can end WebKitWebDriver and the
# app too: tauri-driver kills only WebKitWebDriver when it is stopped. The log also gets the app's
# own output, since WebKitWebDriver starts the app with its inherited stdout and stderr.
setsid tauri-driver >"$artifacts/tauri-driver.log" 2>&1 &
pids+=("-$!")
for _ in $(seq 100); do
  port_open 4444 && break
  kill -0 "$!" 2>/dev/null || fail "tauri-driver exited during startup"
  sleep 0.1
done
port_open 4444 || fail "tauri-driver did not listen on port 4444 within 10 s"

cd "$here"
# The timeout keeps a hung webview from holding CI until its own limit; force-exit ends a test file
# whose WebDriver request is still waiting on an app that never started.
# One file at a time: each launches the app, and tauri-driver drives one session at a time.
# E2E_TESTS="records.test.mjs" runs only the files named (all of them by default).
#
# A file that fails is run once more, and the run still names it. Once in CI, WebKitWebDriver
# answered a send-keys with an "unknown error" and no message, and the app outlived its session;
# the same test passes in dozens of runs here. A file that fails twice fails the run.
flaky=()
failed=()
# shellcheck disable=SC2086 # the list is split into file names on purpose
for file in ${E2E_TESTS:-./*.test.mjs}; do
  node --test --test-timeout=180000 --test-force-exit "$file" && continue
  echo "e2e: $file failed; running it once more" >&2
  if node --test --test-timeout=180000 --test-force-exit "$file"; then
    flaky+=("$file")
  else
    failed+=("$file")
  fi
done
((${#flaky[@]} == 0)) || echo "e2e: FLAKY (failed once, then passed): ${flaky[*]}" >&2
((${#failed[@]} == 0)) || fail "failed twice: ${failed[*]}"
