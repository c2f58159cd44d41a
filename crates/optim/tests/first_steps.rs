//! The first steps of every optimizer, against the arithmetic done by hand.
//!
//! Every test starts from the same weights and gradient, in f64:
//! w = [1.0, −2.0], g = [0.5, 0.25] (so g² = [0.25, 0.0625], |g| = g).

use approx::assert_abs_diff_eq;
use autograd::Param;
use optim::{AdaGrad, Adam, AdamW, Momentum, Nesterov, Optimizer, RmsProp, Sgd};
use tensor::Tensor;

fn start() -> (Param<f64>, Tensor<f64>) {
    (
        Param::new(Tensor::from([1.0, -2.0])),
        Tensor::from([0.5, 0.25]),
    )
}

/// Two updates with the same gradient; the weights after each.
fn two_steps(opt: &mut impl Optimizer<f64>) -> (Vec<f64>, Vec<f64>) {
    let (mut w, g) = start();
    opt.update(&mut w, &g);
    let first = w.value().to_vec();
    opt.update(&mut w, &g);
    (first, w.value().to_vec())
}

fn close(actual: &[f64], expected: &[f64], epsilon: f64) {
    assert_abs_diff_eq!(actual, expected, epsilon = epsilon);
}

#[test]
fn sgd() {
    let (first, second) = two_steps(&mut Sgd::new(0.1));
    // w − 0.1·g = [1 − 0.05, −2 − 0.025]
    close(&first, &[0.95, -2.025], 1e-15);
    // again: [0.95 − 0.05, −2.025 − 0.025]
    close(&second, &[0.9, -2.05], 1e-15);
}

#[test]
fn sgd_with_weight_decay() {
    let (first, second) = two_steps(&mut Sgd::new(0.1).weight_decay(0.1));
    // g + 0.1·w = [0.5 + 0.1, 0.25 − 0.2] = [0.6, 0.05]; w − 0.1·[0.6, 0.05] = [0.94, −2.005]
    close(&first, &[0.94, -2.005], 1e-15);
    // g + 0.1·w = [0.5 + 0.094, 0.25 − 0.2005] = [0.594, 0.0495]; w − 0.1·that
    close(&second, &[0.94 - 0.0594, -2.005 - 0.00495], 1e-15);
}

#[test]
fn momentum() {
    let (first, second) = two_steps(&mut Momentum::new(0.1, 0.9));
    // v = 0.9·0 − 0.1·g = [−0.05, −0.025]; w + v
    close(&first, &[0.95, -2.025], 1e-15);
    // v = 0.9·[−0.05, −0.025] − [0.05, 0.025] = [−0.095, −0.0475]; w + v
    close(&second, &[0.855, -2.0725], 1e-15);
}

#[test]
fn nesterov() {
    let (first, second) = two_steps(&mut Nesterov::new(0.1, 0.9));
    // v_prev = 0; v = −0.1·g = [−0.05, −0.025]; w += −0.9·0 + 1.9·v = [−0.095, −0.0475]
    close(&first, &[0.905, -2.0475], 1e-15);
    // v_prev = [−0.05, −0.025]; v = [−0.095, −0.0475];
    // w += −0.9·v_prev + 1.9·v = [0.045 − 0.1805, 0.0225 − 0.09025] = [−0.1355, −0.06775]
    close(&second, &[0.7695, -2.11525], 1e-15);
}

#[test]
fn adagrad() {
    let (first, second) = two_steps(&mut AdaGrad::new(0.1));
    // cache = g² = [0.25, 0.0625]; step = 0.1·g/(√cache + 1e-8) = 0.1·[0.5/0.50000001, 0.25/0.25000001]
    let step1 = [0.1 * 0.5 / (0.5 + 1e-8), 0.1 * 0.25 / (0.25 + 1e-8)];
    close(&first, &[1.0 - step1[0], -2.0 - step1[1]], 1e-15);
    close(&first, &[0.9, -2.1], 1e-8); // ≈ lr per weight: g/√g² = 1
    // cache = 2g²; step = 0.1·g/(√2·|g| + 1e-8) ≈ 0.1/√2 = 0.0707107 per weight
    let step2 = [
        0.1 * 0.5 / (0.5f64.sqrt() + 1e-8),
        0.1 * 0.25 / (0.125f64.sqrt() + 1e-8),
    ];
    close(&second, &[first[0] - step2[0], first[1] - step2[1]], 1e-15);
    close(&second, &[0.829_289_32, -2.170_710_68], 1e-8);
}

#[test]
fn rmsprop() {
    let (first, second) = two_steps(&mut RmsProp::new(0.01));
    // cache = 0.99·0 + 0.01·g² = [0.0025, 0.000625];
    // step = 0.01·g/√(cache + 1e-8) = 0.01·[0.5/√0.00250001, 0.25/√0.00062501] ≈ [0.1, 0.1]
    let step1 = [
        0.01 * 0.5 / (0.0025f64 + 1e-8).sqrt(),
        0.01 * 0.25 / (0.000625f64 + 1e-8).sqrt(),
    ];
    close(&first, &[1.0 - step1[0], -2.0 - step1[1]], 1e-15);
    close(&first, &[0.9, -2.1], 1e-5); // 10·lr: the first step is too large
    // cache = 0.99·0.01·g² + 0.01·g² = 0.0199·g²; step = 0.01/√0.0199 ≈ 0.0708881
    let step2 = [
        0.01 * 0.5 / (0.0199 * 0.25 + 1e-8f64).sqrt(),
        0.01 * 0.25 / (0.0199 * 0.0625 + 1e-8f64).sqrt(),
    ];
    close(&second, &[first[0] - step2[0], first[1] - step2[1]], 1e-15);
}

#[test]
fn rmsprop_with_other_decay_and_eps() {
    let (mut w, g) = start();
    RmsProp::new(0.01).decay(0.9).eps(1e-4).update(&mut w, &g);
    // cache = 0.1·g² = [0.025, 0.00625]; step = 0.01·g/√(cache + 1e-4)
    let step = [
        0.01 * 0.5 / (0.025f64 + 1e-4).sqrt(),
        0.01 * 0.25 / (0.00625f64 + 1e-4).sqrt(),
    ];
    close(&w.value().to_vec(), &[1.0 - step[0], -2.0 - step[1]], 1e-15);
}

#[test]
fn adam() {
    let (mut w, g) = start();
    let mut opt = Adam::new(0.1);
    opt.update(&mut w, &g);
    // t = 1: m = 0.1·g, v = 0.001·g²; m̂ = m/0.1 = g, v̂ = v/0.001 = g²;
    // step = 0.1·g/(|g| + 1e-8) ≈ 0.1 per weight
    let step = [0.1 * 0.5 / (0.5 + 1e-8), 0.1 * 0.25 / (0.25 + 1e-8)];
    let first = w.value().to_vec();
    close(&first, &[1.0 - step[0], -2.0 - step[1]], 1e-15);
    opt.update(&mut w, &g);
    // t = 2: m = 0.9·0.1·g + 0.1·g = 0.19·g, m̂ = 0.19·g/(1 − 0.9²) = g;
    // v = 0.999·0.001·g² + 0.001·g² = 0.001999·g², v̂ = 0.001999·g²/(1 − 0.999²) = g²:
    // a constant gradient gives steps of lr·g/(|g| + ε) at every t
    close(
        &w.value().to_vec(),
        &[first[0] - step[0], first[1] - step[1]],
        1e-14,
    );
    let (m, v) = opt.moments(&w).expect("updated twice");
    close(&m.to_vec(), &[0.19 * 0.5, 0.19 * 0.25], 1e-15);
    close(&v.to_vec(), &[0.001999 * 0.25, 0.001999 * 0.0625], 1e-15);
    assert_eq!(opt.steps(&w), 2);
}

#[test]
fn adam_without_bias_correction() {
    let (first, second) = two_steps(&mut Adam::new(0.1).without_bias_correction());
    // m = 0.1·g = [0.05, 0.025], v = 0.001·g² = [0.00025, 0.0000625];
    // step = 0.1·m/(√v + 1e-7) = 0.1·0.1·|g|/(√0.001·|g| + 1e-7) ≈ 0.316228 per weight
    let step1 = [
        0.1 * 0.05 / (0.00025f64.sqrt() + 1e-7),
        0.1 * 0.025 / (0.0000625f64.sqrt() + 1e-7),
    ];
    close(&first, &[1.0 - step1[0], -2.0 - step1[1]], 1e-15);
    close(&first, &[1.0 - 0.316_228, -2.0 - 0.316_228], 1e-5);
    // m = 0.19·g, v = 0.001999·g²; step = 0.1·0.19·|g|/(√0.001999·|g| + 1e-7) ≈ 0.424962
    let step2 = [
        0.1 * 0.19 * 0.5 / ((0.001999f64 * 0.25).sqrt() + 1e-7),
        0.1 * 0.19 * 0.25 / ((0.001999f64 * 0.0625).sqrt() + 1e-7),
    ];
    close(&second, &[first[0] - step2[0], first[1] - step2[1]], 1e-15);
}

#[test]
fn adam_with_weight_decay() {
    let (mut w, g) = start();
    Adam::new(0.1).weight_decay(0.1).update(&mut w, &g);
    // g + 0.1·w = [0.6, 0.05]; the first step is lr·g'/(|g'| + ε) ≈ 0.1 per weight
    let step = [0.1 * 0.6 / (0.6 + 1e-8), 0.1 * 0.05 / (0.05 + 1e-8)];
    close(&w.value().to_vec(), &[1.0 - step[0], -2.0 - step[1]], 1e-15);
}

#[test]
fn adamw() {
    let (first, second) = two_steps(&mut AdamW::new(0.1));
    // w·(1 − 0.1·0.01) = [0.999, −1.998]; then the Adam step ≈ 0.1 per weight
    let step1 = [0.1 * 0.5 / (0.5 + 1e-8), 0.1 * 0.25 / (0.25 + 1e-8)];
    close(&first, &[0.999 - step1[0], -1.998 - step1[1]], 1e-15);
    // w·0.999 again, then the same Adam step (m̂ = g, v̂ = g² for a constant g)
    close(
        &second,
        &[first[0] * 0.999 - step1[0], first[1] * 0.999 - step1[1]],
        1e-14,
    );
}

#[test]
fn adamw_without_weight_decay_is_adam() {
    let (adam_first, adam_second) = two_steps(&mut Adam::new(0.1));
    let (first, second) = two_steps(&mut AdamW::new(0.1).weight_decay(0.0));
    assert_eq!(first, adam_first);
    assert_eq!(second, adam_second);
}

#[test]
fn f32_steps_match_f64() {
    // The same first steps in f32, within f32 rounding.
    let g32 = Tensor::from([0.5f32, 0.25]);
    type Pair = (Box<dyn Optimizer<f32>>, Box<dyn Optimizer<f64>>);
    let mut optimizers: Vec<Pair> = vec![
        (Box::new(Sgd::new(0.1)), Box::new(Sgd::new(0.1))),
        (
            Box::new(Momentum::new(0.1, 0.9)),
            Box::new(Momentum::new(0.1, 0.9)),
        ),
        (
            Box::new(Nesterov::new(0.1, 0.9)),
            Box::new(Nesterov::new(0.1, 0.9)),
        ),
        (Box::new(AdaGrad::new(0.1)), Box::new(AdaGrad::new(0.1))),
        (Box::new(RmsProp::new(0.01)), Box::new(RmsProp::new(0.01))),
        (Box::new(Adam::new(0.1)), Box::new(Adam::new(0.1))),
        (Box::new(AdamW::new(0.1)), Box::new(AdamW::new(0.1))),
    ];
    for (o32, o64) in &mut optimizers {
        let mut w32 = Param::new(Tensor::from([1.0f32, -2.0]));
        let (mut w64, g64) = start();
        for _ in 0..3 {
            o32.update(&mut w32, &g32);
            o64.update(&mut w64, &g64);
        }
        let w32: Vec<f64> = w32.value().to_vec().into_iter().map(f64::from).collect();
        assert_abs_diff_eq!(
            w32.as_slice(),
            w64.value().to_vec().as_slice(),
            epsilon = 1e-6
        );
    }
}

#[test]
fn names() {
    let names: Vec<String> = [
        Box::new(Sgd::new(0.1)) as Box<dyn Optimizer<f64>>,
        Box::new(Sgd::new(0.1).weight_decay(1e-4)),
        Box::new(Momentum::new(0.1, 0.95)),
        Box::new(Nesterov::new(0.1, 0.99)),
        Box::new(AdaGrad::new(0.1)),
        Box::new(RmsProp::new(0.1)),
        Box::new(RmsProp::new(0.1).decay(0.9)),
        Box::new(Adam::new(0.1)),
        Box::new(Adam::new(0.1).without_bias_correction()),
        Box::new(Adam::new(0.1).weight_decay(0.01)),
        Box::new(AdamW::new(0.1)),
    ]
    .iter()
    .map(|o| o.name())
    .collect();
    assert_eq!(
        names,
        [
            "SGD",
            "SGD (weight decay 0.0001)",
            "Momentum (μ = 0.95)",
            "Nesterov (μ = 0.99)",
            "AdaGrad",
            "RMSProp",
            "RMSProp (ρ = 0.9)",
            "Adam",
            "Adam (no bias correction)",
            "Adam (weight decay 0.01)",
            "AdamW (weight decay 0.01)",
        ]
    );
}

#[test]
fn learning_rates_can_be_read_and_changed() {
    let mut opt: Box<dyn Optimizer<f64>> = Box::new(Momentum::new(0.1, 0.9));
    assert_eq!(opt.learning_rate(), 0.1);
    opt.set_learning_rate(0.01);
    assert_eq!(opt.learning_rate(), 0.01);
    let (mut w, g) = start();
    opt.update(&mut w, &g); // v = −0.01·g
    close(&w.value().to_vec(), &[0.995, -2.0025], 1e-15);
}
