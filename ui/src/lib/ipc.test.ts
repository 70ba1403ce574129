import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addAccount,
  appInfo,
  IPC_FAILURE,
  isIpcError,
  listAccounts,
  onSessionLost,
  setIdleTimeout,
  toIpcError,
  unlock,
  UNKNOWN_FAILURE,
} from './ipc';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

describe('toIpcError', () => {
  it('keeps the kind, message and wait of an error from the shell, and nothing else', () => {
    const fromShell = {
      kind: 'must_wait',
      message: 'please wait 30 s',
      retryAfterSeconds: 30,
      path: '/home/x',
    };
    expect(toIpcError(fromShell)).toStrictEqual({
      kind: 'must_wait',
      message: 'please wait 30 s',
      retryAfterSeconds: 30,
    });
  });

  it('gives null for a missing or malformed wait', () => {
    expect(toIpcError({ kind: 'denied', message: 'no' }).retryAfterSeconds).toBeNull();
    expect(
      toIpcError({ kind: 'must_wait', message: 'x', retryAfterSeconds: '30' }).retryAfterSeconds,
    ).toBeNull();
  });

  it('reports a string rejection from Tauri as an IPC failure', () => {
    expect(toIpcError('app_info not allowed by ACL')).toStrictEqual({
      kind: IPC_FAILURE,
      message: 'app_info not allowed by ACL',
      retryAfterSeconds: null,
    });
  });

  it('uses the message of a thrown Error', () => {
    expect(toIpcError(new TypeError('invoke is not available'))).toStrictEqual({
      kind: IPC_FAILURE,
      message: 'invoke is not available',
      retryAfterSeconds: null,
    });
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an empty string', ''],
    ['an object without the fields', { code: 7 }],
    ['an object whose kind is not a string', { kind: 3, message: 'x' }],
    ['an object whose message is not a string', { kind: 'x', message: { secret: 1 } }],
  ])('does not show %s as a message', (_label, reason) => {
    const error = toIpcError(reason);
    expect(error.kind).toBe(UNKNOWN_FAILURE);
    expect(error.message).toBe('Hearth could not complete this action.');
  });

  it('produces values isIpcError recognises', () => {
    expect(isIpcError(toIpcError('x'))).toBe(true);
    expect(isIpcError(new Error('x'))).toBe(false);
  });
});

describe('command wrappers', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('calls the app_info command and returns its answer', async () => {
    invokeMock.mockResolvedValue({ name: 'Hearth', version: '1.2.3' });
    await expect(appInfo()).resolves.toStrictEqual({ name: 'Hearth', version: '1.2.3' });
    expect(invokeMock).toHaveBeenCalledWith('app_info', undefined);
  });

  it('rejects with an IpcError whatever invoke rejected with', async () => {
    invokeMock.mockRejectedValue('Command app_info not found');
    await expect(appInfo()).rejects.toStrictEqual({
      kind: IPC_FAILURE,
      message: 'Command app_info not found',
      retryAfterSeconds: null,
    });
  });

  it('uses snake_case command names and camelCase argument keys', async () => {
    invokeMock.mockResolvedValue(null);
    await unlock({ accountName: 'Ana', passphrase: 'p' });
    await addAccount({ name: 'Besa', role: 'caseworker', passphrase: 'q' });
    await setIdleTimeout({ seconds: 300 });
    expect(invokeMock.mock.calls).toStrictEqual([
      ['unlock', { accountName: 'Ana', passphrase: 'p' }],
      ['add_account', { name: 'Besa', role: 'caseworker', passphrase: 'q' }],
      ['set_idle_timeout', { seconds: 300 }],
    ]);
  });
});

describe('onSessionLost', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('is told when a command fails because the session is gone', async () => {
    const listener = vi.fn();
    const stop = onSessionLost(listener);
    invokeMock.mockRejectedValue({ kind: 'locked', message: 'locked', retryAfterSeconds: null });
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'locked' });
    expect(listener).toHaveBeenCalledTimes(1);

    stop();
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'locked' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('is not told about other failures', async () => {
    const listener = vi.fn();
    const stop = onSessionLost(listener);
    invokeMock.mockRejectedValue({ kind: 'denied', message: 'no', retryAfterSeconds: null });
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'denied' });
    expect(listener).not.toHaveBeenCalled();
    stop();
  });
});
