//! The `Module` contract and the layers' structure: parameter names, order
//! and counts, the training/evaluation switch through containers, the
//! default initialisation of `Linear` (its bounds and its distribution),
//! determinism, the `[in, out]` weight layout against PyTorch's `[out, in]`,
//! and the shape of the networks the `Mlp` builder makes.

use std::cell::Cell;
use std::rc::Rc;

use approx::assert_abs_diff_eq;
use autograd::{Graph, Param, ParamId, Var};
use layers::{Activation, Linear, LogSoftmax, Mlp, Module, Sequential, Softmax};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// The names a module reports through `visit_params_mut`.
fn names_mut<M: Module<f32> + ?Sized>(module: &mut M) -> Vec<String> {
    let mut names = Vec::new();
    module.visit_params_mut("", &mut |name, _| names.push(name.to_string()));
    names
}

/// The ids of a module's parameters, in visiting order.
fn ids<M: Module<f32> + ?Sized>(module: &M) -> Vec<ParamId> {
    module.params().iter().map(|p| p.id()).collect()
}

// ----- names and counts --------------------------------------------------------

#[test]
fn linear_names_its_weight_and_bias() {
    let layer: Linear = Linear::new(3, 2, &mut rng(0));
    assert_eq!(layer.param_names(), ["weight", "bias"]);
    assert_eq!(layer.num_params(), 3 * 2 + 2);
    let shapes: Vec<&[usize]> = layer.params().iter().map(|p| p.shape()).collect();
    assert_eq!(shapes, [&[3, 2][..], &[2][..]]);
}

#[test]
fn linear_without_bias_has_only_a_weight() {
    let layer: Linear = Linear::without_bias(3, 2, &mut rng(0));
    assert!(layer.bias.is_none());
    assert_eq!(layer.param_names(), ["weight"]);
    assert_eq!(layer.num_params(), 3 * 2);
}

#[test]
fn activations_and_softmax_have_no_parameters() {
    for act in [
        Activation::Identity,
        Activation::Step,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.01),
    ] {
        assert_eq!(Module::<f32>::num_params(&act), 0);
        assert!(Module::<f32>::param_names(&act).is_empty());
    }
    assert_eq!(Module::<f32>::num_params(&Softmax { axis: 1 }), 0);
    assert_eq!(Module::<f32>::num_params(&LogSoftmax { axis: 1 }), 0);
}

#[test]
fn activation_names_are_the_literatures() {
    let names: Vec<&str> = [
        Activation::Identity,
        Activation::Step,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
    ]
    .map(Activation::name)
    .to_vec();
    assert_eq!(
        names,
        ["identity", "step", "sigmoid", "tanh", "ReLU", "leaky ReLU"]
    );
}

/// Positions count every module, activations too (as PyTorch does).
#[test]
fn sequential_indices_count_activations() {
    let net: Sequential = Mlp::new(&[2, 4, 1])
        .output_activation(Activation::Sigmoid)
        .build(&mut rng(0));
    assert_eq!(
        net.param_names(),
        ["0.weight", "0.bias", "2.weight", "2.bias"]
    );
    assert_eq!(net.num_params(), 2 * 4 + 4 + 4 + 1);
}

#[test]
fn nested_sequential_names_join_the_positions() {
    let mut r = rng(0);
    let inner: Sequential = Sequential::new()
        .with(Linear::new(2, 3, &mut r))
        .with(Activation::Relu)
        .with(Linear::without_bias(3, 1, &mut r));
    let net = Sequential::new().with(Activation::Tanh).with(inner);
    assert_eq!(net.param_names(), ["1.0.weight", "1.0.bias", "1.2.weight"]);
    assert_eq!(net.num_params(), 2 * 3 + 3 + 3);
}

#[test]
fn visit_params_prefixes_every_name() {
    let net: Sequential = Mlp::new(&[2, 3, 1]).build(&mut rng(0));
    let mut names = Vec::new();
    net.visit_params("encoder", &mut |name, _| names.push(name.to_string()));
    assert_eq!(
        names,
        [
            "encoder.0.weight",
            "encoder.0.bias",
            "encoder.2.weight",
            "encoder.2.bias"
        ]
    );
}

/// The network of the MNIST chapters: 784·256 + 256 + 256·256 + 256 +
/// 256·10 + 10 = 269,322 parameters.
#[test]
fn mnist_mlp_has_269_322_parameters() {
    let net: Sequential = Mlp::new(&[784, 256, 256, 10]).build(&mut rng(0));
    assert_eq!(net.num_params(), 269_322);
    let shapes: Vec<Vec<usize>> = net.params().iter().map(|p| p.shape().to_vec()).collect();
    assert_eq!(
        shapes,
        [
            vec![784, 256],
            vec![256],
            vec![256, 256],
            vec![256],
            vec![256, 10],
            vec![10]
        ]
    );
}

#[test]
fn params_named_params_and_names_agree() {
    let net: Sequential = Mlp::new(&[3, 5, 4, 2]).build(&mut rng(1));
    let named = net.named_params();
    let names: Vec<String> = named.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(names, net.param_names());
    let from_named: Vec<ParamId> = named.iter().map(|(_, p)| p.id()).collect();
    assert_eq!(from_named, ids(&net));
    let total: usize = net.params().iter().map(|p| p.len()).sum();
    assert_eq!(total, net.num_params());
}

/// Optimizers walk `visit_params_mut`, checkpoints `visit_params`: both
/// must meet the same parameters in the same order under the same names.
#[test]
fn visit_params_mut_order_equals_visit_params_order() {
    let mut r = rng(2);
    let inner: Sequential = Sequential::new()
        .with(Linear::without_bias(4, 3, &mut r))
        .with(Activation::Sigmoid);
    let mut net: Sequential = Sequential::new()
        .with(Linear::new(2, 4, &mut r))
        .with(inner)
        .with(Linear::new(3, 1, &mut r));
    let mut from_mut: Vec<(String, ParamId)> = Vec::new();
    net.visit_params_mut("", &mut |name, p| from_mut.push((name.to_string(), p.id())));
    let from_ref: Vec<(String, ParamId)> = net
        .named_params()
        .into_iter()
        .map(|(name, p)| (name, p.id()))
        .collect();
    assert_eq!(from_mut, from_ref);
    assert_eq!(
        names_mut(&mut net),
        ["0.weight", "0.bias", "1.0.weight", "2.weight", "2.bias"]
    );
}

/// What an optimizer does: write through `visit_params_mut`, and the
/// forward pass sees it.
#[test]
fn visit_params_mut_updates_the_parameters() {
    let mut net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut rng(3));
    net.visit_params_mut("", &mut |_, p| p.value_mut().fill(0.0));
    assert!(
        net.params()
            .iter()
            .all(|p| p.value().to_vec() == vec![0.0; p.len()])
    );
    let g = Graph::new();
    let y = net.forward(g.input(Tensor::ones([5, 3])));
    assert_eq!(y.value().to_vec(), vec![0.0; 5 * 2]);
}

/// Every parameter has its own id, and a new network gets new ids.
#[test]
fn parameter_ids_are_distinct() {
    let a: Sequential = Mlp::new(&[3, 4, 2]).build(&mut rng(0));
    let b: Sequential = Mlp::new(&[3, 4, 2]).build(&mut rng(0));
    let mut all = ids(&a);
    all.extend(ids(&b));
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
}

// ----- training and evaluation mode -----------------------------------------

/// A module that records the last mode it was switched to, where the test
/// can still see it after the module is moved into a `Sequential`.
struct ModeProbe {
    mode: Rc<Cell<Option<bool>>>,
}

impl ModeProbe {
    fn new() -> (Self, Rc<Cell<Option<bool>>>) {
        let mode = Rc::new(Cell::new(None));
        (ModeProbe { mode: mode.clone() }, mode)
    }
}

impl Module<f32> for ModeProbe {
    fn forward<'g>(&self, x: Var<'g, f32>) -> Var<'g, f32> {
        x
    }
    fn visit_params<'a>(&'a self, _: &str, _: &mut dyn FnMut(&str, &'a Param<f32>)) {}
    fn visit_params_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut Param<f32>)) {}
    fn set_training(&mut self, training: bool) {
        self.mode.set(Some(training));
    }
}

#[test]
fn train_and_eval_reach_every_module_of_a_sequential() {
    let mut r = rng(0);
    let (outer_probe, outer) = ModeProbe::new();
    let (inner_probe, inner) = ModeProbe::new();
    let block: Sequential = Sequential::new()
        .with(Linear::new(4, 4, &mut r))
        .with(inner_probe);
    let mut net: Sequential = Sequential::new()
        .with(Linear::new(2, 4, &mut r))
        .with(outer_probe)
        .with(Activation::Relu)
        .with(block);
    assert_eq!((outer.get(), inner.get()), (None, None), "untouched");
    net.eval();
    assert_eq!((outer.get(), inner.get()), (Some(false), Some(false)));
    net.train();
    assert_eq!((outer.get(), inner.get()), (Some(true), Some(true)));
    net.set_training(false);
    assert_eq!((outer.get(), inner.get()), (Some(false), Some(false)));
    net.set_training(true);
    assert_eq!((outer.get(), inner.get()), (Some(true), Some(true)));
}

/// `train` and `eval` are `set_training(true)` and `set_training(false)`
/// on the module itself too.
#[test]
fn train_and_eval_call_set_training() {
    let (mut probe, mode) = ModeProbe::new();
    probe.eval();
    assert_eq!(mode.get(), Some(false));
    probe.train();
    assert_eq!(mode.get(), Some(true));
}

// ----- Linear: initialisation ----------------------------------------------

/// Every weight and bias lies in [−1/√in, 1/√in], in f32 and in f64.
#[test]
fn linear_default_init_is_within_the_bound() {
    for (inp, out) in [(1, 1), (3, 5), (10, 2), (784, 256)] {
        let layer: Linear<f32> = Linear::new(inp, out, &mut rng(inp as u64));
        let bound = 1.0 / (inp as f32).sqrt();
        for p in layer.params() {
            assert!(p.value().to_vec().iter().all(|w| w.abs() <= bound));
        }
        let layer: Linear<f64> = Linear::new(inp, out, &mut rng(inp as u64));
        let bound = 1.0 / (inp as f64).sqrt();
        for p in layer.params() {
            assert!(p.value().to_vec().iter().all(|w| w.abs() <= bound));
        }
    }
}

/// The 65,536 weights of a 256 → 256 layer look like U(−b, b), b = 1/16.
/// Each statistic is allowed 5 standard errors of its sampling
/// distribution (n = 65,536):
/// - mean: 0, standard error b / √(3n) (the variance of U(−b, b) is b²/3);
/// - mean square: b²/3, standard error √(E[w⁴] − E[w²]²) / √n with
///   E[w⁴] = b⁴/5, that is b² √(4/45) / √n;
/// - each of 16 equal-width bins: n/16, standard error √(n · 1/16 · 15/16);
/// - the extremes: the largest of n uniforms falls short of b by more than
///   2b·t/n with probability (1 − t/n)ⁿ ≈ e⁻ᵗ; t = 20 makes that 2e-9.
#[test]
fn linear_default_init_is_uniform() {
    let layer: Linear<f64> = Linear::new(256, 256, &mut rng(42));
    let w = layer.weight.value().to_vec();
    let n = w.len() as f64;
    assert_eq!(w.len(), 65_536);
    let b = 1.0 / 16.0;

    let mean = w.iter().sum::<f64>() / n;
    let mean_se = b / (3.0 * n).sqrt();
    assert!(
        mean.abs() < 5.0 * mean_se,
        "mean {mean}, standard error {mean_se}"
    );

    let mean_square = w.iter().map(|v| v * v).sum::<f64>() / n;
    let square_se = b * b * (4.0f64 / 45.0).sqrt() / n.sqrt();
    assert!(
        (mean_square - b * b / 3.0).abs() < 5.0 * square_se,
        "mean square {mean_square}, expected {} ± {square_se}",
        b * b / 3.0
    );

    let mut bins = [0usize; 16];
    for v in &w {
        let bin = ((v + b) / (2.0 * b) * 16.0) as usize;
        bins[bin.min(15)] += 1;
    }
    let expected = n / 16.0;
    let bin_se = (n * (1.0 / 16.0) * (15.0 / 16.0)).sqrt();
    for (i, &count) in bins.iter().enumerate() {
        assert!(
            (count as f64 - expected).abs() < 5.0 * bin_se,
            "bin {i}: {count}, expected {expected} ± {bin_se}"
        );
    }

    let max = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = w.iter().copied().fold(f64::INFINITY, f64::min);
    let slack = 2.0 * b * 20.0 / n;
    assert!(max > b - slack && min < -b + slack, "range [{min}, {max}]");
}

#[test]
fn linear_init_is_deterministic() {
    let values = |layer: &Linear| -> Vec<Vec<f32>> {
        layer.params().iter().map(|p| p.value().to_vec()).collect()
    };
    let a: Linear = Linear::new(5, 3, &mut rng(7));
    let b: Linear = Linear::new(5, 3, &mut rng(7));
    let c: Linear = Linear::new(5, 3, &mut rng(8));
    assert_eq!(values(&a), values(&b));
    assert_ne!(values(&a), values(&c));

    let net = |seed| -> Vec<Vec<f32>> {
        let net: Sequential = Mlp::new(&[4, 8, 3]).build(&mut rng(seed));
        net.params().iter().map(|p| p.value().to_vec()).collect()
    };
    assert_eq!(net(11), net(11));
    assert_ne!(net(11), net(12));
}

// ----- Linear: construction and forward -------------------------------------

#[test]
fn linear_sizes() {
    let layer: Linear = Linear::new(784, 256, &mut rng(0));
    assert_eq!((layer.in_features(), layer.out_features()), (784, 256));
    assert_eq!(layer.weight.shape(), &[784, 256]);
    assert_eq!(layer.bias.as_ref().map(Param::shape), Some(&[256][..]));
    let layer: Linear = Linear::without_bias(3, 1, &mut rng(0));
    assert_eq!((layer.in_features(), layer.out_features()), (3, 1));
}

#[test]
fn from_tensors_keeps_the_given_values() {
    let w = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    let b = Tensor::from([0.5, -0.5, 1.0]);
    let layer: Linear<f64> = Linear::from_tensors(w.clone(), Some(b.clone()));
    assert_eq!((layer.in_features(), layer.out_features()), (2, 3));
    assert_eq!(layer.weight.value().to_vec(), w.to_vec());
    assert_eq!(layer.bias.as_ref().unwrap().value().to_vec(), b.to_vec());
    assert_eq!(layer.param_names(), ["weight", "bias"]);
    let g = Graph::new();
    let y = layer.forward(g.input(Tensor::from([[1.0, 1.0], [1.0, -1.0]])));
    // [1, 1] W + b = [5, 7, 9] + b; [1, −1] W + b = [−3, −3, −3] + b.
    assert_eq!(y.value().to_vec(), vec![5.5, 6.5, 10.0, -2.5, -3.5, -2.0]);

    let layer: Linear<f64> = Linear::from_tensors(w, None);
    assert!(layer.bias.is_none());
    assert_eq!(layer.param_names(), ["weight"]);
    let y = layer.forward(g.input(Tensor::from([[1.0, 1.0]])));
    assert_eq!(y.value().to_vec(), vec![5.0, 7.0, 9.0]);
}

/// The forward pass is x W + b, as the tensor crate computes it.
#[test]
fn linear_forward_is_x_w_plus_b() {
    let mut r = rng(9);
    let layer: Linear = Linear::new(7, 5, &mut r);
    let x: Tensor = Tensor::randn([4, 7], &mut r);
    let g = Graph::new();
    let y = layer.forward(g.input(x.clone())).value();
    let expected = &x.matmul(layer.weight.value()) + layer.bias.as_ref().unwrap().value();
    assert_eq!(y.shape(), &[4, 5]);
    assert_abs_diff_eq!(y.array(), expected.array(), epsilon = 1e-6);

    let layer: Linear = Linear::without_bias(7, 5, &mut r);
    let y = layer.forward(g.input(x.clone())).value();
    assert_abs_diff_eq!(
        y.array(),
        x.matmul(layer.weight.value()).array(),
        epsilon = 1e-6
    );
}

/// PyTorch's `nn.Linear` stores W as `[out, in]` and computes x Wᵀ + b; its
/// transpose, loaded into our `[in, out]` layer, gives the same outputs.
#[test]
fn pytorch_weights_load_transposed() {
    // A torch-style weight for 2 inputs and 3 outputs: one row per output.
    let torch_w: Tensor<f64> = Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    let b = Tensor::from([0.5, 0.0, -1.0]);
    let x = Tensor::from([[1.0, 1.0], [2.0, -1.0]]);
    let layer = Linear::from_tensors(torch_w.t(), Some(b.clone()));
    assert_eq!((layer.in_features(), layer.out_features()), (2, 3));
    let g = Graph::new();
    let y = layer.forward(g.input(x.clone())).value();
    // Row 1: [1+2, 3+4, 5+6] + b; row 2: [2−2, 6−4, 10−6] + b.
    assert_eq!(y.to_vec(), vec![3.5, 7.0, 10.0, 0.5, 2.0, 3.0]);
    assert_eq!(y.to_vec(), (&x.matmul(&torch_w.t()) + &b).to_vec());

    // And on random numbers.
    let mut r = rng(10);
    let torch_w: Tensor<f64> = Tensor::randn([6, 4], &mut r);
    let b = Tensor::randn([6], &mut r);
    let x = Tensor::randn([3, 4], &mut r);
    let layer = Linear::from_tensors(torch_w.t(), Some(b.clone()));
    let y = layer.forward(g.input(x.clone())).value();
    let expected = &x.matmul(&torch_w.t()) + &b;
    assert_eq!(y.shape(), &[3, 6]);
    assert_abs_diff_eq!(y.array(), expected.array(), epsilon = 1e-12);
}

/// An inference graph computes the same values as a recording one.
#[test]
fn inference_forward_equals_training_forward() {
    let mut r = rng(4);
    let net: Sequential = Mlp::new(&[3, 6, 2])
        .output_activation(Activation::Sigmoid)
        .build(&mut r);
    let x: Tensor = Tensor::randn([5, 3], &mut r);
    let recording = Graph::new();
    let inference = Graph::inference();
    let a = net.forward(recording.input(x.clone())).value();
    let b = net.forward(inference.input(x)).value();
    assert_eq!(a.to_vec(), b.to_vec());
}

// ----- Sequential ---------------------------------------------------------------

#[test]
fn empty_sequential_is_the_identity() {
    let net: Sequential = Sequential::default();
    assert!(net.is_empty());
    assert_eq!(net.len(), 0);
    assert_eq!(net.num_params(), 0);
    let g = Graph::new();
    let x = Tensor::from([[1.0, -2.0]]);
    assert_eq!(net.forward(g.input(x.clone())).value().to_vec(), x.to_vec());
}

#[test]
fn push_and_with_build_the_same_chain() {
    let mut pushed: Sequential = Sequential::new();
    pushed.push(Linear::new(2, 3, &mut rng(0)));
    pushed.push(Activation::Tanh);
    let with: Sequential = Sequential::new()
        .with(Linear::new(2, 3, &mut rng(0)))
        .with(Activation::Tanh);
    assert_eq!(pushed.len(), 2);
    assert!(!pushed.is_empty());
    assert_eq!(pushed.param_names(), with.param_names());
    let g = Graph::new();
    let x = Tensor::from([[0.5, -1.0]]);
    assert_eq!(
        pushed.forward(g.input(x.clone())).value().to_vec(),
        with.forward(g.input(x)).value().to_vec()
    );
}

#[test]
fn sequential_debug_lists_its_parameters() {
    let net: Sequential = Mlp::new(&[2, 4, 1])
        .activation(Activation::Tanh)
        .build(&mut rng(0));
    assert_eq!(
        format!("{net:?}"),
        r#"Sequential(3 modules, 17 parameters: ["0.weight", "0.bias", "2.weight", "2.bias"])"#
    );
}

// ----- the Mlp builder -------------------------------------------------------------

#[test]
fn mlp_defaults_to_relu_and_a_linear_output() {
    assert_eq!(
        Mlp::new(&[2, 3, 1]),
        Mlp::new(&[2, 3, 1])
            .activation(Activation::Relu)
            .output_activation(Activation::Identity)
    );
    let net: Sequential = Mlp::new(&[784, 256, 256, 10]).build(&mut rng(0));
    assert_eq!(net.len(), 5, "Linear, ReLU, Linear, ReLU, Linear");
    assert_eq!(
        net.param_names(),
        [
            "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"
        ]
    );
}

#[test]
fn mlp_output_activation_is_appended() {
    let net: Sequential = Mlp::new(&[2, 4, 1])
        .activation(Activation::Tanh)
        .output_activation(Activation::Sigmoid)
        .build(&mut rng(0));
    assert_eq!(net.len(), 4, "Linear, tanh, Linear, sigmoid");
    let net: Sequential = Mlp::new(&[3, 2])
        .output_activation(Activation::Tanh)
        .build(&mut rng(0));
    assert_eq!(net.len(), 2, "Linear, tanh");
    let net: Sequential = Mlp::new(&[3, 2]).build(&mut rng(0));
    assert_eq!(net.len(), 1, "a single Linear layer");
    assert_eq!(net.param_names(), ["0.weight", "0.bias"]);
}

/// An identity activation is not inserted: the positions count only the
/// modules that are there.
#[test]
fn mlp_with_identity_activation_is_only_linear_layers() {
    let net: Sequential = Mlp::new(&[2, 3, 4, 1])
        .activation(Activation::Identity)
        .build(&mut rng(0));
    assert_eq!(net.len(), 3);
    assert_eq!(
        net.param_names(),
        [
            "0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"
        ]
    );
}

/// The activations sit where they should: the network's output equals
/// f_out(f(f(x W₀ + b₀) W₁ + b₁) W₂ + b₂) recomputed with tensors and
/// `Activation::value`, for every hidden and output activation.
#[test]
fn mlp_applies_the_activations_in_place() {
    let hidden = [
        Activation::Identity,
        Activation::Step,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
    ];
    let outputs = [Activation::Identity, Activation::Sigmoid, Activation::Tanh];
    for (seed, (act, output)) in hidden
        .into_iter()
        .flat_map(|a| outputs.map(|o| (a, o)))
        .enumerate()
    {
        let mut r = rng(seed as u64);
        let net: Sequential<f64> = Mlp::new(&[3, 5, 4, 2])
            .activation(act)
            .output_activation(output)
            .build(&mut r);
        let x: Tensor<f64> = Tensor::randn([6, 3], &mut r);
        let params = net.params();
        let mut h = x.clone();
        for (i, wb) in params.chunks(2).enumerate() {
            let z = &h.matmul(wb[0].value()) + wb[1].value();
            let f = if i == 2 { output } else { act };
            h = z.map(|v| f.value(v));
        }
        let g = Graph::new();
        let y = net.forward(g.input(x)).value();
        assert_eq!(y.shape(), &[6, 2]);
        assert_abs_diff_eq!(y.array(), h.array(), epsilon = 1e-12);
    }
}
