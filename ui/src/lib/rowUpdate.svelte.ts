// Changing one field of a record attached to a case from its row in a table (a service's or a
// referral's status, a follow-up's "done"): one row at a time, the outcome shown above the table.

import {
  updateCaseRecord,
  type CaseFile,
  type CaseRecordKind,
  type FieldInput,
  type IpcError,
} from './ipc';

export class RowUpdate {
  /** The row being saved, if any: every row's controls wait for it. */
  busyId = $state<string | null>(null);
  /** The last save's refusal. */
  error = $state<IpcError | null>(null);
  /** The last save's confirmation, if the table shows one. */
  done = $state<string | null>(null);

  constructor(
    private readonly kind: CaseRecordKind,
    private readonly caseId: () => string,
    private readonly onchanged: (file: CaseFile) => void,
  ) {}

  /** Saves `fields` of record `id`; `doneText` is shown once it is saved. */
  async save(id: string, fields: FieldInput, doneText: string | null = null): Promise<void> {
    if (this.busyId) return;
    this.busyId = id;
    this.error = null;
    this.done = null;
    try {
      this.onchanged(
        await updateCaseRecord({ kind: this.kind, case_id: this.caseId(), id, fields }),
      );
      this.done = doneText;
    } catch (reason) {
      this.error = reason as IpcError;
    } finally {
      this.busyId = null;
    }
  }
}
