//! W2 of the benchmark, checked against the NumPy peer: the benchmark's own
//! training step (`benches/common/mod.rs`), on the kit's spiral and initial
//! weights (`tests/data/w2/`), must give the losses the textbook NumPy
//! network gives, step for step, and end where the peers end.
//!
//! Provenance of the reference values: the kit's `py/numpy_peer.py`
//! (`MultiLayerNet(init, weight_decay=1e-3)` and `SGD(lr=1.0)`, float32),
//! run once on 2026-11-23 with NumPy 2.4.6 (OpenBLAS 0.3.31); `net.loss` and
//! `net.accuracy` on all 300 points after the given number of steps.

#[path = "../benches/common/mod.rs"]
mod common;

use common::{W2_LR, accuracy, mlp_from_init, spiral_loss, spiral_step};
use gradschool::prelude::*;

/// (steps, NumPy's loss, NumPy's training accuracy). Not compared: the
/// middle of training. With lr 1 the two float32 runs, whose sums are taken
/// in different orders, drift apart (after 1000 steps NumPy is at 0.28773,
/// gradschool at 0.29351) and meet again at the end.
const NUMPY: [(usize, f64, f64); 6] = [
    (0, 1.098764419555664, 0.38333333333333336),
    (1, 1.0984753370285034, 0.49),
    (2, 1.0982203483581543, 0.5733333333333334),
    (10, 1.0946674346923828, 0.5333333333333333),
    (100, 0.7239271402359009, 0.5533333333333333),
    (10_000, 0.24450775980949402, 0.98),
];

fn read(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/w2")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[test]
fn spiral_training_follows_the_numpy_peer() {
    let x = Tensor::from_vec(f32s(&read("w2_x.f32")), [300, 2]);
    let y: Vec<usize> = read("w2_y.u8").into_iter().map(usize::from).collect();
    let init = f32s(&read("w2_init.f32"));
    assert_eq!(init.len(), 2 * 100 + 100 + 100 * 3 + 3);

    let mut model = mlp_from_init(&init, &[2, 100, 3]);
    let mut optimizer = Sgd::new(W2_LR);
    let g = Graph::new();
    let mut done = 0;
    for (steps, numpy_loss, numpy_accuracy) in NUMPY {
        while done < steps {
            spiral_step(&g, &mut model, &mut optimizer, &x, &y);
            done += 1;
        }
        let (loss, logits) = spiral_loss(&g, &model, &x, &y);
        let (loss, acc) = (f64::from(loss.item()), accuracy(&logits.value(), &y));
        // Early on the two agree to 1e-5; after 10 000 steps the losses are
        // within the benchmark's 2e-3 (they differ by about 1.5e-4).
        let tolerance = if steps <= 100 { 1e-5 } else { 2e-3 };
        assert!(
            (loss - numpy_loss).abs() < tolerance,
            "after {steps} steps: loss {loss}, NumPy {numpy_loss}"
        );
        if steps <= 100 {
            assert_eq!(acc, numpy_accuracy, "accuracy after {steps} steps");
        } else {
            assert!(
                (acc - numpy_accuracy).abs() <= 0.01,
                "accuracy after {steps} steps: {acc}, NumPy {numpy_accuracy}"
            );
        }
    }
    // The kit's target: the peers' final loss 0.2444 within 2e-3, and 98 %.
    let (loss, logits) = spiral_loss(&g, &model, &x, &y);
    assert!((f64::from(loss.item()) - 0.2444).abs() < 2e-3);
    assert_eq!(accuracy(&logits.value(), &y), 0.98);
}
