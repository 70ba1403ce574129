import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { RowUpdate } from './rowUpdate.svelte';
import type { CaseFile } from './ipc';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

describe('RowUpdate', () => {
  beforeEach(() => invokeMock.mockReset());

  it('saves one field of one record and hands over the case page', async () => {
    const file = { case: { id: 'c1' } } as unknown as CaseFile;
    invokeMock.mockResolvedValueOnce(file);
    const changed = vi.fn();
    const rows = new RowUpdate('service', () => 'c1', changed);
    await rows.save('s1', { status: 'Completed' }, 'Saved');
    expect(invokeMock).toHaveBeenCalledWith('update_case_record', {
      kind: 'service',
      case_id: 'c1',
      id: 's1',
      fields: { status: 'Completed' },
    });
    expect(changed).toHaveBeenCalledWith(file);
    expect(rows.done).toBe('Saved');
    expect(rows.busyId).toBeNull();
  });

  it('keeps the refusal and ignores a second save while one runs', async () => {
    let refuse: (error: unknown) => void = () => {};
    invokeMock.mockReturnValueOnce(new Promise((_, reject) => (refuse = reject)));
    const rows = new RowUpdate('referral', () => 'c1', vi.fn());
    const first = rows.save('r1', { status: 'Done' });
    await rows.save('r2', { status: 'Done' });
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(rows.busyId).toBe('r1');
    refuse({ kind: 'not_on_team', message: 'no' });
    await first;
    expect(rows.error?.kind).toBe('not_on_team');
    expect(rows.done).toBeNull();
    expect(rows.busyId).toBeNull();
  });
});
