//! The panels around the central view: each a struct with its own UI state that draws
//! itself from what it is given and returns the actions the user asked for.

pub mod animation;
pub mod animation_polar;
pub mod central;
pub mod compare;
pub mod group;
pub mod inspect;
pub mod params;
pub mod search;
pub mod shortcuts;
pub mod status_bar;
pub mod stimulus;
pub mod top_bar;
pub mod unsaved_prompt;
