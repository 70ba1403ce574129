import { describe, expect, it } from 'vitest';
import { caseTeam } from './caseTeam';

const people = { o1: 'Ana Hoxha', a1: 'Besa Krasniqi', a2: 'Dragan Petrović' };

describe('caseTeam', () => {
  it('is the owner, then the assigned caseworkers, by name', () => {
    expect(caseTeam({ owner: 'o1', assigned: ['a2', 'a1'] }, people, '?')).toStrictEqual([
      { id: 'o1', name: 'Ana Hoxha' },
      { id: 'a2', name: 'Dragan Petrović' },
      { id: 'a1', name: 'Besa Krasniqi' },
    ]);
  });

  it('names each person once, even an owner also assigned', () => {
    expect(caseTeam({ owner: 'o1', assigned: ['o1', 'a1'] }, people, '?')).toStrictEqual([
      { id: 'o1', name: 'Ana Hoxha' },
      { id: 'a1', name: 'Besa Krasniqi' },
    ]);
  });

  it('is empty for a case with no one on it, and names an unknown account as such', () => {
    expect(caseTeam({ owner: null, assigned: null }, people, '?')).toStrictEqual([]);
    expect(caseTeam({ owner: '', assigned: ['zz'] }, people, 'Unknown account')).toStrictEqual([
      { id: 'zz', name: 'Unknown account' },
    ]);
  });
});
