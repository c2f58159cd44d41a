//! The numbers and figures of the appendix "Making it fast", computed from
//! the benchmark results committed under `benches/results/`:
//!
//! - two runs of the kit's `run_all.sh` (gradschool beside PyTorch, NumPy
//!   and ndarray-hand, one sitting each);
//! - one ablation run: the final library, the baseline before any
//!   optimisation, and the final library with one optimisation taken out
//!   at a time, measured in interleaved rounds (`scripts/ablation.sh`);
//! - two later comparisons of the same kind, each of one change against the
//!   library before it: `Var::affine` (`affine.jsonl`), and the packed
//!   matrix product switched on against matrixmultiply (`packed.jsonl`,
//!   taken from the rounds of an ablation run in which it was on).
//!
//! It prints the tables, draws the figures, and checks every ratio the
//! appendix prints against the medians of the raw records. Nothing is timed
//! here: the timings were measured once, by the commands above, and are
//! data now, like the digits.
//!
//! ```text
//! cargo run --release --example bench_chart            # tables, figures in target/figures
//! scripts/figures.sh                                    # with every other figure, into the book
//! ```

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{COLORS, FONT, median, run, tick};
use plotters::prelude::*;
use serde_json::Value;

const RUNS: [&str; 2] = [
    "benches/results/2026-11-23-run1.jsonl",
    "benches/results/2026-11-23-run2.jsonl",
];
const ABLATION: &str = "benches/results/2026-11-23-ablation.jsonl";
const AFFINE: &str = "benches/results/2026-11-23-affine.jsonl";
/// The packed product (`GRADSCHOOL_MATMUL=packed`) against matrixmultiply,
/// three interleaved rounds of the same sitting.
const PACKED: &str = "benches/results/2026-11-23-packed.jsonl";
const APPENDIX: &str = "book/src/appendix-e-fast.md";

/// The peers of the comparison, in the order of the tables.
const PEERS: [&str; 4] = ["gradschool", "ndarray-hand", "numpy", "torch"];

/// The variants of the ablation, in the order of the appendix's table.
const VARIANTS: [(&str, &str); 7] = [
    ("baseline", "baseline (before this work)"),
    ("no-pool", "final without the buffer pool"),
    ("no-flat-loops", "final without the flat loops"),
    ("no-fused-ce", "final without the fused cross-entropy"),
    ("no-direct-matmul", "final without the direct product"),
    ("no-native", "final without target-cpu=native"),
    ("final", "final"),
];

/// Fails unless every line of `lines` appears in the file (compared with
/// runs of white space, line breaks included, taken as one space).
fn require_lines(path: &Path, lines: &[String]) -> common::Result {
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = squash(&std::fs::read_to_string(path)?);
    let missing: Vec<_> = lines
        .iter()
        .filter(|l| !text.contains(&squash(l)))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} does not print these lines as computed from benches/results/ \
             (update it and this example together): {missing:#?}",
            path.display()
        )
        .into())
    }
}

/// The medians of one results file: (workload, peer or variant, threads,
/// metric) → the values of the timed runs.
type Records = BTreeMap<(String, String, u64, String), Vec<f64>>;

fn main() -> std::process::ExitCode {
    run(|options| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let runs: Vec<Records> = RUNS
            .iter()
            .map(|f| load(&root.join(f), "peer"))
            .collect::<Result<_, _>>()?;
        let ablation = load(&root.join(ABLATION), "variant")?;

        for (i, records) in runs.iter().enumerate() {
            println!("run {} ({})", i + 1, RUNS[i]);
            print_peers(records)?;
        }
        println!("ablation ({ABLATION}), W2 and W1 at 1 thread, medians over all rounds");
        print_ablation(&ablation)?;

        let affine = load(&root.join(AFFINE), "variant")?;
        let mut rows = ratio_rows(&runs)?;
        rows.extend(ablation_rows(&ablation)?);
        let packed = load(&root.join(PACKED), "variant")?;
        rows.extend(prose_lines(&ablation, &affine, &packed)?);
        rows.extend(result_lines(&runs)?);
        println!("the appendix's lines, as computed:");
        for row in &rows {
            println!("  {row}");
        }
        require_lines(&root.join(APPENDIX), &rows)?;
        let readme = readme_rows(&runs)?;
        println!("the README's rows, as computed:");
        for row in &readme {
            println!("  {row}");
        }
        require_lines(&root.join("README.md"), &readme)?;

        std::fs::create_dir_all(&options.out)?;
        let path = options.out.join("bench_peers.svg");
        draw_peers(&runs[0], &path)?;
        println!("wrote {}", path.display());
        let path = options.out.join("bench_ablation.svg");
        draw_ablation(&ablation, &path)?;
        println!("wrote {}", path.display());
        Ok(())
    })
}

/// Reads a JSON-lines file, keeping the records of the workloads; `who` is
/// the field that names the program ("peer", or "variant" for the ablation).
fn load(path: &Path, who: &str) -> Result<Records, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Records::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| l.starts_with('{')) {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let workload = v["workload"].as_str().unwrap_or_default();
        if workload == "info" {
            continue;
        }
        let field = |name: &str| v[name].as_str().map(str::to_string);
        let (Some(name), Some(metric), Some(threads), Some(value)) = (
            field(who),
            field("metric"),
            v["threads"].as_u64(),
            v["value"].as_f64(),
        ) else {
            return Err(format!(
                "{}:{}: a record without {who}, metric, threads or value",
                path.display(),
                n + 1
            )
            .into());
        };
        out.entry((workload.to_string(), name, threads, metric))
            .or_default()
            .push(value);
    }
    Ok(out)
}

/// The median of one measurement, or an error naming what is missing.
fn med(r: &Records, workload: &str, who: &str, threads: u64, metric: &str) -> Result<f64, String> {
    r.get(&(workload.into(), who.into(), threads, metric.into()))
        .map(|v| median(v))
        .ok_or_else(|| format!("no {workload} {metric} for {who} at {threads} thread(s)"))
}

fn print_peers(r: &Records) -> Result<(), String> {
    println!(
        "  {:<13} {:>12} {:>12} {:>12} {:>12} {:>10}",
        "peer", "W1 train 1t", "W1 train 2t", "W1 infer 1t", "W1 infer 2t", "W2 µs/step"
    );
    for peer in PEERS {
        println!(
            "  {peer:<13} {:>12.0} {:>12.0} {:>12.0} {:>12.0} {:>10.1}",
            med(r, "mlp-mnist", peer, 1, "train_samples_per_s")?,
            med(r, "mlp-mnist", peer, 2, "train_samples_per_s")?,
            med(r, "mlp-mnist", peer, 1, "infer_samples_per_s")?,
            med(r, "mlp-mnist", peer, 2, "infer_samples_per_s")?,
            1e6 / med(r, "spiral-tiny", peer, 1, "steps_per_s")?,
        );
    }
    for t in [1, 2] {
        println!(
            "  gradschool at {t} thread(s): {:.3} MB allocated in {:.0} blocks per W1 step \
             (at most {:.1} KiB in one step), peak RSS {:.0} MB",
            med(r, "mlp-mnist", "gradschool", t, "alloc_bytes_per_step")? / 1e6,
            med(r, "mlp-mnist", "gradschool", t, "allocs_per_step")?,
            most_in_a_step(r, t)? / 1024.0,
            med(r, "mlp-mnist", "gradschool", t, "peak_rss_mb")?,
        );
    }
    Ok(())
}

/// The most bytes any one W1 step of gradschool allocated, at `threads`: a
/// bound on its largest allocation.
fn most_in_a_step(r: &Records, threads: u64) -> Result<f64, String> {
    med(
        r,
        "mlp-mnist",
        "gradschool",
        threads,
        "max_alloc_bytes_in_a_step",
    )
}

/// gradschool's median over the peer's: > 1 means gradschool is faster.
fn ratio(
    r: &Records,
    workload: &str,
    metric: &str,
    threads: u64,
    peer: &str,
) -> Result<f64, String> {
    Ok(med(r, workload, "gradschool", threads, metric)? / med(r, workload, peer, threads, metric)?)
}

/// The rows of the appendix's table of targets: (what, workload, metric,
/// threads, peer, target).
const TARGETS: [(&str, &str, &str, u64, &str, &str); 10] = [
    (
        "W2 steps/s, × torch",
        "spiral-tiny",
        "steps_per_s",
        1,
        "torch",
        "≥ 5",
    ),
    (
        "W2 steps/s, × numpy",
        "spiral-tiny",
        "steps_per_s",
        1,
        "numpy",
        "≥ 3",
    ),
    (
        "W2 steps/s, × ndarray-hand",
        "spiral-tiny",
        "steps_per_s",
        1,
        "ndarray-hand",
        "≥ 0.8",
    ),
    (
        "W1 training, × torch",
        "mlp-mnist",
        "train_samples_per_s",
        1,
        "torch",
        "≥ 1.2",
    ),
    (
        "W1 training, × torch",
        "mlp-mnist",
        "train_samples_per_s",
        2,
        "torch",
        "≥ 1.2",
    ),
    (
        "W1 training, × ndarray-hand",
        "mlp-mnist",
        "train_samples_per_s",
        1,
        "ndarray-hand",
        "≥ 0.9",
    ),
    (
        "W1 training, × ndarray-hand",
        "mlp-mnist",
        "train_samples_per_s",
        2,
        "ndarray-hand",
        "≥ 0.9",
    ),
    (
        "W1 inference, × torch",
        "mlp-mnist",
        "infer_samples_per_s",
        2,
        "torch",
        "≥ 1.0",
    ),
    (
        "W1 inference, × numpy",
        "mlp-mnist",
        "infer_samples_per_s",
        2,
        "numpy",
        "≥ 1.0",
    ),
    (
        "W1 inference, × ndarray-hand",
        "mlp-mnist",
        "infer_samples_per_s",
        2,
        "ndarray-hand",
        "≥ 0.9",
    ),
];

/// The appendix's table of targets, one markdown row per target with the
/// ratio of each run; then the peak memory, and each program's medians.
fn ratio_rows(runs: &[Records]) -> Result<Vec<String>, String> {
    let mut rows = Vec::new();
    for (what, workload, metric, threads, peer, target) in TARGETS {
        let ratios: Vec<String> = runs
            .iter()
            .map(|r| ratio(r, workload, metric, threads, peer).map(|x| format!("{x:.2}")))
            .collect::<Result<_, _>>()?;
        rows.push(format!(
            "| {what} | {threads} | {target} | {} |",
            ratios.join(" | ")
        ));
    }
    let rss: Vec<String> = runs
        .iter()
        .map(|r| med(r, "mlp-mnist", "gradschool", 2, "peak_rss_mb").map(|x| format!("{x:.0}")))
        .collect::<Result<_, _>>()?;
    rows.push(format!(
        "| W1 peak memory (RSS), MB | 2 | ≤ 400 | {} |",
        rss.join(" | ")
    ));
    for t in [1, 2] {
        let most: Vec<String> = runs
            .iter()
            .map(|r| most_in_a_step(r, t).map(|x| format!("{:.1}", x / 1024.0)))
            .collect::<Result<_, _>>()?;
        rows.push(format!(
            "| W1 most bytes any step allocated, KiB | {t} | < 64 | {} |",
            most.join(" | ")
        ));
    }
    for peer in PEERS {
        let mut cells = Vec::new();
        for r in runs {
            cells.push(format!(
                "{:.1}k / {:.1}k / {:.0}k / {:.0}",
                med(r, "mlp-mnist", peer, 1, "train_samples_per_s")? / 1e3,
                med(r, "mlp-mnist", peer, 2, "train_samples_per_s")? / 1e3,
                med(r, "mlp-mnist", peer, 2, "infer_samples_per_s")? / 1e3,
                1e6 / med(r, "spiral-tiny", peer, 1, "steps_per_s")?,
            ));
        }
        rows.push(format!("| {peer} | {} |", cells.join(" | ")));
    }
    Ok(rows)
}

/// The numbers the appendix's prose quotes from the ablation run and the
/// `affine` comparison, in the appendix's words.
fn prose_lines(
    ablation: &Records,
    affine: &Records,
    packed: &Records,
) -> Result<Vec<String>, String> {
    let r = ablation;
    let w2 = |v| med(r, "spiral-tiny", v, 1, "steps_per_s").map(|x| 1e6 / x);
    let w1 = |v| med(r, "mlp-mnist", v, 1, "train_samples_per_s").map(|x| x / 1e3);
    let mb = |v| med(r, "mlp-mnist", v, 1, "alloc_bytes_per_step").map(|x| x / 1e6);
    let blocks = |v| med(r, "mlp-mnist", v, 1, "allocs_per_step");
    let epochs = r
        .get(&(
            "mlp-mnist".into(),
            "final".into(),
            1,
            "train_samples_per_s".into(),
        ))
        .ok_or("no W1 epochs of the final library")?;
    if epochs.len() != 9 {
        return Err(format!(
            "the appendix speaks of nine W1 epochs, the ablation run has {}",
            epochs.len()
        ));
    }
    // To the nearest hundred, with a space between thousands: 43 200.
    let hundreds = |x: f64| {
        let h = (x / 100.0).round() as u64 * 100;
        format!("{} {:03}", h / 1000, h % 1000)
    };
    let (lo, hi) = (
        epochs.iter().copied().fold(f64::INFINITY, f64::min),
        epochs.iter().copied().fold(0.0, f64::max),
    );
    let p = packed;
    let p_w1 = |v| med(p, "mlp-mnist", v, 1, "train_samples_per_s").map(|x| x / 1e3);
    let p_kib = |v| med(p, "mlp-mnist", v, 1, "max_alloc_bytes_in_a_step").map(|x| x / 1024.0);
    let gain = med(affine, "mlp-mnist", "affine", 2, "infer_samples_per_s")?
        / med(affine, "mlp-mnist", "final", 2, "infer_samples_per_s")?;
    Ok(vec![
        format!(
            "that baseline took {:.0} µs per W2 step against the final {:.0}, trained W1 at \
             {:.1} thousand samples per second against {:.1}, and allocated {:.2} MB in {:.0} \
             blocks per W1 step, against {:.2} MB in {:.0}.",
            w2("baseline")?,
            w2("final")?,
            w1("baseline")?,
            w1("final")?,
            mb("baseline")?,
            blocks("baseline")?,
            mb("final")?,
            blocks("final")?,
        ),
        format!(
            "After the change a W1 step allocates {:.2} MB in {:.0} blocks (the baseline: {:.2} MB in {:.0}).",
            mb("final")?,
            blocks("final")?,
            mb("baseline")?,
            blocks("baseline")?,
        ),
        format!(
            "With matrixmultiply a W1 step allocated {:.2} MB in {:.0} blocks, and the most any \
             step allocated was {:.0} KiB; with the packed product, {:.1} KB in {:.0} blocks, \
             and no step allocated more than {:.1} KiB in all.",
            med(p, "mlp-mnist", "matrixmultiply", 1, "alloc_bytes_per_step")? / 1e6,
            med(p, "mlp-mnist", "matrixmultiply", 1, "allocs_per_step")?,
            p_kib("matrixmultiply")?,
            med(p, "mlp-mnist", "packed", 1, "alloc_bytes_per_step")? / 1e3,
            med(p, "mlp-mnist", "packed", 1, "allocs_per_step")?,
            p_kib("packed")?,
        ),
        format!(
            "it trained W1 at {:.1} thousand samples per second, against {:.1} with \
             matrixmultiply: {:.0} % slower.",
            p_w1("packed")?,
            p_w1("matrixmultiply")?,
            100.0 * (1.0 - p_w1("packed")? / p_w1("matrixmultiply")?),
        ),
        format!(
            "nine timed epochs range from {} to {} samples per second",
            hundreds(lo),
            hundreds(hi)
        ),
        format!(
            "{:.2} MB per step without it, {:.2} MB with it.",
            mb("no-pool")?,
            mb("final")?
        ),
        format!(
            "made inference at two threads {:.0} % faster",
            100.0 * (gain - 1.0)
        ),
    ])
}

/// The sentences of the appendix's summary of the two runs.
fn result_lines(runs: &[Records]) -> Result<Vec<String>, String> {
    let each = |workload: &str, metric: &str, threads: &[u64], peer: &str| {
        let mut out = Vec::new();
        for r in runs {
            for &t in threads {
                out.push(ratio(r, workload, metric, t, peer)?);
            }
        }
        Ok::<_, String>(out)
    };
    let two = |v: &[f64], digits: usize| format!("{:.*} and {:.*}", digits, v[0], digits, v[1]);
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(0.0, f64::max);
        format!("{lo:.2}–{hi:.2}")
    };
    let w2 = |peer| each("spiral-tiny", "steps_per_s", &[1], peer);
    let w1 = |peer| each("mlp-mnist", "train_samples_per_s", &[1, 2], peer);
    let infer = |peer| each("mlp-mnist", "infer_samples_per_s", &[2], peer);
    let mut rss: f64 = 0.0;
    let mut most = [0.0_f64; 2];
    for r in runs {
        rss = rss.max(med(r, "mlp-mnist", "gradschool", 2, "peak_rss_mb")?);
        for (t, m) in [1, 2].into_iter().zip(most.iter_mut()) {
            *m = m.max(most_in_a_step(r, t)?);
        }
    }
    Ok(vec![
        format!(
            "gradschool is {} times as fast as PyTorch, {} times as fast as the textbook NumPy \
             network, and {} times as fast as the loop written by hand on the same substrate",
            two(&w2("torch")?, 1),
            two(&w2("numpy")?, 1),
            two(&w2("ndarray-hand")?, 2),
        ),
        format!(
            "On W1 it trains {} times as fast as PyTorch and {} times as fast as ndarray-hand \
             (one and two threads, both runs), and infers {} times as fast as NumPy. Its peak \
             memory stays under {:.0} MB, of which 188 MB is the data.",
            range(&w1("torch")?),
            range(&w1("ndarray-hand")?),
            two(&infer("numpy")?, 2),
            rss.ceil(),
        ),
        format!(
            "**Inference at two threads** runs at {} of PyTorch's speed, and {} of \
             ndarray-hand's.",
            two(&infer("torch")?, 2),
            two(&infer("ndarray-hand")?, 2),
        ),
        format!(
            "the most a W1 step allocated was {:.0} KiB at one thread and {:.0} KiB at two",
            most[0] / 1024.0,
            most[1] / 1024.0,
        ),
    ])
}

/// The rows of the README's "How fast" table: the ratios of run 1, run 2.
fn readme_rows(runs: &[Records]) -> Result<Vec<String>, String> {
    let rows = [
        ("W2 training steps/s", "spiral-tiny", "steps_per_s", 1),
        (
            "W1 training samples/s",
            "mlp-mnist",
            "train_samples_per_s",
            1,
        ),
        (
            "W1 training samples/s",
            "mlp-mnist",
            "train_samples_per_s",
            2,
        ),
        (
            "W1 inference samples/s",
            "mlp-mnist",
            "infer_samples_per_s",
            2,
        ),
    ];
    let mut out = Vec::new();
    for (what, workload, metric, threads) in rows {
        let mut cells = Vec::new();
        for peer in ["torch", "numpy", "ndarray-hand"] {
            let both: Vec<String> = runs
                .iter()
                .map(|r| ratio(r, workload, metric, threads, peer).map(|x| format!("{x:.2}")))
                .collect::<Result<_, _>>()?;
            cells.push(both.join(", "));
        }
        out.push(format!("| {what} | {threads} | {} |", cells.join(" | ")));
    }
    Ok(out)
}

/// The rows of the appendix's ablation table.
fn ablation_rows(r: &Records) -> Result<Vec<String>, String> {
    let final_w2 = med(r, "spiral-tiny", "final", 1, "steps_per_s")?;
    let mut rows = Vec::new();
    for (v, label) in VARIANTS {
        let w2 = med(r, "spiral-tiny", v, 1, "steps_per_s")?;
        rows.push(format!(
            "| {label} | {:.0} | {:.2}× | {:.1} | {:.2} |",
            1e6 / w2,
            final_w2 / w2,
            med(r, "mlp-mnist", v, 1, "train_samples_per_s")? / 1e3,
            med(r, "mlp-mnist", v, 1, "alloc_bytes_per_step")? / 1e6,
        ));
    }
    Ok(rows)
}

fn print_ablation(r: &Records) -> Result<(), String> {
    let final_w2 = med(r, "spiral-tiny", "final", 1, "steps_per_s")?;
    let final_w1 = med(r, "mlp-mnist", "final", 1, "train_samples_per_s")?;
    println!(
        "  {:<40} {:>10} {:>14} {:>12} {:>14}",
        "variant", "W2 µs/step", "final is ×", "W1 samples/s", "final is ×"
    );
    for (v, label) in VARIANTS {
        let w2 = med(r, "spiral-tiny", v, 1, "steps_per_s")?;
        let w1 = med(r, "mlp-mnist", v, 1, "train_samples_per_s")?;
        println!(
            "  {label:<40} {:>10.1} {:>14.2} {:>12.0} {:>14.2}",
            1e6 / w2,
            final_w2 / w2,
            w1,
            final_w1 / w1
        );
    }
    Ok(())
}

/// One panel of horizontal bars: a group of bars per row label.
fn bar_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    x_label: &str,
    rows: &[(&str, Vec<f64>)],
    series: &[&str],
) -> common::Result {
    let max = rows
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max);
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 18))
        .margin(8)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(104)
        .build_cartesian_2d(0.0..1.12 * max, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&tick)
        .x_desc(x_label)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .max_light_lines(0)
        .bold_line_style(RGBColor(230, 230, 230))
        .draw()?;
    let k = series.len() as f64;
    let style = (FONT, 13).into_font().color(&BLACK);
    for (i, (name, values)) in rows.iter().enumerate() {
        // Row i from the top.
        let top = n - i as f64 - 0.1;
        let height = 0.8 / k;
        for (s, &v) in values.iter().enumerate() {
            let y1 = top - s as f64 * height;
            let color = COLORS[s % COLORS.len()];
            chart.draw_series([Rectangle::new(
                [(0.0, y1 - height), (v, y1)],
                color.filled(),
            )])?;
            chart.draw_series([EmptyElement::at((v, y1 - height / 2.0))
                + Text::new(tick(&(v.round())), (4, -7), style.clone())])?;
        }
        let at = chart.backend_coord(&(0.0, top - 0.4));
        area.draw(&Text::new(
            name.to_string(),
            (at.0 - 100, at.1 - 7),
            style.clone(),
        ))?;
    }
    if series.len() > 1 {
        for (s, name) in series.iter().enumerate() {
            chart
                .draw_series([Rectangle::new([(0.0, 0.0), (0.0, 0.0)], COLORS[s].filled())])?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], COLORS[s].filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .draw()?;
    }
    Ok(())
}

/// Two panels side by side, one row of bars per name (a peer or a
/// variant): W1 training samples/s at each thread count of `threads`, and
/// W2 steps/s.
fn draw_w1_w2(
    r: &Records,
    path: &Path,
    names: &[&str],
    threads: &[u64],
    titles: [&str; 2],
    split: u32,
) -> common::Result {
    let root = SVGBackend::new(path, (960, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(split);
    let mut w1 = Vec::new();
    let mut w2 = Vec::new();
    for &name in names {
        let per_thread: Vec<f64> = threads
            .iter()
            .map(|&t| med(r, "mlp-mnist", name, t, "train_samples_per_s"))
            .collect::<Result<_, _>>()?;
        w1.push((name, per_thread));
        w2.push((name, vec![med(r, "spiral-tiny", name, 1, "steps_per_s")?]));
    }
    let series: Vec<String> = threads
        .iter()
        .map(|&t| format!("{t} thread{}", if t == 1 { "" } else { "s" }))
        .collect();
    let series: Vec<&str> = series.iter().map(String::as_str).collect();
    bar_panel(
        &left,
        titles[0],
        "training samples per second",
        &w1,
        &series,
    )?;
    bar_panel(
        &right,
        titles[1],
        "training steps per second",
        &w2,
        &["1 thread"],
    )?;
    root.present()?;
    Ok(())
}

fn draw_peers(r: &Records, path: &Path) -> common::Result {
    let titles = [
        "W1: MLP 784-256-256-10, Adam, batch 128",
        "W2: MLP 2-100-3 on the spiral",
    ];
    draw_w1_w2(r, path, &PEERS, &[1, 2], titles, 560)
}

fn draw_ablation(r: &Records, path: &Path) -> common::Result {
    let names: Vec<&str> = VARIANTS.iter().map(|(v, _)| *v).collect();
    draw_w1_w2(r, path, &names, &[1], ["W1, 1 thread", "W2"], 480)
}
