//! The gradient store that `backward` returns.

use std::ops::{AddAssign, Index};

use tensor::{Float, Tensor};

use crate::pool::Pool;
use crate::{Param, ParamId, Var};

/// The gradients of one backward pass: one tensor per parameter (by
/// [`ParamId`]) and one per leaf variable of the graph, each with the shape
/// of what it is the gradient of.
///
/// A parameter the loss does not depend on has no entry ([`get`](Self::get)
/// returns `None`). Gradients from several mini-batches are summed
/// explicitly with `+=`:
///
/// ```
/// use autograd::{Graph, Param};
/// use tensor::Tensor;
/// let w = Param::new(Tensor::from([2.0]));
/// let g = Graph::new();
/// let mut total = g.param(&w).mul_scalar(3.0).sum().backward(); // batch 1: d(3w)/dw = 3
/// total += &g.param(&w).powi(2).sum().backward(); // batch 2: d(w²)/dw = 2w = 4
/// assert_eq!(total[&w].to_vec(), vec![7.0]);
/// ```
#[derive(Clone, Default)]
pub struct Gradients<T: Float = f32> {
    params: Vec<(ParamId, Tensor<T>)>,
    leaves: Vec<(u32, Tensor<T>)>,
    /// Which graph and which pass of it the leaf entries belong to.
    origin: Option<(usize, u32)>,
    /// The pool of the graph that made them: dropping the gradients gives
    /// their buffers back to it, for the next step's gradients.
    pool: Option<Pool<T>>,
}

impl<T: Float> std::fmt::Debug for Gradients<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gradients")
            .field("params", &self.params)
            .field("leaves", &self.leaves)
            .finish()
    }
}

// ANCHOR: drop
impl<T: Float> Drop for Gradients<T> {
    fn drop(&mut self) {
        if let Some(pool) = &self.pool {
            for (_, g) in self.params.drain(..) {
                pool.give(g);
            }
            for (_, g) in self.leaves.drain(..) {
                pool.give(g);
            }
        }
    }
}
// ANCHOR_END: drop

impl<T: Float> Gradients<T> {
    pub(crate) fn new(origin: (usize, u32), pool: Pool<T>) -> Self {
        Gradients {
            params: Vec::new(),
            leaves: Vec::new(),
            origin: Some(origin),
            pool: Some(pool),
        }
    }

    /// Adds `grad` to the entry of parameter `id` (creating it if needed).
    pub(crate) fn add_param(&mut self, id: ParamId, grad: Tensor<T>) {
        match self.params.iter_mut().find(|(p, _)| *p == id) {
            Some((_, acc)) => *acc += &grad,
            // Row-major, even when the gradient arrived through a transpose,
            // so that optimizers can treat it as a flat slice.
            None => self.params.push((id, grad.to_contiguous())),
        }
    }

    pub(crate) fn set_leaf(&mut self, index: u32, grad: Tensor<T>) {
        self.leaves.push((index, grad));
    }

    pub(crate) fn has_leaf(&self, index: u32) -> bool {
        self.leaves.iter().any(|(i, _)| *i == index)
    }

    /// The gradient of a parameter, if the loss depends on it.
    pub fn get(&self, param: &Param<T>) -> Option<&Tensor<T>> {
        self.by_id(param.id())
    }

    /// The gradient of the parameter with this id, if any.
    pub fn by_id(&self, id: ParamId) -> Option<&Tensor<T>> {
        self.params.iter().find(|(p, _)| *p == id).map(|(_, g)| g)
    }

    /// The gradient with respect to a leaf variable (made by
    /// [`Graph::leaf`](crate::Graph::leaf)) or a parameter variable (made by
    /// [`Graph::param`](crate::Graph::param)) of the pass that produced
    /// these gradients. A leaf the loss does not depend on gets zeros.
    ///
    /// # Panics
    /// If `var` is neither a leaf nor a parameter, if it comes from another
    /// graph or another pass, or (for a parameter) if the loss does not
    /// depend on it.
    #[track_caller]
    pub fn wrt(&self, var: Var<'_, T>) -> &Tensor<T> {
        if self.origin != Some(var.origin()) {
            panic!("Gradients::wrt: the variable comes from another graph or another forward pass");
        }
        if let Some(id) = var.param_id() {
            // A `match`, not `unwrap_or_else`: `#[track_caller]` does not
            // reach into closures, and the message must point at the caller.
            match self.by_id(id) {
                Some(g) => return g,
                None => panic!("Gradients::wrt: the loss does not depend on parameter {id}"),
            }
        }
        match self.leaves.iter().find(|(i, _)| *i == var.index()) {
            Some((_, g)) => g,
            None => panic!(
                "Gradients::wrt: variable {} is not a leaf; make it with Graph::leaf to get its gradient",
                var.index()
            ),
        }
    }

    /// The parameter gradients, in the order they were first produced.
    pub fn iter(&self) -> impl Iterator<Item = (ParamId, &Tensor<T>)> {
        self.params.iter().map(|(id, g)| (*id, g))
    }

    /// The number of parameter gradients.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether there are no parameter gradients.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// Multiplies every gradient by `factor` (e.g. 1/k after summing k
    /// mini-batches).
    pub fn scale(&mut self, factor: T) {
        let params = self.params.iter_mut().map(|(_, g)| g);
        for g in params.chain(self.leaves.iter_mut().map(|(_, g)| g)) {
            *g *= factor;
        }
    }
}

impl<T: Float> AddAssign<&Gradients<T>> for Gradients<T> {
    /// Sums the parameter gradients of another pass into this one
    /// (accumulation over mini-batches). Leaf gradients are not carried
    /// over: leaves belong to one pass.
    fn add_assign(&mut self, other: &Gradients<T>) {
        for (id, g) in &other.params {
            self.add_param(*id, g.clone());
        }
    }
}

impl<T: Float> Index<&Param<T>> for Gradients<T> {
    type Output = Tensor<T>;
    /// The gradient of a parameter.
    ///
    /// # Panics
    /// If the loss does not depend on the parameter; use
    /// [`get`](Gradients::get) when that can happen.
    #[track_caller]
    fn index(&self, param: &Param<T>) -> &Tensor<T> {
        match self.get(param) {
            Some(g) => g,
            None => panic!(
                "Gradients: no gradient for parameter {}: the loss does not depend on it",
                param.id()
            ),
        }
    }
}
