// Case records in the real desktop app: a caseworker records an intake, is warned when she starts
// a second intake of the same person (typed in Cyrillic, names swapped) and opens the first case
// instead, edits it and finds it again by a name typed without diacritics; a second caseworker can neither find nor open it; a
// supervisor can. The vault and its accounts are made with the CLI, as an administrator would.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { hearthCli, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const GIVEN = 'Dragića';
const FAMILY = 'Petrović';
const EDITED_FAMILY = 'Petrović-Šarić';

const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-records-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
let driver;
let caseId;
let caseNumber;

const hearth = (...args) => hearthCli(vault, passphraseFile, ...args);

before(async () => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth('init', '--org', 'Harbour House', '--site', 'Tirana', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  for (const [name, role] of [
    ['Ana', 'caseworker'],
    ['Besa', 'caseworker'],
    ['Sofija', 'supervisor'],
  ]) {
    hearth('--user', 'Mirela', 'user', 'add', name, '--role', role, '--new-passphrase-file', passphraseFile);
  }
  driver = await launchApp({ args: ['--vault', vault] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, click, unlockAs: unlockWith, lock } = uiHelpers(() => driver);
const unlockAs = (name) => unlockWith(name, PASSPHRASE);

async function choose(id, value) {
  const select = await visible(id);
  await select.findElement(By.css(`option[value="${value}"]`)).click();
}

/** The case numbers the list shows once it has settled after typing `text` into the search. */
async function search(text) {
  await click('nav-cases');
  await type('case-search', text);
  // The list follows the search box 250 ms after the last key; wait until it shows the search.
  await driver.wait(
    async () => (await (await element('case-search')).getAttribute('value')) === text,
    5_000,
  );
  await driver.sleep(800);
  await driver.wait(
    async () =>
      (await driver.findElements(byTestId('case-row'))).length > 0 ||
      (await driver.findElements(byTestId('cases-no-match'))).length > 0 ||
      (await driver.findElements(byTestId('cases-empty'))).length > 0,
    10_000,
    'the case list never settled',
  );
  // A late redraw can make a row stale between finding and reading it: read again.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const rows = await driver.findElements(byTestId('case-row'));
      return await Promise.all(rows.map((row) => row.getAttribute('data-case-number')));
    } catch (error) {
      if (error.name !== 'StaleElementReferenceError' || attempt === 5) throw error;
      await driver.sleep(200);
    }
  }
}

test('a caseworker records an intake and sees the case page', async () => {
  await unlockAs('Ana');
  await click('nav-cases');
  await click('new-case');
  await type('intake-given-name', GIVEN);
  await type('intake-family-name', FAMILY);
  await choose('intake-gender', 'Feminine');
  await choose('intake-trafficking-status', 'PossibleVictimOfTrafficking');
  // Date identified is today by default; a date in the future is refused with the field named.
  await type('intake-date-identified', '2999-01-01');
  await click('intake-save');
  const error = await element('field-error');
  assert.equal(await error.getAttribute('data-field'), 'date_identified');
  await type('intake-date-identified', '2026-01-15');
  await click('intake-save');

  const number = await visible('case-number');
  caseNumber = (await number.getText()).trim();
  assert.match(caseNumber, /^TIR-\d{4}-0001$/);
  caseId = await (await element('case-screen')).getAttribute('data-case-id');
  assert.match(caseId, /^[0-9a-f]{32}$/);
  assert.ok((await (await element('case-name')).getText()).includes(GIVEN));
  await saveScreenshot(driver, 'case-page');
});

test('a second intake of the same person is warned of the first case, which opens instead', async () => {
  await click('nav-cases');
  await click('new-case');
  // In Cyrillic, with the given and family names swapped.
  await type('intake-given-name', 'Петровић');
  await type('intake-family-name', 'Драгица');
  const warned = await visible('intake-duplicate');
  assert.ok((await warned.getText()).includes(caseNumber), 'the warning names the first case');
  assert.equal(await warned.getAttribute('data-case-id'), caseId);
  await saveScreenshot(driver, 'intake-duplicate');
  await click('intake-duplicate-open');
  assert.equal((await (await visible('case-number')).getText()).trim(), caseNumber);
  assert.match(hearth('--user', 'Sofija', 'case', 'list'), new RegExp(caseNumber), 'still one case');
  assert.doesNotMatch(hearth('--user', 'Sofija', 'case', 'list'), /-0002/);
});

test('the caseworker edits the person and the change is saved', async () => {
  await click('case-tab-person');
  await click('person-edit');
  await type('person-family-name', EDITED_FAMILY);
  await click('person-save');
  await driver.wait(
    async () => (await (await element('case-name')).getText()).includes(EDITED_FAMILY),
    10_000,
    'the header never showed the new family name',
  );
  // The history tab lists the change with who made it.
  await click('case-tab-history');
  await driver.wait(
    async () => (await driver.findElements(byTestId('history-row'))).length > 0,
    10_000,
  );
  const history = await (await element('case-screen')).getText();
  assert.ok(history.includes(EDITED_FAMILY), 'the history shows the new value');
  assert.ok(history.includes('Ana'), 'the history names who changed it');
});

test('the case is found by a name typed without diacritics', async () => {
  assert.deepEqual(await search('dragica'), [caseNumber]);
  assert.deepEqual(await search('SARIC'), [caseNumber]);
  assert.deepEqual(await search('zzz'), []);
  // Enter on the case number's link opens the case.
  await search('dragica');
  await (await element('case-row-link')).sendKeys(Key.ENTER);
  assert.equal((await (await visible('case-number')).getText()).trim(), caseNumber);
  await saveScreenshot(driver, 'case-search');
  await lock();
});

test('a second caseworker can neither find nor open the case', async () => {
  await unlockAs('Besa');
  assert.deepEqual(await search('dragica'), []);
  await driver.executeScript(`window.location.hash = '#/cases/${caseId}'`);
  await element('case-refused');
  const page = await driver.getPageSource();
  assert.ok(!page.includes(GIVEN) && !page.includes(EDITED_FAMILY), 'nothing of the case is shown');
  await saveScreenshot(driver, 'case-refused');
  await lock();
});

test('a supervisor finds and opens the case', async () => {
  await unlockAs('Sofija');
  assert.deepEqual(await search('drag petrov'), [caseNumber]);
  await click('case-row-link');
  assert.equal((await (await visible('case-number')).getText()).trim(), caseNumber);
  // Supervisors may close; caseworkers saw no such button.
  await element('case-close');
  await lock();
});

test('a supervisor merges a second case of the same person into the first', async () => {
  const again = join(scratch, 'again.json');
  writeFileSync(
    again,
    JSON.stringify({
      given_name: 'Драгица',
      family_name: 'Петровић',
      trafficking_status: 'PossibleVictimOfTrafficking',
      date_identified: '2026-02-01',
    }),
  );
  const [secondId, secondNumber] = hearth('--user', 'Ana', 'case', 'new', '--json', again).trim().split(' ');
  await unlockAs('Sofija');
  await driver.executeScript(`window.location.hash = '#/cases/${caseId}'`);
  const duplicate = await visible('case-duplicate');
  assert.equal(await duplicate.getAttribute('data-case-id'), secondId);
  await click('case-merge');
  await click('case-merge-confirm');
  assert.match(await (await visible('case-merge-done')).getText(), new RegExp(secondNumber));
  await visible('case-merged-from');
  assert.equal((await driver.findElements(byTestId('case-duplicate'))).length, 0, 'no longer offered');
  await saveScreenshot(driver, 'case-merged');
  // The merged case says where it went and takes no more changes; its history stays.
  await click('case-merged-from-open');
  await visible('case-merged-into');
  assert.equal((await (await visible('case-number')).getText()).trim(), secondNumber);
  assert.equal(await (await element('case-status')).getAttribute('data-status'), 'Merged');
  await visible('case-read-only');
  const shown = JSON.parse(hearth('--user', 'Sofija', 'case', 'show', secondId, '--json'));
  assert.equal(shown.case.fields.merged_into, caseId);
  assert.match(hearth('--user', 'Sofija', 'audit', 'list', '--action', 'merge_cases'), /merge_cases/);
  await lock();
});
