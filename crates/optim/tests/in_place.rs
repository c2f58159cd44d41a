//! Optimizers update parameters where they lie and reuse their state: no
//! copy of a parameter and no new state tensor at steady state. Also: which
//! parameters `step` touches.

use autograd::{Graph, Param};
use layers::{Mlp, Module, Sequential};
use optim::{AdaGrad, Adam, AdamW, Momentum, Nesterov, Optimizer, RmsProp, Sgd};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

fn net() -> Sequential {
    Mlp::new(&[3, 5, 2]).build(&mut StdRng::seed_from_u64(7))
}

fn data_pointer(t: &Tensor) -> *const f32 {
    t.as_slice().expect("row-major").as_ptr()
}

/// One training step of `net` on a fixed batch.
fn train_step(net: &mut Sequential, opt: &mut dyn Optimizer, g: &Graph) {
    let x = Tensor::from([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]]);
    let loss = losses::cross_entropy(net.forward(g.input(x)), &[1, 0]);
    let grads = loss.backward();
    opt.step(net, &grads);
}

/// Trains for 20 steps and checks that neither the parameters' storage nor
/// the optimizer's state tensors move after the first step. `state` lists
/// the data pointers of the optimizer's state tensors for a parameter.
fn check<O: Optimizer + 'static>(mut opt: O, state: impl Fn(&O, &Param) -> Vec<*const f32>) {
    let mut net = net();
    let g = Graph::new();
    let params = |net: &Sequential| -> Vec<*const f32> {
        net.params()
            .iter()
            .map(|p| data_pointer(p.value()))
            .collect()
    };
    let states = |net: &Sequential, opt: &O| -> Vec<*const f32> {
        net.params().iter().flat_map(|p| state(opt, p)).collect()
    };
    let before = params(&net);
    let values_before: Vec<Vec<f32>> = net.params().iter().map(|p| p.value().to_vec()).collect();
    train_step(&mut net, &mut opt, &g);
    let (after_one, state_after_one) = (params(&net), states(&net, &opt));
    for _ in 0..20 {
        train_step(&mut net, &mut opt, &g);
    }
    let name = opt.name();
    assert_eq!(params(&net), before, "{name}: a parameter was copied");
    assert_eq!(after_one, before, "{name}: a parameter was copied");
    assert_eq!(
        states(&net, &opt),
        state_after_one,
        "{name}: state was reallocated"
    );
    let values: Vec<Vec<f32>> = net.params().iter().map(|p| p.value().to_vec()).collect();
    assert_ne!(values, values_before, "{name}: nothing was updated");
}

fn ptr(t: Option<&Tensor>) -> *const f32 {
    data_pointer(t.expect("the optimizer has state for every parameter"))
}

#[test]
fn parameters_are_updated_in_place_and_state_is_reused() {
    check(Sgd::new(0.1), |_, _| vec![]);
    check(Sgd::new(0.1).weight_decay(1e-2), |_, _| vec![]);
    check(Momentum::new(0.1, 0.9), |o, p| vec![ptr(o.velocity(p))]);
    check(Nesterov::new(0.1, 0.9), |o, p| vec![ptr(o.velocity(p))]);
    check(AdaGrad::new(0.1), |o, p| vec![ptr(o.cache(p))]);
    check(RmsProp::new(0.01), |o, p| vec![ptr(o.cache(p))]);
    let moments = |m: Option<(&Tensor, &Tensor)>| {
        let (m, v) = m.expect("state for every parameter");
        vec![data_pointer(m), data_pointer(v)]
    };
    check(Adam::new(0.01), move |o, p| moments(o.moments(p)));
    check(
        Adam::new(0.01).weight_decay(1e-2).without_bias_correction(),
        move |o, p| moments(o.moments(p)),
    );
    check(AdamW::new(0.01), move |o, p| moments(o.moments(p)));
}

#[test]
fn a_snapshot_of_a_parameter_is_not_changed_by_the_update() {
    // A parameter whose value is shared (a saved copy of the best weights)
    // is copied once on write; the snapshot keeps the old values.
    let mut w = Param::new(Tensor::from([1.0f32, 2.0]));
    let snapshot = w.value().clone();
    assert!(snapshot.shares_storage_with(w.value()));
    let mut opt = Adam::new(0.1);
    opt.update(&mut w, &Tensor::from([1.0, 1.0]));
    assert_eq!(snapshot.to_vec(), vec![1.0, 2.0]);
    assert!(!snapshot.shares_storage_with(w.value()));
    // From then on the parameter is alone again and updated in place.
    let here = data_pointer(w.value());
    opt.update(&mut w, &Tensor::from([1.0, 1.0]));
    assert_eq!(data_pointer(w.value()), here);
}

#[test]
fn step_skips_parameters_without_a_gradient() {
    // A loss that depends only on the first layer's weight: the other
    // parameters have no gradient, keep their values and get no state.
    let mut net = net();
    let mut opt = Adam::new(0.01);
    let before: Vec<Vec<f32>> = net.params().iter().map(|p| p.value().to_vec()).collect();
    let g = Graph::new();
    for _ in 0..3 {
        let loss = g.param(net.params()[0]).powi(2).sum();
        let grads = loss.backward();
        assert_eq!(grads.len(), 1);
        opt.step(&mut net, &grads);
    }
    let names = net.param_names();
    assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
    for (i, p) in net.params().iter().enumerate() {
        if i == 0 {
            assert_ne!(p.value().to_vec(), before[0], "{}", names[i]);
            assert_eq!(opt.steps(p), 3);
        } else {
            assert_eq!(p.value().to_vec(), before[i], "{}", names[i]);
            assert_eq!(opt.steps(p), 0, "{}", names[i]);
            assert!(opt.moments(p).is_none());
        }
    }
}

#[test]
fn step_params_skips_parameters_without_a_gradient() {
    let mut used = Param::new(Tensor::from([3.0]));
    let mut unused = Param::new(Tensor::from([5.0]));
    let mut opt = Momentum::new(0.1, 0.9);
    let g = Graph::new();
    let loss = g.param(&used).powi(2).sum(); // d/dw w² = 2w = 6
    let grads = loss.backward();
    opt.step_params(&mut [&mut used, &mut unused], &grads);
    assert_eq!(used.value().to_vec(), vec![3.0 - 0.1 * 6.0]);
    assert_eq!(unused.value().to_vec(), vec![5.0]);
    assert!(opt.velocity(&unused).is_none());
}

#[test]
fn state_is_kept_per_parameter() {
    // Two parameters, updated in alternation and in changing order: each
    // velocity sees only its own gradients.
    let mut opt = Momentum::new(1.0, 0.5);
    let mut a = Param::new(Tensor::from([0.0]));
    let mut b = Param::new(Tensor::from([0.0, 0.0]));
    opt.update(&mut a, &Tensor::from([1.0])); // v_a = −1
    opt.update(&mut b, &Tensor::from([2.0, 2.0])); // v_b = −2
    opt.update(&mut b, &Tensor::from([2.0, 2.0])); // v_b = −1 − 2 = −3
    opt.update(&mut a, &Tensor::from([1.0])); // v_a = −0.5 − 1 = −1.5
    assert_eq!(opt.velocity(&a).unwrap().to_vec(), vec![-1.5]);
    assert_eq!(opt.velocity(&b).unwrap().to_vec(), vec![-3.0, -3.0]);
    assert_eq!(a.value().to_vec(), vec![-2.5]);
    assert_eq!(b.value().to_vec(), vec![-5.0, -5.0]);
}

#[test]
fn a_transposed_gradient_is_fine() {
    // Gradients from autograd are row-major, but `update` accepts any layout.
    let mut w = Param::new(Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]));
    let g = Tensor::from([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]).t(); // [2, 3], not row-major
    assert!(g.as_slice().is_none());
    Sgd::new(0.1).update(&mut w, &g);
    approx::assert_abs_diff_eq!(
        w.value(),
        &Tensor::from([[0.9, 1.8, 2.7], [3.0, 3.0, 3.0]]),
        epsilon = 1e-6
    );
}
