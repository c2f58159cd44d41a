//! Every differentiable operation of the tape, checked against central
//! differences with [`gradcheck`] on random shapes and values.
//!
//! One test per operation, named `grad_<op>`. Each draws random shapes (1–3
//! axes of length 1–5) and values, and for binary operations a pair of
//! shapes that broadcast together: one is derived from the other by dropping
//! leading axes and setting some axes to 1, and either side may be the
//! smaller one, so that `unbroadcast` is exercised on both inputs. Inputs are
//! kept away from kinks (ReLU, |x|, the step and clamp at their corners),
//! ties (max) and singularities (log, √, division, negative powers), where
//! central differences straddle a point at which the derivative does not
//! exist.
//!
//! `PROPTEST_CASES` raises the number of cases per test (default 32 here);
//! `report_worst_errors` runs every operation once on a fixed seed and prints
//! the worst relative error of each (`cargo test -p autograd --test grad_ops
//! report -- --nocapture`).

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::{GradcheckReport, Var, gradcheck};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use tensor::Tensor;

type T = Tensor<f64>;

/// Every gradient must match central differences to this relative error.
const TOLERANCE: f64 = 1e-6;

/// Runs `check` on many random cases; a failing case panics with the
/// gradcheck report (via `assert_below`) and proptest shrinks it.
fn property<S: Strategy>(strategy: S, check: impl Fn(&S::Value) -> GradcheckReport) {
    let mut runner = TestRunner::new(support::proptest_config());
    if let Err(failure) = runner.run(&strategy, |case| {
        check(&case).assert_below(TOLERANCE);
        Ok(())
    }) {
        panic!("{failure}");
    }
}

/// Runs `check` on one case drawn from `strategy` by `runner`.
fn once<S: Strategy>(
    runner: &mut TestRunner,
    strategy: S,
    check: impl Fn(&S::Value) -> GradcheckReport,
) -> GradcheckReport {
    let case = strategy
        .new_tree(runner)
        .expect("the strategies never reject")
        .current();
    check(&case)
}

/// Gradcheck of a function of one input.
fn check1(x: &T, f: impl for<'g> Fn(Var<'g, f64>) -> Var<'g, f64>) -> GradcheckReport {
    gradcheck(std::slice::from_ref(x), |v| f(v[0]))
}

/// Gradcheck of a function of two inputs.
fn check2(
    a: &T,
    b: &T,
    f: impl for<'g> Fn(Var<'g, f64>, Var<'g, f64>) -> Var<'g, f64>,
) -> GradcheckReport {
    gradcheck(&[a.clone(), b.clone()], |v| f(v[0], v[1]))
}

/// Several checks of one operation: each must pass on its own (the panic
/// names the failing form); returns the worst report.
fn each_below<const N: usize>(reports: [(&str, GradcheckReport); N]) -> GradcheckReport {
    for (form, report) in &reports {
        assert!(report.max_rel_error < TOLERANCE, "{form}: {report}");
    }
    reports
        .into_iter()
        .map(|(_, report)| report)
        .max_by(|a, b| a.max_rel_error.total_cmp(&b.max_rel_error))
        .expect("at least one report")
}

// ----- values ------------------------------------------------------------------

/// Anywhere in [-2, 2]: for operations that are smooth everywhere.
fn any_value() -> BoxedStrategy<f64> {
    (-2.0..2.0).boxed()
}

/// |x| in [1e-3, 2], either sign: away from the kink at 0 of ReLU, |x|,
/// leaky ReLU and the step (central differences use h = 1e-6).
fn off_zero() -> BoxedStrategy<f64> {
    signed(1e-3, 2.0)
}

/// |x| in [lo, hi), either sign.
fn signed(lo: f64, hi: f64) -> BoxedStrategy<f64> {
    (lo..hi, any::<bool>())
        .prop_map(|(m, negative)| if negative { -m } else { m })
        .boxed()
}

/// In [0.2, 2]: inside the domain of ln, √ and real powers, and far enough
/// from 0 that their steep derivatives there do not swamp the check.
fn positive() -> BoxedStrategy<f64> {
    (0.2..2.0).boxed()
}

// ----- shapes and tensors ----------------------------------------------------

/// 1–3 axes, each of length 1–5.
fn shape() -> impl Strategy<Value = Vec<usize>> {
    vec(1usize..=5, 1..=3)
}

/// A tensor of the given shape with values from `values`.
fn tensor_of(shape: Vec<usize>, values: BoxedStrategy<f64>) -> BoxedStrategy<T> {
    let n: usize = shape.iter().product();
    vec(values, n)
        .prop_map(move |v| Tensor::from_vec(v, &shape))
        .boxed()
}

/// A tensor of random shape.
fn tensor(values: BoxedStrategy<f64>) -> BoxedStrategy<T> {
    shape()
        .prop_flat_map(move |s| tensor_of(s, values.clone()))
        .boxed()
}

/// A tensor and an axis of it.
fn with_axis(values: BoxedStrategy<f64>) -> BoxedStrategy<(T, usize)> {
    shape()
        .prop_flat_map(move |s| {
            let ndim = s.len();
            (tensor_of(s, values.clone()), 0..ndim)
        })
        .boxed()
}

/// A tensor and an axis of it of length 2–5. (Along an axis of length 1,
/// softmax is the constant 1 and log-softmax the constant 0: their gradient
/// is 0 whatever the rule, so such a case checks nothing.)
fn with_wide_axis(values: BoxedStrategy<f64>) -> BoxedStrategy<(T, usize)> {
    (shape(), any::<Index>(), 2usize..=5)
        .prop_flat_map(move |(mut s, axis, len)| {
            let axis = axis.index(s.len());
            s[axis] = len;
            (tensor_of(s, values.clone()), Just(axis))
        })
        .boxed()
}

/// Two shapes that broadcast together. `full` has 1–3 axes; the other is
/// derived from it by dropping 0 or more leading axes (all of them gives a
/// 0-d scalar) and setting some of the remaining axes to 1. Either may come
/// first.
fn broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    shape()
        .prop_flat_map(|full| {
            let ndim = full.len();
            (
                Just(full),
                0..=ndim,
                vec(any::<bool>(), ndim),
                any::<bool>(),
            )
        })
        .prop_map(|(full, drop, ones, swap)| {
            let mut other = full[drop..].to_vec();
            for (len, one) in other.iter_mut().zip(ones) {
                if one {
                    *len = 1;
                }
            }
            if swap { (other, full) } else { (full, other) }
        })
}

/// Two tensors whose shapes broadcast together.
fn binary(a: BoxedStrategy<f64>, b: BoxedStrategy<f64>) -> BoxedStrategy<(T, T)> {
    broadcast_pair()
        .prop_flat_map(move |(sa, sb)| (tensor_of(sa, a.clone()), tensor_of(sb, b.clone())))
        .boxed()
}

/// A tensor of pairwise distinct values — a shuffle of 0, 0.1, 0.2, ...
/// plus noise below 0.01 — so that `max` never meets a tie, where it has no
/// derivative.
fn distinct() -> BoxedStrategy<(T, usize)> {
    shape()
        .prop_flat_map(|s| {
            let n: usize = s.iter().product();
            let ndim = s.len();
            let ranks = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
            (Just(s), ranks, vec(-0.01..0.01, n), 0..ndim)
        })
        .prop_map(|(s, ranks, noise, axis)| {
            let v = ranks
                .iter()
                .zip(noise)
                .map(|(&r, e)| 0.1 * r as f64 - 1.0 + e)
                .collect();
            (Tensor::from_vec(v, s), axis)
        })
        .boxed()
}

/// The divisors of `n`, in increasing order.
fn divisors(n: usize) -> Vec<usize> {
    (1..=n).filter(|&d| n.is_multiple_of(d)).collect()
}

/// A tensor and a new shape (1–3 axes) with the same number of elements.
fn reshape_case() -> BoxedStrategy<(T, Vec<usize>)> {
    (
        tensor(any_value()),
        1usize..=3,
        any::<Index>(),
        any::<Index>(),
    )
        .prop_map(|(x, ndim, i, j)| {
            let n = x.len();
            let d1 = *i.get(&divisors(n));
            let d2 = *j.get(&divisors(n / d1));
            let shape = match ndim {
                1 => vec![n],
                2 => vec![d1, n / d1],
                _ => vec![d1, d2, n / d1 / d2],
            };
            (x, shape)
        })
        .boxed()
}

/// `[m, k]` and `[k, n]`.
fn matmul_case() -> BoxedStrategy<(T, T)> {
    (1usize..=5, 1usize..=5, 1usize..=5)
        .prop_flat_map(|(m, k, n)| {
            (
                tensor_of(vec![m, k], any_value()),
                tensor_of(vec![k, n], any_value()),
            )
        })
        .boxed()
}

/// `x` and a mask of 0s and 2s (dropout with p = 1/2) whose shapes broadcast
/// together.
fn mask_case() -> BoxedStrategy<(T, T)> {
    binary(any_value(), prop_oneof![Just(0.0), Just(2.0)].boxed())
}

/// `[rows, classes]` scores and one class index per row.
fn pick_case() -> BoxedStrategy<(T, Vec<usize>)> {
    (1usize..=5, 1usize..=5)
        .prop_flat_map(|(rows, cols)| {
            (tensor_of(vec![rows, cols], any_value()), vec(0..cols, rows))
        })
        .boxed()
}

/// `x`, `lo` and `hi` with every element of `x` at least 1e-3 from both
/// bounds (some inside, some outside).
fn clamp_case() -> BoxedStrategy<(T, f64, f64)> {
    (tensor((-3.0..3.0).boxed()), -1.0..0.0, 0.5..1.5)
        .prop_map(|(x, lo, width)| {
            let hi = lo + width;
            let away = |v: f64, bound: f64| {
                if (v - bound).abs() < 1e-3 {
                    bound + 1e-3f64.copysign(v - bound)
                } else {
                    v
                }
            };
            (x.map(|v| away(away(v, lo), hi)), lo, hi)
        })
        .boxed()
}

// ----- the operations ------------------------------------------------------

/// Declares one `#[test] fn grad_<op>()` per line, running its check on
/// many random cases, and `all_ops_once`, which runs every check on one case
/// drawn with a fixed seed (for the report).
macro_rules! grad_tests {
    ($($name:ident: $strategy:expr, $check:expr;)*) => {
        $(
            #[test]
            fn $name() {
                property($strategy, $check);
            }
        )*

        /// Every operation once, on cases drawn with proptest's fixed seed.
        fn all_ops_once() -> Vec<(&'static str, GradcheckReport)> {
            let mut runner = TestRunner::deterministic();
            vec![$((
                stringify!($name).trim_start_matches("grad_"),
                once(&mut runner, $strategy, $check),
            )),*]
        }
    };
}

grad_tests! {
    // Binary operations, with broadcasting on either side.
    grad_add: binary(any_value(), any_value()), |(a, b)| check2(a, b, |a, b| a + b);
    grad_sub: binary(any_value(), any_value()), |(a, b)| check2(a, b, |a, b| a - b);
    grad_mul: binary(any_value(), any_value()), |(a, b)| check2(a, b, |a, b| a * b);
    grad_div: binary(any_value(), signed(0.5, 2.0)), |(a, b)| check2(a, b, |a, b| a / b);
    grad_mul_mask: mask_case(), |(x, mask)| check1(x, |x| x.mul_mask(mask));
    grad_matmul: matmul_case(), |(a, b)| check2(a, b, |a, b| a.matmul(b));

    // With a constant.
    grad_neg: tensor(any_value()), |x| check1(x, |x| -x);
    grad_add_scalar: (tensor(any_value()), -2.0..2.0), |(x, c)| each_below([
        ("x + c", check1(x, |x| x + *c)),
        ("x - c", check1(x, |x| x - *c)),
        ("x.add_scalar(c)", check1(x, |x| x.add_scalar(*c))),
    ]);
    grad_mul_scalar: (tensor(any_value()), signed(0.1, 2.0)), |(x, c)| each_below([
        ("x * c", check1(x, |x| x * *c)),
        ("x / c", check1(x, |x| x / *c)),
        ("x.mul_scalar(c)", check1(x, |x| x.mul_scalar(*c))),
    ]);
    grad_scalar_lhs_operators: (tensor(signed(0.5, 2.0)), -2.0..2.0), |(x, c)| each_below([
        ("c - x", check1(x, |x| *c - x)),
        ("c / x", check1(x, |x| *c / x)),
        ("c * x", check1(x, |x| *c * x)),
        ("c + x", check1(x, |x| *c + x)),
    ]);

    // Moving elements.
    grad_t: tensor(any_value()), |x| check1(x, |x| x.t());
    grad_reshape: reshape_case(), |(x, shape)| check1(x, |x| x.reshape(shape));

    // Reductions.
    grad_sum: tensor(any_value()), |x| check1(x, |x| x.sum());
    grad_sum_axis: with_axis(any_value()), |(x, axis)| check1(x, |x| x.sum_axis(*axis));
    grad_sum_keepdims: with_axis(any_value()), |(x, axis)| check1(x, |x| x.sum_keepdims(*axis));
    grad_mean: tensor(any_value()), |x| check1(x, |x| x.mean());
    grad_mean_axis: with_axis(any_value()), |(x, axis)| check1(x, |x| x.mean_axis(*axis));
    grad_mean_keepdims: with_axis(any_value()), |(x, axis)| check1(x, |x| x.mean_keepdims(*axis));
    grad_max_axis: distinct(), |(x, axis)| check1(x, |x| x.max_axis(*axis));
    grad_max_keepdims: distinct(), |(x, axis)| check1(x, |x| x.max_keepdims(*axis));

    // Element-wise functions.
    grad_exp: tensor(any_value()), |x| check1(x, |x| x.exp());
    grad_log: tensor(positive()), |x| check1(x, |x| x.log());
    grad_sqrt: tensor(positive()), |x| check1(x, |x| x.sqrt());
    grad_powi: (tensor(signed(0.5, 2.0)), -3i32..=4), |(x, n)| check1(x, |x| x.powi(*n));
    grad_powf: (tensor(positive()), -2.0..3.0), |(x, p)| check1(x, |x| x.powf(*p));
    grad_abs: tensor(off_zero()), |x| check1(x, |x| x.abs());
    grad_relu: tensor(off_zero()), |x| check1(x, |x| x.relu());
    grad_leaky_relu: (tensor(off_zero()), 0.01..0.5), |(x, slope)| {
        check1(x, |x| x.leaky_relu(*slope))
    };
    grad_sigmoid: tensor((-3.0..3.0).boxed()), |x| check1(x, |x| x.sigmoid());
    grad_softplus: tensor((-30.0..30.0).boxed()), |x| check1(x, |x| x.softplus());
    grad_tanh: tensor((-3.0..3.0).boxed()), |x| check1(x, |x| x.tanh());
    grad_step: tensor(off_zero()), |x| check1(x, |x| x.step());
    grad_clamp: clamp_case(), |(x, lo, hi)| check1(x, |x| x.clamp(*lo, *hi));

    // Along an axis: softmax and friends.
    grad_softmax: with_wide_axis((-3.0..3.0).boxed()), |(x, axis)| check1(x, |x| x.softmax(*axis));
    grad_log_softmax: with_wide_axis((-3.0..3.0).boxed()), |(x, axis)| {
        check1(x, |x| x.log_softmax(*axis))
    };
    grad_logsumexp: with_axis((-3.0..3.0).boxed()), |(x, axis)| check1(x, |x| x.logsumexp(*axis));
    grad_logsumexp_keepdims: with_axis((-3.0..3.0).boxed()), |(x, axis)| {
        check1(x, |x| x.logsumexp_keepdims(*axis))
    };
    grad_pick: pick_case(), |(x, classes)| check1(x, |x| x.pick(classes));
    grad_softmax_cross_entropy: pick_case(), |(x, classes)| {
        check1(x, |x| x.softmax_cross_entropy(classes))
    };
    grad_affine: affine_case(), |(x, w, b)| {
        gradcheck(&[x.clone(), w.clone(), b.clone()], |v| v[0].affine(v[1], v[2]))
    };
}

/// `x [m, k]`, `w [k, n]` and a bias `[n]`.
fn affine_case() -> BoxedStrategy<(T, T, T)> {
    (1usize..=5, 1usize..=5, 1usize..=5)
        .prop_flat_map(|(m, k, n)| {
            (
                tensor_of(vec![m, k], any_value()),
                tensor_of(vec![k, n], any_value()),
                tensor_of(vec![n], any_value()),
            )
        })
        .boxed()
}

/// Every operation once on a fixed seed: prints the worst relative error of
/// each and asserts that the worst over all of them is below 1e-6.
#[test]
fn report_worst_errors() {
    let reports = all_ops_once();
    println!("{:<24}  {:>13}  entries", "op", "max_rel_error");
    let mut worst: f64 = 0.0;
    for (op, report) in &reports {
        println!(
            "{op:<24}  {:>13.3e}  {}",
            report.max_rel_error, report.checked
        );
        // A NaN becomes (and stays) the worst.
        if report.max_rel_error.is_nan() || report.max_rel_error > worst {
            worst = report.max_rel_error;
        }
    }
    println!("{:<24}  {worst:>13.3e}", "worst over all ops");
    assert_eq!(reports.len(), 40, "one entry per differentiable operation");
    assert!(worst < TOLERANCE, "worst relative error {worst:e}");
}
