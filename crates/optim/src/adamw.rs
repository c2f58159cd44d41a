//! AdamW: Adam with decoupled weight decay.

use autograd::Param;
use tensor::{Float, Tensor};

use crate::adam::{AdamStep, Moments};
use crate::{Optimizer, ParamState, check};

/// AdamW (Loshchilov & Hutter): [`Adam`](crate::Adam) whose weight decay
/// shrinks the weights directly instead of passing through the gradient.
/// This is `torch.optim.AdamW`, weight decay 0.01 by default:
///
/// ```text
/// w ← w − lr · wd · w                   (decoupled: not divided by √v̂)
/// m ← β₁ · m + (1 − β₁) · g,   v ← β₂ · v + (1 − β₂) · g²,   t ← t + 1
/// w ← w − lr · m̂ / (√v̂ + ε)             (the Adam step, bias-corrected)
/// ```
///
/// In Adam with an L2 penalty ([`Adam::weight_decay`](crate::Adam::weight_decay))
/// the term wd·w joins the gradient and is then divided by √v̂ like the
/// rest: a weight with large gradients is barely decayed, and a weight
/// with no loss gradient at all is pulled towards 0 by a full step of
/// about lr, whatever its size. Decoupled, every weight shrinks by the
/// same factor 1 − lr·wd per step, which is what "weight decay" means and
/// what SGD's L2 penalty does. The tests show the two differ.
///
/// ```
/// use autograd::Param;
/// use optim::{AdamW, Optimizer};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let mut opt = AdamW::new(0.1); // wd = 0.01
/// // w·(1 − 0.1·0.01) = [0.999, −1.998], then the first Adam step: 0.1 per weight
/// opt.update(&mut w, &Tensor::from([0.5, 0.25]));
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.899, -2.098]), epsilon = 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct AdamW<T: Float = f32> {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    moments: ParamState<Moments<T>>,
}

impl<T: Float> AdamW<T> {
    /// AdamW with learning rate `lr`, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and
    /// weight decay 0.01: PyTorch's defaults.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `AdamW: learning rate must be positive and finite, got 0`.
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        check::learning_rate("AdamW", lr);
        AdamW {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
            moments: ParamState::new(),
        }
    }

    /// Sets the decay rates β₁ (of m) and β₂ (of v).
    ///
    /// # Panics
    /// If either is outside [0, 1): `AdamW: beta2 must be in [0, 1), got 1`.
    #[track_caller]
    pub fn betas(mut self, beta1: f64, beta2: f64) -> Self {
        check::rate("AdamW", "beta1", beta1);
        check::rate("AdamW", "beta2", beta2);
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// Sets ε, added to √v̂ before dividing (1e-8 by default).
    ///
    /// # Panics
    /// If `eps` is not positive and finite: `AdamW: eps must be positive and finite, got 0`.
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        check::eps("AdamW", eps);
        self.eps = eps;
        self
    }

    /// Sets the decoupled weight decay wd (0.01 by default; 0 makes AdamW
    /// plain Adam).
    ///
    /// # Panics
    /// If `wd` is negative or not finite:
    /// `AdamW: weight decay must be non-negative and finite, got -0.1`.
    #[track_caller]
    pub fn weight_decay(mut self, wd: f64) -> Self {
        check::weight_decay("AdamW", wd);
        self.weight_decay = wd;
        self
    }

    /// The running averages (m, v) of a parameter, if it was ever updated.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{AdamW, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([1.0]));
    /// let mut opt = AdamW::new(1e-3).weight_decay(0.1);
    /// opt.update(&mut w, &Tensor::from([2.0]));
    /// let (m, v) = opt.moments(&w).unwrap();
    /// approx::assert_abs_diff_eq!(m.item(), 0.2, epsilon = 1e-15); // the decay is not in m
    /// approx::assert_abs_diff_eq!(v.item(), 0.004, epsilon = 1e-15);
    /// assert_eq!(opt.steps(&w), 1);
    /// ```
    pub fn moments(&self, param: &Param<T>) -> Option<(&Tensor<T>, &Tensor<T>)> {
        self.moments.get(param.id()).map(|s| (s.m(), s.v()))
    }

    /// The number of steps t a parameter has taken (0 if none).
    pub fn steps(&self, param: &Param<T>) -> u64 {
        self.moments.get(param.id()).map_or(0, Moments::t)
    }
}

impl<T: Float> Optimizer<T> for AdamW<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("AdamW", param.shape(), grad.shape());
        let rule = AdamStep {
            lr: self.lr,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            l2: 0.0,
            decoupled: self.weight_decay,
            bias_correction: true,
        };
        let state = self
            .moments
            .get_or_insert_with(param.id(), || Moments::zeros(param.shape()));
        rule.apply(param.value_mut(), grad, state);
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("AdamW", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        format!("AdamW (weight decay {})", self.weight_decay)
    }
}
