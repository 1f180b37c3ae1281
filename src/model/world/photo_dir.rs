//! The user's own photos (PNG or JPEG, read with the `image` crate) in place of the
//! bundled ones, for `image_patches` and `rotated_photos` stimuli.
//!
//! Each photo is decoded to grey; one longer than [`MAX_SIDE`] pixels on its long side is
//! scaled down to it (a 24-pixel retina on a 4000-pixel photo would see only texture,
//! and it bounds memory). At most [`MAX_TOTAL_PIXELS`] are kept from one folder.

use std::path::Path;
use std::sync::Arc;

use image::GrayImage;

use crate::model::world::data_dir::{self, Cache, DataDirError, Folder, Skipped};

/// Longest side a photo is kept at, in pixels.
pub const MAX_SIDE: u32 = 1024;

/// Most grey pixels kept from one folder (64 MB): 64 photos at the largest size.
pub const MAX_TOTAL_PIXELS: u64 = 64 << 20;

/// Largest image the decoder may allocate for, in bytes, before scaling down.
const MAX_DECODE_BYTES: u64 = 512 << 20;

/// Largest photo file read.
pub const MAX_PHOTO_FILE_BYTES: u64 = 64 << 20;

/// Most pixels a photo may declare in its header (checked before it is decoded): 8192².
pub const MAX_PHOTO_PIXELS: u64 = 8192 * 8192;

/// A loaded folder of photos.
pub type PhotoFolder = Folder<GrayImage>;

static PHOTOS: Cache<GrayImage> = Cache::new();

/// The photo folder `dir`, read on first use (see [`crate::model::world::data_dir`]).
pub fn photo_folder(dir: &Path) -> Result<Arc<PhotoFolder>, DataDirError> {
    PHOTOS.get(dir, load_folder)
}

/// Reads `dir` again on next use.
pub fn forget(dir: &Path) {
    PHOTOS.forget(dir);
}

/// Reads every `.png`, `.jpg` and `.jpeg` file of `dir` (others are skipped and named).
/// Each photo's size is read from its header and checked against [`MAX_PHOTO_PIXELS`]
/// and what is left of [`MAX_TOTAL_PIXELS`] before it is decoded. Blank photos (every
/// pixel the same) are skipped; a folder of blank photos is refused
/// ([`DataDirError::NoSignal`]).
pub fn load_folder(dir: &Path) -> Result<PhotoFolder, DataDirError> {
    let listing = data_dir::list_files(dir)?;
    let mut items = Vec::new();
    let mut skipped = listing.skipped;
    let mut budget = MAX_TOTAL_PIXELS;
    let mut blank = 0;
    for path in listing.files {
        let skip = |reason: String| Skipped {
            path: path.clone(),
            reason,
        };
        if !data_dir::has_extension(&path, &["png", "jpg", "jpeg"]) {
            skipped.push(skip("not a .png, .jpg or .jpeg file".into()));
            continue;
        }
        match read_photo_within(&path, budget) {
            Ok(photo) if is_blank(&photo) => {
                blank += 1;
                skipped.push(skip("blank (every pixel the same)".into()));
            }
            Ok(photo) => {
                budget -= u64::from(photo.width()) * u64::from(photo.height());
                items.push((path, photo));
            }
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    if items.is_empty() {
        return Err(data_dir::nothing_usable(
            dir,
            "PNG or JPEG",
            "blank",
            blank,
            skipped.len(),
        ));
    }
    Ok(Folder {
        path: dir.to_path_buf(),
        items,
        skipped,
    })
}

/// Whether every pixel has the same value.
fn is_blank(photo: &GrayImage) -> bool {
    let mut pixels = photo.pixels();
    match pixels.next() {
        Some(first) => pixels.all(|p| p == first),
        None => true,
    }
}

/// One photo, grey, scaled down to at most [`MAX_SIDE`] on its long side.
pub fn read_photo(path: &Path) -> Result<GrayImage, String> {
    read_photo_within(path, MAX_TOTAL_PIXELS)
}

/// The kept size `(w, h)` of a photo of `w × h` pixels: scaled down to [`MAX_SIDE`].
fn kept_size(w: u32, h: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= MAX_SIDE {
        return (w, h);
    }
    let scale = f64::from(MAX_SIDE) / f64::from(long);
    (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    )
}

/// [`read_photo`] if the photo, as kept, fits in `budget` pixels; its header is checked
/// before anything is decoded.
fn read_photo_within(path: &Path, budget: u64) -> Result<GrayImage, String> {
    let bytes =
        crate::bounded_read::read_limited(path, MAX_PHOTO_FILE_BYTES).map_err(|e| e.to_string())?;
    let reader = || {
        image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())
    };
    let (w, h) = reader()?.into_dimensions().map_err(|e| e.to_string())?;
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    if u64::from(w) * u64::from(h) > MAX_PHOTO_PIXELS {
        return Err(format!(
            "its header declares {w} × {h} pixels, more than the {MAX_PHOTO_PIXELS} read"
        ));
    }
    let (kw, kh) = kept_size(w, h);
    if u64::from(kw) * u64::from(kh) > budget {
        return Err(format!(
            "the folder's photos exceed {MAX_TOTAL_PIXELS} pixels, the most kept"
        ));
    }
    let mut reader = reader()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let grey = reader.decode().map_err(|e| e.to_string())?.to_luma8();
    if grey.dimensions() != (w, h) {
        return Err("the decoded image differs from its header's size".into());
    }
    if (kw, kh) == (w, h) {
        return Ok(grey);
    }
    Ok(image::imageops::resize(
        &grey,
        kw,
        kh,
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
