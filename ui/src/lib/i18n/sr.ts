// Serbian, Latin script (Srpski). Formal "Vi", capitalised as in formal Serbian writing; buttons in
// the short imperative. Keys and {placeholders} must match en.ts exactly (i18n.test.ts checks).

import type { Catalogue } from './en';

export const sr: Catalogue = {
  'app.name': 'Hearth',
  'app.version': 'Verzija {version}',
  'app.versionUnknown': 'Verzija nepoznata: {message}',

  'start.loading': 'Pokretanje…',
  'start.failed': 'Hearth nije mogao da se pokrene: {message}',
  'start.retry': 'Pokušajte ponovo',

  'common.cancel': 'Otkaži',
  'common.loading': 'Učitavanje…',
  'common.retry': 'Pokušajte ponovo',
  'common.required': 'Molimo popunite ovo polje.',
  'common.advice': 'Saveti',

  'language.label': 'Jezik',
  'language.en': 'English',
  'language.sq': 'Shqip',
  'language.sr': 'Srpski',

  'duration.seconds': '{seconds} s',
  'duration.minutes': '{minutes} min',
  'duration.minutesSeconds': '{minutes} min {seconds} s',

  'role.admin': 'Administrator',
  'role.supervisor': 'Supervizor',
  'role.caseworker': 'Voditelj slučaja',

  'passphrase.show': 'Prikaži',
  'passphrase.hide': 'Sakrij',
  'passphrase.confirm': 'Unesite je ponovo',
  'passphrase.hint':
    'Nekoliko nepovezanih reči lakše je zapamtiti, a teže pogoditi, nego kratku lozinku. Ne koristite svoje ime ni naziv organizacije.',
  'passphrase.matches': 'Dve lozinke se poklapaju.',
  'passphrase.mismatch': 'Dve lozinke još nisu iste.',
  'passphrase.problem.missing': 'Molimo izaberite lozinku.',
  'passphrase.problem.weak':
    'Ova lozinka nije dovoljno jaka. Dodajte još nekoliko reči ili pratite savete ispod merača.',
  'passphrase.problem.confirmMissing': 'Molimo unesite lozinku još jednom.',
  'passphrase.problem.mismatch': 'Dve lozinke nisu iste. Molimo unesite ih ponovo.',

  'meter.label': 'Jačina',
  'meter.empty': 'Unesite lozinku da vidite koliko je jaka.',
  'meter.checking': 'Proverava se…',
  'meter.score0': 'Veoma slaba',
  'meter.score1': 'Slaba',
  'meter.score2': 'Osrednja',
  'meter.score3': 'Jaka',
  'meter.score4': 'Veoma jaka',
  'meter.acceptable': 'Dovoljno jaka.',
  'meter.notAcceptable': 'Još nije dovoljno jaka.',
  'meter.failed': 'Jačina nije mogla da se proveri: {message}',

  'firstRun.title': 'Podesite Hearth na ovom laptopu',
  'firstRun.intro':
    'Hearth još nije podešen na ovom laptopu. Popunite ove podatke da biste počeli. Vi ćete biti prvi administrator, a posle možete dodati svoje kolege.',
  'firstRun.organisation': 'Organizacija',
  'firstRun.organisationHint': 'Naziv Vaše organizacije.',
  'firstRun.site': 'Lokacija',
  'firstRun.siteHint': 'Gde se ovaj laptop koristi, na primer kancelarija ili grad.',
  'firstRun.admin': 'Vaše ime',
  'firstRun.adminHint':
    'Ovo postaje ime Vašeg naloga: unosićete ga svaki put kada otključavate Hearth.',
  'firstRun.passphrase': 'Izaberite lozinku',
  'firstRun.submit': 'Podesi Hearth',
  'firstRun.working':
    'Podešavanje je u toku. To traje nekoliko sekundi dok Hearth meri brzinu ovog laptopa…',

  'recovery.title': 'Vaš ključ za oporavak',
  'recovery.intro':
    'Ako se zaborave lozinke svih administratora, ovaj ključ je jedini način da se ponovo uđe. Hearth ga prikazuje samo sada, ovaj jedan put.',
  'recovery.instructions':
    'Zapišite ga na papir ili ga odštampajte, i čuvajte papir pod ključem, daleko od ovog laptopa. Nemojte ga fotografisati niti čuvati na računaru.',
  'recovery.keyLabel': 'Ključ za oporavak, u 8 grupa od po 6 cifara',
  'recovery.groupLabel': 'Grupa {number}',
  'recovery.print': 'Štampaj',
  'recovery.printTitle': 'Hearth: ključ za oporavak',
  'recovery.printInstructions':
    'Čuvajte ovaj papir pod ključem, odvojeno od laptopa. Pomoću njega administrator može da postavi novu lozinku ako se zaborave sve lozinke.',
  'recovery.written': 'Ključ je zapisan',
  'recovery.checkTitle': 'Proverite šta ste zapisali',
  'recovery.checkIntro':
    'Da biste bili sigurni da je ključ bezbedno na papiru, unesite jednu grupu sa svog papira.',
  'recovery.checkLabel': 'Unesite grupu {number}',
  'recovery.checkHint': 'Šest cifara, kao na Vašem papiru.',
  'recovery.checkWrong':
    'To nije grupa {number}. Pogledajte ponovo svoj papir ili se vratite da vidite ključ.',
  'recovery.continue': 'Nastavi',
  'recovery.back': 'Prikaži ključ ponovo',

  'unlock.heading': 'Otključavanje',
  'unlock.status': 'Zaključano',
  'unlock.account': 'Ime naloga',
  'unlock.passphrase': 'Lozinka',
  'unlock.submit': 'Otključaj',
  'unlock.working': 'Otključavanje…',
  'unlock.idleLocked': 'Hearth se sam zaključao jer se neko vreme nije koristio.',
  'unlock.sessionLost': 'Hearth je zaključan. Molimo otključajte ga ponovo.',
  'unlock.lockFailed':
    'Hearth nije mogao da završi zaključavanje ({message}). Zatvorite aplikaciju da biste bili sigurni da ništa ne ostaje otvoreno.',
  'unlock.tooMany':
    'Previše pogrešnih lozinki zaredom za ovaj nalog. Radi bezbednosti, Hearth čeka pre sledećeg pokušaja.',
  'unlock.waitLeft': 'Možete pokušati ponovo za {time}.',
  'unlock.waitOver': 'Sada možete pokušati ponovo.',

  'demo.title': 'Demo režim',
  'demo.intro':
    'Ova kopija aplikacije Hearth služi samo za isprobavanje. Ne unosite stvarne podatke.',
  'demo.account': 'Ime naloga',
  'demo.passphrase': 'Lozinka',
  'demo.fill': 'Popuni umesto mene',

  'header.signedInAs': 'Prijavljeni ste kao',
  'header.lock': 'Zaključaj',
  'header.lockShortcut': 'Ctrl+L',
  'header.skip': 'Preskoči na sadržaj',

  'nav.label': 'Odeljci',
  'nav.cases': 'Slučajevi',
  'nav.followups': 'Praćenja',
  'nav.audit': 'Revizija',
  'nav.sync': 'Sinhronizacija',
  'nav.accounts': 'Nalozi',
  'nav.settings': 'Podešavanja',
  'nav.myAccount': 'Moj nalog',
  'nav.about': 'O aplikaciji',

  'empty.later': 'Stiže u jednoj od sledećih verzija',
  'cases.title': 'Slučajevi',
  'cases.empty':
    'Evidencija slučajeva stiže u jednoj od sledećih verzija aplikacije Hearth. Ovde ćete naći svaku osobu kojoj pružate podršku: njene podatke, saglasnost, plan podrške, usluge i beleške.',
  'cases.adminNext': 'Za sada možete dodati naloge svog tima.',
  'cases.adminNextLink': 'Idi na Naloge',
  'followups.title': 'Praćenja',
  'followups.empty':
    'Praćenja stižu u jednoj od sledećih verzija aplikacije Hearth. Ovde ćete videti koja praćenja predstoje za slučajeve na kojima radite.',
  'audit.title': 'Revizija',
  'audit.empty':
    'Dnevnik revizije stiže u jednoj od sledećih verzija aplikacije Hearth. Ovde ćete videti ko je pregledao ili izmenio koji zapis, i kada.',
  'sync.title': 'Sinhronizacija',
  'sync.empty':
    'Sinhronizacija stiže u jednoj od sledećih verzija aplikacije Hearth. Ovde ćete razmenjivati zapise sa koordinacionom kancelarijom, kao šifrovane datoteke na USB memoriji ili putem e-pošte.',

  'refused.title': 'Nije dostupno Vašem nalogu',
  'refused.body':
    'Vaša uloga ne daje pristup ovoj stranici. Ako Vam je potrebna, molimo obratite se administratoru.',
  'refused.back': 'Idi na Slučajeve',

  'accounts.title': 'Nalozi',
  'accounts.intro':
    'Svako ko koristi Hearth na ovom laptopu ima svoj nalog. Svaka uloga vidi samo ono što je potrebno za njen posao.',
  'accounts.readOnly': 'Možete videti naloge. Samo administrator može da ih menja.',
  'accounts.loading': 'Učitavanje naloga…',
  'accounts.loadFailed': 'Nalozi nisu mogli da se učitaju: {message}',
  'accounts.listLabel': 'Nalozi na ovom laptopu',
  'accounts.name': 'Ime',
  'accounts.role': 'Uloga',
  'accounts.state': 'Stanje',
  'accounts.actions': 'Radnje',
  'accounts.active': 'Aktivan',
  'accounts.disabled': 'Onemogućen',
  'accounts.you': 'Ovo ste Vi',
  'accounts.disable': 'Onemogući',
  'accounts.disableNamed': 'Onemogući {name}',
  'accounts.enable': 'Omogući',
  'accounts.enableNamed': 'Omogući {name}',
  'accounts.reset': 'Resetuj lozinku',
  'accounts.resetNamed': 'Resetuj lozinku za {name}',
  'accounts.disabledDone': 'Nalog {name} je onemogućen. Njegova lozinka više ne otvara Hearth.',
  'accounts.enabledDone': 'Nalog {name} je ponovo aktivan, sa lozinkom koju je imao ranije.',
  'accounts.addTitle': 'Dodajte nalog',
  'accounts.addName': 'Ime',
  'accounts.addNameHint': 'Ime koje će osoba unositi da bi otključala Hearth.',
  'accounts.addRole': 'Uloga',
  'accounts.roleHelp':
    'Voditelji slučaja rade na slučajevima. Supervizori vide i dnevnik revizije i spisak naloga. Administratori upravljaju i nalozima i podešavanjima.',
  'accounts.addPassphrase': 'Prva lozinka',
  'accounts.addPassphraseHint':
    'Saopštite je osobi nasamo. Kasnije je može promeniti u odeljku Moj nalog.',
  'accounts.addSubmit': 'Dodaj nalog',
  'accounts.added': 'Nalog {name} je spreman.',
  'accounts.resetTitle': 'Nova lozinka za {name}',
  'accounts.resetPassphrase': 'Nova lozinka',
  'accounts.resetHint':
    'Saopštite novu lozinku osobi nasamo. Kasnije je može promeniti u odeljku Moj nalog.',
  'accounts.resetSubmit': 'Postavi novu lozinku',
  'accounts.resetDone': 'Nalog {name} se sada otključava novom lozinkom.',

  'settings.title': 'Podešavanja',
  'settings.idleTitle': 'Zaključavanje kada se ne koristi',
  'settings.idleLabel': 'Zaključaj Hearth posle ovoliko minuta bez aktivnosti',
  'settings.idleHint': 'Od 1 do 240 minuta. Kratko vreme štiti podatke kada neko ostavi laptop.',
  'settings.idleCurrent': 'Sada se Hearth zaključava posle {time} bez aktivnosti.',
  'settings.idleInvalid': 'Molimo unesite ceo broj minuta, od 1 do 240.',
  'settings.idleSave': 'Sačuvaj',
  'settings.idleSaved': 'Sačuvano. Hearth se sada zaključava posle {time} bez aktivnosti.',

  'myAccount.title': 'Moj nalog',
  'myAccount.who': 'Prijavljeni ste kao {name}, {role}.',
  'myAccount.passphraseTitle': 'Promenite svoju lozinku',
  'myAccount.current': 'Trenutna lozinka',
  'myAccount.new': 'Nova lozinka',
  'myAccount.submit': 'Promeni lozinku',
  'myAccount.changed':
    'Vaša lozinka je promenjena. Koristite novu kada sledeći put otključavate Hearth.',
  'myAccount.languageTitle': 'Jezik',
  'myAccount.languageLabel': 'Jezik aplikacije Hearth za Vaš nalog',
  'myAccount.languageSave': 'Sačuvaj jezik',
  'myAccount.languageSaved': 'Sačuvano. Hearth će za Vas koristiti ovaj jezik.',

  'about.title': 'O aplikaciji Hearth',
  'about.summary': 'Hearth čuva podatke šifrovane na ovom laptopu i radi bez ikakve mrežne veze.',
  'about.version': 'Verzija',
  'about.vaultTitle': 'Šifrovani podaci na ovom laptopu',
  'about.organisation': 'Organizacija',
  'about.site': 'Lokacija',
  'about.device': 'ID uređaja',
  'about.accounts': 'Nalozi',
  'about.accountsValue': 'aktivnih: {active}, ukupno: {total}',
  'about.schema': 'Verzija formata podataka',
  'about.sqlcipher': 'Verzija SQLCipher-a',
  'about.kdf': 'Izvođenje ključa',
  'about.loadFailed': 'Ovi podaci nisu mogli da se učitaju: {message}',
  'about.creditTitle': 'Zahvalnice',
  'about.credit':
    'Evidencija slučajeva u aplikaciji Hearth prati Standard podataka o slučajevima trgovine ljudima (Human Trafficking Case Data Standard, HTCDS) Međunarodne organizacije za migracije (IOM), koji se koristi pod licencom Creative Commons Attribution 4.0 (CC BY 4.0). IOM nije pregledao niti podržao Hearth i nije povezan sa njim.',

  'error.no_vault': 'Hearth još nije podešen na ovom laptopu.',
  'error.vault_exists': 'Hearth je već podešen na ovom laptopu.',
  'error.unknown_account': 'Ne postoji nalog sa ovim imenom. Molimo proverite kako je napisano.',
  'error.wrong_passphrase':
    'Lozinka nije ispravna za ovaj nalog. Proverite da li je Caps Lock isključen i pokušajte ponovo.',
  'error.account_disabled': 'Ovaj nalog je onemogućen. Administrator može ponovo da ga omogući.',
  'error.must_wait':
    'Previše pogrešnih lozinki zaredom. Molimo sačekajte {time} pre novog pokušaja.',
  'error.wrong_recovery_key': 'Ovaj ključ za oporavak ne otvara Hearth.',
  'error.recovery_key_mistyped':
    'U ključu za oporavak postoji greška u kucanju. Molimo proverite svaku grupu cifara.',
  'error.weak_passphrase': 'Ovu lozinku je previše lako pogoditi. Molimo izaberite jaču.',
  'error.invalid_name': 'Ovo ime ne može da se koristi. Molimo proverite ga i pokušajte ponovo.',
  'error.denied': 'Vaš nalog nema dozvolu za ovo.',
  'error.account_exists': 'Već postoji nalog sa ovim imenom.',
  'error.already_in_state': 'Ništa nije promenjeno: nalog je već bio u tom stanju.',
  'error.last_admin':
    'Ovo je poslednji aktivni administrator. Hearth mora imati bar jednog, pa ovo ne može da se uradi.',
  'error.own_account':
    'Ovo ne možete uraditi sa sopstvenim nalogom. Da biste promenili svoju lozinku, koristite Moj nalog.',
  'error.locked': 'Hearth je zaključan. Molimo otključajte ga ponovo.',
  'error.invalid_input': 'Nešto u obrascu nije ispravno. Molimo proverite i pokušajte ponovo.',
  'error.database':
    'Hearth nije mogao da pročita ili upiše svoje podatke, pa ništa nije promenjeno. Ako se ovo ponovi, obratite se osobi koja Vam pruža podršku za Hearth.',
  'error.key_slots_damaged':
    'Datoteka u kojoj Hearth čuva ključeve je oštećena, pa Hearth ne može da se otvori. Vratite je iz rezervne kopije ili se obratite osobi koja Vam pruža podršku za Hearth.',
  'error.slot_altered':
    'Datoteka u kojoj Hearth čuva ključeve izmenjena je izvan aplikacije Hearth, pa se neće otvoriti. Vratite je iz rezervne kopije ili se obratite osobi koja Vam pruža podršku za Hearth.',
  'error.own_passphrase':
    'Da biste promenili svoju lozinku, idite na Moj nalog i unesite trenutnu lozinku.',
  'error.folder':
    'Hearth nije mogao da koristi fasciklu u kojoj se čuvaju podaci. Proverite da li je disk povezan i da nije pun, pa pokušajte ponovo.',
  'error.too_many_accounts': 'Ovaj laptop već ima onoliko naloga koliko Hearth može da primi.',
  'error.schema_too_new':
    'Ove podatke je upisala novija verzija aplikacije Hearth. Molimo instalirajte tu verziju.',
};
