//! The lecture's initialisation experiment: 1000 unit-Gaussian inputs go
//! through 10 layers of 500 units (no biases), and each layer's activations
//! are described — their mean, spread and saturation, and the gradients
//! that back-propagation sends to the layer — for six ways of drawing the
//! weights: tanh with N(0, 0.01²), N(0, 1), LeCun (the slides' "Xavier")
//! and Glorot; ReLU with LeCun and He. The numbers come from
//! `init::experiment::run`, the function the crate's tests check.
//!
//! What it shows, and checks (the example fails if a claim does not hold):
//!
//! ```text
//! tanh, N(0, 0.01²)  the spread shrinks ×0.22 per layer: std(layer 10)/std(layer 1) < 1e-4,
//!                    and every weight gradient is < 1e-4 of LeCun's in the same layer
//! tanh, N(0, 1)      over 85 % of the units in every layer are saturated (|a| > 0.99)
//! tanh, LeCun        the std stays in [0.2, 0.7] in every layer; Glorot gives the same
//!                    numbers (for a square layer 2/(fan_in + fan_out) = 1/fan_in)
//! ReLU, LeCun        half of each layer is zeroed: std(layer 10)/std(layer 1) < 0.1
//! ReLU, He           twice LeCun's variance keeps the scale: the ratio is in [0.5, 2]
//! ```
//!
//! It prints a table per scheme and draws, per scheme, the histograms of
//! the ten layers' activations on shared axes (`05_init_<activation>_<scheme>.svg`),
//! and two summary charts on logarithmic axes: the std of the activations
//! (`05_init_std_per_layer.svg`) and the RMS of the weight gradients
//! (`05_init_grad_per_layer.svg`), layer by layer.
//!
//! `--quick` feeds 200 samples instead of 1000 and keeps the 500 units:
//! the claims depend on the width (each unit sums 500 inputs), not on the
//! number of samples, so every bound is the same; a layer's statistics are
//! then over 100 000 values instead of 500 000.
//!
//! ```text
//! cargo run --release --example 05_init_histograms                 # writes target/figures/05_init_*.svg
//! cargo run --release --example 05_init_histograms -- --quick      # 200 samples, same checks
//! cargo run --release --example 05_init_histograms -- --out DIR
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{Bars, COLORS, HistogramPanels, LegendPosition, LineChart, Options, Series, rebin};
use gradschool::init::Init;
use gradschool::init::experiment::{Config, LayerStats, lecture_configs, run};
use gradschool::prelude::*;

fn main() -> ExitCode {
    common::run(example)
}

/// One run of the experiment: its configuration, a short name for files
/// and legends, and the statistics of its layers.
struct Outcome {
    config: Config,
    slug: &'static str,
    stats: Vec<LayerStats>,
}

impl Outcome {
    fn label(&self) -> String {
        format!("{}, {}", self.config.activation.name(), self.config.scheme)
    }

    /// std(last layer) / std(first layer).
    fn std_ratio(&self) -> f64 {
        self.stats[self.stats.len() - 1].std / self.stats[0].std
    }
}

fn example(options: &Options) -> common::Result {
    // ANCHOR: runs
    let mut outcomes = Vec::new();
    for mut config in lecture_configs() {
        if options.quick {
            config.samples = 200; // the claims depend on the width (500), kept
        }
        let start = Instant::now();
        let stats = run(&config);
        let seconds = start.elapsed().as_secs_f64();
        let outcome = Outcome {
            config,
            slug: slug(&config)?,
            stats,
        };
        print_table(&outcome, seconds);
        outcomes.push(outcome);
    }
    // ANCHOR_END: runs

    println!();
    println!("std of the last layer's activations, and its ratio to the first layer's:");
    for o in &outcomes {
        println!(
            "  {:<20} {:>10.3e}   ×{:.3e}",
            o.label(),
            o.stats[o.stats.len() - 1].std,
            o.std_ratio()
        );
    }

    for o in &outcomes {
        let path = options.figure(&format!("05_init_{}.svg", o.slug))?;
        histograms(o).save(&path, (1000, 500))?;
        println!("wrote {}", path.display());
    }
    let per_layer = |title: &str,
                     y_label: &str,
                     legend: LegendPosition,
                     value: fn(&LayerStats) -> f64| LineChart {
        title: title.into(),
        x_label: "layer".into(),
        y_label: y_label.into(),
        series: outcomes
            .iter()
            .zip(COLORS)
            .map(|(o, color)| {
                let points = o
                    .stats
                    .iter()
                    .enumerate()
                    .map(|(l, s)| ((l + 1) as f64, value(s)))
                    .collect();
                let series = Series::new(o.label(), points, color);
                // Glorot's curve lies exactly on LeCun's: dashed, LeCun's shows through.
                if o.config.scheme == Init::GlorotNormal {
                    series.dashed()
                } else {
                    series
                }
            })
            .collect(),
        legend,
        y_range: None,
    };
    let path = options.figure("05_init_std_per_layer.svg")?;
    per_layer(
        "Spread of the activations, layer by layer",
        "std of the activations (log scale)",
        LegendPosition::LowerLeft,
        |s| s.std,
    )
    .save_log_y(&path, (760, 560))?;
    println!("wrote {}", path.display());
    let path = options.figure("05_init_grad_per_layer.svg")?;
    per_layer(
        "Size of the weight gradients, layer by layer",
        "RMS of ∂L/∂W (log scale)",
        LegendPosition::UpperRight,
        |s| s.weight_grad_rms,
    )
    .save_log_y(&path, (760, 560))?;
    println!("wrote {}", path.display());

    check(&outcomes)?;
    Ok(())
}

/// The name of a run in file names: `tanh_small`, `relu_he`, ...
fn slug(config: &Config) -> common::Result<&'static str> {
    let activation = config.activation;
    Ok(match (activation, config.scheme) {
        (
            Activation::Tanh,
            Init::Normal {
                mean: 0.0,
                std: 0.01,
            },
        ) => "tanh_small",
        (
            Activation::Tanh,
            Init::Normal {
                mean: 0.0,
                std: 1.0,
            },
        ) => "tanh_unit",
        (Activation::Tanh, Init::LecunNormal) => "tanh_lecun",
        (Activation::Tanh, Init::GlorotNormal) => "tanh_glorot",
        (Activation::Relu, Init::LecunNormal) => "relu_lecun",
        (Activation::Relu, Init::HeNormal) => "relu_he",
        (a, s) => return Err(format!("no file name for the run {}, {s}", a.name()).into()),
    })
}

fn print_table(o: &Outcome, seconds: f64) {
    let c = &o.config;
    println!();
    println!(
        "{}, weights {} (std {:.4}): {} layers of {} units, {} samples ({seconds:.2} s)",
        c.activation.name(),
        c.scheme,
        c.scheme.std(c.width, c.width),
        c.layers,
        c.width,
        c.samples
    );
    println!(
        "{:>5} {:>11} {:>10} {:>10} {:>12} {:>12}",
        "layer", "mean", "std", "saturated", "RMS ∂L/∂W", "RMS ∂L/∂a"
    );
    for (l, s) in o.stats.iter().enumerate() {
        println!(
            "{:>5} {:>11.2e} {:>10.3e} {:>10.3} {:>12.3e} {:>12.3e}",
            l + 1,
            s.mean,
            s.std,
            s.saturated_fraction,
            s.weight_grad_rms,
            s.activation_grad_rms
        );
    }
    if c.activation == Activation::Relu {
        println!(
            "(ReLU does not saturate for a > 0: its \"saturated\" column only counts a > 0.99)"
        );
    }
}

/// The figure of one run: the histogram of each layer's activations, in
/// per cent of the layer's values per bin, on axes shared by the ten
/// panels.
fn histograms(o: &Outcome) -> HistogramPanels {
    let c = &o.config;
    // tanh's histograms all cover [−1, 1] with the same bins. ReLU's cover
    // [0, max of the layer]: to share the x axis they are re-binned onto
    // equal bins over [0, the largest max]. Those bins are at least as wide
    // as every layer's own, so the first keeps the exact zeros, all of them.
    let high = o
        .stats
        .iter()
        .map(|s| s.histogram.edges[s.histogram.edges.len() - 1])
        .fold(f64::NEG_INFINITY, f64::max);
    let low = o.stats[0].histogram.edges[0];
    let bins = c.bins;
    let edges: Vec<f64> = (0..=bins)
        .map(|i| low + (high - low) * i as f64 / bins as f64)
        .collect();
    let total = (c.samples * c.width) as f64;
    let panels: Vec<Bars> = o
        .stats
        .iter()
        .enumerate()
        .map(|(l, s)| {
            let percent: Vec<f64> = s
                .histogram
                .counts
                .iter()
                .map(|&n| 100.0 * n as f64 / total)
                .collect();
            Bars {
                title: format!("layer {}: std {}", l + 1, short(s.std)),
                heights: rebin(&s.histogram.edges, &percent, &edges),
                edges: edges.clone(),
            }
        })
        .collect();
    // ReLU puts half of every layer at exactly 0: a bar of 50 % or more in
    // the first bin that would flatten the rest. The y axis stops just above
    // the tallest of the other bars; the first bars are cut there and carry
    // their height.
    let y_max = (c.activation == Activation::Relu).then(|| {
        let rest = panels
            .iter()
            .flat_map(|p| &p.heights[1..])
            .copied()
            .fold(0.0, f64::max);
        1.05 * rest
    });
    let std = if c.scheme.needs_fans() {
        format!(" (std {})", short(c.scheme.std(c.width, c.width)))
    } else {
        String::new()
    };
    HistogramPanels {
        title: format!(
            "{}, weights {}{std}: activations of layers 1 to {}",
            c.activation.name(),
            c.scheme,
            c.layers
        ),
        x_label: "activation".into(),
        y_label: "% of values".into(),
        panels,
        grid: (2, c.layers.div_ceil(2)),
        x_range: None,
        y_max,
        unit: " %".into(),
        color: COLORS[0],
    }
}

/// A number in 3 significant digits, in scientific notation when small.
fn short(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.01 {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The lecture's claims, as the crate's tests check them.
fn check(outcomes: &[Outcome]) -> common::Result {
    let find = |slug: &str| {
        outcomes
            .iter()
            .find(|o| o.slug == slug)
            .ok_or_else(|| format!("the run {slug} is missing"))
    };
    let (small, unit, lecun, glorot, relu_lecun, relu_he) = (
        find("tanh_small")?,
        find("tanh_unit")?,
        find("tanh_lecun")?,
        find("tanh_glorot")?,
        find("relu_lecun")?,
        find("relu_he")?,
    );

    let ratio = small.std_ratio();
    if ratio >= 1e-4 {
        return Err(format!(
            "tanh, N(0, 0.01²): the std should collapse (last/first < 1e-4), got {ratio:.3e}"
        )
        .into());
    }
    for (l, (s, x)) in small.stats.iter().zip(&lecun.stats).enumerate() {
        if s.weight_grad_rms >= 1e-4 * x.weight_grad_rms {
            return Err(format!(
                "tanh, N(0, 0.01²): the weight gradient of layer {} should be below 1e-4 of \
                 LeCun's, got {:.3e} against {:.3e}",
                l + 1,
                s.weight_grad_rms,
                x.weight_grad_rms
            )
            .into());
        }
    }
    for (l, s) in unit.stats.iter().enumerate() {
        if s.saturated_fraction <= 0.85 {
            return Err(format!(
                "tanh, N(0, 1): over 85 % of layer {} should be saturated, got {:.1} %",
                l + 1,
                100.0 * s.saturated_fraction
            )
            .into());
        }
    }
    for (l, (x, g)) in lecun.stats.iter().zip(&glorot.stats).enumerate() {
        if !(0.2..=0.7).contains(&x.std) {
            return Err(format!(
                "tanh, LeCun: the std of layer {} should be in [0.2, 0.7], got {:.3}",
                l + 1,
                x.std
            )
            .into());
        }
        if (g.std / x.std - 1.0).abs() > 1e-5 {
            return Err(format!(
                "tanh: Glorot should equal LeCun on square layers, layer {}: {} against {}",
                l + 1,
                g.std,
                x.std
            )
            .into());
        }
    }
    let ratio = relu_lecun.std_ratio();
    if ratio >= 0.1 {
        return Err(format!(
            "ReLU, LeCun: the std should shrink (last/first < 0.1), got {ratio:.3}"
        )
        .into());
    }
    let ratio = relu_he.std_ratio();
    if !(0.5..=2.0).contains(&ratio) {
        return Err(format!(
            "ReLU, He: the std should keep its scale (last/first in [0.5, 2]), got {ratio:.3}"
        )
        .into());
    }

    println!();
    println!(
        "checked: tanh N(0, 0.01²) std ×{:.1e} over the layers, weight gradients < 1e-4 of LeCun's;",
        small.std_ratio()
    );
    let min_saturated = unit
        .stats
        .iter()
        .map(|s| s.saturated_fraction)
        .fold(1.0, f64::min);
    println!(
        "         tanh N(0, 1) at least {:.1} % saturated in every layer;",
        100.0 * min_saturated
    );
    let (lo, hi) = lecun
        .stats
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), s| {
            (lo.min(s.std), hi.max(s.std))
        });
    println!("         tanh LeCun std in [{lo:.3}, {hi:.3}] ⊂ [0.2, 0.7], Glorot identical;");
    println!(
        "         ReLU LeCun std ×{:.3} (< 0.1), ReLU He ×{:.3} (in [0.5, 2])",
        relu_lecun.std_ratio(),
        relu_he.std_ratio()
    );
    Ok(())
}
