// Sync in the real desktop app, across two laptops' vaults. The second laptop joins the first
// with the CLI (request, approval, enrollment with the fingerprint). Then, in the app: a
// caseworker on the first laptop writes a bundle; a supervisor on the second checks it, sees the
// preview, imports it and finds the case. Finally both supervisors change the same field before
// either sees the other's change; on the first laptop the conflict shows in the queue and the
// supervisor takes the other value. Last, the second laptop imports a folder of bundles as the
// coordinating office does: a line per site, and the damaged file named with why. The two apps
// run one after the other (one instance at a time).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { answerFileDialogs, dialogsShown, hearthCli, lastDialog, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-sync-'));
const tirana = join(scratch, 'tirana');
const shkoder = join(scratch, 'shkoder');
const passphraseFile = join(scratch, 'pass');
let driver;
let caseId;
let caseNumber;

const hearth = (vault, ...args) => hearthCli(vault, passphraseFile, ...args);

function jsonFile(name, value) {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

before(() => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth(tirana, 'init', '--org', 'Harbour House', '--site', 'Tirana', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth(tirana, '--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  hearth(tirana, '--user', 'Mirela', 'user', 'add', 'Sofija', '--role', 'supervisor', '--new-passphrase-file', passphraseFile);
  const request = join(scratch, 'request.json');
  hearth(shkoder, 'init', '--join', '--site', 'Shkoder', '--admin', 'Arta', '--unlock-cost-ms', '0', '--request-out', request);
  hearth(shkoder, '--user', 'Arta', 'user', 'add', 'Mira', '--role', 'supervisor', '--new-passphrase-file', passphraseFile);
  const enrollment = join(scratch, 'enrollment.age');
  hearth(tirana, '--user', 'Mirela', 'device', 'approve', request, '--out', enrollment);
  const fingerprint = hearth(tirana, '--user', 'Mirela', 'device', 'show')
    .split('\n')
    .find((line) => line.startsWith('Fingerprint:'))
    .replace('Fingerprint:', '')
    .trim();
  hearth(shkoder, '--user', 'Arta', 'device', 'enroll', enrollment, '--approver', fingerprint);

  const intake = jsonFile('intake.json', {
    given_name: 'Lejla',
    trafficking_status: 'PossibleVictimOfTrafficking',
    date_identified: '2026-02-01',
  });
  [caseId, caseNumber] = hearth(tirana, '--user', 'Ana', 'case', 'new', '--json', intake).trim().split(' ');
  const sharing = jsonFile('sharing.json', {
    purpose: 'SharingWithinOrganisation',
    decision: 'Given',
    date: '2026-02-01',
    method: 'Signed',
  });
  hearth(tirana, '--user', 'Ana', 'consent', 'add', caseId, '--json', sharing);
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, click, unlockAs: unlockWith } = uiHelpers(() => driver);
const unlockAs = (name) => unlockWith(name, PASSPHRASE);

async function openApp(vault) {
  await quitApp(driver);
  driver = await launchApp({ args: ['--vault', vault] });
}

async function textOf(id) {
  return (await (await visible(id)).getText()).trim();
}

// A USB stick's folder.
const stick = join(scratch, 'stick');
const bundle = join(stick, 'from-tirana.age');

test('a caseworker saves a bundle through the Save dialog on the first laptop', async () => {
  mkdirSync(stick);
  await openApp(tirana);
  await unlockAs('Ana');
  await click('nav-sync');
  // Cancelled: nothing is written and nothing is said to have been.
  answerFileDialogs(null);
  const before = dialogsShown().length;
  await click('sync-export');
  await driver.wait(async () => dialogsShown().length === before + 1, 10_000, 'the Save dialog was shown');
  assert.equal((await driver.findElements(byTestId('sync-export-summary'))).length, 0);

  answerFileDialogs(bundle);
  await click('sync-export');
  const summary = await textOf('sync-export-summary');
  assert.match(summary, /1 cases/);
  assert.ok(existsSync(bundle), 'the bundle file exists');
  assert.equal(statSync(bundle).mode & 0o777, 0o600, 'readable by its owner only');
  const asked = lastDialog();
  assert.equal(asked.action, 'save');
  assert.equal(asked.kind, 'bundle');
  assert.equal(asked.title, 'Save the bundle');
  // The suggested name says nothing about the contents.
  assert.match(asked.file_name, /^sync-[0-9a-f]{8}\.age$/);

  // The next Save opens in the stick's folder; choosing the same file (the dialog asked to
  // confirm replacing it) writes over it whole.
  const first = readFileSync(bundle);
  await click('sync-export-full');
  await click('sync-export');
  await driver.wait(async () => !readFileSync(bundle).equals(first), 10_000, 'the bundle was replaced');
  assert.equal(lastDialog().folder, dirname(bundle));
  await saveScreenshot(driver, 'sync-export');
});

test('a supervisor on the second laptop checks, previews and imports it; the case appears', async () => {
  await openApp(shkoder);
  await unlockAs('Mira');
  await click('nav-sync');
  // A damaged copy is refused with a clear error and nothing changes.
  const damaged = join(scratch, 'damaged.age');
  const bytes = readFileSync(bundle);
  bytes[Math.floor(bytes.length / 2)] ^= 1;
  writeFileSync(damaged, bytes);
  answerFileDialogs(damaged);
  await click('sync-import-choose');
  assert.equal(lastDialog().action, 'open');
  assert.equal(await (await visible('sync-import-error')).getAttribute('data-error-kind'), 'bundle_damaged');
  // Headed as a damaged file, not as damage to this laptop's data or a refusal.
  assert.match(await textOf('sync-import-error'), /This file cannot be used/);

  answerFileDialogs(bundle);
  await click('sync-import-choose');
  assert.match(await textOf('sync-import-file'), /from-tirana\.age/);
  assert.match(await textOf('sync-import-preview'), /to 1 cases/);
  await click('sync-import');
  assert.match(await textOf('sync-import-summary'), /to 1 cases/);
  const devices = await driver.findElements(byTestId('sync-device'));
  assert.equal(devices.length, 2, 'both laptops are listed');
  // Each with its key's fingerprint, as that laptop itself shows it (what the office checks by).
  const shown = hearth(tirana, '--user', 'Sofija', 'device', 'show');
  const fingerprint = shown.match(/^Fingerprint:\s+(\S+)$/m)[1];
  const fingerprints = await Promise.all(
    (await driver.findElements(byTestId('sync-device-fingerprint'))).map((element) => element.getText()),
  );
  assert.ok(fingerprints.some((text) => text.includes(fingerprint)), `${fingerprint} in ${fingerprints}`);
  await saveScreenshot(driver, 'sync-import');

  await driver.executeScript(`window.location.hash = '#/cases/${caseId}'`);
  assert.equal(await textOf('case-number'), caseNumber);
  assert.match(await textOf('case-name'), /Lejla/);
});

test('a conflicting edit shows in the queue and the supervisor resolves it', async () => {
  await quitApp(driver);
  driver = null;
  hearth(tirana, '--user', 'Sofija', 'case', 'update', caseId, '--json', jsonFile('high.json', { risk_level: 'High' }));
  hearth(shkoder, '--user', 'Mira', 'case', 'update', caseId, '--json', jsonFile('low.json', { risk_level: 'Low' }));
  const back = join(scratch, 'from-shkoder.age');
  hearth(shkoder, '--user', 'Mira', 'bundle', 'export', '--out', back);
  hearth(tirana, '--user', 'Sofija', 'bundle', 'import', back);

  await openApp(tirana);
  await unlockAs('Sofija');
  await click('nav-sync');
  const conflict = await visible('conflict');
  assert.equal(await conflict.getAttribute('data-field'), 'risk_level');
  // Shkodër's edit came later and is in the record; Tirana's own waits in the queue.
  assert.match(await textOf('conflict-current'), /Low/);
  assert.match(await textOf('conflict-queued'), /High/);
  await saveScreenshot(driver, 'sync-conflict');
  await click('conflict-take');
  await visible('conflicts-none');
  const shown = JSON.parse(hearth(tirana, '--user', 'Sofija', 'case', 'show', caseId, '--json'));
  assert.equal(shown.case.fields.risk_level, 'High');
  assert.equal(JSON.parse(hearth(tirana, '--user', 'Sofija', 'conflicts', 'list', '--json')).length, 0);
  await element('sync-screen');
});

test('the office imports a folder of bundles: each site has its line, and a damaged file is named', async () => {
  await quitApp(driver);
  driver = null;
  const folder = join(scratch, 'from-the-sites');
  mkdirSync(folder);
  const intake = jsonFile('second.json', {
    given_name: 'Vesna',
    trafficking_status: 'PossibleVictimOfTrafficking',
    date_identified: '2026-03-01',
  });
  const [secondId] = hearth(tirana, '--user', 'Ana', 'case', 'new', '--json', intake).trim().split(' ');
  hearth(tirana, '--user', 'Sofija', 'bundle', 'export', '--out', join(folder, 'b-tirana-new.age'));
  // One already imported (nothing new in it), and one damaged on the way.
  writeFileSync(join(folder, 'a-tirana-old.age'), readFileSync(bundle));
  writeFileSync(join(folder, 'c-damaged.age'), readFileSync(join(scratch, 'damaged.age')));

  await openApp(shkoder);
  await unlockAs('Mira');
  await click('nav-sync');
  answerFileDialogs(folder);
  await click('sync-import-folder');
  assert.equal(lastDialog().action, 'open_folder');
  assert.equal(lastDialog().kind, 'bundle');
  assert.match(await textOf('sync-folder-summary'), /2 of 3 files imported/);
  const sites = await driver.findElements(byTestId('sync-folder-site'));
  assert.equal(sites.length, 1, 'one site sent bundles');
  assert.equal(await sites[0].getAttribute('data-site'), 'Tirana');
  // Two bundles from Tirana: the first was here already; the second brings the new case (and
  // the conflict's resolution above); nothing waits.
  const cells = await driver.executeScript(
    'return [...arguments[0].cells].map((cell) => cell.textContent.trim());',
    sites[0],
  );
  assert.equal(cells.length, 6, `${cells}`);
  const [site, bundles, applied, alreadyHere, cases, waiting] = cells;
  assert.deepEqual([site, bundles, waiting], ['Tirana', '2', '0']);
  for (const count of [applied, alreadyHere, cases]) assert.ok(Number(count) > 0, `${cells}`);
  const refused = await visible('sync-folder-refused');
  assert.equal(await refused.getAttribute('data-file'), 'c-damaged.age');
  assert.equal(await (await visible('sync-folder-refused-error')).getAttribute('data-error-kind'), 'bundle_damaged');
  await driver.executeScript('arguments[0].scrollIntoView();', await visible('sync-folder-summary'));
  await saveScreenshot(driver, 'sync-folder-import');
  const shown = JSON.parse(hearth(shkoder, '--user', 'Mira', 'case', 'show', secondId, '--json'));
  assert.equal(shown.case.id, secondId);
});
