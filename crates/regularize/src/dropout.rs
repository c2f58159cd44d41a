//! Dropout: while training, each unit's output is zeroed with probability p.
//!
//! Every training step samples a new mask, so every step trains a
//! different sub-network of the full one — with n units there are 2ⁿ of
//! them, all sharing their weights. At test time there is no sampling: the
//! full network is used, scaled so that each unit's output has the value it
//! had *on average* during training. That average over the sub-networks is
//! what makes dropout an approximation of an ensemble.
//!
//! The scaling can be done at either end; both give the same expectation:
//!
//! ```text
//!                        training (mask m, P(m = 1) = 1 − p)    test
//! Inverted (default)     y = m · x / (1 − p)                     y = x
//! AtTest (the lecture)   y = m · x                               y = (1 − p) · x
//! ```
//!
//! Inverted dropout is what PyTorch and most code use: the test-time network
//! is the plain network, with nothing to remember.

use std::cell::RefCell;
use std::marker::PhantomData;

use autograd::{Param, Var};
use layers::Module;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tensor::{Float, Tensor};

/// Where dropout's rescaling by the keep probability 1 − p happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropoutScaling {
    /// Divide by 1 − p while training; the identity at test time.
    Inverted,
    /// No scaling while training; multiply by 1 − p at test time (the
    /// original paper's and the lecture's form).
    AtTest,
}

/// Dropout with probability `p` of zeroing each value, as a module (it has
/// no parameters).
///
/// It starts in training mode; [`Module::eval`] switches it to test
/// behaviour. It owns its random generator, seeded from the one given to
/// [`Dropout::new`], so the same seed gives the same masks. It works for
/// any input shape.
///
/// ```
/// use autograd::Graph;
/// use layers::Module;
/// use rand::{SeedableRng, rngs::StdRng};
/// use regularize::Dropout;
/// use tensor::Tensor;
/// let mut dropout: Dropout = Dropout::new(0.5, &mut StdRng::seed_from_u64(0)); // Dropout<f32>
/// let g = Graph::new();
/// let y = dropout.forward(g.input(Tensor::ones([2, 8]))).value();
/// // Training: every value is 0 (dropped) or 1/(1 − 0.5) = 2 (kept and scaled).
/// assert!(y.to_vec().iter().all(|&v| v == 0.0 || v == 2.0));
/// dropout.eval();
/// let y = dropout.forward(g.input(Tensor::ones([2, 8]))).value();
/// assert_eq!(y.to_vec(), vec![1.0; 16]); // test: the identity
/// ```
#[derive(Debug)]
pub struct Dropout<T: Float = f32> {
    p: f64,
    scaling: DropoutScaling,
    training: bool,
    rng: RefCell<StdRng>,
    element: PhantomData<fn() -> T>,
}

impl<T: Float> Dropout<T> {
    /// Dropout with probability `p` in [0, 1), inverted scaling, in
    /// training mode; its masks come from a generator seeded by `rng`.
    ///
    /// # Panics
    /// If `p` is not in [0, 1): `Dropout: p must be in [0, 1), got 1`
    /// (p = 1 would drop everything and divide by 0).
    #[track_caller]
    pub fn new<R: Rng + ?Sized>(p: f64, rng: &mut R) -> Self {
        if !(0.0..1.0).contains(&p) {
            panic!("Dropout: p must be in [0, 1), got {p}");
        }
        Dropout {
            p,
            scaling: DropoutScaling::Inverted,
            training: true,
            rng: RefCell::new(StdRng::seed_from_u64(rng.random())),
            element: PhantomData,
        }
    }

    /// Chooses where the scaling happens (builder style).
    pub fn scaling(mut self, scaling: DropoutScaling) -> Self {
        self.scaling = scaling;
        self
    }

    /// The probability of dropping a value.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Whether the module is in training mode.
    pub fn is_training(&self) -> bool {
        self.training
    }

    /// Samples the next training mask for an input of `shape`: each value
    /// is 0 with probability p, otherwise 1/(1 − p) (inverted) or 1
    /// (at test). `forward` in training mode multiplies by exactly this.
    pub fn sample_mask(&self, shape: &[usize]) -> Tensor<T> {
        let keep = 1.0 - self.p;
        let kept = T::from_f64(match self.scaling {
            DropoutScaling::Inverted => 1.0 / keep,
            DropoutScaling::AtTest => 1.0,
        });
        let zero = T::from_f64(0.0);
        let mut rng = self.rng.borrow_mut();
        let n = shape.iter().product();
        let values = (0..n)
            .map(|_| {
                if rng.random::<f64>() < keep {
                    kept
                } else {
                    zero
                }
            })
            .collect();
        Tensor::from_vec(values, shape)
    }
}

impl<T: Float> Module<T> for Dropout<T> {
    /// Training: `x` times a fresh mask ([`Dropout::sample_mask`]); the
    /// gradient flows through the kept values only, with the same scale.
    /// Test: `x` (inverted) or (1 − p)·x (at test).
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        if self.training {
            if self.p == 0.0 {
                return x;
            }
            let mask = self.sample_mask(&x.shape());
            x.mul_mask(&mask)
        } else {
            match self.scaling {
                DropoutScaling::Inverted => x,
                DropoutScaling::AtTest => x.mul_scalar(T::from_f64(1.0 - self.p)),
            }
        }
    }

    fn visit_params<'a>(&'a self, _prefix: &str, _f: &mut dyn FnMut(&str, &'a Param<T>)) {}

    fn visit_params_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut Param<T>)) {}

    fn set_training(&mut self, training: bool) {
        self.training = training;
    }
}
