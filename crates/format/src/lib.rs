//! hearth-format: the files Hearth reads and writes outside its database, byte for byte, and the
//! way every file reaches the disk (private, whole).
//!
//! - [`keyslots`]: the key-slot file, which is read before the database can be opened.
//! - [`bundle`]: the sealed bundle container (age outside, a signed container inside).
//! - [`checkpoint`]: signed notes of an audit chain's size and head.
//! - [`join_request`]: a laptop's signed request to join the organisation.
//! - [`files`]: atomic replacement and create-new writes, readable by their owner only.
//!
//! These are the formats a person can hand Hearth a damaged or hostile copy of: each parser
//! refuses anything it did not write, with an error that names what is wrong.
#![forbid(unsafe_code)]

pub mod bundle;
pub mod checkpoint;
pub mod files;
pub mod join_request;
pub mod keyslots;
