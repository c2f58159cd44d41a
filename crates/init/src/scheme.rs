//! `Init`: an initialisation scheme as a value, to pass around and apply.

use std::fmt;

use rand::Rng;
use tensor::{Float, Tensor};

use crate::constant::check_constant;
use crate::fans::has_positive_fans;
use crate::glorot::glorot_std;
use crate::he::he_std;
use crate::lecun::lecun_std;
use crate::random::{check_normal, check_uniform};

/// An initialisation scheme, as a value: what [`init_weights`] and
/// [`init_matching`] apply to a module's parameters and what an experiment
/// is configured with. Each variant is one of the free functions of this
/// crate.
///
/// | variant | function | std of the result, for a weight `[fan_in, fan_out]` |
/// |---|---|---|
/// | `Zeros` | [`zeros`] | 0 |
/// | `Constant(c)` | [`constant`] | 0 |
/// | `Normal { mean, std }` | [`normal`] | std |
/// | `Uniform { low, high }` | [`uniform`] | (high − low)/√12 |
/// | `LecunNormal` | [`lecun_normal`] | 1/√fan_in |
/// | `LecunUniform` | [`lecun_uniform`] | 1/√fan_in |
/// | `GlorotNormal` | [`glorot_normal`] | √(2/(fan_in + fan_out)) |
/// | `GlorotUniform` | [`glorot_uniform`] | √(2/(fan_in + fan_out)) |
/// | `HeNormal` | [`he_normal`] | √(2/fan_in) |
/// | `HeUniform` | [`he_uniform`] | √(2/fan_in) |
///
/// The last six need a 2-d weight shape (they divide by its fans, see
/// [`fans`](crate::fans)); the first four take any shape.
///
/// [`init_weights`]: crate::init_weights
/// [`init_matching`]: crate::init_matching
/// [`zeros`]: crate::zeros
/// [`constant`]: crate::constant
/// [`normal`]: crate::normal
/// [`uniform`]: crate::uniform
/// [`lecun_normal`]: crate::lecun_normal
/// [`lecun_uniform`]: crate::lecun_uniform
/// [`glorot_normal`]: crate::glorot_normal
/// [`glorot_uniform`]: crate::glorot_uniform
/// [`he_normal`]: crate::he_normal
/// [`he_uniform`]: crate::he_uniform
///
/// ```
/// use init::Init;
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = Init::HeNormal.tensor([512, 256], &mut StdRng::seed_from_u64(0));
/// assert_eq!(w.shape(), &[512, 256]);
/// assert_eq!(Init::HeNormal.std(512, 256), (2.0f64 / 512.0).sqrt());
/// // The same draws as the free function, from the same seed.
/// assert_eq!(w, init::he_normal([512, 256], &mut StdRng::seed_from_u64(0)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// All zeros ([`zeros`](crate::zeros)).
    Zeros,
    /// Every element equal to the value ([`constant`](crate::constant)).
    Constant(f64),
    /// N(mean, std²) ([`normal`](crate::normal)).
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation (not the variance).
        std: f64,
    },
    /// U[low, high) ([`uniform`](crate::uniform)).
    Uniform {
        /// The lower bound, included.
        low: f64,
        /// The upper bound, excluded.
        high: f64,
    },
    /// N(0, 1/fan_in) ([`lecun_normal`](crate::lecun_normal)): the slides'
    /// "Xavier".
    LecunNormal,
    /// U[−√(3/fan_in), √(3/fan_in)) ([`lecun_uniform`](crate::lecun_uniform)).
    LecunUniform,
    /// N(0, 2/(fan_in + fan_out)) ([`glorot_normal`](crate::glorot_normal)).
    GlorotNormal,
    /// U[−√(6/(fan_in + fan_out)), √(6/(fan_in + fan_out)))
    /// ([`glorot_uniform`](crate::glorot_uniform)).
    GlorotUniform,
    /// N(0, 2/fan_in) ([`he_normal`](crate::he_normal)), "Kaiming".
    HeNormal,
    /// U[−√(6/fan_in), √(6/fan_in)) ([`he_uniform`](crate::he_uniform)).
    HeUniform,
}

impl Init {
    /// A new tensor of `shape` drawn with this scheme: the same as calling
    /// the scheme's function (same draws from the same `rng`).
    ///
    /// ```
    /// use init::Init;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// use tensor::Tensor;
    /// let mut rng = StdRng::seed_from_u64(0);
    /// let small: Tensor = Init::Normal { mean: 0.0, std: 0.01 }.tensor([500, 500], &mut rng);
    /// let bias: Tensor = Init::Zeros.tensor([500], &mut rng);
    /// assert!(small.abs().max() < 0.1);
    /// assert_eq!(bias.sum(), 0.0);
    /// ```
    ///
    /// # Panics
    /// If the scheme's parameters are invalid (see [`Init::check`]), or it
    /// needs fans and `shape` is not `[fan_in, fan_out]` with both positive:
    /// `he_normal: needs a 2-d weight shape [in, out] with positive sizes, got [500]`.
    #[track_caller]
    pub fn tensor<T: Float, R: Rng + ?Sized>(
        &self,
        shape: impl AsRef<[usize]>,
        rng: &mut R,
    ) -> Tensor<T> {
        let shape = shape.as_ref();
        match *self {
            Init::Zeros => crate::zeros(shape),
            Init::Constant(c) => {
                check_constant("constant", c);
                crate::constant(shape, T::from_f64(c))
            }
            Init::Normal { mean, std } => {
                check_normal("normal", mean, std);
                crate::normal(shape, T::from_f64(mean), T::from_f64(std), rng)
            }
            Init::Uniform { low, high } => {
                check_uniform("uniform", low, high);
                crate::uniform(shape, T::from_f64(low), T::from_f64(high), rng)
            }
            Init::LecunNormal => crate::lecun_normal(shape, rng),
            Init::LecunUniform => crate::lecun_uniform(shape, rng),
            Init::GlorotNormal => crate::glorot_normal(shape, rng),
            Init::GlorotUniform => crate::glorot_uniform(shape, rng),
            Init::HeNormal => crate::he_normal(shape, rng),
            Init::HeUniform => crate::he_uniform(shape, rng),
        }
    }

    /// The standard deviation of the values this scheme draws, for a
    /// weight with these fans (ignored by the schemes that do not use them).
    /// A uniform distribution on [−b, b) has std b/√3, so each uniform
    /// scheme has the same std as its normal twin.
    ///
    /// ```
    /// use init::Init;
    /// assert_eq!(Init::Normal { mean: 0.0, std: 0.01 }.std(500, 500), 0.01);
    /// assert_eq!(Init::LecunNormal.std(500, 500), 1.0 / 500f64.sqrt());
    /// // Glorot's average of the fans equals LeCun's fan-in for a square layer ...
    /// approx::assert_relative_eq!(Init::GlorotNormal.std(500, 500), Init::LecunNormal.std(500, 500));
    /// // ... and not for the first layer of an MNIST network.
    /// assert!(Init::GlorotNormal.std(784, 256) > Init::LecunNormal.std(784, 256));
    /// // He doubles LeCun's variance.
    /// approx::assert_relative_eq!(Init::HeNormal.std(500, 10), 2f64.sqrt() * Init::LecunNormal.std(500, 10));
    /// approx::assert_relative_eq!(Init::HeUniform.std(500, 10), Init::HeNormal.std(500, 10));
    /// ```
    ///
    /// # Panics
    /// If the parameters are invalid (see [`Init::check`]), or the scheme
    /// needs fans and one of them is 0:
    /// `Init::std: He normal needs positive fans, got (0, 10)`.
    #[track_caller]
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        self.check();
        if self.needs_fans() && (fan_in == 0 || fan_out == 0) {
            panic!("Init::std: {self} needs positive fans, got ({fan_in}, {fan_out})");
        }
        match *self {
            Init::Zeros | Init::Constant(_) => 0.0,
            Init::Normal { std, .. } => std,
            Init::Uniform { low, high } => (high - low) / 12f64.sqrt(),
            Init::LecunNormal | Init::LecunUniform => lecun_std(fan_in),
            Init::GlorotNormal | Init::GlorotUniform => glorot_std(fan_in, fan_out),
            Init::HeNormal | Init::HeUniform => he_std(fan_in),
        }
    }

    /// Whether the scheme scales by the fans of a weight matrix (LeCun,
    /// Glorot, He), and so applies to 2-d shapes only.
    ///
    /// ```
    /// use init::Init;
    /// assert!(Init::GlorotUniform.needs_fans());
    /// assert!(!Init::Zeros.needs_fans());
    /// ```
    pub fn needs_fans(&self) -> bool {
        !matches!(
            self,
            Init::Zeros | Init::Constant(_) | Init::Normal { .. } | Init::Uniform { .. }
        )
    }

    /// Whether the scheme can fill a tensor of this shape: any shape for
    /// the first four variants, `[fan_in, fan_out]` with both positive for
    /// the fan-based ones.
    ///
    /// ```
    /// use init::Init;
    /// assert!(Init::HeNormal.fits(&[784, 256]));
    /// assert!(!Init::HeNormal.fits(&[256])); // a bias has no fans
    /// assert!(Init::Zeros.fits(&[256]));
    /// ```
    pub fn fits(&self, shape: &[usize]) -> bool {
        !self.needs_fans() || has_positive_fans(shape)
    }

    /// Checks the scheme's own parameters: a finite constant, a finite mean
    /// and a finite non-negative std, finite bounds with low < high.
    /// [`tensor`](Init::tensor), [`std`](Init::std) and the functions that
    /// apply a scheme to a module call it first.
    ///
    /// ```
    /// use init::Init;
    /// Init::Normal { mean: 0.0, std: 0.01 }.check(); // fine
    /// ```
    ///
    /// # Panics
    /// With the message of the scheme's function:
    /// `normal: std must be finite and >= 0, got -0.01`,
    /// `uniform: needs finite low < high, got [1, -1)`,
    /// `constant: value must be finite, got NaN`.
    #[track_caller]
    pub fn check(&self) {
        match *self {
            Init::Constant(c) => check_constant("constant", c),
            Init::Normal { mean, std } => check_normal("normal", mean, std),
            Init::Uniform { low, high } => check_uniform("uniform", low, high),
            _ => {}
        }
    }
}

impl fmt::Display for Init {
    /// The scheme as the literature writes it: `N(0, 0.01²)`, `LeCun
    /// normal`, `He uniform`, ...
    ///
    /// ```
    /// use init::Init;
    /// assert_eq!(Init::Normal { mean: 0.0, std: 0.01 }.to_string(), "N(0, 0.01²)");
    /// assert_eq!(Init::GlorotUniform.to_string(), "Glorot uniform");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Init::Zeros => write!(f, "zeros"),
            Init::Constant(c) => write!(f, "constant {c}"),
            Init::Normal { mean, std } => write!(f, "N({mean}, {std}²)"),
            Init::Uniform { low, high } => write!(f, "U[{low}, {high})"),
            Init::LecunNormal => write!(f, "LeCun normal"),
            Init::LecunUniform => write!(f, "LeCun uniform"),
            Init::GlorotNormal => write!(f, "Glorot normal"),
            Init::GlorotUniform => write!(f, "Glorot uniform"),
            Init::HeNormal => write!(f, "He normal"),
            Init::HeUniform => write!(f, "He uniform"),
        }
    }
}
