// The check of every page after an unlock, in the real desktop app: a vault whose file was
// damaged (one byte of a page that unlocking never reads) unlocks, and the app then shows the
// damage banner on every screen and the damaged page on the About screen. The vault and its
// records are made with the CLI; the damage is made by hand, as a failing disk would.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hearthCli, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const PAGE = 4096;
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-integrity-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
let driver;
let damagedPage;

const hearth = (...args) => hearthCli(vault, passphraseFile, ...args);

before(async () => {
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth('init', '--org', 'Harbour House', '--site', 'Shkodër', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth('--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  const intake = join(scratch, 'intake.json');
  writeFileSync(
    intake,
    JSON.stringify({
      given_name: 'Lejla',
      trafficking_status: 'PossibleVictimOfTrafficking',
      date_identified: '2026-02-01',
    }),
  );
  const [caseId] = hearth('--user', 'Ana', 'case', 'new', '--json', intake).trim().split(' ');
  // Long notes fill pages at the end of the file that unlocking and the case list never read.
  for (let n = 0; n < 5; n += 1) {
    const note = join(scratch, `note-${n}.json`);
    const text = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(97 + ((i * 7 + n * 3) % 26)));
    writeFileSync(note, JSON.stringify({ text: text.join('') }));
    hearth('--user', 'Ana', 'note', 'add', caseId, '--json', note);
  }
  const database = join(vault, 'vault.db');
  const bytes = readFileSync(database);
  damagedPage = Math.floor(bytes.length / PAGE) - 25;
  bytes[(damagedPage - 1) * PAGE + 100] ^= 1;
  writeFileSync(database, bytes);
  driver = await launchApp({ args: ['--vault', vault] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, click, unlockAs } = uiHelpers(() => driver);

test('damage found by the check after the unlock is shown on every screen and on About', async () => {
  await unlockAs('Mirela', PASSPHRASE);
  const banner = await visible('integrity-banner');
  assert.match(await banner.getText(), /found damage/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await click('nav-about');
  const integrity = await element('about-integrity');
  await driver.wait(
    async () => (await integrity.getAttribute('data-state')) === 'damaged',
    15_000,
    'About does not show the damage',
  );
  assert.match(await integrity.getText(), new RegExp(`page ${damagedPage}`));
  assert.equal((await driver.findElements(byTestId('integrity-banner'))).length, 1);
  await saveScreenshot(driver, 'integrity-damaged');
});
