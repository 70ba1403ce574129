// The audit view in the real desktop app: a caseworker opens a case and cannot reach the audit
// view; a supervisor filters the audit view to that case, sees the opening, and verifies the log.
// The vault, its accounts and the case are made with the CLI.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hearthCli, launchApp, quitApp, saveScreenshot } from './app.mjs';
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
  await type('audit-filter-case', caseId);
  const applyButtons = await driver.findElements(byTestId('audit-apply'));
  if (applyButtons.length > 0) await applyButtons[0].click();
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
  const page = await driver.getPageSource();
  assert.ok(!page.includes('Lejla'), 'the audit view shows no field values');
  await saveScreenshot(driver, 'audit-case');
});

test('the supervisor verifies the log', async () => {
  await click('audit-verify');
  const result = await visible('audit-verify-result');
  assert.equal(await result.getAttribute('data-intact'), 'true');
  await lock();
});
