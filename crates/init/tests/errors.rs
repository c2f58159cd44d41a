//! Every misuse panics at once with a message that names the function and
//! the offending shape or value; these tests pin the full messages. The
//! last tests check that each panic is reported at the learner's line
//! (`#[track_caller]`), not somewhere inside the crate — including the
//! panics that `init_weights` and `init_matching` raise about a module's
//! parameters, which they check before visiting them.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::{Param, Var};
use init::Init;
use init::experiment::{Config, Histogram};
use layers::{Activation, Mlp, Module, Sequential};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::{Float, Tensor};

fn rng() -> StdRng {
    StdRng::seed_from_u64(0)
}

fn net() -> Sequential {
    Mlp::new(&[784, 256, 10]).build(&mut rng())
}

// ----- fans ---------------------------------------------------------------------------

#[test]
#[should_panic(expected = "fans: needs a 2-d weight shape [in, out], got [256]")]
fn fans_of_a_bias() {
    init::fans(&[256]);
}

#[test]
#[should_panic(expected = "fans: needs a 2-d weight shape [in, out], got [3, 3, 64]")]
fn fans_of_a_convolution_kernel() {
    init::fans(&[3, 3, 64]);
}

#[test]
#[should_panic(expected = "fans: needs a 2-d weight shape [in, out], got []")]
fn fans_of_a_scalar() {
    init::fans(&[]);
}

// ----- the fan-based schemes --------------------------------------------------------------

#[test]
#[should_panic(
    expected = "lecun_normal: needs a 2-d weight shape [in, out] with positive sizes, got [300]"
)]
fn lecun_normal_of_a_vector() {
    let _: Tensor = init::lecun_normal([300], &mut rng());
}

#[test]
#[should_panic(
    expected = "lecun_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [0, 5]"
)]
fn lecun_uniform_with_no_inputs() {
    let _: Tensor = init::lecun_uniform([0, 5], &mut rng());
}

#[test]
#[should_panic(
    expected = "glorot_normal: needs a 2-d weight shape [in, out] with positive sizes, got [3, 4, 5]"
)]
fn glorot_normal_of_a_3d_shape() {
    let _: Tensor = init::glorot_normal([3, 4, 5], &mut rng());
}

#[test]
#[should_panic(
    expected = "glorot_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [10]"
)]
fn glorot_uniform_of_a_vector() {
    let _: Tensor = init::glorot_uniform([10], &mut rng());
}

#[test]
#[should_panic(
    expected = "he_normal: needs a 2-d weight shape [in, out] with positive sizes, got [4]"
)]
fn he_normal_of_a_bias() {
    let _: Tensor = init::he_normal([4], &mut rng());
}

#[test]
#[should_panic(
    expected = "he_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [4, 0]"
)]
fn he_uniform_with_no_outputs() {
    let _: Tensor = init::he_uniform([4, 0], &mut rng());
}

// ----- the plain schemes -----------------------------------------------------------------

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got -0.01")]
fn normal_with_negative_std() {
    let _: Tensor = init::normal([3], 0.0, -0.01, &mut rng());
}

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got inf")]
fn normal_with_infinite_std() {
    let _: Tensor<f64> = init::normal([3], 0.0, f64::INFINITY, &mut rng());
}

#[test]
#[should_panic(expected = "normal: mean must be finite, got NaN")]
fn normal_with_nan_mean() {
    let _: Tensor = init::normal([3], f32::NAN, 1.0, &mut rng());
}

#[test]
#[should_panic(expected = "uniform: needs finite low < high, got [1, -1)")]
fn uniform_with_bounds_swapped() {
    let _: Tensor = init::uniform([3], 1.0, -1.0, &mut rng());
}

#[test]
#[should_panic(expected = "uniform: needs finite low < high, got [0.5, 0.5)")]
fn uniform_with_empty_interval() {
    let _: Tensor = init::uniform([3], 0.5, 0.5, &mut rng());
}

#[test]
#[should_panic(expected = "uniform: needs finite low < high, got [-inf, 0)")]
fn uniform_with_infinite_bound() {
    let _: Tensor = init::uniform([3], f32::NEG_INFINITY, 0.0, &mut rng());
}

#[test]
#[should_panic(expected = "constant: value must be finite, got NaN")]
fn constant_nan() {
    let _: Tensor = init::constant([3], f32::NAN);
}

// ----- Init ------------------------------------------------------------------------------

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got -1")]
fn init_normal_with_negative_std() {
    let _: Tensor = Init::Normal {
        mean: 0.0,
        std: -1.0,
    }
    .tensor([3], &mut rng());
}

#[test]
#[should_panic(expected = "uniform: needs finite low < high, got [1, -1)")]
fn init_uniform_with_bounds_swapped() {
    Init::Uniform {
        low: 1.0,
        high: -1.0,
    }
    .check();
}

#[test]
#[should_panic(expected = "constant: value must be finite, got inf")]
fn init_constant_infinite() {
    let _: Tensor = Init::Constant(f64::INFINITY).tensor([3], &mut rng());
}

#[test]
#[should_panic(
    expected = "he_normal: needs a 2-d weight shape [in, out] with positive sizes, got [500]"
)]
fn init_he_normal_of_a_bias() {
    let _: Tensor = Init::HeNormal.tensor([500], &mut rng());
}

#[test]
#[should_panic(expected = "Init::std: He normal needs positive fans, got (0, 10)")]
fn init_std_with_zero_fan_in() {
    Init::HeNormal.std(0, 10);
}

#[test]
#[should_panic(expected = "Init::std: Glorot uniform needs positive fans, got (10, 0)")]
fn init_std_with_zero_fan_out() {
    Init::GlorotUniform.std(10, 0);
}

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got NaN")]
fn init_std_of_an_invalid_normal() {
    Init::Normal {
        mean: 0.0,
        std: f64::NAN,
    }
    .std(1, 1);
}

// ----- applying to modules ---------------------------------------------------------------

/// A module with an empty weight matrix (no `Linear` can have one).
struct Empty<T: Float = f32> {
    weight: Param<T>,
}

impl<T: Float> Module<T> for Empty<T> {
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        x
    }
    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>)) {
        f(&layers::param_name(prefix, "weight"), &self.weight);
    }
    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>)) {
        f(&layers::param_name(prefix, "weight"), &mut self.weight);
    }
}

fn empty() -> Empty {
    Empty {
        weight: Param::new(Tensor::zeros([0, 3])),
    }
}

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got -0.01")]
fn init_weights_with_an_invalid_scheme() {
    init::init_weights(
        &mut net(),
        Init::Normal {
            mean: 0.0,
            std: -0.01,
        },
        &mut rng(),
    );
}

#[test]
#[should_panic(
    expected = "init_weights: parameter weight has shape [0, 3], but He normal needs a 2-d weight shape [in, out] with positive sizes"
)]
fn init_weights_on_an_empty_weight() {
    init::init_weights(&mut empty(), Init::HeNormal, &mut rng());
}

#[test]
#[should_panic(
    expected = "init_matching: pattern \"*\" matches 0.bias of shape [256], but He normal needs a 2-d weight shape [in, out] with positive sizes"
)]
fn init_matching_fan_scheme_on_a_bias() {
    let _ = init::init_matching(&mut net(), "*", Init::HeNormal, &mut rng());
}

#[test]
#[should_panic(
    expected = "init_matching: pattern \"2.bias\" matches 2.bias of shape [10], but Glorot uniform needs a 2-d weight shape [in, out] with positive sizes"
)]
fn init_matching_fan_scheme_on_one_bias() {
    let _ = init::init_matching(&mut net(), "2.bias", Init::GlorotUniform, &mut rng());
}

#[test]
#[should_panic(expected = "uniform: needs finite low < high, got [0, 0)")]
fn init_matching_with_an_invalid_scheme() {
    let _ = init::init_matching(
        &mut net(),
        "nothing",
        Init::Uniform {
            low: 0.0,
            high: 0.0,
        },
        &mut rng(),
    );
}

// ----- the experiment ---------------------------------------------------------------------

#[test]
#[should_panic(
    expected = "experiment::run: layers, width and samples must be positive, got 10 layers of 0 units on 1000 samples"
)]
fn experiment_with_zero_width() {
    init::experiment::run(&Config {
        width: 0,
        ..Config::new(Activation::Tanh, Init::LecunNormal)
    });
}

#[test]
#[should_panic(expected = "experiment::run: needs at least one histogram bin, got 0")]
fn experiment_with_no_bins() {
    init::experiment::run(&Config {
        bins: 0,
        ..Config::new(Activation::Tanh, Init::LecunNormal)
    });
}

#[test]
#[should_panic(expected = "normal: std must be finite and >= 0, got -1")]
fn experiment_with_an_invalid_scheme() {
    init::experiment::run(&Config::new(
        Activation::Tanh,
        Init::Normal {
            mean: 0.0,
            std: -1.0,
        },
    ));
}

#[test]
#[should_panic(expected = "Histogram::new: needs bins > 0 and low < high, got 0 bins over [0, 1]")]
fn histogram_with_no_bins() {
    Histogram::new(&[0.5], 0.0, 1.0, 0);
}

#[test]
#[should_panic(expected = "Histogram::new: needs bins > 0 and low < high, got 10 bins over [1, 1]")]
fn histogram_over_an_empty_range() {
    Histogram::new(&[1.0], 1.0, 1.0, 10);
}

// ----- #[track_caller]: the panic points at the learner's line ------------------------------

#[test]
fn scheme_functions_panic_at_the_callers_line() {
    let r = &mut rng();
    assert_panics_here!(init::fans(&[3]));
    assert_panics_here!(init::lecun_normal::<f32, _>([3], r));
    assert_panics_here!(init::lecun_uniform::<f32, _>([3], r));
    assert_panics_here!(init::glorot_normal::<f32, _>([3], r));
    assert_panics_here!(init::glorot_uniform::<f32, _>([3], r));
    assert_panics_here!(init::he_normal::<f32, _>([3], r));
    assert_panics_here!(init::he_uniform::<f32, _>([3], r));
    assert_panics_here!(init::normal::<f32, _>([3], 0.0, -1.0, r));
    assert_panics_here!(init::uniform::<f32, _>([3], 1.0, 0.0, r));
    assert_panics_here!(init::constant::<f32>([3], f32::NAN));
}

#[test]
fn init_methods_panic_at_the_callers_line() {
    let r = &mut rng();
    let bad = Init::Normal {
        mean: 0.0,
        std: -1.0,
    };
    assert_panics_here!(bad.tensor::<f32, _>([3], r));
    assert_panics_here!(Init::HeNormal.tensor::<f32, _>([3], r));
    assert_panics_here!(Init::Constant(f64::NAN).tensor::<f32, _>([3], r));
    let swapped = Init::Uniform {
        low: 1.0,
        high: 0.0,
    };
    assert_panics_here!(swapped.tensor::<f32, _>([3], r));
    assert_panics_here!(bad.check());
    assert_panics_here!(bad.std(1, 1));
    assert_panics_here!(Init::LecunNormal.std(0, 1));
}

#[test]
fn module_functions_panic_at_the_callers_line() {
    let r = &mut rng();
    let mut n = net();
    let bad = Init::Normal {
        mean: 0.0,
        std: -1.0,
    };
    assert_panics_here!(init::init_weights(&mut n, bad, r));
    assert_panics_here!(init::init_weights(&mut empty(), Init::HeNormal, r));
    assert_panics_here!(init::init_matching(&mut n, "*", bad, r));
    assert_panics_here!(init::init_matching(&mut n, "*", Init::HeNormal, r));
    let dynamic: &mut dyn Module = &mut n;
    assert_panics_here!(init::init_matching(dynamic, "*", Init::HeUniform, r));
}

#[test]
fn experiment_panics_at_the_callers_line() {
    let c = Config::new(Activation::Relu, Init::HeNormal);
    assert_panics_here!(init::experiment::run(&Config { layers: 0, ..c }));
    assert_panics_here!(init::experiment::run(&Config { bins: 0, ..c }));
    let bad = Init::Uniform {
        low: 0.0,
        high: f64::INFINITY,
    };
    assert_panics_here!(init::experiment::run(&Config { scheme: bad, ..c }));
    assert_panics_here!(Histogram::new(&[], 0.0, 0.0, 3));
}
