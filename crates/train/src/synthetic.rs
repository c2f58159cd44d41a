//! Small synthetic data sets, each a picture of one lesson: the logic gates
//! (what a line can and cannot separate), the spiral (what only a network
//! can), two moons and Gaussian blobs (overlap and noise), and a noisy sine
//! (regression).

use rand::Rng;
use rand_distr::StandardNormal;
use tensor::Tensor;

use crate::Dataset;

/// The four corners of the unit square.
fn corners() -> Tensor {
    Tensor::from([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
}

/// AND: class 1 only at (1, 1).
pub fn and() -> Dataset {
    Dataset::classification(corners(), vec![0, 0, 0, 1])
}

/// OR: class 1 unless at (0, 0).
pub fn or() -> Dataset {
    Dataset::classification(corners(), vec![0, 1, 1, 1])
}

/// XOR: class 1 where exactly one input is 1 — no line separates it.
///
/// ```
/// assert_eq!(train::synthetic::xor().labels(), Some(&[0, 1, 1, 0][..]));
/// ```
pub fn xor() -> Dataset {
    Dataset::classification(corners(), vec![0, 1, 1, 0])
}

/// The spiral of CS231n with `classes` arms of `points_per_class` points:
/// for arm k, radius r = i/(n−1) and angle t = 4k + 4r + N(0, 0.2²) (for
/// three arms; in general the arms are 4·3/classes apart), point
/// (r sin t, r cos t).
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let data = train::synthetic::spiral(100, 3, &mut StdRng::seed_from_u64(0));
/// assert_eq!((data.len(), data.dim(), data.classes()), (300, 2, Some(3)));
/// ```
///
/// # Panics
/// If `points_per_class < 2` or `classes == 0`.
#[track_caller]
pub fn spiral<R: Rng + ?Sized>(points_per_class: usize, classes: usize, rng: &mut R) -> Dataset {
    if points_per_class < 2 || classes == 0 {
        panic!(
            "spiral: needs at least 2 points per class and 1 class, got {points_per_class} and {classes}"
        );
    }
    let spacing = 12.0 / classes as f32;
    let mut xy = Vec::with_capacity(2 * points_per_class * classes);
    let mut labels = Vec::with_capacity(points_per_class * classes);
    for k in 0..classes {
        for i in 0..points_per_class {
            let r = i as f32 / (points_per_class - 1) as f32;
            let noise: f32 = rng.sample(StandardNormal);
            let t = spacing * k as f32 + 4.0 * r + 0.2 * noise;
            xy.extend([r * t.sin(), r * t.cos()]);
            labels.push(k);
        }
    }
    Dataset::classification_with(
        Tensor::from_vec(xy, [points_per_class * classes, 2]),
        labels,
        classes,
    )
}

/// Two interleaved half circles ("moons") of `points_per_class` points,
/// with Gaussian noise of standard deviation `noise` on each coordinate.
///
/// # Panics
/// If `points_per_class < 2` or `noise` is negative.
#[track_caller]
pub fn moons<R: Rng + ?Sized>(points_per_class: usize, noise: f32, rng: &mut R) -> Dataset {
    if points_per_class < 2 || noise.is_nan() || noise < 0.0 {
        panic!(
            "moons: needs at least 2 points per class and noise ≥ 0, got {points_per_class} and {noise}"
        );
    }
    let mut xy = Vec::with_capacity(4 * points_per_class);
    let mut labels = Vec::with_capacity(2 * points_per_class);
    for class in 0..2 {
        for i in 0..points_per_class {
            let t = std::f32::consts::PI * i as f32 / (points_per_class - 1) as f32;
            let (x, y) = if class == 0 {
                (t.cos(), t.sin())
            } else {
                (1.0 - t.cos(), 0.5 - t.sin())
            };
            let (nx, ny): (f32, f32) = (rng.sample(StandardNormal), rng.sample(StandardNormal));
            xy.extend([x + noise * nx, y + noise * ny]);
            labels.push(class);
        }
    }
    Dataset::classification(Tensor::from_vec(xy, [2 * points_per_class, 2]), labels)
}

/// `classes` Gaussian blobs of `points_per_class` points: class k centred
/// at radius 2 and angle 2πk/classes, standard deviation `std` per
/// coordinate. With `std` near 1 the classes overlap and no classifier
/// gets every point right.
///
/// # Panics
/// If `classes == 0` or `std` is negative.
#[track_caller]
pub fn blobs<R: Rng + ?Sized>(
    points_per_class: usize,
    classes: usize,
    std: f32,
    rng: &mut R,
) -> Dataset {
    if classes == 0 || std.is_nan() || std < 0.0 {
        panic!("blobs: needs at least 1 class and std ≥ 0, got {classes} and {std}");
    }
    let mut xy = Vec::with_capacity(2 * points_per_class * classes);
    let mut labels = Vec::with_capacity(points_per_class * classes);
    for k in 0..classes {
        let angle = 2.0 * std::f32::consts::PI * k as f32 / classes as f32;
        for _ in 0..points_per_class {
            let (dx, dy): (f32, f32) = (rng.sample(StandardNormal), rng.sample(StandardNormal));
            xy.extend([2.0 * angle.cos() + std * dx, 2.0 * angle.sin() + std * dy]);
            labels.push(k);
        }
    }
    Dataset::classification_with(
        Tensor::from_vec(xy, [points_per_class * classes, 2]),
        labels,
        classes,
    )
}

/// Regression: `n` points x evenly spaced in [−π, π] with targets
/// sin(x) + N(0, noise²).
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let data = train::synthetic::noisy_sine(50, 0.0, &mut StdRng::seed_from_u64(0));
/// assert_eq!(data.labels(), None); // regression: values, not classes
/// ```
///
/// # Panics
/// If `n < 2` or `noise` is negative.
#[track_caller]
pub fn noisy_sine<R: Rng + ?Sized>(n: usize, noise: f32, rng: &mut R) -> Dataset {
    if n < 2 || noise.is_nan() || noise < 0.0 {
        panic!("noisy_sine: needs n ≥ 2 and noise ≥ 0, got {n} and {noise}");
    }
    let pi = std::f32::consts::PI;
    let x: Vec<f32> = (0..n)
        .map(|i| -pi + 2.0 * pi * i as f32 / (n - 1) as f32)
        .collect();
    let y: Vec<f32> = x
        .iter()
        .map(|&x| x.sin() + noise * rng.sample::<f32, _>(StandardNormal))
        .collect();
    Dataset::regression(Tensor::from_vec(x, [n, 1]), Tensor::from_vec(y, [n, 1]))
}
