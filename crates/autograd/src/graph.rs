//! The tape: a Wengert list of nodes, and the variables that index it.
//!
//! Every operation appends one node (its operation, its parents, its value)
//! to a `Vec`. A node's parents were appended before it, so the order of
//! creation is already a topological order: `backward` is one walk from the
//! loss back to the start, with no graph search.

use std::cell::RefCell;
use std::fmt;

use tensor::{Float, Tensor};

use crate::op::Op;
use crate::pool::Pool;
use crate::{Gradients, Param, ParamId};

/// One entry of the tape.
pub(crate) struct Node<T: Float> {
    pub(crate) op: Op<T>,
    pub(crate) value: Tensor<T>,
    /// Whether a gradient must flow into this node: it is a leaf or a
    /// parameter, or one of its parents needs one.
    pub(crate) requires_grad: bool,
    /// Whether the value shares storage with a parameter (the parameter
    /// itself, or a transpose or reshape of it). Such values are released
    /// when `backward` finishes, so that the optimizer can update the
    /// parameter in place without a copy.
    pub(crate) aliases_param: bool,
}

pub(crate) struct Tape<T: Float> {
    pub(crate) nodes: Vec<Node<T>>,
    /// Class indices of `pick` nodes, stored once per tape, not per node.
    pub(crate) indices: Vec<usize>,
    /// Scratch space for backward: the gradient flowing into each node.
    pub(crate) grads: Vec<Option<Tensor<T>>>,
    /// Incremented each time the tape is cleared; variables remember theirs.
    pub(crate) pass: u32,
    /// Set by `backward`; the next recorded node starts a new pass.
    pub(crate) differentiated: bool,
    /// A zero-length tensor that replaces released values.
    pub(crate) released: Tensor<T>,
}

/// A computational graph, recorded as its operations run (define-by-run).
///
/// Make one graph and keep it: each training step records a forward pass
/// into it, [`Var::backward`] walks the pass back, and the next recorded
/// operation clears the tape (keeping its memory) and starts a new pass.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// // f = (x * y) + z with x = 100, y = 2, z = 50: the lecture's worked example.
/// let g = Graph::new();
/// let x = g.leaf(Tensor::scalar(100.0));
/// let y = g.leaf(Tensor::scalar(2.0));
/// let z = g.leaf(Tensor::scalar(50.0));
/// let f = x * y + z;
/// assert_eq!(f.item(), 250.0);
/// let grads = f.backward();
/// assert_eq!(grads.wrt(x).item(), 2.0); // multiplication swaps: df/dx = y
/// assert_eq!(grads.wrt(y).item(), 100.0); // df/dy = x
/// assert_eq!(grads.wrt(z).item(), 1.0); // addition distributes: df/dz = 1
/// ```
pub struct Graph<T: Float = f32> {
    tape: RefCell<Tape<T>>,
    /// Buffers of finished values and gradients, for the next pass.
    pool: Pool<T>,
    /// False for a graph made by [`Graph::inference`].
    records_backward: bool,
}

impl<T: Float> Default for Graph<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Float> fmt::Debug for Graph<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tape = self.tape.borrow();
        f.debug_struct("Graph")
            .field("nodes", &tape.nodes.len())
            .field("pass", &tape.pass)
            .field("records_backward", &self.records_backward)
            .finish()
    }
}

impl<T: Float> Graph<T> {
    /// An empty graph that records what backward needs.
    pub fn new() -> Self {
        Self::with_backward(true)
    }

    /// A graph for inference: operations compute their values but record no
    /// parents and keep nothing for a backward pass, and `backward` panics.
    ///
    /// ```
    /// use autograd::{Graph, Param};
    /// use tensor::Tensor;
    /// let w = Param::new(Tensor::from([[2.0]]));
    /// let g = Graph::inference();
    /// let y = g.input(Tensor::from([[3.0]])).matmul(g.param(&w));
    /// assert_eq!(y.item(), 6.0);
    /// assert!(!y.requires_grad());
    /// ```
    pub fn inference() -> Self {
        Self::with_backward(false)
    }

    fn with_backward(records_backward: bool) -> Self {
        Graph {
            tape: RefCell::new(Tape {
                nodes: Vec::new(),
                indices: Vec::new(),
                grads: Vec::new(),
                pass: 0,
                differentiated: false,
                released: Tensor::zeros([0]),
            }),
            pool: Pool::new(),
            records_backward,
        }
    }

    /// Whether this graph records backward information (false for
    /// [`Graph::inference`]).
    pub fn records_backward(&self) -> bool {
        self.records_backward
    }

    /// The number of nodes in the current pass.
    pub fn len(&self) -> usize {
        self.tape.borrow().nodes.len()
    }

    /// Whether the current pass has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts a new pass: forgets every node but keeps the memory of the
    /// tape. Variables of earlier passes can no longer be used. (Recording
    /// after `backward` does this by itself; call it to reuse an inference
    /// graph for the next batch.)
    pub fn clear(&self) {
        let mut tape = self.tape.borrow_mut();
        self.start_pass(&mut tape);
    }

    /// Forgets the nodes of the current pass, handing their values to the
    /// pool, and starts the next pass.
    fn start_pass(&self, tape: &mut Tape<T>) {
        for node in tape.nodes.drain(..) {
            self.pool.give(node.value);
        }
        tape.indices.clear();
        tape.pass = tape.pass.wrapping_add(1);
        tape.differentiated = false;
    }

    /// The buffer pool of this graph (see `pool.rs`).
    pub(crate) fn pool(&self) -> &Pool<T> {
        &self.pool
    }

    /// A constant input, such as a minibatch of data: no gradient flows into it.
    pub fn input(&self, value: Tensor<T>) -> Var<'_, T> {
        self.push(Op::Input, value, false, false)
    }

    /// A minibatch as a constant input: the rows `rows` of `data` (along
    /// axis 0, in that order), gathered into a buffer from the graph's pool.
    /// The same as `g.input(data.select_rows(rows))`, without allocating a
    /// fresh batch at every step.
    ///
    /// ```
    /// use autograd::Graph;
    /// use tensor::Tensor;
    /// let data = Tensor::from([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
    /// let g = Graph::new();
    /// let batch = g.input_rows(&data, &[2, 0]);
    /// assert_eq!(batch.value().to_vec(), vec![2.0, 2.0, 0.0, 0.0]);
    /// ```
    ///
    /// # Panics
    /// If `data` is 0-d or a row is out of range:
    /// `input_rows: row 12 out of range for 10 rows`.
    #[track_caller]
    pub fn input_rows(&self, data: &Tensor<T>, rows: &[usize]) -> Var<'_, T> {
        if data.ndim() == 0 {
            panic!("input_rows: a 0-d tensor has no rows");
        }
        let n = data.shape()[0];
        if let Some(&bad) = rows.iter().find(|&&r| r >= n) {
            panic!("input_rows: row {bad} out of range for {n} rows");
        }
        {
            // Hand the previous pass's buffers back before taking one.
            let mut tape = self.tape.borrow_mut();
            if tape.differentiated {
                self.start_pass(&mut tape);
            }
        }
        let mut shape = data.shape().to_vec();
        shape[0] = rows.len();
        let mut batch = self.pool.take(&shape);
        let row_len: usize = shape[1..].iter().product();
        match data.as_slice() {
            Some(all) => {
                let mut out = batch.view_mut();
                let out = out.as_slice_mut().expect("pooled tensors are row-major");
                for (dst, &r) in out.chunks_exact_mut(row_len.max(1)).zip(rows) {
                    dst.copy_from_slice(&all[r * row_len..(r + 1) * row_len]);
                }
            }
            None => batch = data.select_rows(rows),
        }
        self.input(batch)
    }

    /// A differentiable leaf: `backward` reports the gradient with respect to
    /// it, read with [`Gradients::wrt`].
    pub fn leaf(&self, value: Tensor<T>) -> Var<'_, T> {
        self.push(Op::Leaf, value, self.records_backward, false)
    }

    /// Brings a parameter into the graph. Its storage is shared, not copied;
    /// its gradient is reported under its [`ParamId`]. Using the same
    /// parameter twice gives a gradient that is the sum of both uses.
    pub fn param(&self, param: &Param<T>) -> Var<'_, T> {
        self.push(
            Op::Param(param.id()),
            param.value().clone(),
            self.records_backward,
            true,
        )
    }

    /// Appends a node; the one place where the tape grows.
    pub(crate) fn push(
        &self,
        op: Op<T>,
        value: Tensor<T>,
        requires_grad: bool,
        aliases_param: bool,
    ) -> Var<'_, T> {
        let mut tape = self.tape.borrow_mut();
        if tape.differentiated {
            // The previous pass was differentiated: this node starts a new one.
            self.start_pass(&mut tape);
        }
        let op = if self.records_backward {
            op
        } else {
            op.forget_parents()
        };
        let index = u32::try_from(tape.nodes.len()).expect("more than 2³² nodes in one pass");
        tape.nodes.push(Node {
            op,
            value,
            requires_grad: requires_grad && self.records_backward,
            aliases_param,
        });
        Var {
            graph: self,
            index,
            pass: tape.pass,
        }
    }

    /// Runs `f` on the node of `var`, after checking that `var` is current.
    #[track_caller]
    pub(crate) fn with_node<R>(
        &self,
        var: Var<'_, T>,
        f: impl FnOnce(&Node<T>, &Tape<T>) -> R,
    ) -> R {
        let tape = self.tape.borrow();
        check_current(&tape, var);
        let node = &tape.nodes[var.index as usize];
        f(node, &tape)
    }

    /// Appends class indices for a `pick` node; returns their range.
    pub(crate) fn store_indices(&self, indices: &[usize]) -> std::ops::Range<usize> {
        let mut tape = self.tape.borrow_mut();
        let start = tape.indices.len();
        tape.indices.extend_from_slice(indices);
        start..tape.indices.len()
    }

    pub(crate) fn id(&self) -> usize {
        self as *const Self as usize
    }

    /// The reverse walk. See [`Var::backward`].
    #[track_caller]
    pub(crate) fn backward(&self, root: Var<'_, T>) -> Gradients<T> {
        if !self.records_backward {
            panic!(
                "backward: this graph was made with Graph::inference() and records no backward information"
            );
        }
        let mut tape = self.tape.borrow_mut();
        check_current(&tape, root);
        if tape.differentiated {
            panic!(
                "backward: this pass has already been differentiated; record a new forward pass"
            );
        }
        let root_index = root.index as usize;
        let root_value = &tape.nodes[root_index].value;
        if root_value.len() != 1 {
            panic!(
                "backward: the loss must be a single number, got shape {:?}; reduce it with sum or mean first",
                root_value.shape()
            );
        }
        let mut out = Gradients::new((self.id(), tape.pass), self.pool.clone());
        let Tape {
            nodes,
            indices,
            grads,
            ..
        } = &mut *tape;
        grads.clear();
        grads.resize(root_index + 1, None);
        // The seed: d loss / d loss = 1.
        grads[root_index] = Some(Tensor::ones(nodes[root_index].value.shape()));
        for i in (0..=root_index).rev() {
            let Some(grad) = grads[i].take() else {
                continue;
            };
            let node = &nodes[i];
            if !node.requires_grad {
                continue;
            }
            match node.op {
                Op::Param(id) => out.add_param(id, grad),
                Op::Leaf => out.set_leaf(i as u32, grad),
                _ => {
                    crate::op::backward_node(node, &grad, nodes, indices, grads, &self.pool);
                    // Used up: its buffer serves the next gradient.
                    self.pool.give(grad);
                }
            }
        }
        // A leaf the loss does not reach still gets a gradient: zeros.
        for (i, node) in nodes.iter().enumerate() {
            if matches!(node.op, Op::Leaf) && !out.has_leaf(i as u32) {
                out.set_leaf(i as u32, Tensor::zeros(node.value.shape()));
            }
        }
        // Let go of the parameters (see `Node::aliases_param`).
        let released = tape.released.clone();
        for node in tape.nodes.iter_mut().filter(|n| n.aliases_param) {
            node.value = released.clone();
        }
        tape.differentiated = true;
        out
    }
}

#[track_caller]
fn check_current<T: Float>(tape: &Tape<T>, var: Var<'_, T>) {
    if var.pass != tape.pass {
        panic!(
            "this variable belongs to an earlier forward pass of its graph (a new pass starts after backward or clear); record it again"
        );
    }
}

/// A variable of a [`Graph`]: an index into its tape, `Copy` like a number.
///
/// Operations on variables record nodes and return new variables:
/// `x.matmul(w) + b`, `h.relu()`, `logits.log_softmax(1)`. Operators
/// `+ - * /` broadcast like tensors and also take a scalar on either side.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let x = g.leaf(Tensor::from([1.0, 2.0, 3.0]));
/// let y = (x * x).sum(); // gradients of a variable used twice add up: 2x
/// assert_eq!(y.backward().wrt(x).to_vec(), vec![2.0, 4.0, 6.0]);
/// ```
#[derive(Clone, Copy)]
pub struct Var<'g, T: Float = f32> {
    pub(crate) graph: &'g Graph<T>,
    pub(crate) index: u32,
    pub(crate) pass: u32,
}

impl<'g, T: Float> Var<'g, T> {
    /// The graph this variable belongs to: modules use it to bring their
    /// parameters in (`x.graph().param(&self.weight)`).
    pub fn graph(&self) -> &'g Graph<T> {
        self.graph
    }

    /// Its position on the tape.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Its value (a cheap clone that shares storage).
    ///
    /// # Panics
    /// If the variable belongs to an earlier pass, or it is a parameter
    /// (or a view of one) whose value was released by `backward`.
    #[track_caller]
    pub fn value(&self) -> Tensor<T> {
        let (value, released) = self.graph.with_node(*self, |node, tape| {
            let released = node.aliases_param && node.value.shares_storage_with(&tape.released);
            (node.value.clone(), released)
        });
        // Panic here, not in the closure: `#[track_caller]` does not reach into closures.
        if released {
            panic!(
                "value: this parameter's value was released by backward; read it from the Param"
            );
        }
        value
    }

    /// The single number of a one-element variable, such as a loss.
    ///
    /// # Panics
    /// If it does not hold exactly one element.
    #[track_caller]
    pub fn item(&self) -> T {
        self.value().item()
    }

    /// The shape of its value.
    #[track_caller]
    pub fn shape(&self) -> Vec<usize> {
        self.graph
            .with_node(*self, |node, _| node.value.shape().to_vec())
    }

    /// Whether a gradient flows into it (it depends on a leaf or parameter).
    #[track_caller]
    pub fn requires_grad(&self) -> bool {
        self.graph.with_node(*self, |node, _| node.requires_grad)
    }

    /// Back-propagation: the gradients of this single-number variable (the
    /// loss) with respect to every leaf and parameter it depends on.
    ///
    /// One reverse walk over the tape applies the chain rule at each node:
    /// the gradient flowing into a node is multiplied by the node's local
    /// gradient and *added* to each parent's. When it finishes, the graph
    /// releases the parameters it held, and the next recorded operation
    /// starts a new pass.
    ///
    /// # Panics
    /// If the variable has more than one element, if the pass was already
    /// differentiated, or if the graph is an inference graph.
    #[track_caller]
    pub fn backward(self) -> Gradients<T> {
        self.graph.backward(self)
    }

    pub(crate) fn origin(&self) -> (usize, u32) {
        (self.graph.id(), self.pass)
    }

    pub(crate) fn param_id(&self) -> Option<ParamId> {
        self.graph.with_node(*self, |node, _| match node.op {
            Op::Param(id) => Some(id),
            _ => None,
        })
    }
}

impl<T: Float> fmt::Debug for Var<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var({}, pass {})", self.index, self.pass)
    }
}
