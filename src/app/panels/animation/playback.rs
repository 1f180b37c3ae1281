//! Playing the orbit: play / pause, step, restart, speed and length, and the export
//! button in the same row.

/// Which frame is shown and how the animation advances.
pub struct Playback {
    /// Length of the orbit to compute, the starting pattern included.
    pub frames: usize,
    /// The frame shown.
    pub frame: usize,
    playing: bool,
    frames_per_sec: f32,
    /// Time (egui's clock, seconds) of the last advance.
    last_advance: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            frames: 9,
            frame: 0,
            playing: true,
            frames_per_sec: 2.0,
            last_advance: 0.0,
        }
    }
}

impl Playback {
    /// Keeps the shown frame inside a newly computed orbit of `len` frames.
    pub fn clamp_to(&mut self, len: usize) {
        self.frame = self.frame.min(len.saturating_sub(1));
    }

    /// The delay between frames of an exported GIF at the current speed.
    pub fn frame_ms(&self) -> u32 {
        (1000.0 / self.frames_per_sec.max(0.01))
            .round()
            .clamp(1.0, 60_000.0) as u32
    }

    /// The controls for an orbit of `frames` frames; advances the frame while playing.
    /// Returns true when "Export…" was clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, frames: usize) -> bool {
        let now = ui.input(|i| i.time);
        let mut export = false;
        ui.horizontal(|ui| {
            let label = if self.playing { "Pause" } else { "Play" };
            if ui
                .button(label)
                .on_hover_text("Play or pause the animation.")
                .clicked()
            {
                self.playing = !self.playing;
                self.last_advance = now;
            }
            if ui
                .button("Step")
                .on_hover_text("Show the next frame (π applied once more).")
                .clicked()
            {
                self.playing = false;
                self.frame = (self.frame + 1) % frames.max(1);
            }
            if ui
                .button("Restart")
                .on_hover_text("Back to the starting pattern.")
                .clicked()
            {
                self.frame = 0;
                self.last_advance = now;
            }
            ui.add(
                egui::Slider::new(&mut self.frames_per_sec, 0.25..=10.0)
                    .logarithmic(true)
                    .text("frames/s"),
            )
            .on_hover_text("Animation speed.");
            ui.add(egui::Slider::new(&mut self.frames, 2..=65).text("frames"))
                .on_hover_text("Length of the orbit, the starting pattern included.");
            export = ui
                .button("Export…")
                .on_hover_text("Write PNG frames, orbit.gif and orbit.npy (and orbit.mp4 when ffmpeg is on the PATH) into a folder.")
                .clicked();
        });
        if self.playing && frames > 1 {
            let period = 1.0 / f64::from(self.frames_per_sec.max(0.01));
            if now - self.last_advance >= period {
                self.frame = (self.frame + 1) % frames;
                self.last_advance = now;
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(period / 2.0));
        }
        export
    }
}
