// Demo mode (`make demo`, here started with --demo): a throwaway vault whose credentials the unlock
// screen prints, so that someone evaluating Hearth can look around without setting anything up.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import { By, until } from 'selenium-webdriver';
import { launchApp, quitApp, saveScreenshot } from './app.mjs';

let driver;

before(async () => {
  driver = await launchApp({ args: ['--demo'] });
});

after(async () => {
  await quitApp(driver);
});

/** Demo vault folders in the temporary folder (run.sh gives the app and the tests their own). */
const demoFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('hearth-demo-'));

const byTestId = (id) => By.css(`[data-testid="${id}"]`);
const element = (id, timeoutMs = 30_000) =>
  driver.wait(until.elementLocated(byTestId(id)), timeoutMs, `no [data-testid="${id}"]`);

test('the demo vault opens with the credentials printed on the unlock screen', async () => {
  await element('unlock-screen');
  const credentials = await (await element('demo-credentials')).getText();
  assert.match(credentials, /Demo Admin/);
  assert.match(credentials, /harbour lantern violet meadow/);
  await saveScreenshot(driver, '11-demo-unlock');
  await (await element('demo-fill')).click();
  await (await element('unlock-submit')).click();
  await element('home-screen');
  const header = await driver.findElement(By.css('header')).getText();
  assert.match(header, /Demo Shelter/);
  await saveScreenshot(driver, '12-demo-home');
});

test('a new demo removes the folders of demos that were killed', async () => {
  const first = demoFolders();
  assert.equal(first.length, 1, `demo folders: ${first.join(', ')}`);
  // Quitting the WebDriver session kills the app: its own clean-up never runs.
  await quitApp(driver);
  driver = await launchApp({ args: ['--demo'] });
  await element('unlock-screen');
  const second = demoFolders();
  assert.equal(second.length, 1, `demo folders: ${second.join(', ')}`);
  assert.notEqual(second[0], first[0]);
});
