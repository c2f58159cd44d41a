//! The buffer pool: memory that one training step gives back and the next
//! one reuses.
//!
//! A training step makes the same tensors, of the same shapes, every time:
//! the activations of each layer on the way forward, their gradients on the
//! way back. Asking the allocator for each of them, and handing each back a
//! moment later, costs time (large blocks go back to the operating system
//! and come back as fresh pages that must be zeroed and faulted in). So the
//! graph keeps the buffers of values it no longer needs, and the operations
//! of the next step take their output buffers from there.
//!
//! - Operations that produce large results (matrix products, element-wise
//!   maps, their gradients) ask the pool for a buffer with [`Pool::take`].
//! - When a new pass starts, the values of the old pass are handed back;
//!   during `backward`, each intermediate gradient is handed back as soon as
//!   it has been used; when [`Gradients`](crate::Gradients) is dropped, the
//!   parameter gradients are handed back.
//! - A tensor is taken back only if nothing else shares its storage (a
//!   value the user kept with `Var::value` stays theirs).
//!
//! After the first step or two the pool holds one buffer for every tensor a
//! step makes, and a step allocates no large block at all.

use std::cell::RefCell;
use std::rc::Rc;

use tensor::{Float, Tensor};

/// At most this many free buffers are kept: a graph used with ever-changing
/// shapes must not hoard memory.
const MAX_FREE: usize = 256;

/// Free buffers, shared by a graph and the gradients it returns.
pub(crate) struct Pool<T: Float> {
    free: Rc<RefCell<Vec<Vec<T>>>>,
    /// How many buffers had to be freshly allocated (for tests).
    fresh: Rc<std::cell::Cell<usize>>,
}

impl<T: Float> Clone for Pool<T> {
    fn clone(&self) -> Self {
        Pool {
            free: Rc::clone(&self.free),
            fresh: Rc::clone(&self.fresh),
        }
    }
}

impl<T: Float> Pool<T> {
    pub(crate) fn new() -> Self {
        Pool {
            free: Rc::new(RefCell::new(Vec::new())),
            fresh: Rc::new(std::cell::Cell::new(0)),
        }
    }

    /// A tensor of `shape` whose numbers are left over from earlier use (or
    /// zeros, for fresh memory): for operations that overwrite every
    /// element. Takes the smallest free buffer that is large enough.
    // ANCHOR: take
    pub(crate) fn take(&self, shape: &[usize]) -> Tensor<T> {
        let n: usize = shape.iter().product();
        if n < MIN_LEN {
            return Tensor::zeros(shape);
        }
        let mut free = self.free.borrow_mut();
        // A buffer of exactly this length if there is one (a step asks for
        // the same shapes every time, and then nothing needs filling), or
        // else the smallest that is large enough.
        let best = free.iter().position(|b| b.len() == n).or_else(|| {
            free.iter()
                .enumerate()
                .filter(|(_, b)| b.capacity() >= n)
                .min_by_key(|(_, b)| b.capacity())
                .map(|(i, _)| i)
        });
        let mut buffer = match best {
            Some(i) => free.swap_remove(i),
            None => {
                self.fresh.set(self.fresh.get() + 1);
                Vec::with_capacity(n)
            }
        };
        drop(free);
        // Within capacity: no allocation; new elements are zeros.
        buffer.resize(n, T::zero());
        Tensor::from_vec(buffer, shape)
    }
    // ANCHOR_END: take

    /// A tensor of zeros of `shape`, from a pooled buffer.
    pub(crate) fn zeros(&self, shape: &[usize]) -> Tensor<T> {
        let mut t = self.take(shape);
        t.fill(T::zero());
        t
    }

    /// Takes `tensor`'s buffer back, if nothing else shares it and the pool
    /// is not full; otherwise just drops the tensor.
    // ANCHOR: give
    pub(crate) fn give(&self, tensor: Tensor<T>) {
        if tensor.len() < MIN_LEN {
            return;
        }
        if let Ok(buffer) = tensor.into_buffer() {
            let mut free = self.free.borrow_mut();
            if free.len() == MAX_FREE {
                // Full: let the oldest go, so that buffers of sizes no
                // longer asked for cannot crowd out the ones in use.
                free.remove(0);
            }
            free.push(buffer);
        }
    }
    // ANCHOR_END: give

    /// How many buffers the pool has allocated afresh so far (for tests).
    #[cfg(test)]
    pub(crate) fn fresh_allocations(&self) -> usize {
        self.fresh.get()
    }
}

/// Tensors smaller than this (4 KiB of f32) are not worth keeping: the
/// allocator serves small blocks quickly from its own free lists.
const MIN_LEN: usize = 1024;

#[cfg(test)]
mod tests {
    use tensor::Tensor;

    use crate::{Graph, Param};

    /// Training steps of a small MLP: after the first step, every buffer a
    /// step takes comes from the pool, and the pool stops growing.
    #[test]
    fn a_training_step_reuses_the_buffers_of_the_last() {
        // Every tensor of the step is large enough to be pooled.
        let w1 = Param::new(Tensor::<f64>::full([64, 64], 0.01));
        let w2 = Param::new(Tensor::<f64>::full([64, 32], 0.01));
        let x = Tensor::<f64>::full([40, 64], 1.0);
        let rows: Vec<usize> = (0..32).collect();
        let classes: Vec<usize> = (0..32).collect();
        let g = Graph::new();
        let mut sizes = Vec::new();
        for _ in 0..4 {
            let h = g.input_rows(&x, &rows).matmul(g.param(&w1)).relu();
            let loss = h.matmul(g.param(&w2)).softmax_cross_entropy(&classes);
            let grads = loss.backward();
            drop(grads);
            sizes.push(g.pool().fresh_allocations());
        }
        assert!(sizes[0] >= 5, "{sizes:?}");
        assert_eq!(sizes[1], sizes[3], "steps 3 and 4 allocate: {sizes:?}");
    }
}
