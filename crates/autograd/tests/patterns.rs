//! The lecture's patterns of back-propagation, with exact numbers: the
//! worked example, "add distributes, mul swaps, max routes", the chain rule,
//! why gradients are added and never assigned, accumulation over
//! mini-batches, inference without a tape, the reuse of the tape from step to
//! step, parameters updated in place, and numerically stable softmax.
//!
//! Each assert has its calculus in a comment next to it.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use approx::assert_relative_eq;
use autograd::scalar::Value;
use autograd::{Gradients, Graph, Param};
use proptest::prelude::*;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

// ----- the worked example: f = x·y + z -------------------------------------

#[test]
fn worked_example_on_the_scalar_value() {
    let (x, y, z) = (Value::new(100.0), Value::new(2.0), Value::new(50.0));
    let f = &(&x * &y) + &z;
    // Forward: 100·2 + 50 = 250.
    assert_eq!(f.data(), 250.0);
    f.backward();
    // ∂f/∂x = y = 2, ∂f/∂y = x = 100 (mul swaps), ∂f/∂z = 1 (add passes on).
    assert_eq!((x.grad(), y.grad(), z.grad()), (2.0, 100.0, 1.0));
}

#[test]
fn worked_example_on_the_tape() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::scalar(100.0));
    let y = g.leaf(Tensor::scalar(2.0));
    let z = g.leaf(Tensor::scalar(50.0));
    let f = x * y + z;
    // Forward: 100·2 + 50 = 250.
    assert_eq!(f.item(), 250.0);
    let grads = f.backward();
    // ∂f/∂x = y = 2, ∂f/∂y = x = 100, ∂f/∂z = 1.
    assert_eq!(grads.wrt(x).item(), 2.0);
    assert_eq!(grads.wrt(y).item(), 100.0);
    assert_eq!(grads.wrt(z).item(), 1.0);
}

// ----- add distributes, mul swaps, max routes ----------------------------------

#[test]
fn add_distributes_the_upstream_gradient() {
    let g = Graph::<f64>::new();
    let a = g.leaf(Tensor::from([1.0, 2.0]));
    let b = g.leaf(Tensor::from([3.0, 4.0]));
    // L = Σ 3(a + b): the gradient arriving at the sum is 3, and addition
    // hands it unchanged to both inputs: ∂L/∂a = ∂L/∂b = 3.
    let grads = ((a + b) * 3.0).sum().backward();
    assert_eq!(grads.wrt(a).to_vec(), vec![3.0, 3.0]);
    assert_eq!(grads.wrt(b).to_vec(), vec![3.0, 3.0]);
}

#[test]
fn add_distributes_then_sums_over_broadcast_copies() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]));
    let b = g.leaf(Tensor::from([0.5, 0.5, 0.5]));
    // L = Σ 3(x + b) with b added to both rows: x gets 3 everywhere; each
    // b_j was used twice, so it gets 3 + 3 = 6.
    let grads = ((x + b) * 3.0).sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![3.0; 6]);
    assert_eq!(grads.wrt(b).to_vec(), vec![6.0; 3]);
}

#[test]
fn mul_swaps_its_inputs() {
    let g = Graph::<f64>::new();
    let a = g.leaf(Tensor::from([2.0, -3.0]));
    let b = g.leaf(Tensor::from([5.0, 7.0]));
    // L = Σ 2(a ⊙ b): ∂L/∂a = 2b, ∂L/∂b = 2a — each input gets the upstream
    // gradient times the *other* input.
    let grads = ((a * b) * 2.0).sum().backward();
    assert_eq!(grads.wrt(a).to_vec(), vec![10.0, 14.0]);
    assert_eq!(grads.wrt(b).to_vec(), vec![4.0, -6.0]);
}

#[test]
fn max_routes_to_the_largest() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1.0, 5.0, 3.0], [7.0, 2.0, 4.0]]));
    let upstream = g.input(Tensor::from([10.0, 20.0]));
    // L = 10·max(1, 5, 3) + 20·max(7, 2, 4) = 10·x₀₁ + 20·x₁₀: the whole
    // upstream gradient goes to the winner of each row, exactly 0 elsewhere.
    let row_max = x.max_axis(1);
    assert_eq!(row_max.value().to_vec(), vec![5.0, 7.0]);
    let grads = (row_max * upstream).sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![0.0, 10.0, 0.0, 20.0, 0.0, 0.0]);
}

#[test]
fn max_keepdims_routes_down_the_columns() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1.0, 5.0, 3.0], [7.0, 2.0, 4.0]]));
    // Column maxima [[7, 5, 4]] come from x₁₀, x₀₁, x₁₂: ∂L/∂x is 1 there.
    let col_max = x.max_keepdims(0);
    assert_eq!(col_max.shape(), vec![1, 3]);
    let grads = col_max.sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
}

// ----- f(x) = x² and the chain rule ----------------------------------------

#[test]
fn square_gives_two_x() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([-1.5, 0.5, 3.0]));
    // d(x²)/dx = 2x.
    let grads = x.powi(2).sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![-3.0, 1.0, 6.0]);
}

#[test]
fn square_with_an_upstream_gradient_gives_c_times_two_x() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([-1.5, 0.5, 3.0]));
    // L = Σ 4x²: the upstream gradient 4 multiplies the local one, 4·2x.
    let grads = (x.powi(2) * 4.0).sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![-12.0, 4.0, 24.0]);
}

#[test]
fn chain_rule_on_the_tape() {
    let g = Graph::<f64>::new();
    let xs = [-1.0, 0.0, 0.5, 2.0];
    let x = g.leaf(Tensor::from(xs));
    // f(x) = ln(1 + e^(2x)): f'(x) = 2e^(2x) / (1 + e^(2x)) = 2σ(2x), the
    // product of the local derivatives 1/(1 + e^(2x)), 1, e^(2x) and 2.
    let grads = ((x * 2.0).exp() + 1.0).log().sum().backward();
    for (&d, &x) in grads.wrt(x).to_vec().iter().zip(&xs) {
        let hand = 2.0 / (1.0 + (-2.0 * x).exp());
        assert_relative_eq!(d, hand, max_relative = 1e-15);
    }
}

#[test]
fn chain_rule_on_the_scalar_value() {
    let x = Value::new(0.3);
    let f = (&(&x * 2.0) + 1.0).tanh();
    f.backward();
    // f(x) = tanh(2x + 1): f'(x) = 2(1 − tanh²(2x + 1)).
    let t = (2.0f64 * 0.3 + 1.0).tanh();
    assert_relative_eq!(x.grad(), 2.0 * (1.0 - t * t), max_relative = 1e-15);
}

// ----- gradients are added, never assigned ----------------------------------

#[test]
fn x_times_x_gives_two_x_on_the_tape() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([-1.0, 0.5, 3.0]));
    // y = x·x uses x twice; each use contributes x: ∂y/∂x = x + x = 2x.
    let grads = (x * x).sum().backward();
    assert_eq!(grads.wrt(x).to_vec(), vec![-2.0, 1.0, 6.0]);
}

#[test]
fn x_times_x_gives_two_x_on_the_scalar_value() {
    let x = Value::new(3.0);
    let y = &x * &x;
    y.backward();
    // ∂(x·x)/∂x = x + x = 6.
    assert_eq!(x.grad(), 6.0);
    // backward resets the gradients first: a second call gives the same.
    y.backward();
    assert_eq!(x.grad(), 6.0);
}

#[test]
fn backward_assigning_gets_x_times_x_wrong() {
    let x = Value::new(3.0);
    let y = &x * &x;
    y.backward_assigning();
    // The second contribution overwrites the first: x instead of 2x.
    assert_ne!(x.grad(), 6.0);
    assert_eq!(x.grad(), 3.0);
}

#[test]
fn backward_assigning_is_right_when_nothing_is_reused() {
    let (x, y, z) = (Value::new(100.0), Value::new(2.0), Value::new(50.0));
    let f = &(&x * &y) + &z;
    f.backward_assigning();
    // Every value is used once: `=` and `+=` agree, which is why the bug hides.
    assert_eq!((x.grad(), y.grad(), z.grad()), (2.0, 100.0, 1.0));
}

#[test]
fn a_parameter_brought_in_twice_gets_the_sum() {
    let w = Param::new(Tensor::<f64>::from([1.0, 2.0, 3.0]));
    let g = Graph::new();
    let (p1, p2) = (g.param(&w), g.param(&w));
    // L = Σ (3w + 5w): the two uses add up, ∂L/∂w = 3 + 5 = 8.
    let grads = (p1 * 3.0 + p2 * 5.0).sum().backward();
    assert_eq!(grads[&w].to_vec(), vec![8.0; 3]);
    assert_eq!(grads.len(), 1);

    // L = Σ w·w through two param nodes: ∂L/∂w = w + w = 2w.
    let grads = (g.param(&w) * g.param(&w)).sum().backward();
    assert_eq!(grads[&w].to_vec(), vec![2.0, 4.0, 6.0]);
}

#[test]
fn the_same_variable_used_twice_gets_the_sum() {
    let w = Param::new(Tensor::<f64>::from([1.0, 2.0, 3.0]));
    let g = Graph::new();
    let p = g.param(&w);
    // L = Σ (3w + 5w) through one variable: ∂L/∂w = 8.
    let grads = (p * 3.0 + p * 5.0).sum().backward();
    assert_eq!(grads[&w].to_vec(), vec![8.0; 3]);
    assert_eq!(grads.wrt(p).to_vec(), vec![8.0; 3]);
}

#[test]
fn a_weight_shared_by_two_layers_gets_both_contributions() {
    let w = Param::new(Tensor::<f64>::from([[1.0, 0.0], [1.0, 1.0]]));
    let g = Graph::new();
    let x = g.input(Tensor::from([[1.0, 2.0]]));
    let h = x.matmul(g.param(&w)); // h = xW = [[3, 2]]
    let y = h.matmul(g.param(&w)); // y = hW = [[5, 2]]
    assert_eq!(y.value().to_vec(), vec![5.0, 2.0]);
    // L = Σ y. Second use: dW = hᵀ dY = [3, 2]ᵀ [1, 1] = [[3, 3], [2, 2]].
    // First use: dH = dY Wᵀ = [1, 1] [[1, 1], [0, 1]] = [1, 2], and
    // dW = xᵀ dH = [1, 2]ᵀ [1, 2] = [[1, 2], [2, 4]]. Sum: [[4, 5], [4, 6]].
    let grads = y.sum().backward();
    assert_eq!(grads[&w].to_vec(), vec![4.0, 5.0, 4.0, 6.0]);
}

// ----- accumulation over mini-batches -----------------------------------------

/// L = mean((x W + b − t)²) for one mini-batch, on its own pass.
fn mse<'g>(
    g: &'g Graph<f64>,
    w: &Param<f64>,
    b: &Param<f64>,
    x: [[f64; 2]; 3],
    t: [[f64; 1]; 3],
) -> autograd::Var<'g, f64> {
    let y = g.input(Tensor::from(x)).matmul(g.param(w)) + g.param(b);
    (y - g.input(Tensor::from(t))).powi(2).mean()
}

const X1: [[f64; 2]; 3] = [[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]];
const T1: [[f64; 1]; 3] = [[1.0], [0.0], [2.0]];
const X2: [[f64; 2]; 3] = [[-2.0, 1.0], [1.5, 1.5], [0.0, 4.0]];
const T2: [[f64; 1]; 3] = [[0.5], [-1.0], [3.0]];

#[test]
fn two_minibatches_accumulated_equal_one_backward_on_the_sum() {
    let w = Param::new(Tensor::<f64>::from([[0.3], [-0.2]]));
    let b = Param::new(Tensor::<f64>::from([0.1]));
    let g = Graph::new();
    // Two passes, their gradients summed with `+=` ...
    let mut total = mse(&g, &w, &b, X1, T1).backward();
    total += &mse(&g, &w, &b, X2, T2).backward();
    // ... equal one pass on L₁ + L₂, because ∂(L₁ + L₂)/∂w = ∂L₁/∂w + ∂L₂/∂w.
    // (Exactly: each term is computed by the same operations, and a sum of
    // two floats does not depend on their order.)
    let one = (mse(&g, &w, &b, X1, T1) + mse(&g, &w, &b, X2, T2)).backward();
    assert_eq!(total[&w], one[&w]);
    assert_eq!(total[&b], one[&b]);

    // The average over the two batches: scale by 1/2, the same as one pass
    // on (L₁ + L₂)/2 (exactly, since halving is exact in binary).
    total.scale(0.5);
    let mean = ((mse(&g, &w, &b, X1, T1) + mse(&g, &w, &b, X2, T2)) * 0.5).backward();
    assert_eq!(total[&w], mean[&w]);
    assert_eq!(total[&b], mean[&b]);
}

#[test]
fn accumulation_can_start_from_empty_gradients() {
    let w = Param::new(Tensor::<f64>::from([2.0, -1.0]));
    let g = Graph::new();
    // Σ over k = 1, 2, 3 of ∂(k·Σw)/∂w = 1 + 2 + 3 = 6, then averaged: 2.
    let mut total = Gradients::default();
    assert!(total.is_empty());
    for k in 1..=3 {
        total += &(g.param(&w) * f64::from(k)).sum().backward();
    }
    assert_eq!(total[&w].to_vec(), vec![6.0, 6.0]);
    total.scale(1.0 / 3.0);
    assert_eq!(total[&w].to_vec(), vec![2.0, 2.0]);
}

#[test]
fn accumulating_adds_entries_for_new_parameters() {
    let (w, v) = (
        Param::new(Tensor::<f64>::from([2.0])),
        Param::new(Tensor::from([5.0])),
    );
    let g = Graph::new();
    // Batch 1 uses w only: ∂(3w)/∂w = 3.
    let mut total = (g.param(&w) * 3.0).sum().backward();
    assert!(total.get(&v).is_none());
    // Batch 2 uses both: ∂(w·v)/∂w = v = 5, ∂(w·v)/∂v = w = 2.
    total += &(g.param(&w) * g.param(&v)).sum().backward();
    assert_eq!(total[&w].to_vec(), vec![3.0 + 5.0]);
    assert_eq!(total[&v].to_vec(), vec![2.0]);
    assert_eq!(total.len(), 2);
}

#[test]
fn scale_multiplies_every_gradient() {
    let w = Param::new(Tensor::<f64>::from([1.0, -2.0]));
    let g = Graph::new();
    let x = g.leaf(Tensor::from([3.0, 4.0]));
    // L = Σ w ⊙ x: ∂L/∂w = x, ∂L/∂x = w; scaled by 1/4.
    let mut grads = (g.param(&w) * x).sum().backward();
    grads.scale(0.25);
    assert_eq!(grads[&w].to_vec(), vec![0.75, 1.0]);
    assert_eq!(grads.wrt(x).to_vec(), vec![0.25, -0.5]);
}

// ----- what gets a gradient ------------------------------------------------------

#[test]
fn an_unused_parameter_has_no_gradient_and_an_unused_leaf_gets_zeros() {
    let (w, unused) = (
        Param::new(Tensor::<f64>::from([1.0])),
        Param::new(Tensor::from([1.0])),
    );
    let g = Graph::new();
    let x = g.leaf(Tensor::from([[1.0, 2.0], [3.0, 4.0]]));
    let y = g.leaf(Tensor::from([5.0, 6.0, 7.0]));
    let _not_in_the_loss = g.param(&unused);
    // L = Σ w x: nothing depends on `unused` or `y`.
    let grads = (g.param(&w) * x).sum().backward();
    assert!(grads.get(&unused).is_none());
    assert!(grads.by_id(unused.id()).is_none());
    assert_eq!(grads.len(), 1);
    // ∂L/∂y = 0, in y's shape.
    assert_eq!(grads.wrt(y), &Tensor::zeros([3]));
    // ∂L/∂w = Σ x = 10.
    assert_eq!(grads[&w].to_vec(), vec![10.0]);
}

#[test]
fn inputs_get_no_gradient_parameters_do() {
    let w = Param::new(Tensor::<f64>::from([[1.0], [-1.0]]));
    let g = Graph::new();
    let x = g.input(Tensor::from([[1.0, 2.0], [3.0, 4.0]]));
    let p = g.param(&w);
    assert!(!x.requires_grad());
    assert!(p.requires_grad());
    assert!(!(x * 2.0).requires_grad());
    let y = x.matmul(p);
    assert!(y.requires_grad());
    let grads = y.sum().backward();
    // Only the parameter has an entry.
    assert_eq!(
        grads.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        vec![w.id()]
    );
}

#[test]
fn matmul_with_an_input_on_the_left_still_gives_dw() {
    let w = Param::new(Tensor::<f64>::from([[1.0], [-1.0]]));
    let g = Graph::new();
    let x = g.input(Tensor::from([[1.0, 2.0], [3.0, 4.0]]));
    // L = Σ XW: dW = Xᵀ dY = Xᵀ [1, 1]ᵀ = column sums of X = [[4], [6]]
    // (no dX is needed: X is data).
    let grads = x.matmul(g.param(&w)).sum().backward();
    assert_eq!(grads[&w].shape(), &[2, 1]);
    assert_eq!(grads[&w].to_vec(), vec![4.0, 6.0]);
}

// ----- inference ---------------------------------------------------------------

/// A 2-3-2 network with a ReLU, its outputs softmaxed.
fn forward<'g>(g: &'g Graph<f64>, w1: &Param<f64>, w2: &Param<f64>) -> autograd::Var<'g, f64> {
    let x = g.input(Tensor::from([[1.0, -2.0], [0.5, 0.25]]));
    x.matmul(g.param(w1)).relu().matmul(g.param(w2)).softmax(1)
}

#[test]
fn inference_computes_the_same_values_without_a_tape_for_backward() {
    let w1 = Param::new(Tensor::<f64>::from([[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]));
    let w2 = Param::new(Tensor::<f64>::from([[0.5, -0.5], [1.0, 0.0], [-0.3, 0.7]]));
    let (train, infer) = (Graph::new(), Graph::inference());
    let (y, z) = (forward(&train, &w1, &w2), forward(&infer, &w1, &w2));
    assert_eq!(y.value(), z.value());
    assert!(train.records_backward());
    assert!(!infer.records_backward());
    assert!(y.requires_grad());
    assert!(!z.requires_grad());
    // The inference graph is reused batch after batch with `clear`.
    let nodes = infer.len();
    infer.clear();
    assert!(infer.is_empty());
    let z = forward(&infer, &w1, &w2);
    assert_eq!(infer.len(), nodes);
    assert_eq!(y.value(), z.value());
}

#[test]
#[should_panic(expected = "backward: this graph was made with Graph::inference()")]
fn inference_cannot_backward() {
    let w = Param::new(Tensor::<f64>::from([[1.0]]));
    let g = Graph::inference();
    g.input(Tensor::from([[2.0]]))
        .matmul(g.param(&w))
        .sum()
        .backward();
}

// ----- the tape from step to step ----------------------------------------------

/// One training step: forward, backward, update (w -= 0.1 dw).
fn step(g: &Graph<f64>, w: &mut Param<f64>) -> f64 {
    let x = g.input(Tensor::from([[1.0, 2.0], [3.0, -1.0]]));
    let loss = x.matmul(g.param(w)).relu().powi(2).mean();
    let value = loss.item();
    let grads = loss.backward();
    let dw = &grads[&*w];
    w.value_mut().scaled_add(-0.1, dw);
    value
}

#[test]
fn the_tape_is_reused_from_step_to_step() {
    let mut w = Param::new(Tensor::<f64>::from([[0.5, -0.5], [0.25, 1.0]]));
    let g = Graph::new();
    step(&g, &mut w);
    // The differentiated pass stays on the tape until the next operation ...
    let nodes = g.len();
    assert_eq!(nodes, 6); // input, param, matmul, relu, powi, mean
    // ... which starts a new pass: the tape is emptied (its memory kept).
    let _x = g.input(Tensor::from([[0.0]]));
    assert_eq!(g.len(), 1);
    g.clear();
    assert!(g.is_empty());
    // Identical steps record identical tapes.
    step(&g, &mut w);
    assert_eq!(g.len(), nodes);
    step(&g, &mut w);
    assert_eq!(g.len(), nodes);
}

#[test]
fn training_steps_reduce_the_loss() {
    let mut w = Param::new(Tensor::<f64>::from([[0.5, -0.5], [0.25, 1.0]]));
    let g = Graph::new();
    let first = step(&g, &mut w);
    let second = step(&g, &mut w);
    assert!(second < first, "{second} >= {first}");
}

#[test]
#[should_panic(
    expected = "this variable belongs to an earlier forward pass of its graph (a new pass starts after backward or clear); record it again"
)]
fn variables_of_an_earlier_pass_panic() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([1.0, 2.0]));
    let loss = x.powi(2).sum();
    loss.backward();
    let _new_pass = g.input(Tensor::from([3.0]));
    let _ = x + x;
}

// ----- parameters are updated in place -----------------------------------------

#[test]
fn after_backward_a_parameter_is_updated_without_a_copy() {
    let mut w = Param::new(Tensor::<f64>::from([[1.0, 2.0], [3.0, 4.0]]));
    let storage = w.value().as_slice().expect("contiguous").as_ptr();
    let g = Graph::new();
    let x = g.input(Tensor::from([[1.0, -1.0]]));
    // Used directly and through a transpose (a view of its storage).
    let y = x.matmul(g.param(&w)) + x.matmul(g.param(&w).t());
    let grads = y.sum().backward();
    // L = Σ xW + Σ xWᵀ: dW = xᵀ 1 + (xᵀ 1)ᵀ = [[1, 1], [-1, -1]] + [[1, -1], [1, -1]].
    assert_eq!(grads[&w].to_vec(), vec![2.0, 0.0, 0.0, -2.0]);
    // backward released the graph's hold on w: the update writes in place.
    let dw = &grads[&w];
    w.value_mut().scaled_add(-0.5, dw);
    assert_eq!(w.value().as_slice().expect("contiguous").as_ptr(), storage);
    assert_eq!(w.value().to_vec(), vec![0.0, 2.0, 3.0, 5.0]);
}

#[test]
fn before_backward_an_update_copies_and_leaves_the_recorded_value() {
    let mut w = Param::new(Tensor::<f64>::from([1.0, 2.0]));
    let storage = w.value().as_slice().expect("contiguous").as_ptr();
    let g = Graph::new();
    let p = g.param(&w);
    // The graph still holds w's storage: writing copies first (copy on
    // write), so the forward pass keeps the value it computed with.
    w.value_mut().fill(0.0);
    assert_ne!(w.value().as_slice().expect("contiguous").as_ptr(), storage);
    assert_eq!(p.value().to_vec(), vec![1.0, 2.0]);
    assert_eq!(w.value().to_vec(), vec![0.0, 0.0]);
}

// ----- softmax, log-softmax, log-sum-exp: stability -------------------------

/// e⁻¹ / (1 + e⁻¹): the second softmax entry of [1000, 999, −1000].
fn second() -> f64 {
    let e = (-1.0f64).exp();
    e / (1.0 + e)
}

#[test]
fn softmax_of_huge_logits_is_finite_and_exact() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1000.0, 999.0, -1000.0]]));
    let s = x.softmax(1);
    let v = s.value().to_vec();
    assert!(v.iter().all(|p| p.is_finite()), "{v:?}");
    // softmax = [e⁰, e⁻¹, e⁻²⁰⁰⁰] / (1 + e⁻¹ + e⁻²⁰⁰⁰)
    //         = [1/(1 + e⁻¹), e⁻¹/(1 + e⁻¹), 0] (e⁻²⁰⁰⁰ underflows in f64).
    assert_relative_eq!(v[0], 1.0 / (1.0 + (-1.0f64).exp()), max_relative = 1e-15);
    assert_relative_eq!(v[1], second(), max_relative = 1e-15);
    assert_eq!(v[2], 0.0);
    // L = Σ c ⊙ softmax(x) with c = [1, 2, 3]: dx = s ⊙ (c − Σ s c), finite.
    let c = g.input(Tensor::from([[1.0, 2.0, 3.0]]));
    let grads = (s * c).sum().backward();
    let dx = grads.wrt(x).to_vec();
    assert!(dx.iter().all(|d| d.is_finite()), "{dx:?}");
    let mean_c = v[0] + 2.0 * v[1];
    assert_relative_eq!(dx[0], v[0] * (1.0 - mean_c), max_relative = 1e-12);
    assert_relative_eq!(dx[1], v[1] * (2.0 - mean_c), max_relative = 1e-12);
    assert_eq!(dx[2], 0.0);
}

#[test]
fn log_softmax_and_logsumexp_of_huge_logits_are_finite() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1000.0, 999.0, -1000.0]]));
    // logsumexp = 1000 + ln(1 + e⁻¹ + e⁻²⁰⁰⁰) = 1000 + ln(1 + e⁻¹).
    let lse = (-1.0f64).exp().ln_1p();
    assert_relative_eq!(x.logsumexp(1).item(), 1000.0 + lse, max_relative = 1e-15);
    // log_softmax = x − logsumexp = [−ln(1 + e⁻¹), −1 − ln(1 + e⁻¹), −2000 − ln(1 + e⁻¹)].
    // (Subtracting two numbers near 1000 leaves their rounding, one ulp of
    // 1000 ≈ 1.1e-13, in the result: hence the absolute tolerance.)
    let ls = x.log_softmax(1);
    let v = ls.value().to_vec();
    assert!(v.iter().all(|l| l.is_finite()), "{v:?}");
    assert_relative_eq!(v[0], -lse, epsilon = 1e-12);
    assert_relative_eq!(v[1], -1.0 - lse, epsilon = 1e-12);
    assert_relative_eq!(v[2], -2000.0 - lse, epsilon = 1e-12);
    // Cross-entropy for class 0: L = −log_softmax(x)₀, dx = softmax(x) − e₀
    // = [−e⁻¹/(1 + e⁻¹), e⁻¹/(1 + e⁻¹), 0].
    let grads = (-ls.pick(&[0])).sum().backward();
    let dx = grads.wrt(x).to_vec();
    assert!(dx.iter().all(|d| d.is_finite()), "{dx:?}");
    assert_relative_eq!(dx[0], -second(), epsilon = 1e-12);
    assert_relative_eq!(dx[1], second(), epsilon = 1e-12);
    assert_eq!(dx[2], 0.0);
}

#[test]
fn logsumexp_gradient_is_softmax_even_for_huge_logits() {
    let g = Graph::<f64>::new();
    let x = g.leaf(Tensor::from([[1000.0, 999.0, -1000.0]]));
    // ∂/∂xᵢ log Σ eˣ = eˣⁱ / Σ eˣ = softmax(x)ᵢ.
    let grads = x.logsumexp(1).sum().backward();
    let dx = grads.wrt(x).to_vec();
    assert_relative_eq!(dx[0], 1.0 / (1.0 + (-1.0f64).exp()), max_relative = 1e-12);
    assert_relative_eq!(dx[1], second(), max_relative = 1e-12);
    assert_eq!(dx[2], 0.0);
}

#[test]
fn softmax_of_huge_logits_is_finite_in_f32() {
    let g = Graph::<f32>::new();
    let x = g.leaf(Tensor::from([[1000.0f32, 999.0, -1000.0]]));
    let s = x.softmax(1).value().to_vec();
    assert!(s.iter().all(|p| p.is_finite()), "{s:?}");
    // The same closed form, to f32 precision.
    assert_relative_eq!(s[0], 1.0 / (1.0 + (-1.0f32).exp()), max_relative = 1e-6);
    assert_relative_eq!(
        s[1],
        (-1.0f32).exp() / (1.0 + (-1.0f32).exp()),
        max_relative = 1e-6
    );
    assert_eq!(s[2], 0.0);
    let ls = x.log_softmax(1);
    assert!(ls.value().to_vec().iter().all(|l| l.is_finite()));
    let grads = (-ls.pick(&[1])).sum().backward();
    assert!(grads.wrt(x).to_vec().iter().all(|d| d.is_finite()));
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// Rows of softmax, and of exp(log_softmax), sum to 1 for logits as
    /// large as ±1000.
    #[test]
    fn softmax_rows_sum_to_one(rows in 1usize..=5, cols in 1usize..=6, seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let logits = Tensor::<f64>::rand_uniform([rows, cols], -1000.0, 1000.0, &mut rng);
        let g = Graph::inference();
        let x = g.input(logits);
        for sums in [
            x.softmax(1).value().sum_axis(1),
            x.log_softmax(1).exp().value().sum_axis(1),
        ] {
            for s in sums.to_vec() {
                prop_assert!((s - 1.0).abs() < 1e-12, "row sum {s}");
            }
        }
    }
}
