//! Penalties on the size of the weights: L1, L2 and the elastic net.
//!
//! Each is a number R(W) computed from a module's weights on the graph, to
//! be added to the data loss as λ·R(W), so that back-propagation adds λ·∂R/∂W
//! to every weight's gradient:
//!
//! ```text
//! L1           R = Σ|w|            ∂R/∂w = sign(w)     pulls every weight towards 0 by the same amount
//! L2           R = Σw²             ∂R/∂w = 2w          pulls in proportion to the weight
//! elastic net  R = β·Σw² + Σ|w|    ∂R/∂w = 2βw + sign(w)
//! ```

use autograd::{Graph, Param, Var};
use layers::Module;
use tensor::{Float, Tensor};

/// Which norm a [`Penalty`] takes of the weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Norm {
    /// Σ|w|.
    L1,
    /// Σw².
    L2,
    /// β·Σw² + Σ|w|, with β ≥ 0.
    ElasticNet {
        /// The weight of the squared part.
        beta: f64,
    },
}

/// A penalty on a module's parameters: a [`Norm`] and which parameters it
/// covers.
///
/// By default it covers the *weights*: the parameters with two or more
/// dimensions (the matrices of `Linear` layers), and not the biases nor
/// the scale and shift of batch normalisation, which are vectors. A bias
/// only moves a unit's threshold, and penalising it is not what keeps a
/// network from fitting noise; [`including_biases`](Penalty::including_biases)
/// covers every parameter all the same.
///
/// ```
/// use autograd::Graph;
/// use layers::{Linear, Module};
/// use regularize::Penalty;
/// use tensor::Tensor;
/// let layer = Linear::from_tensors(
///     Tensor::from([[1.0, -2.0], [0.5, 0.0]]), // weight
///     Some(Tensor::from([3.0, -3.0])),         // bias
/// );
/// let g = Graph::new();
/// assert_eq!(Penalty::l1().on(&g, &layer).item(), 3.5); // |1| + |−2| + |0.5| + |0|
/// assert_eq!(Penalty::l2().on(&g, &layer).item(), 5.25); // 1 + 4 + 0.25 + 0
/// assert_eq!(Penalty::elastic_net(0.5).on(&g, &layer).item(), 0.5 * 5.25 + 3.5);
/// assert_eq!(Penalty::l2().including_biases().on(&g, &layer).item(), 5.25 + 9.0 + 9.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Penalty {
    norm: Norm,
    biases: bool,
}

impl Penalty {
    /// Σ|w| over the weights.
    pub fn l1() -> Self {
        Penalty {
            norm: Norm::L1,
            biases: false,
        }
    }

    /// Σw² over the weights.
    pub fn l2() -> Self {
        Penalty {
            norm: Norm::L2,
            biases: false,
        }
    }

    /// β·Σw² + Σ|w| over the weights.
    ///
    /// # Panics
    /// If `beta` is negative or not finite:
    /// `Penalty::elastic_net: beta must be finite and ≥ 0, got -1`.
    #[track_caller]
    pub fn elastic_net(beta: f64) -> Self {
        if !(beta.is_finite() && beta >= 0.0) {
            panic!("Penalty::elastic_net: beta must be finite and ≥ 0, got {beta}");
        }
        Penalty {
            norm: Norm::ElasticNet { beta },
            biases: false,
        }
    }

    /// Covers every parameter, biases and vectors included.
    pub fn including_biases(mut self) -> Self {
        self.biases = true;
        self
    }

    /// The norm.
    pub fn norm(&self) -> Norm {
        self.norm
    }

    /// Whether the penalty covers a parameter of this shape: every one if
    /// biases are included, otherwise those with two or more dimensions.
    pub fn covers(&self, shape: &[usize]) -> bool {
        self.biases || shape.len() >= 2
    }

    /// R(W) of the covered parameters of `module`, recorded on `g` so that
    /// its gradient reaches them. A module with no covered parameter gives
    /// a constant 0.
    pub fn on<'g, T: Float>(&self, g: &'g Graph<T>, module: &dyn Module<T>) -> Var<'g, T> {
        let mut total: Option<Var<'g, T>> = None;
        module.visit_params("", &mut |_, p| {
            if self.covers(p.shape()) {
                let r = self.of_param(g, p);
                total = Some(match total {
                    Some(t) => t + r,
                    None => r,
                });
            }
        });
        total.unwrap_or_else(|| g.input(Tensor::scalar(T::from_f64(0.0))))
    }

    /// R of one parameter, recorded on `g` (whatever its shape).
    pub fn of_param<'g, T: Float>(&self, g: &'g Graph<T>, param: &Param<T>) -> Var<'g, T> {
        let w = g.param(param);
        match self.norm {
            Norm::L1 => w.abs().sum(),
            Norm::L2 => w.powi(2).sum(),
            Norm::ElasticNet { beta } => {
                w.powi(2).sum().mul_scalar(T::from_f64(beta)) + w.abs().sum()
            }
        }
    }

    /// R of a plain tensor, as a number (no graph): for tables and tests.
    pub fn value<T: Float>(&self, w: &Tensor<T>) -> f64 {
        let l1: f64 = w.to_vec().iter().map(|&x| Float::to_f64(x).abs()).sum();
        let l2: f64 = w.to_vec().iter().map(|&x| Float::to_f64(x).powi(2)).sum();
        match self.norm {
            Norm::L1 => l1,
            Norm::L2 => l2,
            Norm::ElasticNet { beta } => beta * l2 + l1,
        }
    }
}

/// Σ|W| over the weights of `module` (see [`Penalty`]), on the graph.
///
/// ```
/// # use autograd::Graph;
/// # use layers::{Mlp, Module, Sequential};
/// # use rand::{SeedableRng, rngs::StdRng};
/// # use tensor::Tensor;
/// let net: Sequential = Mlp::new(&[2, 3, 1]).build(&mut StdRng::seed_from_u64(0));
/// let g = Graph::new();
/// let data_loss = net.forward(g.input(Tensor::ones([4, 2]))).powi(2).mean();
/// let loss = data_loss + regularize::l1(&g, &net).mul_scalar(1e-3); // + λ·Σ|W|
/// let grads = loss.backward();
/// assert_eq!(grads.len(), 4); // both weights and both biases get a gradient
/// ```
pub fn l1<'g, T: Float>(g: &'g Graph<T>, module: &dyn Module<T>) -> Var<'g, T> {
    Penalty::l1().on(g, module)
}

/// ΣW² over the weights of `module` (see [`Penalty`]), on the graph.
pub fn l2<'g, T: Float>(g: &'g Graph<T>, module: &dyn Module<T>) -> Var<'g, T> {
    Penalty::l2().on(g, module)
}

/// β·ΣW² + Σ|W| over the weights of `module` (see [`Penalty`]), on the graph.
///
/// # Panics
/// If `beta` is negative or not finite.
#[track_caller]
pub fn elastic_net<'g, T: Float>(g: &'g Graph<T>, module: &dyn Module<T>, beta: f64) -> Var<'g, T> {
    Penalty::elastic_net(beta).on(g, module)
}

/// The number of covered weights of `module` whose magnitude is at most
/// `tolerance`: how sparse a penalty has made them.
///
/// ```
/// use layers::Linear;
/// use tensor::Tensor;
/// let layer = Linear::from_tensors(Tensor::from([[1e-9, -2.0], [0.0, 1e-3]]), None);
/// assert_eq!(regularize::count_near_zero(&layer, 1e-6), 2);
/// ```
pub fn count_near_zero<T: Float>(module: &dyn Module<T>, tolerance: f64) -> usize {
    let mut n = 0;
    module.visit_params("", &mut |_, p| {
        if p.shape().len() >= 2 {
            n += p
                .value()
                .to_vec()
                .iter()
                .filter(|&&w| Float::to_f64(w).abs() <= tolerance)
                .count();
        }
    });
    n
}
