//! The activation functions of chapter 3 and their derivatives, drawn on
//! [−5, 5]: the step (flat everywhere, so it passes no gradient), the
//! sigmoid and tanh (smooth, saturating: their slopes vanish for large |x|),
//! ReLU and leaky ReLU (slope 1 for x > 0, never saturating there). The
//! curves come from `Activation::value` and `Activation::derivative`, the
//! same numbers the backward pass uses. The example prints f(0), f′(0) and
//! the largest slope of each, and checks the chapter's claims: the
//! sigmoid's slope is at most 1/4, reached at 0; tanh's at most 1; the
//! derivatives of the smooth ones agree with central differences.
//!
//! ```text
//! cargo run --release --example 03_activations                 # writes target/figures/
//! cargo run --release --example 03_activations -- --out DIR    # (--quick changes nothing here)
//! ```

mod common;

use std::process::ExitCode;

use common::{COLORS, LegendPosition, LineChart, Options, Series};
use gradschool::prelude::*;

fn main() -> ExitCode {
    common::run(example)
}

fn example(options: &Options) -> common::Result {
    // ANCHOR: curves
    // Leaky ReLU with slope 0.1 (0.01 is usual) so that its left side is visible.
    let activations = [
        Activation::Step,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
    ];
    // 1001 points from −5 to 5, 0 among them.
    let xs: Vec<f64> = (0..=1000).map(|i| -5.0 + i as f64 / 100.0).collect();
    let curve = |f: &dyn Fn(f64) -> f64| xs.iter().map(|&x| (x, f(x))).collect::<Vec<_>>();
    // ANCHOR_END: curves

    let mut values = Vec::new();
    let mut slopes = Vec::new();
    for (a, color) in activations.iter().zip(COLORS) {
        let (mut value, mut slope) = (
            Series::new(label(*a), curve(&|x| a.value(x)), color),
            Series::new(label(*a), curve(&|x| a.derivative(x)), color),
        );
        // Dashed, so that ReLU shows through where the two coincide (x > 0).
        if matches!(a, Activation::LeakyRelu(_)) {
            (value, slope) = (value.dashed(), slope.dashed());
        }
        values.push(value);
        slopes.push(slope);
    }
    let path = options.figure("03_activations.svg")?;
    LineChart {
        title: "Activation functions f(x)".into(),
        x_label: "x".into(),
        y_label: "f(x)".into(),
        series: values,
        legend: LegendPosition::UpperLeft,
        y_range: None,
    }
    .save(&path, (640, 480))?;
    println!("wrote {}", path.display());
    let path = options.figure("03_activation_derivatives.svg")?;
    LineChart {
        title: "Their derivatives f′(x)".into(),
        x_label: "x".into(),
        y_label: "f′(x)".into(),
        series: slopes,
        legend: LegendPosition::UpperLeft,
        y_range: Some((-0.05, 1.1)),
    }
    .save(&path, (640, 480))?;
    println!("wrote {}", path.display());

    println!();
    let header = ("activation", "f(0)", "f′(0)", "largest f′ on [−5, 5]");
    println!(
        "{:<20} {:>5}   {:>5}   {}",
        header.0, header.1, header.2, header.3
    );
    for a in activations {
        let max = xs
            .iter()
            .map(|&x| a.derivative(x))
            .fold(f64::NEG_INFINITY, f64::max);
        println!(
            "{:<20} {:>5.2}   {:>5.3}   {max:.3}",
            label(a),
            a.value(0.0),
            a.derivative(0.0),
        );
    }
    println!("(at the kinks of ReLU and leaky ReLU, f′(0) is the slope on the left,");
    println!(" the convention of the backward pass; the step's f′ is 0 wherever it exists)");

    // The chapter's claims.
    let sigmoid_max = xs
        .iter()
        .map(|&x| Activation::Sigmoid.derivative(x))
        .fold(f64::NEG_INFINITY, f64::max);
    if sigmoid_max != 0.25 || Activation::Sigmoid.derivative(0.0) != 0.25 {
        return Err(
            format!("the sigmoid's largest slope should be 1/4, at 0; got {sigmoid_max}").into(),
        );
    }
    let tanh_max = xs
        .iter()
        .map(|&x| Activation::Tanh.derivative(x))
        .fold(f64::NEG_INFINITY, f64::max);
    if tanh_max != 1.0 {
        return Err(format!("tanh's largest slope should be 1, at 0; got {tanh_max}").into());
    }
    let h = 1e-5;
    for a in [Activation::Sigmoid, Activation::Tanh] {
        for &x in &xs {
            let numeric = (a.value(x + h) - a.value(x - h)) / (2.0 * h);
            if (numeric - a.derivative(x)).abs() > 1e-8 {
                return Err(format!(
                    "{}′({x}) = {} but the central difference gives {numeric}",
                    a.name(),
                    a.derivative(x)
                )
                .into());
            }
        }
    }
    println!();
    println!("checked: max sigmoid′ = 0.25 at x = 0, max tanh′ = 1 at x = 0,");
    println!("         sigmoid′ and tanh′ match central differences on the grid");
    Ok(())
}

/// The name in the legend and the table, with leaky ReLU's slope.
fn label(a: Activation) -> String {
    match a {
        Activation::LeakyRelu(slope) => format!("{} ({slope})", a.name()),
        _ => a.name().to_string(),
    }
}
