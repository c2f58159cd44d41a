//! What the benchmark and its test share: building a network from the
//! kit's weight files, and W2's training step. The benchmark
//! (`benches/workloads.rs`) and the test that checks W2 against the NumPy
//! peer (`tests/spiral_w2.rs`) both include this file, so that the test
//! checks the very code the benchmark times.

use gradschool::losses::cross_entropy;
use gradschool::prelude::*;
use gradschool::regularize::Penalty;

/// W2's learning rate and L2 strength: loss = CE + ½·λ·Σw².
pub const W2_LR: f64 = 1.0;
pub const W2_REG: f64 = 1e-3;

/// The layers of an MLP from a flat file of (in, out) weights and biases,
/// in the kit's order W1, b1, W2, b2, ...
pub fn mlp_from_init(flat: &[f32], sizes: &[usize]) -> Sequential {
    let mut model = Sequential::new();
    let mut at = 0;
    for (i, pair) in sizes.windows(2).enumerate() {
        let (fan_in, fan_out) = (pair[0], pair[1]);
        let w = Tensor::from_vec(flat[at..at + fan_in * fan_out].to_vec(), [fan_in, fan_out]);
        at += fan_in * fan_out;
        let b = Tensor::from_vec(flat[at..at + fan_out].to_vec(), [fan_out]);
        at += fan_out;
        if i > 0 {
            model.push(Activation::Relu);
        }
        model.push(Linear::from_tensors(w, Some(b)));
    }
    assert_eq!(at, flat.len(), "init file size fits the layer sizes");
    model
}

pub fn accuracy(logits: &Tensor, classes: &[usize]) -> f64 {
    let predicted = logits.argmax_axis(1);
    let right = predicted
        .iter()
        .zip(classes)
        .filter(|(p, c)| p == c)
        .count();
    right as f64 / classes.len() as f64
}

/// W2's loss on the whole set: the mean cross-entropy plus ½λ Σ w² over the
/// weight matrices (not the biases), the penalty of chapter 7. Returns the
/// loss and the logits.
pub fn spiral_loss<'g>(
    g: &'g Graph,
    model: &Sequential,
    x: &Tensor,
    y: &[usize],
) -> (Var<'g>, Var<'g>) {
    let logits = model.forward(g.input(x.clone()));
    let loss = cross_entropy(logits, y) + Penalty::l2().on(g, model) * (0.5 * W2_REG) as f32;
    (loss, logits)
}

/// One W2 step: forward, loss, backward, gradient descent.
pub fn spiral_step(
    g: &Graph,
    model: &mut Sequential,
    optimizer: &mut Sgd,
    x: &Tensor,
    y: &[usize],
) {
    let (loss, _) = spiral_loss(g, model, x, y);
    let grads = loss.backward();
    optimizer.step(model, &grads);
}
