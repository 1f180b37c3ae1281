//! Helpers of `tests/docs_commands.rs`: reading the guide's Markdown and running its
//! commands in a scratch directory.

pub mod check;
pub mod markdown;
pub mod workspace;
