//! The user's own photos (PNG or JPEG, read with the `image` crate) in place of the
//! bundled ones, for `image_patches` and `rotated_photos` stimuli.
//!
//! Each photo is decoded to grey; one longer than [`MAX_SIDE`] pixels on its long side is
//! scaled down to it (a 24-pixel retina on a 4000-pixel photo would see only texture,
//! and it bounds memory). At most [`MAX_TOTAL_PIXELS`] are kept from one folder.

use std::path::Path;
use std::sync::Arc;

use image::GrayImage;

use super::data_dir::{self, Cache, DataDirError, Folder, Skipped};

/// Longest side a photo is kept at, in pixels.
pub const MAX_SIDE: u32 = 1024;

/// Most grey pixels kept from one folder (64 MB): 64 photos at the largest size.
pub const MAX_TOTAL_PIXELS: u64 = 64 << 20;

/// Largest image the decoder may allocate for, in bytes, before scaling down.
const MAX_DECODE_BYTES: u64 = 512 << 20;

/// A loaded folder of photos.
pub type PhotoFolder = Folder<GrayImage>;

static PHOTOS: Cache<GrayImage> = Cache::new();

/// The photo folder `dir`, read on first use (see [`crate::model::data_dir`]).
pub fn photo_folder(dir: &Path) -> Result<Arc<PhotoFolder>, DataDirError> {
    PHOTOS.get(dir, load_folder)
}

/// Reads `dir` again on next use.
pub fn forget(dir: &Path) {
    PHOTOS.forget(dir);
}

/// Reads every `.png`, `.jpg` and `.jpeg` file of `dir` (others are skipped and named).
pub fn load_folder(dir: &Path) -> Result<PhotoFolder, DataDirError> {
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let mut budget = MAX_TOTAL_PIXELS;
    for path in data_dir::list_files(dir)? {
        let skip = |reason: String| Skipped {
            path: path.clone(),
            reason,
        };
        if !data_dir::has_extension(&path, &["png", "jpg", "jpeg"]) {
            skipped.push(skip("not a .png, .jpg or .jpeg file".into()));
            continue;
        }
        match read_photo(&path) {
            Ok(photo) => {
                let pixels = u64::from(photo.width()) * u64::from(photo.height());
                if pixels > budget {
                    skipped.push(skip(format!(
                        "the folder's photos exceed {MAX_TOTAL_PIXELS} pixels, the most kept"
                    )));
                    continue;
                }
                budget -= pixels;
                items.push((path, photo));
            }
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    if items.is_empty() {
        return Err(DataDirError::Empty {
            path: dir.to_path_buf(),
            what: "PNG or JPEG",
            skipped: skipped.len(),
        });
    }
    Ok(Folder {
        path: dir.to_path_buf(),
        items,
        skipped,
    })
}

/// One photo, grey, scaled down to at most [`MAX_SIDE`] on its long side.
pub fn read_photo(path: &Path) -> Result<GrayImage, String> {
    let mut reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let grey = reader.decode().map_err(|e| e.to_string())?.to_luma8();
    let (w, h) = grey.dimensions();
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    let long = w.max(h);
    if long <= MAX_SIDE {
        return Ok(grey);
    }
    let scale = f64::from(MAX_SIDE) / f64::from(long);
    let (nw, nh) = (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    );
    Ok(image::imageops::resize(
        &grey,
        nw,
        nh,
        image::imageops::FilterType::Triangle,
    ))
}

/// The folder's photos whose short side is at least `min_side` pixels, or an error
/// naming the folder when none is.
pub fn photos_at_least(
    folder: &PhotoFolder,
    min_side: usize,
) -> Result<Vec<&GrayImage>, crate::model::ConfigError> {
    let fit: Vec<&GrayImage> = folder
        .items
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.width().min(p.height()) as usize >= min_side)
        .collect();
    if fit.is_empty() {
        return Err(crate::model::ConfigError::Invalid {
            field: "stimulus.data_dir",
            reason: format!(
                "no photo in {} is at least {min_side} pixels on its short side, as the \
                 retina needs",
                folder.path.display()
            ),
        });
    }
    Ok(fit)
}
