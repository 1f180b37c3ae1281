//! Opening a photo (PNG or JPEG) and fitting it to the retina.
//!
//! The image is converted to grey (luma in `[0, 1]`), the largest centred square is cut
//! out and resized to the retina (`side × side`, triangle filter); a ring of `n` pixels
//! takes the middle row of the `n × n` square. The result is normalised like an
//! [`ImagePatches`](crate::model::StimulusKind::ImagePatches) stimulus: zero mean, unit
//! standard deviation ([`normalise`]), so the detectors respond to it as they did in training.

use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use image::{DynamicImage, GrayImage, ImageReader, Limits};

use crate::io::read::{ReadError, read_limited};
use crate::model::Space;
pub use crate::model::world::image_patches::normalise;

/// Largest image file read (a photo from a phone is a few MiB).
pub const MAX_IMAGE_FILE_BYTES: u64 = 64 << 20;

/// Largest width or height decoded: a small file can declare a huge image (a
/// decompression bomb), so the decoder refuses it before allocating.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Most memory the decoder may allocate (an 8192 × 8192 RGBA image is 256 MiB).
pub const MAX_DECODE_BYTES: u64 = 256 << 20;

/// Why an image could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ImageInputError {
    /// The file could not be read (missing, not a regular file, too large, no
    /// permission); the message names the file.
    #[error(transparent)]
    Unreadable(#[from] ReadError),
    /// The file was read but is not a PNG or JPEG image this program can decode.
    #[error("{path} is not a readable PNG or JPEG image: {reason}")]
    NotAnImage {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        reason: String,
    },
    /// The image has no pixels.
    #[error("{path} has no pixels ({width} × {height})")]
    Empty {
        /// The file.
        path: PathBuf,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// Opens `path` as a grey image (format guessed from the content, not the extension).
pub fn open_grey(path: impl AsRef<Path>) -> Result<GrayImage, ImageInputError> {
    let path = path.as_ref();
    let bytes = read_limited(path, MAX_IMAGE_FILE_BYTES)?;
    let image = grey_from_bytes(&bytes).map_err(|reason| ImageInputError::NotAnImage {
        path: path.to_path_buf(),
        reason,
    })?;
    if image.width() == 0 || image.height() == 0 {
        return Err(ImageInputError::Empty {
            path: path.to_path_buf(),
            width: image.width(),
            height: image.height(),
        });
    }
    Ok(image)
}

/// Decodes PNG or JPEG bytes to grey within [`MAX_IMAGE_SIDE`] and [`MAX_DECODE_BYTES`];
/// the error is the decoder's message.
pub fn grey_from_bytes(bytes: &[u8]) -> Result<GrayImage, String> {
    let format = image::guess_format(bytes).map_err(|e| e.to_string())?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(format!(
            "{format:?} images are not supported (PNG or JPEG only)"
        ));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits);
    let decoded: DynamicImage = reader.decode().map_err(|e| e.to_string())?;
    Ok(decoded.to_luma8())
}

/// Fits a grey image to the retina (module docs) and normalises it. The polar retina
/// samples the image itself with its outer disc fitted into the centred square
/// ([`crate::model::world::polar::fit_placement`]), each sample smoothed over its cell
/// ([`crate::model::world::polar::sample_smoothed`]): the foveal rings see the photo's full
/// resolution, the rim an average instead of aliased single pixels.
pub fn pattern_from_image(image: &GrayImage, space: Space) -> Vec<f32> {
    let side = match space {
        Space::Ring { n } | Space::Line { n } => n,
        Space::Torus { side } | Space::Square { side } => side,
        Space::Polar { .. } => return polar_pattern(image, space),
    };
    let square = DynamicImage::ImageLuma8(centre_square(image));
    let fitted = square
        .resize_exact(side as u32, side as u32, FilterType::Triangle)
        .to_luma32f();
    let mut pattern: Vec<f32> = match space {
        Space::Ring { .. } | Space::Line { .. } => {
            let row = (side / 2) as u32;
            (0..side as u32)
                .map(|x| fitted.get_pixel(x, row).0[0])
                .collect()
        }
        Space::Torus { .. } | Space::Square { .. } | Space::Polar { .. } => {
            fitted.pixels().map(|p| p.0[0]).collect()
        }
    };
    normalise(&mut pattern);
    pattern
}

/// The polar retina's view of a whole image (see [`pattern_from_image`]).
fn polar_pattern(image: &GrayImage, space: Space) -> Vec<f32> {
    use crate::model::world::polar::{PolarGrid, fit_placement, sample_smoothed};
    let Some(grid) = PolarGrid::of(space) else {
        return Vec::new();
    };
    let (w, h) = (image.width() as usize, image.height() as usize);
    let mut pattern = sample_smoothed(&grid, image, &fit_placement(&grid, w, h));
    normalise(&mut pattern);
    pattern
}

/// Opens `path` and fits it to `space`: [`open_grey`] then [`pattern_from_image`].
pub fn open_pattern(path: impl AsRef<Path>, space: Space) -> Result<Vec<f32>, ImageInputError> {
    Ok(pattern_from_image(&open_grey(path)?, space))
}

/// The largest centred square of an image.
pub fn centre_square(image: &GrayImage) -> GrayImage {
    let (w, h) = image.dimensions();
    let s = w.min(h);
    image::imageops::crop_imm(image, (w - s) / 2, (h - s) / 2, s, s).to_image()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_patterns_have_zero_mean_and_unit_variance() {
        let mut p = vec![1.0, 2.0, 3.0, 4.0];
        normalise(&mut p);
        let mean: f32 = p.iter().sum::<f32>() / 4.0;
        let var: f32 = p.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / 4.0;
        assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5);
        let mut flat = vec![2.0; 5];
        normalise(&mut flat);
        assert_eq!(flat, vec![0.0; 5]);
    }

    #[test]
    fn a_gradient_image_keeps_its_orientation_on_the_retina() {
        // Brightness grows with x: on the retina, pixel (x, y) must grow with x too.
        let img = GrayImage::from_fn(40, 30, |x, _| image::Luma([(x * 6) as u8]));
        let p = pattern_from_image(&img, Space::Square { side: 8 });
        assert_eq!(p.len(), 64);
        for y in 0..8 {
            for x in 1..8 {
                assert!(p[y * 8 + x] > p[y * 8 + x - 1]);
            }
        }
        let ring = pattern_from_image(&img, Space::Ring { n: 16 });
        assert_eq!(ring.len(), 16);
        assert!(ring[15] > ring[0]);
    }

    #[test]
    fn garbage_and_missing_files_give_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.png");
        std::fs::write(&text, b"this is not an image").unwrap();
        let err = open_grey(&text).unwrap_err();
        assert!(matches!(err, ImageInputError::NotAnImage { .. }), "{err}");
        assert!(err.to_string().contains("notes.png"));
        let missing = dir.path().join("missing.jpg");
        assert!(matches!(
            open_grey(&missing),
            Err(ImageInputError::Unreadable(ReadError::Io { .. }))
        ));
        let err = open_grey(dir.path()).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = open_grey("/dev/zero").unwrap_err();
            assert!(err.to_string().contains("a character device"), "{err}");
        }
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A valid 1 × 1 PNG whose header claims 100 000 × 100 000 pixels.
        let mut png = Vec::new();
        image::GrayImage::new(1, 1)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        // The IHDR CRC covers bytes 12..29 (type and data).
        let mut crc = 0xffff_ffffu32;
        for &b in &png[12..29] {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        png[29..33].copy_from_slice(&(!crc).to_be_bytes());
        let err = grey_from_bytes(&png).unwrap_err();
        assert!(err.to_lowercase().contains("limit"), "{err}");
    }
}
