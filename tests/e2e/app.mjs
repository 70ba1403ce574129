// Starts the real desktop app through tauri-driver (which run.sh starts) and keeps the screenshots.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Builder, Capabilities } from 'selenium-webdriver';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The binary under test, as an absolute path; run.sh sets it. */
export const appPath = process.env.HEARTH_APP;
if (!appPath) throw new Error('HEARTH_APP is not set: run the end-to-end tests with tests/e2e/run.sh');

/** The processes of the app under test, read from /proc (no procps needed). */
export function appPids() {
  const pids = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/exe`) === appPath) pids.push(Number(pid));
    } catch {
      // Exited meanwhile, or a zombie: not running.
    }
  }
  return pids;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no instance of the app is left. Quitting a session returns before its app has
 * exited, and a launch while the last one is still going would hand over to it (the app is
 * single-instance) and open no window of its own. An app that outlives its session by 15 s is
 * wedged (a test that failed mid-way can leave one so): it is killed, with a warning, so that one
 * failed test does not fail every later launch as well.
 */
async function awaitNoApp() {
  const deadline = Date.now() + 15_000;
  while (appPids().length > 0 && Date.now() < deadline) await sleep(100);
  const wedged = appPids();
  if (wedged.length === 0) return;
  console.warn(`e2e: killing ${appPath} (pid ${wedged.join(', ')}), still running 15 s after its session ended`);
  for (const pid of wedged) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  const killDeadline = Date.now() + 5_000;
  while (appPids().length > 0) {
    if (Date.now() > killDeadline) throw new Error(`${appPath} survived SIGKILL for 5 s`);
    await sleep(100);
  }
}

/** Ends a WebDriver session (if there is one) and waits until its app has exited. */
export async function quitApp(driver) {
  if (!driver) return;
  try {
    await driver.quit();
  } catch (error) {
    // A session whose app has crashed or hung cannot be quit cleanly; awaitNoApp ends the app.
    console.warn(`e2e: quitting the WebDriver session failed: ${error.message}`);
  }
  await awaitNoApp();
}

/**
 * Opens a new app window and a WebDriver session on it. End it with quitApp.
 * `args` go to the app's command line (e.g. `['--vault', folder]` for a vault of the test's own).
 */
export async function launchApp({ timeoutMs = 60_000, args = [] } = {}) {
  await awaitNoApp();
  const capabilities = new Capabilities();
  // Selenium wants a browser name; 'wry' is the one Tauri documents. tauri-driver turns
  // tauri:options into the WebKitWebDriver options that start our binary.
  capabilities.setBrowserName('wry');
  capabilities.set('tauri:options', { application: appPath, args });
  const session = new Builder()
    .usingServer('http://127.0.0.1:4444/')
    .withCapabilities(capabilities)
    .build();
  // WebKitWebDriver waits forever for an app that exits before opening its window.
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the app opened no window within ${timeoutMs / 1000} s: ${appPath}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([session, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the hearth CLI (HEARTH_CLI, which run.sh sets) on `vault`, reading the passphrase from
 * `passphraseFile`, and returns what it printed. The tests arrange with it what the UI offers only
 * in coarser steps. HEARTH_VAULT and HEARTH_USER are cleared so a developer's own never apply.
 */
export function hearthCli(vault, passphraseFile, ...args) {
  if (!process.env.HEARTH_CLI) throw new Error('HEARTH_CLI is not set: run the end-to-end tests with tests/e2e/run.sh');
  return execFileSync(
    process.env.HEARTH_CLI,
    ['--vault', vault, '--passphrase-file', passphraseFile, ...args],
    { encoding: 'utf8', env: { ...process.env, HEARTH_VAULT: '', HEARTH_USER: '' } },
  );
}

/** Saves what the webview shows to screenshots/<name>.png, for people to look at. */
export async function saveScreenshot(driver, name) {
  // WebKit's screenshot is the last painted frame, which can lag the DOM: wait for the next paint.
  await driver.executeAsyncScript((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done())),
  );
  await mkdir(`${here}screenshots`, { recursive: true });
  await writeFile(`${here}screenshots/${name}.png`, await driver.takeScreenshot(), 'base64');
}

/**
 * The titles of the top-level X windows. WebDriver's getTitle reads the document's <title>; the
 * title a person sees in the taskbar is the X window's.
 */
export function xWindowTitles() {
  const tree = execFileSync('xwininfo', ['-root', '-children'], { encoding: 'utf8' });
  return [...tree.matchAll(/^\s+0x[0-9a-f]+ "([^"]*)"/gm)].map((match) => match[1]);
}

/** The version in the root Cargo.toml, which hearth-core reports. */
export async function workspaceVersion() {
  const manifest = await readFile(`${here}../../Cargo.toml`, 'utf8');
  const version = manifest.match(/^\[workspace\.package\][^[]*?^version\s*=\s*"([^"]+)"/ms)?.[1];
  if (!version) throw new Error('no [workspace.package] version in Cargo.toml');
  return version;
}

/**
 * The file dialogs' test double (src-tauri/src/file_dialogs.rs, debug builds only): run.sh points
 * HEARTH_TEST_FILE_DIALOG at a file; the app answers every Save or Open dialog with the path written
 * there, and logs what it was asked to the same name plus `.asked`. The release build that
 * `make package-test` installs has no double, so the tests that use it are not run there.
 */
function dialogAnswerFile() {
  const file = process.env.HEARTH_TEST_FILE_DIALOG;
  if (!file) throw new Error('HEARTH_TEST_FILE_DIALOG is not set: run the end-to-end tests with tests/e2e/run.sh');
  return file;
}

/** The next file dialogs choose `path`; `null`: the person presses Cancel. */
export function answerFileDialogs(path) {
  writeFileSync(dialogAnswerFile(), path ?? '');
}

/** Every dialog the app showed so far, oldest first: `{ action, kind, title, folder, file_name }`. */
export function dialogsShown() {
  const log = `${dialogAnswerFile()}.asked`;
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

/** The last dialog the app showed. */
export function lastDialog() {
  const shown = dialogsShown();
  if (shown.length === 0) throw new Error('the app showed no file dialog');
  return shown[shown.length - 1];
}

/** The processes whose parent is `pid` and whose name (as /proc/PID/comm has it) starts with `name`. */
export function childPids(pid, name) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && comm.startsWith(name)) children.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return children;
}

/** The paths of the files process `pid` holds open. */
export function openFiles(pid) {
  const files = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      files.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // Closed meanwhile.
    }
  }
  return files;
}
