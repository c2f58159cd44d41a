//! Every layer of chapter 3, gradient-checked against central differences:
//! [`gradcheck_module`] for the modules (the input *and* every parameter)
//! and [`autograd::gradcheck`] for the functional [`linear`], on random
//! sizes and values, in f64.
//!
//! Inputs of the kinked activations (step, ReLU, leaky ReLU) are kept at
//! least 1e-3 from 0; in ReLU networks a case is skipped when a hidden
//! pre-activation falls within 1e-4 of 0, where central differences (h =
//! 1e-6) may straddle the kink. The last tests check that
//! [`Activation::derivative`], the curve the book tabulates, is the slope
//! the backward pass uses.
//!
//! `PROPTEST_CASES` raises the number of cases per test (default 32 here).

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::{GradcheckReport, Graph, Param, Var, gradcheck};
use layers::{
    Activation, Linear, LogSoftmax, Mlp, Module, Sequential, Softmax, gradcheck_module, linear,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

type T = Tensor<f64>;

/// Every gradient must match central differences to this relative error.
const TOLERANCE: f64 = 1e-6;

/// Hidden pre-activations of ReLU networks must be at least this far from
/// the kink at 0 (central differences move them by far less).
const KINK_MARGIN: f64 = 1e-4;

/// Runs `check` on many random cases; it fails a case by returning an
/// error (or rejects it with `prop_assume!`), and proptest shrinks it.
fn property<S: Strategy>(
    strategy: S,
    check: impl Fn(&S::Value) -> Result<GradcheckReport, TestCaseError>,
) {
    let mut runner = TestRunner::new(support::proptest_config());
    if let Err(failure) = runner.run(&strategy, |case| {
        let report = check(&case)?;
        prop_assert!(
            report.max_rel_error < TOLERANCE,
            "gradcheck failed: {report}"
        );
        Ok(())
    }) {
        panic!("{failure}");
    }
}

// ----- values and tensors --------------------------------------------------

/// Anywhere in [-2, 2].
fn any_value() -> BoxedStrategy<f64> {
    (-2.0..2.0).boxed()
}

/// |x| in [1e-3, 2], either sign: away from the kink at 0.
fn off_zero() -> BoxedStrategy<f64> {
    (1e-3..2.0f64, any::<bool>())
        .prop_map(|(m, negative)| if negative { -m } else { m })
        .boxed()
}

/// A `[rows, cols]` matrix with values from `values`.
fn matrix(rows: usize, cols: usize, values: BoxedStrategy<f64>) -> BoxedStrategy<T> {
    vec(values, rows * cols)
        .prop_map(move |v| Tensor::from_vec(v, [rows, cols]))
        .boxed()
}

/// A vector of `n` values.
fn vector(n: usize, values: BoxedStrategy<f64>) -> BoxedStrategy<T> {
    vec(values, n)
        .prop_map(move |v| Tensor::from_vec(v, [n]))
        .boxed()
}

/// A minibatch `[1–5, 1–5]` for the element-wise activations.
fn batch(values: BoxedStrategy<f64>) -> BoxedStrategy<T> {
    (1usize..=5, 1usize..=5)
        .prop_flat_map(move |(rows, cols)| matrix(rows, cols, values.clone()))
        .boxed()
}

/// `x` `[batch, in]`, `W` `[in, out]` and maybe `b` `[out]`: in and out in
/// 1–6, batch in 1–5.
fn linear_case() -> BoxedStrategy<(T, T, Option<T>)> {
    (1usize..=6, 1usize..=6, 1usize..=5, any::<bool>())
        .prop_flat_map(|(inp, out, rows, bias)| {
            let b = if bias {
                vector(out, any_value()).prop_map(Some).boxed()
            } else {
                Just(None).boxed()
            };
            (
                matrix(rows, inp, any_value()),
                matrix(inp, out, any_value()),
                b,
            )
        })
        .boxed()
}

/// A `[rows, cols]` matrix (lengths 1–5) and an axis, 0 or 1, whose length
/// is 2–5. (Along an axis of length 1 softmax is the constant 1: its
/// gradient is 0 whatever the rule, and the case would check nothing.)
fn softmax_case() -> BoxedStrategy<(T, usize)> {
    (1usize..=5, 2usize..=5, 0usize..=1)
        .prop_flat_map(|(other, wide, axis)| {
            let (rows, cols) = if axis == 0 {
                (wide, other)
            } else {
                (other, wide)
            };
            (matrix(rows, cols, (-3.0..3.0).boxed()), Just(axis))
        })
        .boxed()
}

/// Layer sizes for an MLP (2–4 sizes, each 1–5), a minibatch for it
/// (1–5 rows) and a seed for its initial weights.
fn mlp_case() -> BoxedStrategy<(Vec<usize>, T, u64)> {
    (vec(1usize..=5, 2..=4), 1usize..=5, any::<u64>())
        .prop_flat_map(|(sizes, rows, seed)| {
            let x = matrix(rows, sizes[0], any_value());
            (Just(sizes), x, Just(seed))
        })
        .boxed()
}

/// The activations that are smooth everywhere.
fn smooth_activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
    ]
}

// ----- Linear --------------------------------------------------------------

/// The number of entries gradcheck_module must compare: the input and every
/// parameter.
fn entries(x: &T, module: &impl Module<f64>) -> usize {
    x.len() + module.num_params()
}

#[test]
fn grad_linear_module() {
    property(linear_case(), |(x, w, b)| {
        let mut layer = Linear::from_tensors(w.clone(), b.clone());
        let report = gradcheck_module(&mut layer, x);
        prop_assert_eq!(
            report.checked,
            entries(x, &layer),
            "input and every parameter"
        );
        Ok(report)
    });
}

/// The default initialisation, as `Linear::new` and `Linear::without_bias`
/// draw it.
#[test]
fn grad_linear_module_default_init() {
    let strategy = (
        1usize..=6,
        1usize..=6,
        1usize..=5,
        any::<bool>(),
        any::<u64>(),
    )
        .prop_flat_map(|(inp, out, rows, bias, seed)| {
            (matrix(rows, inp, any_value()), Just((out, bias, seed)))
        });
    property(strategy, |(x, (out, bias, seed))| {
        let rng = &mut StdRng::seed_from_u64(*seed);
        let inp = x.shape()[1];
        let mut layer = if *bias {
            Linear::new(inp, *out, rng)
        } else {
            Linear::without_bias(inp, *out, rng)
        };
        let report = gradcheck_module(&mut layer, x);
        prop_assert_eq!(report.checked, entries(x, &layer));
        Ok(report)
    });
}

#[test]
fn grad_linear_function() {
    property(linear_case(), |(x, w, b)| {
        let report = match b {
            Some(b) => gradcheck(&[x.clone(), w.clone(), b.clone()], |v| {
                linear(v[0], v[1], Some(v[2]))
            }),
            None => gradcheck(&[x.clone(), w.clone()], |v| linear(v[0], v[1], None)),
        };
        let expected = x.len() + w.len() + b.as_ref().map_or(0, Tensor::len);
        prop_assert_eq!(report.checked, expected);
        Ok(report)
    });
}

// ----- activations, as modules ----------------------------------------------

/// Gradcheck of a parameterless module on `x`.
fn check_activation(mut module: impl Module<f64>, x: &T) -> Result<GradcheckReport, TestCaseError> {
    let report = gradcheck_module(&mut module, x);
    prop_assert_eq!(report.checked, x.len());
    Ok(report)
}

#[test]
fn grad_identity() {
    property(batch(any_value()), |x| {
        check_activation(Activation::Identity, x)
    });
}

#[test]
fn grad_step() {
    property(batch(off_zero()), |x| check_activation(Activation::Step, x));
}

#[test]
fn grad_sigmoid() {
    property(batch((-3.0..3.0).boxed()), |x| {
        check_activation(Activation::Sigmoid, x)
    });
}

#[test]
fn grad_tanh() {
    property(batch((-3.0..3.0).boxed()), |x| {
        check_activation(Activation::Tanh, x)
    });
}

#[test]
fn grad_relu() {
    property(batch(off_zero()), |x| check_activation(Activation::Relu, x));
}

#[test]
fn grad_leaky_relu() {
    property((batch(off_zero()), 0.01..0.5), |(x, slope)| {
        check_activation(Activation::LeakyRelu(*slope), x)
    });
}

#[test]
fn grad_softmax() {
    property(softmax_case(), |(x, axis)| {
        check_activation(Softmax { axis: *axis }, x)
    });
}

#[test]
fn grad_log_softmax() {
    property(softmax_case(), |(x, axis)| {
        check_activation(LogSoftmax { axis: *axis }, x)
    });
}

// ----- networks --------------------------------------------------------------

/// Linear → act → [Linear → act] (a nested Sequential) → head, where the
/// head is nothing, a softmax or a log-softmax over the classes.
#[test]
fn grad_sequential() {
    let strategy = (
        mlp_case(),
        smooth_activation(),
        smooth_activation(),
        0usize..3,
    );
    property(strategy, |((sizes, x, seed), act1, act2, head)| {
        let rng = &mut StdRng::seed_from_u64(*seed);
        let (inp, hidden, out) = (sizes[0], sizes[1], *sizes.last().unwrap());
        let inner = Sequential::new()
            .with(Linear::new(hidden, out, rng))
            .with(*act2);
        let mut net = Sequential::new()
            .with(Linear::new(inp, hidden, rng))
            .with(*act1)
            .with(inner);
        match head {
            1 => net.push(Softmax { axis: 1 }),
            2 => net.push(LogSoftmax { axis: 1 }),
            _ => {}
        }
        let report = gradcheck_module(&mut net, x);
        prop_assert_eq!(report.checked, entries(x, &net));
        Ok(report)
    });
}

/// Gradcheck of `Mlp::new(sizes)` with the hidden activation `act` and the
/// output activation `output`, its weights drawn from `seed`. For kinked
/// hidden activations the case is rejected when a hidden pre-activation is
/// within `KINK_MARGIN` of 0.
fn check_mlp(
    (sizes, x, seed): &(Vec<usize>, T, u64),
    act: Activation,
    output: Activation,
) -> Result<GradcheckReport, TestCaseError> {
    let mut net: Sequential<f64> = Mlp::new(sizes)
        .activation(act)
        .output_activation(output)
        .build(&mut StdRng::seed_from_u64(*seed));
    let smooth = matches!(
        act,
        Activation::Identity | Activation::Sigmoid | Activation::Tanh
    );
    if !smooth {
        let closest = closest_hidden_pre_activation(&net, x, act, output);
        prop_assume!(
            closest >= KINK_MARGIN,
            "pre-activation {:e} near the kink",
            closest
        );
    }
    let report = gradcheck_module(&mut net, x);
    prop_assert_eq!(report.checked, entries(x, &net));
    Ok(report)
}

/// Recomputes the MLP's forward pass layer by layer from its parameters, on
/// an inference graph, and returns the smallest |pre-activation| of its
/// hidden layers (those followed by `act`). Checks on the way that the
/// recomputed output is the network's.
fn closest_hidden_pre_activation(
    net: &Sequential<f64>,
    x: &T,
    act: Activation,
    output: Activation,
) -> f64 {
    let params = net.params();
    let layers: Vec<(&Param<f64>, &Param<f64>)> =
        params.chunks(2).map(|wb| (wb[0], wb[1])).collect();
    let g = Graph::inference();
    let mut h: Var<'_, f64> = g.input(x.clone());
    let mut closest = f64::INFINITY;
    for (i, (w, b)) in layers.iter().enumerate() {
        let z = linear(h, g.param(w), Some(g.param(b)));
        if i + 1 < layers.len() {
            closest = closest.min(
                z.value()
                    .to_vec()
                    .iter()
                    .fold(f64::INFINITY, |m, v| m.min(v.abs())),
            );
            h = act.apply(z);
        } else {
            h = output.apply(z);
        }
    }
    let expected = net.forward(g.input(x.clone())).value();
    assert_eq!(h.value().to_vec(), expected.to_vec(), "recomputed forward");
    closest
}

#[test]
fn grad_mlp_tanh() {
    let strategy = (mlp_case(), smooth_activation());
    property(strategy, |(case, output)| {
        check_mlp(case, Activation::Tanh, *output)
    });
}

#[test]
fn grad_mlp_sigmoid() {
    let strategy = (mlp_case(), smooth_activation());
    property(strategy, |(case, output)| {
        check_mlp(case, Activation::Sigmoid, *output)
    });
}

#[test]
fn grad_mlp_relu() {
    let strategy = (mlp_case(), smooth_activation());
    property(strategy, |(case, output)| {
        check_mlp(case, Activation::Relu, *output)
    });
}

#[test]
fn grad_mlp_leaky_relu() {
    let strategy = (mlp_case(), smooth_activation(), 0.01..0.5);
    property(strategy, |(case, output, slope)| {
        check_mlp(case, Activation::LeakyRelu(*slope), *output)
    });
}

// ----- gradcheck_module itself ----------------------------------------------

/// A module with a bug: it brings its weight into the graph as a constant
/// input instead of a parameter, so no gradient reaches the weight.
struct Detached {
    weight: Param<f64>,
}

impl Module<f64> for Detached {
    fn forward<'g>(&self, x: Var<'g, f64>) -> Var<'g, f64> {
        x.matmul(x.graph().input(self.weight.value().clone()))
    }
    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<f64>)) {
        f(&name(prefix), &self.weight);
    }
    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<f64>)) {
        f(&name(prefix), &mut self.weight);
    }
}

/// `weight`, or `prefix.weight` inside a container.
fn name(prefix: &str) -> String {
    if prefix.is_empty() {
        "weight".to_string()
    } else {
        format!("{prefix}.weight")
    }
}

/// The parameters are checked, not only the input: a weight the graph does
/// not see is caught, and reported as input 1 (the first parameter).
#[test]
fn gradcheck_module_catches_a_parameter_without_gradient() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut module = Detached {
        weight: Param::new(Tensor::randn([3, 2], &mut rng)),
    };
    let x = Tensor::randn([4, 3], &mut rng);
    let report = gradcheck_module(&mut module, &x);
    assert_eq!(report.checked, 4 * 3 + 3 * 2);
    assert!(report.max_rel_error > 1e-2, "{report}");
    let worst = report.worst.expect("entries were checked");
    assert_eq!(worst.input, 1, "the weight is reported as input 1");
    assert_eq!(worst.analytic, 0.0);
}

/// The module's parameters are exactly as before the check, and keep their
/// ids.
#[test]
fn gradcheck_module_restores_the_parameters() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut net: Sequential<f64> = Mlp::new(&[3, 4, 2])
        .activation(Activation::Tanh)
        .build(&mut rng);
    let before: Vec<_> = net
        .params()
        .iter()
        .map(|p| (p.id(), p.value().to_vec()))
        .collect();
    gradcheck_module(&mut net, &Tensor::randn([5, 3], &mut rng)).assert_below(TOLERANCE);
    let after: Vec<_> = net
        .params()
        .iter()
        .map(|p| (p.id(), p.value().to_vec()))
        .collect();
    assert_eq!(before, after);
}

// ----- the derivative table ------------------------------------------------

/// Every activation, with two leaky slopes.
const ACTIVATIONS: [Activation; 7] = [
    Activation::Identity,
    Activation::Step,
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu(0.01),
    Activation::LeakyRelu(0.2),
];

/// −4, −3.75, ..., 4: includes the kink at 0.
fn points() -> Vec<f64> {
    (-16..=16).map(|k| f64::from(k) / 4.0).collect()
}

/// `value` and `derivative` are the forward and backward passes of `apply`,
/// at every point — including 0, where both take the left slope (0 for ReLU
/// and the step, the slope for leaky ReLU).
#[test]
fn derivative_agrees_with_backward() {
    let points = points();
    for act in ACTIVATIONS {
        let g = Graph::<f64>::new();
        let x = g.leaf(Tensor::from(points.clone()));
        let y = act.apply(x);
        let values = y.value().to_vec();
        let slopes = y.sum().backward().wrt(x).to_vec();
        for ((&p, &v), &d) in points.iter().zip(&values).zip(&slopes) {
            let name = act.name();
            assert!(
                close(act.value(p), v),
                "{name}({p}): value {} but forward {v}",
                act.value(p)
            );
            assert!(
                close(act.derivative(p), d),
                "{name}'({p}): derivative {} but backward {d}",
                act.derivative(p)
            );
        }
    }
}

/// Equal up to rounding: the two sides evaluate the same formula (σ(1 − σ),
/// 1 − tanh²) through different code.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// `derivative` is the slope of `value`: central differences of the curve
/// itself, away from the kink at 0.
#[test]
fn derivative_is_the_slope_of_value() {
    const H: f64 = 1e-6;
    for act in ACTIVATIONS {
        for p in points().into_iter().filter(|&p| p != 0.0) {
            let numeric = (act.value(p + H) - act.value(p - H)) / (2.0 * H);
            assert!(
                (act.derivative(p) - numeric).abs() < 1e-8,
                "{}'({p}): derivative {} but central difference {numeric}",
                act.name(),
                act.derivative(p)
            );
        }
    }
}

/// The table's remarks: σ′ is at most ¼ and tanh′ at most 1, both at 0;
/// the step's slope is 0 everywhere; ReLU's is 0 or 1.
#[test]
fn derivative_table_claims() {
    assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25);
    assert_eq!(Activation::Tanh.derivative(0.0), 1.0);
    let grid: Vec<f64> = (-400..=400).map(|k| f64::from(k) / 100.0).collect();
    for &p in &grid {
        assert!(Activation::Sigmoid.derivative(p) <= 0.25);
        assert!(Activation::Tanh.derivative(p) <= 1.0);
        assert_eq!(Activation::Step.derivative(p), 0.0);
        let relu = Activation::Relu.derivative(p);
        assert!(relu == 0.0 || relu == 1.0);
        assert_eq!(Activation::LeakyRelu(0.01).derivative(p) == 1.0, p > 0.0);
    }
}
