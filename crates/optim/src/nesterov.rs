//! Nesterov's accelerated gradient: momentum that looks ahead.

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, ParamState, check};

/// Nesterov momentum: like [`Momentum`](crate::Momentum), but the gradient
/// is taken where the velocity is about to carry the weights — at the
/// look-ahead point w + μv — so the ball brakes before it overshoots.
///
/// The textbook rule needs the gradient at a point other than the
/// parameter's value:
///
/// ```text
/// v ← μ · v − lr · ∇f(w + μ·v)
/// w ← w + v
/// ```
///
/// This optimizer implements CS231n's rewriting of it, which stores the
/// look-ahead point φ = w + μv in the parameter instead of w, so that the
/// ordinary gradient at the parameter is the one needed:
///
/// ```text
/// v_prev ← v
/// v ← μ · v − lr · g                  (g = ∇f(φ), the gradient at the parameter)
/// φ ← φ − μ · v_prev + (1 + μ) · v
/// ```
///
/// Derivation: φ' = w' + μv' = (w + v') + μv' = (φ − μ·v_prev) + (1 + μ)·v'.
/// The velocity vanishes at convergence, so φ and w meet at the minimum.
/// The tests run both rules side by side on a quadratic and check that the
/// parameter is always w + μv of the textbook rule.
///
/// With a constant learning rate this is also PyTorch's
/// `SGD(momentum=μ, nesterov=True)` (b ← μb + g; w ← w − lr·(g + μb)):
/// with v = −lr·b, both steps are μ²·v_prev − (1 + μ)·lr·g.
///
/// ```
/// use autograd::Param;
/// use optim::{Nesterov, Optimizer};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let g = Tensor::from([0.5, 0.25]);
/// let mut opt = Nesterov::new(0.1, 0.9);
/// opt.update(&mut w, &g); // v = −0.1·g = [−0.05, −0.025]; w += −0.9·0 + 1.9·v
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.905, -2.0475]), epsilon = 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Nesterov<T: Float = f32> {
    lr: f64,
    mu: f64,
    velocity: ParamState<Tensor<T>>,
}

impl<T: Float> Nesterov<T> {
    /// Nesterov momentum with learning rate `lr` and friction `mu` (μ).
    ///
    /// # Panics
    /// If `lr` is not positive and finite, or `mu` is outside [0, 1):
    /// `Nesterov: momentum must be in [0, 1), got 1`.
    #[track_caller]
    pub fn new(lr: f64, mu: f64) -> Self {
        check::learning_rate("Nesterov", lr);
        check::rate("Nesterov", "momentum", mu);
        Nesterov {
            lr,
            mu,
            velocity: ParamState::new(),
        }
    }

    /// The friction μ.
    pub fn momentum(&self) -> f64 {
        self.mu
    }

    /// The velocity v of a parameter, if it was ever updated (the same
    /// velocity as [`Momentum`](crate::Momentum)'s for the same gradients).
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Nesterov, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([0.0]));
    /// let mut opt = Nesterov::new(0.1, 0.9);
    /// opt.update(&mut w, &Tensor::from([1.0])); // v = −0.1; w += 1.9·v
    /// assert_eq!(opt.velocity(&w).unwrap().item(), -0.1);
    /// approx::assert_abs_diff_eq!(w.value().item(), -0.19, epsilon = 1e-15);
    /// ```
    pub fn velocity(&self, param: &Param<T>) -> Option<&Tensor<T>> {
        self.velocity.get(param.id())
    }
}

impl<T: Float> Optimizer<T> for Nesterov<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("Nesterov", param.shape(), grad.shape());
        let (lr, mu) = (T::from_f64(self.lr), T::from_f64(self.mu));
        let v = self
            .velocity
            .get_or_insert_with(param.id(), || Tensor::zeros(param.shape()));
        Zip::from(param.value_mut().view_mut())
            .and(v.view_mut())
            .and(grad.view())
            .for_each(|w, v, &g| {
                let v_prev = *v;
                *v = mu * *v - lr * g;
                *w += -mu * v_prev + (T::one() + mu) * *v;
            });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("Nesterov", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        format!("Nesterov (μ = {})", self.mu)
    }
}
