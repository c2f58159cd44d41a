//! The lecture's momentum and Nesterov rules against the other ways they
//! are written: PyTorch's buffer form, and Nesterov's look-ahead gradient.

use approx::assert_abs_diff_eq;
use autograd::Param;
use optim::{Momentum, Nesterov, Optimizer};
use tensor::Tensor;

/// A quadratic f(w) = ½ wᵀ A w with a non-diagonal A (so the coordinates
/// interact); its gradient is A w.
const A: [[f64; 2]; 2] = [[2.0, 0.5], [0.5, 0.2]];

fn grad(w: [f64; 2]) -> [f64; 2] {
    [
        A[0][0] * w[0] + A[0][1] * w[1],
        A[1][0] * w[0] + A[1][1] * w[1],
    ]
}

fn get(p: &Param<f64>) -> [f64; 2] {
    let v = p.value().to_vec();
    [v[0], v[1]]
}

fn tensor(v: [f64; 2]) -> Tensor<f64> {
    Tensor::from(v)
}

const START: [f64; 2] = [-3.0, 4.0];

#[test]
fn momentum_equals_pytorch_form_with_a_constant_learning_rate() {
    let (lr, mu) = (0.1, 0.9);
    let mut opt = Momentum::new(lr, mu);
    let mut w = Param::new(tensor(START));
    // PyTorch: b ← μb + g; w ← w − lr·b
    let (mut u, mut b) = (START, [0.0; 2]);
    for _ in 0..200 {
        let g = grad(get(&w));
        opt.update(&mut w, &tensor(g));
        let g = grad(u);
        for i in 0..2 {
            b[i] = mu * b[i] + g[i];
            u[i] -= lr * b[i];
        }
        // Same trajectory, up to rounding: v = −lr·b.
        assert_abs_diff_eq!(get(&w).as_slice(), u.as_slice(), epsilon = 1e-12);
        let v = opt.velocity(&w).expect("updated").to_vec();
        assert_abs_diff_eq!(
            v.as_slice(),
            [-lr * b[0], -lr * b[1]].as_slice(),
            epsilon = 1e-12
        );
    }
}

#[test]
fn momentum_differs_from_pytorch_form_when_the_learning_rate_changes() {
    let (lr1, lr2, mu) = (0.1, 0.01, 0.9);
    let mut opt = Momentum::new(lr1, mu);
    let mut w = Param::new(tensor(START));
    let (mut u, mut b) = (START, [0.0; 2]);
    for step in 0..40 {
        let lr = if step < 20 { lr1 } else { lr2 };
        if step == 20 {
            opt.set_learning_rate(lr2);
            // Identical up to here.
            assert_abs_diff_eq!(get(&w).as_slice(), u.as_slice(), epsilon = 1e-12);
        }
        let before = get(&w);
        let v_before = opt.velocity(&w).map(|v| v.to_vec());
        let g = grad(before);
        opt.update(&mut w, &tensor(g));
        let u_before = u;
        let g_u = grad(u);
        for i in 0..2 {
            b[i] = mu * b[i] + g_u[i];
            u[i] -= lr * b[i];
        }
        if step == 20 {
            // The first step at the new rate, from the same point with the
            // same velocity v = −lr₁·b:
            //   lecture:  μ·v − lr₂·g          (the old velocity keeps its scale)
            //   PyTorch: −lr₂·(μ·b + g) = (lr₂/lr₁)·μ·v − lr₂·g   (rescaled at once)
            // so they differ by μ·v·(1 − lr₂/lr₁).
            let v = v_before.expect("updated before");
            for i in 0..2 {
                let lecture_step = get(&w)[i] - before[i];
                let pytorch_step = u[i] - u_before[i];
                assert_abs_diff_eq!(
                    lecture_step - pytorch_step,
                    mu * v[i] * (1.0 - lr2 / lr1),
                    epsilon = 1e-12
                );
                assert!((lecture_step - pytorch_step).abs() > 1e-3);
            }
        }
    }
    let gap = (get(&w)[0] - u[0]).abs().max((get(&w)[1] - u[1]).abs());
    assert!(gap > 1e-2, "the trajectories should have parted, gap {gap}");
}

#[test]
fn nesterov_is_momentum_with_the_gradient_at_the_look_ahead_point() {
    let (lr, mu) = (0.1, 0.9);
    let mut opt = Nesterov::new(lr, mu);
    // The optimizer holds φ = w + μv and is given the gradient at φ.
    let mut phi = Param::new(tensor(START));
    // The textbook rule: v ← μv − lr·∇f(w + μv); w ← w + v.
    let (mut w, mut v) = (START, [0.0; 2]);
    for _ in 0..200 {
        let g = grad(get(&phi));
        opt.update(&mut phi, &tensor(g));
        let ahead = [w[0] + mu * v[0], w[1] + mu * v[1]];
        let g = grad(ahead);
        for i in 0..2 {
            v[i] = mu * v[i] - lr * g[i];
            w[i] += v[i];
        }
        let expected = [w[0] + mu * v[0], w[1] + mu * v[1]];
        assert_abs_diff_eq!(get(&phi).as_slice(), expected.as_slice(), epsilon = 1e-12);
        let velocity = opt.velocity(&phi).expect("updated").to_vec();
        assert_abs_diff_eq!(velocity.as_slice(), v.as_slice(), epsilon = 1e-12);
    }
    // Both reach the minimum at 0, where φ and w meet.
    assert!(get(&phi)[0].abs() < 1e-3 && get(&phi)[1].abs() < 1e-3);
}

#[test]
fn nesterov_equals_pytorch_nesterov_with_a_constant_learning_rate() {
    let (lr, mu) = (0.1, 0.9);
    let mut opt = Nesterov::new(lr, mu);
    let mut w = Param::new(tensor(START));
    // PyTorch SGD(nesterov=True): b ← μb + g; w ← w − lr·(g + μb)
    let (mut u, mut b) = (START, [0.0; 2]);
    for _ in 0..200 {
        let g = grad(get(&w));
        opt.update(&mut w, &tensor(g));
        let g = grad(u);
        for i in 0..2 {
            b[i] = mu * b[i] + g[i];
            u[i] -= lr * (g[i] + mu * b[i]);
        }
        assert_abs_diff_eq!(get(&w).as_slice(), u.as_slice(), epsilon = 1e-12);
    }
}

#[test]
fn nesterov_differs_from_momentum() {
    let mut momentum = Momentum::new(0.1, 0.9);
    let mut nesterov = Nesterov::new(0.1, 0.9);
    let (mut a, mut b) = (Param::new(tensor(START)), Param::new(tensor(START)));
    for _ in 0..5 {
        let g = grad(get(&a));
        momentum.update(&mut a, &tensor(g));
        let g = grad(get(&b));
        nesterov.update(&mut b, &tensor(g));
    }
    assert!((get(&a)[0] - get(&b)[0]).abs() > 1e-3);
}

#[test]
fn zero_momentum_is_plain_sgd() {
    let mut sgd = optim::Sgd::new(0.1);
    let mut momentum = Momentum::new(0.1, 0.0);
    let mut nesterov = Nesterov::new(0.1, 0.0);
    let mut ws = [START; 3].map(|w| Param::new(tensor(w)));
    for _ in 0..20 {
        let g: Vec<Tensor<f64>> = ws.iter().map(|w| tensor(grad(get(w)))).collect();
        sgd.update(&mut ws[0], &g[0]);
        momentum.update(&mut ws[1], &g[1]);
        nesterov.update(&mut ws[2], &g[2]);
    }
    assert_eq!(get(&ws[0]), get(&ws[1]));
    assert_abs_diff_eq!(
        get(&ws[0]).as_slice(),
        get(&ws[2]).as_slice(),
        epsilon = 1e-15
    );
}
