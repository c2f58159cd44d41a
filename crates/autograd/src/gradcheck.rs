//! Gradient checking: analytic gradients against central differences.

use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

use crate::{Graph, Var};

/// Settings of [`gradcheck_with`].
#[derive(Clone, Copy, Debug)]
pub struct GradcheckConfig {
    /// The step h of the central difference (f(x+h) − f(x−h)) / 2h.
    pub eps: f64,
    /// Seed of the random projection R.
    pub seed: u64,
}

impl Default for GradcheckConfig {
    /// h = 1e-6 (in f64 the truncation error, O(h²), and the rounding
    /// error, O(1e-16 / h), are then both around 1e-10), seed 0.
    fn default() -> Self {
        GradcheckConfig { eps: 1e-6, seed: 0 }
    }
}

/// Where the analytic and numeric gradients disagreed most.
#[derive(Clone, Debug, PartialEq)]
pub struct Worst {
    /// Which input (position in the `inputs` slice).
    pub input: usize,
    /// The element's index within that input.
    pub index: Vec<usize>,
    /// The gradient computed by `backward`.
    pub analytic: f64,
    /// The gradient estimated by central differences.
    pub numeric: f64,
}

/// The outcome of a gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct GradcheckReport {
    /// The largest relative error over every element of every input:
    /// |a − n| / max(|a|, |n|, 1), where `a` is the analytic and `n` the
    /// numeric gradient. (Relative for gradients larger than 1, absolute for
    /// smaller ones, so that entries that should be 0 do not divide noise by
    /// noise.) Below 1e-7: correct; around 1e-4 or above: suspect a bug.
    pub max_rel_error: f64,
    /// The element where `max_rel_error` occurred (`None` with no elements).
    pub worst: Option<Worst>,
    /// How many gradient entries were compared.
    pub checked: usize,
}

impl GradcheckReport {
    /// Panics with the report unless `max_rel_error < tol` (NaN fails).
    #[track_caller]
    pub fn assert_below(&self, tol: f64) {
        // `!(x < tol)` so that a NaN error fails too.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        if !(self.max_rel_error < tol) {
            panic!("gradcheck failed (tolerance {tol:e}): {self}");
        }
    }
}

impl fmt::Display for GradcheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "max relative error {:.3e} over {} entries",
            self.max_rel_error, self.checked
        )?;
        if let Some(w) = &self.worst {
            write!(
                f,
                ", worst at input {} index {:?}: analytic {:.10e}, numeric {:.10e}",
                w.input, w.index, w.analytic, w.numeric
            )?;
        }
        Ok(())
    }
}

/// Checks the gradients of `f` at `inputs` against central differences, in
/// f64, with the default [`GradcheckConfig`].
///
/// `f` receives one leaf variable per input and returns a variable of any
/// shape. Its output is projected to one number, L = Σ f(x) ⊙ R with a random
/// R (fixed seed), and for every element xᵢ of every input the analytic
/// ∂L/∂xᵢ from `backward` is compared with (L(xᵢ + h) − L(xᵢ − h)) / 2h.
/// A random R, rather than all ones, makes every output element count with
/// a different weight: with all ones, gradients that are wrong but sum to the
/// right total (or that should cancel, as in batch normalisation) pass.
///
/// ```
/// use autograd::gradcheck;
/// use tensor::Tensor;
/// let x = Tensor::from([[0.3, -1.2], [2.0, 0.7]]);
/// let w = Tensor::from([[1.5, -0.5, 0.1], [0.2, 0.8, -1.0]]);
/// let report = gradcheck(&[x, w], |v| v[0].matmul(v[1]).tanh());
/// report.assert_below(1e-7);
/// ```
#[track_caller]
pub fn gradcheck<F>(inputs: &[Tensor<f64>], f: F) -> GradcheckReport
where
    F: for<'g> Fn(&[Var<'g, f64>]) -> Var<'g, f64>,
{
    gradcheck_with(inputs, f, GradcheckConfig::default())
}

/// [`gradcheck`] with an explicit step and seed.
///
/// # Panics
/// If `eps` is not positive and finite.
#[track_caller]
pub fn gradcheck_with<F>(inputs: &[Tensor<f64>], f: F, config: GradcheckConfig) -> GradcheckReport
where
    F: for<'g> Fn(&[Var<'g, f64>]) -> Var<'g, f64>,
{
    assert!(
        config.eps > 0.0 && config.eps.is_finite(),
        "gradcheck: eps must be positive, got {}",
        config.eps
    );
    // Analytic: one forward and backward pass of L = Σ f(x) ⊙ R.
    let graph = Graph::new();
    let leaves: Vec<Var<'_, f64>> = inputs.iter().map(|x| graph.leaf(x.clone())).collect();
    let out = f(&leaves);
    let r = Tensor::<f64>::randn(out.shape(), &mut StdRng::seed_from_u64(config.seed));
    let projected = (out * graph.input(r.clone())).sum();
    let grads = projected.backward();
    let analytic: Vec<Tensor<f64>> = leaves
        .iter()
        .map(|&v| grads.wrt(v).to_contiguous())
        .collect();

    // Numeric: L at x ± h, one element at a time, on an inference graph.
    let probe = Graph::inference();
    let loss_at = |xs: &[Tensor<f64>]| -> f64 {
        probe.clear();
        let vars: Vec<Var<'_, f64>> = xs.iter().map(|x| probe.input(x.clone())).collect();
        let y = f(&vars).value();
        (&y * &r).sum()
    };
    let mut xs: Vec<Tensor<f64>> = inputs.iter().map(Tensor::to_contiguous).collect();
    let mut report = GradcheckReport {
        max_rel_error: 0.0,
        worst: None,
        checked: 0,
    };
    for (input, grad) in analytic.iter().enumerate() {
        let shape = xs[input].shape().to_vec();
        for flat in 0..xs[input].len() {
            let original = xs[input].as_slice().expect("contiguous")[flat];
            set(&mut xs[input], flat, original + config.eps);
            let plus = loss_at(&xs);
            set(&mut xs[input], flat, original - config.eps);
            let minus = loss_at(&xs);
            set(&mut xs[input], flat, original);
            let numeric = (plus - minus) / (2.0 * config.eps);
            let a = grad.as_slice().expect("contiguous")[flat];
            let err = (a - numeric).abs() / a.abs().max(numeric.abs()).max(1.0);
            report.checked += 1;
            // A NaN error counts as the worst, and stays the worst.
            let worse =
                !report.max_rel_error.is_nan() && (err.is_nan() || err > report.max_rel_error);
            if report.worst.is_none() || worse {
                report.max_rel_error = err;
                report.worst = Some(Worst {
                    input,
                    index: unravel(flat, &shape),
                    analytic: a,
                    numeric,
                });
            }
        }
    }
    report
}

fn set(x: &mut Tensor<f64>, flat: usize, value: f64) {
    x.view_mut().as_slice_mut().expect("contiguous")[flat] = value;
}

/// Row-major flat index → multi-index.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (i, &len) in shape.iter().enumerate().rev() {
        index[i] = flat % len;
        flat /= len;
    }
    index
}
