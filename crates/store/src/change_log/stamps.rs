//! Each field's stamp: which change its current value came from ([`Precedence`]), what the merge
//! compares. Stored in `entity_state.stamps` grouped by change (migration 019), because a record's
//! fields mostly come from the same few changes (all of a new case's from its creation):
//!
//! ```json
//! [[hlc_ms, hlc_counter, "device hex", seq, ["field", "field", ...]], ...]
//! ```
//!
//! One stamp per field, as migration 004 stored it (`{"field": [hlc_ms, hlc_counter, "device
//! hex", seq], ...}`), made the stamps twice the size of the values they stamp; migration 019
//! rewrites every row into groups.

use std::collections::BTreeMap;

use hearth_ids::{DeviceId, Hlc};

use super::{ChangeLogError, Precedence};

/// One group as stored: a change's stamp and the fields whose values came from it.
type StoredGroup = (u64, u32, String, u64, Vec<String>);

/// A record's stamps, by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Stamps(BTreeMap<String, Precedence>);

impl Stamps {
    /// Reads `entity_state.stamps`.
    pub(super) fn parse(text: &str) -> Result<Stamps, ChangeLogError> {
        let groups: Vec<StoredGroup> =
            serde_json::from_str(text).map_err(|_| ChangeLogError::OutOfRange)?;
        let mut stamps = BTreeMap::new();
        for (wall_ms, counter, device, seq, fields) in groups {
            let device = hearth_ids::parse_hex16(&device).ok_or(ChangeLogError::OutOfRange)?;
            let stamp = (Hlc { wall_ms, counter }, DeviceId(device), seq);
            for field in fields {
                stamps.insert(field, stamp);
            }
        }
        Ok(Stamps(stamps))
    }

    /// The stamp of `field`'s value, if it has one.
    pub(super) fn get(&self, field: &str) -> Option<Precedence> {
        self.0.get(field).copied()
    }

    /// Each field with its stamp.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, Precedence)> {
        self.0.iter().map(|(field, stamp)| (field.as_str(), *stamp))
    }

    /// Stamps `field` with `stamp`.
    pub(super) fn set(&mut self, field: &str, stamp: Precedence) {
        match self.0.get_mut(field) {
            Some(held) => *held = stamp,
            None => {
                self.0.insert(field.to_owned(), stamp);
            }
        }
    }

    /// As `entity_state.stamps` stores them: grouped by change, in the changes' order.
    pub(super) fn to_json(&self) -> String {
        let mut groups: BTreeMap<Precedence, Vec<&str>> = BTreeMap::new();
        for (field, stamp) in &self.0 {
            groups.entry(*stamp).or_default().push(field);
        }
        let stored: Vec<(u64, u32, String, u64, Vec<&str>)> = groups
            .into_iter()
            .map(|((hlc, device, seq), fields)| {
                (hlc.wall_ms, hlc.counter, hex::encode(device.0), seq, fields)
            })
            .collect();
        // A Vec of tuples of numbers and strings always serialises.
        serde_json::to_string(&stored).unwrap_or_else(|_| String::from("[]"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(ms: u64, device: u8, seq: u64) -> Precedence {
        (
            Hlc {
                wall_ms: ms,
                counter: 0,
            },
            DeviceId([device; 16]),
            seq,
        )
    }

    #[test]
    fn fields_of_one_change_share_a_group_and_read_back_alike() {
        let mut stamps = Stamps::default();
        stamps.set("given_name", stamp(10, 1, 1));
        stamps.set("family_name", stamp(10, 1, 1));
        stamps.set("status", stamp(20, 2, 7));
        let text = stamps.to_json();
        assert_eq!(
            text,
            format!(
                "[[10,0,\"{}\",1,[\"family_name\",\"given_name\"]],[20,0,\"{}\",7,[\"status\"]]]",
                "01".repeat(16),
                "02".repeat(16)
            )
        );
        assert_eq!(Stamps::parse(&text).unwrap(), stamps);
        // A field stamped again moves to its new change's group.
        stamps.set("given_name", stamp(20, 2, 7));
        let again = Stamps::parse(&stamps.to_json()).unwrap();
        assert_eq!(again.get("given_name"), Some(stamp(20, 2, 7)));
        assert_eq!(again.get("family_name"), Some(stamp(10, 1, 1)));
        assert_eq!(again.get("aliases"), None);
    }

    #[test]
    fn a_damaged_row_is_refused() {
        for text in [
            "{}",
            "[[1,0,\"zz\",1,[\"a\"]]]",
            "[[1,0,\"01\",1]]",
            "[[-1,0,\"0101010101010101010101010101010101\",1,[\"a\"]]]",
        ] {
            assert!(Stamps::parse(text).is_err(), "{text}");
        }
        assert_eq!(Stamps::parse("[]").unwrap(), Stamps::default());
    }
}
