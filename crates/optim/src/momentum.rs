//! Gradient descent with momentum, in the lecture's form.

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, ParamState, check};

/// Gradient descent with momentum: a ball rolling down the loss, whose
/// velocity remembers past gradients and is slowed by friction μ.
///
/// ```text
/// v ← μ · v − lr · g          (v starts at 0)
/// w ← w + v
/// ```
///
/// Along a direction where the gradient keeps its sign the steps add up,
/// towards lr·g/(1 − μ) — ten times plain SGD's step for μ = 0.9, a hundred
/// for μ = 0.99 — so the ball crosses plateaus and shallow valleys fast;
/// where the gradient flips sign (across a narrow valley) the contributions
/// cancel and the zig-zag is damped. μ is usually 0.9, 0.95 or 0.99.
///
/// **PyTorch's form.** `torch.optim.SGD(momentum=μ)` keeps a buffer of
/// gradients instead of a velocity, and multiplies by lr at the end:
///
/// ```text
/// b ← μ · b + g
/// w ← w − lr · b
/// ```
///
/// With a constant learning rate the two give the same trajectory, because
/// v = −lr·b at every step. By induction: both start at 0, and if
/// v = −lr·b before a step then after it
/// v' = μ·v − lr·g = μ·(−lr·b) − lr·g = −lr·(μ·b + g) = −lr·b',
/// so w + v' = w − lr·b'. They differ once the learning rate changes
/// mid-run: here the velocity keeps the old lr's scale and only new
/// gradients get the new one (the change fades in at rate μ), while
/// PyTorch rescales the whole buffer at once. The tests check both claims.
///
/// ```
/// use autograd::Param;
/// use optim::{Momentum, Optimizer};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let g = Tensor::from([0.5, 0.25]);
/// let mut opt = Momentum::new(0.1, 0.9);
/// opt.update(&mut w, &g); // v = −0.1·g = [−0.05, −0.025]; w + v
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.95, -2.025]), epsilon = 1e-15);
/// opt.update(&mut w, &g); // v = 0.9·v − 0.1·g = [−0.095, −0.0475]; w + v
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.855, -2.0725]), epsilon = 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Momentum<T: Float = f32> {
    lr: f64,
    mu: f64,
    velocity: ParamState<Tensor<T>>,
}

impl<T: Float> Momentum<T> {
    /// Momentum with learning rate `lr` and friction `mu` (μ).
    ///
    /// # Panics
    /// If `lr` is not positive and finite, or `mu` is outside [0, 1):
    /// `Momentum: momentum must be in [0, 1), got 1`.
    #[track_caller]
    pub fn new(lr: f64, mu: f64) -> Self {
        check::learning_rate("Momentum", lr);
        check::rate("Momentum", "momentum", mu);
        Momentum {
            lr,
            mu,
            velocity: ParamState::new(),
        }
    }

    /// The friction μ.
    pub fn momentum(&self) -> f64 {
        self.mu
    }

    /// The velocity v of a parameter, if it was ever updated.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Momentum, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([0.0]));
    /// let mut opt = Momentum::new(0.1, 0.9);
    /// assert!(opt.velocity(&w).is_none());
    /// for _ in 0..2 {
    ///     opt.update(&mut w, &Tensor::from([1.0])); // v = −0.1, then 0.9·(−0.1) − 0.1
    /// }
    /// approx::assert_abs_diff_eq!(opt.velocity(&w).unwrap().item(), -0.19, epsilon = 1e-15);
    /// assert_eq!(opt.momentum(), 0.9);
    /// ```
    pub fn velocity(&self, param: &Param<T>) -> Option<&Tensor<T>> {
        self.velocity.get(param.id())
    }
}

impl<T: Float> Optimizer<T> for Momentum<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("Momentum", param.shape(), grad.shape());
        let (lr, mu) = (T::from_f64(self.lr), T::from_f64(self.mu));
        let v = self
            .velocity
            .get_or_insert_with(param.id(), || Tensor::zeros(param.shape()));
        Zip::from(param.value_mut().view_mut())
            .and(v.view_mut())
            .and(grad.view())
            .for_each(|w, v, &g| {
                *v = mu * *v - lr * g;
                *w += *v;
            });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("Momentum", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        format!("Momentum (μ = {})", self.mu)
    }
}
