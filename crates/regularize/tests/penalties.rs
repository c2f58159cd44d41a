//! The penalties of chapter 7: their values, which parameters they cover,
//! their gradients (checked against central differences in f64), and the
//! equivalence of an L2 penalty under plain SGD with weight decay.

use autograd::Graph;
use layers::{Linear, Mlp, Module, Sequential};
use optim::{Optimizer, Sgd};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::{Norm, Penalty, count_near_zero, elastic_net, l1, l2};
use tensor::Tensor;

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

/// A 2-3-1 network in f64 with known weights: W1 = [[1, −2, 0], [0.5, 3, −1]],
/// b1 = [1, 1, 1], W2 = [[2], [0], [−4]], b2 = [7].
fn known_net() -> Sequential<f64> {
    Sequential::new()
        .with(Linear::from_tensors(
            Tensor::from([[1.0, -2.0, 0.0], [0.5, 3.0, -1.0]]),
            Some(Tensor::from([1.0, 1.0, 1.0])),
        ))
        .with(layers::Activation::Tanh)
        .with(Linear::from_tensors(
            Tensor::from([[2.0], [0.0], [-4.0]]),
            Some(Tensor::from([7.0])),
        ))
}

#[test]
fn values_on_known_weights_cover_the_weights_only() {
    let net = known_net();
    let g = Graph::new();
    // |W1| = 1 + 2 + 0 + 0.5 + 3 + 1 = 7.5, |W2| = 6; W1² = 1 + 4 + 0.25 + 9 + 1 = 15.25, W2² = 20.
    assert_eq!(l1(&g, &net).item(), 13.5);
    assert_eq!(l2(&g, &net).item(), 35.25);
    assert_eq!(elastic_net(&g, &net, 0.1).item(), 0.1 * 35.25 + 13.5);
    // With the biases: + 3 + 7 in L1, + 3 + 49 in L2.
    assert_eq!(Penalty::l1().including_biases().on(&g, &net).item(), 23.5);
    assert_eq!(Penalty::l2().including_biases().on(&g, &net).item(), 87.25);
    // The graph-free value agrees, tensor by tensor.
    let w1 = net.named_params()[0].1.value().clone();
    assert_eq!(Penalty::elastic_net(2.0).value(&w1), 2.0 * 15.25 + 7.5);
}

#[test]
fn covers_matrices_unless_biases_are_included() {
    assert!(Penalty::l2().covers(&[3, 4]));
    assert!(Penalty::l2().covers(&[2, 3, 4]));
    assert!(!Penalty::l2().covers(&[4]));
    assert!(!Penalty::l2().covers(&[]));
    assert!(Penalty::l1().including_biases().covers(&[4]));
    assert_eq!(
        Penalty::elastic_net(0.5).norm(),
        Norm::ElasticNet { beta: 0.5 }
    );
}

#[test]
fn a_module_without_weights_gives_a_constant_zero() {
    let g: Graph<f64> = Graph::new();
    let value = l2(&g, &layers::Activation::Relu);
    assert_eq!(value.item(), 0.0);
    assert!(!value.requires_grad());
}

#[test]
fn gradient_is_sign_2w_and_their_mix_and_biases_get_none() {
    let net = known_net();
    let g = Graph::new();
    let params = net.params();
    let (w1, b1) = (params[0], params[1]);

    let grads = l1(&g, &net).backward();
    assert_eq!(grads[w1].to_vec(), vec![1.0, -1.0, 0.0, 1.0, 1.0, -1.0]); // sign(w), 0 at 0
    assert!(grads.by_id(b1.id()).is_none());

    let grads = l2(&g, &net).backward();
    assert_eq!(grads[w1].to_vec(), vec![2.0, -4.0, 0.0, 1.0, 6.0, -2.0]); // 2w

    let grads = elastic_net(&g, &net, 0.25).backward();
    // 2·0.25·w + sign(w)
    assert_eq!(grads[w1].to_vec(), vec![1.5, -2.0, 0.0, 1.25, 2.5, -1.5]);
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// The gradient `Penalty::on` records for a layer's weight, against
    /// central differences of the penalty's value. Entries are kept at
    /// least 1e-3 from 0, the kink of |w|.
    #[test]
    fn penalties_pass_gradcheck(
        values in prop::collection::vec(prop_oneof![-3.0..-1e-3f64, 1e-3..3.0f64], 6),
        bias in prop::collection::vec(prop_oneof![-3.0..-1e-3f64, 1e-3..3.0f64], 3),
        beta in 0.0..2.0f64,
    ) {
        let h = 1e-6;
        for penalty in [Penalty::l1(), Penalty::l2(), Penalty::elastic_net(beta)] {
            for penalty in [penalty, penalty.including_biases()] {
                let layer = Linear::from_tensors(
                    Tensor::from_vec(values.clone(), [2, 3]),
                    Some(Tensor::from_vec(bias.clone(), [3])),
                );
                let g = Graph::new();
                let grads = penalty.on(&g, &layer).backward();
                for (k, param) in layer.params().into_iter().enumerate() {
                    let analytic = grads.by_id(param.id());
                    if !penalty.covers(param.shape()) {
                        prop_assert!(analytic.is_none(), "{penalty:?} gave parameter {k} a gradient");
                        continue;
                    }
                    let analytic = analytic.expect("a covered parameter has a gradient").to_vec();
                    let w = param.value().to_vec();
                    for i in 0..w.len() {
                        let at = |delta: f64| {
                            let mut moved = w.clone();
                            moved[i] += delta;
                            penalty.value(&Tensor::from_vec(moved, param.shape()))
                        };
                        let numeric = (at(h) - at(-h)) / (2.0 * h);
                        let error = (analytic[i] - numeric).abs() / numeric.abs().max(analytic[i].abs()).max(1.0);
                        prop_assert!(error < 1e-7, "{penalty:?}, parameter {k}[{i}]: {} vs {numeric}", analytic[i]);
                    }
                }
            }
        }
    }
}

/// L2 penalty λ·ΣW² under plain SGD is weight decay with wd = 2λ, step for
/// step: the gradient of λ·Σw² is 2λ·w, which is what `weight_decay(2λ)`
/// adds. (Over every parameter, as SGD's weight decay covers biases too.)
#[test]
fn l2_penalty_with_sgd_equals_weight_decay_step_for_step() {
    let (lr, lambda) = (0.1, 0.01);
    let build = || -> Sequential<f64> { Mlp::new(&[3, 5, 2]).build(&mut StdRng::seed_from_u64(7)) };
    let (mut penalised, mut decayed) = (build(), build());
    let mut rng = StdRng::seed_from_u64(8);
    let x: Tensor<f64> = Tensor::randn([16, 3], &mut rng);
    let labels: Vec<usize> = (0..16).map(|i| i % 2).collect();
    let mut sgd = Sgd::new(lr);
    let mut sgd_wd = Sgd::new(lr).weight_decay(2.0 * lambda);
    let g = Graph::new();
    for step in 0..50 {
        let data_loss = losses::cross_entropy(penalised.forward(g.input(x.clone())), &labels);
        let loss = data_loss
            + Penalty::l2()
                .including_biases()
                .on(&g, &penalised)
                .mul_scalar(lambda);
        let grads = loss.backward();
        sgd.step(&mut penalised, &grads);

        let loss = losses::cross_entropy(decayed.forward(g.input(x.clone())), &labels);
        let grads = loss.backward();
        sgd_wd.step(&mut decayed, &grads);

        for ((name, a), (_, b)) in penalised
            .named_params()
            .into_iter()
            .zip(decayed.named_params())
        {
            approx::assert_relative_eq!(a.value(), b.value(), max_relative = 1e-12);
            assert!(
                a.value() != &Tensor::zeros(a.shape()),
                "step {step}: {name} vanished"
            );
        }
    }
    // And the decay did something: the weights are smaller than without it.
    let mut plain = build();
    let mut sgd = Sgd::new(lr);
    for _ in 0..50 {
        let grads = losses::cross_entropy(plain.forward(g.input(x.clone())), &labels).backward();
        sgd.step(&mut plain, &grads);
    }
    let size = |net: &Sequential<f64>| Penalty::l2().value(net.params()[0].value());
    assert!(
        size(&decayed) < size(&plain),
        "{} vs {}",
        size(&decayed),
        size(&plain)
    );
}

/// L1 drives weights that the data does not need to zero, L2 only makes
/// them small: a linear model on data where only 2 of 20 inputs matter.
/// Trained by SGD on the squared error plus λ·R(W), L1 leaves most of the 18
/// useless weights within 1e-3 of zero, L2 none of them. (Plain SGD makes
/// L1's weights jitter around 0 within about lr·λ rather than sit at exactly
/// 0, hence the tolerance.)
#[test]
fn l1_makes_weights_sparse_and_l2_does_not() {
    let mut rng = StdRng::seed_from_u64(3);
    let x: Tensor<f64> = Tensor::randn([200, 20], &mut rng);
    // y = 3·x₀ − 2·x₁ + noise
    let noise: Tensor<f64> = Tensor::randn([200, 1], &mut rng);
    let mut coefficients = vec![0.0; 20];
    coefficients[0] = 3.0;
    coefficients[1] = -2.0;
    let y = x.matmul(&Tensor::from_vec(coefficients, [20, 1])) + noise * 0.1;
    let train = |penalty: Penalty, lambda: f64| {
        let mut model: Linear<f64> = Linear::new(20, 1, &mut StdRng::seed_from_u64(4));
        let mut sgd = Sgd::new(0.01);
        let g = Graph::new();
        for _ in 0..3000 {
            let prediction = model.forward(g.input(x.clone()));
            let loss = losses::mse(prediction, &y) + penalty.on(&g, &model).mul_scalar(lambda);
            let grads = loss.backward();
            sgd.step(&mut model, &grads);
        }
        model
    };
    let l1_model = train(Penalty::l1(), 0.05);
    let l2_model = train(Penalty::l2(), 0.05);
    let useless = |m: &Linear<f64>| m.params()[0].value().to_vec()[2..].to_vec();
    let near_zero = |w: &[f64]| w.iter().filter(|w| w.abs() <= 1e-3).count();
    assert!(
        near_zero(&useless(&l1_model)) >= 14,
        "L1: {:?}",
        useless(&l1_model)
    );
    assert_eq!(
        near_zero(&useless(&l2_model)),
        0,
        "L2: {:?}",
        useless(&l2_model)
    );
    assert_eq!(
        count_near_zero(&l1_model, 1e-3),
        near_zero(&useless(&l1_model))
    );
    // The two useful weights survive both.
    for m in [&l1_model, &l2_model] {
        let w = m.params()[0].value().to_vec();
        assert!(w[0] > 2.0 && w[1] < -1.0, "{w:?}");
    }
}

#[test]
fn bad_beta_panics_at_the_callers_line() {
    let (panic, line) = panic_site!(Penalty::elastic_net(-1.0));
    assert_eq!(
        panic.0,
        "Penalty::elastic_net: beta must be finite and ≥ 0, got -1"
    );
    assert_here!(panic.clone(), line);
    assert_panics_here!(Penalty::elastic_net(f64::NAN));
}
