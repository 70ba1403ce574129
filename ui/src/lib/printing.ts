// What the printed documents and referral packets offer: the languages a PDF is written in, and
// the sections of a case a packet may carry (the core's `Section`, less the two only a printed
// summary has). The core refuses anything else; these only say what to show.

import type { Section } from './bindings/Section';
import type { Language as PrintLanguage } from './bindings/PrintLanguage';
import type { MessageKey } from './i18n/i18n.svelte';
import type { Language } from './i18n/language';

export type { PrintLanguage, Section };

/** Every language a document is printed in, with the key of its name. */
export const PRINT_LANGUAGES: readonly { code: PrintLanguage; key: MessageKey }[] = [
  { code: 'en', key: 'language.en' },
  { code: 'sq', key: 'language.sq' },
  { code: 'sr', key: 'language.sr' },
  { code: 'sr-Cyrl', key: 'printLanguage.srCyrl' },
];

/** A new document's language: the UI's own. */
export function defaultPrintLanguage(ui: Language): PrintLanguage {
  return ui;
}

/** The sections a referral packet may carry, in the order they print. */
export const REFERRAL_SECTIONS: readonly Section[] = [
  'identity',
  'shelter_contact',
  'referral',
  'needs',
  'person_contact',
  'documents',
  'trafficking',
  'services',
  'notes',
];

/** What a packet carries unless the sender adds more: the minimum a partner needs. */
export const MINIMUM_SECTIONS: readonly Section[] = ['identity', 'shelter_contact', 'referral', 'needs'];

/** The catalogue key of a section's name. */
export function sectionKey(section: Section): MessageKey {
  return `section.${section}` as MessageKey;
}

/** The sections chosen, in print order, each once. */
export function chosenSections(chosen: ReadonlySet<Section>): Section[] {
  return REFERRAL_SECTIONS.filter((section) => chosen.has(section));
}
