//! Batch normalisation over the features of a batch of vectors.
//!
//! For a batch x of shape [N, F], each feature j is normalised with the
//! mean and variance of its N values in the batch, then scaled and shifted
//! by learned γⱼ and βⱼ:
//!
//! ```text
//! μⱼ = (1/N) Σᵢ xᵢⱼ                 the batch mean
//! σ²ⱼ = (1/N) Σᵢ (xᵢⱼ − μⱼ)²        the batch variance (biased: divided by N)
//! x̂ᵢⱼ = (xᵢⱼ − μⱼ) / √(σ²ⱼ + ε)
//! yᵢⱼ = γⱼ · x̂ᵢⱼ + βⱼ
//! ```
//!
//! The gradient flows through μ and σ² as well as through x directly: every
//! sample's output depends on every other sample of the batch. The graph
//! records the steps above one by one, so back-propagation handles that
//! coupling with no special code, and the tests check it numerically.
//!
//! At test time there may be one sample, and a prediction must not depend
//! on what else is in the batch. So training also keeps running averages of
//! the statistics, and evaluation uses them instead:
//!
//! ```text
//! running_mean ← (1 − m) · running_mean + m · μ
//! running_var  ← (1 − m) · running_var  + m · σ²· N/(N − 1)     (m = momentum, 0.1)
//! ```
//!
//! The running variance stores the *unbiased* estimate (divided by N − 1),
//! while the normalisation in training uses the biased one — PyTorch's
//! `BatchNorm1d` convention, matched here so that checkpoints mean the same
//! thing in both. Note the meaning of "momentum": the weight of the *new*
//! batch (PyTorch's), not of the history as in the optimizers' momentum.

use std::cell::RefCell;

use autograd::{Param, Var};
use layers::{Module, param_name};
use tensor::{Float, Tensor};

/// Batch normalisation of `features` features, as a module: parameters
/// `weight` (γ, initially 1) and `bias` (β, initially 0), buffers
/// `running_mean` (initially 0) and `running_var` (initially 1).
///
/// It starts in training mode; [`Module::eval`] switches to the running
/// statistics. Place it after a `Linear` layer and before its activation.
///
/// ```
/// use autograd::Graph;
/// use layers::Module;
/// use regularize::BatchNorm1d;
/// use tensor::Tensor;
/// let bn: BatchNorm1d = BatchNorm1d::new(2);
/// let x = Tensor::from([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]]);
/// let y = bn.forward(Graph::new().input(x)).value();
/// // Each column now has mean 0 and (biased) variance 1, up to ε.
/// approx::assert_abs_diff_eq!(y.mean_axis(0), Tensor::from([0.0, 0.0]), epsilon = 1e-6);
/// approx::assert_abs_diff_eq!(y.powi(2).mean_axis(0), Tensor::from([1.0, 1.0]), epsilon = 1e-4);
/// // The running mean moved a tenth of the way from 0 to the batch mean.
/// approx::assert_abs_diff_eq!(bn.running_mean(), Tensor::from([0.3, 2.0]), epsilon = 1e-6);
/// ```
#[derive(Debug)]
pub struct BatchNorm1d<T: Float = f32> {
    features: usize,
    eps: f64,
    momentum: f64,
    weight: Param<T>,
    bias: Param<T>,
    running_mean: RefCell<Tensor<T>>,
    running_var: RefCell<Tensor<T>>,
    training: bool,
}

impl<T: Float> BatchNorm1d<T> {
    /// Batch normalisation of `features` features, with ε = 10⁻⁵ and
    /// momentum 0.1 (PyTorch's defaults), in training mode.
    ///
    /// # Panics
    /// If `features` is 0: `BatchNorm1d: features must be positive, got 0`.
    #[track_caller]
    pub fn new(features: usize) -> Self {
        if features == 0 {
            panic!("BatchNorm1d: features must be positive, got 0");
        }
        BatchNorm1d {
            features,
            eps: 1e-5,
            momentum: 0.1,
            weight: Param::new(Tensor::ones([features])),
            bias: Param::new(Tensor::zeros([features])),
            running_mean: RefCell::new(Tensor::zeros([features])),
            running_var: RefCell::new(Tensor::ones([features])),
            training: true,
        }
    }

    /// Sets the weight of each new batch in the running statistics.
    ///
    /// # Panics
    /// If `momentum` is not in [0, 1]:
    /// `BatchNorm1d: momentum must be in [0, 1], got 1.5`.
    #[track_caller]
    pub fn momentum(mut self, momentum: f64) -> Self {
        if !(0.0..=1.0).contains(&momentum) {
            panic!("BatchNorm1d: momentum must be in [0, 1], got {momentum}");
        }
        self.momentum = momentum;
        self
    }

    /// Sets ε, added to the variance before the square root.
    ///
    /// # Panics
    /// If `eps` is not positive and finite:
    /// `BatchNorm1d: eps must be positive and finite, got 0`.
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        if !(eps.is_finite() && eps > 0.0) {
            panic!("BatchNorm1d: eps must be positive and finite, got {eps}");
        }
        self.eps = eps;
        self
    }

    /// The number of features.
    pub fn features(&self) -> usize {
        self.features
    }

    /// γ, the learned scale.
    pub fn weight(&self) -> &Param<T> {
        &self.weight
    }

    /// β, the learned shift.
    pub fn bias(&self) -> &Param<T> {
        &self.bias
    }

    /// A copy of the running mean.
    pub fn running_mean(&self) -> Tensor<T> {
        self.running_mean.borrow().clone()
    }

    /// A copy of the running (unbiased) variance.
    pub fn running_var(&self) -> Tensor<T> {
        self.running_var.borrow().clone()
    }

    /// Whether the module is in training mode.
    pub fn is_training(&self) -> bool {
        self.training
    }

    /// Moves the running statistics towards a batch's mean and biased
    /// variance, of a batch of `n` samples.
    fn update_running(&self, mean: &Tensor<T>, biased_var: &Tensor<T>, n: usize) {
        let m = T::from_f64(self.momentum);
        let keep = T::from_f64(1.0 - self.momentum);
        let unbiased = T::from_f64(n as f64 / (n - 1) as f64);
        let mut running_mean = self.running_mean.borrow_mut();
        *running_mean = &*running_mean * keep + mean * m;
        let mut running_var = self.running_var.borrow_mut();
        *running_var = &*running_var * keep + biased_var * (unbiased * m);
    }
}

impl<T: Float> Module<T> for BatchNorm1d<T> {
    /// Training: normalises with the batch statistics (and updates the
    /// running ones); evaluation: with the running statistics.
    ///
    /// # Panics
    /// If `x` is not `[batch, features]`:
    /// `BatchNorm1d(4): input has shape [8, 3], expected [batch, 4]`; in
    /// training mode, if the batch has a single sample, whose variance is
    /// undefined: `BatchNorm1d(4): a training batch needs at least 2 samples, got 1 ...`.
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        let shape = x.shape();
        if shape.len() != 2 || shape[1] != self.features {
            panic!(
                "BatchNorm1d({}): input has shape {shape:?}, expected [batch, {}]",
                self.features, self.features
            );
        }
        let g = x.graph();
        let (gamma, beta) = (g.param(&self.weight), g.param(&self.bias));
        let eps = T::from_f64(self.eps);
        if self.training {
            let n = shape[0];
            if n < 2 {
                panic!(
                    "BatchNorm1d({}): a training batch needs at least 2 samples, got {n} \
                     (one sample has no variance; use eval() to normalise single samples \
                     with the running statistics)",
                    self.features
                );
            }
            let mean = x.mean_keepdims(0); // [1, F]
            let centred = x - mean;
            let var = centred.powi(2).mean_keepdims(0); // [1, F], biased
            let normalised = centred / var.add_scalar(eps).sqrt();
            self.update_running(
                &mean.value().reshape([self.features]),
                &var.value().reshape([self.features]),
                n,
            );
            normalised * gamma + beta
        } else {
            let mean = self.running_mean.borrow().clone();
            let inv_std = self
                .running_var
                .borrow()
                .map(|v| T::from_f64(1.0) / (v + eps).sqrt());
            (x - g.input(mean)).mul_mask(&inv_std) * gamma + beta
        }
    }

    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>)) {
        f(&param_name(prefix, "weight"), &self.weight);
        f(&param_name(prefix, "bias"), &self.bias);
    }

    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>)) {
        f(&param_name(prefix, "weight"), &mut self.weight);
        f(&param_name(prefix, "bias"), &mut self.bias);
    }

    fn set_training(&mut self, training: bool) {
        self.training = training;
    }

    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &Tensor<T>)) {
        f(
            &param_name(prefix, "running_mean"),
            &self.running_mean.borrow(),
        );
        f(
            &param_name(prefix, "running_var"),
            &self.running_var.borrow(),
        );
    }

    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Tensor<T>)) {
        f(
            &param_name(prefix, "running_mean"),
            self.running_mean.get_mut(),
        );
        f(
            &param_name(prefix, "running_var"),
            self.running_var.get_mut(),
        );
    }
}
