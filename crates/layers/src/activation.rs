//! Activation functions: the nonlinearities between the affine maps.

use autograd::{Param, Var};
use tensor::Float;

use crate::Module;

/// An element-wise activation function. As a [`Module`] it has no
/// parameters; [`value`](Activation::value) and
/// [`derivative`](Activation::derivative) give its curve and its slope on
/// plain numbers, for plots and for checking by hand.
///
/// | activation | f(x) | f′(x) | range |
/// |---|---|---|---|
/// | `Step` | 1 if x > 0, else 0 | 0 (undefined at 0) | {0, 1} |
/// | `Sigmoid` | 1 / (1 + e⁻ˣ) | f(x)(1 − f(x)), at most ¼ (at 0) | (0, 1) |
/// | `Tanh` | tanh x = 2σ(2x) − 1 | 1 − f(x)², at most 1 (at 0) | (−1, 1) |
/// | `Relu` | max(0, x) | 1 if x > 0, else 0 | [0, ∞) |
/// | `LeakyRelu(a)` | x if x > 0, else a·x | 1 if x > 0, else a | (−∞, ∞) |
/// | `Identity` | x | 1 | (−∞, ∞) |
///
/// ```
/// use layers::Activation;
/// assert_eq!(Activation::Sigmoid.value(0.0), 0.5);
/// assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25); // its largest slope
/// assert_eq!(Activation::Relu.derivative(-3.0), 0.0); // a "dead" unit
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// The identity: no nonlinearity (a linear output layer).
    Identity,
    /// The perceptron's threshold: 1 for x > 0, else 0.
    Step,
    /// The logistic sigmoid 1 / (1 + e⁻ˣ).
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// The rectified linear unit max(0, x).
    Relu,
    /// x for x > 0, `slope`·x otherwise (a small slope such as 0.01).
    LeakyRelu(f64),
}

impl Activation {
    /// Applies the activation to a graph variable, element-wise.
    pub fn apply<'g, T: Float>(self, x: Var<'g, T>) -> Var<'g, T> {
        match self {
            Activation::Identity => x,
            Activation::Step => x.step(),
            Activation::Sigmoid => x.sigmoid(),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.relu(),
            Activation::LeakyRelu(slope) => x.leaky_relu(T::from_f64(slope)),
        }
    }

    /// f(x) on a number.
    pub fn value(self, x: f64) -> f64 {
        match self {
            Activation::Identity => x,
            Activation::Step => f64::from(u8::from(x > 0.0)),
            Activation::Sigmoid => tensor::sigmoid(x),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(0.0),
            Activation::LeakyRelu(slope) => {
                if x > 0.0 {
                    x
                } else {
                    slope * x
                }
            }
        }
    }

    /// f′(x) on a number, with the same convention at kinks as the
    /// backward pass (the slope of the left side: 0 for ReLU at 0).
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Step => 0.0,
            Activation::Sigmoid => {
                let s = tensor::sigmoid(x);
                s * (1.0 - s)
            }
            Activation::Tanh => 1.0 - x.tanh().powi(2),
            Activation::Relu => f64::from(u8::from(x > 0.0)),
            Activation::LeakyRelu(slope) => {
                if x > 0.0 {
                    1.0
                } else {
                    slope
                }
            }
        }
    }

    /// Its name as the literature writes it ("ReLU", "tanh", ...).
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Step => "step",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "ReLU",
            Activation::LeakyRelu(_) => "leaky ReLU",
        }
    }
}

impl<T: Float> Module<T> for Activation {
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        self.apply(x)
    }
    fn visit_params<'a>(&'a self, _prefix: &str, _f: &mut dyn FnMut(&str, &'a Param<T>)) {}
    fn visit_params_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut Param<T>)) {}
}

/// Softmax along an axis as a module: turns each row of scores into
/// probabilities (positive, summing to 1).
///
/// ```
/// use autograd::Graph;
/// use layers::{Module, Softmax};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let p = Softmax { axis: 1 }.forward(g.input(Tensor::from([[1.0, 1.0, 1.0, 1.0]])));
/// assert_eq!(p.value().to_vec(), vec![0.25; 4]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Softmax {
    /// The axis that is normalised (1 for `[batch, classes]`).
    pub axis: usize,
}

impl<T: Float> Module<T> for Softmax {
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        x.softmax(self.axis)
    }
    fn visit_params<'a>(&'a self, _prefix: &str, _f: &mut dyn FnMut(&str, &'a Param<T>)) {}
    fn visit_params_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut Param<T>)) {}
}

/// Log-softmax along an axis as a module: the logarithm of the softmax,
/// computed stably (it stays finite where the softmax underflows to 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogSoftmax {
    /// The axis that is normalised (1 for `[batch, classes]`).
    pub axis: usize,
}

impl<T: Float> Module<T> for LogSoftmax {
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        x.log_softmax(self.axis)
    }
    fn visit_params<'a>(&'a self, _prefix: &str, _f: &mut dyn FnMut(&str, &'a Param<T>)) {}
    fn visit_params_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut Param<T>)) {}
}
