//! Every operation the tape knows, and every local gradient rule, in one
//! place.
//!
//! Notation in the comments: `y` is the node's output, `x` (or `a`, `b`) its
//! inputs, `dy` the gradient of the loss with respect to `y` (flowing in
//! from above), `dx` what this node adds to its input's gradient. The chain
//! rule at every node reads dx = dy · ∂y/∂x, with the product taken in the
//! way the shapes require.

use std::ops::Range;

use ndarray::{Axis, Ix2, IxDyn, Zip};
use tensor::{Float, Tensor};

use crate::ParamId;
use crate::graph::Node;
use crate::ops::{map_pooled, zip_pooled};
use crate::pool::Pool;
use crate::unbroadcast::unbroadcast;

/// A recorded operation with the tape indices of its inputs.
#[derive(Clone, Debug)]
pub(crate) enum Op<T: Float> {
    /// Data: no gradient.
    Input,
    /// A differentiable leaf.
    Leaf,
    /// A parameter, by id.
    Param(ParamId),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    Neg(u32),
    AddScalar(u32),
    MulScalar(u32, T),
    MatMul(u32, u32),
    /// `x W + b`: a matrix product and a bias row in one node.
    Affine {
        x: u32,
        w: u32,
        b: u32,
    },
    Transpose(u32),
    Reshape(u32),
    Sum(u32),
    SumAxis {
        x: u32,
        axis: usize,
        keepdims: bool,
    },
    Mean(u32),
    MeanAxis {
        x: u32,
        axis: usize,
        keepdims: bool,
    },
    MaxAxis {
        x: u32,
        axis: usize,
        keepdims: bool,
    },
    Exp(u32),
    Log(u32),
    Sqrt(u32),
    Powi(u32, i32),
    Powf(u32, T),
    Abs(u32),
    Relu(u32),
    LeakyRelu(u32, T),
    Sigmoid(u32),
    Softplus(u32),
    Tanh(u32),
    Step(u32),
    Clamp(u32, T, T),
    Softmax {
        x: u32,
        axis: usize,
    },
    LogSoftmax {
        x: u32,
        axis: usize,
    },
    LogSumExp {
        x: u32,
        axis: usize,
        keepdims: bool,
    },
    /// `y[i] = x[i, classes[i]]`; the classes are stored in the tape.
    Pick {
        x: u32,
        classes: Range<usize>,
    },
    /// The mean softmax cross-entropy of logits `x` `[batch, classes]`
    /// against the true classes (stored in the tape): log_softmax, pick,
    /// negate and mean fused into one node.
    SoftmaxCrossEntropy {
        x: u32,
        /// A hidden input node holding log softmax(x), saved by forward.
        log_p: u32,
        classes: Range<usize>,
    },
}

impl<T: Float> Op<T> {
    /// The same node with no link to its inputs (for inference graphs).
    pub(crate) fn forget_parents(self) -> Self {
        match self {
            Op::Param(id) => Op::Param(id),
            Op::Leaf => Op::Leaf,
            _ => Op::Input,
        }
    }
}

/// Adds `grad` into the gradient slot of tape entry `i` — *adds*, never
/// assigns: a variable used twice receives the sum of both contributions.
fn accumulate<T: Float>(
    grads: &mut [Option<Tensor<T>>],
    nodes: &[Node<T>],
    pool: &Pool<T>,
    i: u32,
    grad: Tensor<T>,
) {
    let i = i as usize;
    if !nodes[i].requires_grad {
        return;
    }
    match &mut grads[i] {
        Some(sum) => {
            *sum += &grad;
            pool.give(grad);
        }
        slot @ None => *slot = Some(grad),
    }
}

/// `dy` broadcast back to `shape` (an owned copy): the gradient of a
/// reduction spreads its upstream gradient over the reduced elements.
fn expand<T: Float>(dy: &Tensor<T>, shape: &[usize]) -> Tensor<T> {
    let view = dy.view();
    let b = view
        .broadcast(IxDyn(shape))
        .expect("reduced shape broadcasts back");
    Tensor::from_array(b.to_owned())
}

/// `dy` of a reduction along `axis`, with the axis restored (length 1).
fn restore_axis<T: Float>(dy: &Tensor<T>, axis: usize, keepdims: bool) -> Tensor<T> {
    if keepdims {
        dy.clone()
    } else {
        dy.keep_axis(axis)
    }
}

/// Applies the local gradient rule of one node: reads the gradient `dy`
/// flowing into it and adds each input's share into `grads`.
pub(crate) fn backward_node<T: Float>(
    node: &Node<T>,
    dy: &Tensor<T>,
    nodes: &[Node<T>],
    indices: &[usize],
    grads: &mut [Option<Tensor<T>>],
    pool: &Pool<T>,
) {
    let value = |i: u32| &nodes[i as usize].value;
    let needs = |i: u32| nodes[i as usize].requires_grad;
    let y = &node.value;
    let mut add = |i: u32, g: Tensor<T>| accumulate(grads, nodes, pool, i, g);
    // f(dy, x) element-wise, into a pooled buffer: most local gradients.
    // (A macro, not a closure taking `&dyn Fn`: a call through a function
    // pointer per element would stop the compiler from vectorising the loop.)
    macro_rules! zip {
        ($a:expr, $b:expr, $f:expr) => {
            zip_pooled(pool, $a, $b, $f)
        };
    }
    match node.op {
        Op::Input | Op::Leaf | Op::Param(_) => {}

        // y = a + b. Addition distributes: da = dy, db = dy (each summed
        // over the axes it was broadcast along).
        Op::Add(a, b) => {
            add(a, unbroadcast(dy, value(a).shape()));
            add(b, unbroadcast(dy, value(b).shape()));
        }
        // y = a − b:  da = dy,  db = −dy.
        Op::Sub(a, b) => {
            add(a, unbroadcast(dy, value(a).shape()));
            if needs(b) {
                add(
                    b,
                    unbroadcast(&map_pooled(pool, dy, |d| -d), value(b).shape()),
                );
            }
        }
        // y = a ⊙ b. Multiplication swaps: da = dy ⊙ b, db = dy ⊙ a.
        Op::Mul(a, b) => {
            if needs(a) {
                add(
                    a,
                    unbroadcast(&zip!(dy, value(b), |d, b| d * b), value(a).shape()),
                );
            }
            if needs(b) {
                add(
                    b,
                    unbroadcast(&zip!(dy, value(a), |d, a| d * a), value(b).shape()),
                );
            }
        }
        // y = a / b:  da = dy / b,  db = −dy ⊙ a / b² = −dy ⊙ y / b.
        Op::Div(a, b) => {
            if needs(a) {
                add(a, unbroadcast(&(dy / value(b)), value(a).shape()));
            }
            if needs(b) {
                add(b, unbroadcast(&-(dy * y / value(b)), value(b).shape()));
            }
        }
        // y = −x:  dx = −dy.
        Op::Neg(x) => add(x, map_pooled(pool, dy, |d| -d)),
        // y = x + c:  dx = dy.
        Op::AddScalar(x) => add(x, dy.clone()),
        // y = c·x:  dx = c·dy.
        Op::MulScalar(x, c) => add(x, map_pooled(pool, dy, |d| d * c)),

        // Y = A B with A [m, k], B [k, n]:  dA = dY Bᵀ,  dB = Aᵀ dY.
        // Each is the only product whose shape fits: dA must be [m, k].
        // Y = X W + b (affine) has the same two, and db = Σ_rows dY (the
        // bias was added to every row).
        Op::MatMul(a, b) | Op::Affine { x: a, w: b, .. } => {
            if needs(a) {
                let (m, k) = (dy.shape()[0], value(b).shape()[0]);
                let mut da = pool.take(&[m, k]);
                dy.matmul_into(&value(b).t(), T::one(), T::zero(), &mut da);
                add(a, da);
            }
            if needs(b) {
                let (k, n) = (value(a).shape()[1], dy.shape()[1]);
                let mut db = pool.take(&[k, n]);
                value(a).t().matmul_into(dy, T::one(), T::zero(), &mut db);
                add(b, db);
            }
            if let Op::Affine { b: bias, .. } = node.op
                && needs(bias)
            {
                add(bias, unbroadcast(dy, value(bias).shape()));
            }
        }
        // Y = Xᵀ:  dX = dYᵀ.
        Op::Transpose(x) => add(x, dy.t()),
        // Reshaping moves no numbers: dx = dy, in x's shape.
        Op::Reshape(x) => add(x, dy.reshape(value(x).shape())),

        // y = Σ x:  every element contributes once, dx = dy (everywhere).
        Op::Sum(x) => {
            let mut dx = pool.take(value(x).shape());
            dx.fill(dy.item());
            add(x, dx);
        }
        // y = Σ_axis x:  dx = dy, copied along the summed axis.
        Op::SumAxis { x, axis, keepdims } => add(
            x,
            expand(&restore_axis(dy, axis, keepdims), value(x).shape()),
        ),
        // y = (1/n) Σ x:  dx = dy / n.
        Op::Mean(x) => {
            let n = T::from_usize(value(x).len());
            let mut dx = pool.take(value(x).shape());
            dx.fill(dy.item() / n);
            add(x, dx);
        }
        // y = (1/n) Σ_axis x:  dx = dy / n, copied along the axis.
        Op::MeanAxis { x, axis, keepdims } => {
            let n = T::from_usize(value(x).shape()[axis]);
            add(
                x,
                expand(&restore_axis(dy, axis, keepdims), value(x).shape()) * (T::one() / n),
            );
        }
        // y = max_axis x. Max routes: the whole of dy goes to the largest
        // element of each lane (the first, on ties); the others get 0.
        Op::MaxAxis { x, axis, keepdims } => {
            let xv = value(x);
            let dy = if keepdims {
                dy.reshape(without_axis(xv.shape(), axis))
            } else {
                dy.clone()
            };
            let mut dx = Tensor::zeros(xv.shape());
            Zip::from(xv.view().lanes(Axis(axis)))
                .and(dx.view_mut().lanes_mut(Axis(axis)))
                .and(&dy.view())
                .for_each(|lane, mut out, &d| {
                    let mut best = 0;
                    for (k, &v) in lane.iter().enumerate() {
                        if v > lane[best] {
                            best = k;
                        }
                    }
                    out[best] = d;
                });
            add(x, dx);
        }

        // y = eˣ:  dx = dy ⊙ eˣ = dy ⊙ y.
        Op::Exp(x) => add(x, zip!(dy, y, |d, e| d * e)),
        // y = ln x:  dx = dy / x.
        Op::Log(x) => add(x, zip!(dy, value(x), |d, v| d / v)),
        // y = √x:  dx = dy / (2√x) = dy / (2y).
        Op::Sqrt(x) => add(x, zip!(dy, y, |d, s| d / (s + s))),
        // y = xⁿ:  dx = dy ⊙ n xⁿ⁻¹.
        Op::Powi(x, n) => {
            let c = T::from_f64(f64::from(n));
            add(x, zip!(dy, value(x), |d, v| d * c * v.powi(n - 1)));
        }
        // y = xᵖ:  dx = dy ⊙ p xᵖ⁻¹.
        Op::Powf(x, p) => add(x, dy.zip_map(value(x), |d, v| d * p * v.powf(p - T::one()))),
        // y = |x|:  dx = dy ⊙ sign(x)  (0 at x = 0).
        Op::Abs(x) => add(
            x,
            dy.zip_map(value(x), |d, v| {
                if v > T::zero() {
                    d
                } else if v < T::zero() {
                    -d
                } else {
                    T::zero()
                }
            }),
        ),

        // y = max(0, x):  dx = dy where x > 0, else 0 (a mask).
        Op::Relu(x) => add(
            x,
            zip!(dy, value(x), |d, v| {
                if v > T::zero() { d } else { T::zero() }
            }),
        ),
        // y = x if x > 0 else αx:  dx = dy, or α·dy.
        Op::LeakyRelu(x, alpha) => add(
            x,
            zip!(dy, value(x), |d, v| {
                if v > T::zero() { d } else { alpha * d }
            }),
        ),
        // y = σ(x):  dx = dy ⊙ σ(x)(1 − σ(x)) = dy ⊙ y(1 − y)  (at most dy/4).
        Op::Sigmoid(x) => add(x, zip!(dy, y, |d, s| d * s * (T::one() - s))),
        // y = softplus(x) = ln(1 + eˣ), a smooth ReLU:  dx = dy ⊙ σ(x).
        Op::Softplus(x) => add(x, dy.zip_map(value(x), |d, v| d * tensor::sigmoid(v))),
        // y = tanh x:  dx = dy ⊙ (1 − y²).
        Op::Tanh(x) => add(x, zip!(dy, y, |d, t| d * (T::one() - t * t))),
        // y = step(x) ∈ {0, 1}: flat on both sides, dx = 0 (why the
        // perceptron cannot be trained by gradient descent).
        Op::Step(x) => add(x, Tensor::zeros(value(x).shape())),
        // y = clamp(x, lo, hi):  dx = dy where lo ≤ x ≤ hi, else 0.
        Op::Clamp(x, lo, hi) => add(
            x,
            dy.zip_map(
                value(x),
                |d, v| if v >= lo && v <= hi { d } else { T::zero() },
            ),
        ),

        // y = softmax(x) along an axis:  dx = y ⊙ (dy − Σ_axis(dy ⊙ y)).
        Op::Softmax { x, axis } => {
            let s = (dy * y).sum_keepdims(axis);
            add(x, y * &(dy - &s));
        }
        // y = log softmax(x) = x − logsumexp(x):  dx = dy − softmax(x) ⊙ Σ_axis dy,
        // with softmax(x) = eʸ.
        Op::LogSoftmax { x, axis } => {
            let s = dy.sum_keepdims(axis);
            let mut dx = zip!(y, &s, |y, s| y.exp() * s);
            Zip::from(dx.view_mut())
                .and(&dy.view())
                .for_each(|dx, &d| *dx = d - *dx);
            add(x, dx);
        }
        // y = log Σ_axis eˣ:  dx = dy ⊙ softmax(x) = dy ⊙ e^(x − y).
        Op::LogSumExp { x, axis, keepdims } => {
            let yk = restore_axis(y, axis, keepdims);
            let dk = restore_axis(dy, axis, keepdims);
            add(x, (value(x) - &yk).exp() * &dk);
        }
        // y[i] = x[i, c_i]:  dx[i, c_i] = dy[i], every other entry 0.
        Op::Pick { x, ref classes } => {
            let mut dx = pool.zeros(value(x).shape());
            {
                let mut view = dx
                    .view_mut()
                    .into_dimensionality::<Ix2>()
                    .expect("pick input is 2-d");
                for (row, (&c, &d)) in indices[classes.clone()]
                    .iter()
                    .zip(dy.view().iter())
                    .enumerate()
                {
                    view[[row, c]] = d;
                }
            }
            add(x, dx);
        }
        // y = mean_i (logsumexp(x_i) − x_i[c_i]), the softmax cross-entropy.
        // Its gradient is the textbook one: dx = dy · (softmax(x) − onehot(c)) / N,
        // the predicted probabilities minus the truth, averaged over the batch.
        // ANCHOR: softmax_cross_entropy
        Op::SoftmaxCrossEntropy {
            x,
            log_p,
            ref classes,
        } => {
            let log_p = value(log_p);
            let n = T::from_usize(log_p.shape()[0]);
            let g = dy.item() / n;
            let mut dx = pool.take(log_p.shape());
            {
                let mut out = dx
                    .view_mut()
                    .into_dimensionality::<Ix2>()
                    .expect("logits are 2-d");
                Zip::from(&mut out)
                    .and(&log_p.view().into_dimensionality::<Ix2>().expect("2-d"))
                    .for_each(|d, &lp| *d = lp.exp() * g); // p · dy/N
                for (mut row, &c) in out.rows_mut().into_iter().zip(&indices[classes.clone()]) {
                    row[c] -= g; // − onehot · dy/N
                }
            }
            add(x, dx);
        } // ANCHOR_END: softmax_cross_entropy
    }
}

/// `shape` with `axis` removed.
fn without_axis(shape: &[usize], axis: usize) -> Vec<usize> {
    let mut s = shape.to_vec();
    s.remove(axis);
    s
}
