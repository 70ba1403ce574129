// The only module that talks to the Rust shell. Each command the UI uses gets a typed wrapper here,
// and every failure reaches the rest of the UI as an IpcError, whatever `invoke` rejected with.

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';

export type { AppInfo };

/** The one error shape the UI handles. Show `message`; branch on `kind`, never on the text. */
export interface IpcError {
  kind: string;
  message: string;
}

/** Tauri itself refused or failed the call (unknown command, permission denied, ...). */
export const IPC_FAILURE = 'ipc';
/** The rejection had no recognisable shape; its content is not shown. */
export const UNKNOWN_FAILURE = 'unknown';

/** Turns anything `invoke` may reject with into an IpcError. */
export function toIpcError(reason: unknown): IpcError {
  if (isIpcError(reason)) {
    // Copy only the two fields, so nothing else that came along is passed on to the UI.
    return { kind: reason.kind, message: reason.message };
  }
  // Tauri reports its own failures, such as a command no capability grants, as plain strings.
  if (typeof reason === 'string' && reason !== '') {
    return { kind: IPC_FAILURE, message: reason };
  }
  if (reason instanceof Error && reason.message !== '') {
    return { kind: IPC_FAILURE, message: reason.message };
  }
  return { kind: UNKNOWN_FAILURE, message: 'Hearth could not complete this action.' };
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === 'string' && typeof message === 'string';
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toIpcError(reason);
  }
}

/** The app's name and version; available before unlock. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}
