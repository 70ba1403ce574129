//! hearth-ids: the vocabulary every layer of Hearth shares, and nothing that does work.
//!
//! - [`ids`]: accounts, devices and records are named by random 128-bit ids, shown as hex.
//! - [`clock`]: the hybrid logical clock that orders every change, and the wall clock it reads.
//! - [`access`]: roles, the operations a session can be asked for, and THE permission table.
//! - [`error_kind`]: every kind of failure a person can act on, shared with the UI.
//!
//! It sits at the bottom of the workspace so that every crate above can name the same things
//! without importing from one another. No I/O, no database, no cryptography.
#![forbid(unsafe_code)]

pub mod access;
pub mod clock;
pub mod error_kind;
pub mod ids;
pub mod progress;

pub use access::{is_allowed, reach, Account, Denied, Operation, Reach, Role, PERMISSIONS};
pub use clock::{now_unix_ms, Hlc, MAX_CLOCK_AHEAD_MS};
pub use error_kind::{ErrorCategory, ErrorKind};
pub use ids::{parse_hex16, AccountId, DeviceId, RecordId};
pub use progress::{Progress, ProgressStep, Unwatched};
