//! Every optimizer on the lecture's elongated bowl
//!
//! ```text
//! f(x, y) = x²/20 + y²,   ∇f = (x/10, 2y),   from (−7, 2) where f = 6.45
//! ```
//!
//! a valley twenty times steeper across (y, curvature 2) than along (x,
//! curvature 1/10). Plain gradient descent diverges for lr > 2/2 = 1 (the
//! steep direction overshoots) and then crawls along x at 1 − lr/10 per
//! step. Run `cargo test -p optim --test bowl -- --nocapture` for the table.

use autograd::{Graph, Param};
use optim::{
    AdaGrad, Adam, AdamW, Exponential, Momentum, Nesterov, Optimizer, RmsProp, Schedule, Sgd,
};
use tensor::Tensor;

const START: [f64; 2] = [-7.0, 2.0];
const TARGET: f64 = 1e-3;
const HORIZON: usize = 5000;

fn f(w: &Tensor<f64>) -> f64 {
    let (x, y) = (w.at([0]), w.at([1]));
    x * x / 20.0 + y * y
}

fn grad(w: &Tensor<f64>) -> Tensor<f64> {
    let (x, y) = (w.at([0]), w.at([1]));
    Tensor::from([x / 10.0, 2.0 * y])
}

/// What happened on the way down.
#[derive(Debug)]
struct Run {
    /// The first step after which f < TARGET.
    first: Option<usize>,
    /// The step from which f < TARGET until the end of the horizon.
    settled: Option<usize>,
    /// f after the last step.
    last: f64,
}

fn descend(opt: &mut dyn Optimizer<f64>, steps: usize) -> Run {
    let mut w = Param::new(Tensor::from(START));
    let (mut first, mut settled) = (None, None);
    for t in 1..=steps {
        let g = grad(w.value());
        opt.update(&mut w, &g);
        let value = f(w.value());
        if value < TARGET {
            first.get_or_insert(t);
            settled.get_or_insert(t);
        } else {
            settled = None;
        }
    }
    Run {
        first,
        settled,
        last: f(w.value()),
    }
}

#[test]
fn the_analytic_gradient_is_the_one_autograd_computes() {
    // The other tests use ∇f = (x/10, 2y) directly; here the graph computes
    // it and `step_params` applies it, for the same trajectory.
    let mut p = Param::new(Tensor::from(START));
    let mut q = Param::new(Tensor::from(START));
    let scale = Tensor::from([1.0 / 20.0, 1.0]);
    let (mut by_graph, mut by_hand) = (Sgd::new(0.5), Sgd::new(0.5));
    let g = Graph::new();
    for _ in 0..10 {
        let loss = (g.param(&p).powi(2) * g.input(scale.clone())).sum(); // x²/20 + y²
        approx::assert_abs_diff_eq!(loss.item(), f(p.value()), epsilon = 1e-12);
        let grads = loss.backward();
        by_graph.step_params(&mut [&mut p], &grads);
        let dq = grad(q.value());
        by_hand.update(&mut q, &dq);
        approx::assert_abs_diff_eq!(p.value(), q.value(), epsilon = 1e-12);
    }
}

#[test]
fn sgd_diverges_above_the_stability_limit() {
    // lr = 1: y ← y − 2y = −y forever; lr = 1.1: |y| grows by 1.2 per step.
    let run = descend(&mut Sgd::new(1.0), 100);
    assert_eq!(run.first, None);
    approx::assert_abs_diff_eq!(run.last, 4.0 + (0.9f64.powi(100) * 7.0).powi(2) / 20.0);
    assert!(descend(&mut Sgd::new(1.1), 100).last > 1e6);
}

/// The optimizers of the table, each with its learning rate and why.
fn contestants() -> Vec<(Box<dyn Optimizer<f64>>, &'static str)> {
    vec![
        (
            Box::new(Sgd::new(0.9)),
            "just under the stability limit 2/2 = 1 of the steep direction",
        ),
        (
            Box::new(Momentum::new(0.1, 0.9)),
            "steps add up to lr/(1 − μ) = 10·lr: a tenth of SGD's",
        ),
        (Box::new(Nesterov::new(0.1, 0.9)), "as momentum"),
        (
            Box::new(AdaGrad::new(1.0)),
            "first steps ≈ lr per weight, then shrinking like 1/√t",
        ),
        (
            Box::new(RmsProp::new(0.03)),
            "ends in a ±lr/2 cycle: f ≈ 1.05·(lr/2)² must be < 1e-3",
        ),
        (
            Box::new(Adam::new(0.1)),
            "steps ≈ lr per weight: ≥ 70 steps to cover x = −7",
        ),
        (Box::new(AdamW::new(0.1)), "as Adam"),
        (
            Box::new(Adam::new(0.1).without_bias_correction()),
            "as Adam; first steps 3–6× larger",
        ),
    ]
}

#[test]
fn steps_to_the_bottom_of_the_bowl() {
    // Upper bounds on the first step with f < 1e-3, a little above the
    // measured counts (printed in the table), in the order of `contestants`.
    let bounds = [45, 65, 30, 65, 300, 130, 125, 40];
    println!("\nf(x, y) = x²/20 + y² from (−7, 2): steps until f < {TARGET:e} (of {HORIZON})\n");
    println!(
        "| {:<26} | {:>4} | {:>14} | {:>16} | {:>9} | why this lr",
        "optimizer", "lr", "first f < 1e-3", "stays below from", "f at end"
    );
    println!(
        "|{:-<28}|{:-<6}|{:-<16}|{:-<18}|{:-<11}|{:-<20}",
        "", "", "", "", "", ""
    );
    let mut failures = Vec::new();
    for ((mut opt, why), bound) in contestants().into_iter().zip(bounds) {
        let run = descend(opt.as_mut(), HORIZON);
        let show = |s: Option<usize>| s.map_or("never".to_string(), |s| s.to_string());
        println!(
            "| {:<26} | {:>4} | {:>14} | {:>16} | {:>9.1e} | {why}",
            opt.name(),
            opt.learning_rate(),
            show(run.first),
            show(run.settled),
            run.last
        );
        if !(run.first.is_some_and(|s| s <= bound) && run.settled.is_some()) {
            failures.push(format!("{}: {run:?}, bound {bound}", opt.name()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn rmsprop_hovers_unless_the_learning_rate_decays() {
    // With a constant lr, RMSProp's step stays ≈ lr·g/|g| = lr near the
    // minimum, and it settles into a cycle w → w − lr = −w: each coordinate
    // jumps between +lr/2 and −lr/2 for ever.
    let lr = 0.03;
    let mut w = Param::new(Tensor::from(START));
    let mut opt = RmsProp::new(lr);
    for _ in 0..HORIZON {
        let g = grad(w.value());
        opt.update(&mut w, &g);
    }
    for v in w.value().to_vec() {
        approx::assert_relative_eq!(v.abs(), lr / 2.0, max_relative = 1e-2);
    }
    approx::assert_relative_eq!(
        f(w.value()),
        (lr / 2.0f64).powi(2) * 1.05,
        max_relative = 2e-2
    );
    // The lecture's remedy: lower the rate as training goes (per step here).
    let schedule = Exponential {
        initial: lr,
        gamma: 0.999,
    };
    let mut w = Param::new(Tensor::from(START));
    let mut opt = RmsProp::new(lr);
    for t in 0..HORIZON {
        opt.set_learning_rate(schedule.lr(t));
        let g = grad(w.value());
        opt.update(&mut w, &g);
    }
    assert!(f(w.value()) < 1e-6, "f = {}", f(w.value()));
}
