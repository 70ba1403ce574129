//! The IPC commands the UI can call, one module per domain. Each command is granted to the window
//! explicitly in capabilities/ (see build.rs). A command takes the state, calls the core, returns.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod emergency;
pub mod files;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod settings;
pub mod sync;
pub mod vault;
