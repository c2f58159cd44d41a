//! The hyperparameter checks shared by the optimizers and schedules. Each is
//! `#[track_caller]`, so its panic points at the learner's line (the
//! constructor, the builder method or `set_learning_rate`) and names the
//! optimizer or schedule.

/// A learning rate is a step size: positive and finite.
#[track_caller]
pub(crate) fn learning_rate(who: &str, lr: f64) {
    positive(who, "learning rate", lr);
}

/// A positive, finite quantity (a learning rate, a schedule's initial value).
#[track_caller]
pub(crate) fn positive(who: &str, what: &str, x: f64) {
    if !(x > 0.0 && x.is_finite()) {
        panic!("{who}: {what} must be positive and finite, got {x}");
    }
}

/// A decay factor of a schedule: in (0, 1] (1 keeps the rate constant).
#[track_caller]
pub(crate) fn factor(who: &str, what: &str, x: f64) {
    if !(x > 0.0 && x <= 1.0) {
        panic!("{who}: {what} must be in (0, 1], got {x}");
    }
}

/// A decay rate of a running average (momentum μ, β₁, β₂, RMSProp's ρ):
/// in [0, 1). At 1 the average never forgets and never learns.
#[track_caller]
pub(crate) fn rate(who: &str, what: &str, x: f64) {
    if !(0.0..1.0).contains(&x) {
        panic!("{who}: {what} must be in [0, 1), got {x}");
    }
}

/// The ε that keeps a division away from 0: positive and finite.
#[track_caller]
pub(crate) fn eps(who: &str, eps: f64) {
    if !(eps > 0.0 && eps.is_finite()) {
        panic!("{who}: eps must be positive and finite, got {eps}");
    }
}

/// A weight-decay coefficient: non-negative (0 turns it off) and finite.
#[track_caller]
pub(crate) fn weight_decay(who: &str, wd: f64) {
    if !(wd >= 0.0 && wd.is_finite()) {
        panic!("{who}: weight decay must be non-negative and finite, got {wd}");
    }
}

/// A gradient has the shape of its parameter.
#[track_caller]
pub(crate) fn same_shape(who: &str, param: &[usize], grad: &[usize]) {
    if param != grad {
        panic!("{who}: gradient of shape {grad:?} for a parameter of shape {param:?}");
    }
}
