//! RMSProp: AdaGrad with a leaky memory.

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, ParamState, check};

/// RMSProp: divide each weight's step by the root of a running average of
/// its squared gradients (the RMS of recent gradients).
///
/// ```text
/// cache ← ρ · cache + (1 − ρ) · g²       (element-wise; cache starts at 0, ρ = 0.99)
/// w ← w − lr · g / √(cache + ε)          (ε = 1e-8)
/// ```
///
/// Like [`AdaGrad`](crate::AdaGrad), steep directions get small steps and
/// shallow ones large steps; unlike it, old gradients are forgotten at rate
/// ρ, so the steps do not shrink to nothing on a long run.
///
/// This is the lecture's rule, with ε *inside* the root. PyTorch's
/// `RMSprop` puts it outside, g / (√cache + ε); the two differ only while
/// cache is of the order of ε.
///
/// Note the first step: cache = (1 − ρ)·g², so the step is
/// lr·g/(√(1 − ρ)·|g|) = lr/√0.01 = 10·lr per weight for ρ = 0.99 — the
/// running average starts at 0 and is far too small at first. Adam's bias
/// correction removes exactly this effect.
///
/// And note the end: near a minimum the step stays about lr·g/|g| = lr in
/// size however small g gets, so with a constant learning rate RMSProp does
/// not settle — each weight ends up jumping between +lr/2 and −lr/2 around
/// the minimum (the crate's `tests/bowl.rs` shows it). Lower the rate as
/// training goes ([`Schedule`](crate::Schedule)) and it converges.
///
/// ```
/// use autograd::Param;
/// use optim::{Optimizer, RmsProp};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let mut opt = RmsProp::new(0.01);
/// // cache = 0.01·g² = [0.0025, 0.000625], √cache = 0.1·|g|: steps of 0.01/0.1 = 0.1
/// opt.update(&mut w, &Tensor::from([0.5, 0.25]));
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.9, -2.1]), epsilon = 1e-6);
/// ```
#[derive(Clone, Debug)]
pub struct RmsProp<T: Float = f32> {
    lr: f64,
    decay: f64,
    eps: f64,
    cache: ParamState<Tensor<T>>,
}

impl<T: Float> RmsProp<T> {
    /// RMSProp with learning rate `lr`, decay ρ = 0.99 and ε = 1e-8.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `RmsProp: learning rate must be positive and finite, got 0`.
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        check::learning_rate("RmsProp", lr);
        RmsProp {
            lr,
            decay: 0.99,
            eps: 1e-8,
            cache: ParamState::new(),
        }
    }

    /// Sets the decay rate ρ of the running average (0.99 by default).
    ///
    /// # Panics
    /// If `rho` is outside [0, 1): `RmsProp: decay must be in [0, 1), got 1`.
    #[track_caller]
    pub fn decay(mut self, rho: f64) -> Self {
        check::rate("RmsProp", "decay", rho);
        self.decay = rho;
        self
    }

    /// Sets ε, added to the cache under the root (1e-8 by default).
    ///
    /// # Panics
    /// If `eps` is not positive and finite: `RmsProp: eps must be positive and finite, got 0`.
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        check::eps("RmsProp", eps);
        self.eps = eps;
        self
    }

    /// The running average of squared gradients of a parameter, if it was
    /// ever updated.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Optimizer, RmsProp};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([0.0]));
    /// let mut opt = RmsProp::new(0.01).decay(0.9);
    /// opt.update(&mut w, &Tensor::from([2.0])); // 0.9·0 + 0.1·4
    /// opt.update(&mut w, &Tensor::from([2.0])); // 0.9·0.4 + 0.1·4
    /// approx::assert_abs_diff_eq!(opt.cache(&w).unwrap().item(), 0.76, epsilon = 1e-15);
    /// ```
    pub fn cache(&self, param: &Param<T>) -> Option<&Tensor<T>> {
        self.cache.get(param.id())
    }
}

impl<T: Float> Optimizer<T> for RmsProp<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("RmsProp", param.shape(), grad.shape());
        let (lr, eps) = (T::from_f64(self.lr), T::from_f64(self.eps));
        let (rho, one_minus_rho) = (T::from_f64(self.decay), T::from_f64(1.0 - self.decay));
        let cache = self
            .cache
            .get_or_insert_with(param.id(), || Tensor::zeros(param.shape()));
        Zip::from(param.value_mut().view_mut())
            .and(cache.view_mut())
            .and(grad.view())
            .for_each(|w, c, &g| {
                *c = rho * *c + one_minus_rho * g * g;
                *w -= lr * g / (*c + eps).sqrt();
            });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("RmsProp", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        if self.decay == 0.99 {
            "RMSProp".to_string()
        } else {
            format!("RMSProp (ρ = {})", self.decay)
        }
    }
}
