//! A bundle's body: the JSON of changes, audit entries, signed heads and roster records that an
//! import reads once the container's signature checks (`hearth_sync::fuzzing::read_body`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| hearth_sync::fuzzing::read_body(bytes));
