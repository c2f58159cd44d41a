//! The lecture's experiment: push unit-Gaussian data through a deep
//! network and watch the statistics of each layer's activations (and
//! gradients) for each initialisation scheme.
//!
//! [`lecture_configs`] lists the lecture's six runs, [`run`] performs one
//! and returns a [`LayerStats`] per layer. What they show, at 10 layers of
//! 500 units (each claim is asserted by `tests/experiment.rs`):
//!
//! - tanh, N(0, 0.01²): each layer multiplies the spread by 0.01·√500 ≈
//!   0.22, so the activations collapse to 0, and so does the error signal
//!   on its way back; every weight gradient is tiny.
//! - tanh, N(0, 1): nine units in ten sit beyond ±0.99, saturated.
//! - tanh, LeCun (the slides' "Xavier") = Glorot on square layers: the
//!   activations stay spread, slowly narrowing.
//! - ReLU, LeCun: the variance halves at every layer; ReLU, He: it stays.
//!
//! ```
//! use init::Init;
//! use init::experiment::{Config, run};
//! use layers::Activation;
//! // A small version of the lecture's 10 layers of 500 tanh units.
//! let config = Config { width: 100, samples: 200, ..Config::new(Activation::Tanh, Init::LecunNormal) };
//! let stats = run(&config);
//! assert_eq!(stats.len(), 10);
//! for layer in &stats {
//!     assert!(layer.std > 0.2 && layer.std < 0.7); // well spread, not saturated
//! }
//! ```

use autograd::Graph;
use layers::{Activation, Linear, Module};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

use crate::Init;

/// The setup of one run: a stack of `layers` square [`Linear`] layers
/// (`width` → `width`, no bias), each followed by `activation`, with
/// weights drawn from `scheme`, fed `samples` rows of N(0, 1) data.
///
/// [`Config::new`] gives the lecture's sizes: 10 layers of 500 units and
/// 1000 samples.
///
/// ```
/// use init::Init;
/// use init::experiment::Config;
/// use layers::Activation;
/// let config = Config::new(Activation::Relu, Init::HeNormal);
/// assert_eq!((config.layers, config.width, config.samples), (10, 500, 1000));
/// let small = Config { width: 200, ..config };
/// assert_eq!(small.scheme, Init::HeNormal);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    /// How many layers (10 in the lecture).
    pub layers: usize,
    /// The width of the input and of every layer (500).
    pub width: usize,
    /// The number of input rows (1000).
    pub samples: usize,
    /// The nonlinearity after every layer (tanh, then ReLU).
    pub activation: Activation,
    /// How the weights are drawn.
    pub scheme: Init,
    /// The seed of the data, the weights and the loss's random direction.
    pub seed: u64,
    /// The number of bins of each layer's [`Histogram`] (50).
    pub bins: usize,
}

impl Config {
    /// The lecture's experiment for this activation and scheme: 10 layers
    /// of 500 units, 1000 samples, seed 0, histograms of 50 bins.
    ///
    /// ```
    /// use init::Init;
    /// use init::experiment::Config;
    /// use layers::Activation;
    /// let c = Config::new(Activation::Tanh, Init::Normal { mean: 0.0, std: 0.01 });
    /// assert_eq!(c.seed, 0);
    /// assert_eq!(c.bins, 50);
    /// ```
    pub fn new(activation: Activation, scheme: Init) -> Self {
        Config {
            layers: 10,
            width: 500,
            samples: 1000,
            activation,
            scheme,
            seed: 0,
            bins: 50,
        }
    }
}

/// The six runs of the lecture, in its order: tanh with N(0, 0.01²),
/// N(0, 1), LeCun ("Xavier" on the slides) and Glorot; ReLU with LeCun
/// and He.
///
/// ```
/// use init::Init;
/// use layers::Activation;
/// let configs = init::experiment::lecture_configs();
/// assert_eq!(configs.len(), 6);
/// assert_eq!((configs[5].activation, configs[5].scheme), (Activation::Relu, Init::HeNormal));
/// ```
pub fn lecture_configs() -> Vec<Config> {
    use Activation::{Relu, Tanh};
    [
        (
            Tanh,
            Init::Normal {
                mean: 0.0,
                std: 0.01,
            },
        ),
        (
            Tanh,
            Init::Normal {
                mean: 0.0,
                std: 1.0,
            },
        ),
        (Tanh, Init::LecunNormal),
        (Tanh, Init::GlorotNormal),
        (Relu, Init::LecunNormal),
        (Relu, Init::HeNormal),
    ]
    .into_iter()
    .map(|(activation, scheme)| Config::new(activation, scheme))
    .collect()
}

/// A histogram: `counts[i]` values fell in `[edges[i], edges[i + 1])` (the
/// last bin includes its right edge). There is one more edge than counts.
///
/// ```
/// use init::experiment::Histogram;
/// let h = Histogram::new(&[-0.5, 0.0, 0.5, 1.0], -1.0, 1.0, 4);
/// assert_eq!(h.edges, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
/// assert_eq!(h.counts, vec![0, 1, 1, 2]); // 1.0 is in the last bin
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// The bin edges, increasing, `counts.len() + 1` of them.
    pub edges: Vec<f64>,
    /// How many values fell in each bin.
    pub counts: Vec<usize>,
}

impl Histogram {
    /// Counts `values` in `bins` equal bins over `[low, high]`. Values
    /// outside the range are counted in the first or last bin, so the
    /// counts always sum to the number of values.
    ///
    /// ```
    /// use init::experiment::Histogram;
    /// let h = Histogram::new(&[0.0, 0.0, 3.0, 9.0], 0.0, 3.0, 3);
    /// assert_eq!(h.counts, vec![2, 0, 2]);
    /// ```
    ///
    /// # Panics
    /// If `bins` is 0 or `low < high` does not hold:
    /// `Histogram::new: needs bins > 0 and low < high, got 0 bins over [0, 1]`.
    #[track_caller]
    pub fn new(values: &[f64], low: f64, high: f64, bins: usize) -> Self {
        let valid = bins > 0 && low < high && (high - low).is_finite();
        if !valid {
            panic!(
                "Histogram::new: needs bins > 0 and low < high, got {bins} bins over [{low}, {high}]"
            );
        }
        let width = (high - low) / bins as f64;
        // The last edge is `high` itself, not `low + bins · width` rounded.
        let edges = (0..bins)
            .map(|i| low + width * i as f64)
            .chain([high])
            .collect();
        let mut counts = vec![0; bins];
        for &v in values {
            // Truncation towards zero is the floor here: the clamp comes first.
            let at = ((v - low) / width).clamp(0.0, (bins - 1) as f64) as usize;
            counts[at] += 1;
        }
        Histogram { edges, counts }
    }
}

/// The statistics of one layer of a [`run`].
///
/// ```
/// use init::Init;
/// use init::experiment::{Config, run};
/// use layers::Activation;
/// let config = Config { layers: 2, width: 50, samples: 100, ..Config::new(Activation::Tanh, Init::Normal { mean: 0.0, std: 1.0 }) };
/// let first = &run(&config)[0];
/// assert!(first.saturated_fraction > 0.5); // N(0, 1) weights saturate tanh
/// assert_eq!(first.histogram.counts.iter().sum::<usize>(), 100 * 50);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStats {
    /// The mean of the layer's activations (over all samples and units).
    pub mean: f64,
    /// Their standard deviation (population: divided by the count).
    pub std: f64,
    /// The fraction with |a| > 0.99: for tanh, the units stuck near ±1,
    /// where the slope 1 − a² is below 0.02 and almost no gradient passes.
    /// (ReLU does not saturate on that side; for it this only counts the
    /// large activations.)
    pub saturated_fraction: f64,
    /// The histogram of the activations: over [−1, 1] for tanh, [0, 1] for
    /// the sigmoid and the step, [0, max] for ReLU, [min, max] otherwise
    /// (with `config.bins` bins).
    pub histogram: Histogram,
    /// The root mean square of the gradient of the loss with respect to
    /// the layer's weight matrix, √(mean of (∂L/∂Wₗ)²): the typical size of
    /// the step gradient descent would take on one of its weights.
    pub weight_grad_rms: f64,
    /// The root mean square of the gradient of the loss with respect to
    /// the layer's activations, √(mean of (∂L/∂aₗ)²): the error signal as
    /// back-propagation delivers it to this layer. It starts at the last
    /// layer with the size 1/samples that the loss gives it.
    pub activation_grad_rms: f64,
}

/// Runs the experiment in `f32` and returns the statistics of every layer,
/// first layer first.
///
/// 1. From `StdRng::seed_from_u64(config.seed)`, in this order: the input
///    X, `[samples, width]` from N(0, 1); the weight of each layer,
///    `[width, width]`, from `config.scheme`; a direction R,
///    `[samples, width]` from N(0, 1).
/// 2. Forward: a₀ = X, aₗ = f(aₗ₋₁ Wₗ) for l = 1..layers, without biases
///    (as in the classic experiment), recorded on one graph.
/// 3. The loss L = (1/samples) Σ a_L ⊙ R, one backward pass, and the
///    gradients with respect to every Wₗ and every aₗ. (The graph gives
///    gradients for parameters and leaves only; ∂L/∂aₗ is read through a
///    zero *probe*, a leaf added to aₗ: adding zero changes nothing in the
///    forward pass, and ∂L/∂probe = ∂L/∂aₗ.)
///
/// Why this loss: its gradient at the output, ∂L/∂a_L = R / samples, has
/// the same size for every scheme and no preferred direction, as an error
/// signal at the start of training would have. Whatever happens to the
/// gradient on its way back to the first layer is then the network's
/// doing, not the loss's. (The plain Σ a_L would send the same gradient to
/// every unit, and a loss against targets would depend on how far the
/// output happens to be from them.)
///
/// At the lecture's size (10 × 500 × 1000) one run takes well under a
/// second in release mode.
///
/// ```
/// use init::Init;
/// use init::experiment::{Config, run};
/// use layers::Activation;
/// let base = Config { width: 100, samples: 200, ..Config::new(Activation::Relu, Init::LecunNormal) };
/// let lecun = run(&base);
/// let he = run(&Config { scheme: Init::HeNormal, ..base });
/// // With ReLU, LeCun's scale loses half of the variance at each layer; He's keeps it.
/// assert!(lecun[9].std / lecun[0].std < 0.1);
/// assert!((0.5..2.0).contains(&(he[9].std / he[0].std)));
/// ```
///
/// # Panics
/// If a size is 0 (`experiment::run: layers, width and samples must be
/// positive, got 10 layers of 0 units on 1000 samples`), `bins` is 0, or
/// the scheme's parameters are invalid (see [`Init::check`]).
#[track_caller]
pub fn run(config: &Config) -> Vec<LayerStats> {
    let Config {
        layers,
        width,
        samples,
        activation,
        scheme,
        seed,
        bins,
    } = *config;
    if layers == 0 || width == 0 || samples == 0 {
        panic!(
            "experiment::run: layers, width and samples must be positive, \
             got {layers} layers of {width} units on {samples} samples"
        );
    }
    if bins == 0 {
        panic!("experiment::run: needs at least one histogram bin, got 0");
    }
    scheme.check();
    let mut rng = StdRng::seed_from_u64(seed);
    let x: Tensor = Tensor::randn([samples, width], &mut rng);
    let net: Vec<Linear> = (0..layers)
        .map(|_| Linear::from_tensors(scheme.tensor([width, width], &mut rng), None))
        .collect();
    let direction: Tensor = Tensor::randn([samples, width], &mut rng);

    let g = Graph::new();
    let mut a = g.input(x);
    let mut activations = Vec::with_capacity(layers);
    let mut probes = Vec::with_capacity(layers);
    for layer in &net {
        a = activation.apply(layer.forward(a));
        activations.push(a.value());
        let probe = g.leaf(Tensor::zeros([samples, width]));
        probes.push(probe);
        a = a + probe;
    }
    let loss = (a * g.input(direction))
        .sum()
        .mul_scalar(1.0 / samples as f32);
    let grads = loss.backward();

    net.iter()
        .zip(&activations)
        .zip(&probes)
        .map(|((layer, a), &probe)| {
            let values: Vec<f64> = a.to_vec().into_iter().map(f64::from).collect();
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
            let saturated = values.iter().filter(|v| v.abs() > 0.99).count();
            let (low, high) = histogram_range(activation, &values);
            LayerStats {
                mean,
                std: var.sqrt(),
                saturated_fraction: saturated as f64 / n,
                histogram: Histogram::new(&values, low, high, bins),
                weight_grad_rms: rms(&grads[&layer.weight]),
                activation_grad_rms: rms(grads.wrt(probe)),
            }
        })
        .collect()
}

/// √(mean of x²), accumulated in f64.
fn rms(x: &Tensor) -> f64 {
    let sum: f64 = x.to_vec().iter().map(|&v| f64::from(v).powi(2)).sum();
    (sum / x.len() as f64).sqrt()
}

/// The range of an activation's histogram: the activation's own range
/// where it is bounded, else that of the values.
fn histogram_range(activation: Activation, values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = match activation {
        Activation::Tanh => (-1.0, 1.0),
        Activation::Sigmoid | Activation::Step => (0.0, 1.0),
        Activation::Relu => (0.0, max),
        _ => (min, max),
    };
    // All values equal (a dead ReLU layer, a constant): give the bins some width.
    if high > low {
        (low, high)
    } else {
        (low, low + 1.0)
    }
}
