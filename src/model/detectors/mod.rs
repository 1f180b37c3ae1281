//! The detectors room: the bank of detectors between the world and the learning layer —
//! hand-made kernels tiled over the space ([`bank`], [`kernels`], [`polar_bank`]), the
//! bank learned from natural stimuli ([`learned_bank`]), and what its receptive fields
//! look like in numbers ([`field_measures`]).

pub mod bank;
mod detector;
pub mod field_geometry;
mod field_match;
pub mod field_measures;
pub mod field_orientation;
pub(crate) mod field_phase;
pub mod field_shapes;
mod ground_truth;
pub mod kernels;
pub mod learned_bank;
pub mod learned_conv;
mod learned_labels;
pub mod learned_truth;
pub mod line_space;
pub mod polar_bank;
mod random_fields;
mod response;
pub mod sym_eigen;
mod tight_frame;
mod tiling;

pub use bank::*;
pub use response::apply_activation;
pub(crate) use tiling::tiled_count;
