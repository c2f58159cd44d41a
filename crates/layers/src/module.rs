//! The `Module` trait: what every layer and every network has in common.

use autograd::{Param, Var};
use tensor::{Float, Tensor};

/// A piece of a network: a function of its input and of its parameters.
///
/// - [`forward`](Module::forward) records the computation on the input's
///   graph and returns the output variable.
/// - [`visit_params`](Module::visit_params) and
///   [`visit_params_mut`](Module::visit_params_mut) hand every parameter to a
///   visitor with a stable name (`"weight"`, `"bias"`; inside a
///   [`Sequential`](crate::Sequential) `"0.weight"`, `"2.bias"`, ...).
///   Checkpoints use the names; optimizers use the mutable visit.
/// - [`set_training`](Module::set_training) switches between training and
///   evaluation behaviour, for the modules whose behaviour differs (dropout,
///   batch normalisation); the others ignore it.
/// - [`visit_buffers`](Module::visit_buffers) and
///   [`visit_buffers_mut`](Module::visit_buffers_mut) hand over the
///   module's *state*: tensors that are not trained by gradients but are
///   part of the model, such as the running mean and variance of batch
///   normalisation (chapter 7). No module of this chapter has any; a
///   checkpoint saves them next to the parameters.
///
/// ```
/// use autograd::Graph;
/// use layers::{Linear, Module};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let layer: Linear = Linear::new(3, 2, &mut StdRng::seed_from_u64(0)); // Linear<f32>
/// assert_eq!(layer.param_names(), vec!["weight", "bias"]);
/// assert_eq!(layer.num_params(), 3 * 2 + 2);
/// let g = Graph::new();
/// let y = layer.forward(g.input(Tensor::ones([4, 3])));
/// assert_eq!(y.shape(), vec![4, 2]);
/// ```
pub trait Module<T: Float = f32> {
    /// Records the module's computation on `x`'s graph.
    // On the trait, not only on the implementations: a layer's shape error
    // then points at the learner's line even through a `dyn Module` (inside
    // a `Sequential`), where an implementation's attribute alone is lost.
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T>;

    /// Calls `f` with every parameter, in a fixed order, and its name
    /// prefixed by `prefix`.
    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>));

    /// Calls `f` with every parameter, mutably, in the same order and with
    /// the same names as [`visit_params`](Module::visit_params).
    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>));

    /// Switches training (`true`) or evaluation (`false`) behaviour. The
    /// default does nothing: most modules behave the same in both.
    fn set_training(&mut self, _training: bool) {}

    /// Calls `f` with every buffer — state that is part of the model but
    /// not a parameter (no gradient, not touched by optimizers), such as
    /// batch normalisation's running statistics — and its name prefixed
    /// by `prefix`, in a fixed order. The default has none.
    ///
    /// The buffer is lent for the duration of the call only (a module may
    /// keep it behind a `RefCell`, since `forward` updates it).
    fn visit_buffers(&self, _prefix: &str, _f: &mut dyn FnMut(&str, &Tensor<T>)) {}

    /// Calls `f` with every buffer, mutably (to load a checkpoint), in the
    /// same order and with the same names as
    /// [`visit_buffers`](Module::visit_buffers). The default has none.
    fn visit_buffers_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut Tensor<T>)) {}

    /// The buffers' names and copies of their values, in visiting order.
    fn named_buffers(&self) -> Vec<(String, Tensor<T>)> {
        let mut out = Vec::new();
        self.visit_buffers("", &mut |name, b| out.push((name.to_string(), b.clone())));
        out
    }

    /// Training mode ([`set_training`](Module::set_training)`(true)`).
    fn train(&mut self) {
        self.set_training(true);
    }

    /// Evaluation mode ([`set_training`](Module::set_training)`(false)`).
    fn eval(&mut self) {
        self.set_training(false);
    }

    /// The parameters, in visiting order.
    fn params(&self) -> Vec<&Param<T>> {
        let mut out = Vec::new();
        self.visit_params("", &mut |_, p| out.push(p));
        out
    }

    /// The parameters with their names, in visiting order.
    fn named_params(&self) -> Vec<(String, &Param<T>)> {
        let mut out = Vec::new();
        self.visit_params("", &mut |name, p| out.push((name.to_string(), p)));
        out
    }

    /// The parameter names, in visiting order.
    fn param_names(&self) -> Vec<String> {
        self.named_params()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The total number of scalars in all parameters.
    fn num_params(&self) -> usize {
        let mut n = 0;
        self.visit_params("", &mut |_, p| n += p.len());
        n
    }
}

/// The full name of a parameter: the prefix and the name joined by a dot,
/// `("0", "weight")` → `"0.weight"`, or the bare name at the top level
/// (`("", "weight")` → `"weight"`). Modules use it in `visit_params`.
///
/// ```
/// assert_eq!(layers::param_name("2", "bias"), "2.bias");
/// assert_eq!(layers::param_name("", "bias"), "bias");
/// ```
pub fn param_name(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}
