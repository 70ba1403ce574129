// The logic behind every "choose a passphrase" form: a strength meter fed by the core's estimator
// (debounced, and never showing an answer about an older passphrase), and the checks run before
// the form is sent. The components only display what these functions decide.

import { toIpcError, type IpcError, type PassphraseAssessment } from './ipc';
import { systemClock, type Clock } from './timers';
import type { Commands } from './bindings/commands';

/**
 * What the estimator is asked: the passphrase, and the account (`account_name`) and organisation it
 * is for, whose names it refuses inside passphrases.
 */
export type AssessInput = Commands['assess_passphrase']['args'];

export type MeterState =
  | { status: 'empty' }
  /** `previous` is the last answer, shown dimmed until the new one arrives, so nothing flickers. */
  | { status: 'checking'; previous: PassphraseAssessment | null }
  | { status: 'assessed'; assessment: PassphraseAssessment }
  /** The estimate could not be had; the core still checks on submit, so the form is not blocked. */
  | { status: 'failed'; error: IpcError };

export interface PassphraseAssessor {
  /** The inputs changed: assess them after a pause in typing. */
  request(input: AssessInput): void;
  /** The state for the latest inputs, assessing them now if they still wait for the pause. */
  settled(): Promise<MeterState>;
  /** Forgets everything; later answers are dropped. */
  dispose(): void;
}

export const ASSESS_DELAY_MS = 300;

function sameInput(a: AssessInput | null, b: AssessInput): boolean {
  return (
    a !== null &&
    a.passphrase === b.passphrase &&
    a.account_name === b.account_name &&
    a.organisation_name === b.organisation_name
  );
}

export function createPassphraseAssessor(options: {
  assess: (input: AssessInput) => Promise<PassphraseAssessment>;
  onChange: (state: MeterState) => void;
  delayMs?: number;
  clock?: Clock;
}): PassphraseAssessor {
  const clock = options.clock ?? systemClock;
  const delayMs = options.delayMs ?? ASSESS_DELAY_MS;
  let latest: AssessInput | null = null;
  let generation = 0;
  let timer: unknown = null;
  let run: { generation: number; result: Promise<MeterState> } | null = null;
  let lastAssessment: PassphraseAssessment | null = null;
  let disposed = false;

  function cancelTimer() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function publish(state: MeterState) {
    if (!disposed) options.onChange(state);
  }

  function start(input: AssessInput, forGeneration: number): Promise<MeterState> {
    const result = options.assess(input).then(
      (assessment): MeterState => ({ status: 'assessed', assessment }),
      (reason: unknown): MeterState => ({ status: 'failed', error: toIpcError(reason) }),
    );
    run = { generation: forGeneration, result };
    void result.then((state) => {
      // An answer about a passphrase that has since changed is dropped.
      if (forGeneration !== generation) return;
      if (state.status === 'assessed') lastAssessment = state.assessment;
      publish(state);
    });
    return result;
  }

  return {
    request(input) {
      if (disposed || sameInput(latest, input)) return;
      latest = { ...input };
      generation += 1;
      cancelTimer();
      if (input.passphrase === '') {
        run = null;
        lastAssessment = null;
        publish({ status: 'empty' });
        return;
      }
      publish({ status: 'checking', previous: lastAssessment });
      const forGeneration = generation;
      const forInput = latest;
      timer = clock.setTimeout(() => {
        timer = null;
        start(forInput, forGeneration);
      }, delayMs);
    },

    settled() {
      if (latest === null || latest.passphrase === '') return Promise.resolve({ status: 'empty' });
      if (run !== null && run.generation === generation) return run.result;
      cancelTimer();
      return start(latest, generation);
    },

    dispose() {
      disposed = true;
      cancelTimer();
    },
  };
}

export type PassphraseProblem = 'missing' | 'checking' | 'weak' | 'confirmMissing' | 'mismatch';

/**
 * Why the form must not be sent yet, or null if it may be. A weak passphrase blocks (the core would
 * refuse it); a meter that failed does not (the core checks again and explains).
 */
export function passphraseProblem(
  passphrase: string,
  confirmation: string,
  meter: MeterState,
): PassphraseProblem | null {
  if (passphrase === '') return 'missing';
  if (meter.status === 'checking') return 'checking';
  if (meter.status === 'assessed' && !meter.assessment.acceptable) return 'weak';
  if (confirmation === '') return 'confirmMissing';
  if (confirmation !== passphrase) return 'mismatch';
  return null;
}

/**
 * What to say under the confirmation field while it is typed: nothing while it is empty or still
 * a correct beginning, "mismatch" as soon as it cannot become the passphrase.
 */
export function confirmationState(
  passphrase: string,
  confirmation: string,
): 'empty' | 'typing' | 'matches' | 'mismatch' {
  if (confirmation === '') return 'empty';
  if (confirmation === passphrase) return 'matches';
  if (passphrase.startsWith(confirmation)) return 'typing';
  return 'mismatch';
}

/** How many of the meter's five segments to fill: score 0..4 fills 1..5. */
export function meterSegments(assessment: PassphraseAssessment | null): number {
  if (assessment === null) return 0;
  return Math.min(4, Math.max(0, Math.round(assessment.score))) + 1;
}
