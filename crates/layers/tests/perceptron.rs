//! The perceptron's story, asserted: it learns AND and OR (with the exact
//! trace of the perceptron rule), it never learns XOR — no learning rate
//! and no starting point helps, and no line of a fine grid separates XOR's
//! four points — and on any linearly separable data set it converges within
//! Novikoff's bound of (R/γ)² mistakes.

use layers::Perceptron;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The four corners of the unit square, in the truth-table order.
const X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
const AND: [f64; 4] = [0.0, 0.0, 0.0, 1.0];
const OR: [f64; 4] = [0.0, 1.0, 1.0, 1.0];
const XOR: [f64; 4] = [0.0, 1.0, 1.0, 0.0];
const NAND: [f64; 4] = [1.0, 1.0, 1.0, 0.0];
const XNOR: [f64; 4] = [1.0, 0.0, 0.0, 1.0];

fn predictions(p: &Perceptron) -> [f64; 4] {
    X.map(|x| p.predict(&x))
}

// ----- the weighted sum and the step -------------------------------------------

#[test]
fn new_starts_at_zero() {
    let p = Perceptron::new(3);
    assert_eq!(p.weights, vec![0.0; 3]);
    assert_eq!(p.bias, 0.0);
}

#[test]
fn weighted_sum_and_predict_exact_values() {
    let p = Perceptron {
        weights: vec![0.5, -1.0, 2.0],
        bias: 0.25,
    };
    // 0.5·2 − 1·1 + 2·0.5 + 0.25
    assert_eq!(p.weighted_sum(&[2.0, 1.0, 0.5]), 1.25);
    assert_eq!(p.predict(&[2.0, 1.0, 0.5]), 1.0);
    // 0.5·0 − 1·1 + 2·0 + 0.25
    assert_eq!(p.weighted_sum(&[0.0, 1.0, 0.0]), -0.75);
    assert_eq!(p.predict(&[0.0, 1.0, 0.0]), 0.0);
    // Exactly on the line: step(0) = 0.
    assert_eq!(p.weighted_sum(&[0.0, 0.25, 0.0]), 0.0);
    assert_eq!(p.predict(&[0.0, 0.25, 0.0]), 0.0);
    // Just past it.
    assert_eq!(p.predict(&[0.0, 0.25, 1e-3]), 1.0);
}

// ----- AND and OR ---------------------------------------------------------------

/// The perceptron rule by hand, lr = 1 from zero (every number is an
/// integer, so exact):
///
/// ```text
/// epoch 1: only (1,1) is wrong                     → w = (1, 1), b = 1
/// epoch 2: (0,0), (0,1) fire, (1,1) does not       → w = (2, 1), b = 0
/// epoch 3: (0,1), (1,0) fire, (1,1) does not       → w = (2, 1), b = −1
/// epoch 4: (1,0) fires, (1,1) does not             → w = (2, 2), b = −1
/// epoch 5: (0,1) fires                             → w = (2, 1), b = −2
/// epoch 6: no mistake
/// ```
#[test]
fn and_converges_in_six_epochs() {
    let mut p = Perceptron::new(2);
    let fit = p.fit(&X, &AND, 1.0, 100);
    assert!(fit.converged);
    assert_eq!(fit.epochs, 6);
    assert_eq!(fit.mistakes_per_epoch, [1, 3, 3, 2, 1, 0]);
    assert_eq!((p.weights.as_slice(), p.bias), (&[2.0, 1.0][..], -2.0));
    assert_eq!(predictions(&p), AND);
}

/// ```text
/// epoch 1: (0,1) does not fire                     → w = (0, 1), b = 1
/// epoch 2: (0,0) fires, (1,0) does not             → w = (1, 1), b = 1
/// epoch 3: (0,0) fires                             → w = (1, 1), b = 0
/// epoch 4: no mistake
/// ```
#[test]
fn or_converges_in_four_epochs() {
    let mut p = Perceptron::new(2);
    let fit = p.fit(&X, &OR, 1.0, 100);
    assert!(fit.converged);
    assert_eq!(fit.epochs, 4);
    assert_eq!(fit.mistakes_per_epoch, [1, 2, 1, 0]);
    assert_eq!((p.weights.as_slice(), p.bias), (&[1.0, 1.0][..], 0.0));
    assert_eq!(predictions(&p), OR);
}

#[test]
fn nand_converges() {
    let mut p = Perceptron::new(2);
    let fit = p.fit(&X, &NAND, 1.0, 100);
    assert!(fit.converged);
    assert_eq!(predictions(&p), NAND);
}

/// From zero, every weight is lr times a sum of ±inputs: the learning rate
/// only scales the line, never moves it, so training takes the same epochs
/// and ends at lr times the same weights. (Powers of two keep the
/// arithmetic exact, so the comparison can be too.)
#[test]
fn from_zero_the_learning_rate_only_scales_the_weights() {
    for targets in [AND, OR] {
        let mut reference = Perceptron::new(2);
        let expected = reference.fit(&X, &targets, 1.0, 100);
        for lr in [0.125, 0.5, 2.0, 8.0] {
            let mut p = Perceptron::new(2);
            let fit = p.fit(&X, &targets, lr, 100);
            assert_eq!(fit, expected, "lr = {lr}");
            let scaled: Vec<f64> = reference.weights.iter().map(|w| lr * w).collect();
            assert_eq!((p.weights, p.bias), (scaled, lr * reference.bias));
        }
    }
}

/// Converged training stops after the first clean epoch; training again
/// takes one clean epoch and changes nothing.
#[test]
fn fit_stops_after_a_clean_epoch() {
    let mut p = Perceptron::new(2);
    p.fit(&X, &OR, 1.0, 100);
    let trained = p.clone();
    let again = p.fit(&X, &OR, 1.0, 100);
    assert!(again.converged);
    assert_eq!(again.epochs, 1);
    assert_eq!(again.mistakes_per_epoch, [0]);
    assert_eq!(p, trained);
}

#[test]
fn fit_with_no_epochs_does_nothing() {
    let mut p = Perceptron::new(2);
    let fit = p.fit(&X, &AND, 1.0, 0);
    assert!(!fit.converged);
    assert_eq!(fit.epochs, 0);
    assert!(fit.mistakes_per_epoch.is_empty());
    assert_eq!(p, Perceptron::new(2));
}

/// Stopping at `max_epochs` before convergence is reported as such.
#[test]
fn fit_reports_running_out_of_epochs() {
    let mut p = Perceptron::new(2);
    let fit = p.fit(&X, &AND, 1.0, 3);
    assert!(!fit.converged);
    assert_eq!(fit.epochs, 3);
    assert_eq!(fit.mistakes_per_epoch, [1, 3, 3]);
}

/// Examples can be any slices: arrays, vectors, borrowed rows.
#[test]
fn fit_takes_vectors_and_slices() {
    let rows: Vec<Vec<f64>> = X.iter().map(|x| x.to_vec()).collect();
    let mut a = Perceptron::new(2);
    let fit_a = a.fit(&rows, &AND, 1.0, 100);
    let slices: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let mut b = Perceptron::new(2);
    let fit_b = b.fit(&slices, &AND, 1.0, 100);
    assert_eq!((a, fit_a), (b, fit_b));
}

// ----- XOR ----------------------------------------------------------------------

/// Checks that a fit of XOR made a mistake in every one of its 1000 epochs.
fn assert_never_learns(fit: &layers::PerceptronFit, context: &str) {
    assert!(!fit.converged, "{context}");
    assert_eq!(fit.epochs, 1000, "{context}");
    assert!(
        fit.mistakes_per_epoch.iter().all(|&m| m >= 1),
        "{context}: an epoch without mistakes"
    );
}

#[test]
fn xor_never_converges_from_zero() {
    for lr in [0.01, 0.1, 0.5, 1.0, 2.0, 10.0] {
        let mut p = Perceptron::new(2);
        let fit = p.fit(&X, &XOR, lr, 1000);
        assert_never_learns(&fit, &format!("lr = {lr}"));
        assert_ne!(predictions(&p), XOR);
    }
}

#[test]
fn xor_never_converges_from_random_starts() {
    let mut rng = StdRng::seed_from_u64(0);
    for start in 0..20 {
        let mut p = Perceptron {
            weights: vec![rng.random_range(-2.0..2.0), rng.random_range(-2.0..2.0)],
            bias: rng.random_range(-2.0..2.0),
        };
        let lr = [0.05, 0.3, 1.0][start % 3];
        let fit = p.fit(&X, &XOR, lr, 1000);
        assert_never_learns(&fit, &format!("start {start}, lr = {lr}"));
    }
}

/// Every (w₁, w₂, b) on the grid [−2, 2]³ with step 0.1 (41³ = 68,921
/// lines): how many classify all four points of `targets` correctly.
fn separating_lines_on_grid(targets: [f64; 4]) -> usize {
    let grid: Vec<f64> = (-20..=20).map(|k| f64::from(k) / 10.0).collect();
    let mut count = 0;
    for &w1 in &grid {
        for &w2 in &grid {
            for &b in &grid {
                let p = Perceptron {
                    weights: vec![w1, w2],
                    bias: b,
                };
                if predictions(&p) == targets {
                    count += 1;
                }
            }
        }
    }
    count
}

/// No line separates XOR: none of the 68,921 lines of the grid gets all
/// four points right. This is a finite check of the claim; the book proves
/// it (the four inequalities b ≤ 0, w₂ + b > 0, w₁ + b > 0, w₁ + w₂ + b ≤ 0
/// add up to a contradiction). The same grid does hold separating lines
/// for AND, OR and NAND, so the search is not blind.
#[test]
fn no_line_of_the_grid_separates_xor() {
    assert_eq!(separating_lines_on_grid(XOR), 0);
    assert_eq!(separating_lines_on_grid(XNOR), 0);
    for (name, targets) in [("AND", AND), ("OR", OR), ("NAND", NAND)] {
        assert!(
            separating_lines_on_grid(targets) > 0,
            "{name} has separating lines on the grid"
        );
    }
}

// ----- the convergence theorem ------------------------------------------------

/// 100 points of [−1, 1]² at distance at least 0.1 from a random line
/// n · x = c (n a unit vector, |c| ≤ 0.5), labelled by the side they are on.
fn separable_dataset(seed: u64) -> (Vec<[f64; 2]>, Vec<f64>, [f64; 3]) {
    let mut rng = StdRng::seed_from_u64(seed);
    let angle = rng.random_range(0.0..std::f64::consts::TAU);
    let (n1, n2) = (angle.cos(), angle.sin());
    let c = rng.random_range(-0.5..0.5);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    while xs.len() < 100 {
        let x = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
        let distance = n1 * x[0] + n2 * x[1] - c;
        if distance.abs() >= 0.1 {
            xs.push(x);
            ys.push(if distance > 0.0 { 1.0 } else { 0.0 });
        }
    }
    (xs, ys, [n1, n2, c])
}

/// Novikoff (1962): from zero, the perceptron rule makes at most (R/γ)²
/// mistakes on data that a unit vector u separates with margin γ, where R
/// is the largest norm of an example. With the bias as a weight on a
/// constant input 1, the examples are x̃ = (x₁, x₂, 1), u = (n, −c)/‖(n, −c)‖
/// and γ = minᵢ ±(n · xᵢ − c)/‖(n, −c)‖ ≥ 0.1/√(1 + c²).
#[test]
fn separable_data_converges_within_novikoffs_bound() {
    for seed in 0..10 {
        let (xs, ys, [n1, n2, c]) = separable_dataset(seed);
        let mut p = Perceptron::new(2);
        let fit = p.fit(&xs, &ys, 1.0, 1000);
        assert!(fit.converged, "seed {seed}");
        for (x, &y) in xs.iter().zip(&ys) {
            assert_eq!(p.predict(x), y, "seed {seed}: {x:?}");
        }
        let norm = (1.0 + c * c).sqrt();
        let gamma = xs
            .iter()
            .map(|x| (n1 * x[0] + n2 * x[1] - c).abs() / norm)
            .fold(f64::INFINITY, f64::min);
        let r = xs
            .iter()
            .map(|x| (x[0] * x[0] + x[1] * x[1] + 1.0).sqrt())
            .fold(0.0, f64::max);
        let mistakes: usize = fit.mistakes_per_epoch.iter().sum();
        let bound = (r / gamma).powi(2);
        assert!(
            (mistakes as f64) <= bound,
            "seed {seed}: {mistakes} mistakes, bound {bound}"
        );
    }
}
