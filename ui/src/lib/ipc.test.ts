import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addAccount,
  addCaseRecord,
  addPartner,
  appInfo,
  auditEntries,
  caseAudit,
  caseHistory,
  caseStaff,
  closeCase,
  codeLists,
  createCase,
  exportAuditCsv,
  IPC_FAILURE,
  isIpcError,
  listAccounts,
  listCases,
  listPartners,
  myFollowUps,
  onSessionLost,
  openCase,
  reopenCase,
  setIdleTimeout,
  toIpcError,
  unlock,
  UNKNOWN_FAILURE,
  updateCase,
  updateCaseRecord,
  updatePartner,
  verifyAudit,
} from './ipc';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

describe('toIpcError', () => {
  it('keeps the kind, message and wait of an error from the shell, and nothing else', () => {
    const fromShell = {
      kind: 'must_wait',
      category: 'other',
      message: 'please wait 30 s',
      retry_after_seconds: 30,
      path: '/home/x',
    };
    expect(toIpcError(fromShell)).toStrictEqual({
      kind: 'must_wait',
      category: 'other',
      message: 'please wait 30 s',
      retry_after_seconds: 30,
      fields: [],
      needed_bytes: null,
      free_bytes: null,
    });
  });

  it('keeps each refused field, its problem and limits, and nothing else', () => {
    expect(
      toIpcError({
        kind: 'invalid_field',
        category: 'other',
        message: 'trafficking_events.1.country "XX" is not in the list country',
        retry_after_seconds: null,
        fields: [
          { field: 'trafficking_events.1.country', problem: 'unknown_code', min: null, max: null },
          { field: 'given_name', problem: 'too_long', max: '100', extra: '<b>' },
        ],
        needed_bytes: null,
        free_bytes: null,
      }),
    ).toStrictEqual({
      kind: 'invalid_field',
      category: 'other',
      message: 'trafficking_events.1.country "XX" is not in the list country',
      retry_after_seconds: null,
      fields: [
        { field: 'trafficking_events.1.country', problem: 'unknown_code', min: null, max: null },
        { field: 'given_name', problem: 'too_long', min: null, max: '100' },
      ],
      needed_bytes: null,
      free_bytes: null,
    });
  });

  it('keeps the headline category the shell sends, and nothing it does not know', () => {
    const category = (value: unknown) =>
      toIpcError({ kind: 'vault_damaged', message: 'x', category: value }).category;
    expect(category('vault')).toBe('vault');
    expect(category('refused')).toBe('refused');
    expect(category('<b>bold</b>')).toBe('other');
    expect(category(undefined)).toBe('other');
  });

  it('leaves out a malformed refused field', () => {
    const error = toIpcError({
      kind: 'invalid_field',
      message: 'x',
      fields: [{ field: 3, problem: 'required' }, { field: 'given_name', problem: '' }, 'x'],
    });
    expect(error.fields).toStrictEqual([]);
    expect(toIpcError({ kind: 'invalid_field', message: 'x', fields: 'no' }).fields).toStrictEqual([]);
  });

  it('keeps the sizes of a full disk, and nothing that is not a number', () => {
    const full = toIpcError({
      kind: 'disk_full',
      message: 'x',
      needed_bytes: 314_000,
      free_bytes: 200_000,
    });
    expect([full.needed_bytes, full.free_bytes]).toStrictEqual([314_000, 200_000]);
    const odd = toIpcError({ kind: 'disk_full', message: 'x', needed_bytes: '1', free_bytes: NaN });
    expect([odd.needed_bytes, odd.free_bytes]).toStrictEqual([null, null]);
  });

  it('gives null for a missing or malformed wait', () => {
    expect(toIpcError({ kind: 'denied', message: 'no' }).retry_after_seconds).toBeNull();
    expect(
      toIpcError({ kind: 'must_wait', message: 'x', retry_after_seconds: '30' }).retry_after_seconds,
    ).toBeNull();
  });

  it('reports a string rejection from Tauri as an IPC failure', () => {
    expect(toIpcError('app_info not allowed by ACL')).toStrictEqual({
      kind: IPC_FAILURE,
      category: 'other',
      message: 'app_info not allowed by ACL',
      retry_after_seconds: null,
      fields: [],
      needed_bytes: null,
      free_bytes: null,
    });
  });

  it('uses the message of a thrown Error', () => {
    expect(toIpcError(new TypeError('invoke is not available'))).toStrictEqual({
      kind: IPC_FAILURE,
      category: 'other',
      message: 'invoke is not available',
      retry_after_seconds: null,
      fields: [],
      needed_bytes: null,
      free_bytes: null,
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
      category: 'other',
      message: 'Command app_info not found',
      retry_after_seconds: null,
      fields: [],
      needed_bytes: null,
      free_bytes: null,
    });
  });

  it('sends snake_case command names and argument keys, as the Rust functions name them', async () => {
    invokeMock.mockResolvedValue(null);
    await unlock({ account_name: 'Ana', passphrase: 'p' });
    await addAccount({ name: 'Besa', role: 'caseworker', passphrase: 'q' });
    await setIdleTimeout({ seconds: 300 });
    expect(invokeMock.mock.calls).toStrictEqual([
      ['unlock', { account_name: 'Ana', passphrase: 'p' }],
      ['add_account', { name: 'Besa', role: 'caseworker', passphrase: 'q' }],
      ['set_idle_timeout', { seconds: 300 }],
    ]);
  });
});

describe('case record wrappers', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it('name the commands the shell registers and pass snake_case arguments', async () => {
    const query = {
      text: 'dragica',
      status: null,
      assigned_to: null,
      risk_level: null,
      follow_ups_due: false,
      sort: 'name' as const,
      page: 0,
      page_size: 25,
    };
    await codeLists();
    await caseStaff();
    await listCases({ query });
    await createCase({ fields: { trafficking_status: 'PossibleVictimOfTrafficking' } });
    await openCase({ id: 'c1' });
    await updateCase({ id: 'c1', fields: { given_name: null } });
    await closeCase({ id: 'c1', status: 'Closed', reason: 'Moved away' });
    await reopenCase({ id: 'c1' });
    await caseHistory({ id: 'c1' });
    await addCaseRecord({ kind: 'note', case_id: 'c1', fields: { text: 'Called' } });
    await updateCaseRecord({ kind: 'follow_up', case_id: 'c1', id: 'f1', fields: { done: true } });
    await myFollowUps();
    await listPartners();
    await addPartner({ fields: { name: 'Legal aid' } });
    await updatePartner({ id: 'p1', fields: { city: 'Tirana' } });
    expect(invokeMock.mock.calls).toStrictEqual([
      ['code_lists', undefined],
      ['case_staff', undefined],
      ['list_cases', { query }],
      ['create_case', { fields: { trafficking_status: 'PossibleVictimOfTrafficking' } }],
      ['open_case', { id: 'c1' }],
      ['update_case', { id: 'c1', fields: { given_name: null } }],
      ['close_case', { id: 'c1', status: 'Closed', reason: 'Moved away' }],
      ['reopen_case', { id: 'c1' }],
      ['case_history', { id: 'c1' }],
      ['add_case_record', { kind: 'note', case_id: 'c1', fields: { text: 'Called' } }],
      ['update_case_record', { kind: 'follow_up', case_id: 'c1', id: 'f1', fields: { done: true } }],
      ['my_follow_ups', undefined],
      ['list_partners', undefined],
      ['add_partner', { fields: { name: 'Legal aid' } }],
      ['update_partner', { id: 'p1', fields: { city: 'Tirana' } }],
    ]);
  });
});

describe('audit wrappers', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it('name the commands the shell registers and pass snake_case arguments', async () => {
    const query = {
      account: null,
      case_id: 'c1',
      action: 'open_case' as const,
      since_ms: 1_740_787_200_000,
      before_ms: null,
      outcome: 'denied' as const,
      page: 0,
      page_size: 50,
    };
    await auditEntries({ query });
    await caseAudit({ case_id: 'c1' });
    await verifyAudit();
    await exportAuditCsv({ query, path: '/media/stick/audit.csv' });
    expect(invokeMock.mock.calls).toStrictEqual([
      ['audit_entries', { query }],
      ['case_audit', { case_id: 'c1' }],
      ['verify_audit', { checkpoint_path: null }],
      ['export_audit_csv', { query, path: '/media/stick/audit.csv' }],
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
    invokeMock.mockRejectedValue({ kind: 'locked', message: 'locked', retry_after_seconds: null });
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'locked' });
    expect(listener).toHaveBeenCalledTimes(1);

    stop();
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'locked' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('is not told about other failures', async () => {
    const listener = vi.fn();
    const stop = onSessionLost(listener);
    invokeMock.mockRejectedValue({ kind: 'denied', message: 'no', retry_after_seconds: null });
    await expect(listAccounts()).rejects.toMatchObject({ kind: 'denied' });
    expect(listener).not.toHaveBeenCalled();
    stop();
  });
});
