//! How fast is the tape? This example trains the smallest real network of
//! the book — a 2-100-3 ReLU MLP on the 300-point, three-arm spiral, full
//! batch — and times the training step: forward, softmax cross-entropy with
//! an L2 penalty, backward through the tape, and an in-place gradient-descent
//! update. The net is tiny, so the figure measures the per-operation cost of
//! the graph (recording nodes, walking them back), not arithmetic.
//!
//! ```text
//! cargo run --release --example bench_tape            # 2000 timed steps
//! cargo run --release --example bench_tape -- --quick # 200 steps (CI)
//! ```

mod common;

use std::time::Instant;

use common::spiral;
use gradschool::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let steps = if quick { 200 } else { 2000 };
    let mut rng = StdRng::seed_from_u64(0);
    let (x, y) = spiral(100, &mut rng);

    // Parameters: small random weights, zero biases (the spiral workload's init).
    let mut params = [
        Param::new(Tensor::randn([2, 100], &mut rng) * 0.01),
        Param::new(Tensor::zeros([100])),
        Param::new(Tensor::randn([100, 3], &mut rng) * 0.01),
        Param::new(Tensor::zeros([3])),
    ];
    let (lr, reg) = (1.0, 1e-3);

    let g = Graph::new();
    let step = |params: &mut [Param; 4]| -> f32 {
        let [w1, b1, w2, b2] = &*params;
        let input = g.input(x.clone());
        let hidden = (input.matmul(g.param(w1)) + g.param(b1)).relu();
        let logits = hidden.matmul(g.param(w2)) + g.param(b2);
        let data_loss = -logits.log_softmax(1).pick(&y).mean();
        let (w1, w2) = (g.param(w1), g.param(w2));
        let loss = data_loss + (w1.powi(2).sum() + w2.powi(2).sum()) * (0.5 * reg);
        let value = loss.item();
        let grads = loss.backward();
        for p in params.iter_mut() {
            let dp = &grads[&*p];
            p.value_mut().scaled_add(-lr, dp);
        }
        value
    };

    for _ in 0..10 {
        step(&mut params); // warm-up: the tape reaches its working size
    }
    let start = Instant::now();
    let mut loss = 0.0;
    for _ in 0..steps {
        loss = step(&mut params);
    }
    let seconds = start.elapsed().as_secs_f64();

    let inference = Graph::inference();
    let hidden = (inference
        .input(x.clone())
        .matmul(inference.param(&params[0]))
        + inference.param(&params[1]))
    .relu();
    let logits = hidden.matmul(inference.param(&params[2])) + inference.param(&params[3]);
    let predicted = logits.value().argmax_axis(1);
    let accuracy = predicted.iter().zip(&y).filter(|(p, t)| p == t).count() as f64 / y.len() as f64;

    println!("2-100-3 ReLU MLP, spiral, batch 300, {steps} timed steps (after 10 warm-up steps)");
    println!(
        "  {:.0} steps/s, {:.1} µs per step (forward + loss + backward + update)",
        steps as f64 / seconds,
        seconds / steps as f64 * 1e6
    );
    println!(
        "  loss after {} steps: {loss:.4}, training accuracy {:.1} %",
        steps + 10,
        100.0 * accuracy
    );
}
