// The audit view in the real desktop app: a caseworker opens a case and cannot reach the audit
// view; a supervisor picks that case by its number (typing, then the keyboard) in the audit view's
// case filter, sees the opening, narrows the days with the date pickers, exports the entries to a
// CSV file through the Save dialog (its test double, app.mjs), and verifies the log. The vault,
// its accounts and the case are made with the CLI.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { answerFileDialogs, hearthCli, lastDialog, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { Key } from 'selenium-webdriver';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-audit-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
let driver;
let caseId;
let caseNumber;

const hearth = (...args) => hearthCli(vault, passphraseFile, ...args);

before(async () => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth('init', '--org', 'Harbour House', '--site', 'Shkodër', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth('--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  hearth('--user', 'Mirela', 'user', 'add', 'Sofija', '--role', 'supervisor', '--new-passphrase-file', passphraseFile);
  const intake = join(scratch, 'intake.json');
  writeFileSync(
    intake,
    JSON.stringify({
      given_name: 'Lejla',
      trafficking_status: 'PossibleVictimOfTrafficking',
      date_identified: '2026-02-01',
    }),
  );
  [caseId, caseNumber] = hearth('--user', 'Ana', 'case', 'new', '--json', intake).trim().split(' ');
  driver = await launchApp({ args: ['--vault', vault] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, click, unlockAs: unlockWith, lock } = uiHelpers(() => driver);
const unlockAs = (name) => unlockWith(name, PASSPHRASE);

test('a caseworker opens the case and cannot reach the audit view', async () => {
  await unlockAs('Ana');
  await driver.executeScript(`window.location.hash = '#/cases/${caseId}'`);
  assert.equal((await (await visible('case-number')).getText()).trim(), caseNumber);
  assert.equal((await driver.findElements(byTestId('nav-audit'))).length, 0, 'no Audit link');
  await driver.executeScript(`window.location.hash = '#/audit'`);
  await element('access-refused');
  assert.equal((await driver.findElements(byTestId('audit-screen'))).length, 0);
  await lock();
});

test('a supervisor filters the audit view to the case and sees the opening', async () => {
  await unlockAs('Sofija');
  await click('nav-audit');
  await element('audit-screen');
  // Picked by the number's last part, as a person remembers it, with the arrow keys and Enter.
  await type('audit-filter-case', caseNumber.split('-').pop());
  await visible('audit-filter-case-option');
  await (await element('audit-filter-case')).sendKeys(Key.ARROW_DOWN, Key.ENTER);
  assert.match(await (await visible('audit-filter-case-picked')).getText(), new RegExp(`${caseNumber} · Lejla`));
  await click('audit-apply');
  // Every row shown is about this case, and Ana's opening of it is among them. The table is
  // redrawn while the filtered page loads, so a row can go stale between finding and reading it:
  // read the rows again until one whole reading shows only the case.
  let seen = [];
  await driver.wait(
    async () => {
      try {
        const rows = await driver.findElements(byTestId('audit-row'));
        if (rows.length === 0) return false;
        const read = await Promise.all(
          rows.map(async (row) => [
            await row.getAttribute('data-case-id'),
            await row.getAttribute('data-action'),
            await row.getAttribute('data-account-name'),
          ]),
        );
        if (!read.every(([id]) => id === caseId)) return false;
        seen = read.map(([, action, who]) => [action, who]);
        return true;
      } catch (error) {
        if (error.name === 'StaleElementReferenceError') return false;
        throw error;
      }
    },
    10_000,
    'the audit view never showed only the case',
  );
  assert.ok(
    seen.some(([action, who]) => action === 'open_case' && who === 'Ana'),
    `no opening by Ana in ${JSON.stringify(seen)}`,
  );
  assert.ok(seen.some(([action]) => action === 'create_case'), 'the creation is listed too');
  // The case filter names the person (the supervisor chose her case); the entries never do.
  const rows = await Promise.all((await driver.findElements(byTestId('audit-row'))).map((row) => row.getText()));
  assert.ok(rows.length > 0 && !rows.some((row) => row.includes('Lejla')), 'an entry shows a field value');
  await saveScreenshot(driver, 'audit-case');
});

/** Picks a day in a date picker (ui.mjs sets it as the picker does). */
async function pickDay(id, day) {
  assert.equal(await (await element(id)).getAttribute('type'), 'date', 'the webview draws a date picker');
  await type(id, day);
}

function localDay(offsetDays) {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const two = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
}

async function total() {
  return Number(await (await visible('audit-count')).getAttribute('data-total'));
}

test('the supervisor narrows the days with the date pickers', async () => {
  await pickDay('audit-filter-since', localDay(1));
  await click('audit-apply');
  await driver.wait(async () => (await total()) === 0, 10_000, 'nothing is from tomorrow');
  await pickDay('audit-filter-since', localDay(0));
  await pickDay('audit-filter-until', localDay(0));
  await click('audit-apply');
  await driver.wait(async () => (await total()) > 0, 10_000, 'today has the entries');
});

test('the supervisor exports what the filters match through the Save dialog', async () => {
  const csv = join(scratch, 'audit-export.csv');
  answerFileDialogs(csv);
  await click('audit-export');
  await visible('audit-export-result');
  const asked = lastDialog();
  assert.deepEqual([asked.action, asked.kind], ['save', 'audit_csv']);
  assert.match(asked.file_name, /^hearth-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(csv, 'utf8');
  assert.ok(text.includes(caseNumber) && text.includes('open_case'), text);
  assert.ok(!text.includes('Lejla'), 'no field value in the export');
  assert.equal(statSync(csv).mode & 0o777, 0o600);
});

test('the supervisor signs a checkpoint and verifies the log against it', async () => {
  const checkpoint = join(scratch, 'checkpoint.txt');
  answerFileDialogs(checkpoint);
  await click('audit-checkpoint');
  await visible('audit-checkpoint-result');
  assert.deepEqual([lastDialog().action, lastDialog().kind], ['save', 'audit_checkpoint']);
  assert.ok(readFileSync(checkpoint, 'utf8').includes('hearth-device-'), 'a signed note');
  await click('audit-verify-checkpoint');
  assert.deepEqual([lastDialog().action, lastDialog().kind], ['open', 'audit_checkpoint']);
  const result = await visible('audit-verify-result');
  assert.equal(await result.getAttribute('data-intact'), 'true');
  // A checkpoint that is not one is refused, and says so.
  const forged = join(scratch, 'forged.txt');
  writeFileSync(forged, 'not a checkpoint\n');
  answerFileDialogs(forged);
  await click('audit-verify-checkpoint');
  await visible('audit-verify-error');
});

test('the supervisor verifies the log', async () => {
  await click('audit-verify');
  const result = await visible('audit-verify-result');
  assert.equal(await result.getAttribute('data-intact'), 'true');
  await lock();
});
