// Joining and revoking in the real desktop app, as administrators do it on the Sync screen: a new
// laptop writes its join request, a member laptop approves it and shows its fingerprint, the new
// laptop enrolls with the file and that fingerprint, and later the member revokes it. Each laptop
// is its own vault; the apps run one after the other. Only the vaults are made with the CLI. Files
// are chosen through the file dialogs' test double (app.mjs). Last, the administrator sets the
// coordinating office's key in the app and compares its fingerprint with the office's.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { answerFileDialogs, hearthCli, lastDialog, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-join-'));
const tirana = join(scratch, 'tirana');
const vlore = join(scratch, 'vlore');
const passphraseFile = join(scratch, 'pass');
const request = join(scratch, 'request.json');
const enrollment = join(scratch, 'enrollment.age');
let driver;
let fingerprint;

const hearth = (vault, ...args) => hearthCli(vault, passphraseFile, ...args);

before(() => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth(tirana, 'init', '--org', 'Harbour House', '--site', 'Tirana', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth(vlore, 'init', '--org', 'Not yet', '--site', 'Vlore', '--admin', 'Besa', '--unlock-cost-ms', '0');
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { visible, type, click, unlockAs: unlockWith } = uiHelpers(() => driver);

async function openSyncAs(vault, name) {
  await quitApp(driver);
  driver = await launchApp({ args: ['--vault', vault] });
  await unlockWith(name, PASSPHRASE);
  await click('nav-sync');
}

test('the new laptop writes its join request', async () => {
  await openSyncAs(vlore, 'Besa');
  answerFileDialogs(request);
  await click('sync-join-write');
  await visible('sync-join-written');
  assert.ok(existsSync(request));
});

test('an administrator of a member laptop approves it and reads out the fingerprint', async () => {
  await openSyncAs(tirana, 'Mirela');
  answerFileDialogs(request);
  await click('sync-approve-choose');
  await visible('sync-approve-file');
  assert.deepEqual([lastDialog().action, lastDialog().kind], ['open', 'join_request']);
  answerFileDialogs(enrollment);
  await click('sync-approve');
  const done = await visible('sync-approve-done');
  fingerprint = (await (await done.findElement({ css: 'code' })).getText()).trim();
  assert.match(fingerprint, /^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);
  const own = (await (await visible('sync-fingerprint')).getText()).trim();
  assert.ok(own.endsWith(fingerprint), 'the fingerprint shown is this laptop’s');
  assert.ok(existsSync(enrollment));
  assert.deepEqual([lastDialog().action, lastDialog().kind], ['save', 'enrollment']);
  await saveScreenshot(driver, 'join-approved');
});

test('the new laptop refuses a wrong fingerprint, then enrolls with the right one', async () => {
  await openSyncAs(vlore, 'Besa');
  answerFileDialogs(enrollment);
  await click('sync-enroll-choose');
  await visible('sync-enroll-file');
  await type('sync-enroll-fingerprint', '0000-1111-2222-3333-4444');
  await click('sync-enroll');
  assert.equal(await (await visible('sync-join-error')).getAttribute('data-error-kind'), 'wrong_approver');
  await type('sync-enroll-fingerprint', fingerprint);
  await click('sync-enroll');
  await visible('sync-enrolled');
  await driver.wait(
    async () => (await driver.findElements(byTestId('sync-device'))).length === 2,
    10_000,
    'both laptops are listed after enrolling',
  );
  assert.match(hearth(vlore, '--user', 'Besa', 'status'), /Harbour House/);
});

test('the member revokes the laptop, for good', async () => {
  await openSyncAs(tirana, 'Mirela');
  await click('sync-revoke');
  await click('sync-revoke-confirm');
  await driver.wait(
    async () => (await driver.findElements(byTestId('sync-revoke'))).length === 0,
    10_000,
    'no member is left to revoke',
  );
  assert.match(hearth(tirana, '--user', 'Mirela', 'device', 'list'), /REVOKED/);
  await saveScreenshot(driver, 'join-revoked');
});

test("the administrator sets the office's key in the app and sees the fingerprint the office computes", async () => {
  const key = join(scratch, 'office.key');
  execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
  // What the office reads out: the first 80 bits of the SHA-256 of its recipient.
  const digest = createHash('sha256').update(recipient).digest('hex').slice(0, 20);
  const expected = digest.match(/.{4}/g).join('-');

  await openSyncAs(tirana, 'Mirela');
  await visible('sync-no-office');
  await type('sync-office-recipient', 'age1-not-a-key');
  await click('sync-office-set');
  assert.equal(await (await visible('sync-office-error')).getAttribute('data-error-kind'), 'bad_recipient');
  await type('sync-office-recipient', recipient);
  await click('sync-office-set');
  assert.match(await (await visible('sync-office-done')).getText(), new RegExp(expected));
  assert.equal((await (await visible('sync-office-fingerprint')).getText()).trim(), expected);
  assert.match(hearth(tirana, '--user', 'Mirela', 'org', 'office'), new RegExp(`Fingerprint: ${expected}`));
  await saveScreenshot(driver, 'sync-office');
});
