//! The image loader on arbitrary bytes: PNG/JPEG decoding within the size limits, errors
//! never panics; an accepted image fits the retina.
#![no_main]

use invariance_lab::model::Space;
use invariance_lab::transform::image_input::{MAX_IMAGE_SIDE, grey_from_bytes, pattern_from_image};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(image) = grey_from_bytes(data) {
        assert!(image.width() <= MAX_IMAGE_SIDE && image.height() <= MAX_IMAGE_SIDE);
        if image.width() > 0 && image.height() > 0 {
            let p = pattern_from_image(&image, Space::Square { side: 8 });
            assert_eq!(p.len(), 64);
        }
    }
});
