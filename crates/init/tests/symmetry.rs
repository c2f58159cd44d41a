//! Why weights cannot start at zero: with every weight and bias of a
//! layer equal, every hidden unit computes the same output, receives the
//! same gradient and takes the same step — so the units stay copies of
//! each other for ever, and a layer of four units is worth one. The tests
//! train such a network by plain gradient descent, written out by hand,
//! and check the symmetry *exactly* (`==` on the floats, no tolerance):
//! identical inputs to identical arithmetic give identical bits.

use autograd::Graph;
use init::Init;
use layers::{Activation, Mlp, Module, Sequential};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

/// XOR: the four corners of the unit square and their labels.
fn xor() -> (Tensor, Tensor) {
    let x = Tensor::from([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let y = Tensor::from([[0.0], [1.0], [1.0], [0.0]]);
    (x, y)
}

/// A 2-4-1 network with this hidden activation and a linear output.
fn net(hidden: Activation) -> Sequential {
    Mlp::new(&[2, 4, 1])
        .activation(hidden)
        .build(&mut StdRng::seed_from_u64(0))
}

/// `steps` steps of full-batch gradient descent on the mean squared error;
/// returns the final loss.
fn train(net: &mut Sequential, steps: usize, lr: f32) -> f32 {
    let (x, y) = xor();
    let g = Graph::new();
    let mut loss = f32::NAN;
    for _ in 0..steps {
        let out = net.forward(g.input(x.clone()));
        let l = losses::mse(out, &y);
        loss = l.item();
        let grads = l.backward();
        net.visit_params_mut("", &mut |name, p| {
            let dw = grads.by_id(p.id()).expect(name);
            p.value_mut().scaled_add(-lr, dw); // w -= lr · dw
        });
    }
    loss
}

/// The parameters by name: (W1 [2, 4], b1 [4], W2 [4, 1], b2 [1]).
fn params(net: &Sequential) -> (Tensor, Tensor, Tensor, Tensor) {
    let p: Vec<Tensor> = net
        .named_params()
        .into_iter()
        .map(|(_, p)| p.value().clone())
        .collect();
    assert_eq!(
        net.param_names(),
        ["0.weight", "0.bias", "2.weight", "2.bias"]
    );
    (p[0].clone(), p[1].clone(), p[2].clone(), p[3].clone())
}

/// Hidden unit j's parameters: column j of W1, entry j of b1, row j of W2.
fn unit(net: &Sequential, j: usize) -> Vec<f32> {
    let (w1, b1, w2, _) = params(net);
    vec![w1.at([0, j]), w1.at([1, j]), b1.at([j]), w2.at([j, 0])]
}

fn zero_everything(net: &mut Sequential) {
    let n = init::init_matching(net, "*", Init::Zeros, &mut StdRng::seed_from_u64(0));
    assert_eq!(n, 4);
}

/// The lecture's setting for both runs: 2000 steps with learning rate 0.5.
const STEPS: usize = 2000;
const LR: f32 = 0.5;

#[test]
fn zero_init_keeps_every_hidden_unit_identical() {
    // Sigmoid hidden units: σ(0) = 1/2, so the units do move — together.
    let mut net = net(Activation::Sigmoid);
    zero_everything(&mut net);
    let loss = train(&mut net, STEPS, LR);
    let first = unit(&net, 0);
    for j in 1..4 {
        assert_eq!(unit(&net, j), first, "hidden unit {j} differs from unit 0");
    }
    // Column by column, entry by entry, row by row.
    let (w1, b1, w2, _) = params(&net);
    for j in 1..4 {
        assert_eq!(
            (w1.at([0, j]), w1.at([1, j])),
            (w1.at([0, 0]), w1.at([1, 0]))
        );
        assert_eq!(b1.at([j]), b1.at([0]));
        assert_eq!(w2.at([j, 0]), w2.at([0, 0]));
    }
    // Not trivially: the weights did leave zero.
    assert!(w1.abs().max() > 1e-3 && w2.abs().max() > 1e-3, "{w1} {w2}");
    // Four identical units are one unit, and one unit cannot represent
    // XOR: the network is stuck predicting 1/2 everywhere (loss 1/4).
    println!("zero init, sigmoid: loss {loss:.6} after {STEPS} steps; every unit = {first:?}");
    assert!(loss > 0.24, "loss {loss}");
}

#[test]
fn zero_init_with_tanh_learns_only_the_output_bias() {
    // tanh(0) = 0: the output layer sees zeros, so W2 gets no gradient
    // (dW2 = hᵀ δ = 0), and with W2 = 0 no gradient reaches W1 or b1.
    let mut net = net(Activation::Tanh);
    zero_everything(&mut net);
    let loss = train(&mut net, 500, LR);
    let (w1, b1, w2, b2) = params(&net);
    assert_eq!(w1, Tensor::zeros([2, 4]));
    assert_eq!(b1, Tensor::zeros([4]));
    assert_eq!(w2, Tensor::zeros([4, 1]));
    // The output bias learns the mean label, 1/2, and the loss is that of
    // predicting 1/2 everywhere.
    approx::assert_abs_diff_eq!(b2.item(), 0.5, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(loss, 0.25, epsilon = 1e-6);
}

#[test]
fn random_init_breaks_the_symmetry() {
    // The same network, data, steps and learning rate; only the start differs.
    for seed in 0..4 {
        let mut net = net(Activation::Sigmoid);
        let scheme = Init::Normal {
            mean: 0.0,
            std: 0.5,
        };
        init::init_weights(&mut net, scheme, &mut StdRng::seed_from_u64(seed));
        let loss = train(&mut net, STEPS, LR);
        let units: Vec<Vec<f32>> = (0..4).map(|j| unit(&net, j)).collect();
        for i in 0..4 {
            for j in 0..i {
                assert_ne!(
                    units[i], units[j],
                    "seed {seed}: units {i} and {j} are equal"
                );
            }
        }
        println!("{scheme} init, seed {seed}: loss {loss:.2e} after {STEPS} steps");
        assert!(loss < 0.01, "seed {seed}: loss {loss}");
    }
}
