// The recovery key as the person sees it (groups of digits), and the check that they wrote it down:
// they type back one group, chosen at random, without the key on screen.

/** The key's groups, in order: "123456-234567-..." gives ["123456", "234567", ...]. */
export function recoveryGroups(key: string): string[] {
  return key.split(/[\s-]+/).filter((group) => group !== '');
}

/** A uniformly chosen whole number in [0, count), from the platform's cryptographic generator. */
export function secureRandomIndex(count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be at least 1');
  // Rejection sampling keeps every index equally likely for any count.
  const limit = Math.floor(0x1_0000_0000 / count) * count;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] ?? 0;
    if (value < limit) return value % count;
  }
}

/**
 * The 1-based number of the group to ask for. `randomIndex` is injectable for tests; `avoid` is the
 * group asked last time, so going back and forth does not ask for the same group again.
 */
export function pickGroupNumber(
  groupCount: number,
  randomIndex: (count: number) => number = secureRandomIndex,
  avoid: number | null = null,
): number {
  if (groupCount < 1) throw new RangeError('a recovery key has at least one group');
  if (avoid === null || groupCount === 1 || avoid < 1 || avoid > groupCount) {
    return randomIndex(groupCount) + 1;
  }
  // Choose among the other groups only.
  const picked = randomIndex(groupCount - 1) + 1;
  return picked >= avoid ? picked + 1 : picked;
}

/** What the person typed, with the spaces and dashes people add while copying taken out. */
export function normaliseGroupAnswer(answer: string): string {
  return answer.replace(/[\s\-–.]/g, '');
}

/** Whether `answer` is group `groupNumber` (1-based) of `key`. */
export function groupMatches(key: string, groupNumber: number, answer: string): boolean {
  const group = recoveryGroups(key)[groupNumber - 1];
  if (group === undefined) return false;
  return normaliseGroupAnswer(answer) === group;
}
