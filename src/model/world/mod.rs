//! The world room: what the layer sees — the spaces of pixels (ring, torus, square,
//! open line, log-polar retina), the stimuli drawn on them, and the photos and sounds
//! (bundled or read from the user's folders) the natural stimuli come from.

pub mod audio;
pub mod data_dir;
pub mod folders;
pub mod image_patches;
pub mod photo_dir;
pub mod polar;
pub mod polar_space;
pub mod polar_stimulus;
pub mod space;
pub mod space_group;
pub mod stimulus;
mod transformation_name;
