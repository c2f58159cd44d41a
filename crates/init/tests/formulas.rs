//! Each scheme draws what its formula says: the sample standard deviation
//! of a large weight matches `Init::std`, the mean is 0, a uniform scheme
//! stays inside its bounds, and the same seed gives the same bits.
//!
//! Tolerances. A weight [500, 300] holds n = 150 000 independent draws.
//! The sample std of n normal draws has a relative standard error of
//! 1/√(2n) ≈ 0.0018; for a uniform distribution (kurtosis 9/5) it is
//! ½·√(0.8/n) ≈ 0.0012. A 1 % tolerance is over 5 standard errors for
//! both: a correct scheme fails it with probability below 10⁻⁶, while a
//! wrong formula (a factor √2 or √3, fan_in for fan_out: 500 vs 300)
//! misses by 10 % or more. The sample mean has standard error σ/√n ≈
//! 0.0026σ; it must be within 0.015σ (over 5 standard errors). Every check
//! runs on several seeds.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use init::Init;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

const SHAPE: [usize; 2] = [500, 300];
const SEEDS: std::ops::Range<u64> = 0..4;

/// Every scheme, with parameters for the ones that take some.
const SCHEMES: [Init; 10] = [
    Init::Zeros,
    Init::Constant(0.25),
    Init::Normal {
        mean: 0.0,
        std: 0.01,
    },
    Init::Uniform {
        low: -0.2,
        high: 0.2,
    },
    Init::LecunNormal,
    Init::LecunUniform,
    Init::GlorotNormal,
    Init::GlorotUniform,
    Init::HeNormal,
    Init::HeUniform,
];

/// Sample mean and (population) standard deviation, in f64.
fn mean_std(t: &Tensor<f32>) -> (f64, f64) {
    let v: Vec<f64> = t.to_vec().into_iter().map(f64::from).collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

// ----- the formulas, written out once more -------------------------------------

#[test]
fn std_formulas() {
    let (fan_in, fan_out) = (500.0f64, 300.0f64);
    let expected = [
        (Init::LecunNormal, 1.0 / fan_in.sqrt()),
        (Init::LecunUniform, (3.0 / fan_in).sqrt() / 3f64.sqrt()),
        (Init::GlorotNormal, (2.0 / (fan_in + fan_out)).sqrt()),
        (
            Init::GlorotUniform,
            (6.0 / (fan_in + fan_out)).sqrt() / 3f64.sqrt(),
        ),
        (Init::HeNormal, (2.0 / fan_in).sqrt()),
        (Init::HeUniform, (6.0 / fan_in).sqrt() / 3f64.sqrt()),
        (
            Init::Normal {
                mean: 1.0,
                std: 0.3,
            },
            0.3,
        ),
        (
            Init::Uniform {
                low: -0.2,
                high: 0.2,
            },
            0.2 / 3f64.sqrt(),
        ),
        (
            Init::Uniform {
                low: 0.0,
                high: 1.0,
            },
            1.0 / 12f64.sqrt(),
        ),
        (Init::Zeros, 0.0),
        (Init::Constant(3.0), 0.0),
    ];
    for (scheme, std) in expected {
        approx::assert_relative_eq!(scheme.std(500, 300), std, max_relative = 1e-12);
    }
    // Only the fan-based schemes care about the fans, and only LeCun and He
    // ignore fan_out.
    assert_eq!(Init::HeNormal.std(500, 1), Init::HeNormal.std(500, 10_000));
    assert_ne!(
        Init::GlorotNormal.std(500, 1),
        Init::GlorotNormal.std(500, 10_000)
    );
    assert_eq!(
        Init::Normal {
            mean: 0.0,
            std: 0.01
        }
        .std(1, 1),
        0.01
    );
}

#[test]
fn he_doubles_lecun_variance() {
    for (fan_in, fan_out) in [(1, 1), (500, 500), (784, 256), (3, 1000)] {
        let lecun = Init::LecunNormal.std(fan_in, fan_out);
        let he = Init::HeNormal.std(fan_in, fan_out);
        approx::assert_relative_eq!(he * he, 2.0 * lecun * lecun, max_relative = 1e-12);
    }
}

#[test]
fn glorot_equals_lecun_on_square_layers_only() {
    for n in [1, 10, 500, 4096] {
        approx::assert_relative_eq!(
            Init::GlorotNormal.std(n, n),
            Init::LecunNormal.std(n, n),
            max_relative = 1e-12
        );
    }
    // fan_in > fan_out: Glorot's average fan is smaller, its std larger.
    assert!(Init::GlorotNormal.std(784, 256) > Init::LecunNormal.std(784, 256));
    assert!(Init::GlorotNormal.std(256, 784) < Init::LecunNormal.std(256, 784));
}

// ----- samples against formulas ---------------------------------------------------

#[test]
fn sample_std_matches_the_formula() {
    for scheme in SCHEMES {
        let expected = scheme.std(SHAPE[0], SHAPE[1]);
        for seed in SEEDS {
            let w: Tensor = scheme.tensor(SHAPE, &mut StdRng::seed_from_u64(seed));
            assert_eq!(w.shape(), SHAPE);
            let (_, std) = mean_std(&w);
            if expected == 0.0 {
                assert_eq!(std, 0.0, "{scheme}");
            } else {
                let error = std / expected - 1.0;
                assert!(
                    error.abs() < 0.01,
                    "{scheme}, seed {seed}: std {std}, formula {expected}"
                );
            }
        }
    }
}

#[test]
fn sample_mean_is_the_schemes_mean() {
    for scheme in SCHEMES {
        let (expected, scale) = match scheme {
            Init::Constant(c) => (c, 0.0),
            Init::Normal { mean, std } => (mean, std),
            Init::Uniform { low, high } => ((low + high) / 2.0, scheme.std(1, 1)),
            _ => (0.0, scheme.std(SHAPE[0], SHAPE[1])),
        };
        for seed in SEEDS {
            let w: Tensor = scheme.tensor(SHAPE, &mut StdRng::seed_from_u64(seed));
            let (mean, _) = mean_std(&w);
            assert!(
                (mean - expected).abs() <= 0.015 * scale + 1e-7,
                "{scheme}, seed {seed}: mean {mean}, expected {expected} ± {}",
                0.015 * scale
            );
        }
    }
}

#[test]
fn normal_with_a_mean() {
    let w: Tensor = init::normal(SHAPE, 2.0, 0.5, &mut StdRng::seed_from_u64(0));
    let (mean, std) = mean_std(&w);
    assert!((mean - 2.0).abs() < 0.015 * 0.5);
    assert!((std / 0.5 - 1.0).abs() < 0.01);
}

#[test]
fn uniform_schemes_stay_within_their_bounds_and_fill_them() {
    let (fan_in, fan_out) = (SHAPE[0] as f32, SHAPE[1] as f32);
    let cases = [
        (Init::LecunUniform, (3.0 / fan_in).sqrt()),
        (Init::GlorotUniform, (6.0 / (fan_in + fan_out)).sqrt()),
        (Init::HeUniform, (6.0 / fan_in).sqrt()),
        (
            Init::Uniform {
                low: -0.2,
                high: 0.2,
            },
            0.2,
        ),
    ];
    for (scheme, limit) in cases {
        let w: Tensor = scheme.tensor(SHAPE, &mut StdRng::seed_from_u64(0));
        assert!(
            w.to_vec().iter().all(|v| (-limit..limit).contains(v)),
            "{scheme}"
        );
        // 150 000 draws come within 0.1 % of both ends.
        assert!(
            w.max() > 0.999 * limit && w.min() < -0.999 * limit,
            "{scheme}"
        );
    }
    let w: Tensor = init::uniform([1000], 2.0, 3.0, &mut StdRng::seed_from_u64(0));
    assert!(w.min() >= 2.0 && w.max() < 3.0);
}

#[test]
fn the_slides_xavier_is_lecun_normal() {
    // W = randn(n_in, n_out) / sqrt(n_in), as the slides write it.
    let slides: Tensor = Tensor::randn([500, 300], &mut StdRng::seed_from_u64(3)) / 500f32.sqrt();
    let lecun: Tensor = init::lecun_normal([500, 300], &mut StdRng::seed_from_u64(3));
    approx::assert_relative_eq!(lecun, slides, max_relative = 1e-6);
    // And He is randn(n_in, n_out) / sqrt(n_in / 2).
    let slides: Tensor = Tensor::randn([500, 300], &mut StdRng::seed_from_u64(3)) / 250f32.sqrt();
    let he: Tensor = init::he_normal([500, 300], &mut StdRng::seed_from_u64(3));
    approx::assert_relative_eq!(he, slides, max_relative = 1e-6);
}

#[test]
fn zeros_and_constant() {
    let z: Tensor = init::zeros([3, 4]);
    assert_eq!(z, Tensor::zeros([3, 4]));
    let c: Tensor<f64> = init::constant([2], 0.01);
    assert_eq!(c.to_vec(), vec![0.01, 0.01]);
    // Any shape: scalars and 3-d tensors too.
    assert_eq!(init::zeros::<f32>([]).item(), 0.0);
    assert_eq!(init::constant::<f32>([2, 2, 2], 1.5).sum(), 12.0);
}

// ----- determinism ------------------------------------------------------------------

#[test]
fn same_seed_same_tensor_different_seed_different_tensor() {
    for scheme in SCHEMES {
        let a: Tensor = scheme.tensor([50, 30], &mut StdRng::seed_from_u64(7));
        let b: Tensor = scheme.tensor([50, 30], &mut StdRng::seed_from_u64(7));
        assert_eq!(a, b, "{scheme}");
        let c: Tensor = scheme.tensor([50, 30], &mut StdRng::seed_from_u64(8));
        if scheme.std(50, 30) > 0.0 {
            assert_ne!(a, c, "{scheme}");
        }
    }
}

#[test]
fn init_tensor_is_the_free_function() {
    let rng = || StdRng::seed_from_u64(11);
    let s = [40, 20];
    let same = |scheme: Init, direct: Tensor<f64>| {
        assert_eq!(scheme.tensor::<f64, _>(s, &mut rng()), direct, "{scheme}");
    };
    same(Init::Zeros, init::zeros(s));
    same(Init::Constant(0.5), init::constant(s, 0.5));
    same(
        Init::Normal {
            mean: 0.1,
            std: 0.2,
        },
        init::normal(s, 0.1, 0.2, &mut rng()),
    );
    same(
        Init::Uniform {
            low: -1.0,
            high: 2.0,
        },
        init::uniform(s, -1.0, 2.0, &mut rng()),
    );
    same(Init::LecunNormal, init::lecun_normal(s, &mut rng()));
    same(Init::LecunUniform, init::lecun_uniform(s, &mut rng()));
    same(Init::GlorotNormal, init::glorot_normal(s, &mut rng()));
    same(Init::GlorotUniform, init::glorot_uniform(s, &mut rng()));
    same(Init::HeNormal, init::he_normal(s, &mut rng()));
    same(Init::HeUniform, init::he_uniform(s, &mut rng()));
}

#[test]
fn f32_and_f64_draw_the_same_numbers() {
    let a: Tensor<f32> = init::he_normal([20, 10], &mut StdRng::seed_from_u64(5));
    let b: Tensor<f64> = init::he_normal([20, 10], &mut StdRng::seed_from_u64(5));
    approx::assert_relative_eq!(a.cast::<f64>(), b, max_relative = 1e-6);
}

// ----- fans ----------------------------------------------------------------------------

#[test]
fn fans_of_this_librarys_layout() {
    assert_eq!(init::fans(&[784, 256]), (784, 256));
    assert_eq!(init::fans(&[1, 1]), (1, 1));
    assert_eq!(init::fans(&[0, 5]), (0, 5));
    // A Linear layer stores [in, out]: fan_in is the number of inputs.
    let layer: layers::Linear = layers::Linear::new(7, 3, &mut StdRng::seed_from_u64(0));
    assert_eq!(init::fans(layer.weight.shape()), (7, 3));
    // The same layer in PyTorch has weight [out, in] = [3, 7]: read here,
    // its fans come out swapped (fan_in 3). Transpose it first.
    let torch_shape = [3, 7];
    assert_eq!(init::fans(&torch_shape), (3, 7));
    assert_eq!(init::fans(layer.weight.value().t().shape()), (3, 7));
}

#[test]
fn lecun_and_he_follow_fan_in_not_fan_out() {
    // Weights [fan_in, fan_out]: the spread shrinks as the rows (inputs) grow.
    let wide_in: Tensor = init::he_normal([2000, 50], &mut StdRng::seed_from_u64(0));
    let wide_out: Tensor = init::he_normal([50, 2000], &mut StdRng::seed_from_u64(0));
    let (_, s_in) = mean_std(&wide_in);
    let (_, s_out) = mean_std(&wide_out);
    assert!((s_in / (2.0f64 / 2000.0).sqrt() - 1.0).abs() < 0.02);
    assert!((s_out / (2.0f64 / 50.0).sqrt() - 1.0).abs() < 0.02);
}

#[test]
fn display_names() {
    let names: Vec<String> = SCHEMES.iter().map(Init::to_string).collect();
    assert_eq!(
        names,
        [
            "zeros",
            "constant 0.25",
            "N(0, 0.01²)",
            "U[-0.2, 0.2)",
            "LeCun normal",
            "LeCun uniform",
            "Glorot normal",
            "Glorot uniform",
            "He normal",
            "He uniform"
        ]
    );
}

#[test]
fn which_schemes_need_fans() {
    for scheme in SCHEMES {
        let fan_based = scheme.needs_fans();
        assert_eq!(scheme.fits(&[5]), !fan_based, "{scheme}");
        assert_eq!(scheme.fits(&[2, 3, 4]), !fan_based, "{scheme}");
        assert_eq!(scheme.fits(&[0, 3]), !fan_based, "{scheme}");
        assert!(scheme.fits(&[2, 3]), "{scheme}");
    }
}

// ----- properties over shapes ------------------------------------------------------

fn fan_based() -> impl Strategy<Value = Init> {
    prop::sample::select(&SCHEMES[4..])
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// Any weight shape: the result has that shape, and a uniform scheme
    /// never leaves [−limit, limit) with limit = √3 · std.
    #[test]
    fn shapes_and_bounds(scheme in fan_based(), fan_in in 1usize..64, fan_out in 1usize..64, seed in any::<u64>()) {
        let w: Tensor<f64> = scheme.tensor([fan_in, fan_out], &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(w.shape(), &[fan_in, fan_out]);
        prop_assert!(w.all_finite());
        if matches!(scheme, Init::LecunUniform | Init::GlorotUniform | Init::HeUniform) {
            let limit = scheme.std(fan_in, fan_out) * 3f64.sqrt();
            prop_assert!(w.to_vec().iter().all(|v| v.abs() <= limit * (1.0 + 1e-12)));
        }
    }

    /// `normal` and `uniform` take any shape, not only matrices.
    #[test]
    fn plain_schemes_take_any_shape(shape in prop::collection::vec(0usize..5, 0..4), seed in any::<u64>()) {
        let n: usize = shape.iter().product();
        let a: Tensor<f64> = init::normal(&shape, 0.0, 1.0, &mut StdRng::seed_from_u64(seed));
        let b: Tensor<f64> = init::uniform(&shape, -1.0, 1.0, &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(a.shape(), &shape[..]);
        prop_assert_eq!(b.len(), n);
    }
}
