import { describe, expect, it } from 'vitest';
import type { DeviceSync } from './ipc';
import { setUiLanguage } from './i18n/i18n.svelte';
import {
  clockText,
  conflictChoice,
  conflictEditor,
  deviceName,
  lastSentTo,
  orderedDevices,
} from './sync';

describe('deviceName', () => {
  it('prefers the roster name and falls back to the start of the id', () => {
    expect(deviceName({ device: 'ab'.repeat(16), device_name: 'Shkodër' })).toBe('Shkodër');
    expect(deviceName({ device: '0123456789abcdef', device_name: null })).toBe('01234567');
    expect(deviceName({ device: '', device_name: null })).toBe('?');
  });
});

describe('conflictEditor', () => {
  it('offers the code list for a code field', () => {
    expect(conflictEditor('case', 'risk_level', ['High', 'Low'])).toEqual({
      mode: 'code',
      list: 'risk_level',
    });
  });
  it('offers a text box for plain text, even when one side is empty', () => {
    expect(conflictEditor('case', 'phone', ['+355 1', null])).toEqual({ mode: 'text' });
  });
  it('offers no editor for lists, accounts, partners and dates', () => {
    expect(conflictEditor('case', 'citizenships', [['ALB'], ['XK']])).toEqual({ mode: 'none' });
    expect(conflictEditor('case', 'owner', ['a', 'b'])).toEqual({ mode: 'none' });
    expect(conflictEditor('referral', 'partner', ['a', 'b'])).toEqual({ mode: 'none' });
    expect(conflictEditor('case', 'birth_date', ['2001-01-01', null])).toEqual({ mode: 'none' });
  });
});

describe('conflictChoice', () => {
  it('names the choice as the core expects it', () => {
    expect(conflictChoice('keep')).toEqual({ choice: 'keep_current' });
    expect(conflictChoice('take')).toEqual({ choice: 'take_queued' });
    expect(conflictChoice('set', '  Medium ')).toEqual({ choice: 'set', value: 'Medium' });
    expect(conflictChoice('set', '   ')).toEqual({ choice: 'set', value: null });
  });
});

describe('orderedDevices', () => {
  const device = (name: string, status: 'active' | 'revoked', self = false): DeviceSync => ({
    device: {
      device: name,
      name,
      site: name,
      signing_key: '',
      age_recipient: '',
      status,
      approved_by: null,
      approval: null,
      revoked_by: null,
      revocation: null,
      revoked_through: null,
    },
    is_this_laptop: self,
    fingerprint: '3f2a-0000-1111-2222-91c0',
    last_in_ms: null,
    bundles_in: 0,
    last_out_ms: null,
    clock: null,
  });
  it('puts this laptop first and revoked devices last', () => {
    const ordered = orderedDevices([
      device('Vlorë', 'revoked'),
      device('Tirana', 'active'),
      device('Shkodër', 'active', true),
      device('Durrës', 'active'),
    ]);
    expect(ordered.map((d) => d.device.name)).toEqual(['Shkodër', 'Durrës', 'Tirana', 'Vlorë']);
  });
});

describe('lastSentTo', () => {
  const device = (last_out_ms: number | null): DeviceSync => ({
    device: {
      device: 'd',
      name: 'd',
      site: 'd',
      signing_key: '',
      age_recipient: '',
      status: 'active',
      approved_by: null,
      approval: null,
      revoked_by: null,
      revocation: null,
      revoked_through: null,
    },
    is_this_laptop: false,
    fingerprint: '3f2a-0000-1111-2222-91c0',
    last_in_ms: null,
    bundles_in: 0,
    last_out_ms,
    clock: null,
  });
  it('takes the later of a bundle for it alone and one for everyone', () => {
    expect(lastSentTo(device(null), null)).toBeNull();
    expect(lastSentTo(device(5), null)).toBe(5);
    expect(lastSentTo(device(null), 7)).toBe(7);
    expect(lastSentTo(device(9), 7)).toBe(9);
  });
});

describe('clockText', () => {
  it('says which way the clock was wrong and by how many days, in each language', () => {
    expect(clockText({ direction: 'ahead', days: 1095 })).toBe(
      'Its clock was 1095 days ahead of this laptop’s. Its changes are kept; set its date and time right.',
    );
    setUiLanguage('sr');
    expect(clockText({ direction: 'behind', days: 40 })).toContain('40 dana iza');
    setUiLanguage('sq');
    expect(clockText({ direction: 'ahead', days: 3 })).toContain('3 ditë përpara');
    setUiLanguage('en');
  });
});
