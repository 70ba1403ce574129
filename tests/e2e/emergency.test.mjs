// The duress passphrase and the emergency wipe, in the real desktop app: an administrator sets the
// duress passphrase in Settings; a caseworker who types it at the unlock screen finds an empty
// vault with the organisation's name (the old one is gone); and the wipe in Settings leaves the
// app on its first-run screen with no vault file left. The vault and its case are made with the
// CLI, which also checks what the app did.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hearthCli, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const DURESS = 'copper meadow whistle eleven';
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-emergency-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
const duressFile = join(scratch, 'duress');
let driver;

const hearth = (file, ...args) => hearthCli(vault, file, ...args);

before(async () => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  writeFileSync(duressFile, `${DURESS}\n`);
  hearth(passphraseFile, 'init', '--org', 'Harbour House', '--site', 'Shkodër', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth(passphraseFile, '--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  const intake = join(scratch, 'intake.json');
  writeFileSync(
    intake,
    JSON.stringify({ given_name: 'Lejla', trafficking_status: 'PossibleVictimOfTrafficking', date_identified: '2026-02-01' }),
  );
  hearth(passphraseFile, '--user', 'Ana', 'case', 'new', '--json', intake);
  driver = await launchApp({ args: ['--vault', vault] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, click, unlockAs, lock } = uiHelpers(() => driver);
const textOf = async (id) => (await visible(id)).getText();

test('the duress passphrase set in Settings opens an empty vault in place of the old one', async () => {
  await unlockAs('Mirela', PASSPHRASE);
  await driver.executeScript(`window.location.hash = '#/settings'`);
  assert.match(await textOf('settings-duress-state'), /No duress passphrase/);
  await type('settings-duress-new', DURESS);
  await type('settings-duress-new-confirm', DURESS);
  await click('settings-duress-save');
  assert.match(await textOf('settings-duress-message'), /is set/);
  assert.match(await textOf('settings-duress-state'), /is set/);
  await saveScreenshot(driver, 'settings-duress-and-wipe');
  await lock();

  // Ana's own passphrase still opens her list with the case in it; the duress one does not.
  assert.match(hearth(passphraseFile, '--user', 'Ana', 'case', 'list'), /Lejla/);
  await unlockAs('Ana', DURESS);
  await visible('cases-empty');
  await saveScreenshot(driver, 'after-the-duress-passphrase');
  const status = hearth(duressFile, '--user', 'Ana', 'status');
  assert.match(status, /Organisation: +Harbour House/);
  assert.match(status, /Accounts: +1 \(1 active\)/);
  assert.throws(() => hearth(passphraseFile, '--user', 'Mirela', 'status'), /Command failed/);
});

test('the emergency wipe in Settings asks for the word, then leaves nothing to unlock', async () => {
  // Ana is the administrator of the vault the duress passphrase made.
  await driver.executeScript(`window.location.hash = '#/settings'`);
  await click('settings-wipe-start');
  await type('settings-wipe-confirm', 'wipe it');
  await click('settings-wipe-go');
  await visible('settings-wipe-confirm-error');
  await saveScreenshot(driver, 'settings-wipe-confirm');
  assert.ok(existsSync(join(vault, 'keyslots')), 'a wrong word wipes nothing');
  await type('settings-wipe-confirm', 'WIPE');
  await click('settings-wipe-go');
  await element('first-run-screen');
  await saveScreenshot(driver, 'after-the-wipe');
  const left = existsSync(vault) ? readdirSync(vault) : [];
  assert.deepEqual(left, [], `the vault folder still holds ${left.join(', ')}`);
  assert.throws(() => hearth(duressFile, '--user', 'Ana', 'status'), /Command failed/);
});
