// The emergency wipe asks the person to type a word in their language (settings.wipeWord) before
// it goes: enough to stop a stray click, no more than a few seconds in an emergency.

/** Whether `typed` is the confirmation word, whatever its case and the spaces around it. */
export function wipeConfirmed(typed: string, word: string): boolean {
  const fold = (text: string) => text.trim().normalize('NFC').toLocaleUpperCase();
  return word.trim() !== '' && fold(typed) === fold(word);
}
