// Albanian (Shqip). Formal "ju" in sentences; buttons in the short imperative, as Albanian software
// usually writes them. Keys and {placeholders} must match en.ts exactly (i18n.test.ts checks).

import type { Catalogue } from './en';

export const sq: Catalogue = {
  'app.name': 'Hearth',
  'app.version': 'Versioni {version}',
  'app.versionUnknown': 'Versioni i panjohur: {message}',

  'start.loading': 'Po niset…',
  'start.failed': 'Hearth nuk mundi të niset: {message}',
  'start.retry': 'Provoni përsëri',

  'common.cancel': 'Anulo',
  'common.loading': 'Po ngarkohet…',
  'common.retry': 'Provoni përsëri',
  'common.required': 'Ju lutemi plotësoni këtë fushë.',
  'common.advice': 'Këshilla',

  'language.label': 'Gjuha',
  'language.en': 'English',
  'language.sq': 'Shqip',
  'language.sr': 'Srpski',

  'duration.seconds': '{seconds} s',
  'duration.minutes': '{minutes} min',
  'duration.minutesSeconds': '{minutes} min {seconds} s',

  'role.admin': 'Administrator',
  'role.supervisor': 'Mbikëqyrës',
  'role.caseworker': 'Menaxher rasti',

  'passphrase.show': 'Shfaq',
  'passphrase.hide': 'Fshih',
  'passphrase.confirm': 'Shkruajeni përsëri',
  'passphrase.hint':
    'Disa fjalë pa lidhje me njëra-tjetrën mbahen mend më lehtë dhe gjenden më vështirë se një fjalëkalim i shkurtër. Mos përdorni emrin tuaj ose emrin e organizatës.',
  'passphrase.matches': 'Dy fjalëkalimet përputhen.',
  'passphrase.mismatch': 'Dy fjalëkalimet ende nuk janë të njëjta.',
  'passphrase.problem.missing': 'Ju lutemi zgjidhni një fjalëkalim.',
  'passphrase.problem.weak':
    'Ky fjalëkalim nuk është mjaftueshëm i fortë. Shtoni disa fjalë të tjera, ose ndiqni këshillat poshtë matësit.',
  'passphrase.problem.confirmMissing': 'Ju lutemi shkruajeni fjalëkalimin edhe një herë.',
  'passphrase.problem.mismatch':
    'Dy fjalëkalimet nuk janë të njëjta. Ju lutemi shkruajini përsëri.',

  'meter.label': 'Forca',
  'meter.empty': 'Shkruani një fjalëkalim për të parë sa i fortë është.',
  'meter.checking': 'Po kontrollohet…',
  'meter.score0': 'Shumë i dobët',
  'meter.score1': 'I dobët',
  'meter.score2': 'Mesatar',
  'meter.score3': 'I fortë',
  'meter.score4': 'Shumë i fortë',
  'meter.acceptable': 'Mjaftueshëm i fortë.',
  'meter.notAcceptable': 'Ende jo mjaftueshëm i fortë.',
  'meter.failed': 'Forca nuk mundi të kontrollohej: {message}',

  'firstRun.title': 'Konfiguroni Hearth në këtë laptop',
  'firstRun.intro':
    'Hearth ende nuk është konfiguruar në këtë laptop. Plotësoni këto të dhëna për të filluar. Ju do të jeni administratori i parë dhe më pas mund të shtoni kolegët tuaj.',
  'firstRun.organisation': 'Organizata',
  'firstRun.organisationHint': 'Emri i organizatës suaj.',
  'firstRun.site': 'Vendndodhja',
  'firstRun.siteHint': 'Ku përdoret ky laptop, për shembull zyra ose qyteti.',
  'firstRun.admin': 'Emri juaj',
  'firstRun.adminHint': 'Ky bëhet emri i llogarisë suaj: do ta shkruani sa herë që shkyçni Hearth.',
  'firstRun.passphrase': 'Zgjidhni një fjalëkalim',
  'firstRun.submit': 'Konfiguro Hearth',
  'firstRun.working':
    'Po konfigurohet. Kjo zgjat disa sekonda, ndërsa Hearth mat shpejtësinë e këtij laptopi…',

  'recovery.title': 'Çelësi juaj i rikuperimit',
  'recovery.intro':
    'Nëse harrohen fjalëkalimet e të gjithë administratorëve, ky çelës është e vetmja mënyrë për të hyrë përsëri. Hearth e shfaq vetëm tani, këtë herë të vetme.',
  'recovery.instructions':
    'Shkruajeni në letër, ose printojeni, dhe mbajeni letrën të mbyllur, larg këtij laptopi. Mos e fotografoni dhe mos e ruani në kompjuter.',
  'recovery.keyLabel': 'Çelësi i rikuperimit, në 8 grupe me nga 6 shifra',
  'recovery.groupLabel': 'Grupi {number}',
  'recovery.print': 'Printo',
  'recovery.printTitle': 'Çelësi i rikuperimit të Hearth',
  'recovery.printInstructions':
    'Mbajeni këtë letër të mbyllur, larg laptopit. Me të, një administrator mund të vendosë një fjalëkalim të ri nëse harrohen të gjitha fjalëkalimet.',
  'recovery.written': 'E kam shkruar',
  'recovery.checkTitle': 'Kontrolloni atë që shkruat',
  'recovery.checkIntro':
    'Për t’u siguruar që çelësi është ruajtur në letër, shkruani një grup nga letra juaj.',
  'recovery.checkLabel': 'Shkruani grupin {number}',
  'recovery.checkHint': 'Gjashtë shifra, siç janë në letrën tuaj.',
  'recovery.checkWrong':
    'Ky nuk është grupi {number}. Shikoni përsëri letrën tuaj, ose kthehuni për të parë çelësin.',
  'recovery.continue': 'Vazhdo',
  'recovery.back': 'Shfaq përsëri çelësin',

  'unlock.heading': 'Shkyçja',
  'unlock.status': 'I kyçur',
  'unlock.account': 'Emri i llogarisë',
  'unlock.passphrase': 'Fjalëkalimi',
  'unlock.submit': 'Shkyç',
  'unlock.working': 'Po shkyçet…',
  'unlock.idleLocked': 'Hearth u kyç vetë, sepse nuk u përdor për një kohë.',
  'unlock.sessionLost': 'Hearth u kyç. Ju lutemi shkyçeni përsëri.',
  'unlock.lockFailed':
    'Hearth nuk mundi ta përfundonte kyçjen ({message}). Mbyllni aplikacionin për të qenë të sigurt që asgjë nuk mbetet e hapur.',
  'unlock.tooMany':
    'Shumë fjalëkalime të gabuara radhazi për këtë llogari. Për siguri, Hearth pret para provës së ardhshme.',
  'unlock.waitLeft': 'Mund të provoni përsëri pas {time}.',
  'unlock.waitOver': 'Tani mund të provoni përsëri.',

  'demo.title': 'Modaliteti demo',
  'demo.intro': 'Kjo kopje e Hearth është vetëm për provë. Mos futni të dhëna të vërteta.',
  'demo.account': 'Emri i llogarisë',
  'demo.passphrase': 'Fjalëkalimi',
  'demo.fill': 'Plotësoji për mua',

  'header.signedInAs': 'Jeni identifikuar si',
  'header.lock': 'Kyç',
  'header.lockShortcut': 'Ctrl+L',
  'header.skip': 'Kalo te përmbajtja',

  'nav.label': 'Seksionet',
  'nav.cases': 'Rastet',
  'nav.followups': 'Ndjekjet',
  'nav.audit': 'Auditimi',
  'nav.sync': 'Sinkronizimi',
  'nav.accounts': 'Llogaritë',
  'nav.settings': 'Cilësimet',
  'nav.myAccount': 'Llogaria ime',
  'nav.about': 'Rreth Hearth',

  'empty.later': 'Vjen në një version të mëvonshëm',
  'cases.title': 'Rastet',
  'cases.empty':
    'Të dhënat e rasteve vijnë në një version të mëvonshëm të Hearth. Këtu do të gjeni çdo person që mbështesni: të dhënat e tij ose të saj, pëlqimin, planin e mbështetjes, shërbimet dhe shënimet.',
  'cases.adminNext': 'Tani për tani, mund të shtoni llogaritë e ekipit tuaj.',
  'cases.adminNextLink': 'Shko te Llogaritë',
  'followups.title': 'Ndjekjet',
  'followups.empty':
    'Ndjekjet vijnë në një version të mëvonshëm të Hearth. Këtu do të shihni cilat ndjekje duhen bërë për rastet ku punoni.',
  'audit.title': 'Auditimi',
  'audit.empty':
    'Regjistri i auditimit vjen në një version të mëvonshëm të Hearth. Këtu do të shihni kush e pa ose e ndryshoi cilën të dhënë, dhe kur.',
  'sync.title': 'Sinkronizimi',
  'sync.empty':
    'Sinkronizimi vjen në një version të mëvonshëm të Hearth. Këtu do të shkëmbeni të dhëna me zyrën koordinuese, si skedarë të enkriptuar në një USB ose me e-mail.',

  'refused.title': 'Nuk është e disponueshme për llogarinë tuaj',
  'refused.body':
    'Roli juaj nuk jep qasje në këtë faqe. Nëse ju nevojitet, ju lutemi pyesni një administrator.',
  'refused.back': 'Shko te Rastet',

  'accounts.title': 'Llogaritë',
  'accounts.intro':
    'Çdokush që përdor Hearth në këtë laptop ka llogarinë e vet. Çdo rol sheh vetëm atë që i nevojitet për punën.',
  'accounts.readOnly': 'Ju mund t’i shihni llogaritë. Vetëm një administrator mund t’i ndryshojë.',
  'accounts.loading': 'Po ngarkohen llogaritë…',
  'accounts.loadFailed': 'Llogaritë nuk mundën të ngarkoheshin: {message}',
  'accounts.listLabel': 'Llogaritë në këtë laptop',
  'accounts.name': 'Emri',
  'accounts.role': 'Roli',
  'accounts.state': 'Gjendja',
  'accounts.actions': 'Veprimet',
  'accounts.active': 'Aktive',
  'accounts.disabled': 'Çaktivizuar',
  'accounts.you': 'Kjo jeni ju',
  'accounts.disable': 'Çaktivizo',
  'accounts.disableNamed': 'Çaktivizo {name}',
  'accounts.enable': 'Aktivizo',
  'accounts.enableNamed': 'Aktivizo {name}',
  'accounts.reset': 'Rivendos fjalëkalimin',
  'accounts.resetNamed': 'Rivendos fjalëkalimin për {name}',
  'accounts.disabledDone':
    'Llogaria e {name} u çaktivizua. Fjalëkalimi i kësaj llogarie nuk e hap më Hearth.',
  'accounts.enabledDone':
    'Llogaria e {name} është përsëri aktive, me fjalëkalimin që kishte më parë.',
  'accounts.addTitle': 'Shtoni një llogari',
  'accounts.addName': 'Emri',
  'accounts.addNameHint': 'Emri që personi do të shkruajë për të shkyçur Hearth.',
  'accounts.addRole': 'Roli',
  'accounts.roleHelp':
    'Menaxherët e rastit punojnë me rastet. Mbikëqyrësit shohin gjithashtu regjistrin e auditimit dhe listën e llogarive. Administratorët menaxhojnë gjithashtu llogaritë dhe cilësimet.',
  'accounts.addPassphrase': 'Fjalëkalimi i parë',
  'accounts.addPassphraseHint':
    'Tregojani personit privatisht. Më vonë mund ta ndryshojë te Llogaria ime.',
  'accounts.addSubmit': 'Shto llogarinë',
  'accounts.added': 'Llogaria e {name} është gati.',
  'accounts.resetTitle': 'Fjalëkalim i ri për {name}',
  'accounts.resetPassphrase': 'Fjalëkalimi i ri',
  'accounts.resetHint':
    'Tregojani personit fjalëkalimin e ri privatisht. Më vonë mund ta ndryshojë te Llogaria ime.',
  'accounts.resetSubmit': 'Vendos fjalëkalimin e ri',
  'accounts.resetDone': '{name} tani mund ta shkyçë Hearth me fjalëkalimin e ri.',

  'settings.title': 'Cilësimet',
  'settings.idleTitle': 'Kyçja kur nuk përdoret',
  'settings.idleLabel': 'Kyç Hearth pas kaq minutash pa aktivitet',
  'settings.idleHint':
    'Nga 1 deri në 240 minuta. Një kohë e shkurtër i mbron të dhënat kur dikush largohet nga laptopi.',
  'settings.idleCurrent': 'Tani Hearth kyçet pas {time} pa aktivitet.',
  'settings.idleInvalid': 'Ju lutemi shkruani një numër të plotë minutash, nga 1 deri në 240.',
  'settings.idleSave': 'Ruaj',
  'settings.idleSaved': 'U ruajt. Tani Hearth kyçet pas {time} pa aktivitet.',

  'myAccount.title': 'Llogaria ime',
  'myAccount.who': 'Jeni identifikuar si {name}, {role}.',
  'myAccount.passphraseTitle': 'Ndryshoni fjalëkalimin tuaj',
  'myAccount.current': 'Fjalëkalimi aktual',
  'myAccount.new': 'Fjalëkalimi i ri',
  'myAccount.submit': 'Ndrysho fjalëkalimin',
  'myAccount.changed':
    'Fjalëkalimi juaj u ndryshua. Përdorni të riun herën tjetër që shkyçni Hearth.',
  'myAccount.languageTitle': 'Gjuha',
  'myAccount.languageLabel': 'Gjuha e Hearth për llogarinë tuaj',
  'myAccount.languageSave': 'Ruaj gjuhën',
  'myAccount.languageSaved': 'U ruajt. Hearth do të përdorë këtë gjuhë për ju.',

  'about.title': 'Rreth Hearth',
  'about.summary':
    'Hearth i mban të dhënat të enkriptuara në këtë laptop dhe punon pa asnjë lidhje me rrjetin.',
  'about.version': 'Versioni',
  'about.vaultTitle': 'Të dhënat e enkriptuara në këtë laptop',
  'about.organisation': 'Organizata',
  'about.site': 'Vendndodhja',
  'about.device': 'ID e pajisjes',
  'about.accounts': 'Llogaritë',
  'about.accountsValue': '{active} aktive, {total} gjithsej',
  'about.schema': 'Versioni i formatit të të dhënave',
  'about.sqlcipher': 'Versioni i SQLCipher',
  'about.kdf': 'Derivimi i çelësit',
  'about.loadFailed': 'Këto të dhëna nuk mundën të ngarkoheshin: {message}',
  'about.creditTitle': 'Falënderime',
  'about.credit':
    'Të dhënat e rasteve në Hearth ndjekin Standardin e të Dhënave të Rasteve të Trafikimit të Qenieve Njerëzore (Human Trafficking Case Data Standard, HTCDS) të Organizatës Ndërkombëtare për Migracionin (IOM), të përdorur sipas licencës Creative Commons Attribution 4.0 (CC BY 4.0). IOM nuk e ka shqyrtuar as miratuar Hearth dhe nuk ka lidhje me të.',

  'error.no_vault': 'Hearth ende nuk është konfiguruar në këtë laptop.',
  'error.vault_exists': 'Hearth është konfiguruar tashmë në këtë laptop.',
  'error.unknown_account':
    'Nuk ka asnjë llogari me këtë emër. Ju lutemi kontrolloni drejtshkrimin.',
  'error.wrong_passphrase':
    'Fjalëkalimi nuk është i saktë për këtë llogari. Kontrolloni që Caps Lock të jetë i fikur dhe provoni përsëri.',
  'error.account_disabled':
    'Kjo llogari është çaktivizuar. Një administrator mund ta aktivizojë përsëri.',
  'error.must_wait':
    'Shumë fjalëkalime të gabuara radhazi. Ju lutemi prisni {time} para se të provoni përsëri.',
  'error.wrong_recovery_key': 'Ky çelës rikuperimi nuk e hap Hearth.',
  'error.recovery_key_mistyped':
    'Çelësi i rikuperimit ka një gabim shtypi. Ju lutemi kontrolloni çdo grup shifrash.',
  'error.weak_passphrase': 'Ky fjalëkalim gjendet shumë lehtë. Ju lutemi zgjidhni një më të fortë.',
  'error.invalid_name':
    'Ky emër nuk mund të përdoret. Ju lutemi kontrollojeni dhe provoni përsëri.',
  'error.denied': 'Llogaria juaj nuk ka leje ta bëjë këtë.',
  'error.account_exists': 'Ka tashmë një llogari me këtë emër.',
  'error.already_in_state': 'Asgjë nuk ndryshoi: llogaria ishte tashmë në atë gjendje.',
  'error.last_admin':
    'Ky është administratori i fundit aktiv. Hearth ka nevojë për të paktën një, prandaj kjo nuk mund të bëhet.',
  'error.own_account':
    'Këtë nuk mund ta bëni me llogarinë tuaj. Për të ndryshuar fjalëkalimin tuaj, përdorni Llogaria ime.',
  'error.locked': 'Hearth është kyçur. Ju lutemi shkyçeni përsëri.',
  'error.invalid_input':
    'Diçka në formular nuk është e vlefshme. Ju lutemi kontrollojeni dhe provoni përsëri.',
  'error.database':
    'Hearth nuk mundi të lexonte ose të shkruante të dhënat e veta, prandaj asgjë nuk u ndryshua. Nëse kjo ndodh përsëri, kontaktoni personin që ju ndihmon me Hearth.',
  'error.key_slots_damaged':
    'Skedari që mban çelësat e Hearth është dëmtuar, prandaj Hearth nuk mund të hapet. Riktheni atë nga një kopje rezervë, ose kontaktoni personin që ju ndihmon me Hearth.',
  'error.slot_altered':
    'Skedari që mban çelësat e Hearth është ndryshuar jashtë Hearth, prandaj nuk do të hapet. Riktheni atë nga një kopje rezervë, ose kontaktoni personin që ju ndihmon me Hearth.',
  'error.own_passphrase':
    'Për të ndryshuar fjalëkalimin tuaj, shkoni te Llogaria ime dhe jepni fjalëkalimin aktual.',
  'error.folder':
    'Hearth nuk mundi të përdorë dosjen ku mbahen të dhënat. Kontrolloni që disku të jetë i lidhur dhe jo plot, pastaj provoni përsëri.',
  'error.too_many_accounts': 'Ky laptop ka tashmë aq llogari sa mund të mbajë Hearth.',
  'error.schema_too_new':
    'Këto të dhëna janë shkruar nga një version më i ri i Hearth. Ju lutemi instaloni atë version.',
};
