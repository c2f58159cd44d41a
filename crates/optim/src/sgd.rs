//! Plain (stochastic) gradient descent.

use std::marker::PhantomData;

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, check};

/// Gradient descent: a step of size `lr` straight down the gradient.
///
/// ```text
/// w ← w − lr · g
/// ```
///
/// With a mini-batch gradient this is stochastic gradient descent (SGD):
/// a noisy but cheap estimate of the full gradient, one update per batch.
/// The learning rate is the one hyperparameter; too large and the steps
/// overshoot and diverge (on f(x, y) = x²/20 + y², whose steepest
/// curvature is 2, any lr > 1 does), too small and progress crawls along
/// the shallow direction.
///
/// [`weight_decay`](Sgd::weight_decay) adds an L2 penalty ½·wd·‖w‖² to the
/// loss by adding its gradient to g, as PyTorch's `SGD(weight_decay=wd)`:
///
/// ```text
/// g ← g + wd · w
/// w ← w − lr · g          (so w ← (1 − lr·wd)·w − lr·g: the weights shrink each step)
/// ```
///
/// ```
/// use autograd::Param;
/// use optim::{Optimizer, Sgd};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let mut opt = Sgd::new(0.1);
/// opt.update(&mut w, &Tensor::from([0.5, 0.25])); // w − 0.1·g = [1 − 0.05, −2 − 0.025]
/// assert_eq!(w.value().to_vec(), vec![0.95, -2.025]);
/// ```
#[derive(Clone, Debug)]
pub struct Sgd<T: Float = f32> {
    lr: f64,
    weight_decay: f64,
    element: PhantomData<T>,
}

impl<T: Float> Sgd<T> {
    /// Gradient descent with learning rate `lr` and no weight decay.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `Sgd: learning rate must be positive and finite, got 0`.
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        check::learning_rate("Sgd", lr);
        Sgd {
            lr,
            weight_decay: 0.0,
            element: PhantomData,
        }
    }

    /// Adds the L2 term `wd · w` to every gradient (PyTorch's
    /// `weight_decay`); 0 turns it off.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Optimizer, Sgd};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([1.0, -2.0]));
    /// let mut opt = Sgd::new(0.1).weight_decay(0.1);
    /// // g + 0.1·w = [0.5 + 0.1, 0.25 − 0.2] = [0.6, 0.05]; w − 0.1·[0.6, 0.05]
    /// opt.update(&mut w, &Tensor::from([0.5, 0.25]));
    /// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.94, -2.005]), epsilon = 1e-15);
    /// ```
    ///
    /// # Panics
    /// If `wd` is negative or not finite:
    /// `Sgd: weight decay must be non-negative and finite, got -0.1`.
    #[track_caller]
    pub fn weight_decay(mut self, wd: f64) -> Self {
        check::weight_decay("Sgd", wd);
        self.weight_decay = wd;
        self
    }
}

impl<T: Float> Optimizer<T> for Sgd<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("Sgd", param.shape(), grad.shape());
        let lr = T::from_f64(self.lr);
        if self.weight_decay == 0.0 {
            // w ← w − lr·g
            param.value_mut().scaled_add(-lr, grad);
        } else {
            // w ← w − lr·(g + wd·w)
            let wd = T::from_f64(self.weight_decay);
            Zip::from(param.value_mut().view_mut())
                .and(grad.view())
                .for_each(|w, &g| *w -= lr * (g + wd * *w));
        }
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("Sgd", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        if self.weight_decay == 0.0 {
            "SGD".to_string()
        } else {
            format!("SGD (weight decay {})", self.weight_decay)
        }
    }
}
