//! The IPC commands the UI can call, one module per domain. Each command is granted to the window
//! explicitly in capabilities/ (see build.rs).

pub mod app;
