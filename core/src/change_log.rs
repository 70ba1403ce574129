//! The change log and its merge rule: the few functions that records, audit and sync all stand on.
//!
//! Every edit is stored as field-level changes, each stamped with a hybrid logical clock (HLC) and
//! the device that made it; the current value of a field (`field_values`) is derived from them. A
//! field keeps the change with the highest (HLC, device), so applying the same set of changes in any
//! order, any number of times, gives the same projection. That is what lets bundles from other
//! laptops arrive late, twice, or out of order.

use std::cmp::Ordering;

use rusqlite::{params, OptionalExtension, Transaction};

use crate::access::AccountId;

/// A device's random 128-bit id (from `this_device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 16]);

/// A hybrid logical clock reading: wall-clock milliseconds, then a counter for events within the
/// same millisecond (or while the wall clock lags a clock seen earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (or the highest seen, if the wall clock is behind).
    pub wall_ms: u64,
    /// Orders events that share `wall_ms`.
    pub counter: u32,
}

impl Hlc {
    /// The next reading after `self` at wall-clock time `now_ms`: never earlier than `self`.
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter.saturating_add(1),
            }
        }
    }
}

/// One field-level change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The device that made it.
    pub device: DeviceId,
    /// Its number in that device's log (1, 2, 3, ... without gaps).
    pub seq: u64,
    /// When, by the device's hybrid logical clock.
    pub hlc: Hlc,
    /// Who made it.
    pub account: AccountId,
    /// What kind of record ("case", "person", ...).
    pub entity_kind: String,
    /// Which record.
    pub entity_id: [u8; 16],
    /// Which field of it.
    pub field: String,
    /// The new value as JSON text; `None` clears the field.
    pub value: Option<String>,
}

impl FieldChange {
    /// The merge order: higher wins. Devices break ties between equal clocks, so that every
    /// laptop picks the same winner; the change number breaks ties within one device's edit.
    pub fn precedence(&self) -> (Hlc, DeviceId, u64) {
        (self.hlc, self.device, self.seq)
    }
}

/// Why a change could not be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeLogError {
    /// The log already holds a different change under the same device and number: the sender's
    /// log was rewritten, or the file was tampered with. Nothing is applied.
    #[error("device {device} has two different changes numbered {seq}")]
    ConflictingDuplicate {
        /// The device, in hex.
        device: String,
        /// The change number.
        seq: u64,
    },
    /// A number or clock outside SQLite's integer range.
    #[error("a change number or clock is out of range")]
    OutOfRange,
    /// SQLite failed.
    #[error("the change log could not be written: {0}")]
    Database(#[from] rusqlite::Error),
}

fn to_sql_int(value: u64) -> Result<i64, ChangeLogError> {
    i64::try_from(value).map_err(|_| ChangeLogError::OutOfRange)
}

/// Records an edit made on this device: one change per field, numbered after the device's last,
/// all stamped with one new clock reading, merged into `field_values`. Runs inside the caller's
/// transaction, so the edit and whatever else the caller writes land together or not at all.
pub fn record_local_edit(
    transaction: &Transaction<'_>,
    device: DeviceId,
    account: AccountId,
    now_ms: u64,
    entity_kind: &str,
    entity_id: [u8; 16],
    fields: &[(&str, Option<String>)],
) -> Result<Vec<FieldChange>, ChangeLogError> {
    let hlc = read_clock(transaction)?.tick(now_ms);
    write_clock(transaction, hlc)?;
    let last_seq: i64 = transaction.query_row(
        "SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1",
        [device.0.as_slice()],
        |row| row.get(0),
    )?;
    let first_seq = u64::try_from(last_seq).map_err(|_| ChangeLogError::OutOfRange)? + 1;
    let mut recorded = Vec::with_capacity(fields.len());
    for (seq, (field, value)) in (first_seq..).zip(fields) {
        let change = FieldChange {
            device,
            seq,
            hlc,
            account,
            entity_kind: entity_kind.to_owned(),
            entity_id,
            field: (*field).to_owned(),
            value: value.clone(),
        };
        insert_change(transaction, &change)?;
        merge_into_projection(transaction, &change)?;
        recorded.push(change);
    }
    Ok(recorded)
}

/// What applying a change from elsewhere did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// New to this vault; stored (and current, if it won the merge).
    Stored,
    /// Already here: nothing changed.
    AlreadyPresent,
}

/// Applies a change made on another device: idempotent, in any order. Advances this vault's
/// clock past the change's, so that later local edits order after everything seen.
pub fn apply_change(
    transaction: &Transaction<'_>,
    change: &FieldChange,
) -> Result<Applied, ChangeLogError> {
    if let Some(existing) = load_change(transaction, change.device, change.seq)? {
        return if existing == *change {
            Ok(Applied::AlreadyPresent)
        } else {
            Err(ChangeLogError::ConflictingDuplicate {
                device: crate::lowercase_hex(&change.device.0),
                seq: change.seq,
            })
        };
    }
    let clock = read_clock(transaction)?;
    if change.hlc > clock {
        write_clock(transaction, change.hlc)?;
    }
    insert_change(transaction, change)?;
    merge_into_projection(transaction, change)?;
    Ok(Applied::Stored)
}

fn read_clock(transaction: &Transaction<'_>) -> Result<Hlc, ChangeLogError> {
    let (wall_ms, counter): (i64, i64) = transaction.query_row(
        "SELECT hlc_ms, hlc_counter FROM clock WHERE id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(Hlc {
        wall_ms: u64::try_from(wall_ms).map_err(|_| ChangeLogError::OutOfRange)?,
        counter: u32::try_from(counter).map_err(|_| ChangeLogError::OutOfRange)?,
    })
}

fn write_clock(transaction: &Transaction<'_>, hlc: Hlc) -> Result<(), ChangeLogError> {
    transaction.execute(
        "UPDATE clock SET hlc_ms = ?1, hlc_counter = ?2 WHERE id = 1",
        params![to_sql_int(hlc.wall_ms)?, hlc.counter],
    )?;
    Ok(())
}

fn insert_change(
    transaction: &Transaction<'_>,
    change: &FieldChange,
) -> Result<(), ChangeLogError> {
    transaction.execute(
        "INSERT INTO changes
             (device, seq, hlc_ms, hlc_counter, account, entity_kind, entity_id, field, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            change.device.0.as_slice(),
            to_sql_int(change.seq)?,
            to_sql_int(change.hlc.wall_ms)?,
            change.hlc.counter,
            change.account.as_bytes().as_slice(),
            change.entity_kind,
            change.entity_id.as_slice(),
            change.field,
            change.value,
        ],
    )?;
    Ok(())
}

fn load_change(
    transaction: &Transaction<'_>,
    device: DeviceId,
    seq: u64,
) -> Result<Option<FieldChange>, ChangeLogError> {
    let row = transaction
        .query_row(
            "SELECT hlc_ms, hlc_counter, account, entity_kind, entity_id, field, value
             FROM changes WHERE device = ?1 AND seq = ?2",
            params![device.0.as_slice(), to_sql_int(seq)?],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Vec<u8>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Vec<u8>>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((wall_ms, counter, account, entity_kind, entity_id, field, value)) = row else {
        return Ok(None);
    };
    let sixteen =
        |bytes: Vec<u8>| <[u8; 16]>::try_from(bytes).map_err(|_| ChangeLogError::OutOfRange);
    Ok(Some(FieldChange {
        device,
        seq,
        hlc: Hlc {
            wall_ms: u64::try_from(wall_ms).map_err(|_| ChangeLogError::OutOfRange)?,
            counter: u32::try_from(counter).map_err(|_| ChangeLogError::OutOfRange)?,
        },
        account: AccountId::from_bytes(sixteen(account)?),
        entity_kind,
        entity_id: sixteen(entity_id)?,
        field,
        value,
    }))
}

/// The merge rule, in one place: the field keeps whichever change has the higher precedence
/// ([`FieldChange::precedence`]).
fn merge_into_projection(
    transaction: &Transaction<'_>,
    change: &FieldChange,
) -> Result<(), ChangeLogError> {
    let current: Option<(i64, i64, Vec<u8>, i64)> = transaction
        .query_row(
            "SELECT hlc_ms, hlc_counter, device, seq FROM field_values
             WHERE entity_kind = ?1 AND entity_id = ?2 AND field = ?3",
            params![
                change.entity_kind,
                change.entity_id.as_slice(),
                change.field
            ],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    if let Some((wall_ms, counter, device, seq)) = current {
        let current_precedence = (
            Hlc {
                wall_ms: u64::try_from(wall_ms).map_err(|_| ChangeLogError::OutOfRange)?,
                counter: u32::try_from(counter).map_err(|_| ChangeLogError::OutOfRange)?,
            },
            DeviceId(<[u8; 16]>::try_from(device).map_err(|_| ChangeLogError::OutOfRange)?),
            u64::try_from(seq).map_err(|_| ChangeLogError::OutOfRange)?,
        );
        if change.precedence().cmp(&current_precedence) != Ordering::Greater {
            return Ok(());
        }
    }
    transaction.execute(
        "INSERT INTO field_values
             (entity_kind, entity_id, field, value, hlc_ms, hlc_counter, device, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (entity_kind, entity_id, field) DO UPDATE SET
             value = excluded.value, hlc_ms = excluded.hlc_ms,
             hlc_counter = excluded.hlc_counter, device = excluded.device, seq = excluded.seq",
        params![
            change.entity_kind,
            change.entity_id.as_slice(),
            change.field,
            change.value,
            to_sql_int(change.hlc.wall_ms)?,
            change.hlc.counter,
            change.device.0.as_slice(),
            to_sql_int(change.seq)?,
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;
    use proptest::prelude::*;
    use rusqlite::Connection;

    const ACCOUNT: AccountId = AccountId::from_bytes([9; 16]);

    fn empty_vault() -> (tempfile::TempDir, Connection) {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let mut connection =
            crate::vault::open_database(&folder.path().join("vault.db"), &key).unwrap();
        crate::vault::migrate(&mut connection).unwrap();
        (folder, connection)
    }

    fn projection(connection: &Connection) -> Vec<(String, Vec<u8>, String, Option<String>)> {
        let mut statement = connection
            .prepare(
                "SELECT entity_kind, entity_id, field, value FROM field_values
                 ORDER BY entity_kind, entity_id, field",
            )
            .unwrap();
        statement
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn the_clock_never_goes_backwards() {
        let start = Hlc {
            wall_ms: 1_000,
            counter: 3,
        };
        assert_eq!(
            start.tick(2_000),
            Hlc {
                wall_ms: 2_000,
                counter: 0
            }
        );
        assert_eq!(
            start.tick(1_000),
            Hlc {
                wall_ms: 1_000,
                counter: 4
            }
        );
        // A wall clock set back an hour still moves forward.
        assert_eq!(
            start.tick(0),
            Hlc {
                wall_ms: 1_000,
                counter: 4
            }
        );
    }

    #[test]
    fn a_local_edit_numbers_its_changes_and_updates_the_projection() {
        let (_folder, mut connection) = empty_vault();
        let device = DeviceId([1; 16]);
        let transaction = connection.transaction().unwrap();
        let first = record_local_edit(
            &transaction,
            device,
            ACCOUNT,
            5_000,
            "case",
            [7; 16],
            &[
                ("status", Some("\"Active\"".into())),
                ("risk", Some("\"high\"".into())),
            ],
        )
        .unwrap();
        let second = record_local_edit(
            &transaction,
            device,
            ACCOUNT,
            4_000, // the wall clock went back: the HLC does not
            "case",
            [7; 16],
            &[("risk", None)],
        )
        .unwrap();
        transaction.commit().unwrap();
        assert_eq!(
            first
                .iter()
                .chain(&second)
                .map(|c| c.seq)
                .collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert!(second[0].hlc > first[0].hlc);
        let rows = projection(&connection);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.iter().find(|r| r.2 == "risk").unwrap().3, None);
        assert_eq!(
            rows.iter().find(|r| r.2 == "status").unwrap().3.as_deref(),
            Some("\"Active\"")
        );
    }

    #[test]
    fn a_different_change_under_a_known_number_is_refused() {
        let (_folder, mut connection) = empty_vault();
        let change = FieldChange {
            device: DeviceId([2; 16]),
            seq: 1,
            hlc: Hlc {
                wall_ms: 10,
                counter: 0,
            },
            account: ACCOUNT,
            entity_kind: "case".into(),
            entity_id: [1; 16],
            field: "status".into(),
            value: Some("\"Active\"".into()),
        };
        let transaction = connection.transaction().unwrap();
        assert_eq!(
            apply_change(&transaction, &change).unwrap(),
            Applied::Stored
        );
        assert_eq!(
            apply_change(&transaction, &change).unwrap(),
            Applied::AlreadyPresent
        );
        let forged = FieldChange {
            value: Some("\"Closed\"".into()),
            ..change.clone()
        };
        assert!(matches!(
            apply_change(&transaction, &forged),
            Err(ChangeLogError::ConflictingDuplicate { seq: 1, .. })
        ));
    }

    /// Changes from three devices to a few fields, with clocks that often tie.
    fn changes_strategy() -> impl Strategy<Value = Vec<FieldChange>> {
        prop::collection::vec(
            (
                0u8..3,
                0u64..20,
                0u32..3,
                0u8..2,
                0u8..3,
                prop::option::of(0u8..5),
            ),
            1..40,
        )
        .prop_map(|raw| {
            let mut next_seq = [0u64; 3];
            raw.into_iter()
                .map(|(device, wall_ms, counter, entity, field, value)| {
                    next_seq[usize::from(device)] += 1;
                    FieldChange {
                        device: DeviceId([device; 16]),
                        seq: next_seq[usize::from(device)],
                        hlc: Hlc { wall_ms, counter },
                        account: ACCOUNT,
                        entity_kind: "case".into(),
                        entity_id: [entity; 16],
                        field: format!("field{field}"),
                        value: value.map(|v| v.to_string()),
                    }
                })
                .collect()
        })
    }

    fn apply_all(changes: &[FieldChange]) -> Vec<(String, Vec<u8>, String, Option<String>)> {
        let (_folder, mut connection) = empty_vault();
        let transaction = connection.transaction().unwrap();
        for change in changes {
            apply_change(&transaction, change).unwrap();
        }
        transaction.commit().unwrap();
        projection(&connection)
    }

    // 256 cases by default; `PROPTEST_CASES=100000 cargo test -p hearth-core change_log` for more.
    proptest! {
        /// Any order, with duplicates, gives the same projection, and each field holds the value
        /// of its highest (HLC, device) change.
        #[test]
        fn any_order_and_duplicates_give_the_same_projection(
            changes in changes_strategy(),
            order in any::<prop::sample::Index>(),
            duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
        ) {
            let in_order = apply_all(&changes);

            let mut shuffled = changes.clone();
            // A deterministic shuffle from the generated index, plus repeats of some changes.
            let pivot = order.index(shuffled.len());
            shuffled.rotate_left(pivot);
            shuffled.reverse();
            for duplicate in &duplicates {
                shuffled.push(changes[duplicate.index(changes.len())].clone());
            }
            prop_assert_eq!(&apply_all(&shuffled), &in_order);

            for (kind, entity, field, value) in &in_order {
                let winner = changes
                    .iter()
                    .filter(|c| &c.entity_kind == kind && c.entity_id.as_slice() == entity.as_slice() && &c.field == field)
                    .max_by_key(|c| c.precedence())
                    .unwrap();
                prop_assert_eq!(&winner.value, value);
            }
        }
    }
}
