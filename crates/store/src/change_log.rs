//! The change log and its merge rule: the few functions that records, audit and sync all stand on.
//!
//! Every edit is stored as one [`Change`]: the field-level changes a person made to one record at
//! one moment, stamped with a hybrid logical clock (HLC), the device that made it and that device's
//! next change number. The current value of each field is derived from the log: a field keeps the
//! value from the change with the highest (HLC, device, number), so applying the same changes in
//! any order, any number of times, gives the same record. That is what lets bundles from other
//! laptops arrive late, twice, or out of order.
//!
//! The derived state of a record is one row of `entity_state`: its current values, and beside
//! them the stamp of the change each value came from (what the merge compares). One row per edit
//! and one per record, rather than one per field, keeps a new case to a handful of index inserts;
//! with a row per field, creating a case touched a hundred B-tree pages.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::MAX_CLOCK_AHEAD_MS;
use hearth_ids::{AccountId, ErrorKind};
pub use hearth_ids::{DeviceId, Hlc};

pub mod chain;
mod forget;
mod merge;
mod reads;
mod stamps;
mod storage;

use chain::ChainProof;
pub use forget::{forget_changes_after, Forgotten};
use merge::merge_into_state;
pub use merge::{current_source, field_written_at, queued_conflicts, QueuedConflict};
pub use reads::{
    changes_after, changes_of, devices_in, first_chained_after, for_each_change_between,
    highest_seq, highest_seqs, load_change_by_ref, load_state, DeviceTable, EntityState,
};
use stamps::Stamps;
use storage::*;

/// An edit's name everywhere: the device that made it and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeRef {
    /// The device that made the edit.
    pub device: DeviceId,
    /// Its number in that device's log.
    pub seq: u64,
}

impl ChangeRef {
    /// `device-hex:seq`, as `changes.replaces` and bundles carry it.
    pub fn to_text(self) -> String {
        format!("{}:{}", hex::encode(self.device.0), self.seq)
    }

    /// Reads [`ChangeRef::to_text`]'s form.
    pub fn parse(text: &str) -> Option<ChangeRef> {
        let (device, seq) = text.split_once(':')?;
        Some(ChangeRef {
            device: DeviceId(hearth_ids::parse_hex16(device)?),
            seq: seq.parse().ok().filter(|seq| *seq >= 1)?,
        })
    }
}

/// Per field, the edits whose values an edit replaced knowingly.
pub type Replaces = BTreeMap<String, Vec<ChangeRef>>;

/// One edit: field-level changes to one record, made together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The device that made it.
    pub device: DeviceId,
    /// Its number in that device's log (1, 2, 3, ... without gaps).
    pub seq: u64,
    /// When, by the device's hybrid logical clock.
    pub hlc: Hlc,
    /// Who made it.
    pub account: AccountId,
    /// What kind of record ("case", "consent", ...).
    pub entity_kind: String,
    /// Which record.
    pub entity_id: [u8; 16],
    /// Each changed field and its new value; `null` clears the field (a tombstone).
    pub fields: Map<String, Value>,
    /// Per field, the edits whose values its author's laptop held when this edit replaced them.
    /// An edit that loses the merge and that no edit replaced knowingly was made concurrently
    /// with the winner: its value goes to the conflict queue rather than being lost.
    pub replaces: Replaces,
    /// Fields this copy of the edit leaves out because the case's consent keeps them on the
    /// laptops that hold them (see `sync`); empty for a whole edit.
    pub withheld: Vec<String>,
    /// What its chain hash is computed from besides the parts above (see [`chain`]); `None` for
    /// an edit made before Hearth chained its edits.
    pub proof: Option<ChainProof>,
    /// Its device's chain hash at this edit, once computed here (it never travels: each laptop
    /// computes it again from the edit and the one before it).
    pub chain: Option<[u8; 32]>,
}

/// The merge order of a change: higher wins. Devices break ties between equal clocks, so that
/// every laptop picks the same winner.
pub type Precedence = (Hlc, DeviceId, u64);

impl Change {
    /// Where this change stands in the merge order.
    pub fn precedence(&self) -> Precedence {
        (self.hlc, self.device, self.seq)
    }

    /// This change's name.
    pub fn reference(&self) -> ChangeRef {
        ChangeRef {
            device: self.device,
            seq: self.seq,
        }
    }

    /// Whether `self` is `whole` with some fields withheld (or `whole` itself).
    pub fn is_part_of(&self, whole: &Change) -> bool {
        self.device == whole.device
            && self.seq == whole.seq
            && self.hlc == whole.hlc
            && self.account == whole.account
            && self.entity_kind == whole.entity_kind
            && self.entity_id == whole.entity_id
            && self.replaces == whole.replaces
            && (self.chain.is_none() || whole.chain.is_none() || self.chain == whole.chain)
            && whole.withheld.iter().all(|f| self.withheld.contains(f))
            && self
                .fields
                .iter()
                .all(|(field, value)| whole.fields.get(field) == Some(value))
            && whole
                .fields
                .keys()
                .all(|field| self.fields.contains_key(field) || self.withheld.contains(field))
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
    /// A number or clock outside SQLite's integer range, or a stored row that is not what this
    /// version wrote.
    #[error("a change number, clock or stored change is out of range")]
    OutOfRange,
    /// The system gave no randomness for a new edit's proof.
    #[error("the system's random number source failed")]
    NoRandomness,
    /// SQLite failed.
    #[error("the change log could not be written")]
    Database(#[from] rusqlite::Error),
}

impl ChangeLogError {
    /// Equivocation by a sender, damage here, or another database failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ChangeLogError::ConflictingDuplicate { .. } => ErrorKind::Equivocation,
            ChangeLogError::OutOfRange => ErrorKind::VaultDamaged,
            ChangeLogError::NoRandomness => ErrorKind::Crypto,
            ChangeLogError::Database(error) => crate::vault::sqlite_kind(error),
        }
    }
}

/// Records an edit made on this device: the next change number, a new clock reading, merged into
/// the record's state. Runs inside the caller's transaction, so the edit and whatever else the
/// caller writes land together or not at all.
///
/// The edit replaces knowingly the current value of each field it sets, and also the edits in
/// `also_replaces` (a supervisor resolving a conflict replaces the queued value too).
#[allow(clippy::too_many_arguments)] // one edit's parts; a struct would only rename them
pub fn record_local_edit(
    connection: &Connection,
    device: DeviceId,
    account: AccountId,
    now_ms: u64,
    entity_kind: &str,
    entity_id: [u8; 16],
    fields: Map<String, Value>,
    also_replaces: &[(String, ChangeRef)],
) -> Result<Change, ChangeLogError> {
    let stamps: Option<String> = connection
        .prepare_cached(
            "SELECT stamps FROM entity_state WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(params![entity_kind, entity_id.as_slice()], |row| row.get(0))
        .optional()?;
    let mut replaces = Replaces::new();
    // The latest clock among the values this edit replaces: the edit must order after them.
    let mut latest_replaced: Option<Hlc> = None;
    if let Some(stamps) = stamps {
        for (field, (hlc, device, seq)) in Stamps::parse(&stamps)?.iter() {
            if fields.contains_key(field) {
                latest_replaced = latest_replaced.max(Some(hlc));
                replaces.insert(field.to_owned(), vec![ChangeRef { device, seq }]);
            }
        }
    }
    for (field, replaced) in also_replaces {
        if fields.contains_key(field) {
            let refs = replaces.entry(field.clone()).or_default();
            if !refs.contains(replaced) {
                refs.push(*replaced);
            }
        }
    }
    let mut hlc = next_clock(connection, now_ms)?;
    if let Some(replaced) = latest_replaced {
        // Only this edit's stamp moves; the laptop's clock stays within its bound.
        hlc = hlc.after(replaced);
    }
    let last_seq: i64 = connection
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1")?
        .query_row([device.0.as_slice()], |row| row.get(0))?;
    let last_seq = from_sql_int(last_seq)?;
    let mut change = Change {
        device,
        seq: last_seq + 1,
        hlc,
        account,
        entity_kind: entity_kind.to_owned(),
        entity_id,
        fields,
        replaces,
        withheld: Vec::new(),
        proof: Some(ChainProof::fresh()?),
        chain: None,
    };
    let previous =
        chain::chain_before_next(connection, device, last_seq)?.unwrap_or(chain::GENESIS);
    let digest = chain::digest(&change).ok_or(ChangeLogError::OutOfRange)?;
    change.chain = Some(chain::link(&previous, &digest));
    insert_change(connection, &change)?;
    merge_into_state(connection, &change)?;
    Ok(change)
}

/// The next reading of this vault's clock at wall-clock time `now_ms`, stored as the newest.
/// The audit log stamps its entries with it, so that audit and records share one clock.
pub fn next_clock(connection: &Connection, now_ms: u64) -> Result<Hlc, ChangeLogError> {
    let hlc = read_clock(connection)?.tick_bounded(now_ms);
    write_clock(connection, hlc)?;
    Ok(hlc)
}

/// What applying a change from elsewhere did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// New to this vault; stored, and merged into the record.
    Stored,
    /// Already here: nothing changed.
    AlreadyPresent,
}

/// Applies a change made on another device: idempotent, in any order. Advances this vault's
/// clock past the change's, so that later local edits order after everything seen. A whole copy
/// of an edit held with fields withheld fills those fields in.
pub fn apply_change(connection: &Connection, change: &Change) -> Result<Applied, ChangeLogError> {
    if let Some(existing) = load_change(connection, change.device, change.seq)? {
        return if change.is_part_of(&existing) {
            Ok(Applied::AlreadyPresent)
        } else if existing.is_part_of(change) {
            let revealed = Change {
                fields: change
                    .fields
                    .iter()
                    .filter(|(field, _)| !existing.fields.contains_key(*field))
                    .map(|(field, value)| (field.clone(), value.clone()))
                    .collect(),
                replaces: Replaces::new(),
                ..change.clone()
            };
            // The fuller copy's proof replaces the part copy's (the chain hash stays: it is the same).
            let proof = change.proof.as_ref().or(existing.proof.as_ref());
            connection
                .prepare_cached(
                    "UPDATE changes SET fields = ?3, withheld = ?4, proof = ?5
                     WHERE device = ?1 AND seq = ?2",
                )?
                .execute(params![
                    change.device.0.as_slice(),
                    to_sql_int(change.seq)?,
                    json_text(&change.fields)?,
                    json_text(&change.withheld)?,
                    proof.map(json_text).transpose()?,
                ])?;
            merge_into_state(connection, &revealed)?;
            Ok(Applied::Stored)
        } else {
            Err(ChangeLogError::ConflictingDuplicate {
                device: hex::encode(change.device.0),
                seq: change.seq,
            })
        };
    }
    observe_clock(connection, change.hlc)?;
    apply_new_change(connection, change)?;
    Ok(Applied::Stored)
}

/// Stores and merges a change that the caller knows this vault lacks (its sequence number is
/// above the highest held from its device), without [`apply_change`]'s lookup and without
/// advancing the clock: an import of many changes calls [`observe_clock`] once, with the latest.
/// Should the caller be wrong, the log's primary key refuses the change and nothing is merged.
pub fn apply_new_change(connection: &Connection, change: &Change) -> Result<(), ChangeLogError> {
    insert_change(connection, change)?;
    merge_into_state(connection, change)
}

/// Advances this vault's clock to `hlc` if that is later, so that local edits made afterwards
/// order after every change seen; but never past [`MAX_CLOCK_AHEAD_MS`] ahead of this laptop's
/// wall clock, so that one laptop with a wrong date does not carry it to every other. (An edit
/// that replaces such a change still orders after it: see [`record_local_edit`].)
pub fn observe_clock(connection: &Connection, hlc: Hlc) -> Result<(), ChangeLogError> {
    let now_ms = u64::try_from(hearth_ids::now_unix_ms()).unwrap_or(0);
    let bound = Hlc {
        wall_ms: now_ms.saturating_add(MAX_CLOCK_AHEAD_MS),
        counter: 0,
    };
    let seen = hlc.min(bound);
    if seen > read_clock(connection)? {
        write_clock(connection, seen)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const ACCOUNT: AccountId = AccountId::from_bytes([9; 16]);

    use crate::test_vault::empty_vault;

    /// Every record's current values, in a fixed order.
    fn projection(connection: &Connection) -> Vec<(String, Vec<u8>, String)> {
        let mut statement = connection
            .prepare("SELECT entity_kind, entity_id, current FROM entity_state ORDER BY 1, 2")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
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
    fn local_edits_are_numbered_and_merged_into_the_record() {
        let (_folder, connection) = empty_vault();
        let device = DeviceId([1; 16]);
        let first = record_local_edit(
            &connection,
            device,
            ACCOUNT,
            5_000,
            "case",
            [7; 16],
            fields(json!({"status": "Active", "risk": "High"})),
            &[],
        )
        .unwrap();
        let second = record_local_edit(
            &connection,
            device,
            ACCOUNT,
            4_000, // the wall clock went back: the HLC does not
            "case",
            [7; 16],
            fields(json!({"risk": null})),
            &[],
        )
        .unwrap();
        assert_eq!((first.seq, second.seq), (1, 2));
        assert!(second.hlc > first.hlc);
        let state = load_state(&connection, "case", [7; 16]).unwrap().unwrap();
        assert_eq!(Value::Object(state.values), json!({"status": "Active"}));
        assert_eq!((state.created_ms, state.updated_ms), (5_000, 5_000));
        assert_eq!(changes_of(&connection, [7; 16]).unwrap(), [first, second]);
        assert_eq!(load_state(&connection, "case", [8; 16]).unwrap(), None);
    }

    #[test]
    fn a_different_change_under_a_known_number_is_refused() {
        let (_folder, connection) = empty_vault();
        let change = Change {
            device: DeviceId([2; 16]),
            seq: 1,
            hlc: Hlc {
                wall_ms: 10,
                counter: 0,
            },
            account: ACCOUNT,
            entity_kind: "case".into(),
            entity_id: [1; 16],
            fields: fields(json!({"status": "Active"})),
            replaces: Replaces::new(),
            withheld: Vec::new(),
            proof: None,
            chain: None,
        };
        assert_eq!(apply_change(&connection, &change).unwrap(), Applied::Stored);
        assert_eq!(
            apply_change(&connection, &change).unwrap(),
            Applied::AlreadyPresent
        );
        let forged = Change {
            fields: fields(json!({"status": "Closed"})),
            ..change.clone()
        };
        assert!(matches!(
            apply_change(&connection, &forged),
            Err(ChangeLogError::ConflictingDuplicate { seq: 1, .. })
        ));
        let state = load_state(&connection, "case", [1; 16]).unwrap().unwrap();
        assert_eq!(state.values["status"], "Active");
    }

    /// Changes from three devices to a few fields of two records, with clocks that often tie.
    fn changes_strategy() -> impl Strategy<Value = Vec<Change>> {
        prop::collection::vec(
            (
                0u8..3,
                0u64..20,
                0u32..3,
                0u8..2,
                prop::collection::btree_map(0u8..3, prop::option::of(0u8..5), 1..3),
                prop::option::of(any::<prop::sample::Index>()),
            ),
            1..40,
        )
        .prop_map(|raw| {
            let mut next_seq = [0u64; 3];
            let mut made: Vec<ChangeRef> = Vec::new();
            raw.into_iter()
                .map(|(device, wall_ms, counter, entity, edits, replaced)| {
                    next_seq[usize::from(device)] += 1;
                    // Sometimes the edit replaced an earlier one knowingly (whatever the clocks
                    // say: the queue must be a function of the set of changes regardless).
                    let replaced = replaced
                        .filter(|_| !made.is_empty())
                        .map(|i| made[i.index(made.len())]);
                    let change = Change {
                        device: DeviceId([device; 16]),
                        seq: next_seq[usize::from(device)],
                        hlc: Hlc { wall_ms, counter },
                        account: ACCOUNT,
                        entity_kind: "case".into(),
                        entity_id: [entity; 16],
                        fields: edits
                            .into_iter()
                            .map(|(field, value)| {
                                (
                                    format!("field{field}"),
                                    value.map_or(Value::Null, Value::from),
                                )
                            })
                            .collect(),
                        replaces: Replaces::new(),
                        withheld: Vec::new(),
                        proof: None,
                        chain: None,
                    };
                    let replaces = replaced
                        .map(|r| change.fields.keys().map(|f| (f.clone(), vec![r])).collect())
                        .unwrap_or_default();
                    made.push(change.reference());
                    Change { replaces, ..change }
                })
                .collect()
        })
    }

    type Queue = std::collections::BTreeSet<([u8; 16], String, ChangeRef)>;

    /// The records, and the conflict queue (without its local ids).
    fn apply_all(changes: &[Change]) -> (Vec<(String, Vec<u8>, String)>, Queue) {
        let (_folder, mut connection) = empty_vault();
        let transaction = connection.transaction().unwrap();
        for change in changes {
            apply_change(&transaction, change).unwrap();
        }
        transaction.commit().unwrap();
        let queue = queued_conflicts(&connection, None)
            .unwrap()
            .into_iter()
            .map(|q| (q.entity_id, q.field, q.loser))
            .collect();
        (projection(&connection), queue)
    }

    /// Some changes, and the same changes in an order proptest chooses (and shrinks) from all n!.
    fn changes_in_two_orders() -> impl Strategy<Value = (Vec<Change>, Vec<Change>)> {
        changes_strategy().prop_flat_map(|changes| {
            let shuffled = Just(changes.clone()).prop_shuffle();
            (Just(changes), shuffled)
        })
    }

    // 256 cases by default; `PROPTEST_CASES=100000 cargo test -p hearth-store change_log` for more.
    proptest! {
        /// Any order, with duplicates, gives the same records and the same conflict queue; each
        /// field holds the value of its highest (HLC, device, seq) change, and every other value
        /// was either replaced knowingly or waits in the queue: none is lost silently.
        #[test]
        fn any_order_and_duplicates_give_the_same_records(
            (changes, mut shuffled) in changes_in_two_orders(),
            duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
        ) {
            let (in_order, queue) = apply_all(&changes);

            // Another order, plus repeats of some changes.
            for duplicate in &duplicates {
                shuffled.push(changes[duplicate.index(changes.len())].clone());
            }
            let (shuffled_records, shuffled_queue) = apply_all(&shuffled);
            prop_assert_eq!(&shuffled_records, &in_order);
            prop_assert_eq!(&shuffled_queue, &queue);

            let mut expected_queue = Queue::new();
            for change in &changes {
                for field in change.fields.keys() {
                    let winner = changes
                        .iter()
                        .filter(|c| c.entity_id == change.entity_id && c.fields.contains_key(field))
                        .max_by_key(|c| c.precedence())
                        .unwrap();
                    let replaced = changes.iter().any(|c| {
                        c.entity_id == change.entity_id
                            && c.replaces.get(field).is_some_and(|r| r.contains(&change.reference()))
                    });
                    if winner != change && !replaced {
                        expected_queue.insert((change.entity_id, field.clone(), change.reference()));
                    }
                }
            }
            prop_assert_eq!(&queue, &expected_queue);

            for (_kind, entity, current) in &in_order {
                let current = parse_object(current).unwrap();
                let touched: std::collections::BTreeSet<&String> = changes
                    .iter()
                    .filter(|c| c.entity_id.as_slice() == entity.as_slice())
                    .flat_map(|c| c.fields.keys())
                    .collect();
                for field in touched {
                    let winner = changes
                        .iter()
                        .filter(|c| c.entity_id.as_slice() == entity.as_slice() && c.fields.contains_key(field))
                        .max_by_key(|c| c.precedence())
                        .unwrap();
                    let expected = &winner.fields[field];
                    prop_assert_eq!(current.get(field).unwrap_or(&Value::Null), expected);
                }
            }
        }
    }
}
