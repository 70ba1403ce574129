//! The JSON object of fields `hearth case create`, `case update`, `record add` and `partner add`
//! read, validated as every kind of record (`hearth_records::fuzzing::check_record_json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| hearth_records::fuzzing::check_record_json(bytes));
