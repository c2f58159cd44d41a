//! Learning-rate schedules: values at given epochs, and the shapes they
//! must have (positive; decreasing where they decay).

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use approx::assert_relative_eq;
use optim::{
    Constant, Cosine, Exponential, InverseTime, Momentum, Optimizer, Schedule, StepDecay, Warmup,
};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

fn values(s: &dyn Schedule, ts: &[usize]) -> Vec<f64> {
    ts.iter().map(|&t| s.lr(t)).collect()
}

#[test]
fn constant() {
    assert_eq!(values(&Constant(0.3), &[0, 1, 10_000]), vec![0.3; 3]);
}

#[test]
fn step_decay_halves_every_ten_epochs() {
    let s = StepDecay {
        initial: 0.1,
        every: 10,
        gamma: 0.5,
    };
    // 0.1·0.5^⌊t/10⌋
    let expected = [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125];
    assert_relative_eq!(
        values(&s, &[0, 9, 10, 19, 20, 35]).as_slice(),
        expected.as_slice()
    );
}

#[test]
fn step_decay_divides_by_ten() {
    let s = StepDecay {
        initial: 1.0,
        every: 30,
        gamma: 0.1,
    };
    assert_relative_eq!(
        values(&s, &[0, 29, 30, 60, 90]).as_slice(),
        [1.0, 1.0, 0.1, 0.01, 0.001].as_slice(),
        max_relative = 1e-12
    );
}

#[test]
fn exponential() {
    let s = Exponential {
        initial: 0.1,
        gamma: 0.95,
    };
    // 0.1·0.95ᵗ: 0.1, 0.095, 0.09025, ..., 0.1·0.95¹⁰⁰ = 5.92e-4
    assert_relative_eq!(
        values(&s, &[0, 1, 2, 100]).as_slice(),
        [0.1, 0.095, 0.09025, 5.920_529_220_334e-4].as_slice(),
        max_relative = 1e-12
    );
}

#[test]
fn inverse_time() {
    let s = InverseTime {
        initial: 0.1,
        decay: 0.5,
    };
    // 0.1/(1 + 0.5·t): 0.1, 0.1/1.5, 0.1/2, 0.1/6
    assert_relative_eq!(
        values(&s, &[0, 1, 2, 10]).as_slice(),
        [0.1, 0.1 / 1.5, 0.05, 0.1 / 6.0].as_slice()
    );
    // decay 0: constant
    let flat = InverseTime {
        initial: 0.1,
        decay: 0.0,
    };
    assert_eq!(values(&flat, &[0, 1000]), vec![0.1, 0.1]);
}

#[test]
fn cosine() {
    let s = Cosine {
        initial: 0.1,
        min: 0.01,
        total: 100,
    };
    // min + ½(initial − min)(1 + cos(πt/100)):
    // t = 0: 0.1; t = 25: 0.01 + 0.045·(1 + √½); t = 50: 0.055; t = 75: 0.01 + 0.045·(1 − √½); t ≥ 100: 0.01
    let h = std::f64::consts::FRAC_1_SQRT_2;
    assert_relative_eq!(
        values(&s, &[0, 25, 50, 75, 100, 101, 1000]).as_slice(),
        [
            0.1,
            0.01 + 0.045 * (1.0 + h),
            0.055,
            0.01 + 0.045 * (1.0 - h),
            0.01,
            0.01,
            0.01
        ]
        .as_slice(),
        max_relative = 1e-12
    );
}

#[test]
fn warmup_ramps_then_hands_over_shifted() {
    let s = Warmup::new(
        5,
        StepDecay {
            initial: 0.1,
            every: 10,
            gamma: 0.1,
        },
    );
    // t < 5: 0.1·(t + 1)/5; then the step decay started at t = 5
    assert_relative_eq!(
        values(&s, &[0, 1, 2, 3, 4, 5, 14, 15, 25]).as_slice(),
        [0.02, 0.04, 0.06, 0.08, 0.1, 0.1, 0.1, 0.01, 0.001].as_slice(),
        max_relative = 1e-12
    );
    // No warm-up at all.
    let none = Warmup::new(0, Constant(0.1));
    assert_eq!(values(&none, &[0, 1]), vec![0.1, 0.1]);
    // Struct-literal form.
    let literal = Warmup {
        steps: 2,
        then: Box::new(Constant(0.2)),
    };
    assert_relative_eq!(
        values(&literal, &[0, 1, 2]).as_slice(),
        [0.1, 0.2, 0.2].as_slice()
    );
    assert_eq!(format!("{literal:?}"), "Warmup { steps: 2, .. }");
}

#[test]
fn a_schedule_drives_any_optimizer_and_keeps_its_state() {
    let schedule = StepDecay {
        initial: 0.1,
        every: 2,
        gamma: 0.5,
    };
    let mut opt: Momentum<f64> = Momentum::new(schedule.lr(0), 0.9);
    let mut w = autograd::Param::new(tensor::Tensor::from([1.0]));
    let g = tensor::Tensor::from([1.0]);
    let mut rates = Vec::new();
    for epoch in 0..6 {
        opt.set_learning_rate(schedule.lr(epoch));
        rates.push(opt.learning_rate());
        opt.update(&mut w, &g);
    }
    assert_relative_eq!(
        rates.as_slice(),
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.025].as_slice()
    );
    // The velocity survived every change: v = Σ 0.9^(5−k)·(−lr_k).
    let v: f64 = rates
        .iter()
        .enumerate()
        .map(|(k, lr)| -lr * 0.9f64.powi(5 - k as i32))
        .sum();
    assert_relative_eq!(
        opt.velocity(&w).expect("updated").at([0]),
        v,
        max_relative = 1e-12
    );
}

// ----- properties ----------------------------------------------------------

/// Runs `check` on cases drawn from `strategy` with the shared configuration.
fn property<S: Strategy>(strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(support::proptest_config());
    if let Err(failure) = runner.run(&strategy, |case| {
        check(case);
        Ok(())
    }) {
        panic!("{failure}");
    }
}

/// The decaying schedules, drawn at random.
#[derive(Clone, Debug)]
enum Decay {
    Constant(Constant),
    Step(StepDecay),
    Exponential(Exponential),
    InverseTime(InverseTime),
    Cosine(Cosine),
}

impl Decay {
    fn schedule(&self) -> &dyn Schedule {
        match self {
            Decay::Constant(s) => s,
            Decay::Step(s) => s,
            Decay::Exponential(s) => s,
            Decay::InverseTime(s) => s,
            Decay::Cosine(s) => s,
        }
    }
}

fn decays() -> impl Strategy<Value = Decay> {
    let initial = 1e-4..1.0f64;
    prop_oneof![
        initial.clone().prop_map(|c| Decay::Constant(Constant(c))),
        // γ ≥ 0.5 so that 600 decays stay far from underflowing to 0.
        (initial.clone(), 1..50usize, 0.5..=1.0f64).prop_map(|(initial, every, gamma)| {
            Decay::Step(StepDecay {
                initial,
                every,
                gamma,
            })
        }),
        (initial.clone(), 0.5..=1.0f64)
            .prop_map(|(initial, gamma)| Decay::Exponential(Exponential { initial, gamma })),
        (initial.clone(), 0.0..10.0f64)
            .prop_map(|(initial, decay)| Decay::InverseTime(InverseTime { initial, decay })),
        (initial, 0.0..=1.0f64, 1..500usize).prop_map(|(initial, frac, total)| {
            Decay::Cosine(Cosine {
                initial,
                min: cosine_min(initial, frac),
                total,
            })
        }),
    ]
}

/// A valid minimum for a cosine from `initial`: a fraction of it, but positive.
fn cosine_min(initial: f64, frac: f64) -> f64 {
    (initial * frac).max(1e-6f64.min(initial))
}

#[test]
fn decaying_schedules_are_positive_and_never_increase() {
    property(decays(), |decay| {
        let s = decay.schedule();
        let mut previous = s.lr(0);
        for t in 0..600 {
            let lr = s.lr(t);
            assert!(lr > 0.0 && lr.is_finite(), "{decay:?}: lr({t}) = {lr}");
            assert!(lr <= previous, "{decay:?}: lr({t}) = {lr} > {previous}");
            previous = lr;
        }
    });
}

#[test]
fn cosine_stays_between_min_and_initial() {
    property(
        (1e-4..1.0f64, 0.0..=1.0f64, 1..300usize),
        |(initial, frac, total)| {
            let min = cosine_min(initial, frac);
            let s = Cosine {
                initial,
                min,
                total,
            };
            assert_eq!(s.lr(0), initial);
            for t in 0..2 * total {
                let lr = s.lr(t);
                assert!(min <= lr && lr <= initial, "{s:?}: lr({t}) = {lr}");
            }
            assert_eq!(s.lr(total), min);
        },
    );
}

#[test]
fn warmup_rises_to_the_inner_start_then_follows_it() {
    property(
        (1..100usize, 1e-4..1.0f64, 0.5..=1.0f64),
        |(steps, initial, gamma)| {
            let inner = Exponential { initial, gamma };
            let s = Warmup::new(steps, inner);
            let mut previous = 0.0;
            for t in 0..steps {
                let lr = s.lr(t);
                assert!(
                    lr > previous && lr <= initial * (1.0 + 1e-12),
                    "lr({t}) = {lr}"
                );
                previous = lr;
            }
            assert_relative_eq!(s.lr(steps - 1), initial, max_relative = 1e-12);
            for t in steps..steps + 50 {
                assert_eq!(s.lr(t), inner.lr(t - steps));
            }
        },
    );
}
