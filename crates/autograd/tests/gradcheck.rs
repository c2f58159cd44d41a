//! `gradcheck` itself: what it counts, how it measures the error, where it
//! says the error is, and that it is deterministic.
//!
//! The error of one entry is |a − n| / max(|a|, |n|, 1), with `a` the
//! analytic gradient (from `backward`) and `n` the numeric one (central
//! differences): relative for gradients larger than 1, absolute for smaller
//! ones.

use approx::assert_relative_eq;
use autograd::{GradcheckConfig, GradcheckReport, Var, Worst, gradcheck, gradcheck_with};
use tensor::Tensor;

/// The error formula, recomputed from the worst entry of a report.
fn formula(w: &Worst) -> f64 {
    (w.analytic - w.numeric).abs() / w.analytic.abs().max(w.numeric.abs()).max(1.0)
}

fn with_eps(eps: f64) -> GradcheckConfig {
    GradcheckConfig {
        eps,
        ..GradcheckConfig::default()
    }
}

#[test]
fn a_correct_gradient_passes() {
    // y = tanh(x W): every rule on the way is right.
    let x = Tensor::from([[0.3, -1.2], [2.0, 0.7]]);
    let w = Tensor::from([[1.5, -0.5, 0.1], [0.2, 0.8, -1.0]]);
    let report = gradcheck(&[x, w], |v| v[0].matmul(v[1]).tanh());
    assert!(report.max_rel_error < 1e-9, "{report}");
    report.assert_below(1e-6);
}

#[test]
fn checked_counts_every_element_of_every_input() {
    // Inputs of 6, 3 and 1 elements: 10 entries compared.
    let a = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    let b = Tensor::from([0.5, -0.5, 1.5]);
    let c = Tensor::scalar(2.0);
    let report = gradcheck(&[a, b, c], |v| (v[0] + v[1]) * v[2]);
    assert_eq!(report.checked, 6 + 3 + 1);
}

#[test]
fn an_unused_input_is_checked_and_has_zero_error() {
    // f(x, y) = 3x: ∂f/∂y = 0, analytic and numeric alike.
    let x = Tensor::from([1.0, 2.0]);
    let y = Tensor::from([[5.0, 6.0], [7.0, 8.0]]);
    let report = gradcheck(&[x, y], |v| v[0] * 3.0);
    assert_eq!(report.checked, 2 + 4);
    assert!(report.max_rel_error < 1e-9, "{report}");
}

#[test]
fn the_error_is_relative_for_large_gradients() {
    // With h = 1 the central difference of x⁴ is
    // ((x+h)⁴ − (x−h)⁴) / 2h = 4x³ + 4xh², at x = 10: 4040 instead of 4000
    // (both times the projection r). Relative error: 40 / 4040 = 1/101.
    let report = gradcheck_with(&[Tensor::scalar(10.0)], |v| v[0].powi(4), with_eps(1.0));
    let worst = report.worst.clone().expect("one entry");
    assert_relative_eq!(report.max_rel_error, 1.0 / 101.0, max_relative = 1e-9);
    assert_relative_eq!(
        worst.numeric / worst.analytic,
        4040.0 / 4000.0,
        max_relative = 1e-12
    );
    assert_eq!(report.max_rel_error, formula(&worst));
}

#[test]
fn the_error_is_absolute_for_small_gradients() {
    // f(x) = 0.01 x³ at x = 0 with h = 1/2: the analytic gradient is 0, the
    // central difference 0.01·(h³ + h³)/2h = 0.0025 (times r). A purely
    // relative error would be |0 − n| / |n| = 1 whatever n; with the floor of
    // 1 in the denominator it is |n| itself.
    let report = gradcheck_with(
        &[Tensor::scalar(0.0)],
        |v| v[0].powi(3) * 0.01,
        with_eps(0.5),
    );
    let worst = report.worst.clone().expect("one entry");
    assert_eq!(worst.analytic, 0.0);
    assert!(worst.numeric != 0.0);
    assert_eq!(report.max_rel_error, worst.numeric.abs());
    assert!(report.max_rel_error < 1.0);
    assert_eq!(report.max_rel_error, formula(&worst));
}

#[test]
fn the_worst_entry_is_located() {
    // ReLU at exactly 0 has no derivative: the analytic rule says 0, the
    // central difference (r·h − 0) / 2h = r/2. Every other entry is smooth,
    // so the worst is that one: input 1, index [1, 0].
    let x = Tensor::from([0.5, -0.7]);
    let y = Tensor::from([[1.0, -2.0], [0.0, 3.0]]);
    let report = gradcheck(&[x, y], |v| v[0].exp() * 2.0 + v[1].relu());
    let worst = report.worst.clone().expect("six entries");
    assert_eq!((worst.input, worst.index.clone()), (1, vec![1, 0]));
    assert_eq!(worst.analytic, 0.0);
    assert!(worst.numeric.abs() > 1e-3, "{report}");
    assert_eq!(report.max_rel_error, formula(&worst));
}

#[test]
fn a_transposed_input_is_indexed_as_it_reads() {
    // A non-contiguous input (a transposed view) is checked element by
    // element in its logical order: the ReLU kink sits at index [0, 1] of
    // xᵀ, which is [1, 0] of x.
    let x = Tensor::from([[1.0, 2.0], [0.0, 3.0]]);
    let report = gradcheck(&[x.t()], |v| v[0].relu());
    assert_eq!(report.checked, 4);
    assert_eq!(report.worst.expect("four entries").index, vec![0, 1]);
}

#[test]
fn the_display_names_the_error_and_where() {
    let report = gradcheck(&[Tensor::from([1.0, 2.0])], |v| v[0] * 2.0);
    let shown = report.to_string();
    assert!(shown.starts_with("max relative error "), "{shown}");
    assert!(
        shown.contains(" over 2 entries, worst at input 0 index ["),
        "{shown}"
    );
    assert!(
        shown.contains("analytic ") && shown.contains("numeric "),
        "{shown}"
    );
}

#[test]
fn the_display_of_a_known_report() {
    let report = GradcheckReport {
        max_rel_error: 0.25,
        worst: Some(Worst {
            input: 1,
            index: vec![2, 0],
            analytic: 3.0,
            numeric: 4.0,
        }),
        checked: 12,
    };
    assert_eq!(
        report.to_string(),
        "max relative error 2.500e-1 over 12 entries, worst at input 1 index [2, 0]: \
         analytic 3.0000000000e0, numeric 4.0000000000e0"
    );
    let empty = GradcheckReport {
        max_rel_error: 0.0,
        worst: None,
        checked: 0,
    };
    assert_eq!(
        empty.to_string(),
        "max relative error 0.000e0 over 0 entries"
    );
}

#[test]
fn assert_below_passes_below_the_tolerance() {
    let report = gradcheck(&[Tensor::from([0.3, -0.4])], |v| v[0].sigmoid());
    report.assert_below(1e-6);
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let x = Tensor::from([[0.3, -1.2, 0.5], [2.0, 0.7, -0.1]]);
    fn f<'g>(v: &[Var<'g, f64>]) -> Var<'g, f64> {
        v[0].softmax(1).log()
    }
    let config = GradcheckConfig {
        eps: 1e-6,
        seed: 42,
    };
    let first = gradcheck_with(std::slice::from_ref(&x), f, config);
    let second = gradcheck_with(std::slice::from_ref(&x), f, config);
    assert_eq!(first, second);
    // Another seed projects the output on another R, so the compared
    // gradients themselves differ.
    let other = gradcheck_with(&[x], f, GradcheckConfig { seed: 43, ..config });
    assert_ne!(
        first.worst.expect("entries").analytic,
        other.worst.expect("entries").analytic
    );
}
