import { describe, expect, it } from 'vitest';
import { wipeConfirmed } from './wipeConfirmation';

describe('wipeConfirmed', () => {
  it('takes the word in any case, with spaces around it', () => {
    expect(wipeConfirmed('WIPE', 'WIPE')).toBe(true);
    expect(wipeConfirmed('  wipe ', 'WIPE')).toBe(true);
    expect(wipeConfirmed('obriši', 'OBRIŠI')).toBe(true);
    expect(wipeConfirmed('fshij', 'FSHIJ')).toBe(true);
  });

  it('takes a letter with its mark typed as two characters', () => {
    expect(wipeConfirmed('obris\u030Ci', 'OBRIŠI')).toBe(true);
  });

  it('refuses anything else, and an empty word', () => {
    expect(wipeConfirmed('wipe it', 'WIPE')).toBe(false);
    expect(wipeConfirmed('', 'WIPE')).toBe(false);
    expect(wipeConfirmed('obrisi', 'OBRIŠI')).toBe(false);
    expect(wipeConfirmed('', '')).toBe(false);
  });
});
