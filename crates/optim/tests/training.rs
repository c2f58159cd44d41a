//! Smoke tests: the optimizers train a real network with the real loss.

use autograd::Graph;
use layers::{Mlp, Module, Sequential};
use optim::{AdaGrad, Adam, AdamW, Cosine, Momentum, Nesterov, Optimizer, RmsProp, Schedule, Sgd};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

/// Three Gaussian blobs in the plane, 20 points each, centred on the
/// corners of a triangle: [60, 2] points and their classes.
fn blobs() -> (Tensor, Vec<usize>) {
    let mut rng = StdRng::seed_from_u64(1);
    let centres = [[0.0, 2.0], [-1.7, -1.0], [1.7, -1.0]];
    let noise: Tensor = Tensor::randn([60, 2], &mut rng);
    let mut points = Vec::with_capacity(120);
    let mut labels = Vec::with_capacity(60);
    for i in 0..60 {
        let class = i % 3;
        points.push(centres[class][0] + 0.5 * noise.at([i, 0]));
        points.push(centres[class][1] + 0.5 * noise.at([i, 1]));
        labels.push(class);
    }
    (Tensor::from_vec(points, [60, 2]), labels)
}

/// Full-batch training; the losses at the first and last step.
fn train(net: &mut Sequential, opt: &mut dyn Optimizer, steps: usize) -> (f32, f32) {
    let (x, y) = blobs();
    let g = Graph::new();
    let mut first = None;
    let mut last = f32::NAN;
    for _ in 0..steps {
        let loss = losses::cross_entropy(net.forward(g.input(x.clone())), &y);
        last = loss.item();
        first.get_or_insert(last);
        let grads = loss.backward();
        opt.step(net, &grads);
    }
    (first.expect("at least one step"), last)
}

fn fresh() -> Sequential {
    Mlp::new(&[2, 16, 3]).build(&mut StdRng::seed_from_u64(0))
}

#[test]
fn adam_trains_an_mlp_to_a_low_loss() {
    let mut net = fresh();
    let (first, last) = train(&mut net, &mut Adam::new(0.01), 300);
    assert!(first > 0.5, "the untrained loss is {first}");
    assert!(last < 0.05, "Adam's loss after 300 steps is {last}");
    // And it classifies the training points.
    let (x, y) = blobs();
    let predicted = net
        .forward(Graph::inference().input(x))
        .value()
        .argmax_axis(1);
    assert_eq!(predicted, y);
}

#[test]
fn every_optimizer_trains_the_same_network() {
    let optimizers: Vec<Box<dyn Optimizer>> = vec![
        Box::new(Sgd::new(0.5)),
        Box::new(Momentum::new(0.05, 0.9)),
        Box::new(Nesterov::new(0.05, 0.9)),
        Box::new(AdaGrad::new(0.1)),
        Box::new(RmsProp::new(0.003)),
        Box::new(Adam::new(0.01)),
        Box::new(AdamW::new(0.01)),
    ];
    for mut opt in optimizers {
        let mut net = fresh();
        let (first, last) = train(&mut net, opt.as_mut(), 200);
        assert!(last < 0.05, "{}: loss {first} → {last}", opt.name());
    }
}

#[test]
fn a_schedule_during_training() {
    // Adam with a cosine decay over the 300 steps, set every step.
    let schedule = Cosine {
        initial: 0.02,
        min: 1e-4,
        total: 300,
    };
    let (x, y) = blobs();
    let mut net = fresh();
    let mut opt = Adam::new(schedule.lr(0));
    let g = Graph::new();
    let mut loss_value = f32::NAN;
    for step in 0..300 {
        opt.set_learning_rate(schedule.lr(step));
        let loss = losses::cross_entropy(net.forward(g.input(x.clone())), &y);
        loss_value = loss.item();
        let grads = loss.backward();
        opt.step(&mut net, &grads);
    }
    assert_eq!(opt.learning_rate(), schedule.lr(299));
    assert!(loss_value < 0.05, "loss {loss_value}");
}
