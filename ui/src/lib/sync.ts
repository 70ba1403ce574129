// What the Sync screen shows and sends, as plain functions: device names, which editor a
// conflict's "write another value" gets, and the choice sent to the core.

import { ACCOUNT_FIELDS, codeListOf, PARTNER_FIELDS } from './recordFields';
import { t } from './i18n/i18n.svelte';
import type { ClockSkew, ConflictChoice, ConflictVersion, DeviceSync } from './ipc';

/** A device as people know it: its roster name, else the start of its id. */
export function deviceName(version: Pick<ConflictVersion, 'device' | 'device_name'>): string {
  if (version.device_name) return version.device_name;
  return version.device === '' ? '?' : version.device.slice(0, 8);
}

/** How a supervisor can write a third value for a field: with a code list, a text box, or not at all. */
export type ConflictEditor = { mode: 'code'; list: string } | { mode: 'text' } | { mode: 'none' };

/**
 * The editor for a conflict's field. Lists, documents, places, accounts and partners have their
 * own editors on the case page; here only single codes and plain text are offered, and the
 * person keeps or takes one of the two values for the rest.
 */
export function conflictEditor(kind: string, field: string, values: unknown[]): ConflictEditor {
  if (!values.every((value) => value === null || typeof value === 'string')) return { mode: 'none' };
  if (ACCOUNT_FIELDS.has(field) || PARTNER_FIELDS.has(field)) return { mode: 'none' };
  const list = codeListOf(kind, field);
  if (list) return { mode: 'code', list };
  if (/date|_at$/.test(field)) return { mode: 'none' };
  return { mode: 'text' };
}

/** The choice sent to the core; an empty edited value clears the field. */
export function conflictChoice(
  choice: 'keep' | 'take' | 'set',
  edited: string = '',
): ConflictChoice {
  if (choice === 'keep') return { choice: 'keep_current' };
  if (choice === 'take') return { choice: 'take_queued' };
  const value = edited.trim();
  return { choice: 'set', value: value === '' ? null : value };
}

/** Devices as the status table lists them: this laptop first, then members, then revoked. */
export function orderedDevices(devices: DeviceSync[]): DeviceSync[] {
  const rank = (d: DeviceSync) => (d.is_this_laptop ? 0 : d.device.status === 'active' ? 1 : 2);
  return [...devices].sort(
    (a, b) => rank(a) - rank(b) || a.device.name.localeCompare(b.device.name),
  );
}

/** When a bundle that could reach this device was last written: one for it alone, or for everyone. */
export function lastSentTo(device: DeviceSync, lastExportMs: number | null): number | null {
  const times = [device.last_out_ms, lastExportMs].filter((ms): ms is number => ms !== null);
  return times.length === 0 ? null : Math.max(...times);
}

/** What to say of a laptop whose clock read wrong: its changes are kept, its clock should be set. */
export function clockText(skew: ClockSkew): string {
  const key = skew.direction === 'ahead' ? 'sync.clock.ahead' : 'sync.clock.behind';
  return t(key, { days: skew.days });
}
