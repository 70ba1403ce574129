// Accessibility, checked rather than hoped for: axe-core (bundled with these tests, injected over
// WebDriver) runs on every screen of the real app in English, Albanian and Serbian, and any
// serious or critical violation fails the test, named with the screen and the elements. Then an
// intake is recorded and saved with the keyboard alone. The vault, its accounts and a case are
// made with the CLI.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Key } from 'selenium-webdriver';
import { hearthCli, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const LANGUAGES = ['en', 'sq', 'sr'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-a11y-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
let driver;
let caseId;

const hearth = (...args) => hearthCli(vault, passphraseFile, ...args);

before(() => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth('init', '--org', 'Harbour House', '--site', 'Tirana', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth('--user', 'Mirela', 'user', 'add', 'Sofija', '--role', 'supervisor', '--new-passphrase-file', passphraseFile);
  hearth('--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  const intake = join(scratch, 'intake.json');
  writeFileSync(
    intake,
    JSON.stringify({
      given_name: 'Lejla',
      family_name: 'Hoxha',
      trafficking_status: 'PossibleVictimOfTrafficking',
      date_identified: '2026-02-01',
    }),
  );
  [caseId] = hearth('--user', 'Sofija', 'case', 'new', '--json', intake).trim().split(' ');
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, select, click, lock } = uiHelpers(() => driver);

/** The serious and critical violations axe finds in the page as it is now. */
async function violations() {
  // WebKit paints and runs Svelte's effects before this: wait for two frames.
  await driver.executeAsyncScript((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const injected = await driver.executeScript(() => typeof window.axe !== 'undefined');
  if (!injected) await driver.executeScript(AXE_SOURCE);
  const found = await driver.executeAsyncScript((done) => {
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((result) =>
        done(
          JSON.stringify(
            result.violations
              .filter((violation) => ['serious', 'critical'].includes(violation.impact))
              .map((violation) => ({
                rule: violation.id,
                impact: violation.impact,
                help: violation.help,
                where: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
              })),
          ),
        ),
      )
      .catch((error) => done(JSON.stringify([{ rule: 'axe-failed', help: String(error) }])));
  });
  return JSON.parse(found);
}

/** Every screen checked, with what was wrong on it: reported together at the end of a test. */
async function check(found, screen) {
  for (const violation of await violations()) found.push({ screen, ...violation });
}

async function pickUnlockLanguage(language) {
  await select('unlock-language', language);
  await driver.wait(
    async () => (await driver.executeScript(() => document.documentElement.lang)).startsWith(language),
    5_000,
    `the page never switched to ${language}`,
  );
}

async function unlockAs(name) {
  await type('unlock-account', name);
  await type('unlock-passphrase', PASSPHRASE);
  await click('unlock-submit');
  await element('home-screen');
}

/** Opens a screen by its address and waits for its marker. */
async function open(hash, marker) {
  await driver.executeScript(`window.location.hash = ${JSON.stringify(hash)}`);
  await visible(marker);
}

const SCREENS = [
  ['#/cases', 'cases-screen'],
  ['#/followups', 'followups-screen'],
  ['#/partners', 'partners-screen'],
  ['#/audit', 'audit-screen'],
  ['#/sync', 'sync-screen'],
  ['#/accounts', 'accounts-screen'],
  ['#/settings', 'settings-screen'],
  ['#/myAccount', 'myaccount-screen'],
  ['#/about', 'about-screen'],
];

const CASE_TABS = ['person', 'trafficking', 'consent', 'support', 'referrals', 'notes', 'followups', 'history', 'audit'];

test('the first-run and recovery-key screens have no serious or critical accessibility violation', async () => {
  driver = await launchApp({ args: ['--vault', join(scratch, 'empty')] });
  await visible('first-run-screen');
  // The check can fail: a button with no name and an unlabelled text box are found.
  await driver.executeScript(() => {
    const planted = document.createElement('div');
    planted.id = 'planted';
    planted.innerHTML = '<button type="button"></button><input type="text">';
    document.body.append(planted);
  });
  const planted = (await violations()).map((violation) => violation.rule);
  assert.ok(planted.includes('button-name') && planted.includes('label'), `axe missed them: ${planted}`);
  await driver.executeScript(() => document.getElementById('planted').remove());
  const found = [];
  for (const language of LANGUAGES) {
    await select('create-language', language);
    await check(found, `first run (${language})`);
  }
  // With a refused form (its errors shown), and then the recovery key it leads to.
  await click('create-submit');
  await check(found, 'first run with errors');
  await type('create-org', 'Harbour House');
  await type('create-site', 'Vlorë');
  await type('create-admin', 'Besa');
  await type('create-passphrase', PASSPHRASE);
  await type('create-passphrase-confirm', PASSPHRASE);
  await click('create-submit');
  await element('recovery-screen', 60_000);
  await check(found, 'recovery key');
  assert.deepEqual(found, [], JSON.stringify(found, null, 2));
  await quitApp(driver);
  driver = null;
});

for (const language of LANGUAGES) {
  test(`every screen in ${language} has no serious or critical accessibility violation`, async () => {
    if (!driver) driver = await launchApp({ args: ['--vault', vault] });
    await visible('unlock-screen');
    await pickUnlockLanguage(language);
    const found = [];
    await check(found, `unlock (${language})`);
    await click('unlock-recover');
    await visible('recover-screen');
    await check(found, `recovery with the key (${language})`);
    await click('recover-cancel');
    // The administrator opens every section; the supervisor the intake and her case's tabs.
    await unlockAs('Mirela');
    await check(found, `home (${language})`);
    for (const [hash, marker] of SCREENS) {
      await open(hash, marker);
      await check(found, `${hash} (${language})`);
    }
    await lock();
    await unlockAs('Sofija');
    await open('#/cases/new', 'intake-screen');
    await check(found, `#/cases/new (${language})`);
    for (const tab of CASE_TABS) {
      await open(`#/cases/${caseId}/${tab}`, 'case-screen');
      await visible(`case-tab-${tab}`);
      await check(found, `case ${tab} tab (${language})`);
    }
    if (language === 'en') await saveScreenshot(driver, 'a11y-case');
    await lock();
    assert.deepEqual(found, [], JSON.stringify(found, null, 2));
  });
}

/** Presses Tab until the focused element has `testid`, at most `limit` times. */
async function tabTo(testid, limit = 60) {
  const path = [];
  for (let i = 0; i < limit; i++) {
    const focused = await driver.switchTo().activeElement();
    const at = await focused.getAttribute('data-testid');
    if (at === testid) return focused;
    path.push(at ?? (await focused.getTagName()));
    // To whatever has the focus, as a keyboard does: an element's own sendKeys would first put
    // the focus back at its start (in a date picker, its first part).
    await driver.actions().sendKeys(Key.TAB).perform();
  }
  throw new Error(`Tab never reached [data-testid="${testid}"] in ${limit} presses: ${path.join(' → ')}`);
}

test('an intake is recorded and saved with the keyboard alone', async () => {
  await pickUnlockLanguage('en');
  await unlockAs('Ana');
  await open('#/cases', 'cases-screen');
  await tabTo('new-case');
  await driver.actions().sendKeys(Key.ENTER).perform();
  await visible('intake-screen');
  await tabTo('intake-given-name');
  await driver.actions().sendKeys('Arta').perform();
  await tabTo('intake-family-name');
  await driver.actions().sendKeys('Krasniqi').perform();
  // A select takes the first letters of an option, as in any form.
  const status = await tabTo('intake-trafficking-status');
  await driver.actions().sendKeys('Possible').perform();
  assert.equal(await status.getAttribute('value'), 'PossibleVictimOfTrafficking');
  await tabTo('intake-save');
  await driver.actions().sendKeys(Key.ENTER).perform();
  await visible('case-number');
  assert.match(await (await element('case-name')).getText(), /Arta/);
  assert.equal((await driver.findElements(byTestId('intake-screen'))).length, 0);
});
