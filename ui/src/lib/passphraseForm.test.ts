import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PassphraseAssessment } from './ipc';
import {
  confirmationState,
  createPassphraseAssessor,
  meterSegments,
  passphraseProblem,
  type AssessInput,
  type MeterState,
} from './passphraseForm';

const strong: PassphraseAssessment = { score: 4, acceptable: true, warning: null, suggestions: [] };
const weak: PassphraseAssessment = {
  score: 1,
  acceptable: false,
  warning: 'This is a very common password.',
  suggestions: ['Add another word or two.'],
};

function input(passphrase: string): AssessInput {
  return { passphrase, account_name: 'Ana', organisation_name: 'Shelter' };
}

/** A promise the test settles by hand, to control the order in which answers arrive. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createPassphraseAssessor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks the core once, after a pause in typing, about the latest passphrase', async () => {
    const assess = vi.fn().mockResolvedValue(strong);
    const states: MeterState[] = [];
    const assessor = createPassphraseAssessor({ assess, onChange: (s) => states.push(s) });
    assessor.request(input('c'));
    vi.advanceTimersByTime(100);
    assessor.request(input('co'));
    vi.advanceTimersByTime(100);
    assessor.request(input('correct horse'));
    vi.advanceTimersByTime(299);
    expect(assess).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(assess).toHaveBeenCalledTimes(1);
    expect(assess).toHaveBeenCalledWith(input('correct horse'));
    expect(states.at(-1)).toStrictEqual({ status: 'assessed', assessment: strong });
  });

  it('reassesses when the account or organisation name changes', async () => {
    const assess = vi.fn().mockResolvedValue(strong);
    const assessor = createPassphraseAssessor({ assess, onChange: () => {} });
    assessor.request(input('river stone lamp'));
    await vi.advanceTimersByTimeAsync(300);
    assessor.request({ ...input('river stone lamp'), account_name: 'River' });
    await vi.advanceTimersByTimeAsync(300);
    assessor.request({ ...input('river stone lamp'), account_name: 'River' });
    await vi.advanceTimersByTimeAsync(300);
    expect(assess).toHaveBeenCalledTimes(2);
  });

  it('drops an answer that arrives after the passphrase changed', async () => {
    const first = deferred<PassphraseAssessment>();
    const second = deferred<PassphraseAssessment>();
    const assess = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const states: MeterState[] = [];
    const assessor = createPassphraseAssessor({ assess, onChange: (s) => states.push(s) });

    assessor.request(input('short'));
    await vi.advanceTimersByTimeAsync(300);
    assessor.request(input('short but longer now'));
    await vi.advanceTimersByTimeAsync(300);
    second.resolve(strong);
    await vi.advanceTimersByTimeAsync(0);
    first.resolve(weak);
    await vi.advanceTimersByTimeAsync(0);

    const assessed = states.filter((s) => s.status === 'assessed');
    expect(assessed).toStrictEqual([{ status: 'assessed', assessment: strong }]);
    expect(states.at(-1)).toStrictEqual({ status: 'assessed', assessment: strong });
  });

  it('keeps the previous answer visible while checking the next', async () => {
    const assess = vi.fn().mockResolvedValue(weak);
    const states: MeterState[] = [];
    const assessor = createPassphraseAssessor({ assess, onChange: (s) => states.push(s) });
    assessor.request(input('one'));
    await vi.advanceTimersByTimeAsync(300);
    assessor.request(input('one two'));
    expect(states.at(-1)).toStrictEqual({ status: 'checking', previous: weak });
  });

  it('reports an empty passphrase at once, without asking the core', () => {
    const assess = vi.fn().mockResolvedValue(strong);
    const states: MeterState[] = [];
    const assessor = createPassphraseAssessor({ assess, onChange: (s) => states.push(s) });
    assessor.request(input('a'));
    assessor.request(input(''));
    vi.advanceTimersByTime(1000);
    expect(assess).not.toHaveBeenCalled();
    expect(states.at(-1)).toStrictEqual({ status: 'empty' });
  });

  it('settled() assesses at once when a submit comes before the pause ends', async () => {
    const assess = vi.fn().mockResolvedValue(weak);
    const assessor = createPassphraseAssessor({ assess, onChange: () => {} });
    assessor.request(input('password1'));
    await expect(assessor.settled()).resolves.toStrictEqual({
      status: 'assessed',
      assessment: weak,
    });
    // The debounce timer was cancelled, not left to ask a second time.
    await vi.advanceTimersByTimeAsync(1000);
    expect(assess).toHaveBeenCalledTimes(1);
  });

  it('settled() reuses the answer already had', async () => {
    const assess = vi.fn().mockResolvedValue(strong);
    const assessor = createPassphraseAssessor({ assess, onChange: () => {} });
    assessor.request(input('correct horse battery'));
    await vi.advanceTimersByTimeAsync(300);
    await expect(assessor.settled()).resolves.toMatchObject({ status: 'assessed' });
    expect(assess).toHaveBeenCalledTimes(1);
  });

  it('reports a failed estimate as an IpcError', async () => {
    const assess = vi.fn().mockRejectedValue({ kind: 'ipc', message: 'not allowed' });
    const assessor = createPassphraseAssessor({ assess, onChange: () => {} });
    assessor.request(input('x y z'));
    await expect(assessor.settled()).resolves.toStrictEqual({
      status: 'failed',
      error: {
        kind: 'ipc',
        category: 'other',
        message: 'not allowed',
        retry_after_seconds: null,
        fields: [],
        needed_bytes: null,
        free_bytes: null,
      },
    });
  });

  it('tells nothing after dispose', async () => {
    const assess = vi.fn().mockResolvedValue(strong);
    const onChange = vi.fn();
    const assessor = createPassphraseAssessor({ assess, onChange });
    assessor.request(input('x'));
    onChange.mockClear();
    assessor.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(assess).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('passphraseProblem', () => {
  const assessedStrong: MeterState = { status: 'assessed', assessment: strong };
  const assessedWeak: MeterState = { status: 'assessed', assessment: weak };

  it('accepts a strong passphrase typed twice the same', () => {
    expect(
      passphraseProblem('tall river cold lamp', 'tall river cold lamp', assessedStrong),
    ).toBeNull();
  });

  it('asks for a passphrase first', () => {
    expect(passphraseProblem('', '', { status: 'empty' })).toBe('missing');
  });

  it('refuses one the meter finds not acceptable, even if confirmed', () => {
    expect(passphraseProblem('password1', 'password1', assessedWeak)).toBe('weak');
  });

  it('does not decide while the meter is still checking', () => {
    expect(passphraseProblem('abc', 'abc', { status: 'checking', previous: strong })).toBe(
      'checking',
    );
  });

  it('lets the core decide when the meter failed', () => {
    const failed: MeterState = {
      status: 'failed',
      error: {
        kind: 'ipc',
        category: 'other',
        message: 'x',
        retry_after_seconds: null,
        fields: [],
        needed_bytes: null,
        free_bytes: null,
      },
    };
    expect(passphraseProblem('abc def', 'abc def', failed)).toBeNull();
  });

  it('asks for the confirmation, and refuses a mismatch', () => {
    expect(passphraseProblem('tall river cold lamp', '', assessedStrong)).toBe('confirmMissing');
    expect(passphraseProblem('tall river cold lamp', 'tall river cold lam', assessedStrong)).toBe(
      'mismatch',
    );
    expect(passphraseProblem('tall river cold lamp', 'Tall river cold lamp', assessedStrong)).toBe(
      'mismatch',
    );
  });
});

describe('confirmationState', () => {
  it('says nothing while the confirmation is empty or a correct beginning', () => {
    expect(confirmationState('river', '')).toBe('empty');
    expect(confirmationState('river', 'riv')).toBe('typing');
  });

  it('says match or mismatch', () => {
    expect(confirmationState('river', 'river')).toBe('matches');
    expect(confirmationState('river', 'rivet')).toBe('mismatch');
    expect(confirmationState('river', 'rivers')).toBe('mismatch');
  });
});

describe('meterSegments', () => {
  it('fills one segment per score step, and none before an answer', () => {
    expect(meterSegments(null)).toBe(0);
    expect(meterSegments({ ...weak, score: 0 })).toBe(1);
    expect(meterSegments(strong)).toBe(5);
    expect(meterSegments({ ...strong, score: 9 })).toBe(5);
  });
});
