//! The differentiable operations, as methods and operators on [`Var`].
//!
//! Each computes its value with the `tensor` crate and appends one node to
//! the tape; its gradient rule lives in `op.rs`. Shape errors are the
//! tensor crate's messages, reported at the caller's line.

use std::ops::{Add, Div, Mul, Neg, Sub};

use ndarray::{Ix2, IxDyn, Zip};
use tensor::{Float, Tensor};

use crate::Var;
use crate::op::Op;
use crate::pool::Pool;

/// `f` applied to every element of `x`, written into a buffer from the
/// pool instead of freshly allocated memory.
pub(crate) fn map_pooled<T: Float>(pool: &Pool<T>, x: &Tensor<T>, f: impl Fn(T) -> T) -> Tensor<T> {
    let mut y = pool.take(x.shape());
    if let Some(xs) = x.as_slice() {
        // Row-major input: one flat loop, which the compiler vectorises.
        let mut out = y.view_mut();
        let ys = out.as_slice_mut().expect("a pooled tensor is row-major");
        for (y, &x) in ys.iter_mut().zip(xs) {
            *y = f(x);
        }
    } else {
        Zip::from(y.view_mut())
            .and(x.view())
            .for_each(|y, &x| *y = f(x));
    }
    y
}

/// `f(a, b)` element-wise with broadcasting, into a pooled buffer.
///
/// Two shapes come up at every step and get a loop of their own: equal
/// shapes (one flat loop) and a matrix with a row vector, such as a batch
/// plus a bias (a loop per row). Anything else goes through ndarray's
/// general broadcasting.
///
/// # Panics
/// If the shapes do not broadcast (callers check first, with a message).
// ANCHOR: zip_pooled
pub(crate) fn zip_pooled<T: Float>(
    pool: &Pool<T>,
    a: &Tensor<T>,
    b: &Tensor<T>,
    f: impl Fn(T, T) -> T,
) -> Tensor<T> {
    let shape = tensor::broadcast_shape(a.shape(), b.shape()).expect("shapes were checked");
    let mut y = pool.take(&shape);
    if let (Some(xa), Some(xb)) = (a.as_slice(), b.as_slice()) {
        let mut out = y.view_mut();
        let ys = out.as_slice_mut().expect("a pooled tensor is row-major");
        let row = shape.last().copied().unwrap_or(1).max(1);
        if xa.len() == ys.len() && xb.len() == ys.len() {
            for ((y, &a), &b) in ys.iter_mut().zip(xa).zip(xb) {
                *y = f(a, b);
            }
            return y;
        }
        if xa.len() == ys.len() && xb.len() == row && b.ndim() <= 1 {
            for (ys, xa) in ys.chunks_exact_mut(row).zip(xa.chunks_exact(row)) {
                for ((y, &a), &b) in ys.iter_mut().zip(xa).zip(xb) {
                    *y = f(a, b);
                }
            }
            return y;
        }
        if xb.len() == ys.len() && xa.len() == row && a.ndim() <= 1 {
            for (ys, xb) in ys.chunks_exact_mut(row).zip(xb.chunks_exact(row)) {
                for ((y, &a), &b) in ys.iter_mut().zip(xa).zip(xb) {
                    *y = f(a, b);
                }
            }
            return y;
        }
    }
    let (av, bv) = (a.view(), b.view());
    let a = av.broadcast(IxDyn(&shape)).expect("broadcasts");
    let b = bv.broadcast(IxDyn(&shape)).expect("broadcasts");
    Zip::from(y.view_mut())
        .and(&a)
        .and(&b)
        .for_each(|y, &a, &b| *y = f(a, b));
    y
}
// ANCHOR_END: zip_pooled

/// The value and gradient flag of an operand about to be used by a new node.
#[track_caller]
fn operand<T: Float>(v: Var<'_, T>) -> (Tensor<T>, bool, bool) {
    let (value, requires_grad, aliases_param, differentiated) =
        v.graph.with_node(v, |node, tape| {
            (
                node.value.clone(),
                node.requires_grad,
                node.aliases_param,
                tape.differentiated,
            )
        });
    // Panic here, not in the closure: `#[track_caller]` does not reach into closures.
    if differentiated {
        panic!(
            "this variable belongs to a forward pass that backward has already used; record a new forward pass"
        );
    }
    (value, requires_grad, aliases_param)
}

#[track_caller]
fn same_graph<T: Float>(op: &str, a: Var<'_, T>, b: Var<'_, T>) {
    if !std::ptr::eq(a.graph, b.graph) {
        panic!("{op}: the two variables belong to different graphs");
    }
}

// The operators `+ - * /` and unary `-` are implemented too (at the end of
// this file); the named methods are the same operations, for method chains.
#[allow(clippy::should_implement_trait)]
impl<'g, T: Float> Var<'g, T> {
    /// An element-wise function of one variable; its value goes into a
    /// pooled buffer.
    #[track_caller]
    fn map(self, op: Op<T>, f: impl Fn(T) -> T) -> Var<'g, T> {
        let (x, rg, _) = operand(self);
        let y = map_pooled(self.graph.pool(), &x, f);
        drop(x);
        self.graph.push(op, y, rg, false)
    }

    #[track_caller]
    fn unary(self, op: Op<T>, f: impl FnOnce(&Tensor<T>) -> Tensor<T>) -> Var<'g, T> {
        let (x, rg, _) = operand(self);
        let y = f(&x);
        self.graph.push(op, y, rg, false)
    }

    /// A node whose value is a view of its input's storage (transpose,
    /// reshape): it aliases a parameter if its input does.
    #[track_caller]
    fn view_op(self, op: Op<T>, f: impl FnOnce(&Tensor<T>) -> Tensor<T>) -> Var<'g, T> {
        let (x, rg, alias) = operand(self);
        let y = f(&x);
        let alias = alias && y.shares_storage_with(&x);
        self.graph.push(op, y, rg, alias)
    }

    #[track_caller]
    fn binary(self, other: Var<'g, T>, name: &str, op: Op<T>, f: impl Fn(T, T) -> T) -> Var<'g, T> {
        same_graph(name, self, other);
        let (a, ra, _) = operand(self);
        let (b, rb, _) = operand(other);
        check_broadcast(name, &a, &b);
        let value = zip_pooled(self.graph.pool(), &a, &b, f);
        self.graph.push(op, value, ra || rb, false)
    }

    /// `self + other`, element-wise with broadcasting (also the `+` operator).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn add(self, other: Var<'g, T>) -> Var<'g, T> {
        self.binary(other, "add", Op::Add(self.index, other.index), |a, b| a + b)
    }

    /// `self − other`, element-wise with broadcasting (also `-`).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn sub(self, other: Var<'g, T>) -> Var<'g, T> {
        self.binary(other, "sub", Op::Sub(self.index, other.index), |a, b| a - b)
    }

    /// `self ⊙ other`, element-wise with broadcasting (also `*`).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn mul(self, other: Var<'g, T>) -> Var<'g, T> {
        self.binary(other, "mul", Op::Mul(self.index, other.index), |a, b| a * b)
    }

    /// `self / other`, element-wise with broadcasting (also `/`).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn div(self, other: Var<'g, T>) -> Var<'g, T> {
        self.binary(other, "div", Op::Div(self.index, other.index), |a, b| a / b)
    }

    /// `−self` (also unary `-`).
    #[track_caller]
    pub fn neg(self) -> Var<'g, T> {
        self.map(Op::Neg(self.index), |x| -x)
    }

    /// `self + c` for a number `c` (also `x + c` and `c + x`).
    #[track_caller]
    pub fn add_scalar(self, c: T) -> Var<'g, T> {
        self.map(Op::AddScalar(self.index), |x| x + c)
    }

    /// `c · self` for a number `c` (also `x * c` and `c * x`).
    #[track_caller]
    pub fn mul_scalar(self, c: T) -> Var<'g, T> {
        self.map(Op::MulScalar(self.index, c), |x| x * c)
    }

    /// Multiplies element-wise by a constant mask (no gradient flows into
    /// the mask): dropout zeroes units this way.
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn mul_mask(self, mask: &Tensor<T>) -> Var<'g, T> {
        let (a, ..) = operand(self);
        check_broadcast("mul_mask", &a, mask);
        let m = self.graph.input(mask.clone());
        self.binary(m, "mul_mask", Op::Mul(self.index, m.index), |a, b| a * b)
    }

    /// The matrix product of two 2-d variables: `[m, k] x [k, n] -> [m, n]`,
    /// e.g. a minibatch `[batch, in]` times weights `[in, out]`.
    ///
    /// # Panics
    /// If an operand is not 2-d, or the inner dimensions differ:
    /// `matmul: inner dimensions differ: [128, 784] x [256, 10]`.
    #[track_caller]
    pub fn matmul(self, other: Var<'g, T>) -> Var<'g, T> {
        same_graph("matmul", self, other);
        let (a, ra, _) = operand(self);
        let (b, rb, _) = operand(other);
        if a.ndim() != 2 || b.ndim() != 2 {
            panic!(
                "matmul: expects 2-d variables, got {:?} x {:?}",
                a.shape(),
                b.shape()
            );
        }
        let (m, k, n) = (a.shape()[0], a.shape()[1], b.shape()[1]);
        if k != b.shape()[0] {
            panic!(
                "matmul: inner dimensions differ: {:?} x {:?}",
                a.shape(),
                b.shape()
            );
        }
        // Into a pooled buffer (no fresh allocation per step).
        let mut y = self.graph.pool().take(&[m, n]);
        a.matmul_into(&b, T::one(), T::zero(), &mut y);
        drop((a, b));
        self.graph
            .push(Op::MatMul(self.index, other.index), y, ra || rb, false)
    }

    /// The affine map `self · w + b` of a batch `[m, k]`, weights `[k, n]`
    /// and a bias `[n]`, as one node: the same numbers as
    /// `self.matmul(w) + b`, with the bias added in place to the product
    /// instead of into a third buffer (`layers::Linear` uses it).
    ///
    /// ```
    /// use autograd::Graph;
    /// use tensor::Tensor;
    /// let g = Graph::new();
    /// let x = g.leaf(Tensor::<f64>::from([[1.0, 2.0], [3.0, 4.0]]));
    /// let w = g.leaf(Tensor::from([[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]]));
    /// let b = g.leaf(Tensor::from([0.1, 0.2, 0.3]));
    /// let y = x.affine(w, b);
    /// assert_eq!(y.value(), (x.matmul(w) + b).value());
    /// let grads = y.sum().backward();
    /// assert_eq!(grads.wrt(b).to_vec(), vec![2.0, 2.0, 2.0]); // one per row
    /// ```
    ///
    /// # Panics
    /// If the shapes are not `[m, k]`, `[k, n]` and `[n]`:
    /// `affine: bias [5] does not fit x [2, 3] · w [3, 4]`.
    #[track_caller]
    pub fn affine(self, w: Var<'g, T>, b: Var<'g, T>) -> Var<'g, T> {
        same_graph("affine", self, w);
        same_graph("affine", self, b);
        let (x, rx, _) = operand(self);
        let (wv, rw, _) = operand(w);
        let (bv, rb, _) = operand(b);
        let (xs, ws, bs) = (x.shape(), wv.shape(), bv.shape());
        if xs.len() != 2 || ws.len() != 2 || xs[1] != ws[0] {
            panic!("affine: expects x [m, k] and w [k, n], got {xs:?} and {ws:?}");
        }
        if bs != [ws[1]] {
            panic!("affine: bias {bs:?} does not fit x {xs:?} · w {ws:?}");
        }
        let mut y = self.graph.pool().take(&[xs[0], ws[1]]);
        x.matmul_into(&wv, T::one(), T::zero(), &mut y);
        {
            // y += b, row by row: the addition `matmul(w) + b` would make.
            let mut out = y.view_mut();
            let rows = out.as_slice_mut().expect("a pooled tensor is row-major");
            let copy;
            let bias = match bv.as_slice() {
                Some(bias) => bias,
                None => {
                    copy = bv.to_vec();
                    &copy[..]
                }
            };
            for row in rows.chunks_exact_mut(bias.len().max(1)) {
                for (y, &b) in row.iter_mut().zip(bias) {
                    *y += b;
                }
            }
        }
        drop((x, wv, bv));
        self.graph.push(
            Op::Affine {
                x: self.index,
                w: w.index,
                b: b.index,
            },
            y,
            rx || rw || rb,
            false,
        )
    }

    /// The transpose (axes reversed; a matrix `[m, n]` becomes `[n, m]`).
    #[track_caller]
    pub fn t(self) -> Var<'g, T> {
        self.view_op(Op::Transpose(self.index), Tensor::t)
    }

    /// The same elements under a new shape.
    ///
    /// # Panics
    /// If the element counts differ.
    #[track_caller]
    pub fn reshape(self, shape: impl AsRef<[usize]>) -> Var<'g, T> {
        let (x, requires_grad, aliases_param) = operand(self);
        let y = x.reshape(shape);
        let aliases_param = aliases_param && y.shares_storage_with(&x);
        self.graph
            .push(Op::Reshape(self.index), y, requires_grad, aliases_param)
    }

    /// The sum of all elements (a 0-d variable).
    #[track_caller]
    pub fn sum(self) -> Var<'g, T> {
        self.unary(Op::Sum(self.index), |x| Tensor::scalar(x.sum()))
    }

    /// Sums along `axis`, removing it.
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn sum_axis(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.sum_axis(axis);
        self.graph.push(
            Op::SumAxis {
                x: self.index,
                axis,
                keepdims: false,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// Sums along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn sum_keepdims(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.sum_keepdims(axis);
        self.graph.push(
            Op::SumAxis {
                x: self.index,
                axis,
                keepdims: true,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// The mean of all elements (a 0-d variable).
    ///
    /// # Panics
    /// If the variable is empty.
    #[track_caller]
    pub fn mean(self) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = Tensor::scalar(x.mean());
        self.graph
            .push(Op::Mean(self.index), y, requires_grad, false)
    }

    /// Averages along `axis`, removing it.
    ///
    /// # Panics
    /// If `axis` is out of range or empty.
    #[track_caller]
    pub fn mean_axis(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.mean_axis(axis);
        self.graph.push(
            Op::MeanAxis {
                x: self.index,
                axis,
                keepdims: false,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// Averages along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis` is out of range or empty.
    #[track_caller]
    pub fn mean_keepdims(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.mean_keepdims(axis);
        self.graph.push(
            Op::MeanAxis {
                x: self.index,
                axis,
                keepdims: true,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// The largest element along `axis`, removing it; its gradient goes to
    /// that element alone.
    ///
    /// # Panics
    /// If `axis` is out of range or empty.
    #[track_caller]
    pub fn max_axis(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.max_axis(axis);
        self.graph.push(
            Op::MaxAxis {
                x: self.index,
                axis,
                keepdims: false,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// The largest element along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis` is out of range or empty.
    #[track_caller]
    pub fn max_keepdims(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.max_keepdims(axis);
        self.graph.push(
            Op::MaxAxis {
                x: self.index,
                axis,
                keepdims: true,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// eˣ, element-wise.
    #[track_caller]
    pub fn exp(self) -> Var<'g, T> {
        self.map(Op::Exp(self.index), T::exp)
    }

    /// ln x, element-wise.
    #[track_caller]
    pub fn log(self) -> Var<'g, T> {
        self.map(Op::Log(self.index), T::ln)
    }

    /// √x, element-wise.
    #[track_caller]
    pub fn sqrt(self) -> Var<'g, T> {
        self.map(Op::Sqrt(self.index), T::sqrt)
    }

    /// xⁿ for an integer `n`, element-wise.
    #[track_caller]
    pub fn powi(self, n: i32) -> Var<'g, T> {
        self.map(Op::Powi(self.index, n), |x| x.powi(n))
    }

    /// xᵖ for a real `p`, element-wise.
    #[track_caller]
    pub fn powf(self, p: T) -> Var<'g, T> {
        self.map(Op::Powf(self.index, p), |x| x.powf(p))
    }

    /// |x|, element-wise.
    #[track_caller]
    pub fn abs(self) -> Var<'g, T> {
        self.map(Op::Abs(self.index), T::abs)
    }

    /// ReLU: max(0, x), element-wise.
    #[track_caller]
    pub fn relu(self) -> Var<'g, T> {
        self.map(Op::Relu(self.index), tensor::relu)
    }

    /// Leaky ReLU: x for x > 0, `slope`·x otherwise.
    #[track_caller]
    pub fn leaky_relu(self, slope: T) -> Var<'g, T> {
        self.map(Op::LeakyRelu(self.index, slope), |v| {
            if v > T::zero() { v } else { slope * v }
        })
    }

    /// The logistic sigmoid 1 / (1 + e⁻ˣ), element-wise.
    #[track_caller]
    pub fn sigmoid(self) -> Var<'g, T> {
        self.map(Op::Sigmoid(self.index), tensor::sigmoid)
    }

    /// softplus(x) = ln(1 + eˣ), element-wise: a smooth ReLU whose
    /// derivative is σ(x). Computed as max(x, 0) + ln(1 + e^−|x|), so that it
    /// neither overflows for large x nor loses small values for negative x.
    #[track_caller]
    pub fn softplus(self) -> Var<'g, T> {
        self.map(Op::Softplus(self.index), |v| {
            v.max(T::zero()) + (-v.abs()).exp().ln_1p()
        })
    }

    /// tanh x, element-wise.
    #[track_caller]
    pub fn tanh(self) -> Var<'g, T> {
        self.map(Op::Tanh(self.index), T::tanh)
    }

    /// The step function: 1 for x > 0, else 0. Its gradient is zero
    /// everywhere it exists.
    #[track_caller]
    pub fn step(self) -> Var<'g, T> {
        self.unary(Op::Step(self.index), |x| x.gt_scalar(T::zero()))
    }

    /// Limits every element to `[min, max]`; the gradient passes only where
    /// the input was inside.
    ///
    /// # Panics
    /// If `min > max`.
    #[track_caller]
    pub fn clamp(self, min: T, max: T) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        let y = x.clamp(min, max);
        self.graph
            .push(Op::Clamp(self.index, min, max), y, requires_grad, false)
    }

    /// Softmax along `axis`: e^(xᵢ) / Σⱼ e^(xⱼ), computed after subtracting
    /// the largest element so that no exponential overflows.
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn softmax(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_axis(&x, "softmax", axis);
        let e = (&x - &x.max_keepdims(axis)).exp();
        let y = &e / &e.sum_keepdims(axis);
        self.graph.push(
            Op::Softmax {
                x: self.index,
                axis,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// Log-softmax along `axis`: xᵢ − log Σⱼ e^(xⱼ), stable for logits as
    /// large as ±1000.
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn log_softmax(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_axis(&x, "log_softmax", axis);
        let y = &x - &logsumexp_keepdims(&x, axis);
        self.graph.push(
            Op::LogSoftmax {
                x: self.index,
                axis,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// log Σ e^(x) along `axis`, removing it; stable (the largest element
    /// is taken out before exponentiating).
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn logsumexp(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_axis(&x, "logsumexp", axis);
        let y = logsumexp_keepdims(&x, axis).sum_axis(axis);
        self.graph.push(
            Op::LogSumExp {
                x: self.index,
                axis,
                keepdims: false,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// log Σ e^(x) along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis` is out of range.
    #[track_caller]
    pub fn logsumexp_keepdims(self, axis: usize) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_axis(&x, "logsumexp_keepdims", axis);
        let y = logsumexp_keepdims(&x, axis);
        self.graph.push(
            Op::LogSumExp {
                x: self.index,
                axis,
                keepdims: true,
            },
            y,
            requires_grad,
            false,
        )
    }

    /// Picks one entry per row: `y[i] = x[i, classes[i]]` for a `[batch,
    /// classes]` variable, giving `[batch]`. With log-probabilities and the
    /// true classes, `-x.pick(labels).mean()` is the negative log-likelihood.
    ///
    /// # Panics
    /// If `x` is not 2-d, `classes` has the wrong length, or a class is out
    /// of range: `pick: class 7 out of range for 3 columns (row 2)`.
    #[track_caller]
    pub fn pick(self, classes: &[usize]) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_classes("pick", &x, classes);
        let rows = x.shape()[0];
        let view = x.view();
        let y: Vec<T> = classes
            .iter()
            .enumerate()
            .map(|(i, &c)| view[[i, c]])
            .collect();
        let range = self.graph.store_indices(classes);
        self.graph.push(
            Op::Pick {
                x: self.index,
                classes: range,
            },
            Tensor::from_vec(y, [rows]),
            requires_grad,
            false,
        )
    }

    /// The mean softmax cross-entropy of logits `[batch, classes]` against
    /// the true classes, as one node: the same number as
    /// `-self.log_softmax(1).pick(classes).mean()`, recorded as one step
    /// instead of four. Its backward is the textbook
    /// `(softmax(x) − onehot(c)) / N`: one pass over the logits, where the
    /// four separate nodes would each allocate and walk a `[batch, classes]`
    /// gradient. (`losses::cross_entropy` uses it.)
    ///
    /// ```
    /// use autograd::Graph;
    /// use tensor::Tensor;
    /// let g = Graph::new();
    /// let x = g.leaf(Tensor::<f64>::from([[2.0, 0.0], [0.0, 0.0]]));
    /// let fused = x.softmax_cross_entropy(&[0, 1]);
    /// let four_nodes = -x.log_softmax(1).pick(&[0, 1]).mean();
    /// assert!((fused.item() - four_nodes.item()).abs() < 1e-12);
    /// let dx = fused.backward().wrt(x).clone();
    /// let p = 2f64.exp() / (2f64.exp() + 1.0); // softmax of row 0, class 0
    /// assert!((dx.at([0, 0]) - (p - 1.0) / 2.0).abs() < 1e-12); // (p − 1)/N
    /// assert!((dx.at([1, 1]) - (0.5 - 1.0) / 2.0).abs() < 1e-12);
    /// ```
    ///
    /// # Panics
    /// As [`Var::pick`]: if `x` is not 2-d, `classes` has the wrong length,
    /// or a class is out of range; and if the batch is empty.
    #[track_caller]
    pub fn softmax_cross_entropy(self, classes: &[usize]) -> Var<'g, T> {
        let (x, requires_grad, _) = operand(self);
        check_classes("softmax_cross_entropy", &x, classes);
        if classes.is_empty() {
            panic!("softmax_cross_entropy: the mean over an empty batch is undefined");
        }
        let (rows, cols) = (x.shape()[0], x.shape()[1]);
        let logits = x.view().into_dimensionality::<Ix2>().expect("checked 2-d");
        // log p = x − logsumexp(x), row by row, with the same roundings as
        // `log_softmax`; kept for backward, which needs p = e^(log p).
        let mut log_p = self.graph.pool().take(&[rows, cols]);
        let mut losses = Vec::with_capacity(rows);
        {
            let mut out = log_p.view_mut().into_dimensionality::<Ix2>().expect("2-d");
            let mut e = vec![T::zero(); cols];
            for ((row, mut out), &c) in logits.rows().into_iter().zip(out.rows_mut()).zip(classes) {
                // logsumexp = m + log Σ e^(x − m), m the row's largest element.
                let m = row.fold(
                    T::neg_infinity(),
                    |a, &b| if b > a || b.is_nan() { b } else { a },
                );
                Zip::from(&mut e[..])
                    .and(&row)
                    .for_each(|e, &v| *e = (v - m).exp());
                let lse = ndarray::ArrayView1::from(&e[..]).sum().ln() + m;
                Zip::from(&mut out).and(&row).for_each(|o, &v| *o = v - lse);
                losses.push(-out[c]);
            }
        }
        let loss = ndarray::ArrayView1::from(&losses[..]).sum() / T::from_usize(rows);
        drop(x);
        // A hidden input node holds log p for backward.
        let log_p = self.graph.input(log_p);
        let range = self.graph.store_indices(classes);
        self.graph.push(
            Op::SoftmaxCrossEntropy {
                x: self.index,
                log_p: log_p.index,
                classes: range,
            },
            Tensor::scalar(loss),
            requires_grad,
            false,
        )
    }
}

/// The checks of `pick` and `softmax_cross_entropy`: `x` is `[rows, cols]`,
/// with one class in `0..cols` per row.
#[track_caller]
fn check_classes<T: Float>(op: &str, x: &Tensor<T>, classes: &[usize]) {
    if x.ndim() != 2 {
        panic!(
            "{op}: expects a 2-d [batch, classes] variable, got {:?}",
            x.shape()
        );
    }
    let (rows, cols) = (x.shape()[0], x.shape()[1]);
    if classes.len() != rows {
        panic!(
            "{op}: {} class indices for {rows} rows (shape {:?})",
            classes.len(),
            x.shape()
        );
    }
    if let Some((row, &c)) = classes.iter().enumerate().find(|&(_, &c)| c >= cols) {
        panic!("{op}: class {c} out of range for {cols} columns (row {row})");
    }
}

/// log Σ e^x along `axis` with the axis kept: m + log Σ e^(x − m), m the
/// largest element, so the largest exponent is e⁰ = 1.
fn logsumexp_keepdims<T: Float>(x: &Tensor<T>, axis: usize) -> Tensor<T> {
    let m = x.max_keepdims(axis);
    (x - &m).exp().sum_keepdims(axis).log() + m
}

#[track_caller]
fn check_axis<T: Float>(x: &Tensor<T>, op: &str, axis: usize) {
    if axis >= x.ndim() {
        panic!(
            "{op}: axis {axis} out of range for a tensor of shape {:?}",
            x.shape()
        );
    }
}

#[track_caller]
fn check_broadcast<T: Float>(op: &str, a: &Tensor<T>, b: &Tensor<T>) {
    if tensor::broadcast_shape(a.shape(), b.shape()).is_none() {
        panic!(
            "{op}: shapes {:?} and {:?} cannot be broadcast together",
            a.shape(),
            b.shape()
        );
    }
}

// ----- operators ------------------------------------------------------------

macro_rules! var_operator {
    ($Trait:ident, $method:ident) => {
        impl<'g, T: Float> $Trait for Var<'g, T> {
            type Output = Var<'g, T>;
            #[track_caller]
            fn $method(self, rhs: Var<'g, T>) -> Var<'g, T> {
                Var::$method(self, rhs)
            }
        }
    };
}
var_operator!(Add, add);
var_operator!(Sub, sub);
var_operator!(Mul, mul);
var_operator!(Div, div);

impl<'g, T: Float> Neg for Var<'g, T> {
    type Output = Var<'g, T>;
    #[track_caller]
    fn neg(self) -> Var<'g, T> {
        Var::neg(self)
    }
}

impl<'g, T: Float> Add<T> for Var<'g, T> {
    type Output = Var<'g, T>;
    #[track_caller]
    fn add(self, c: T) -> Var<'g, T> {
        self.add_scalar(c)
    }
}

impl<'g, T: Float> Sub<T> for Var<'g, T> {
    type Output = Var<'g, T>;
    #[track_caller]
    fn sub(self, c: T) -> Var<'g, T> {
        self.add_scalar(-c)
    }
}

impl<'g, T: Float> Mul<T> for Var<'g, T> {
    type Output = Var<'g, T>;
    #[track_caller]
    fn mul(self, c: T) -> Var<'g, T> {
        self.mul_scalar(c)
    }
}

impl<'g, T: Float> Div<T> for Var<'g, T> {
    type Output = Var<'g, T>;
    #[track_caller]
    fn div(self, c: T) -> Var<'g, T> {
        self.mul_scalar(T::one() / c)
    }
}

macro_rules! scalar_lhs {
    ($t:ty) => {
        impl<'g> Add<Var<'g, $t>> for $t {
            type Output = Var<'g, $t>;
            #[track_caller]
            fn add(self, x: Var<'g, $t>) -> Var<'g, $t> {
                x.add_scalar(self)
            }
        }
        impl<'g> Sub<Var<'g, $t>> for $t {
            type Output = Var<'g, $t>;
            #[track_caller]
            fn sub(self, x: Var<'g, $t>) -> Var<'g, $t> {
                x.neg().add_scalar(self)
            }
        }
        impl<'g> Mul<Var<'g, $t>> for $t {
            type Output = Var<'g, $t>;
            #[track_caller]
            fn mul(self, x: Var<'g, $t>) -> Var<'g, $t> {
                x.mul_scalar(self)
            }
        }
        impl<'g> Div<Var<'g, $t>> for $t {
            type Output = Var<'g, $t>;
            #[track_caller]
            fn div(self, x: Var<'g, $t>) -> Var<'g, $t> {
                x.powi(-1).mul_scalar(self)
            }
        }
    };
}
scalar_lhs!(f32);
scalar_lhs!(f64);
