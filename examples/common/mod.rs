//! What the examples share: their command line, the spiral data set, the
//! bundled handwritten digits, and the kinds of figure the book shows
//! (curves with a legend, on a linear or a logarithmic y axis; histograms
//! side by side on shared axes; the decision regions of a classifier with
//! the data on top).
//!
//! An example uses it with `mod common;`. Cargo builds this file into every
//! example that does, and each uses only some of the helpers: without the
//! `allow`, each example would warn about the helpers it does not call.
#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gradschool::prelude::*;
use rand::Rng;

/// What an example returns: `Err` with a message when something failed,
/// including a claim of the book that did not hold.
pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// The command line every example understands.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--quick`: fewer steps (for CI); the example says what it checks then.
    pub quick: bool,
    /// `--out DIR`: where figures go; `target/figures` of the workspace by
    /// default (never the book: `scripts/figures.sh` writes there).
    pub out: PathBuf,
    /// `--data-dir DIR`: a folder of data files to train on instead of the
    /// bundled data, for the examples that can (`mnist`: the MNIST or
    /// Fashion-MNIST files); `None` if not given.
    pub data_dir: Option<PathBuf>,
}

impl Options {
    /// Reads `--quick`, `--out DIR` and `--data-dir DIR`. Other arguments
    /// are ignored with a note: `cargo test -- FILTER` passes its arguments
    /// to the examples it runs as tests, and those must not make them fail.
    pub fn from_args() -> std::result::Result<Options, String> {
        let mut options = Options {
            quick: false,
            out: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/figures"),
            data_dir: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--out" => match args.next() {
                    Some(dir) => options.out = PathBuf::from(dir),
                    None => return Err("--out needs a directory: --out DIR".into()),
                },
                "--data-dir" => match args.next() {
                    Some(dir) => options.data_dir = Some(PathBuf::from(dir)),
                    None => return Err("--data-dir needs a directory: --data-dir DIR".into()),
                },
                _ => eprintln!(
                    "note: ignoring argument '{arg}' (options: --quick, --out DIR, --data-dir DIR)"
                ),
            }
        }
        Ok(options)
    }

    /// The path of figure `name` in the output directory, creating the
    /// directory if needed.
    pub fn figure(&self, name: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.out)
            .map_err(|e| format!("cannot create {}: {e}", self.out.display()))?;
        Ok(self.out.join(name))
    }
}

/// Runs an example: parses the options, calls `example`, and turns an
/// error into a message on stderr and a failing exit code (so that CI and
/// `cargo test` notice a claim that does not hold).
pub fn run(example: fn(&Options) -> Result) -> ExitCode {
    let outcome = Options::from_args()
        .map_err(Into::into)
        .and_then(|options| example(&options));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: spiral
/// The three-arm spiral of CS231n: for class k, radius r = i/(n−1) and angle
/// t = 4k + 4r + N(0, 0.2²); the point is (r sin t, r cos t). Returns the
/// points, `[3n, 2]`, and their classes.
pub fn spiral(points_per_class: usize, rng: &mut impl Rng) -> (Tensor, Vec<usize>) {
    let mut xy = Vec::new();
    let mut labels = Vec::new();
    for k in 0..3 {
        for i in 0..points_per_class {
            let r = i as f32 / (points_per_class - 1) as f32;
            let noise: f32 = rng.sample(rand_distr::StandardNormal);
            let t = 4.0 * k as f32 + 4.0 * r + 0.2 * noise;
            xy.extend([r * t.sin(), r * t.cos()]);
            labels.push(k);
        }
    }
    (Tensor::from_vec(xy, [3 * points_per_class, 2]), labels)
}
// ANCHOR_END: spiral

/// Three overlapping Gaussian blobs: class k is centred at radius 2 and
/// angle 2πk/3, with standard deviation `std` in each coordinate. With
/// `std` near 1 the classes overlap, so no classifier reaches zero loss:
/// the loss of a trained network has a floor above 0. Returns the points,
/// `[3n, 2]`, and their classes.
pub fn blobs(points_per_class: usize, std: f32, rng: &mut impl Rng) -> (Tensor, Vec<usize>) {
    let mut xy = Vec::new();
    let mut labels = Vec::new();
    for k in 0..3 {
        let angle = 2.0 * std::f32::consts::PI * k as f32 / 3.0;
        for _ in 0..points_per_class {
            let dx: f32 = rng.sample(rand_distr::StandardNormal);
            let dy: f32 = rng.sample(rand_distr::StandardNormal);
            xy.extend([2.0 * angle.cos() + std * dx, 2.0 * angle.sin() + std * dy]);
            labels.push(k);
        }
    }
    (Tensor::from_vec(xy, [3 * points_per_class, 2]), labels)
}

// ANCHOR: digits
/// Images in the bundled file.
pub const DIGITS: usize = 1797;
/// Pixels per image: 8 × 8, row by row.
pub const DIGIT_PIXELS: usize = 64;

/// The 1797 handwritten digits of UCI/scikit-learn (8 × 8 pixels, about 180
/// of each digit; `data/README.md` has the source and licence), embedded
/// in the library (`train::digits`): no file to find at run time, no
/// download. Returns the images as a `[1797, 64]` tensor with each pixel's
/// intensity 0..=16 scaled to [0, 1], and the digit shown by each, 0..=9.
pub fn digits() -> Result<(Tensor, Vec<usize>)> {
    let data = gradschool::train::digits();
    let labels = data
        .labels()
        .ok_or("the digits have class labels")?
        .to_vec();
    Ok((data.features().clone(), labels))
}

/// Splits a labelled data set: `per_class` examples of each class, drawn at
/// random (by `rng`), for training, and all the others for validation.
/// Returns the two lists of row indices, each in increasing order. With 10
/// classes and `per_class` = 30, that is 300 training examples, exactly as
/// many of each class, so that no class is favoured by chance.
///
/// # Panics
/// If a class (0 up to the largest label) has `per_class` examples or fewer:
/// it would leave none of that class to validate on.
#[track_caller]
pub fn stratified_split(
    labels: &[usize],
    per_class: usize,
    rng: &mut impl Rng,
) -> (Vec<usize>, Vec<usize>) {
    use rand::seq::SliceRandom;
    let classes = labels.iter().max().map_or(0, |&k| k + 1);
    let mut train = Vec::with_capacity(classes * per_class);
    for class in 0..classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        assert!(
            members.len() > per_class,
            "stratified_split: class {class} has {} examples, needs more than {per_class}",
            members.len()
        );
        members.shuffle(rng);
        train.extend_from_slice(&members[..per_class]);
    }
    train.sort_unstable();
    let mut is_train = vec![false; labels.len()];
    for &i in &train {
        is_train[i] = true;
    }
    let validation = (0..labels.len()).filter(|&i| !is_train[i]).collect();
    (train, validation)
}
// ANCHOR_END: digits

/// Saves `model` as a safetensors checkpoint at `path` (with `metadata`),
/// loads it into `fresh` — the same architecture with other random weights
/// — and checks that the two give bit-identical outputs on `features`, in
/// evaluation mode: what a checkpoint is for.
pub fn save_and_reload(
    model: &Sequential,
    mut fresh: Sequential,
    path: &Path,
    metadata: &[(&str, &str)],
    features: &Tensor,
) -> Result {
    use gradschool::train::checkpoint;
    checkpoint::save_with_metadata(model, path, metadata)?;
    checkpoint::load(&mut fresh, path)?;
    fresh.eval();
    let g = Graph::inference();
    let outputs = model.forward(g.input(features.clone())).value();
    let again = fresh.forward(g.input(features.clone())).value();
    if outputs != again {
        return Err("the reloaded checkpoint does not reproduce the model's outputs".into());
    }
    println!(
        "\nwrote {} and reloaded it: identical outputs on all {} test images",
        path.display(),
        features.dim(0)
    );
    Ok(())
}

/// The median of some values (the mean of the middle two for an even
/// count), ignoring nothing: a NaN sorts last.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}

/// Checks a number the book prints against the value just computed, to the
/// precision the book prints it with (`decimals` places: the two must
/// round to the same printed digits, up to one unit in the last place for
/// a value that lies on a rounding boundary). `what` names the number in
/// the error, which says to regenerate the book's output if it changed.
pub fn check_book(what: &str, computed: f64, book: f64, decimals: i32) -> Result {
    let unit = 10f64.powi(-decimals);
    if (computed - book).abs() <= 0.5 * unit + 1e-12 * book.abs() {
        Ok(())
    } else {
        Err(format!(
            "{what}: computed {computed:.prec$}, but the book prints {book:.prec$}; \
             if the change is intended, update the book and this example together",
            prec = decimals.max(0) as usize
        )
        .into())
    }
}

/// The fraction of predictions equal to their labels.
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    let correct = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
    correct as f64 / labels.len() as f64
}

// ---------------------------------------------------------------------------
// Figures: the library's plots (`train::plot`), SVG only.

// Not every example draws: without the `allow`, those that do not would
// warn about an unused import.
#[allow(unused_imports)]
pub use gradschool::train::plot::*;
