//! A session of the lab without a window: what the desktop app (`app/`) runs
//! and shows, free of GUI types, so it builds and is tested without the `gui` feature.
//!
//! - [`worker`]: the simulation thread, driven by [`worker::WorkerCommand`]s; it
//!   publishes immutable snapshots (latest wins);
//! - [`jobs`]: the one place background work starts (searches, file reads and writes,
//!   figure exports, the field measures), each with one result, progress and cancel;
//! - [`state`]: the app's state (what is shown, the document, the view and order, the
//!   search's outcome, the status line, the look, the tour);
//! - [`settings`]: what is remembered between runs, versioned and validated;
//! - [`view`], [`figure_kind`], [`file_purpose`], [`start_options`]: the app's names
//!   for its views, its exportable plots, its file dialogs and how it starts;
//!   [`figure_source`] builds each exportable plot as a figure;
//! - [`background`]: the lower priority of helper threads.
//!
//! Threads that finish work wake whoever reads it through a [`Waker`] (the app's asks
//! egui to repaint); none of them ever waits for the reader.

pub mod background;
pub mod figure_kind;
pub mod figure_source;
pub mod file_purpose;
pub mod jobs;
pub mod settings;
pub mod start_options;
pub mod state;
pub mod view;
pub mod worker;

pub use start_options::StartOptions;
pub use view::View;

/// Called by a background thread after it published a result (a snapshot, a finished
/// job, progress), so the front reading it looks again; must not block.
pub type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;
