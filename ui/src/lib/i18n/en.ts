// English: the reference catalogue. Every other language has exactly these keys and, in each text,
// the same {placeholders} (i18n.test.ts checks both).
//
// Texts shown before unlock (app, start, language, firstRun, recovery, unlock, demo, passphrase,
// meter, error) must not say what Hearth holds or who uses it: anyone may see that screen.

export const en = {
  'app.name': 'Hearth',
  'app.version': 'Version {version}',
  'app.versionUnknown': 'Version unknown: {message}',

  'start.loading': 'Starting…',
  'start.failed': 'Hearth could not start: {message}',
  'start.retry': 'Try again',

  'common.cancel': 'Cancel',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.required': 'Please fill in this field.',
  'common.advice': 'Advice',

  'language.label': 'Language',
  'language.en': 'English',
  'language.sq': 'Shqip',
  'language.sr': 'Srpski',

  'duration.seconds': '{seconds} s',
  'duration.minutes': '{minutes} min',
  'duration.minutesSeconds': '{minutes} min {seconds} s',

  'role.admin': 'Administrator',
  'role.supervisor': 'Supervisor',
  'role.caseworker': 'Caseworker',

  'passphrase.show': 'Show',
  'passphrase.hide': 'Hide',
  'passphrase.confirm': 'Type it again',
  'passphrase.hint':
    'A few unrelated words are easier to remember and harder to guess than a short password. Do not use your name or the name of the organisation.',
  'passphrase.matches': 'The two passphrases match.',
  'passphrase.mismatch': 'The two passphrases are not the same yet.',
  'passphrase.problem.missing': 'Please choose a passphrase.',
  'passphrase.problem.weak':
    'This passphrase is not strong enough. Add a few more words, or follow the advice under the meter.',
  'passphrase.problem.confirmMissing': 'Please type the passphrase a second time.',
  'passphrase.problem.mismatch': 'The two passphrases are not the same. Please type them again.',

  'meter.label': 'Strength',
  'meter.empty': 'Type a passphrase to see how strong it is.',
  'meter.checking': 'Checking…',
  'meter.score0': 'Very weak',
  'meter.score1': 'Weak',
  'meter.score2': 'Fair',
  'meter.score3': 'Strong',
  'meter.score4': 'Very strong',
  'meter.acceptable': 'Strong enough.',
  'meter.notAcceptable': 'Not strong enough yet.',
  'meter.failed': 'The strength could not be checked: {message}',

  'firstRun.title': 'Set up Hearth on this laptop',
  'firstRun.intro':
    'Hearth has not been set up on this laptop yet. Fill in these details to start. You will be the first administrator, and you can add your colleagues afterwards.',
  'firstRun.organisation': 'Organisation',
  'firstRun.organisationHint': 'The name of your organisation.',
  'firstRun.site': 'Site',
  'firstRun.siteHint': 'Where this laptop is used, for example the office or the town.',
  'firstRun.admin': 'Your name',
  'firstRun.adminHint':
    'This becomes your account name: you will type it each time you unlock Hearth.',
  'firstRun.passphrase': 'Choose a passphrase',
  'firstRun.submit': 'Set up Hearth',
  'firstRun.working':
    'Setting up. This takes a few seconds while Hearth measures the speed of this laptop…',

  'recovery.title': 'Your recovery key',
  'recovery.intro':
    'If the passphrases of all administrators are forgotten, this key is the only way back in. Hearth shows it only now, this once.',
  'recovery.instructions':
    'Write it on paper, or print it, and keep the paper locked away from this laptop. Do not photograph it or save it on a computer.',
  'recovery.keyLabel': 'Recovery key, in 8 groups of 6 digits',
  'recovery.groupLabel': 'Group {number}',
  'recovery.print': 'Print',
  'recovery.printTitle': 'Hearth recovery key',
  'recovery.printInstructions':
    'Keep this paper locked away, apart from the laptop. With it, an administrator can set a new passphrase if all passphrases are forgotten.',
  'recovery.written': 'I have written it down',
  'recovery.checkTitle': 'Check what you wrote',
  'recovery.checkIntro': 'To be sure the key is safely on paper, type one group from your paper.',
  'recovery.checkLabel': 'Type group {number}',
  'recovery.checkHint': 'Six digits, as they are on your paper.',
  'recovery.checkWrong':
    'That is not group {number}. Look at your paper again, or go back to see the key.',
  'recovery.continue': 'Continue',
  'recovery.back': 'Show the key again',

  'unlock.heading': 'Unlock',
  'unlock.status': 'Locked',
  'unlock.account': 'Account name',
  'unlock.passphrase': 'Passphrase',
  'unlock.submit': 'Unlock',
  'unlock.working': 'Unlocking…',
  'unlock.idleLocked': 'Hearth locked itself because it was not used for a while.',
  'unlock.sessionLost': 'Hearth was locked. Please unlock it again.',
  'unlock.lockFailed':
    'Hearth could not finish locking ({message}). Close the app to be sure nothing stays open.',
  'unlock.tooMany':
    'Too many wrong passphrases in a row for this account. For safety, Hearth waits before the next try.',
  'unlock.waitLeft': 'You can try again in {time}.',
  'unlock.waitOver': 'You can try again now.',

  'demo.title': 'Demo mode',
  'demo.intro': 'This copy of Hearth is for trying it out only. Do not enter real information.',
  'demo.account': 'Account name',
  'demo.passphrase': 'Passphrase',
  'demo.fill': 'Fill these in for me',

  'header.signedInAs': 'Signed in as',
  'header.lock': 'Lock',
  'header.lockShortcut': 'Ctrl+L',
  'header.skip': 'Skip to content',

  'nav.label': 'Sections',
  'nav.cases': 'Cases',
  'nav.followups': 'Follow-ups',
  'nav.audit': 'Audit',
  'nav.sync': 'Sync',
  'nav.accounts': 'Accounts',
  'nav.settings': 'Settings',
  'nav.myAccount': 'My account',
  'nav.about': 'About',

  'empty.later': 'Coming in a later version',
  'cases.title': 'Cases',
  'cases.empty':
    'Case records arrive in a later version of Hearth. Here you will find each person you support: their details, consent, support plan, services and notes.',
  'cases.adminNext': 'For now, you can add the accounts of your team.',
  'cases.adminNextLink': 'Go to Accounts',
  'followups.title': 'Follow-ups',
  'followups.empty':
    'Follow-ups arrive in a later version of Hearth. Here you will see which follow-ups are due for the cases you work on.',
  'audit.title': 'Audit',
  'audit.empty':
    'The audit log arrives in a later version of Hearth. Here you will see who looked at or changed which record, and when.',
  'sync.title': 'Sync',
  'sync.empty':
    'Sync arrives in a later version of Hearth. Here you will exchange records with the coordinating office, as encrypted files on a USB stick or by e-mail.',

  'refused.title': 'Not available to your account',
  'refused.body':
    'Your role does not give access to this page. If you need it, please ask an administrator.',
  'refused.back': 'Go to Cases',

  'accounts.title': 'Accounts',
  'accounts.intro':
    'Everyone who uses Hearth on this laptop has their own account. Each role sees only what its work needs.',
  'accounts.readOnly': 'You can see the accounts. Only an administrator can change them.',
  'accounts.loading': 'Loading accounts…',
  'accounts.loadFailed': 'The accounts could not be loaded: {message}',
  'accounts.listLabel': 'Accounts on this laptop',
  'accounts.name': 'Name',
  'accounts.role': 'Role',
  'accounts.state': 'State',
  'accounts.actions': 'Actions',
  'accounts.active': 'Active',
  'accounts.disabled': 'Disabled',
  'accounts.you': 'This is you',
  'accounts.disable': 'Disable',
  'accounts.disableNamed': 'Disable {name}',
  'accounts.enable': 'Enable',
  'accounts.enableNamed': 'Enable {name}',
  'accounts.reset': 'Reset passphrase',
  'accounts.resetNamed': 'Reset passphrase of {name}',
  'accounts.disabledDone': '{name} is disabled. Their passphrase no longer opens Hearth.',
  'accounts.enabledDone': '{name} is active again, with the passphrase they had before.',
  'accounts.addTitle': 'Add an account',
  'accounts.addName': 'Name',
  'accounts.addNameHint': 'The name the person will type to unlock Hearth.',
  'accounts.addRole': 'Role',
  'accounts.roleHelp':
    'Caseworkers work on cases. Supervisors can also see the audit log and the list of accounts. Administrators can also manage accounts and settings.',
  'accounts.addPassphrase': 'First passphrase',
  'accounts.addPassphraseHint':
    'Tell it to the person in private. They can change it later under My account.',
  'accounts.addSubmit': 'Add account',
  'accounts.added': 'The account of {name} is ready.',
  'accounts.resetTitle': 'New passphrase for {name}',
  'accounts.resetPassphrase': 'New passphrase',
  'accounts.resetHint':
    'Tell the new passphrase to the person in private. They can change it later under My account.',
  'accounts.resetSubmit': 'Set new passphrase',
  'accounts.resetDone': '{name} can now unlock Hearth with the new passphrase.',

  'settings.title': 'Settings',
  'settings.idleTitle': 'Locking when not in use',
  'settings.idleLabel': 'Lock Hearth after this many minutes without activity',
  'settings.idleHint':
    'From 1 to 240 minutes. A short time protects the records when someone leaves the laptop.',
  'settings.idleCurrent': 'Now Hearth locks after {time} without activity.',
  'settings.idleInvalid': 'Please enter a whole number of minutes, from 1 to 240.',
  'settings.idleSave': 'Save',
  'settings.idleSaved': 'Saved. Hearth now locks after {time} without activity.',

  'myAccount.title': 'My account',
  'myAccount.who': 'You are signed in as {name}, {role}.',
  'myAccount.passphraseTitle': 'Change your passphrase',
  'myAccount.current': 'Current passphrase',
  'myAccount.new': 'New passphrase',
  'myAccount.submit': 'Change passphrase',
  'myAccount.changed':
    'Your passphrase is changed. Use the new one the next time you unlock Hearth.',
  'myAccount.languageTitle': 'Language',
  'myAccount.languageLabel': 'Language of Hearth for your account',
  'myAccount.languageSave': 'Save language',
  'myAccount.languageSaved': 'Saved. Hearth will use this language for you.',

  'about.title': 'About Hearth',
  'about.summary':
    'Hearth keeps records encrypted on this laptop and works without any network connection.',
  'about.version': 'Version',
  'about.vaultTitle': 'The encrypted data on this laptop',
  'about.organisation': 'Organisation',
  'about.site': 'Site',
  'about.device': 'Device ID',
  'about.accounts': 'Accounts',
  'about.accountsValue': '{active} active, {total} in all',
  'about.schema': 'Data format version',
  'about.sqlcipher': 'SQLCipher version',
  'about.kdf': 'Key derivation',
  'about.loadFailed': 'These details could not be loaded: {message}',
  'about.creditTitle': 'Credits',
  'about.credit':
    'The case records of Hearth follow the Human Trafficking Case Data Standard (HTCDS) of the International Organization for Migration (IOM), used under the Creative Commons Attribution 4.0 licence (CC BY 4.0). IOM has not reviewed or endorsed Hearth and is not connected with it.',

  'error.no_vault': 'Hearth has not been set up on this laptop yet.',
  'error.vault_exists': 'Hearth is already set up on this laptop.',
  'error.unknown_account': 'There is no account with this name. Please check the spelling.',
  'error.wrong_passphrase':
    'The passphrase is not right for this account. Check that Caps Lock is off, and try again.',
  'error.account_disabled': 'This account is disabled. An administrator can enable it again.',
  'error.must_wait': 'Too many wrong passphrases in a row. Please wait {time} before trying again.',
  'error.wrong_recovery_key': 'This recovery key does not open Hearth.',
  'error.recovery_key_mistyped':
    'The recovery key has a typing mistake. Please check each group of digits.',
  'error.weak_passphrase': 'This passphrase is too easy to guess. Please choose a stronger one.',
  'error.invalid_name': 'This name cannot be used. Please check it and try again.',
  'error.denied': 'Your account is not allowed to do this.',
  'error.account_exists': 'There is already an account with this name.',
  'error.already_in_state': 'Nothing changed: the account was already in that state.',
  'error.last_admin':
    'This is the last active administrator. Hearth needs at least one, so this cannot be done.',
  'error.own_account':
    'You cannot do this to your own account. To change your own passphrase, use My account.',
  'error.locked': 'Hearth is locked. Please unlock it again.',
  'error.invalid_input': 'Something in the form is not valid. Please check it and try again.',
  'error.database':
    'Hearth could not read or write its data, so nothing was changed. If this happens again, contact the person who supports Hearth for you.',
  'error.key_slots_damaged':
    'The file that holds the keys of Hearth is damaged, so Hearth cannot open. Restore it from a backup, or contact the person who supports Hearth for you.',
  'error.slot_altered':
    'The file that holds the keys of Hearth was changed outside Hearth, so it will not open. Restore it from a backup, or contact the person who supports Hearth for you.',
  'error.own_passphrase':
    'To change your own passphrase, go to My account and give your current passphrase.',
  'error.folder':
    'Hearth could not use the folder where its data is kept. Check that the disk is connected and not full, then try again.',
  'error.too_many_accounts': 'This laptop already has as many accounts as Hearth can hold.',
  'error.schema_too_new':
    'This data was written by a newer version of Hearth. Please install that version.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
