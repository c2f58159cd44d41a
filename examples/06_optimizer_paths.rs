//! The classic picture of chapter 6: six optimizers walking down the same
//! elongated bowl
//!
//! ```text
//! f(x, y) = x²/20 + y²,   ∇f = (x/10, 2y),   from (−7, 2) where f = 6.45
//! ```
//!
//! a valley twenty times steeper across (y) than along (x). The point
//! (x, y) is two `Param`s, the graph computes the gradient and
//! `step_params` moves them, exactly as a network's weights are trained.
//! Plain SGD must keep lr below 1 (the stability limit 2/curvature of the
//! steep direction), so it zig-zags across the valley and crawls along it;
//! momentum builds up speed along the valley and overshoots; Nesterov brakes
//! before it overshoots; AdaGrad, RMSProp and Adam divide each coordinate's
//! step by its own gradient scale, so both coordinates move at about the
//! same pace and the path starts out diagonal. The learning rates are those
//! of the optim crate's tests (`crates/optim/tests/bowl.rs`, which says why
//! each was chosen). The example prints, for each optimizer, the number of
//! steps until f < 10⁻³, checks that each gets there within 1000 steps, and
//! draws the contour lines of f with each path up to that step.
//!
//! ```text
//! cargo run --release --example 06_optimizer_paths                # writes target/figures/06_optimizer_paths.svg
//! cargo run --release --example 06_optimizer_paths -- --out DIR   # (--quick changes nothing here)
//! ```

mod common;

use std::process::ExitCode;

use common::{COLORS, FONT, Options};
use gradschool::optim::{AdaGrad, Momentum, Nesterov, RmsProp};
use gradschool::prelude::*;
use plotters::prelude::*;

fn main() -> ExitCode {
    common::run(example)
}

/// Where every optimizer starts.
const START: (f64, f64) = (-7.0, 2.0);
/// "At the bottom": f below this.
const TARGET: f64 = 1e-3;
/// The steps each optimizer is given to get there.
const HORIZON: usize = 1000;

/// The bowl.
fn f((x, y): (f64, f64)) -> f64 {
    x * x / 20.0 + y * y
}

/// The optimizers, each with the learning rate of `crates/optim/tests/bowl.rs`.
fn contestants() -> Vec<Box<dyn Optimizer<f64>>> {
    vec![
        Box::new(Sgd::new(0.9)),           // just under the stability limit 1
        Box::new(Momentum::new(0.1, 0.9)), // steps add up to lr/(1 − μ) = 10·lr
        Box::new(Nesterov::new(0.1, 0.9)), // as momentum
        Box::new(AdaGrad::new(1.0)),       // first steps ≈ lr per coordinate
        Box::new(RmsProp::new(0.03)),      // ends hovering ±lr/2 around 0
        Box::new(Adam::new(0.1)),          // steps ≈ lr per coordinate
    ]
}

// ANCHOR: descend
/// The path of `opt` from `START`: the point after 0, 1, ..., `HORIZON` steps.
fn descend(opt: &mut dyn Optimizer<f64>) -> Vec<(f64, f64)> {
    let mut x = Param::new(Tensor::scalar(START.0));
    let mut y = Param::new(Tensor::scalar(START.1));
    let mut path = vec![START];
    let g = Graph::new();
    for _ in 0..HORIZON {
        let f = g.param(&x).powi(2).mul_scalar(1.0 / 20.0) + g.param(&y).powi(2);
        let grads = f.backward(); // ∂f/∂x = x/10, ∂f/∂y = 2y
        opt.step_params(&mut [&mut x, &mut y], &grads);
        path.push((x.value().item(), y.value().item()));
    }
    path
}
// ANCHOR_END: descend

/// One optimizer's walk.
struct Walk {
    name: String,
    lr: f64,
    path: Vec<(f64, f64)>,
    /// The first step after which f < TARGET.
    arrived: Option<usize>,
}

fn example(options: &Options) -> common::Result {
    let walks: Vec<Walk> = contestants()
        .into_iter()
        .map(|mut opt| {
            let path = descend(opt.as_mut());
            let arrived = path.iter().position(|&p| f(p) < TARGET);
            Walk {
                name: opt.name(),
                lr: opt.learning_rate(),
                path,
                arrived,
            }
        })
        .collect();

    println!(
        "f(x, y) = x²/20 + y² from ({}, {}), f = {}: steps until f < {TARGET:e}\n",
        START.0,
        START.1,
        f(START)
    );
    println!(
        "{:<20} {:>5} {:>15} {:>12}",
        "optimizer", "lr", "steps to f<1e-3", "f after 100"
    );
    for w in &walks {
        let steps = w.arrived.map_or("never".into(), |s| s.to_string());
        println!(
            "{:<20} {:>5} {:>15} {:>12.1e}",
            w.name,
            w.lr,
            steps,
            f(w.path[100])
        );
    }

    let missing: Vec<&str> = walks
        .iter()
        .filter(|w| w.arrived.is_none())
        .map(|w| w.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "did not reach f < {TARGET:e} within {HORIZON} steps: {}",
            missing.join(", ")
        )
        .into());
    }
    println!("\nchecked: every optimizer reaches f < {TARGET:e} within {HORIZON} steps");

    let path = options.figure("06_optimizer_paths.svg")?;
    draw(&path, &walks)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The plotted region: x and y share one scale, so the bowl looks as
/// elongated as it is.
const X_RANGE: (f64, f64) = (-7.6, 2.4);
const Y_RANGE: (f64, f64) = (-2.4, 2.4);

/// Contour lines f = c of the bowl (the last one through the start), each
/// path up to the step where f < TARGET, and a legend.
fn draw(file: &std::path::Path, walks: &[Walk]) -> common::Result {
    // 960 − 2·12 (margins) − 52 (y labels) = 884 pixels for 10 units of x;
    // 4.8 units of y at the same 88.4 px per unit take 424 pixels, plus
    // 2·12 (margins), 44 (x labels) and about 36 (the caption).
    let root = SVGBackend::new(file, (960, 528)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Six optimizers on f(x, y) = x²/20 + y² from (−7, 2)",
            (FONT, 24),
        )
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(52)
        .build_cartesian_2d(X_RANGE.0..X_RANGE.1, Y_RANGE.0..Y_RANGE.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x")
        .y_desc("y")
        .x_label_formatter(&common::tick)
        .y_label_formatter(&common::tick)
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 18))
        .draw()?;

    // Contour lines: the ellipses x = √(20c)·cos θ, y = √c·sin θ, cut where
    // they leave the plot.
    let contour = RGBColor(190, 190, 190).stroke_width(1);
    for c in [0.01, 0.1, 0.4, 1.0, 2.0, 3.5, f(START)] {
        for piece in ellipse(c) {
            chart.draw_series(LineSeries::new(piece, contour))?;
        }
    }
    // The minimum.
    chart.draw_series([Cross::new((0.0, 0.0), 6, BLACK.stroke_width(2))])?;

    for (w, color) in walks.iter().zip(COLORS) {
        let end = w.arrived.unwrap_or(HORIZON);
        let points = w.path[..=end].to_vec();
        let style = color.stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.clone(), style))?
            .label(format!("{}, lr {}: {end} steps", w.name, w.lr))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (20, 0)], style)
                    + Circle::new((10, 0), 3, color.filled())
            });
        // A dot at every step shows how far each one goes.
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(common::LegendPosition::LowerRight)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .draw()?;
    root.present()?;
    Ok(())
}

/// The contour f = c as pieces of line inside the plotted region.
fn ellipse(c: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |(x, y): (f64, f64)| {
        (X_RANGE.0..=X_RANGE.1).contains(&x) && (Y_RANGE.0..=Y_RANGE.1).contains(&y)
    };
    let mut pieces = vec![Vec::new()];
    let n = 720;
    for k in 0..=n {
        let theta = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
        let p = ((20.0 * c).sqrt() * theta.cos(), c.sqrt() * theta.sin());
        if inside(p) {
            pieces.last_mut().expect("never empty").push(p);
        } else if !pieces.last().expect("never empty").is_empty() {
            pieces.push(Vec::new());
        }
    }
    pieces.retain(|p| p.len() > 1);
    pieces
}
