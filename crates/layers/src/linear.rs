//! The fully connected (dense, affine) layer.

use autograd::{Param, Var};
use rand::Rng;
use tensor::{Float, Tensor};

use crate::Module;
use crate::param_name;

/// The fully connected layer: y = x W + b over a minibatch.
///
/// | | shape |
/// |---|---|
/// | input `x` | `[batch, in_features]` — one example per row |
/// | `weight` W | `[in_features, out_features]` |
/// | `bias` b | `[out_features]`, broadcast over the rows |
/// | output `y` | `[batch, out_features]` |
///
/// The weight is stored `[in, out]` so that the row-per-example minibatch
/// is multiplied on the left, as chapter 1 writes it. PyTorch's `nn.Linear`
/// stores the transpose, `[out, in]`, and computes x Wᵀ + b: to load
/// PyTorch weights, transpose them.
///
/// **Default initialisation:** every weight and bias is drawn uniformly from
/// [−1/√in, 1/√in] (the bounds PyTorch's `nn.Linear` uses). It keeps the
/// scale of the output close to the scale of the input for a first
/// network; chapter 5 explains why the scale matters and provides the
/// named schemes (Glorot, He, ...) that replace it.
///
/// ```
/// use autograd::Graph;
/// use layers::{Linear, Module};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let layer: Linear = Linear::new(784, 256, &mut StdRng::seed_from_u64(0));
/// assert_eq!(layer.weight.shape(), &[784, 256]);
/// let bound = 1.0 / 784f32.sqrt();
/// assert!(layer.weight.value().to_vec().iter().all(|w| w.abs() <= bound));
/// let g = Graph::new();
/// let y = layer.forward(g.input(Tensor::zeros([128, 784])));
/// assert_eq!(y.shape(), vec![128, 256]);
/// ```
#[derive(Clone, Debug)]
pub struct Linear<T: Float = f32> {
    /// W, `[in_features, out_features]`.
    pub weight: Param<T>,
    /// b, `[out_features]`; `None` for a layer without bias.
    pub bias: Option<Param<T>>,
}

impl<T: Float> Linear<T> {
    /// A layer from `in_features` to `out_features` with a bias, initialised
    /// uniformly in [−1/√in, 1/√in].
    ///
    /// # Panics
    /// If either size is 0.
    #[track_caller]
    pub fn new<R: Rng + ?Sized>(in_features: usize, out_features: usize, rng: &mut R) -> Self {
        let mut layer = Self::without_bias(in_features, out_features, rng);
        let bound = default_bound::<T>(in_features);
        layer.bias = Some(Param::new(Tensor::rand_uniform(
            [out_features],
            -bound,
            bound,
            rng,
        )));
        layer
    }

    /// A layer without bias: y = x W.
    ///
    /// # Panics
    /// If either size is 0.
    #[track_caller]
    pub fn without_bias<R: Rng + ?Sized>(
        in_features: usize,
        out_features: usize,
        rng: &mut R,
    ) -> Self {
        if in_features == 0 || out_features == 0 {
            panic!("Linear: sizes must be positive, got {in_features} → {out_features}");
        }
        let bound = default_bound::<T>(in_features);
        let weight = Tensor::rand_uniform([in_features, out_features], -bound, bound, rng);
        Linear {
            weight: Param::new(weight),
            bias: None,
        }
    }

    /// A layer with the given weight `[in, out]` and optional bias `[out]`.
    ///
    /// # Panics
    /// If the weight is not 2-d with positive sizes, or the bias does not
    /// have `out` elements.
    #[track_caller]
    pub fn from_tensors(weight: Tensor<T>, bias: Option<Tensor<T>>) -> Self {
        if weight.ndim() != 2 || weight.is_empty() {
            panic!(
                "Linear: weight must be [in, out] with both sizes positive, got {:?}",
                weight.shape()
            );
        }
        if let Some(b) = &bias
            && b.shape() != [weight.shape()[1]]
        {
            panic!(
                "Linear: bias {:?} does not fit weight {:?}",
                b.shape(),
                weight.shape()
            );
        }
        Linear {
            weight: Param::new(weight),
            bias: bias.map(Param::new),
        }
    }

    /// The number of input features.
    pub fn in_features(&self) -> usize {
        self.weight.shape()[0]
    }

    /// The number of output features.
    pub fn out_features(&self) -> usize {
        self.weight.shape()[1]
    }
}

/// 1/√fan_in.
fn default_bound<T: Float>(in_features: usize) -> T {
    T::from_f64(1.0 / (in_features as f64).sqrt())
}

/// The affine map y = x W + b on graph variables (the layer's forward
/// pass, usable on its own with weights that are not parameters).
///
/// # Panics
/// If `x` is not `[batch, in]` with `in` matching `w`'s rows.
#[track_caller]
pub fn linear<'g, T: Float>(x: Var<'g, T>, w: Var<'g, T>, b: Option<Var<'g, T>>) -> Var<'g, T> {
    match b {
        // One node: the product with the bias added in place.
        Some(b) => x.affine(w, b),
        None => x.matmul(w),
    }
}

impl<T: Float> Module<T> for Linear<T> {
    /// y = x W + b.
    ///
    /// # Panics
    /// If `x` is not `[batch, in_features]`:
    /// `Linear(784 → 256): input has shape [128, 100], expected [batch, 784]`.
    #[track_caller]
    fn forward<'g>(&self, x: Var<'g, T>) -> Var<'g, T> {
        let shape = x.shape();
        if shape.len() != 2 || shape[1] != self.in_features() {
            panic!(
                "Linear({} → {}): input has shape {shape:?}, expected [batch, {}]",
                self.in_features(),
                self.out_features(),
                self.in_features()
            );
        }
        let g = x.graph();
        linear(
            x,
            g.param(&self.weight),
            self.bias.as_ref().map(|b| g.param(b)),
        )
    }

    fn visit_params<'a>(&'a self, prefix: &str, f: &mut dyn FnMut(&str, &'a Param<T>)) {
        f(&param_name(prefix, "weight"), &self.weight);
        if let Some(b) = &self.bias {
            f(&param_name(prefix, "bias"), b);
        }
    }

    fn visit_params_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut Param<T>)) {
        f(&param_name(prefix, "weight"), &mut self.weight);
        if let Some(b) = &mut self.bias {
            f(&param_name(prefix, "bias"), b);
        }
    }
}
