//! Adam's bias correction and weight decay, with the numbers.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use autograd::Param;
use optim::{Adam, AdamW, Optimizer};
use tensor::Tensor;

/// The step one update takes: new weights minus old.
fn step(opt: &mut impl Optimizer<f64>, w: &mut Param<f64>, g: &Tensor<f64>) -> Vec<f64> {
    let before = w.value().to_vec();
    opt.update(w, g);
    w.value()
        .to_vec()
        .iter()
        .zip(&before)
        .map(|(a, b)| a - b)
        .collect()
}

#[test]
fn bias_correction_at_the_first_step() {
    // At t = 1: m = (1 − β₁)·g = 0.1·g and v = (1 − β₂)·g² = 0.001·g².
    let lr = 0.01;
    let g = Tensor::from([0.5, -4.0]);
    let mut corrected = Adam::new(lr);
    let mut slides = Adam::new(lr).without_bias_correction();
    let mut w1 = Param::new(Tensor::zeros([2]));
    let mut w2 = Param::new(Tensor::zeros([2]));
    let s1 = step(&mut corrected, &mut w1, &g);
    let s2 = step(&mut slides, &mut w2, &g);
    let (m, v) = slides.moments(&w2).expect("updated");
    assert_abs_diff_eq!(m, &(&g * 0.1), epsilon = 1e-15);
    assert_relative_eq!(v, &(&g * &g * 0.001), max_relative = 1e-12);
    for (i, &gi) in g.to_vec().iter().enumerate() {
        let sign = gi.signum();
        // Corrected: m̂ = g, v̂ = g², step = −lr·g/(|g| + ε) = −lr·sign(g).
        assert_relative_eq!(s1[i], -lr * sign, max_relative = 1e-5);
        // Uncorrected: −lr·0.1·g/(√0.001·|g| + 1e-7) ≈ −√10·lr·sign(g), since 0.1/√0.001 = √10.
        assert_relative_eq!(s2[i], -lr * 0.1 * gi / (0.001f64.sqrt() * gi.abs() + 1e-7));
        assert_relative_eq!(s2[i], -10f64.sqrt() * lr * sign, max_relative = 1e-4);
    }
    assert_relative_eq!(10f64.sqrt(), 3.162_277_660_168_379_5);
}

#[test]
fn uncorrected_steps_are_too_large_for_hundreds_of_steps() {
    // With a constant gradient, m̂ = g and v̂ = g² at every t, so the corrected
    // step is lr; the uncorrected one is lr·(1 − β₁ᵗ)/√(1 − β₂ᵗ) (ε aside):
    // √10 ≈ 3.16 at t = 1, 6.5 at t = 10, 3.2 at t = 100, 1.26 at t = 1000.
    let (lr, g) = (1e-3, Tensor::from([2.0]));
    let mut corrected = Adam::new(lr);
    let mut slides = Adam::new(lr).without_bias_correction();
    let mut w1 = Param::new(Tensor::zeros([1]));
    let mut w2 = Param::new(Tensor::zeros([1]));
    for t in 1..=1000 {
        let s1 = step(&mut corrected, &mut w1, &g)[0];
        let s2 = step(&mut slides, &mut w2, &g)[0];
        assert_relative_eq!(s1, -lr, max_relative = 1e-6);
        let ratio = (1.0 - 0.9f64.powi(t)) / (1.0 - 0.999f64.powi(t)).sqrt();
        assert_relative_eq!(s2 / s1, ratio, max_relative = 1e-5); // ε = 1e-7 against √v ≈ 6e-5
        match t {
            1 => assert_relative_eq!(s2 / s1, 3.162, max_relative = 1e-3),
            10 => assert_relative_eq!(s2 / s1, 6.53, max_relative = 1e-3),
            100 => assert_relative_eq!(s2 / s1, 3.241, max_relative = 1e-3),
            1000 => assert_relative_eq!(s2 / s1, 1.258, max_relative = 1e-3),
            _ => {}
        }
    }
}

#[test]
fn eps_is_1e_7_without_bias_correction_unless_set() {
    // A gradient so small that ε matters: m = 1e-6, √v = √(1e-13) ≈ 3.16e-7.
    let (lr, g) = (0.1, Tensor::from([1e-5]));
    let expected = |eps: f64| -lr * 1e-6 / (1e-13f64.sqrt() + eps);
    for (opt, eps) in [
        (Adam::new(lr).without_bias_correction(), 1e-7),
        (Adam::new(lr).eps(1e-8).without_bias_correction(), 1e-8),
        (Adam::new(lr).without_bias_correction().eps(1e-3), 1e-3),
    ] {
        let mut opt = opt;
        let mut w = Param::new(Tensor::zeros([1]));
        assert_relative_eq!(
            step(&mut opt, &mut w, &g)[0],
            expected(eps),
            max_relative = 1e-9
        );
    }
    // With bias correction the default is 1e-8: m̂ = 1e-5, √v̂ = 1e-5.
    let mut w = Param::new(Tensor::zeros([1]));
    let s = step(&mut Adam::new(lr), &mut w, &g)[0];
    assert_relative_eq!(s, -lr * 1e-5 / (1e-5 + 1e-8), max_relative = 1e-9);
}

#[test]
fn step_count_is_per_parameter() {
    let lr = 0.1;
    let mut opt = Adam::new(lr);
    let (mut a, mut b) = (
        Param::new(Tensor::from([0.0])),
        Param::new(Tensor::from([0.0])),
    );
    let g = Tensor::from([1.0]);
    for _ in 0..3 {
        opt.update(&mut a, &g);
    }
    // b's first update is its t = 1, corrected as such: a step of lr.
    let s = step(&mut opt, &mut b, &Tensor::from([-3.0]))[0];
    assert_relative_eq!(s, lr, max_relative = 1e-7);
    assert_eq!((opt.steps(&a), opt.steps(&b)), (3, 1));
    let never = Param::new(Tensor::from([0.0]));
    assert_eq!(opt.steps(&never), 0);
    assert!(opt.moments(&never).is_none());
}

#[test]
fn adamw_decays_every_weight_by_the_same_factor_adam_l2_does_not() {
    // Two weights of 1.0; the loss gradient is large on the first, zero on
    // the second. How much does weight decay (wd = 0.1) change the step?
    let (lr, wd) = (0.01, 0.1);
    let g = Tensor::from([100.0, 0.0]);
    let decay_effect = |mut with: Box<dyn Optimizer<f64>>, mut without: Box<dyn Optimizer<f64>>| {
        let mut w1 = Param::new(Tensor::from([1.0, 1.0]));
        let mut w2 = Param::new(Tensor::from([1.0, 1.0]));
        with.update(&mut w1, &g);
        without.update(&mut w2, &g);
        let (a, b) = (w1.value().to_vec(), w2.value().to_vec());
        vec![a[0] - b[0], a[1] - b[1]]
    };
    // AdamW: w·(1 − lr·wd) on both, whatever the gradient: −lr·wd·w = −0.001 each.
    let adamw = decay_effect(
        Box::new(AdamW::new(lr).weight_decay(wd)),
        Box::new(AdamW::new(lr).weight_decay(0.0)),
    );
    assert_abs_diff_eq!(
        adamw.as_slice(),
        [-0.001, -0.001].as_slice(),
        epsilon = 1e-12
    );
    // Adam + L2: wd·w joins the gradient and is normalised with it. On the
    // first weight 0.1 is drowned by 100 (both steps are lr·sign = 0.01);
    // on the second it *is* the gradient, so the step is a full lr = 0.01,
    // ten times AdamW's decay.
    let adam_l2 = decay_effect(
        Box::new(Adam::new(lr).weight_decay(wd)),
        Box::new(Adam::new(lr)),
    );
    assert_abs_diff_eq!(adam_l2[0], 0.0, epsilon = 1e-9);
    assert_relative_eq!(adam_l2[1], -lr, max_relative = 1e-6);
}

#[test]
fn adamw_and_adam_l2_take_different_paths() {
    // The same decay coefficient, the same loss f(w) = ½‖w − 1‖²: the paths part.
    let (lr, wd) = (0.05, 0.1);
    let mut adamw = AdamW::new(lr).weight_decay(wd);
    let mut adam = Adam::new(lr).weight_decay(wd);
    let mut w1: Param<f64> = Param::new(Tensor::from([3.0, -2.0]));
    let mut w2: Param<f64> = Param::new(Tensor::from([3.0, -2.0]));
    for _ in 0..500 {
        let g1 = w1.value() - 1.0;
        adamw.update(&mut w1, &g1);
        let g2 = w2.value() - 1.0;
        adam.update(&mut w2, &g2);
    }
    // Adam + L2 minimises ½‖w − 1‖² + ½·wd·‖w‖², whose minimum is 1/(1 + wd).
    assert_abs_diff_eq!(w2.value(), &Tensor::full([2], 1.0 / 1.1), epsilon = 1e-3);
    // AdamW does not minimise that penalised loss: its decay lr·wd·w is not
    // divided by √v̂, while the loss gradient is, so the balance of the two
    // depends on v̂ — on the gradients each weight has seen. After 500 steps
    // its weights are ≈ [0.974, 0.949]: closer to 1, and unequal although
    // the loss treats both coordinates alike.
    let (a, b) = (w1.value().to_vec(), w2.value().to_vec());
    assert!(
        a[0] > b[0] + 0.03 && a[1] > b[1] + 0.03,
        "AdamW {a:?}, Adam + L2 {b:?}"
    );
    assert!((a[0] - a[1]).abs() > 0.01);
}
