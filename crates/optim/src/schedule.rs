//! Learning-rate schedules: start high, lower the rate as training goes.

use std::f64::consts::PI;
use std::fmt;

use crate::check;

/// A learning rate as a function of time: `lr(t)`.
///
/// What t counts is the caller's choice: epochs (call once per epoch, the
/// lecture's "every few epochs") or steps (once per update, "a little every
/// step"). It starts at 0. Any optimizer follows a schedule through
/// [`set_learning_rate`](crate::Optimizer::set_learning_rate):
///
/// ```
/// use optim::{Optimizer, Schedule, Sgd, StepDecay};
/// let schedule = StepDecay { initial: 0.1, every: 10, gamma: 0.5 }; // halve every 10 epochs
/// let mut opt = Sgd::<f32>::new(schedule.lr(0));
/// for epoch in 0..30 {
///     opt.set_learning_rate(schedule.lr(epoch));
///     // ... one epoch of training ...
/// }
/// assert_eq!(opt.learning_rate(), 0.025); // epochs 20..30: 0.1 · 0.5²
/// ```
///
/// The schedules here check their fields when `lr` is called, and their
/// values stay positive (as a learning rate must) — except that
/// [`Exponential`] and [`StepDecay`] eventually underflow to 0 if run for
/// thousands of decays.
pub trait Schedule {
    /// The learning rate at time `t` (epoch or step, from 0).
    ///
    /// # Panics
    /// If the schedule's fields are out of range (named in the message).
    #[track_caller]
    fn lr(&self, t: usize) -> f64;
}

/// The same learning rate forever.
///
/// ```text
/// lr(t) = lr
/// ```
///
/// ```
/// use optim::{Constant, Schedule};
/// assert_eq!(Constant(0.01).lr(1000), 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant(pub f64);

impl Schedule for Constant {
    /// # Panics
    /// If the rate is not positive and finite:
    /// `Constant: learning rate must be positive and finite, got 0`.
    #[track_caller]
    fn lr(&self, _t: usize) -> f64 {
        check::learning_rate("Constant", self.0);
        self.0
    }
}

/// Multiply the rate by γ every `every` epochs: halve it (γ = 0.5) or
/// divide it by 10 (γ = 0.1) every few epochs. PyTorch's `StepLR`.
///
/// ```text
/// lr(t) = initial · γ^⌊t / every⌋
/// ```
///
/// ```
/// use optim::{Schedule, StepDecay};
/// let s = StepDecay { initial: 0.1, every: 30, gamma: 0.1 }; // ÷10 every 30 epochs
/// assert_eq!(s.lr(0), 0.1);
/// assert_eq!(s.lr(29), 0.1);
/// approx::assert_relative_eq!(s.lr(30), 0.01);
/// approx::assert_relative_eq!(s.lr(65), 0.001);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepDecay {
    /// The rate at t = 0.
    pub initial: f64,
    /// How many epochs between two decays (at least 1).
    pub every: usize,
    /// The factor of each decay, in (0, 1].
    pub gamma: f64,
}

impl Schedule for StepDecay {
    /// # Panics
    /// If `initial` is not positive and finite, `every` is 0 or `gamma` is
    /// outside (0, 1]: `StepDecay: every must be at least 1, got 0`.
    #[track_caller]
    fn lr(&self, t: usize) -> f64 {
        check::positive("StepDecay", "initial learning rate", self.initial);
        if self.every == 0 {
            panic!("StepDecay: every must be at least 1, got 0");
        }
        check::factor("StepDecay", "gamma", self.gamma);
        self.initial * powi(self.gamma, t / self.every)
    }
}

/// Multiply the rate by γ every epoch (or step): a smooth version of
/// [`StepDecay`]. PyTorch's `ExponentialLR`.
///
/// ```text
/// lr(t) = initial · γᵗ
/// ```
///
/// ```
/// use optim::{Exponential, Schedule};
/// let s = Exponential { initial: 0.1, gamma: 0.9 };
/// approx::assert_relative_eq!(s.lr(2), 0.1 * 0.81);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exponential {
    /// The rate at t = 0.
    pub initial: f64,
    /// The factor per unit of t, in (0, 1].
    pub gamma: f64,
}

impl Schedule for Exponential {
    /// # Panics
    /// If `initial` is not positive and finite or `gamma` is outside
    /// (0, 1]: `Exponential: gamma must be in (0, 1], got 1.5`.
    #[track_caller]
    fn lr(&self, t: usize) -> f64 {
        check::positive("Exponential", "initial learning rate", self.initial);
        check::factor("Exponential", "gamma", self.gamma);
        self.initial * powi(self.gamma, t)
    }
}

/// Decay "a little every step", like 1/t: fast at first, then ever more
/// slowly (the classic schedule of stochastic approximation).
///
/// ```text
/// lr(t) = initial / (1 + decay · t)
/// ```
///
/// ```
/// use optim::{InverseTime, Schedule};
/// let s = InverseTime { initial: 0.1, decay: 0.01 };
/// assert_eq!(s.lr(0), 0.1);
/// approx::assert_relative_eq!(s.lr(100), 0.05); // halved after 1/decay steps
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InverseTime {
    /// The rate at t = 0.
    pub initial: f64,
    /// How fast it decays: the rate is halved at t = 1/decay. At least 0.
    pub decay: f64,
}

impl Schedule for InverseTime {
    /// # Panics
    /// If `initial` is not positive and finite or `decay` is negative or not
    /// finite: `InverseTime: decay must be non-negative and finite, got -1`.
    #[track_caller]
    fn lr(&self, t: usize) -> f64 {
        check::positive("InverseTime", "initial learning rate", self.initial);
        if !(self.decay >= 0.0 && self.decay.is_finite()) {
            panic!(
                "InverseTime: decay must be non-negative and finite, got {}",
                self.decay
            );
        }
        self.initial / (1.0 + self.decay * t as f64)
    }
}

/// Half a cosine from `initial` down to `min` over `total` epochs (or
/// steps), then `min` forever. PyTorch's `CosineAnnealingLR` (without
/// restarts), except that `min` must be positive: a learning rate of 0 is
/// rejected by every optimizer.
///
/// ```text
/// lr(t) = min + ½ · (initial − min) · (1 + cos(π · t / total))    for t ≤ total
/// lr(t) = min                                                    for t ≥ total
/// ```
///
/// It decays slowly at first, fastest halfway, and slowly again at the end.
///
/// ```
/// use optim::{Cosine, Schedule};
/// let s = Cosine { initial: 0.1, min: 0.001, total: 100 };
/// assert_eq!(s.lr(0), 0.1);
/// approx::assert_relative_eq!(s.lr(50), (0.1 + 0.001) / 2.0); // halfway: the mean
/// approx::assert_relative_eq!(s.lr(100), 0.001);
/// assert_eq!(s.lr(500), 0.001);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cosine {
    /// The rate at t = 0.
    pub initial: f64,
    /// The rate from t = `total` on: positive and at most `initial`.
    pub min: f64,
    /// The length of the decay (at least 1).
    pub total: usize,
}

impl Schedule for Cosine {
    /// # Panics
    /// If `initial` is not positive and finite, `min` is not in
    /// (0, initial] or `total` is 0:
    /// `Cosine: min learning rate must be in (0, initial = 0.1], got 0`.
    #[track_caller]
    fn lr(&self, t: usize) -> f64 {
        check::positive("Cosine", "initial learning rate", self.initial);
        if !(self.min > 0.0 && self.min <= self.initial) {
            panic!(
                "Cosine: min learning rate must be in (0, initial = {}], got {}",
                self.initial, self.min
            );
        }
        if self.total == 0 {
            panic!("Cosine: total must be at least 1, got 0");
        }
        if t >= self.total {
            return self.min;
        }
        // The same formula, arranged to give exactly `initial` at t = 0 and
        // never to round below `min`.
        let fraction_done = 0.5 * (1.0 - (PI * t as f64 / self.total as f64).cos()); // 0 → 1
        (self.initial - (self.initial - self.min) * fraction_done).max(self.min)
    }
}

/// A linear warm-up before another schedule: large learning rates can
/// wreck a fresh network (Adam's first steps, big batches), so the rate
/// climbs from small to full over the first `steps`, then `then` takes
/// over, started from its own beginning.
///
/// ```text
/// lr(t) = then.lr(0) · (t + 1) / steps     for t < steps
/// lr(t) = then.lr(t − steps)               for t ≥ steps
/// ```
///
/// The ramp starts at then.lr(0)/steps, not at 0 (a step with learning
/// rate 0 would be wasted, and optimizers reject it), and reaches
/// then.lr(0) at t = steps − 1. The inner schedule is shifted: its clock
/// starts when the warm-up ends, so a [`Cosine`] over `total` steps still
/// decays over `total` steps. With `steps` = 0 there is no warm-up.
///
/// ```
/// use optim::{Constant, Cosine, Schedule, Warmup};
/// let s = Warmup::new(4, Constant(0.1));
/// let rates: Vec<f64> = (0..6).map(|t| s.lr(t)).collect();
/// approx::assert_relative_eq!(rates.as_slice(), [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].as_slice());
///
/// let s = Warmup::new(10, Cosine { initial: 0.1, min: 0.001, total: 100 });
/// assert_eq!(s.lr(10), 0.1); // the cosine's start
/// assert_eq!(s.lr(110), 0.001); // its end, 100 steps later
/// ```
pub struct Warmup {
    /// How many steps the ramp lasts.
    pub steps: usize,
    /// The schedule after the ramp.
    pub then: Box<dyn Schedule>,
}

impl Warmup {
    /// `steps` of linear warm-up, then `then`.
    pub fn new(steps: usize, then: impl Schedule + 'static) -> Self {
        Warmup {
            steps,
            then: Box::new(then),
        }
    }
}

impl fmt::Debug for Warmup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Warmup")
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

impl Schedule for Warmup {
    /// # Panics
    /// If the inner schedule panics.
    #[track_caller]
    fn lr(&self, t: usize) -> f64 {
        if t < self.steps {
            self.then.lr(0) * (t + 1) as f64 / self.steps as f64
        } else {
            self.then.lr(t - self.steps)
        }
    }
}

/// xⁿ for a count n, without `as i32` overflowing for huge n.
fn powi(x: f64, n: usize) -> f64 {
    match i32::try_from(n) {
        Ok(n) => x.powi(n),
        Err(_) => x.powf(n as f64),
    }
}
