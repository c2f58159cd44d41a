//! The bundled handwritten digits: 1797 images of 8×8 pixels.
//!
//! E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
//! UCI Machine Learning Repository, 1998, DOI 10.24432/C50P49, licensed
//! CC BY 4.0 (see `data/README.md` next to the file). The file is embedded
//! in the library, so no download is ever needed.

use std::io::Read;

use flate2::read::GzDecoder;
use tensor::Tensor;

use crate::Dataset;

/// The gzip-compressed CSV: 65 integers per line, 64 pixels (0..16, row by
/// row) and the digit.
const DIGITS_CSV_GZ: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/digits.csv.gz"
));

/// The number of images.
pub const DIGITS_LEN: usize = 1797;

/// The 1797 digits: features `[1797, 64]` scaled from 0..16 to [0, 1], and
/// labels 0..9.
///
/// ```
/// let digits = train::digits();
/// assert_eq!((digits.len(), digits.dim(), digits.classes()), (1797, 64, Some(10)));
/// assert_eq!(digits.class_counts().unwrap(), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
/// ```
pub fn digits() -> Dataset {
    // The file is part of the library and checked by its tests: a failure
    // here is a broken build, not bad input.
    parse_digits(DIGITS_CSV_GZ).expect("the embedded digits file is valid")
}

/// Parses the digits file format (gzip-compressed CSV, 64 pixels 0..16 and
/// a label 0..9 per line); errors name the line and the problem.
pub fn parse_digits(gz: &[u8]) -> Result<Dataset, String> {
    let mut text = String::new();
    GzDecoder::new(gz)
        .take(4 << 20) // the real file is 0.3 MB unpacked
        .read_to_string(&mut text)
        .map_err(|e| format!("digits: cannot decompress: {e}"))?;
    let mut pixels = Vec::with_capacity(64 * DIGITS_LEN);
    let mut labels = Vec::with_capacity(DIGITS_LEN);
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let values: Vec<&str> = line.trim().split(',').collect();
        if values.len() != 65 {
            return Err(format!(
                "digits: line {}: {} values, expected 65",
                i + 1,
                values.len()
            ));
        }
        for (j, v) in values.iter().enumerate() {
            let n: u8 = v.trim().parse().map_err(|_| {
                format!(
                    "digits: line {}, value {}: '{v}' is not a small integer",
                    i + 1,
                    j + 1
                )
            })?;
            match j {
                64 if n > 9 => {
                    return Err(format!("digits: line {}: label {n} is not a digit", i + 1));
                }
                64 => labels.push(n as usize),
                _ if n > 16 => {
                    return Err(format!(
                        "digits: line {}, pixel {}: {n} is above 16",
                        i + 1,
                        j + 1
                    ));
                }
                _ => pixels.push(f32::from(n) / 16.0),
            }
        }
    }
    let n = labels.len();
    Ok(Dataset::classification_with(
        Tensor::from_vec(pixels, [n, 64]),
        labels,
        10,
    ))
}
