//! The desktop app (eframe/egui). Issue 4.
