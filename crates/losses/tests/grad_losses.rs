//! Every loss, under every reduction, checked against central differences
//! with [`gradcheck`] on random shapes and values (f64).
//!
//! One test per loss, named `grad_<loss>`. Only the prediction (and, for
//! `gaussian_nll_learned`, the variance) is a gradcheck input; targets and
//! class indices are constants captured by the closure. Each case checks
//! the default function and its `_with` form under `Mean`, `Sum` and `None`
//! (gradcheck projects a non-scalar output onto a random direction, so the
//! unreduced terms are checked element by element).
//!
//! Inputs are kept away from kinks, where central differences (h = 1e-6)
//! straddle a point at which the derivative does not exist: |ŷ − y| ≥ 1e-3
//! for MAE, every hinge margin at least 1e-3 from 0; and away from the
//! clamps: probabilities in [0.05, 0.95] for binary cross-entropy,
//! variances in [0.2, 2] for the learned Gaussian NLL.
//!
//! `PROPTEST_CASES` raises the number of cases per test (default 32 here).

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::{GradcheckReport, Var, gradcheck};
use losses::Reduction;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use tensor::Tensor;

type T = Tensor<f64>;

/// Every gradient must match central differences to this relative error.
const TOLERANCE: f64 = 1e-6;

const REDUCTIONS: [Reduction; 3] = [Reduction::Mean, Reduction::Sum, Reduction::None];

/// Runs `check` on many random cases; a failing case panics with the
/// gradcheck report and proptest shrinks it.
fn property<S: Strategy>(strategy: S, check: impl Fn(&S::Value)) {
    let mut runner = TestRunner::new(support::proptest_config());
    if let Err(failure) = runner.run(&strategy, |case| {
        check(&case);
        Ok(())
    }) {
        panic!("{failure}");
    }
}

/// Asserts the default form and every reduction of the `_with` form.
fn all_forms(default: GradcheckReport, with: impl Fn(Reduction) -> GradcheckReport) {
    assert!(
        default.max_rel_error < TOLERANCE,
        "default reduction: {default}"
    );
    for reduction in REDUCTIONS {
        let report = with(reduction);
        assert!(report.max_rel_error < TOLERANCE, "{reduction:?}: {report}");
    }
}

/// Gradcheck of a loss of one differentiable input.
fn check1(x: &T, f: impl for<'g> Fn(Var<'g, f64>) -> Var<'g, f64>) -> GradcheckReport {
    gradcheck(std::slice::from_ref(x), |v| f(v[0]))
}

// ----- strategies ------------------------------------------------------------

/// 1–3 axes, each of length 1–4.
fn shape() -> impl Strategy<Value = Vec<usize>> {
    vec(1usize..=4, 1..=3)
}

/// A tensor of `shape` with values drawn from `values`.
fn tensor_of(shape: Vec<usize>, values: impl Strategy<Value = f64>) -> impl Strategy<Value = T> {
    let n: usize = shape.iter().product();
    vec(values, n).prop_map(move |data| Tensor::from_vec(data, &shape))
}

/// Two tensors of one random shape.
fn pair(
    a: impl Strategy<Value = f64> + Clone,
    b: impl Strategy<Value = f64> + Clone,
) -> impl Strategy<Value = (T, T)> {
    shape().prop_flat_map(move |s| (tensor_of(s.clone(), a.clone()), tensor_of(s, b.clone())))
}

/// |x| in [lo, hi), either sign.
fn signed(lo: f64, hi: f64) -> impl Strategy<Value = f64> + Clone {
    (lo..hi, any::<bool>()).prop_map(|(m, negative)| if negative { -m } else { m })
}

/// `[batch, classes]` values (batch 1–4, classes 2–5) and one class per row.
fn classification(
    values: impl Strategy<Value = f64> + Clone,
) -> impl Strategy<Value = (T, Vec<usize>)> {
    (1usize..=4, 2usize..=5).prop_flat_map(move |(batch, classes)| {
        (
            tensor_of(vec![batch, classes], values.clone()),
            vec(0..classes, batch),
        )
    })
}

// ----- regression --------------------------------------------------------------

#[test]
fn grad_mse() {
    property(pair(-2.0..2.0, -2.0..2.0), |(pred, target)| {
        all_forms(check1(pred, |p| losses::mse(p, target)), |r| {
            check1(pred, |p| losses::mse_with(p, target, r))
        });
    });
}

#[test]
fn grad_mae() {
    // ŷ = y + d with |d| ≥ 1e-3: away from the kink of |ŷ − y|.
    let cases =
        pair(-2.0..2.0, signed(1e-3, 2.0)).prop_map(|(target, offset)| (&target + &offset, target));
    property(cases, |(pred, target)| {
        all_forms(check1(pred, |p| losses::mae(p, target)), |r| {
            check1(pred, |p| losses::mae_with(p, target, r))
        });
    });
}

#[test]
fn grad_gaussian_nll() {
    property(pair(-2.0..2.0, -2.0..2.0), |(mean, target)| {
        all_forms(check1(mean, |m| losses::gaussian_nll(m, target)), |r| {
            check1(mean, |m| losses::gaussian_nll_with(m, target, r))
        });
    });
}

#[test]
fn grad_gaussian_nll_learned() {
    // Mean, variance (away from the ε clamp) and target of one shape.
    let cases = shape().prop_flat_map(|s| {
        (
            tensor_of(s.clone(), -2.0..2.0),
            tensor_of(s.clone(), 0.2..2.0),
            tensor_of(s, -2.0..2.0),
        )
    });
    property(cases, |(mean, var, target)| {
        let inputs = [mean.clone(), var.clone()];
        let default = gradcheck(&inputs, |v| {
            losses::gaussian_nll_learned(v[0], v[1], target)
        });
        all_forms(default, |r| {
            gradcheck(&inputs, |v| {
                losses::gaussian_nll_learned_with(v[0], v[1], target, r)
            })
        });
    });
}

/// One variance shared by every element: its gradient sums over them.
#[test]
fn grad_gaussian_nll_learned_shared_variance() {
    let cases = (pair(-2.0..2.0, -2.0..2.0), 0.2..2.0);
    property(cases, |((mean, target), var)| {
        let inputs = [mean.clone(), Tensor::scalar(*var)];
        let default = gradcheck(&inputs, |v| {
            losses::gaussian_nll_learned(v[0], v[1], target)
        });
        all_forms(default, |r| {
            gradcheck(&inputs, |v| {
                losses::gaussian_nll_learned_with(v[0], v[1], target, r)
            })
        });
    });
}

// ----- classification ----------------------------------------------------------

#[test]
fn grad_cross_entropy() {
    property(classification(-3.0..3.0), |(logits, classes)| {
        all_forms(check1(logits, |z| losses::cross_entropy(z, classes)), |r| {
            check1(logits, |z| losses::cross_entropy_with(z, classes, r))
        });
    });
}

#[test]
fn grad_cross_entropy_soft() {
    // Target rows: random positive weights normalised to sum to 1.
    let cases = (1usize..=4, 2usize..=5).prop_flat_map(|(batch, classes)| {
        let weights = tensor_of(vec![batch, classes], 0.01..1.0);
        let rows = weights.prop_map(|w| &w / &w.sum_keepdims(1));
        (tensor_of(vec![batch, classes], -3.0..3.0), rows)
    });
    property(cases, |(logits, targets)| {
        all_forms(
            check1(logits, |z| losses::cross_entropy_soft(z, targets)),
            |r| check1(logits, |z| losses::cross_entropy_soft_with(z, targets, r)),
        );
    });
}

#[test]
fn grad_nll() {
    // Log-probabilities are ≤ 0; nll is linear in them, any values will do.
    property(classification(-4.0..0.0), |(log_probs, classes)| {
        all_forms(check1(log_probs, |x| losses::nll(x, classes)), |r| {
            check1(log_probs, |x| losses::nll_with(x, classes, r))
        });
    });
}

/// Through `log_softmax`: the composition that equals cross-entropy.
#[test]
fn grad_nll_of_log_softmax() {
    property(classification(-3.0..3.0), |(logits, classes)| {
        all_forms(
            check1(logits, |z| losses::nll(z.log_softmax(1), classes)),
            |r| check1(logits, |z| losses::nll_with(z.log_softmax(1), classes, r)),
        );
    });
}

#[test]
fn grad_multiclass_hinge() {
    // Every margin s_j − s_y + 1 (j ≠ y) at least 1e-3 away from 0, the kink.
    let cases = classification(-2.0..2.0).prop_filter(
        "a hinge margin too close to its kink",
        |(scores, classes)| {
            let n = scores.dim(1);
            classes.iter().enumerate().all(|(i, &y)| {
                (0..n)
                    .filter(|&j| j != y)
                    .all(|j| (scores.at([i, j]) - scores.at([i, y]) + 1.0).abs() >= 1e-3)
            })
        },
    );
    property(cases, |(scores, classes)| {
        all_forms(
            check1(scores, |s| losses::multiclass_hinge(s, classes)),
            |r| check1(scores, |s| losses::multiclass_hinge_with(s, classes, r)),
        );
    });
}

#[test]
fn grad_binary_cross_entropy_with_logits() {
    // Soft targets in [0, 1] (0 and 1 included in spirit; the rule is the same).
    property(pair(-5.0..5.0, 0.0..=1.0), |(logits, targets)| {
        all_forms(
            check1(logits, |z| {
                losses::binary_cross_entropy_with_logits(z, targets)
            }),
            |r| {
                check1(logits, |z| {
                    losses::binary_cross_entropy_with_logits_with(z, targets, r)
                })
            },
        );
    });
}

#[test]
fn grad_binary_cross_entropy() {
    // Probabilities in [0.05, 0.95]: inside the clamp, with gradients of
    // moderate size (they grow like 1/p(1 − p) towards 0 and 1).
    property(pair(0.05..0.95, 0.0..=1.0), |(probs, targets)| {
        all_forms(
            check1(probs, |p| losses::binary_cross_entropy(p, targets)),
            |r| check1(probs, |p| losses::binary_cross_entropy_with(p, targets, r)),
        );
    });
}

/// Hard 0/1 targets too, the common case.
#[test]
fn grad_binary_cross_entropy_hard_targets() {
    let bits = prop_oneof![Just(0.0), Just(1.0)];
    property(pair(0.05..0.95, bits.clone()), |(probs, targets)| {
        all_forms(
            check1(probs, |p| losses::binary_cross_entropy(p, targets)),
            |r| check1(probs, |p| losses::binary_cross_entropy_with(p, targets, r)),
        );
    });
    property(pair(-5.0..5.0, bits), |(logits, targets)| {
        all_forms(
            check1(logits, |z| {
                losses::binary_cross_entropy_with_logits(z, targets)
            }),
            |r| {
                check1(logits, |z| {
                    losses::binary_cross_entropy_with_logits_with(z, targets, r)
                })
            },
        );
    });
}
