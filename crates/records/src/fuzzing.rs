//! What the fuzz target `record_fields` (`fuzz/`) drives: the JSON object of fields a person hands
//! `hearth case create`, `case update`, `record add` and `partner add` (`cli/src/records.rs`),
//! checked field by field as a write checks it, for every kind of record, without a vault. Built
//! only by cargo-fuzz, which compiles with `--cfg fuzzing`.

use serde_json::{Map, Value};
use strum::IntoEnumIterator;

use crate::dates::Date;
use crate::fields::{normalise, References};
use crate::validate::{apply, check_case, check_required, spec_of, validate_against, Problems};
use crate::RecordKind;

/// Every well-formed id names an active account and a partner, so that the fuzzer reaches the
/// checks behind the lookups.
struct EveryIdKnown;

impl References for EveryIdKnown {
    fn is_active_account(&self, id: &str) -> bool {
        hearth_ids::parse_hex16(id).is_some()
    }

    fn is_partner(&self, id: &str) -> bool {
        hearth_ids::parse_hex16(id).is_some()
    }
}

/// Reads `bytes` as the CLI does and validates them as each kind of record. Panics (a finding)
/// if a value validation accepted is not accepted unchanged a second time: what Hearth stores is
/// what the next edit reads back, and it must not change under a person who did not touch it.
pub fn check_record_json(bytes: &[u8]) {
    let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let today = Date::parse("2026-12-03").expect("a real day");
    for kind in RecordKind::iter() {
        let mut problems = Problems::default();
        let changes = validate_against(&EveryIdKnown, today, kind, &input, &mut problems);
        for (name, value) in &changes {
            let (Some(value), Some(spec)) = (value, spec_of(kind, name)) else {
                continue;
            };
            match normalise(spec, value, today, &EveryIdKnown) {
                Ok(Some(again)) if again == *value => {}
                other => panic!("{kind:?}.{name}: {value} normalised again is {other:?}"),
            }
        }
        let mut fields = Map::new();
        apply(&mut fields, &changes);
        check_required(kind, &fields, &mut problems);
        if kind == RecordKind::Case {
            check_case(&fields, &changes, today, &mut problems);
        }
        let _ = problems.finish();
    }
}
