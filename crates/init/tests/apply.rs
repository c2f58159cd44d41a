//! Applying a scheme to a module: `init_weights` touches every weight
//! matrix and zeroes every bias; `init_matching` changes exactly the
//! parameters its pattern names; both keep every parameter's id.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::{Param, Var};
use init::{Init, matches_pattern};
use layers::{Activation, Linear, Mlp, Module, Sequential};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::{Float, Tensor};

fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// 784 → 256 → 128 → 10 with ReLU: weights 0, 2, 4.
fn mnist_net() -> Sequential {
    Mlp::new(&[784, 256, 128, 10]).build(&mut rng(0))
}

fn values(net: &impl Module) -> Vec<(String, Tensor)> {
    net.named_params()
        .into_iter()
        .map(|(n, p)| (n, p.value().clone()))
        .collect()
}

fn rms(t: &Tensor) -> f64 {
    f64::from(t.powi(2).mean()).sqrt()
}

// ----- init_weights -----------------------------------------------------------------

#[test]
fn init_weights_touches_every_weight_and_zeroes_every_bias() {
    let mut net = mnist_net();
    let before = values(&net);
    init::init_weights(&mut net, Init::HeNormal, &mut rng(1));
    let after = values(&net);
    assert_eq!(after.len(), 6);
    for ((name, old), (same_name, new)) in before.iter().zip(&after) {
        assert_eq!(name, same_name);
        assert_eq!(old.shape(), new.shape(), "{name}");
        if name.ends_with(".weight") {
            assert_ne!(old, new, "{name} was not re-initialised");
            // Each weight has He's std for its own fan_in.
            let fan_in = new.shape()[0] as f64;
            let error = rms(new) / (2.0 / fan_in).sqrt() - 1.0;
            assert!(error.abs() < 0.05, "{name}: {error}");
        } else {
            assert!(name.ends_with(".bias"));
            assert!(old.abs().max() > 0.0); // Linear's default is random ...
            assert_eq!(new, &Tensor::zeros(new.shape()), "{name}"); // ... now zero
        }
    }
}

#[test]
fn init_weights_keeps_ids() {
    let mut net = mnist_net();
    let ids: Vec<_> = net.params().iter().map(|p| p.id()).collect();
    init::init_weights(&mut net, Init::GlorotUniform, &mut rng(0));
    let n = init::init_matching(&mut net, "*", Init::Zeros, &mut rng(0));
    assert_eq!(n, 6);
    assert_eq!(net.params().iter().map(|p| p.id()).collect::<Vec<_>>(), ids);
}

#[test]
fn init_weights_on_a_lone_layer_and_through_dyn() {
    let mut layer: Linear = Linear::new(300, 100, &mut rng(0));
    init::init_weights(&mut layer, Init::LecunNormal, &mut rng(1));
    assert!((rms(layer.weight.value()) * 300f64.sqrt() - 1.0).abs() < 0.05);
    assert_eq!(layer.bias.as_ref().unwrap().value().sum(), 0.0);
    // A `dyn Module` works too (the ?Sized bound).
    let boxed: &mut dyn Module = &mut layer;
    init::init_weights(boxed, Init::Zeros, &mut rng(1));
    assert_eq!(layer.weight.value().abs().max(), 0.0);
}

#[test]
fn init_weights_is_deterministic_in_visiting_order() {
    let mut a = mnist_net();
    let mut b = Mlp::new(&[784, 256, 128, 10]).build(&mut rng(99)); // other start
    init::init_weights(&mut a, Init::HeUniform, &mut rng(5));
    init::init_weights(&mut b, Init::HeUniform, &mut rng(5));
    assert_eq!(values(&a), values(&b));
    // The first weight gets the first draws: the same as the free function.
    let first: Tensor = init::he_uniform([784, 256], &mut rng(5));
    assert_eq!(values(&a)[0].1, first);
}

/// A module with a 1-d `weight` (like a normalisation layer's scale), a
/// 2-d weight under another name and a bias.
struct Custom<T: Float = f32> {
    scale: Param<T>,
    kernel: Param<T>,
    shift: Param<T>,
}

impl<T: Float> Module<T> for Custom<T> {
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        x
    }
    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>)) {
        f(&layers::param_name(prefix, "weight"), &self.scale);
        f(&layers::param_name(prefix, "kernel"), &self.kernel);
        f(&layers::param_name(prefix, "bias"), &self.shift);
    }
    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>)) {
        f(&layers::param_name(prefix, "weight"), &mut self.scale);
        f(&layers::param_name(prefix, "kernel"), &mut self.kernel);
        f(&layers::param_name(prefix, "bias"), &mut self.shift);
    }
}

#[test]
fn init_weights_leaves_1d_weights_and_other_names_alone() {
    let mut m: Custom = Custom {
        scale: Param::new(Tensor::ones([4])),
        kernel: Param::new(Tensor::ones([4, 4])),
        shift: Param::new(Tensor::ones([4])),
    };
    init::init_weights(&mut m, Init::HeNormal, &mut rng(0));
    assert_eq!(m.scale.value(), &Tensor::ones([4])); // a scale starts at one
    assert_eq!(m.kernel.value(), &Tensor::ones([4, 4])); // not called weight
    assert_eq!(m.shift.value(), &Tensor::zeros([4])); // a bias: zeroed
    // `init_matching` reaches any name.
    assert_eq!(
        init::init_matching(&mut m, "kernel", Init::HeNormal, &mut rng(0)),
        1
    );
    assert_ne!(m.kernel.value(), &Tensor::ones([4, 4]));
}

#[test]
fn init_weights_inside_a_nested_sequential() {
    let mut r = rng(0);
    let inner: Sequential = Sequential::new()
        .with(Linear::new(8, 8, &mut r))
        .with(Activation::Tanh);
    let mut net: Sequential = Sequential::new()
        .with(inner)
        .with(Linear::new(8, 2, &mut r));
    assert_eq!(
        net.param_names(),
        ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]
    );
    init::init_weights(&mut net, Init::Zeros, &mut r);
    assert!(net.params().iter().all(|p| p.value().abs().max() == 0.0));
}

// ----- init_matching ------------------------------------------------------------------

#[test]
fn init_matching_changes_exactly_what_the_pattern_names() {
    let cases: [(&str, &[&str]); 8] = [
        ("0.weight", &["0.weight"]),
        ("*.bias", &["0.bias", "2.bias", "4.bias"]),
        ("*bias", &["0.bias", "2.bias", "4.bias"]),
        ("*.weight", &["0.weight", "2.weight", "4.weight"]),
        ("4.*", &["4.weight", "4.bias"]),
        (
            "*",
            &[
                "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
            ],
        ),
        ("0.weigth", &[]), // a typo: nothing matches, and the count says so
        ("weight", &[]),   // the full name is needed inside a Sequential
    ];
    for (pattern, expected) in cases {
        let mut net = mnist_net();
        let before = values(&net);
        let n = init::init_matching(&mut net, pattern, Init::Constant(0.5), &mut rng(0));
        assert_eq!(n, expected.len(), "{pattern}");
        for ((name, old), (_, new)) in before.iter().zip(values(&net)) {
            if expected.contains(&name.as_str()) {
                assert_eq!(new, Tensor::full(old.shape(), 0.5), "{pattern}: {name}");
            } else {
                assert_eq!(&new, old, "{pattern}: {name} should be untouched");
            }
        }
    }
}

#[test]
fn init_matching_a_lone_layer_by_bare_name() {
    let mut layer: Linear = Linear::new(3, 2, &mut rng(0));
    assert_eq!(
        init::init_matching(&mut layer, "*.bias", Init::Zeros, &mut rng(0)),
        0
    );
    assert_eq!(
        init::init_matching(&mut layer, "bias", Init::Constant(0.1), &mut rng(0)),
        1
    );
    assert_eq!(
        layer.bias.as_ref().unwrap().value().to_vec(),
        vec![0.1, 0.1]
    );
}

#[test]
fn init_matching_checks_every_match_before_changing_anything() {
    let mut net = mnist_net();
    let before = values(&net);
    let (message, _) = support::panic_of(|| {
        let _ = init::init_matching(&mut net, "*", Init::HeNormal, &mut rng(0));
    });
    assert!(message.contains("matches 0.bias"), "{message}");
    assert_eq!(
        values(&net),
        before,
        "a failed call must leave the module as it was"
    );
}

// ----- the pattern ---------------------------------------------------------------------

#[test]
fn pattern_cases() {
    let yes = [
        ("*", ""),
        ("*", "0.weight"),
        ("0.weight", "0.weight"),
        ("*.weight", "10.weight"),
        ("*.*", "0.bias"),
        ("0.*.weight", "0.3.weight"),
        ("0.*.weight", "0.3.1.weight"),
        ("**", "x"),
        ("a*a", "aa"),
        ("a*a", "aba"),
        ("*ab*ab", "xabyab"),
    ];
    let no = [
        ("", "bias"),
        ("0.weight", "10.weight"),
        ("0.weight", "0.weights"),
        ("*.bias", "bias"),
        ("0.*.weight", "0.weight"),
        ("a*a", "a"),
        ("*ab*ab", "xab"),
        ("2.*", "12.bias"),
    ];
    for (p, n) in yes {
        assert!(matches_pattern(p, n), "{p:?} should match {n:?}");
    }
    for (p, n) in no {
        assert!(!matches_pattern(p, n), "{p:?} should not match {n:?}");
    }
}

#[test]
fn pattern_agrees_with_the_definition_exhaustively() {
    // Every pattern over {a, b, *} of up to 5 characters against every
    // name over {a, b} of up to 6.
    fn words(alphabet: &[u8], max: usize) -> Vec<Vec<u8>> {
        let mut all = vec![vec![]];
        let mut last = vec![vec![]];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w: &Vec<u8>| alphabet.iter().map(move |&c| [&w[..], &[c]].concat()))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }
    let names = words(b"ab", 6);
    for pattern in words(b"ab*", 5) {
        for name in &names {
            let (p, n) = (
                std::str::from_utf8(&pattern).unwrap(),
                std::str::from_utf8(name).unwrap(),
            );
            assert_eq!(
                matches_pattern(p, n),
                reference(&pattern, name),
                "{p:?} against {n:?}"
            );
        }
    }
}

/// A reference matcher: try every way of letting each `*` swallow a run.
fn reference(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|k| reference(rest, &name[k..])),
        Some((c, rest)) => name.first() == Some(c) && reference(rest, &name[1..]),
    }
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// The greedy matcher agrees with the backtracking definition.
    #[test]
    fn pattern_agrees_with_the_definition(pattern in "[ab.*]{0,8}", name in "[ab.]{0,10}") {
        prop_assert_eq!(
            matches_pattern(&pattern, &name),
            reference(pattern.as_bytes(), name.as_bytes())
        );
    }

    /// A name matches itself, `*`, and any prefix or suffix followed or
    /// preceded by `*`.
    #[test]
    fn pattern_laws(name in "[a-z0-9.]{0,12}", cut in 0usize..13) {
        let cut = cut.min(name.len());
        prop_assert!(matches_pattern(&name, &name));
        prop_assert!(matches_pattern("*", &name));
        let prefix = format!("{}*", &name[..cut]);
        let suffix = format!("*{}", &name[cut..]);
        prop_assert!(matches_pattern(&prefix, &name));
        prop_assert!(matches_pattern(&suffix, &name));
    }
}
