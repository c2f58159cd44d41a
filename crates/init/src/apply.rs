//! Applying a scheme to a module: every weight, or the parameters whose
//! names match a pattern.

use autograd::Param;
use layers::Module;
use rand::Rng;
use tensor::{Float, Tensor};

use crate::Init;
use crate::fans::NEEDS_MATRIX;

/// Re-initialises a module: every weight matrix with `scheme`, every bias
/// with zeros.
///
/// - A **weight** is a 2-d parameter whose name is `weight` or ends in
///   `.weight` (`0.weight`, `2.weight`, ... in a [`Sequential`]); it gets a
///   fresh tensor from `scheme`, drawn from `rng` in the module's visiting
///   order.
/// - A **bias** is a parameter whose name is `bias` or ends in `.bias`; it
///   is set to zero, the usual choice (a bias does not need to break any
///   symmetry: the random weights already do). For another bias
///   initialisation, follow with [`init_matching`]`(module, "*bias", ...)`.
/// - Every other parameter is left as it is — a 1-d `weight` too (the
///   scale of a normalisation layer, chapter 7, which starts at one).
///
/// Values are replaced with [`Param::set`], so every parameter keeps its
/// id: gradients and optimizer state keyed by id still find it.
///
/// ```
/// use init::Init;
/// use layers::{Mlp, Module, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net: Sequential = Mlp::new(&[784, 256, 10]).build(&mut rng);
/// let ids: Vec<_> = net.params().iter().map(|p| p.id()).collect();
/// init::init_weights(&mut net, Init::HeNormal, &mut rng);
/// let named = net.named_params();
/// assert_eq!(named[0].0, "0.weight");
/// let std = named[0].1.value().powi(2).mean().sqrt();
/// assert!((std / (2.0f32 / 784.0).sqrt() - 1.0).abs() < 0.02);
/// assert_eq!(named[1].0, "0.bias");
/// assert_eq!(named[1].1.value().abs().max(), 0.0);
/// assert_eq!(net.params().iter().map(|p| p.id()).collect::<Vec<_>>(), ids);
/// ```
///
/// # Panics
/// If the scheme's parameters are invalid (see [`Init::check`]), or the
/// scheme needs fans and a weight has a zero size:
/// `init_weights: parameter 0.weight has shape [0, 3], but He normal needs
/// a 2-d weight shape [in, out] with positive sizes`.
///
/// [`Sequential`]: layers::Sequential
#[track_caller]
pub fn init_weights<T: Float, R: Rng + ?Sized>(
    module: &mut (impl Module<T> + ?Sized),
    scheme: Init,
    rng: &mut R,
) {
    scheme.check();
    let weights = targets(module, |name, shape| {
        last_component(name) == "weight" && shape.len() == 2
    });
    check_fit("init_weights", &weights, scheme);
    module.visit_params_mut("", &mut |name, p| match last_component(name) {
        "weight" if p.shape().len() == 2 => p.set(scheme.tensor(p.shape(), rng)),
        "bias" => p.set(Tensor::zeros(p.shape())),
        _ => {}
    });
}

/// Re-initialises the parameters whose full names match `pattern` with
/// `scheme`, and returns how many it changed.
///
/// The pattern is the full name with `*` standing for any run of
/// characters, dots included (see [`matches_pattern`]): `"0.weight"` is
/// one parameter, `"*.bias"` every bias inside a [`Sequential`], `"*bias"`
/// also a lone layer's `bias`, `"*"` everything. Parameters are visited,
/// and values drawn from `rng`, in the module's order; every changed
/// parameter keeps its id ([`Param::set`]).
///
/// A pattern that matches nothing is not an error — it returns 0 — so
/// check the count where a typo would matter:
///
/// ```
/// use init::Init;
/// use layers::{Mlp, Module, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net: Sequential = Mlp::new(&[2, 8, 8, 1]).build(&mut rng);
/// // A small positive bias in front of each ReLU, and a zero output layer.
/// assert_eq!(init::init_matching(&mut net, "*.bias", Init::Constant(0.01), &mut rng), 3);
/// assert_eq!(init::init_matching(&mut net, "4.*", Init::Zeros, &mut rng), 2);
/// assert_eq!(init::init_matching(&mut net, "0.wieght", Init::Zeros, &mut rng), 0); // a typo
/// assert_eq!(net.named_params()[1].1.value().to_vec(), vec![0.01; 8]);
/// ```
///
/// # Panics
/// If the scheme's parameters are invalid (see [`Init::check`]), or the
/// scheme needs fans and the pattern matches a parameter that is not a
/// matrix with positive sizes — checked before anything is changed:
/// `init_matching: pattern "*" matches 0.bias of shape [8], but He normal
/// needs a 2-d weight shape [in, out] with positive sizes`.
///
/// [`Sequential`]: layers::Sequential
#[track_caller]
#[must_use = "the count is 0 when the pattern matches no parameter (a typo?)"]
pub fn init_matching<T: Float, R: Rng + ?Sized>(
    module: &mut (impl Module<T> + ?Sized),
    pattern: &str,
    scheme: Init,
    rng: &mut R,
) -> usize {
    scheme.check();
    let matched = targets(module, |name, _| matches_pattern(pattern, name));
    if let Some((name, shape)) = matched.iter().find(|(_, shape)| !scheme.fits(shape)) {
        panic!(
            "init_matching: pattern {pattern:?} matches {name} of shape {shape:?}, \
             but {scheme} {NEEDS_MATRIX}"
        );
    }
    let mut changed = 0;
    module.visit_params_mut("", &mut |name, p: &mut Param<T>| {
        if matches_pattern(pattern, name) {
            p.set(scheme.tensor(p.shape(), rng));
            changed += 1;
        }
    });
    changed
}

/// Whether a parameter name matches a pattern in which `*` stands for any
/// run of characters (none included) and every other character for itself.
///
/// ```
/// use init::matches_pattern;
/// assert!(matches_pattern("*.bias", "2.bias"));
/// assert!(!matches_pattern("*.bias", "bias")); // the dot must be there
/// assert!(matches_pattern("*bias", "bias"));
/// assert!(matches_pattern("0.*", "0.weight"));
/// assert!(matches_pattern("*", "anything.at.all"));
/// assert!(!matches_pattern("0.weight", "10.weight")); // no * means the whole name
/// assert!(matches_pattern("1*.weight", "12.weight"));
/// ```
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let mut pieces = pattern.split('*');
    // The text before the first `*` must start the name ...
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty(); // no `*` at all: the whole name
    };
    // ... each piece between two `*`s must follow, as early as possible
    // (leaving the most room for the rest) ...
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    // ... and the text after the last `*` must end what remains.
    rest.ends_with(last)
}

/// The last dot-separated part of a parameter name: `"2.weight"` → `"weight"`.
fn last_component(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The names and shapes of the parameters that `select` picks.
fn targets<T: Float>(
    module: &(impl Module<T> + ?Sized),
    select: impl Fn(&str, &[usize]) -> bool,
) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    module.visit_params("", &mut |name, p| {
        if select(name, p.shape()) {
            out.push((name.to_string(), p.shape().to_vec()));
        }
    });
    out
}

/// Panics, before anything is changed, if `scheme` cannot fill one of the
/// parameters (outside the visitor closure, so that `#[track_caller]`
/// reports the caller's line).
#[track_caller]
fn check_fit(op: &str, params: &[(String, Vec<usize>)], scheme: Init) {
    if let Some((name, shape)) = params.iter().find(|(_, shape)| !scheme.fits(shape)) {
        panic!("{op}: parameter {name} has shape {shape:?}, but {scheme} {NEEDS_MATRIX}");
    }
}
