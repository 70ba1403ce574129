// The app starts, shows its landing screen with data fetched over IPC, and stays a single instance.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { By, until } from 'selenium-webdriver';
import { appPath, launchApp, quitApp, saveScreenshot, workspaceVersion, xWindowTitles } from './app.mjs';

let driver;

before(async () => {
  driver = await launchApp();
});

after(async () => {
  await quitApp(driver);
});

test('the window is titled Hearth', async () => {
  assert.equal(await driver.getTitle(), 'Hearth');
  assert.ok(xWindowTitles().includes('Hearth'), `X windows: ${xWindowTitles().join(', ')}`);
});

test('the landing screen shows the version it fetched over IPC', async () => {
  const expected = `Version ${await workspaceVersion()}`;
  // The landing screen renders once the UI has started: wait for it rather than racing it.
  const version = await driver.wait(
    until.elementLocated(By.css('[data-testid="app-version"]')),
    15_000,
    'no [data-testid="app-version"]',
  );
  // The UI knows the version only from the app_info command, so this is a round trip to Rust.
  let shown = '';
  await driver
    .wait(async () => (shown = (await version.getText()).trim()) !== '', 10_000)
    // On a timeout the assertion below reports what the screen showed instead.
    .catch(() => {});
  await saveScreenshot(driver, 'landing');
  assert.equal(shown, expected);
  assert.equal(await driver.findElement(By.css('h1')).getText(), 'Hearth');
});

test('the webview refuses inline script and eval', async () => {
  // This runs in the page, so the page's Content-Security-Policy decides. Verified to fail with
  // the CSP removed from tauri.conf.json.
  const outcome = await driver.executeScript(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineScriptRan = true;';
    document.head.append(script);
    let evalRan;
    try {
      evalRan = eval('true');
    } catch {
      evalRan = false;
    }
    return { inline: window.inlineScriptRan === true, eval: evalRan === true };
  });
  assert.deepEqual(outcome, { inline: false, eval: false });
});

test('a second launch hands over to the running app and exits', async () => {
  // Same environment, so it finds the first instance on the same D-Bus session bus.
  const second = spawnSync(appPath, [], { timeout: 30_000, encoding: 'utf8' });
  assert.equal(second.signal, null, `the second launch was still running after 30 s`);
  assert.equal(second.status, 0, `second launch failed:\n${second.stderr}`);
  assert.equal(xWindowTitles().filter((title) => title === 'Hearth').length, 1);
});
