//! Every misuse of chapter 3's layers panics at once with a message that
//! names the layer and the offending shapes or values; these tests pin the
//! full messages. The last tests check that the panic is reported at the
//! learner's line (`#[track_caller]`) — also when the layer is reached
//! through a `Sequential`, that is through a `dyn Module`.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::Graph;
use layers::{Activation, Linear, LogSoftmax, Mlp, Module, Perceptron, Sequential, Softmax};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

fn rng() -> StdRng {
    StdRng::seed_from_u64(0)
}

fn zeros(shape: &[usize]) -> Tensor<f32> {
    Tensor::zeros(shape)
}

/// The MNIST layer of the chapter.
fn layer_784_256() -> Linear {
    Linear::new(784, 256, &mut rng())
}

const X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];

// ----- Linear -------------------------------------------------------------------

#[test]
#[should_panic(expected = "Linear(784 → 256): input has shape [128, 100], expected [batch, 784]")]
fn linear_input_width() {
    let g = Graph::new();
    layer_784_256().forward(g.input(zeros(&[128, 100])));
}

#[test]
#[should_panic(expected = "Linear(784 → 256): input has shape [784], expected [batch, 784]")]
fn linear_input_without_batch_axis() {
    let g = Graph::new();
    layer_784_256().forward(g.input(zeros(&[784])));
}

#[test]
#[should_panic(expected = "Linear(784 → 256): input has shape [2, 28, 28], expected [batch, 784]")]
fn linear_input_not_flattened() {
    let g = Graph::new();
    layer_784_256().forward(g.input(zeros(&[2, 28, 28])));
}

#[test]
#[should_panic(expected = "Linear(3 → 2): input has shape [4, 5], expected [batch, 3]")]
fn linear_without_bias_input_width() {
    let g = Graph::new();
    let layer: Linear = Linear::without_bias(3, 2, &mut rng());
    layer.forward(g.input(zeros(&[4, 5])));
}

#[test]
#[should_panic(expected = "Linear: sizes must be positive, got 0 → 3")]
fn linear_zero_inputs() {
    let _: Linear = Linear::new(0, 3, &mut rng());
}

#[test]
#[should_panic(expected = "Linear: sizes must be positive, got 3 → 0")]
fn linear_zero_outputs() {
    let _: Linear = Linear::new(3, 0, &mut rng());
}

#[test]
#[should_panic(expected = "Linear: sizes must be positive, got 0 → 0")]
fn linear_without_bias_zero_sizes() {
    let _: Linear = Linear::without_bias(0, 0, &mut rng());
}

#[test]
#[should_panic(expected = "Linear: weight must be [in, out] with both sizes positive, got [3]")]
fn from_tensors_vector_weight() {
    let _ = Linear::from_tensors(zeros(&[3]), None);
}

#[test]
#[should_panic(expected = "Linear: weight must be [in, out] with both sizes positive, got [0, 3]")]
fn from_tensors_zero_sized_weight() {
    let _ = Linear::from_tensors(zeros(&[0, 3]), None);
}

#[test]
#[should_panic(
    expected = "Linear: weight must be [in, out] with both sizes positive, got [2, 3, 4]"
)]
fn from_tensors_3d_weight() {
    let _ = Linear::from_tensors(zeros(&[2, 3, 4]), None);
}

#[test]
#[should_panic(expected = "Linear: bias [3] does not fit weight [3, 4]")]
fn from_tensors_bias_of_input_size() {
    let _ = Linear::from_tensors(zeros(&[3, 4]), Some(zeros(&[3])));
}

#[test]
#[should_panic(expected = "Linear: bias [1, 4] does not fit weight [3, 4]")]
fn from_tensors_2d_bias() {
    let _ = Linear::from_tensors(zeros(&[3, 4]), Some(zeros(&[1, 4])));
}

/// In a chain, the message names the layer that does not fit.
#[test]
#[should_panic(expected = "Linear(4 → 1): input has shape [5, 3], expected [batch, 4]")]
fn sequential_of_layers_that_do_not_fit() {
    let net: Sequential = Sequential::new()
        .with(Linear::new(2, 3, &mut rng()))
        .with(Activation::Relu)
        .with(Linear::new(4, 1, &mut rng()));
    let g = Graph::new();
    net.forward(g.input(zeros(&[5, 2])));
}

// ----- Softmax ----------------------------------------------------------------

#[test]
#[should_panic(expected = "softmax: axis 2 out of range for a tensor of shape [4, 3]")]
fn softmax_axis_out_of_range() {
    let g = Graph::new();
    Softmax { axis: 2 }.forward(g.input(zeros(&[4, 3])));
}

#[test]
#[should_panic(expected = "log_softmax: axis 1 out of range for a tensor of shape [3]")]
fn log_softmax_axis_out_of_range() {
    let g = Graph::new();
    LogSoftmax { axis: 1 }.forward(g.input(zeros(&[3])));
}

// ----- Mlp ----------------------------------------------------------------------

#[test]
#[should_panic(expected = "Mlp: needs at least an input and an output size, all positive, got []")]
fn mlp_without_sizes() {
    Mlp::new(&[]);
}

#[test]
#[should_panic(
    expected = "Mlp: needs at least an input and an output size, all positive, got [784]"
)]
fn mlp_with_one_size() {
    Mlp::new(&[784]);
}

#[test]
#[should_panic(
    expected = "Mlp: needs at least an input and an output size, all positive, got [0, 10]"
)]
fn mlp_with_zero_inputs() {
    Mlp::new(&[0, 10]);
}

#[test]
#[should_panic(
    expected = "Mlp: needs at least an input and an output size, all positive, got [784, 0, 10]"
)]
fn mlp_with_an_empty_hidden_layer() {
    Mlp::new(&[784, 0, 10]);
}

// ----- Perceptron -------------------------------------------------------------

#[test]
#[should_panic(expected = "Perceptron: input has 3 values, the perceptron has 2 weights")]
fn perceptron_weighted_sum_input_length() {
    Perceptron::new(2).weighted_sum(&[1.0, 2.0, 3.0]);
}

#[test]
#[should_panic(expected = "Perceptron: input has 1 values, the perceptron has 2 weights")]
fn perceptron_predict_input_length() {
    Perceptron::new(2).predict(&[1.0]);
}

#[test]
#[should_panic(expected = "Perceptron::fit: example 1 has 3 values, the perceptron has 2 weights")]
fn perceptron_fit_example_length() {
    let xs = [vec![0.0, 0.0], vec![0.0, 1.0, 5.0]];
    Perceptron::new(2).fit(&xs, &[0.0, 1.0], 1.0, 10);
}

#[test]
#[should_panic(expected = "Perceptron::fit: 4 examples but 3 targets")]
fn perceptron_fit_examples_and_targets() {
    Perceptron::new(2).fit(&X, &[0.0, 1.0, 1.0], 1.0, 10);
}

#[test]
#[should_panic(expected = "Perceptron::fit: targets must be 0 or 1, got -1")]
fn perceptron_fit_minus_one_targets() {
    // The ±1 convention of some textbooks: this perceptron predicts 0 or 1.
    Perceptron::new(2).fit(&X, &[-1.0, 1.0, 1.0, 1.0], 1.0, 10);
}

#[test]
#[should_panic(expected = "Perceptron::fit: targets must be 0 or 1, got 0.5")]
fn perceptron_fit_fractional_target() {
    Perceptron::new(2).fit(&X, &[0.0, 0.5, 1.0, 1.0], 1.0, 10);
}

#[test]
#[should_panic(expected = "Perceptron::fit: targets must be 0 or 1, got NaN")]
fn perceptron_fit_nan_target() {
    Perceptron::new(2).fit(&X, &[0.0, f64::NAN, 1.0, 1.0], 1.0, 10);
}

#[test]
#[should_panic(expected = "Perceptron::fit: the learning rate must be positive and finite, got 0")]
fn perceptron_fit_zero_learning_rate() {
    Perceptron::new(2).fit(&X, &[0.0, 1.0, 1.0, 1.0], 0.0, 10);
}

#[test]
#[should_panic(
    expected = "Perceptron::fit: the learning rate must be positive and finite, got -0.5"
)]
fn perceptron_fit_negative_learning_rate() {
    Perceptron::new(2).fit(&X, &[0.0, 1.0, 1.0, 1.0], -0.5, 10);
}

#[test]
#[should_panic(
    expected = "Perceptron::fit: the learning rate must be positive and finite, got NaN"
)]
fn perceptron_fit_nan_learning_rate() {
    Perceptron::new(2).fit(&X, &[0.0, 1.0, 1.0, 1.0], f64::NAN, 10);
}

// ----- the panic points at the caller's line ------------------------------

#[test]
fn linear_forward_panics_at_the_callers_line() {
    let layer = layer_784_256();
    let g = Graph::new();
    let x = g.input(zeros(&[128, 100]));
    let (panic, line) = panic_site!(layer.forward(x));
    assert_eq!(
        panic.0,
        "Linear(784 → 256): input has shape [128, 100], expected [batch, 784]"
    );
    assert_here!(panic, line);
}

/// Through a `Sequential` the layer is a `Box<dyn Module>`: the location
/// survives only if `Module::forward` itself is `#[track_caller]` (the
/// attribute on an implementation alone is lost in a virtual call).
#[test]
fn sequential_forward_panics_at_the_callers_line() {
    let net: Sequential = Sequential::new()
        .with(Linear::new(2, 3, &mut rng()))
        .with(Activation::Tanh)
        .with(Linear::new(4, 1, &mut rng()));
    let g = Graph::new();
    let x = g.input(zeros(&[5, 2]));
    let (panic, line) = panic_site!(net.forward(x));
    assert_eq!(
        panic.0,
        "Linear(4 → 1): input has shape [5, 3], expected [batch, 4]"
    );
    assert_here!(panic, line);

    // Nested, and called through a trait object itself.
    let nested: Box<dyn Module> = Box::new(Sequential::new().with(net));
    let x = g.input(zeros(&[5, 2]));
    let (panic, line) = panic_site!(nested.forward(x));
    assert_here!(panic, line);
}

#[test]
fn softmax_modules_panic_at_the_callers_line() {
    let g = Graph::new();
    let x = g.input(zeros(&[4, 3]));
    let (panic, line) = panic_site!(Softmax { axis: 2 }.forward(x));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(LogSoftmax { axis: 2 }.forward(x));
    assert_here!(panic, line);
    let net: Sequential = Sequential::new().with(LogSoftmax { axis: 2 });
    let (panic, line) = panic_site!(net.forward(x));
    assert_here!(panic, line);
}

#[test]
fn constructors_panic_at_the_callers_line() {
    let (panic, line) = panic_site!(Linear::<f32>::new(0, 3, &mut rng()));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(Linear::<f32>::without_bias(3, 0, &mut rng()));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(Linear::from_tensors(zeros(&[3]), None));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(Linear::from_tensors(zeros(&[3, 4]), Some(zeros(&[3]))));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(Mlp::new(&[784]));
    assert_here!(panic, line);
}

#[test]
fn perceptron_panics_at_the_callers_line() {
    let mut p = Perceptron::new(2);
    let (panic, line) = panic_site!(p.weighted_sum(&[1.0]));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(p.predict(&[1.0]));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(p.fit(&X, &[0.0], 1.0, 10));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(p.fit(&X, &[0.0, 2.0, 1.0, 1.0], 1.0, 10));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(p.fit(&X, &[0.0, 1.0, 1.0, 1.0], 0.0, 10));
    assert_here!(panic, line);
    // A bad example is found before any update, even with no epoch to run.
    let xs = [vec![0.0, 0.0], vec![1.0]];
    let (panic, line) = panic_site!(p.fit(&xs, &[0.0, 1.0], 1.0, 0));
    assert_eq!(
        panic.0,
        "Perceptron::fit: example 1 has 1 values, the perceptron has 2 weights"
    );
    assert_eq!(p, Perceptron::new(2), "no update before the check");
    assert_here!(panic, line);
}
