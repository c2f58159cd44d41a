//! Gradient checking for whole modules: input and every parameter.

use autograd::{GradcheckReport, Graph, Worst};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

use crate::Module;

/// Checks the gradients of a module (in f64) with respect to its input and
/// to every one of its parameters, by central differences, as
/// [`autograd::gradcheck`] does for functions: the output is projected to
/// L = Σ forward(x) ⊙ R with a random R (seed 0), and each analytic ∂L/∂θ is
/// compared with (L(θ + h) − L(θ − h)) / 2h for h = 1e-6.
///
/// In the report, `worst.input` is 0 for the module's input and k for the
/// k-th parameter in visiting order, counting from one
/// ([`Module::named_params`]).
/// The module is left with its parameters unchanged.
///
/// ```
/// use layers::{gradcheck_module, Activation, Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net: Sequential<f64> = Mlp::new(&[3, 4, 2]).activation(Activation::Tanh).build(&mut rng);
/// let x = Tensor::randn([5, 3], &mut rng);
/// gradcheck_module(&mut net, &x).assert_below(1e-6);
/// ```
pub fn gradcheck_module<M: Module<f64> + ?Sized>(
    module: &mut M,
    input: &Tensor<f64>,
) -> GradcheckReport {
    const EPS: f64 = 1e-6;
    // Analytic gradients.
    let graph = Graph::new();
    let x = graph.leaf(input.to_contiguous());
    let out = module.forward(x);
    let r = Tensor::<f64>::randn(out.shape(), &mut StdRng::seed_from_u64(0));
    let grads = (out * graph.input(r.clone())).sum().backward();
    let mut analytic = vec![grads.wrt(x).to_contiguous()];
    for p in module.params() {
        analytic.push(
            grads
                .get(p)
                .map_or_else(|| Tensor::zeros(p.shape()), Tensor::to_contiguous),
        );
    }

    // Numeric: L with one entry of the input or of one parameter moved by ±h.
    let probe = Graph::inference();
    let loss = |module: &M, x: &Tensor<f64>| -> f64 {
        probe.clear();
        (&module.forward(probe.input(x.clone())).value() * &r).sum()
    };
    let mut report = GradcheckReport {
        max_rel_error: 0.0,
        worst: None,
        checked: 0,
    };
    let mut x = input.to_contiguous();
    for (k, grad) in analytic.iter().enumerate() {
        let grad = grad.as_slice().expect("contiguous");
        for (flat, &a) in grad.iter().enumerate() {
            let original = entry(module, &mut x, k, flat, None);
            let mut at = |value: f64| -> f64 {
                entry(module, &mut x, k, flat, Some(value));
                loss(module, &x)
            };
            let plus = at(original + EPS);
            let minus = at(original - EPS);
            // Restore the exact original value (x + h − h need not be x).
            entry(module, &mut x, k, flat, Some(original));
            let numeric = (plus - minus) / (2.0 * EPS);
            let err = (a - numeric).abs() / a.abs().max(numeric.abs()).max(1.0);
            report.checked += 1;
            let worse =
                !report.max_rel_error.is_nan() && (err.is_nan() || err > report.max_rel_error);
            if report.worst.is_none() || worse {
                let shape = analytic[k].shape();
                report.max_rel_error = err;
                report.worst = Some(Worst {
                    input: k,
                    index: unravel(flat, shape),
                    analytic: a,
                    numeric,
                });
            }
        }
    }
    report
}

/// Reads entry `flat` of the input (k = 0) or of parameter k − 1, and
/// overwrites it with `value` if one is given; returns the old value.
fn entry<M: Module<f64> + ?Sized>(
    module: &mut M,
    x: &mut Tensor<f64>,
    k: usize,
    flat: usize,
    value: Option<f64>,
) -> f64 {
    fn swap(t: &mut Tensor<f64>, flat: usize, value: Option<f64>) -> f64 {
        let slot = &mut t.view_mut().into_slice().expect("contiguous")[flat];
        let old = *slot;
        if let Some(v) = value {
            *slot = v;
        }
        old
    }
    if k == 0 {
        return swap(x, flat, value);
    }
    let (mut index, mut old) = (0, f64::NAN);
    module.visit_params_mut("", &mut |_, p| {
        index += 1;
        if index == k {
            let mut v = p.value().to_contiguous();
            old = swap(&mut v, flat, value);
            p.set(v);
        }
    });
    old
}

fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (i, &len) in shape.iter().enumerate().rev() {
        index[i] = flat % len;
        flat /= len;
    }
    index
}
