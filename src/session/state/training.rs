//! The toolbar's training controls: speed and the "Run to step" target.

/// The training controls of the toolbar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainingControls {
    /// Steps per second when not at full speed.
    pub speed_steps_per_sec: f64,
    /// Run as fast as the machine allows.
    pub max_speed: bool,
    /// The "Run to step" target.
    pub run_until: u64,
}

impl Default for TrainingControls {
    fn default() -> Self {
        Self {
            speed_steps_per_sec: 50.0,
            max_speed: true,
            run_until: 0,
        }
    }
}
