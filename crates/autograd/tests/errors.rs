//! Every misuse panics at once with a message that names the operation and
//! the offending shapes or values; these tests pin the full messages. The
//! last tests check that the panic is reported at the learner's line
//! (`#[track_caller]`), not somewhere inside the crate.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;
use support::panic_of;

use autograd::{GradcheckConfig, Graph, Param, gradcheck, gradcheck_with};
use tensor::Tensor;

fn zeros(shape: &[usize]) -> Tensor<f64> {
    Tensor::zeros(shape)
}

// ----- shapes ------------------------------------------------------------------

#[test]
#[should_panic(expected = "matmul: inner dimensions differ: [128, 784] x [256, 10]")]
fn matmul_inner_dimensions() {
    let g = Graph::<f64>::new();
    let x = g.input(zeros(&[128, 784]));
    let w = g.leaf(zeros(&[256, 10]));
    x.matmul(w);
}

#[test]
#[should_panic(expected = "matmul: expects 2-d variables, got [3] x [3, 2]")]
fn matmul_of_a_vector() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[3])).matmul(g.leaf(zeros(&[3, 2])));
}

#[test]
#[should_panic(expected = "matmul: expects 2-d variables, got [2, 2, 3] x [3, 2]")]
fn matmul_of_a_3d_variable() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 2, 3])).matmul(g.leaf(zeros(&[3, 2])));
}

#[test]
#[should_panic(expected = "add: shapes [2, 3] and [4] cannot be broadcast together")]
fn add_shapes() {
    let g = Graph::<f64>::new();
    let _ = g.leaf(zeros(&[2, 3])) + g.leaf(zeros(&[4]));
}

#[test]
#[should_panic(expected = "sub: shapes [2, 3] and [2] cannot be broadcast together")]
fn sub_shapes() {
    let g = Graph::<f64>::new();
    let _ = g.leaf(zeros(&[2, 3])) - g.leaf(zeros(&[2]));
}

#[test]
#[should_panic(expected = "mul: shapes [4, 1] and [3, 2] cannot be broadcast together")]
fn mul_shapes() {
    let g = Graph::<f64>::new();
    let _ = g.leaf(zeros(&[4, 1])) * g.leaf(zeros(&[3, 2]));
}

#[test]
#[should_panic(expected = "div: shapes [3] and [2, 2] cannot be broadcast together")]
fn div_shapes() {
    let g = Graph::<f64>::new();
    let _ = g.leaf(zeros(&[3])) / g.leaf(zeros(&[2, 2]));
}

#[test]
#[should_panic(expected = "mul_mask: shapes [2, 3] and [2] cannot be broadcast together")]
fn mul_mask_shapes() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).mul_mask(&zeros(&[2]));
}

#[test]
#[should_panic(expected = "reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)")]
fn reshape_count() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).reshape([4, 2]);
}

// ----- axes --------------------------------------------------------------------

#[test]
#[should_panic(expected = "sum_axis: axis 2 out of range for a tensor of shape [2, 3]")]
fn sum_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).sum_axis(2);
}

#[test]
#[should_panic(expected = "sum_keepdims: axis 2 out of range for a tensor of shape [2, 3]")]
fn sum_keepdims_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).sum_keepdims(2);
}

#[test]
#[should_panic(expected = "mean_axis: axis 1 out of range for a tensor of shape [4]")]
fn mean_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[4])).mean_axis(1);
}

#[test]
#[should_panic(expected = "max_axis: axis 3 out of range for a tensor of shape [2, 3]")]
fn max_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).max_axis(3);
}

#[test]
#[should_panic(expected = "softmax: axis 2 out of range for a tensor of shape [2, 3]")]
fn softmax_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).softmax(2);
}

#[test]
#[should_panic(expected = "log_softmax: axis 2 out of range for a tensor of shape [2, 3]")]
fn log_softmax_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).log_softmax(2);
}

#[test]
#[should_panic(expected = "logsumexp: axis 1 out of range for a tensor of shape [5]")]
fn logsumexp_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[5])).logsumexp(1);
}

#[test]
#[should_panic(expected = "logsumexp_keepdims: axis 2 out of range for a tensor of shape [2, 3]")]
fn logsumexp_keepdims_axis_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2, 3])).logsumexp_keepdims(2);
}

#[test]
#[should_panic(expected = "clamp: min 1 is larger than max 0")]
fn clamp_bounds_reversed() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[2])).clamp(1.0, 0.0);
}

// ----- pick --------------------------------------------------------------------

#[test]
#[should_panic(expected = "pick: expects a 2-d [batch, classes] variable, got [3]")]
fn pick_of_a_vector() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[3])).pick(&[0, 1, 2]);
}

#[test]
#[should_panic(expected = "pick: 2 class indices for 3 rows (shape [3, 4])")]
fn pick_wrong_number_of_classes() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[3, 4])).pick(&[0, 1]);
}

#[test]
#[should_panic(expected = "pick: class 7 out of range for 3 columns (row 2)")]
fn pick_class_out_of_range() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[4, 3])).pick(&[0, 2, 7, 9]);
}

// ----- backward ----------------------------------------------------------------

#[test]
#[should_panic(
    expected = "backward: the loss must be a single number, got shape [3, 2]; reduce it with sum or mean first"
)]
fn backward_of_a_matrix() {
    let g = Graph::<f64>::new();
    g.leaf(zeros(&[3, 2])).relu().backward();
}

#[test]
#[should_panic(
    expected = "backward: this pass has already been differentiated; record a new forward pass"
)]
fn backward_twice() {
    let g = Graph::<f64>::new();
    let loss = g.leaf(zeros(&[3])).sum();
    loss.backward();
    loss.backward();
}

#[test]
#[should_panic(
    expected = "backward: this graph was made with Graph::inference() and records no backward information"
)]
fn backward_on_an_inference_graph() {
    let g = Graph::<f64>::inference();
    g.leaf(zeros(&[3])).sum().backward();
}

// ----- variables of the wrong graph or pass ---------------------------------

#[test]
#[should_panic(expected = "add: the two variables belong to different graphs")]
fn variables_from_two_graphs_added() {
    let (g1, g2) = (Graph::<f64>::new(), Graph::<f64>::new());
    let _ = g1.leaf(zeros(&[2])) + g2.leaf(zeros(&[2]));
}

#[test]
#[should_panic(expected = "matmul: the two variables belong to different graphs")]
fn variables_from_two_graphs_multiplied() {
    let (g1, g2) = (Graph::<f64>::new(), Graph::<f64>::new());
    g1.input(zeros(&[1, 2])).matmul(g2.leaf(zeros(&[2, 1])));
}

#[test]
#[should_panic(
    expected = "this variable belongs to an earlier forward pass of its graph (a new pass starts after backward or clear); record it again"
)]
fn stale_variable_after_a_new_pass() {
    let g = Graph::<f64>::new();
    let x = g.leaf(zeros(&[2]));
    x.sum().backward();
    let _next_pass = g.input(zeros(&[2]));
    x.relu();
}

#[test]
#[should_panic(
    expected = "this variable belongs to an earlier forward pass of its graph (a new pass starts after backward or clear); record it again"
)]
fn stale_variable_after_clear() {
    let g = Graph::<f64>::inference();
    let x = g.input(zeros(&[2]));
    g.clear();
    x.shape();
}

#[test]
#[should_panic(
    expected = "this variable belongs to a forward pass that backward has already used; record a new forward pass"
)]
fn variable_of_a_differentiated_pass() {
    let g = Graph::<f64>::new();
    let x = g.leaf(zeros(&[2]));
    x.sum().backward();
    x.exp();
}

#[test]
#[should_panic(
    expected = "value: this parameter's value was released by backward; read it from the Param"
)]
fn value_of_a_released_parameter() {
    let w = Param::new(Tensor::<f64>::ones([2]));
    let g = Graph::new();
    let p = g.param(&w);
    p.sum().backward();
    p.value();
}

// ----- gradients, parameters ------------------------------------------------

#[test]
fn index_of_an_unused_parameter() {
    let (w, unused) = (
        Param::new(Tensor::<f64>::ones([2])),
        Param::new(Tensor::ones([2])),
    );
    let g = Graph::new();
    let grads = g.param(&w).sum().backward();
    let (message, _) = panic_of(|| {
        let _ = &grads[&unused];
    });
    assert_eq!(
        message,
        format!(
            "Gradients: no gradient for parameter {}: the loss does not depend on it",
            unused.id()
        )
    );
}

#[test]
fn wrt_of_an_unused_parameter() {
    let (w, unused) = (
        Param::new(Tensor::<f64>::ones([2])),
        Param::new(Tensor::ones([2])),
    );
    let g = Graph::new();
    let p = g.param(&unused);
    let grads = g.param(&w).sum().backward();
    let (message, _) = panic_of(|| {
        grads.wrt(p);
    });
    assert_eq!(
        message,
        format!(
            "Gradients::wrt: the loss does not depend on parameter {}",
            unused.id()
        )
    );
}

#[test]
#[should_panic(
    expected = "Gradients::wrt: variable 1 is not a leaf; make it with Graph::leaf to get its gradient"
)]
fn wrt_of_an_intermediate_variable() {
    let g = Graph::<f64>::new();
    let x = g.leaf(zeros(&[2]));
    let h = x.exp(); // node 1
    let grads = h.sum().backward();
    grads.wrt(h);
}

#[test]
#[should_panic(
    expected = "Gradients::wrt: variable 0 is not a leaf; make it with Graph::leaf to get its gradient"
)]
fn wrt_of_an_input() {
    let g = Graph::<f64>::new();
    let x = g.input(zeros(&[2]));
    let w = g.leaf(zeros(&[2]));
    let grads = (x * w).sum().backward();
    grads.wrt(x);
}

#[test]
#[should_panic(
    expected = "Gradients::wrt: the variable comes from another graph or another forward pass"
)]
fn wrt_of_a_variable_from_another_graph() {
    let (g1, g2) = (Graph::<f64>::new(), Graph::<f64>::new());
    let x = g1.leaf(zeros(&[2]));
    let y = g2.leaf(zeros(&[2]));
    let grads = x.sum().backward();
    grads.wrt(y);
}

#[test]
#[should_panic(
    expected = "Gradients::wrt: the variable comes from another graph or another forward pass"
)]
fn wrt_of_a_variable_from_an_earlier_pass() {
    let g = Graph::<f64>::new();
    let old = g.leaf(zeros(&[2]));
    old.sum().backward();
    let x = g.leaf(zeros(&[2])); // a new pass: also node 0
    let grads = x.sum().backward();
    grads.wrt(old);
}

#[test]
#[should_panic(expected = "Param::set: new value has shape [3], the parameter has shape [2, 2]")]
fn param_set_with_a_wrong_shape() {
    let mut w = Param::new(Tensor::<f64>::zeros([2, 2]));
    w.set(Tensor::zeros([3]));
}

// ----- gradcheck -------------------------------------------------------------

#[test]
#[should_panic(expected = "gradcheck: eps must be positive, got 0")]
fn gradcheck_with_a_zero_step() {
    let config = GradcheckConfig {
        eps: 0.0,
        ..GradcheckConfig::default()
    };
    gradcheck_with(&[zeros(&[1])], |v| v[0].exp(), config);
}

/// The check can fail: with a huge step h = 1, the central difference of x⁴
/// is ((x+h)⁴ − (x−h)⁴) / 2h = 4x³ + 4xh², so at x = 10 it reads 4040 where
/// the true derivative is 4000 (both times the projection r): relative
/// error 40 / 4040 = 1/101 = 9.901e-3, far above any tolerance.
#[test]
#[should_panic(
    expected = "gradcheck failed (tolerance 1e-3): max relative error 9.901e-3 over 1 entries, worst at input 0 index []: analytic "
)]
fn gradcheck_detects_a_wrong_gradient() {
    let config = GradcheckConfig {
        eps: 1.0,
        ..GradcheckConfig::default()
    };
    let report = gradcheck_with(&[Tensor::scalar(10.0)], |v| v[0].powi(4), config);
    report.assert_below(1e-3);
}

/// A NaN anywhere fails the check: √x at x = −1 has no real value.
#[test]
#[should_panic(
    expected = "gradcheck failed (tolerance 1e-6): max relative error NaN over 1 entries"
)]
fn gradcheck_fails_on_nan() {
    gradcheck(&[Tensor::scalar(-1.0)], |v| v[0].sqrt()).assert_below(1e-6);
}

// ----- the panic points at the caller's line ------------------------------

#[test]
fn matmul_panics_at_the_callers_line() {
    let g = Graph::<f64>::new();
    let (x, w) = (g.input(zeros(&[128, 784])), g.leaf(zeros(&[256, 10])));
    let (panic, line) = panic_site!(x.matmul(w));
    assert_eq!(
        panic.0,
        "matmul: inner dimensions differ: [128, 784] x [256, 10]"
    );
    assert_here!(panic, line);
}

#[test]
fn operators_panic_at_the_callers_line() {
    let g = Graph::<f64>::new();
    let (a, b) = (g.leaf(zeros(&[2, 3])), g.leaf(zeros(&[4])));
    let (panic, line) = panic_site!(a + b);
    assert_eq!(
        panic.0,
        "add: shapes [2, 3] and [4] cannot be broadcast together"
    );
    assert_here!(panic, line);
    let (panic, line) = panic_site!(a * b);
    assert_here!(panic, line);
}

#[test]
fn shape_and_axis_errors_panic_at_the_callers_line() {
    let g = Graph::<f64>::new();
    let x = g.leaf(zeros(&[2, 3]));
    let (panic, line) = panic_site!(x.reshape([4, 2]));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(x.sum_axis(2));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(x.softmax(2));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(x.pick(&[0, 7]));
    assert_here!(panic, line);
    let (panic, line) = panic_site!(x.mul_mask(&zeros(&[2])));
    assert_here!(panic, line);
}

#[test]
fn backward_errors_panic_at_the_callers_line() {
    let g = Graph::<f64>::new();
    let x = g.leaf(zeros(&[2, 3]));
    let (panic, line) = panic_site!(x.backward());
    assert_here!(panic, line);
    let loss = x.sum();
    let grads = loss.backward();
    let (panic, line) = panic_site!(loss.backward());
    assert_here!(panic, line);
    let (panic, line) = panic_site!(grads.wrt(loss));
    assert_here!(panic, line);
}

#[test]
fn misuse_after_backward_panics_at_the_callers_line() {
    let w = Param::new(Tensor::<f64>::ones([2]));
    let unused = Param::new(Tensor::<f64>::ones([2]));
    let g = Graph::new();
    let p = g.param(&w);
    let q = g.param(&unused);
    let grads = p.sum().backward();
    // The pass was differentiated: its variables cannot be used again.
    let (panic, line) = panic_site!(p.exp());
    assert_here!(panic, line);
    // The parameter's value was released.
    let (panic, line) = panic_site!(p.value());
    assert_here!(panic, line);
    // No gradient for a parameter the loss does not use.
    let (panic, line) = panic_site!(&grads[&unused]);
    assert_here!(panic, line);
    let (panic, line) = panic_site!(grads.wrt(q));
    assert_here!(panic, line);
    // A new pass: `p` is stale.
    let _next = g.input(zeros(&[1]));
    let (panic, line) = panic_site!(p.exp());
    assert_here!(panic, line);
}
