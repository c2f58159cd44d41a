//! Every misuse panics at once with a message that names the optimizer or
//! schedule and the offending value; these tests pin the full messages.
//! The last tests check that each panic is reported at the learner's line
//! (`#[track_caller]`), not somewhere inside the crate.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::Param;
use optim::{
    AdaGrad, Adam, AdamW, Constant, Cosine, Exponential, InverseTime, Momentum, Nesterov,
    Optimizer, RmsProp, Schedule, Sgd, StepDecay, Warmup,
};
use tensor::Tensor;

type F = f64;

// ----- learning rates ----------------------------------------------------------

#[test]
#[should_panic(expected = "Sgd: learning rate must be positive and finite, got 0")]
fn sgd_zero_learning_rate() {
    Sgd::<F>::new(0.0);
}

#[test]
#[should_panic(expected = "Sgd: learning rate must be positive and finite, got -0.1")]
fn sgd_negative_learning_rate() {
    Sgd::<F>::new(-0.1);
}

#[test]
#[should_panic(expected = "Sgd: learning rate must be positive and finite, got NaN")]
fn sgd_nan_learning_rate() {
    Sgd::<F>::new(f64::NAN);
}

#[test]
#[should_panic(expected = "Sgd: learning rate must be positive and finite, got inf")]
fn sgd_infinite_learning_rate() {
    Sgd::<F>::new(f64::INFINITY);
}

#[test]
#[should_panic(expected = "Momentum: learning rate must be positive and finite, got 0")]
fn momentum_zero_learning_rate() {
    Momentum::<F>::new(0.0, 0.9);
}

#[test]
#[should_panic(expected = "Nesterov: learning rate must be positive and finite, got -1")]
fn nesterov_negative_learning_rate() {
    Nesterov::<F>::new(-1.0, 0.9);
}

#[test]
#[should_panic(expected = "AdaGrad: learning rate must be positive and finite, got 0")]
fn adagrad_zero_learning_rate() {
    AdaGrad::<F>::new(0.0);
}

#[test]
#[should_panic(expected = "RmsProp: learning rate must be positive and finite, got 0")]
fn rmsprop_zero_learning_rate() {
    RmsProp::<F>::new(0.0);
}

#[test]
#[should_panic(expected = "Adam: learning rate must be positive and finite, got 0")]
fn adam_zero_learning_rate() {
    Adam::<F>::new(0.0);
}

#[test]
#[should_panic(expected = "AdamW: learning rate must be positive and finite, got inf")]
fn adamw_infinite_learning_rate() {
    AdamW::<F>::new(f64::INFINITY);
}

// ----- set_learning_rate ---------------------------------------------------------

#[test]
#[should_panic(expected = "Sgd: learning rate must be positive and finite, got 0")]
fn sgd_set_zero_learning_rate() {
    Sgd::<F>::new(0.1).set_learning_rate(0.0);
}

#[test]
#[should_panic(expected = "Momentum: learning rate must be positive and finite, got -0.5")]
fn momentum_set_negative_learning_rate() {
    Momentum::<F>::new(0.1, 0.9).set_learning_rate(-0.5);
}

#[test]
#[should_panic(expected = "Nesterov: learning rate must be positive and finite, got 0")]
fn nesterov_set_zero_learning_rate() {
    Nesterov::<F>::new(0.1, 0.9).set_learning_rate(0.0);
}

#[test]
#[should_panic(expected = "AdaGrad: learning rate must be positive and finite, got NaN")]
fn adagrad_set_nan_learning_rate() {
    AdaGrad::<F>::new(0.1).set_learning_rate(f64::NAN);
}

#[test]
#[should_panic(expected = "RmsProp: learning rate must be positive and finite, got 0")]
fn rmsprop_set_zero_learning_rate() {
    RmsProp::<F>::new(0.1).set_learning_rate(0.0);
}

#[test]
#[should_panic(expected = "Adam: learning rate must be positive and finite, got 0")]
fn adam_set_zero_learning_rate_through_dyn() {
    let mut opt: Box<dyn Optimizer<F>> = Box::new(Adam::new(0.1));
    opt.set_learning_rate(0.0);
}

#[test]
#[should_panic(expected = "AdamW: learning rate must be positive and finite, got 0")]
fn adamw_set_zero_learning_rate() {
    AdamW::<F>::new(0.1).set_learning_rate(0.0);
}

// ----- momentum, decay rates, betas ----------------------------------------------

#[test]
#[should_panic(expected = "Momentum: momentum must be in [0, 1), got 1")]
fn momentum_of_one() {
    Momentum::<F>::new(0.1, 1.0);
}

#[test]
#[should_panic(expected = "Momentum: momentum must be in [0, 1), got -0.1")]
fn negative_momentum() {
    Momentum::<F>::new(0.1, -0.1);
}

#[test]
#[should_panic(expected = "Nesterov: momentum must be in [0, 1), got 1.5")]
fn nesterov_momentum_above_one() {
    Nesterov::<F>::new(0.1, 1.5);
}

#[test]
#[should_panic(expected = "RmsProp: decay must be in [0, 1), got 1")]
fn rmsprop_decay_of_one() {
    RmsProp::<F>::new(0.1).decay(1.0);
}

#[test]
#[should_panic(expected = "RmsProp: decay must be in [0, 1), got NaN")]
fn rmsprop_nan_decay() {
    RmsProp::<F>::new(0.1).decay(f64::NAN);
}

#[test]
#[should_panic(expected = "Adam: beta1 must be in [0, 1), got 1")]
fn adam_beta1_of_one() {
    Adam::<F>::new(0.1).betas(1.0, 0.999);
}

#[test]
#[should_panic(expected = "Adam: beta2 must be in [0, 1), got -0.5")]
fn adam_negative_beta2() {
    Adam::<F>::new(0.1).betas(0.9, -0.5);
}

#[test]
#[should_panic(expected = "AdamW: beta2 must be in [0, 1), got 1")]
fn adamw_beta2_of_one() {
    AdamW::<F>::new(0.1).betas(0.9, 1.0);
}

#[test]
#[should_panic(expected = "AdamW: beta1 must be in [0, 1), got 2")]
fn adamw_beta1_of_two() {
    AdamW::<F>::new(0.1).betas(2.0, 0.999);
}

// ----- eps ---------------------------------------------------------------------

#[test]
#[should_panic(expected = "AdaGrad: eps must be positive and finite, got 0")]
fn adagrad_zero_eps() {
    AdaGrad::<F>::new(0.1).eps(0.0);
}

#[test]
#[should_panic(expected = "RmsProp: eps must be positive and finite, got -0.001")]
fn rmsprop_negative_eps() {
    RmsProp::<F>::new(0.1).eps(-1e-3);
}

#[test]
#[should_panic(expected = "Adam: eps must be positive and finite, got 0")]
fn adam_zero_eps() {
    Adam::<F>::new(0.1).eps(0.0);
}

#[test]
#[should_panic(expected = "AdamW: eps must be positive and finite, got inf")]
fn adamw_infinite_eps() {
    AdamW::<F>::new(0.1).eps(f64::INFINITY);
}

// ----- weight decay --------------------------------------------------------------

#[test]
#[should_panic(expected = "Sgd: weight decay must be non-negative and finite, got -0.1")]
fn sgd_negative_weight_decay() {
    Sgd::<F>::new(0.1).weight_decay(-0.1);
}

#[test]
#[should_panic(expected = "Adam: weight decay must be non-negative and finite, got -0.1")]
fn adam_negative_weight_decay() {
    Adam::<F>::new(0.1).weight_decay(-0.1);
}

#[test]
#[should_panic(expected = "AdamW: weight decay must be non-negative and finite, got NaN")]
fn adamw_nan_weight_decay() {
    AdamW::<F>::new(0.1).weight_decay(f64::NAN);
}

// ----- gradients of the wrong shape -----------------------------------------------

fn mismatched(opt: &mut dyn Optimizer<F>) {
    let mut w = Param::new(Tensor::<F>::zeros([2]));
    opt.update(&mut w, &Tensor::zeros([3]));
}

#[test]
#[should_panic(expected = "Sgd: gradient of shape [3] for a parameter of shape [2]")]
fn sgd_gradient_shape() {
    mismatched(&mut Sgd::new(0.1));
}

#[test]
#[should_panic(expected = "Momentum: gradient of shape [3] for a parameter of shape [2]")]
fn momentum_gradient_shape() {
    mismatched(&mut Momentum::new(0.1, 0.9));
}

#[test]
#[should_panic(expected = "Nesterov: gradient of shape [3] for a parameter of shape [2]")]
fn nesterov_gradient_shape() {
    mismatched(&mut Nesterov::new(0.1, 0.9));
}

#[test]
#[should_panic(expected = "AdaGrad: gradient of shape [3] for a parameter of shape [2]")]
fn adagrad_gradient_shape() {
    mismatched(&mut AdaGrad::new(0.1));
}

#[test]
#[should_panic(expected = "RmsProp: gradient of shape [3] for a parameter of shape [2]")]
fn rmsprop_gradient_shape() {
    mismatched(&mut RmsProp::new(0.1));
}

#[test]
#[should_panic(expected = "Adam: gradient of shape [3] for a parameter of shape [2]")]
fn adam_gradient_shape() {
    mismatched(&mut Adam::new(0.1));
}

#[test]
#[should_panic(expected = "AdamW: gradient of shape [2, 1] for a parameter of shape [2]")]
fn adamw_gradient_shape() {
    let mut w = Param::new(Tensor::<F>::zeros([2]));
    AdamW::new(0.1).update(&mut w, &Tensor::zeros([2, 1]));
}

// ----- schedules -------------------------------------------------------------------

#[test]
#[should_panic(expected = "Constant: learning rate must be positive and finite, got 0")]
fn constant_zero() {
    Constant(0.0).lr(0);
}

#[test]
#[should_panic(expected = "StepDecay: initial learning rate must be positive and finite, got -0.1")]
fn step_decay_negative_initial() {
    StepDecay {
        initial: -0.1,
        every: 10,
        gamma: 0.5,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "StepDecay: every must be at least 1, got 0")]
fn step_decay_every_zero() {
    StepDecay {
        initial: 0.1,
        every: 0,
        gamma: 0.5,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "StepDecay: gamma must be in (0, 1], got 1.5")]
fn step_decay_growing() {
    StepDecay {
        initial: 0.1,
        every: 10,
        gamma: 1.5,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "StepDecay: gamma must be in (0, 1], got 0")]
fn step_decay_gamma_zero() {
    StepDecay {
        initial: 0.1,
        every: 10,
        gamma: 0.0,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Exponential: gamma must be in (0, 1], got 1.5")]
fn exponential_growing() {
    Exponential {
        initial: 0.1,
        gamma: 1.5,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Exponential: initial learning rate must be positive and finite, got 0")]
fn exponential_zero_initial() {
    Exponential {
        initial: 0.0,
        gamma: 0.9,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "InverseTime: decay must be non-negative and finite, got -1")]
fn inverse_time_negative_decay() {
    InverseTime {
        initial: 0.1,
        decay: -1.0,
    }
    .lr(0);
}

#[test]
#[should_panic(
    expected = "InverseTime: initial learning rate must be positive and finite, got NaN"
)]
fn inverse_time_nan_initial() {
    InverseTime {
        initial: f64::NAN,
        decay: 1.0,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Cosine: min learning rate must be in (0, initial = 0.1], got 0")]
fn cosine_min_zero() {
    Cosine {
        initial: 0.1,
        min: 0.0,
        total: 100,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Cosine: min learning rate must be in (0, initial = 0.1], got 0.2")]
fn cosine_min_above_initial() {
    Cosine {
        initial: 0.1,
        min: 0.2,
        total: 100,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Cosine: total must be at least 1, got 0")]
fn cosine_total_zero() {
    Cosine {
        initial: 0.1,
        min: 0.01,
        total: 0,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Cosine: initial learning rate must be positive and finite, got 0")]
fn cosine_zero_initial() {
    Cosine {
        initial: 0.0,
        min: 0.0,
        total: 10,
    }
    .lr(0);
}

#[test]
#[should_panic(expected = "Constant: learning rate must be positive and finite, got -1")]
fn warmup_of_a_bad_schedule() {
    Warmup::new(5, Constant(-1.0)).lr(2);
}

// ----- reported at the caller's line ------------------------------------------------

#[test]
fn constructors_and_builders_panic_at_the_callers_line() {
    assert_panics_here!(Sgd::<F>::new(0.0));
    assert_panics_here!(Sgd::<F>::new(0.1).weight_decay(-1.0));
    assert_panics_here!(Momentum::<F>::new(0.1, 1.0));
    assert_panics_here!(Nesterov::<F>::new(0.0, 0.9));
    assert_panics_here!(AdaGrad::<F>::new(0.1).eps(0.0));
    assert_panics_here!(RmsProp::<F>::new(0.1).decay(1.0));
    assert_panics_here!(RmsProp::<F>::new(0.1).eps(0.0));
    assert_panics_here!(Adam::<F>::new(0.1).betas(0.9, 1.0));
    assert_panics_here!(Adam::<F>::new(0.1).eps(0.0));
    assert_panics_here!(Adam::<F>::new(0.1).weight_decay(-1.0));
    assert_panics_here!(AdamW::<F>::new(0.1).betas(1.0, 0.9));
    assert_panics_here!(AdamW::<F>::new(0.1).eps(0.0));
    assert_panics_here!(AdamW::<F>::new(0.1).weight_decay(-1.0));
    assert_panics_here!(AdamW::<F>::new(-0.1));
}

#[test]
fn set_learning_rate_panics_at_the_callers_line() {
    let mut optimizers: Vec<Box<dyn Optimizer<F>>> = vec![
        Box::new(Sgd::new(0.1)),
        Box::new(Momentum::new(0.1, 0.9)),
        Box::new(Nesterov::new(0.1, 0.9)),
        Box::new(AdaGrad::new(0.1)),
        Box::new(RmsProp::new(0.1)),
        Box::new(Adam::new(0.1)),
        Box::new(AdamW::new(0.1)),
    ];
    for opt in &mut optimizers {
        assert_panics_here!(opt.set_learning_rate(0.0)); // through `dyn Optimizer`
    }
    let mut sgd = Sgd::<F>::new(0.1);
    assert_panics_here!(sgd.set_learning_rate(-1.0)); // on the concrete type
}

#[test]
fn update_panics_at_the_callers_line() {
    let mut optimizers: Vec<Box<dyn Optimizer<F>>> = vec![
        Box::new(Sgd::new(0.1)),
        Box::new(Momentum::new(0.1, 0.9)),
        Box::new(Nesterov::new(0.1, 0.9)),
        Box::new(AdaGrad::new(0.1)),
        Box::new(RmsProp::new(0.1)),
        Box::new(Adam::new(0.1)),
        Box::new(AdamW::new(0.1)),
    ];
    let wrong = Tensor::zeros([3]);
    for opt in &mut optimizers {
        let mut w = Param::new(Tensor::zeros([2]));
        assert_panics_here!(opt.update(&mut w, &wrong));
    }
    let mut w = Param::new(Tensor::<F>::zeros([2]));
    assert_panics_here!(Adam::new(0.1).update(&mut w, &wrong));
}

#[test]
fn schedules_panic_at_the_callers_line() {
    let schedules: Vec<Box<dyn Schedule>> = vec![
        Box::new(Constant(0.0)),
        Box::new(StepDecay {
            initial: 0.1,
            every: 0,
            gamma: 0.5,
        }),
        Box::new(Exponential {
            initial: 0.1,
            gamma: 2.0,
        }),
        Box::new(InverseTime {
            initial: 0.1,
            decay: -1.0,
        }),
        Box::new(Cosine {
            initial: 0.1,
            min: 0.0,
            total: 10,
        }),
        Box::new(Warmup::new(3, Constant(0.0))),
    ];
    for s in &schedules {
        assert_panics_here!(s.lr(1)); // through `dyn Schedule`
    }
    assert_panics_here!(Constant(-1.0).lr(0));
    assert_panics_here!(Warmup::new(3, Constant(0.0)).lr(5));
}
