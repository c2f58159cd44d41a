//! The standard recipe of the lecture, as a ready-made network.

use layers::{Activation, Linear, Sequential};
use optim::Adam;
use rand::Rng;
use tensor::{Float, Tensor};

use crate::{BatchNorm1d, Dropout};

/// The lecture's standard recipe for a multilayer perceptron: ReLU hidden
/// units; He-normal weights and zero biases; batch normalisation after
/// every hidden `Linear` and before its ReLU (so on every layer but the
/// input and the output); dropout after each hidden ReLU, optional (batch
/// normalisation already regularises, so it is off unless asked for); and
/// Adam to train it ([`Recipe::optimizer`]).
///
/// `Recipe::new(&[64, 128, 128, 10])` builds
///
/// ```text
/// Linear(64 → 128) → BatchNorm1d(128) → ReLU → Linear(128 → 128) → BatchNorm1d(128) → ReLU → Linear(128 → 10)
/// ```
///
/// ```
/// use layers::{Module, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// use regularize::Recipe;
/// let net: Sequential = Recipe::new(&[64, 128, 128, 10]).dropout(0.2).build(&mut StdRng::seed_from_u64(0));
/// assert_eq!(net.len(), 4 + 4 + 1); // (Linear, BN, ReLU, Dropout) × 2, then Linear
/// assert_eq!(
///     net.param_names(),
///     ["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias", "5.weight", "5.bias", "8.weight", "8.bias"]
/// );
/// let buffers: Vec<String> = net.named_buffers().into_iter().map(|(name, _)| name).collect();
/// assert_eq!(buffers, ["1.running_mean", "1.running_var", "5.running_mean", "5.running_var"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    sizes: Vec<usize>,
    batch_norm: bool,
    dropout: Option<f64>,
}

impl Recipe {
    /// The recipe for these layer sizes, input first, output last.
    ///
    /// # Panics
    /// If there are fewer than two sizes or one is 0:
    /// `Recipe: needs at least an input and an output size, all positive, got [10]`.
    #[track_caller]
    pub fn new(sizes: &[usize]) -> Self {
        if sizes.len() < 2 || sizes.contains(&0) {
            panic!(
                "Recipe: needs at least an input and an output size, all positive, got {sizes:?}"
            );
        }
        Recipe {
            sizes: sizes.to_vec(),
            batch_norm: true,
            dropout: None,
        }
    }

    /// Adds dropout with probability `p` after each hidden ReLU.
    ///
    /// # Panics
    /// If `p` is not in [0, 1).
    #[track_caller]
    pub fn dropout(mut self, p: f64) -> Self {
        if !(0.0..1.0).contains(&p) {
            panic!("Recipe: dropout p must be in [0, 1), got {p}");
        }
        self.dropout = Some(p);
        self
    }

    /// Leaves batch normalisation out (to see what it does).
    pub fn without_batch_norm(mut self) -> Self {
        self.batch_norm = false;
        self
    }

    /// Builds the network, drawing its weights (and its dropout masks'
    /// seed) from `rng`.
    pub fn build<T: Float, R: Rng + ?Sized>(&self, rng: &mut R) -> Sequential<T> {
        // Every weight first, then the dropout seeds: adding or removing
        // dropout leaves the initial weights of the same seed unchanged, so
        // the two networks can be compared from the same start.
        let weights: Vec<Tensor<T>> = self
            .sizes
            .windows(2)
            .map(|pair| init::he_normal([pair[0], pair[1]], rng))
            .collect();
        let mut net = Sequential::new();
        let last = weights.len() - 1;
        for (i, weight) in weights.into_iter().enumerate() {
            let fan_out = weight.dim(1);
            net.push(Linear::from_tensors(weight, Some(Tensor::zeros([fan_out]))));
            if i < last {
                if self.batch_norm {
                    net.push(BatchNorm1d::<T>::new(fan_out));
                }
                net.push(Activation::Relu);
                if let Some(p) = self.dropout {
                    net.push(Dropout::<T>::new(p, rng));
                }
            }
        }
        net
    }

    /// The recipe's optimizer: Adam with learning rate `lr` (and its
    /// usual β₁ = 0.9, β₂ = 0.999).
    #[track_caller]
    pub fn optimizer<T: Float>(&self, lr: f64) -> Adam<T> {
        Adam::new(lr)
    }
}
