//! AdaGrad: a learning rate per weight, from the sum of its squared gradients.

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, ParamState, check};

/// AdaGrad: every weight gets its own step size, divided by the root of
/// the sum of all its squared gradients so far.
///
/// ```text
/// cache ← cache + g²                    (element-wise; cache starts at 0)
/// w ← w − lr · g / (√cache + ε)         (ε = 1e-8 by default)
/// ```
///
/// Steep directions (large gradients) get small steps and shallow ones
/// large steps, which evens out an elongated valley. The first step moves
/// every weight by about lr, whatever its gradient (g/√g² = ±1). Because
/// the cache only grows, the steps shrink like 1/√t and can stall long
/// before a minimum on a long run; [`RmsProp`](crate::RmsProp) forgets old
/// gradients to fix that.
///
/// ε only prevents a division by zero for weights that never had a
/// gradient. PyTorch's `Adagrad` uses 1e-10 (and has a learning-rate decay
/// of its own, left to [`Schedule`](crate::Schedule)s here).
///
/// ```
/// use autograd::Param;
/// use optim::{AdaGrad, Optimizer};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let g = Tensor::from([0.5, 0.25]);
/// let mut opt = AdaGrad::new(0.1);
/// opt.update(&mut w, &g); // cache = g² = [0.25, 0.0625], √cache = |g|: steps of 0.1
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.9, -2.1]), epsilon = 1e-8);
/// opt.update(&mut w, &g); // cache = 2g²: steps of 0.1·g/(√2·|g|) = 0.1/√2 each
/// let step = 0.1 / 2f64.sqrt();
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.9 - step, -2.1 - step]), epsilon = 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct AdaGrad<T: Float = f32> {
    lr: f64,
    eps: f64,
    cache: ParamState<Tensor<T>>,
}

impl<T: Float> AdaGrad<T> {
    /// AdaGrad with learning rate `lr` and ε = 1e-8.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `AdaGrad: learning rate must be positive and finite, got 0`.
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        check::learning_rate("AdaGrad", lr);
        AdaGrad {
            lr,
            eps: 1e-8,
            cache: ParamState::new(),
        }
    }

    /// Sets ε, added to √cache before dividing.
    ///
    /// # Panics
    /// If `eps` is not positive and finite: `AdaGrad: eps must be positive and finite, got 0`.
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        check::eps("AdaGrad", eps);
        self.eps = eps;
        self
    }

    /// The sum of squared gradients of a parameter, if it was ever updated.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{AdaGrad, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([0.0, 0.0]));
    /// let mut opt = AdaGrad::new(0.1).eps(1e-10);
    /// opt.update(&mut w, &Tensor::from([3.0, -1.0]));
    /// opt.update(&mut w, &Tensor::from([4.0, 0.0]));
    /// assert_eq!(opt.cache(&w).unwrap().to_vec(), vec![25.0, 1.0]); // 3² + 4², 1² + 0²
    /// ```
    pub fn cache(&self, param: &Param<T>) -> Option<&Tensor<T>> {
        self.cache.get(param.id())
    }
}

impl<T: Float> Optimizer<T> for AdaGrad<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("AdaGrad", param.shape(), grad.shape());
        let (lr, eps) = (T::from_f64(self.lr), T::from_f64(self.eps));
        let cache = self
            .cache
            .get_or_insert_with(param.id(), || Tensor::zeros(param.shape()));
        Zip::from(param.value_mut().view_mut())
            .and(cache.view_mut())
            .and(grad.view())
            .for_each(|w, c, &g| {
                *c += g * g;
                *w -= lr * g / (c.sqrt() + eps);
            });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("AdaGrad", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        "AdaGrad".to_string()
    }
}
