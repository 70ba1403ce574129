// Referral packets and printed documents in the real desktop app. The shelter's vault, its two
// partners (one with a key made by Go's age-keygen, one without) and a case with consent to refer
// it to the first are made with the CLI. Then, in the app: a caseworker sends the packet from the
// referral (the partner decrypts it with stock age and tar); a supervisor refers the person to the
// second partner without consent, with a written reason, and sends that packet (a one-time
// passphrase is shown); the printable summary is saved and pdftotext reads it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { answerFileDialogs, hearthCli, lastDialog, launchApp, quitApp, saveScreenshot } from './app.mjs';
import { byTestId, uiHelpers } from './ui.mjs';

const PASSPHRASE = 'violet kettle orbit pasture';
const scratch = mkdtempSync(join(tmpdir(), 'hearth-e2e-referrals-'));
const vault = join(scratch, 'vault');
const passphraseFile = join(scratch, 'pass');
const partnerKeyFile = join(scratch, 'partner-key.txt');
const out = join(scratch, 'out');
let driver;
let caseId;
let keyed;
let unkeyed;
let fingerprint;

const hearth = (...args) => hearthCli(vault, passphraseFile, ...args);

function jsonFile(name, value) {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

before(async () => {
  mkdirSync(out);
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
  hearth('init', '--org', 'Strehë e Sigurt', '--site', 'Tiranë', '--admin', 'Mirela', '--unlock-cost-ms', '0');
  hearth('--user', 'Mirela', 'user', 'add', 'Ana', '--role', 'caseworker', '--new-passphrase-file', passphraseFile);
  hearth('--user', 'Mirela', 'user', 'add', 'Sofija', '--role', 'supervisor', '--new-passphrase-file', passphraseFile);
  execFileSync('age-keygen', ['-o', partnerKeyFile], { stdio: 'ignore' });
  const partnerKey = execFileSync('age-keygen', ['-y', partnerKeyFile], { encoding: 'utf8' }).trim();
  keyed = hearth('--user', 'Sofija', 'partner', 'add', '--json', jsonFile('keyed.json', { name: 'Qendra Partnere', type: 'NGO' })).trim();
  unkeyed = hearth('--user', 'Sofija', 'partner', 'add', '--json', jsonFile('unkeyed.json', { name: 'Klinika Ligjore', type: 'LegalService' })).trim();
  fingerprint = hearth('--user', 'Sofija', 'partner', 'set-key', keyed, partnerKey).match(/([0-9a-f]{4}-){4}[0-9a-f]{4}/)[0];
  const intake = jsonFile('intake.json', {
    given_name: 'Drita',
    family_name: 'Kastrati',
    phone: '0691234567',
    trafficking_status: 'PossibleVictimOfTrafficking',
    date_identified: '2026-11-02',
  });
  [caseId] = hearth('--user', 'Ana', 'case', 'new', '--json', intake).trim().split(' ');
  const consent = jsonFile('consent.json', {
    purpose: 'ReferralToPartner',
    partner: keyed,
    decision: 'Given',
    date: '2026-11-20',
    method: 'Signed',
  });
  hearth('--user', 'Ana', 'consent', 'add', caseId, '--json', consent);
  const referral = jsonFile('referral.json', {
    direction: 'Outgoing',
    partner: keyed,
    reason: 'AdditionalServicesRequired',
    date: '2026-11-21',
    status: 'InProgress',
  });
  hearth('--user', 'Ana', 'referral', 'add', caseId, '--json', referral);
});

after(async () => {
  await quitApp(driver);
  rmSync(scratch, { recursive: true, force: true });
});

const { element, visible, type, select, click, unlockAs: unlockWith } = uiHelpers(() => driver);
const unlockAs = (name) => unlockWith(name, PASSPHRASE);

async function openReferrals(name) {
  await quitApp(driver);
  driver = await launchApp({ args: ['--vault', vault] });
  await unlockAs(name);
  await driver.executeScript(`window.location.hash = '#/cases/${caseId}/referrals'`);
  await visible('referral-list');
}

async function textOf(id) {
  return (await (await visible(id)).getText()).trim();
}

/** The referral rows' buttons to send a packet, in the order the rows show. */
async function sendButtons() {
  return driver.findElements(byTestId('referral-send'));
}

test('a caseworker sends the packet from the referral; the partner opens it with age and tar', async () => {
  await openReferrals('Ana');
  const [send] = await sendButtons();
  await send.click();
  // Said before anything leaves: a packet cannot be recalled.
  assert.match(await textOf('packet-no-recall'), /cannot be recalled/);
  // The minimum a partner needs is chosen; the rest is not.
  for (const [section, checked] of [['identity', true], ['needs', true], ['person_contact', false], ['notes', false]]) {
    const box = await element(`packet-section-${section}`);
    assert.equal(await box.isSelected(), checked, section);
  }
  await select('packet-language', 'sq');
  const packet = join(out, 'packet.age');
  answerFileDialogs(packet);
  await click('packet-save');
  assert.match(await textOf('packet-sent'), /Qendra Partnere/);
  assert.match(await textOf('packet-keyed'), new RegExp(fingerprint));
  assert.equal((await driver.findElements(byTestId('packet-passphrase'))).length, 0);
  const asked = lastDialog();
  assert.equal(asked.kind, 'referral_packet');
  assert.match(asked.file_name, /^referral-[0-9a-f]{8}\.age$/, 'the name says nothing about the person');
  await visible('referral-packet-id');
  await saveScreenshot(driver, 'referral-sent');

  // The partner's side, with stock tools only.
  const opened = join(out, 'opened');
  mkdirSync(opened);
  const tarFile = join(out, 'packet.tar');
  execFileSync('age', ['-d', '-i', partnerKeyFile, '-o', tarFile, packet]);
  execFileSync('tar', ['-xf', tarFile, '-C', opened]);
  const summary = execFileSync('pdftotext', [join(opened, 'summary.pdf'), '-'], { encoding: 'utf8' });
  assert.match(summary, /Referim te Qendra Partnere/);
  assert.match(summary, /Drita/);
  assert.doesNotMatch(summary, /0691234567/, 'contact details were not chosen');
});

test('a supervisor refers without consent, with a reason, and sends it with a one-time passphrase', async () => {
  await openReferrals('Sofija');
  await select('referral-direction', 'Outgoing');
  await select('referral-partner', unkeyed);
  await visible('referral-consent-missing');
  await select('referral-reason', 'AdditionalServicesRequired');
  await type('referral-date', '2026-11-30');
  await select('referral-status', 'InProgress');
  await type('referral-consent-override-reason', 'Needs legal help before the hearing tomorrow');
  await click('referral-add');
  await driver.wait(async () => (await sendButtons()).length === 2, 10_000, 'the second referral is listed');
  const overridden = await driver.findElements(byTestId('referral-override'));
  assert.equal(overridden.length, 1);

  // The new referral is the newest: first in the list.
  const [send] = await sendButtons();
  await send.click();
  const packet = join(out, 'legal.age');
  answerFileDialogs(packet);
  await click('packet-save');
  assert.match(await textOf('packet-sent'), /Klinika Ligjore/);
  assert.match(await textOf('packet-passphrase'), /^([a-z2-9]{4}-){5}[a-z2-9]{4}$/);
  assert.ok(existsSync(packet));
  await saveScreenshot(driver, 'referral-passphrase');

  const audit = JSON.parse(hearth('--user', 'Sofija', 'audit', 'list', '--json'));
  const entries = audit.entries;
  assert.ok(entries.some((entry) => entry.action === 'send_referral' && entry.target_kind === 'packet'));
  assert.ok(
    entries.some((entry) => entry.fields.includes('referral.consent_override_reason')),
    'the override is audited',
  );
});

test('the printable summary is saved where the person chooses and reads back', async () => {
  await driver.executeScript(`window.location.hash = '#/cases/${caseId}'`);
  await visible('case-print');
  await select('case-print-language', 'sr-Cyrl');
  const pdf = join(out, 'summary.pdf');
  answerFileDialogs(pdf);
  await click('case-print-save');
  await visible('case-print-saved');
  assert.equal(lastDialog().kind, 'case_summary');
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /Сажетак случаја/);
  assert.match(text, /Drita/);
  assert.match(text, /0691234567/, 'the printed summary holds every section');
});
