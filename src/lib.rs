//! Invariance Lab: feature detectors learn, by a Hebbian rule, a recurrent weight
//! graph whose approximate automorphisms are the invariance transformations of the
//! stimuli they saw; the search finds those automorphisms and the transform module
//! shows them acting on the input. See `README.md` ("Model") and `SPEC.md`.
//!
//! Everything below except [`app`] is GUI-free; the GUI and the CLI are thin fronts.

#![warn(missing_docs)]

pub mod bounded_read;
pub mod cancel;
pub mod cli;
pub mod figure;
pub mod graph;
pub mod group;
pub mod io;
pub mod model;
pub mod perm;
pub mod report;
pub mod search;
pub mod session;
pub mod sweep;
pub mod transform;

#[cfg(feature = "gui")]
pub mod app;
