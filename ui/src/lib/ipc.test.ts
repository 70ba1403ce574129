import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appInfo, IPC_FAILURE, toIpcError, UNKNOWN_FAILURE } from './ipc';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

describe('toIpcError', () => {
  it('keeps the kind and message of an error from the shell, and nothing else', () => {
    const fromShell = { kind: 'vault_locked', message: 'The vault is locked.', path: '/home/x' };
    expect(toIpcError(fromShell)).toStrictEqual({
      kind: 'vault_locked',
      message: 'The vault is locked.',
    });
  });

  it('reports a string rejection from Tauri as an IPC failure', () => {
    expect(toIpcError('app_info not allowed by ACL')).toStrictEqual({
      kind: IPC_FAILURE,
      message: 'app_info not allowed by ACL',
    });
  });

  it('uses the message of a thrown Error', () => {
    expect(toIpcError(new TypeError('invoke is not available'))).toStrictEqual({
      kind: IPC_FAILURE,
      message: 'invoke is not available',
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
});

describe('appInfo', () => {
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
    });
  });
});
