// The Statistics screen in the real desktop app, on the demo vault (60 invented cases, each with
// consent to anonymous statistics): every panel draws a chart with its table beside it, in each
// language; a CTDC export is saved where the (scripted) Save dialog says, with its manifest beside
// it, and holds the CTDC's header and one row per case.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By } from 'selenium-webdriver';
import { answerFileDialogs, lastDialog, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-statistics-'));
let driver;

before(async () => {
  driver = await launchApp({ args: ['--demo'] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { visible, type, select, click } = uiHelpers(() => driver);

async function textOf(id) {
  return (await (await visible(id)).getText()).trim();
}

test('the dashboard draws every panel for the demo vault, with its table beside it', async () => {
  await visible('unlock-screen');
  await click('demo-fill');
  await click('unlock-submit');
  await visible('home-screen');
  await driver.executeScript(`window.location.hash = '#/statistics'`);
  await visible('statistics-screen');
  // The demo's cases were identified over three years: ask for all of them.
  await type('statistics-from', '');
  await type('statistics-to', '');
  await click('statistics-show');
  await driver.wait(
    async () => /\b60\b/.test(await textOf('statistics-summary')),
    15_000,
    'the summary counts the 60 demo cases',
  );
  for (const panel of ['identified_per_month', 'gender', 'age_band', 'exploitation_type', 'service_type', 'referral_partner']) {
    const canvas = await visible(`statistics-chart-${panel}`);
    const size = await canvas.getRect();
    assert.ok(size.width > 100 && size.height > 50, `${panel} is drawn (${size.width}x${size.height})`);
  }
  // The table carries the counts for a screen reader: the gender rows add up to 60.
  const gender = await visible('statistics-panel-gender');
  const cells = await gender.findElements(By.css('tbody td'));
  const counts = await Promise.all(cells.map(async (cell) => Number((await cell.getText()).trim())));
  assert.equal(counts.reduce((a, b) => a + b, 0), 60);
  await saveScreenshot(driver, 'statistics-en');
  for (const [language, title] of [['sq', 'Statistikat'], ['sr', 'Statistika'], ['en', 'Statistics']]) {
    await driver.executeScript(`window.location.hash = '#/myAccount'`);
    await select('myaccount-language', language);
    await click('myaccount-language-save');
    await visible('myaccount-language-message');
    await driver.executeScript(`window.location.hash = '#/statistics'`);
    await visible('statistics-chart-gender');
    assert.equal(await textOf('statistics-title'), title);
    if (language !== 'en') await saveScreenshot(driver, `statistics-${language}`);
  }
});

test('a CTDC export is saved with its manifest beside it', async () => {
  // An export needs its whole period (the months of an open one would tell when people came).
  await type('statistics-from', '2020-01-01');
  await type('statistics-to', new Date().toISOString().slice(0, 10));
  const file = join(scratch, 'ctdc.csv');
  answerFileDialogs(file);
  await click('export-ctdc');
  assert.match(await textOf('export-done'), /60 cases, <11 left out/);
  assert.equal(lastDialog().kind, 'ctdc_csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.match(lines[0], /^yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,/);
  assert.equal(lines.length, 61, 'a header and one row per person');
  assert.ok(existsSync(`${file}.manifest.json`));
  const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8'));
  assert.equal(manifest.export, 'ctdc');
  assert.equal(manifest.k, 11);
  // Administrators export statistics but not identifying records.
  assert.equal((await driver.findElements(byTestId('export-htcds'))).length, 0);
});

test('an administrator raises k in Settings, and may not lower it', async () => {
  await driver.executeScript(`window.location.hash = '#/settings'`);
  await visible('settings-k-current');
  assert.match(await textOf('settings-k-current'), /below 11/);
  await type('settings-k', '15');
  await click('settings-k-save');
  assert.match(await textOf('settings-k-message'), /below 15/);
  await type('settings-k', '12');
  await click('settings-k-save');
  const refused = await visible('settings-k-error');
  assert.equal(await refused.getAttribute('data-error-kind'), 'threshold_lowered');
  await saveScreenshot(driver, 'settings-k');
});
