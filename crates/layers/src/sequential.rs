//! Chaining modules: `Sequential`, and the `Mlp` builder.

use std::fmt;

use autograd::{Param, Var};
use rand::Rng;
use tensor::{Float, Tensor};

use crate::param_name;
use crate::{Activation, Linear, Module};

/// Modules applied one after the other: the output of each is the input
/// of the next. Parameter names are prefixed with the module's position,
/// counting every module (activations too), as PyTorch does:
/// `0.weight`, `0.bias`, `2.weight`, ...
///
/// ```
/// use layers::{Activation, Linear, Module, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let net: Sequential = Sequential::new()
///     .with(Linear::new(2, 4, &mut rng))
///     .with(Activation::Tanh)
///     .with(Linear::new(4, 1, &mut rng));
/// assert_eq!(net.param_names(), vec!["0.weight", "0.bias", "2.weight", "2.bias"]);
/// assert_eq!(net.num_params(), 2 * 4 + 4 + 4 * 1 + 1);
/// ```
pub struct Sequential<T: Float = f32> {
    modules: Vec<Box<dyn Module<T>>>,
}

impl<T: Float> Default for Sequential<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Float> Sequential<T> {
    /// An empty chain (the identity function).
    pub fn new() -> Self {
        Sequential {
            modules: Vec::new(),
        }
    }

    /// Appends a module (builder style).
    pub fn with(mut self, module: impl Module<T> + 'static) -> Self {
        self.push(module);
        self
    }

    /// Appends a module.
    pub fn push(&mut self, module: impl Module<T> + 'static) {
        self.modules.push(Box::new(module));
    }

    /// The number of modules.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether there are no modules.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}

impl<T: Float> fmt::Debug for Sequential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Sequential({} modules, {} parameters: {:?})",
            self.len(),
            self.num_params(),
            self.param_names()
        )
    }
}

impl<T: Float> Module<T> for Sequential<T> {
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        let mut x = x;
        for m in &self.modules {
            x = m.forward(x);
        }
        x
    }

    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>)) {
        for (i, m) in self.modules.iter().enumerate() {
            m.visit_params(&param_name(prefix, &i.to_string()), f);
        }
    }

    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>)) {
        for (i, m) in self.modules.iter_mut().enumerate() {
            m.visit_params_mut(&param_name(prefix, &i.to_string()), f);
        }
    }

    fn set_training(&mut self, training: bool) {
        for m in &mut self.modules {
            m.set_training(training);
        }
    }

    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &Tensor<T>)) {
        for (i, m) in self.modules.iter().enumerate() {
            m.visit_buffers(&param_name(prefix, &i.to_string()), f);
        }
    }

    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Tensor<T>)) {
        for (i, m) in self.modules.iter_mut().enumerate() {
            m.visit_buffers_mut(&param_name(prefix, &i.to_string()), f);
        }
    }
}

/// Builds a multi-layer perceptron: `Linear` layers of the given sizes with
/// an activation between them, as a [`Sequential`].
///
/// `Mlp::new(&[784, 256, 256, 10])` is 784 → 256 → 256 → 10: three
/// `Linear` layers with the hidden activation (ReLU unless changed) after
/// the first two, and the output left linear (the logits) unless an output
/// activation is set.
///
/// ```
/// use layers::{Activation, Mlp, Module, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// let net: Sequential = Mlp::new(&[784, 256, 256, 10]).build(&mut StdRng::seed_from_u64(0));
/// assert_eq!(net.len(), 5); // Linear, ReLU, Linear, ReLU, Linear
/// assert_eq!(net.num_params(), 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
///
/// let xor: Sequential = Mlp::new(&[2, 4, 1])
///     .activation(Activation::Tanh)
///     .output_activation(Activation::Sigmoid)
///     .build(&mut StdRng::seed_from_u64(0));
/// assert_eq!(xor.len(), 4); // Linear, tanh, Linear, sigmoid
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    sizes: Vec<usize>,
    activation: Activation,
    output: Activation,
}

impl Mlp {
    /// An MLP with these layer sizes (input first, output last), ReLU
    /// between the layers and a linear output.
    ///
    /// # Panics
    /// If fewer than two sizes are given or a size is 0.
    #[track_caller]
    pub fn new(sizes: &[usize]) -> Self {
        if sizes.len() < 2 || sizes.contains(&0) {
            panic!("Mlp: needs at least an input and an output size, all positive, got {sizes:?}");
        }
        Mlp {
            sizes: sizes.to_vec(),
            activation: Activation::Relu,
            output: Activation::Identity,
        }
    }

    /// The activation after every hidden layer. `Activation::Identity` adds
    /// no module at all, so the `Linear` layers are then numbered 0, 1, 2, ...
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// An activation after the last layer (e.g. a sigmoid for a probability).
    pub fn output_activation(mut self, activation: Activation) -> Self {
        self.output = activation;
        self
    }

    /// Creates the layers, drawing the initial weights from `rng`.
    pub fn build<T: Float, R: Rng + ?Sized>(&self, rng: &mut R) -> Sequential<T> {
        let mut net = Sequential::new();
        let last = self.sizes.len() - 2;
        for (i, pair) in self.sizes.windows(2).enumerate() {
            net.push(Linear::new(pair[0], pair[1], rng));
            let act = if i == last {
                self.output
            } else {
                self.activation
            };
            if act != Activation::Identity {
                net.push(act);
            }
        }
        net
    }
}
