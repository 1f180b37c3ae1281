//! Widgets the panels draw with: the heatmap, plots, the field gallery, the spectrum
//! and polar pictures, colour maps, the theme and the export menu of every plot.

pub mod colormap;
pub mod export_menu;
pub mod field_gallery;
pub mod heatmap;
pub mod plots;
pub mod polar;
pub mod presentation;
pub mod spectrum;
pub mod theme;
