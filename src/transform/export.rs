//! Exporting an orbit for slides and for numerical checks.
//!
//! [`write_orbit`] writes into a directory:
//! - `frame_000.png, frame_001.png, …`: each frame with the *crisp* rendering on the
//!   left and the *honest* rendering on the right. 2-D spaces are drawn as grey images
//!   (nearest-neighbour enlarged), 1-D rings as line plots (pixel index across, value up,
//!   a light zero line), the log-polar retina as round, smooth pictures
//!   ([`super::polar_render`]). Each rendering keeps one grey/value range for the whole
//!   orbit, so brightness does not flicker between frames. With a [`TurnedPhoto`] (the
//!   found map is an exact rotation of the polar retina) a third panel shows the
//!   full-resolution photo turned by the same angle per frame.
//! - `orbit.gif`: the same frames as an endlessly looping animated GIF;
//! - `orbit.npy`: the crisp frames as a `frames × pixels` float32 array, unscaled.
//!
//! Every file is written atomically (temporary file + rename).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, DynamicImage, Frame, ImageFormat, Rgb, RgbImage};
use ndarray::Array2;
use ndarray_npy::WriteNpyExt;

use super::orbit::Orbit;
use crate::io::atomic::write_atomically;
use crate::model::Space;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Creating the directory or writing a file failed.
    #[error("{}", crate::io::atomic::write_failure("write", path, cause))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// Encoding an image failed.
    #[error("cannot encode {path}: {reason}")]
    Encode {
        /// The file.
        path: PathBuf,
        /// The encoder's message.
        reason: String,
    },
    /// The orbit is empty or its frames do not fit the space.
    #[error("nothing to export: {0}")]
    BadOrbit(String),
}

/// Look of the exported frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExportOptions {
    /// Enlargement of 2-D frames (screen pixels per retina pixel).
    pub scale: u32,
    /// Size of one 1-D plot panel `(width, height)` in pixels.
    pub plot_size: (u32, u32),
    /// Delay between GIF frames in milliseconds.
    pub frame_ms: u32,
    /// Diameter of one polar-retina panel in pixels.
    pub disc_px: u32,
}

pub use super::polar_render::TurnedPhoto;

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            scale: 12,
            plot_size: (480, 240),
            frame_ms: 500,
            disc_px: 360,
        }
    }
}

/// What [`write_orbit`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// The PNG frames in order.
    pub frames: Vec<PathBuf>,
    /// The animated GIF.
    pub gif: PathBuf,
    /// The crisp frames as float32 `.npy`.
    pub npy: PathBuf,
}

const GAP: u32 = 8;
const BACKGROUND: Rgb<u8> = Rgb([255, 255, 255]);
const CRISP_COLOUR: Rgb<u8> = Rgb([31, 78, 160]);
const HONEST_COLOUR: Rgb<u8> = Rgb([214, 110, 20]);

/// Checks, before any work, that the orbit can be written into `dir`: it is a folder
/// (or does not exist yet), and none of the files an orbit writes there —
/// `frame_000.png` … (up to `max_frames`), `orbit.gif`, `orbit.npy` — is anything but a
/// regular file (a link to one is written through).
pub fn check_orbit_dir(dir: &Path, max_frames: usize) -> Result<(), ExportError> {
    let io = |path: &Path, cause| ExportError::Io {
        path: path.to_path_buf(),
        cause,
    };
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir, e)),
        Ok(meta) if !meta.is_dir() => {
            return Err(io(
                dir,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "`{}` is {}, not a folder",
                        dir.display(),
                        crate::io::read::describe(&meta.file_type())
                    ),
                ),
            ));
        }
        Ok(_) => {}
    }
    let names = (0..max_frames)
        .map(|k| format!("frame_{k:03}.png"))
        .chain(["orbit.gif".to_string(), "orbit.npy".to_string()]);
    for name in names {
        let path = dir.join(name);
        crate::io::atomic::resolve_target(&path).map_err(|e| io(&path, e))?;
    }
    Ok(())
}

/// Writes the frames, the GIF and `orbit.npy` of `orbit` into `dir` (created if missing).
pub fn write_orbit(
    dir: impl AsRef<Path>,
    space: Space,
    orbit: &Orbit,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    write_orbit_with(dir, space, orbit, options, None)
}

/// [`write_orbit`] with the polar retina's third panel (ignored on other spaces).
pub fn write_orbit_with(
    dir: impl AsRef<Path>,
    space: Space,
    orbit: &Orbit,
    options: &ExportOptions,
    turned: Option<&TurnedPhoto>,
) -> Result<ExportSummary, ExportError> {
    let dir = dir.as_ref();
    let images = render_frames_with(space, orbit, options, turned)?;
    std::fs::create_dir_all(dir).map_err(|cause| ExportError::Io {
        path: dir.to_path_buf(),
        cause,
    })?;
    let mut frames = Vec::with_capacity(images.len());
    for (k, img) in images.iter().enumerate() {
        let path = dir.join(format!("frame_{k:03}.png"));
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut bytes, ImageFormat::Png)
            .map_err(|e| ExportError::Encode {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        write_bytes(&path, bytes.get_ref())?;
        frames.push(path);
    }
    let gif = dir.join("orbit.gif");
    write_bytes(&gif, &gif_bytes(&images, options.frame_ms, &gif)?)?;
    let npy = dir.join("orbit.npy");
    let array = crisp_array(orbit);
    write_atomically(&npy, |w| array.write_npy(w).map_err(std::io::Error::other)).map_err(
        |cause| ExportError::Io {
            path: npy.clone(),
            cause,
        },
    )?;
    Ok(ExportSummary { frames, gif, npy })
}

/// The crisp frames as a `frames × pixels` array.
pub fn crisp_array(orbit: &Orbit) -> Array2<f32> {
    let pixels = orbit.crisp.first().map_or(0, Vec::len);
    Array2::from_shape_fn((orbit.len(), pixels), |(k, p)| orbit.crisp[k][p])
}

/// Renders every frame of `orbit` (crisp left, honest right) as an RGB image.
pub fn render_frames(
    space: Space,
    orbit: &Orbit,
    options: &ExportOptions,
) -> Result<Vec<RgbImage>, ExportError> {
    render_frames_with(space, orbit, options, None)
}

/// [`render_frames`] with the polar retina's third panel (ignored on other spaces).
pub fn render_frames_with(
    space: Space,
    orbit: &Orbit,
    options: &ExportOptions,
    turned: Option<&TurnedPhoto>,
) -> Result<Vec<RgbImage>, ExportError> {
    let pixels = super::pixel_count(space);
    if orbit.is_empty() {
        return Err(ExportError::BadOrbit("the orbit has no frames".into()));
    }
    if orbit
        .crisp
        .iter()
        .chain(&orbit.honest)
        .any(|f| f.len() != pixels)
    {
        return Err(ExportError::BadOrbit(format!(
            "frames do not have {pixels} pixels"
        )));
    }
    let crisp_range = value_range(&orbit.crisp);
    let honest_range = value_range(&orbit.honest);
    if let Some(grid) = crate::model::world::polar::PolarGrid::of(space) {
        return (0..orbit.len())
            .map(|k| {
                polar_frame(
                    &grid,
                    [
                        (&orbit.crisp[k], crisp_range),
                        (&orbit.honest[k], honest_range),
                    ],
                    turned,
                    k,
                    options.disc_px.max(16) as usize,
                )
            })
            .collect();
    }
    Ok((0..orbit.len())
        .map(|k| match space {
            Space::Ring { .. } | Space::Line { .. } => {
                let (w, h) = options.plot_size;
                let mut img = RgbImage::from_pixel(2 * w + GAP, h, BACKGROUND);
                draw_plot(
                    &mut img,
                    0,
                    (w, h),
                    &orbit.crisp[k],
                    crisp_range,
                    CRISP_COLOUR,
                );
                draw_plot(
                    &mut img,
                    w + GAP,
                    (w, h),
                    &orbit.honest[k],
                    honest_range,
                    HONEST_COLOUR,
                );
                img
            }
            Space::Torus { side } | Space::Square { side } | Space::Polar { sectors: side, .. } => {
                let s = options.scale.max(1);
                let panel = side as u32 * s;
                let mut img = RgbImage::from_pixel(2 * panel + GAP, panel, BACKGROUND);
                draw_grey(&mut img, 0, side, s, &orbit.crisp[k], crisp_range);
                draw_grey(
                    &mut img,
                    panel + GAP,
                    side,
                    s,
                    &orbit.honest[k],
                    honest_range,
                );
                img
            }
        })
        .collect())
}

/// The animated GIF of `images`, looping forever.
pub fn gif_bytes(images: &[RgbImage], frame_ms: u32, path: &Path) -> Result<Vec<u8>, ExportError> {
    let encode_err = |e: image::ImageError| ExportError::Encode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut bytes, 10);
        encoder.set_repeat(Repeat::Infinite).map_err(encode_err)?;
        for img in images {
            let rgba = DynamicImage::ImageRgb8(img.clone()).to_rgba8();
            let frame = Frame::from_parts(rgba, 0, 0, Delay::from_numer_denom_ms(frame_ms, 1));
            encoder.encode_frame(frame).map_err(encode_err)?;
        }
    }
    Ok(bytes)
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    use std::io::Write;
    write_atomically(path, |w| w.write_all(bytes)).map_err(|cause| ExportError::Io {
        path: path.to_path_buf(),
        cause,
    })
}

/// `(min, max)` over all frames, widened to a non-empty interval: the grey scale of the
/// exported frames and of the app's animation view.
pub fn value_range(frames: &[Vec<f32>]) -> (f32, f32) {
    let (lo, hi) = frames
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// One polar frame: crisp and honest discs, and the turned photo if given.
fn polar_frame(
    grid: &crate::model::world::polar::PolarGrid,
    panels: [(&Vec<f32>, (f32, f32)); 2],
    turned: Option<&TurnedPhoto>,
    k: usize,
    size: usize,
) -> Result<RgbImage, ExportError> {
    use super::polar_render::{render_disc, render_turned_photo};
    let mut discs = Vec::with_capacity(3);
    for (values, range) in panels {
        discs.push(
            render_disc(grid, values, size, range)
                .map_err(|e| ExportError::BadOrbit(e.to_string()))?,
        );
    }
    if let Some(t) = turned {
        discs.push(render_turned_photo(
            grid,
            &t.photo,
            &t.placement,
            t.radians_per_frame * k as f64,
            size,
        ));
    }
    let n = discs.len() as u32;
    let side = size as u32;
    let mut img = RgbImage::from_pixel(n * side + (n - 1) * GAP, side, BACKGROUND);
    for (d, disc) in discs.iter().enumerate() {
        let left = d as u32 * (side + GAP);
        for (i, g) in disc.iter().enumerate() {
            if let Some(g) = *g {
                img.put_pixel(left + (i % size) as u32, (i / size) as u32, Rgb([g, g, g]));
            }
        }
    }
    Ok(img)
}

fn draw_grey(
    img: &mut RgbImage,
    left: u32,
    side: usize,
    scale: u32,
    frame: &[f32],
    (lo, hi): (f32, f32),
) {
    for (p, &v) in frame.iter().enumerate() {
        let (x, y) = ((p % side) as u32, (p / side) as u32);
        let g = (((v - lo) / (hi - lo)).clamp(0.0, 1.0) * 255.0).round() as u8;
        for dy in 0..scale {
            for dx in 0..scale {
                img.put_pixel(left + x * scale + dx, y * scale + dy, Rgb([g, g, g]));
            }
        }
    }
}

fn draw_plot(
    img: &mut RgbImage,
    left: u32,
    (w, h): (u32, u32),
    frame: &[f32],
    (lo, hi): (f32, f32),
    colour: Rgb<u8>,
) {
    let margin = 12.0f32;
    let (wf, hf) = (w as f32, h as f32);
    let to_x = |i: usize| margin + (wf - 2.0 * margin) * i as f32 / (frame.len().max(2) - 1) as f32;
    let to_y = |v: f32| hf - margin - (hf - 2.0 * margin) * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let frame_colour = Rgb([120, 120, 120]);
    let grid_colour = Rgb([215, 215, 215]);
    // Axes box and, where it is in range, the zero line.
    for x in 0..w {
        put(img, left as f32 + x as f32, margin - 1.0, frame_colour);
        put(img, left as f32 + x as f32, hf - margin + 1.0, frame_colour);
    }
    for y in 0..h {
        put(img, left as f32 + margin - 1.0, y as f32, frame_colour);
        put(img, left as f32 + wf - margin + 1.0, y as f32, frame_colour);
    }
    if lo < 0.0 && hi > 0.0 {
        let y0 = to_y(0.0);
        for x in (margin as u32)..(w - margin as u32) {
            put(img, left as f32 + x as f32, y0, grid_colour);
        }
    }
    for i in 1..frame.len() {
        let (x0, y0) = (left as f32 + to_x(i - 1), to_y(frame[i - 1]));
        let (x1, y1) = (left as f32 + to_x(i), to_y(frame[i]));
        let steps = ((x1 - x0).abs().max((y1 - y0).abs()).ceil() as usize).max(1);
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            let (x, y) = (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
            for (dx, dy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                put(img, x + dx - 0.5, y + dy - 0.5, colour);
            }
        }
    }
    // A dot at every retina pixel, so the sliding is readable pixel by pixel.
    for (i, &v) in frame.iter().enumerate() {
        let (x, y) = (left as f32 + to_x(i), to_y(v));
        for dx in -2..=2 {
            for dy in -2..=2 {
                put(img, x + dx as f32, y + dy as f32, colour);
            }
        }
    }
}

fn put(img: &mut RgbImage, x: f32, y: f32, colour: Rgb<u8>) {
    if x >= 0.0 && y >= 0.0 && (x as u32) < img.width() && (y as u32) < img.height() {
        img.put_pixel(x as u32, y as u32, colour);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_orbit() -> Orbit {
        let base: Vec<f32> = (0..10).map(|x| if x == 2 { 1.0 } else { 0.0 }).collect();
        let frames: Vec<Vec<f32>> = (0..3)
            .map(|k| (0..10).map(|q| base[(q + 10 - k) % 10]).collect())
            .collect();
        Orbit {
            crisp: frames.clone(),
            honest: frames,
            agreement: vec![1.0; 3],
        }
    }

    #[test]
    fn writes_frames_gif_and_npy_that_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let orbit = ring_orbit();
        let summary = write_orbit(
            dir.path().join("out"),
            Space::Ring { n: 10 },
            &orbit,
            &ExportOptions::default(),
        )
        .unwrap();
        assert_eq!(summary.frames.len(), 3);
        let png = image::open(&summary.frames[1]).unwrap();
        assert_eq!(png.width(), 2 * 480 + GAP);
        let npy: Array2<f32> = ndarray_npy::read_npy(&summary.npy).unwrap();
        assert_eq!(npy.dim(), (3, 10));
        assert_eq!(npy[[1, 3]], 1.0);
        assert_eq!(npy[[2, 4]], 1.0);
        let gif = std::fs::read(&summary.gif).unwrap();
        let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(gif)).unwrap();
        use image::AnimationDecoder;
        assert_eq!(decoder.into_frames().count(), 3);
    }

    #[test]
    fn two_d_frames_are_enlarged_grey_images() {
        let side = 4;
        let frame: Vec<f32> = (0..16).map(|p| p as f32).collect();
        let orbit = Orbit {
            crisp: vec![frame.clone()],
            honest: vec![frame],
            agreement: vec![1.0],
        };
        let options = ExportOptions {
            disc_px: 64,
            scale: 3,
            ..ExportOptions::default()
        };
        let images = render_frames(Space::Square { side }, &orbit, &options).unwrap();
        let img = &images[0];
        assert_eq!((img.width(), img.height()), (2 * 12 + GAP, 12));
        assert_eq!(img.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(img.get_pixel(11, 11).0, [255, 255, 255]);
        // Pixel (x=1, y=0) is brighter than (x=0, y=0): row-major layout.
        assert!(img.get_pixel(4, 0).0[0] > 0);
        assert!(render_frames(Space::Square { side: 5 }, &orbit, &options).is_err());
    }
}
