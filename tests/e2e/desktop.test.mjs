// The desktop app from an empty vault folder, as a shelter would meet it: first run, the recovery
// key, lock and unlock, a wrong passphrase, accounts, a caseworker's view, the idle timeout, and
// that locking leaves nothing of what was shown in the page.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, Key, until } from 'selenium-webdriver';
import { appPids, childPids, hearthCli, launchApp, openFiles, quitApp, saveScreenshot } from './app.mjs';
import { uiHelpers } from './ui.mjs';

const ORGANISATION = 'Harbour House Network';
const SITE = 'Riverside Shelter';
const ADMIN = 'Mirela Hoxha';
const ADMIN_PASSPHRASE = 'violet kettle orbit pasture';
const CASEWORKER = 'Dragan Petrović';
const CASEWORKER_PASSPHRASE = 'lantern quietly harbour seventeen';

const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
const vault = join(scratch, 'vault');
let driver;
const { select } = uiHelpers(() => driver);
/** The recovery key the first run showed, as written down. */
let writtenDown;
/** Everything the app showed that must be gone from the page once it is locked. */
const shown = new Set([ORGANISATION, SITE, ADMIN, CASEWORKER]);

before(async () => {
  driver = await launchApp({ args: ['--vault', vault] });
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const byTestId = (id) => By.css(`[data-testid="${id}"]`);

async function element(id, timeoutMs = 15_000) {
  return driver.wait(until.elementLocated(byTestId(id)), timeoutMs, `no [data-testid="${id}"]`);
}

async function type(id, text) {
  const field = await element(id);
  await field.clear();
  await field.sendKeys(text);
}

async function click(id) {
  await (await element(id)).click();
}

async function present(id) {
  return (await driver.findElements(byTestId(id))).length > 0;
}

/** Sets the vault's idle timeout with the CLI, as the administrator (the app must be locked). */
function setIdleTimeout(seconds) {
  const passphraseFile = join(scratch, 'admin.pass');
  writeFileSync(passphraseFile, `${ADMIN_PASSPHRASE}\n`);
  hearthCli(vault, passphraseFile, '--user', ADMIN, 'settings', 'idle-timeout', String(seconds));
}

async function unlockAs(name, passphrase) {
  await type('unlock-account', name);
  await type('unlock-passphrase', passphrase);
  await click('unlock-submit');
}

async function lock() {
  await click('lock-button');
  await element('unlock-screen');
}

/** The page, as WebDriver sees it, holds none of what was shown while unlocked. */
async function assertNothingShownRemains(when) {
  const source = await driver.getPageSource();
  for (const text of shown) {
    assert.ok(!source.includes(text), `${when}: "${text}" is still in the page`);
  }
}

test('first run creates the vault and shows the recovery key once', async () => {
  await element('first-run-screen', 30_000);
  await saveScreenshot(driver, '01-first-run');
  await type('create-org', ORGANISATION);
  await type('create-site', SITE);
  await type('create-admin', ADMIN);
  await type('create-passphrase', ADMIN_PASSPHRASE);
  await type('create-passphrase-confirm', ADMIN_PASSPHRASE);
  await saveScreenshot(driver, '02-first-run-filled');
  await click('create-submit');

  const keyElement = await element('recovery-key', 60_000);
  const recoveryKey = (await keyElement.getText()).replace(/\s+/g, '-');
  writtenDown = recoveryKey;
  const groups = recoveryKey.split('-').filter(Boolean);
  assert.equal(groups.length, 8, `recovery key shown as ${recoveryKey}`);
  for (const group of groups) {
    assert.match(group, /^\d{6}$/);
    assert.equal(Number(group) % 11, 0, `group ${group} fails its check`);
    shown.add(group);
  }
  await saveScreenshot(driver, '03-recovery-key');

  await click('recovery-written');
  const prompt = await (await element('recovery-confirm-group-label')).getText();
  const asked = Number(prompt.match(/\d+/)?.[0]);
  assert.ok(asked >= 1 && asked <= 8, `the confirmation asks for group ${asked}: "${prompt}"`);
  // A wrong group is refused.
  await type('recovery-confirm-group-input', groups[asked % 8] === groups[asked - 1] ? '000000' : groups[asked % 8]);
  await click('recovery-continue');
  assert.ok(await present('recovery-confirm-error'), 'a wrong group was accepted');
  await type('recovery-confirm-group-input', groups[asked - 1]);
  await click('recovery-continue');

  await element('home-screen', 15_000);
  const page = await driver.getPageSource();
  assert.ok(page.includes(ORGANISATION), 'home shows the organisation');
  for (const group of groups) {
    assert.ok(!page.includes(group), 'the recovery key is gone after confirmation');
  }
  await saveScreenshot(driver, '04-home-admin');
});

test('lock clears the screen; a wrong passphrase has its own message; unlock works', async () => {
  await lock();
  await saveScreenshot(driver, '05-unlock');
  await assertNothingShownRemains('after lock');

  await unlockAs(ADMIN, 'not the right passphrase');
  const error = await element('unlock-error');
  await driver.wait(async () => (await error.getText()).trim() !== '', 10_000);
  assert.match(await error.getText(), /passphrase/i);
  await saveScreenshot(driver, '06-wrong-passphrase');
  assert.ok(!(await present('home-screen')));

  await unlockAs(ADMIN, ADMIN_PASSPHRASE);
  await element('home-screen', 30_000);
});

test('every section an administrator can open shows its screen', async () => {
  const sections = [
    ['cases', 'cases-screen'],
    ['followups', 'followups-screen'],
    ['audit', 'audit-screen'],
    ['sync', 'sync-screen'],
    ['settings', 'settings-screen'],
    ['myaccount', 'myaccount-screen'],
    ['about', 'about-screen'],
  ];
  for (const [index, [nav, screen]] of sections.entries()) {
    await click(`nav-${nav}`);
    await element(screen);
    await saveScreenshot(driver, `10-section-${index + 1}-${nav}`);
  }
  // The About screen's figures come from the unlocked vault over IPC.
  const about = await (await element('about-screen')).getText();
  assert.ok(about.includes(ORGANISATION), `About shows no organisation:\n${about}`);
  assert.match(about, /SQLCipher|4\.\d+/);
  // Fields the core names in snake_case arrive under those names (an undefined shows empty).
  assert.match(await (await element('about-device')).getText(), /^[0-9a-f]{32}$/);
  assert.match(await (await element('about-schema')).getText(), /^\d+$/);
  assert.match(await (await element('about-accounts')).getText(), /\d/);
  // Every page was checked after the unlock, in the background; no damage banner.
  const integrity = await element('about-integrity');
  await driver.wait(
    async () => (await integrity.getAttribute('data-state')) === 'intact',
    15_000,
    'the page-by-page check did not report an intact vault',
  );
  assert.match(await integrity.getText(), /Every page verified/);
  assert.equal((await driver.findElements(By.css('[data-testid="integrity-banner"]'))).length, 0);
});

test('the admin adds a caseworker, who cannot open account management', async () => {
  await click('nav-accounts');
  await element('accounts-screen');
  await type('accounts-add-name', CASEWORKER);
  const role = await element('accounts-add-role');
  await role.sendKeys('Caseworker');
  await driver.executeScript(
    (select) => {
      select.value = 'caseworker';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    role,
  );
  await type('accounts-add-passphrase', CASEWORKER_PASSPHRASE);
  if (await present('accounts-add-passphrase-confirm')) {
    await type('accounts-add-passphrase-confirm', CASEWORKER_PASSPHRASE);
  }
  await click('accounts-add-submit');
  await element(`account-row-${CASEWORKER}`, 30_000);
  await saveScreenshot(driver, '07-accounts');

  // Ctrl+L locks too.
  await driver.actions().keyDown(Key.CONTROL).sendKeys('l').keyUp(Key.CONTROL).perform();
  await element('unlock-screen');
  await assertNothingShownRemains('after Ctrl+L');

  await unlockAs(CASEWORKER, CASEWORKER_PASSPHRASE);
  await element('home-screen', 30_000);
  assert.ok(!(await present('nav-accounts')), 'a caseworker sees no account management');
  await saveScreenshot(driver, '08-home-caseworker');
  // Even asked for directly, the screen refuses.
  await driver.executeScript(() => {
    window.location.hash = '#/accounts';
  });
  await driver.sleep(500);
  assert.ok(!(await present('accounts-screen')), 'a caseworker reached account management');
  await lock();
});

test('the idle timeout locks the app', async () => {
  // The UI sets the timeout in whole minutes; the CLI sets the 10 s this test can wait for.
  setIdleTimeout(10);
  await unlockAs(ADMIN, ADMIN_PASSPHRASE);
  await element('home-screen', 30_000);
  const unlockedAt = Date.now();
  // No input at all: within about ten seconds the app locks itself.
  await element('unlock-screen', 25_000);
  const after = (Date.now() - unlockedAt) / 1000;
  assert.ok(after >= 8, `locked after ${after} s, before the timeout`);
  await saveScreenshot(driver, '09-locked-by-idle-timeout');
  await assertNothingShownRemains('after the idle timeout');
});

test('the core locks the vault when the timeout passes, even with the webview frozen', async () => {
  // Still the 10 s timeout of the test above, counted at the earliest from the unlock.
  const unlockedAt = Date.now();
  await unlockAs(ADMIN, ADMIN_PASSPHRASE);
  await element('home-screen', 30_000);
  const [app] = appPids();
  const database = join(vault, 'vault.db');
  const holdsVault = () => openFiles(app).some((file) => file.startsWith(database));
  assert.ok(holdsVault(), 'the unlocked app holds the vault database open');
  // Freeze the page: its JavaScript, idle timer included, stops until SIGCONT.
  const webviews = childPids(app, 'WebKitWebProces');
  assert.ok(webviews.length > 0, 'found the app’s web process');
  const frozenAt = Date.now();
  for (const pid of webviews) process.kill(pid, 'SIGSTOP');
  try {
    // Not driver.sleep: WebDriver cannot answer while the page is stopped.
    while (holdsVault() && Date.now() - frozenAt < 25_000) await new Promise((done) => setTimeout(done, 200));
    assert.ok(!holdsVault(), 'the vault was still open 25 s after the page froze');
    const after = (Date.now() - unlockedAt) / 1000;
    assert.ok(after >= 9, `closed ${after} s after the unlock, before the timeout`);
  } finally {
    for (const pid of webviews) process.kill(pid, 'SIGCONT');
  }
  // Thawed, the page hears that the core locked and shows the locked screen.
  await element('unlock-screen', 15_000);
  await assertNothingShownRemains('after the core locked');
});

/** Picks a language on the unlock screen the way a person does (the select fires `change`). */
async function pickLanguage(language) {
  await select('unlock-language', language);
}

const pageLanguage = () => driver.executeScript(() => document.documentElement.lang);

test('the language chosen on the unlock screen is remembered for the account', async () => {
  await element('unlock-screen');
  // Back to the default timeout, so that no idle lock interrupts this test.
  setIdleTimeout(300);
  await pickLanguage('sq');
  assert.equal(await pageLanguage(), 'sq');
  await unlockAs(CASEWORKER, CASEWORKER_PASSPHRASE);
  await element('home-screen', 30_000);
  assert.equal(await pageLanguage(), 'sq');
  await saveScreenshot(driver, '13-home-caseworker-sq');
  await lock();

  // The administrator picks English on the unlock screen: that becomes their language.
  await pickLanguage('en');
  await unlockAs(ADMIN, ADMIN_PASSPHRASE);
  await element('home-screen', 30_000);
  assert.equal(await pageLanguage(), 'en');
  await lock();

  // The caseworker touches nothing on the unlock screen (it shows English now): after unlocking,
  // Hearth switches to the Albanian they chose before.
  assert.equal(await pageLanguage(), 'en');
  await unlockAs(CASEWORKER, CASEWORKER_PASSPHRASE);
  await element('home-screen', 30_000);
  await driver.wait(async () => (await pageLanguage()) === 'sq', 10_000).catch(() => {});
  assert.equal(await pageLanguage(), 'sq');
  await lock();
});

test('an administrator who forgot the passphrase sets a new one with the recovery key', async () => {
  const NEW_PASSPHRASE = 'harbour lantern copper meadow';
  await element('unlock-screen');
  await pickLanguage('en');
  await click('unlock-recover');
  await element('recover-screen');
  // A wrong key is refused, and nothing changes.
  const groups = writtenDown.split('-');
  const mistyped = [...groups.slice(0, 7), groups[7] === '000000' ? '000011' : '000000'].join('-');
  await type('recover-key', mistyped);
  await type('recover-passphrase', NEW_PASSPHRASE);
  await type('recover-passphrase-confirm', NEW_PASSPHRASE);
  await click('recover-submit');
  assert.match(await (await element('recover-error')).getAttribute('data-error-kind'), /recovery_key/);
  await type('recover-key', writtenDown);
  await click('recover-submit');
  assert.match(await (await element('recover-done', 30_000)).getText(), new RegExp(ADMIN));
  await saveScreenshot(driver, '14-recovered');
  // The old passphrase no longer opens the vault; the new one does.
  await type('unlock-account', ADMIN);
  await type('unlock-passphrase', ADMIN_PASSPHRASE);
  await click('unlock-submit');
  assert.equal(await (await element('unlock-error')).getAttribute('data-error-kind'), 'wrong_passphrase');
  await unlockAs(ADMIN, NEW_PASSPHRASE);
  await element('home-screen', 30_000);
  await lock();
});

test('disabling an account offers a new data key; after it everyone active still unlocks', async () => {
  // The passphrase the recovery above set.
  const ADMIN_NOW = 'harbour lantern copper meadow';
  await unlockAs(ADMIN, ADMIN_NOW);
  await element('home-screen', 30_000);
  await click('nav-accounts');
  await element('accounts-screen');
  await click(`account-disable-${CASEWORKER}`);
  assert.match(await (await element('accounts-message')).getText(), /data key/);
  assert.match(await (await element('rekey-panel')).getAttribute('class'), /offered/);
  await saveScreenshot(driver, '15-rekey-offered');
  await click('rekey-submit');
  // The administrator's slot and the recovery slot; the disabled account's holds no key.
  assert.match(await (await element('rekey-message', 60_000)).getText(), /\b2\b/);
  assert.ok(
    !(await present('rekey-new-recovery')),
    "a recovery key this Hearth made follows the new data key",
  );
  await saveScreenshot(driver, '16-rekeyed');
  // Enabled again, the caseworker's slot is given the new key and opens with the old passphrase.
  await click(`account-enable-${CASEWORKER}`);
  await element(`account-disable-${CASEWORKER}`, 30_000);
  await lock();
  await unlockAs(CASEWORKER, CASEWORKER_PASSPHRASE);
  await element('home-screen', 30_000);
  await lock();
  await unlockAs(ADMIN, ADMIN_NOW);
  await element('home-screen', 30_000);
  await lock();
});
