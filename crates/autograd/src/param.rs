//! Parameters: the tensors that persist across training steps.

use std::sync::atomic::{AtomicU64, Ordering};

use tensor::{Float, Tensor};

/// The stable identity of a parameter. Gradients and optimizer state are
/// keyed by it, so they find their parameter again at every step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId(u64);

impl ParamId {
    /// A fresh id, never handed out before in this process.
    fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        ParamId(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The id as a number (for display and checkpoints).
    pub fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for ParamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A trainable tensor with a stable [`ParamId`]: a weight matrix, a bias.
///
/// Parameters live in modules, not in the graph. Each forward pass brings
/// them into the graph with [`Graph::param`](crate::Graph::param), which
/// shares the storage (no copy); [`backward`](crate::Var::backward) returns
/// their gradients keyed by id; an optimizer then updates them in place.
///
/// Cloning a `Param` keeps its id: the clone is a snapshot of the same
/// parameter (as when saving the best weights so far), not a new one.
///
/// ```
/// use autograd::{Graph, Param};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([[1.0, 2.0]]));
/// let g = Graph::new();
/// let loss = g.param(&w).powi(2).sum(); // 1² + 2²
/// let grads = loss.backward();
/// assert_eq!(grads[&w].to_vec(), vec![2.0, 4.0]); // d/dw w² = 2w
/// let dw = &grads[&w];
/// w.value_mut().scaled_add(-0.5, dw); // one step of gradient descent: w -= 0.5 · dw
/// assert_eq!(w.value().to_vec(), vec![0.0, 0.0]);
/// ```
#[derive(Clone, Debug)]
pub struct Param<T: Float = f32> {
    id: ParamId,
    value: Tensor<T>,
}

impl<T: Float> Param<T> {
    /// A new parameter with a fresh id.
    pub fn new(value: Tensor<T>) -> Self {
        Param {
            id: ParamId::fresh(),
            value,
        }
    }

    /// Its stable id.
    pub fn id(&self) -> ParamId {
        self.id
    }

    /// Its current value.
    pub fn value(&self) -> &Tensor<T> {
        &self.value
    }

    /// Its value, for an in-place update. No copy is made as long as no
    /// graph still holds the parameter (a graph lets go of its parameters
    /// when `backward` finishes).
    pub fn value_mut(&mut self) -> &mut Tensor<T> {
        &mut self.value
    }

    /// Replaces the value, keeping the id (re-initialisation, loading).
    ///
    /// # Panics
    /// If the new value has a different shape.
    #[track_caller]
    pub fn set(&mut self, value: Tensor<T>) {
        if value.shape() != self.value.shape() {
            panic!(
                "Param::set: new value has shape {:?}, the parameter has shape {:?}",
                value.shape(),
                self.value.shape()
            );
        }
        self.value = value;
    }

    /// The shape of its value.
    pub fn shape(&self) -> &[usize] {
        self.value.shape()
    }

    /// The number of scalars it holds.
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether it holds no scalars.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}
