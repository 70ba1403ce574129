// A case's team: its owner and the caseworkers assigned to it. Only they can be given one of its
// follow-ups (the core refuses anyone else with "not_on_case_team").

import type { CaseFields, StaffMember } from './ipc';

/**
 * The owner, then the assigned caseworkers in the case's order, each once, named from `people`
 * (the CaseFile's names) or `unknown` for an account this vault does not name.
 */
export function caseTeam(
  fields: Pick<CaseFields, 'owner' | 'assigned'>,
  people: Readonly<Record<string, string>>,
  unknown: string,
): StaffMember[] {
  const ids = [fields.owner, ...(fields.assigned ?? [])].filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  return [...new Set(ids)].map((id) => ({ id, name: people[id] ?? unknown }));
}
