//! The `Optimizer` trait: what every update rule has in common.

use autograd::{Gradients, Param};
use layers::Module;
use tensor::{Float, Tensor};

/// A rule that moves parameters against their gradients.
///
/// Each optimizer implements [`update`](Optimizer::update), the step of one
/// parameter, in place; its memory of earlier steps (a velocity, running
/// averages) is kept per parameter by [`ParamId`](autograd::ParamId) in a
/// [`ParamState`](crate::ParamState), created on a parameter's first update
/// and reused afterwards. The trait provides the step over a whole network:
///
/// - [`step`](Optimizer::step) updates every parameter of a [`Module`] that
///   has a gradient. A parameter the loss does not depend on has none and
///   is skipped (as PyTorch skips parameters whose `.grad` is `None`), so
///   it keeps its value *and* its optimizer state.
/// - [`step_params`](Optimizer::step_params) does the same for parameters
///   that live outside a module (the point (x, y) of a function being
///   minimised).
///
/// With them the training loop is the lecture's four lines: sample a batch,
/// forward (the loss), backward (the gradients), update.
///
/// ```
/// use autograd::Graph;
/// use layers::{Mlp, Module, Sequential};
/// use optim::{Optimizer, Sgd};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let mut net: Sequential = Mlp::new(&[2, 8, 2]).build(&mut StdRng::seed_from_u64(0));
/// let mut opt = Sgd::new(0.5);
/// let (x, labels) = (Tensor::from([[0.0, 1.0], [1.0, 0.0]]), [1, 0]); // the batch
/// let g = Graph::new();
/// let mut losses = Vec::new();
/// for _ in 0..20 {
///     let loss = losses::cross_entropy(net.forward(g.input(x.clone())), &labels); // forward
///     losses.push(loss.item());
///     let grads = loss.backward(); // backward
///     opt.step(&mut net, &grads); // update
/// }
/// assert!(losses[19] < losses[0] / 10.0);
/// ```
///
/// The trait is object safe, so optimizers can be compared in a loop:
///
/// ```
/// use optim::{Adam, Momentum, Optimizer, Sgd};
/// let optimizers: Vec<Box<dyn Optimizer>> = vec![
///     Box::new(Sgd::new(0.1)),
///     Box::new(Momentum::new(0.1, 0.9)),
///     Box::new(Adam::new(1e-3)),
/// ];
/// let names: Vec<String> = optimizers.iter().map(|o| o.name()).collect();
/// assert_eq!(names, ["SGD", "Momentum (μ = 0.9)", "Adam"]);
/// ```
///
/// Hyperparameters are `f64` whatever the element type `T`, and are
/// converted to `T` inside `update`.
pub trait Optimizer<T: Float = f32> {
    /// Updates one parameter in place, given its gradient (same shape).
    ///
    /// The parameter's value is written where it lies: no copy is made as
    /// long as no graph still holds it (a graph lets go of its parameters
    /// when `backward` finishes).
    ///
    /// # Panics
    /// If the gradient's shape differs from the parameter's:
    /// `Adam: gradient of shape [3] for a parameter of shape [2]`.
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>);

    /// Updates every parameter of `module` that has a gradient in `grads`;
    /// parameters without one are left alone, state included.
    fn step(&mut self, module: &mut dyn Module<T>, grads: &Gradients<T>) {
        module.visit_params_mut("", &mut |_, param| {
            if let Some(grad) = grads.by_id(param.id()) {
                self.update(param, grad);
            }
        });
    }

    /// Updates every parameter in `params` that has a gradient in `grads`
    /// (parameters outside a module).
    ///
    /// ```
    /// use autograd::{Graph, Param};
    /// use optim::{Optimizer, Sgd};
    /// use tensor::Tensor;
    /// // Minimise f(x, y) = x² + y² from (3, 4) by gradient descent.
    /// let (mut x, mut y) = (Param::new(Tensor::scalar(3.0)), Param::new(Tensor::scalar(4.0)));
    /// let mut opt = Sgd::new(0.25);
    /// let g = Graph::new();
    /// for _ in 0..30 {
    ///     let f = g.param(&x).powi(2) + g.param(&y).powi(2);
    ///     let grads = f.backward();
    ///     opt.step_params(&mut [&mut x, &mut y], &grads); // each halves: w − ¼·2w = w/2
    /// }
    /// assert_eq!(x.value().item(), 3.0 / 2f64.powi(30)); // halving is exact in floating point
    /// assert_eq!(y.value().item(), 4.0 / 2f64.powi(30));
    /// ```
    fn step_params(&mut self, params: &mut [&mut Param<T>], grads: &Gradients<T>) {
        for param in params.iter_mut() {
            if let Some(grad) = grads.by_id(param.id()) {
                self.update(param, grad);
            }
        }
    }

    /// The current learning rate.
    fn learning_rate(&self) -> f64;

    /// Changes the learning rate (a [`Schedule`](crate::Schedule) calls it
    /// every epoch or step). The optimizer's state is kept.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `Sgd: learning rate must be positive and finite, got 0`.
    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64);

    /// The literature's name, with the hyperparameters that tell variants
    /// apart (momentum μ, weight decay) but not the learning rate, which a
    /// schedule changes: `"SGD"`, `"Momentum (μ = 0.9)"`, `"Adam"`.
    fn name(&self) -> String;
}
