//! PNG from the SVG figures, rendered by `resvg` (pure Rust) with DejaVu Sans compiled
//! into the binary, so a PNG looks like its SVG and shows its text on a machine without
//! any fonts installed.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::FigureError;

/// The embedded font (licence in `assets/fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Largest side of a rendered PNG in pixels (guards against absurd scales).
pub const MAX_PNG_SIDE: u32 = 8192;

/// The font database with the embedded font as every generic family.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(DEJAVU_SANS.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            db.set_serif_family("DejaVu Sans");
            db.set_monospace_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// Renders an SVG document at `scale` × its own size (2 for slides and print) as PNG bytes.
pub fn png_from_svg(svg: &str, scale: f32) -> Result<Vec<u8>, FigureError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(FigureError::Render(format!(
            "scale {scale} is not positive"
        )));
    }
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| FigureError::Render(format!("cannot parse the SVG: {e}")))?;
    let size = tree.size();
    let w = (size.width() * scale).ceil();
    let h = (size.height() * scale).ceil();
    if w > MAX_PNG_SIDE as f32 || h > MAX_PNG_SIDE as f32 {
        return Err(FigureError::Render(format!(
            "{w} × {h} pixels is larger than {MAX_PNG_SIDE} on a side"
        )));
    }
    let mut pixmap = tiny_skia::Pixmap::new(w as u32, h as u32)
        .ok_or_else(|| FigureError::Render(format!("cannot make a {w} × {h} picture")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| FigureError::Render(format!("cannot encode the PNG: {e}")))
}

/// PNG bytes of an image.
pub fn encode_png(img: &image::DynamicImage) -> Result<Vec<u8>, FigureError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| FigureError::Render(format!("cannot encode the PNG: {e}")))?;
    Ok(bytes.into_inner())
}
