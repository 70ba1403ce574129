// The only module that talks to the Rust shell. Each command the UI uses gets a typed wrapper here,
// and every failure reaches the rest of the UI as an IpcError, whatever `invoke` rejected with.

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { AccountView } from './bindings/AccountView';
import type { AppInfo } from './bindings/AppInfo';
import type { CreatedVault } from './bindings/CreatedVault';
import type { IpcError } from './bindings/IpcError';
import type { PassphraseAssessment } from './bindings/PassphraseAssessment';
import type { Role } from './bindings/Role';
import type { SessionInfo } from './bindings/SessionInfo';
import type { VaultState } from './bindings/VaultState';
import type { VaultStatus } from './bindings/VaultStatus';

export type {
  AccountView,
  AppInfo,
  CreatedVault,
  IpcError,
  PassphraseAssessment,
  Role,
  SessionInfo,
  VaultState,
  VaultStatus,
};

/** Tauri itself refused or failed the call (unknown command, permission denied, ...). */
export const IPC_FAILURE = 'ipc';
/** The rejection had no recognisable shape; its content is not shown. */
export const UNKNOWN_FAILURE = 'unknown';
/** The core has no unlocked session any more: the UI must go back to the unlock screen. */
export const SESSION_LOCKED = 'locked';

/** Turns anything `invoke` may reject with into an IpcError. */
export function toIpcError(reason: unknown): IpcError {
  if (isErrorShape(reason)) {
    // Copy only the known fields, so nothing else that came along is passed on to the UI.
    const { retryAfterSeconds } = reason as { retryAfterSeconds?: unknown };
    return {
      kind: reason.kind,
      message: reason.message,
      retryAfterSeconds:
        typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds)
          ? retryAfterSeconds
          : null,
    };
  }
  // Tauri reports its own failures, such as a command no capability grants, as plain strings.
  if (typeof reason === 'string' && reason !== '') {
    return { kind: IPC_FAILURE, message: reason, retryAfterSeconds: null };
  }
  if (reason instanceof Error && reason.message !== '') {
    return { kind: IPC_FAILURE, message: reason.message, retryAfterSeconds: null };
  }
  return {
    kind: UNKNOWN_FAILURE,
    message: 'Hearth could not complete this action.',
    retryAfterSeconds: null,
  };
}

function isErrorShape(value: unknown): value is { kind: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === 'string' && typeof message === 'string';
}

/** Tells whether something thrown by a wrapper below is an IpcError (they throw nothing else). */
export function isIpcError(value: unknown): value is IpcError {
  return isErrorShape(value) && 'retryAfterSeconds' in value;
}

type SessionLostListener = () => void;
const sessionLostListeners = new Set<SessionLostListener>();

/**
 * Calls `listener` whenever a command fails because the core's session is gone (it locked itself,
 * or was locked from elsewhere). Returns a function that stops the calls.
 */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = toIpcError(reason);
    if (error.kind === SESSION_LOCKED) {
      for (const listener of [...sessionLostListeners]) listener();
    }
    throw error;
  }
}

/** The app's name and version; available before unlock. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** Whether this laptop has a vault yet, and the demo credentials in demo mode. Before unlock. */
export function vaultState(): Promise<VaultState> {
  return call<VaultState>('vault_state');
}

/** The core's estimate of a passphrase, for the strength meter. */
export function assessPassphrase(args: {
  passphrase: string;
  accountName: string;
  organisationName: string;
}): Promise<PassphraseAssessment> {
  return call<PassphraseAssessment>('assess_passphrase', args);
}

/** Creates the vault and its first administrator; takes a few seconds (KDF calibration). */
export function createVault(args: {
  organisation: string;
  site: string;
  adminName: string;
  passphrase: string;
}): Promise<CreatedVault> {
  return call<CreatedVault>('create_vault', args);
}

export function unlock(args: { accountName: string; passphrase: string }): Promise<SessionInfo> {
  return call<SessionInfo>('unlock', args);
}

export function lock(): Promise<null> {
  return call<null>('lock');
}

export function currentSession(): Promise<SessionInfo | null> {
  return call<SessionInfo | null>('current_session');
}

export function vaultStatus(): Promise<VaultStatus> {
  return call<VaultStatus>('vault_status');
}

export function listAccounts(): Promise<AccountView[]> {
  return call<AccountView[]>('list_accounts');
}

export function addAccount(args: {
  name: string;
  role: Role;
  passphrase: string;
}): Promise<AccountView> {
  return call<AccountView>('add_account', args);
}

export function disableAccount(args: { name: string }): Promise<AccountView> {
  return call<AccountView>('disable_account', args);
}

export function enableAccount(args: { name: string }): Promise<AccountView> {
  return call<AccountView>('enable_account', args);
}

export function resetPassphrase(args: { name: string; newPassphrase: string }): Promise<null> {
  return call<null>('reset_passphrase', args);
}

export function changeOwnPassphrase(args: {
  currentPassphrase: string;
  newPassphrase: string;
}): Promise<null> {
  return call<null>('change_own_passphrase', args);
}

export function setLanguage(args: { language: string }): Promise<null> {
  return call<null>('set_language', args);
}

export function setIdleTimeout(args: { seconds: number }): Promise<null> {
  return call<null>('set_idle_timeout', args);
}
