//! What the examples share: their command line, the spiral data set, and
//! the two kinds of figure the book shows (curves with a legend, and the
//! decision regions of a classifier with the data on top).
//!
//! An example uses it with `mod common;`. Cargo builds this file into every
//! example that does, and each uses only some of the helpers: without the
//! `allow`, each example would warn about the helpers it does not call.
#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gradschool::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::Rng;

/// What an example returns: `Err` with a message when something failed,
/// including a claim of the book that did not hold.
pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// The command line every example understands.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--quick`: fewer steps (for CI); the example says what it checks then.
    pub quick: bool,
    /// `--out DIR`: where figures go; `target/figures` of the workspace by
    /// default (never the book: `scripts/figures.sh` writes there).
    pub out: PathBuf,
}

impl Options {
    /// Reads `--quick` and `--out DIR`. Other arguments are ignored with a
    /// note: `cargo test -- FILTER` passes its arguments to the examples it
    /// runs as tests, and those must not make them fail.
    pub fn from_args() -> std::result::Result<Options, String> {
        let mut options = Options {
            quick: false,
            out: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/figures"),
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--out" => match args.next() {
                    Some(dir) => options.out = PathBuf::from(dir),
                    None => return Err("--out needs a directory: --out DIR".into()),
                },
                _ => eprintln!("note: ignoring argument '{arg}' (options: --quick, --out DIR)"),
            }
        }
        Ok(options)
    }

    /// The path of figure `name` in the output directory, creating the
    /// directory if needed.
    pub fn figure(&self, name: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.out)
            .map_err(|e| format!("cannot create {}: {e}", self.out.display()))?;
        Ok(self.out.join(name))
    }
}

/// Runs an example: parses the options, calls `example`, and turns an
/// error into a message on stderr and a failing exit code (so that CI and
/// `cargo test` notice a claim that does not hold).
pub fn run(example: fn(&Options) -> Result) -> ExitCode {
    let outcome = Options::from_args()
        .map_err(Into::into)
        .and_then(|options| example(&options));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: spiral
/// The three-arm spiral of CS231n: for class k, radius r = i/(n−1) and angle
/// t = 4k + 4r + N(0, 0.2²); the point is (r sin t, r cos t). Returns the
/// points, `[3n, 2]`, and their classes.
pub fn spiral(points_per_class: usize, rng: &mut impl Rng) -> (Tensor, Vec<usize>) {
    let mut xy = Vec::new();
    let mut labels = Vec::new();
    for k in 0..3 {
        for i in 0..points_per_class {
            let r = i as f32 / (points_per_class - 1) as f32;
            let noise: f32 = rng.sample(rand_distr::StandardNormal);
            let t = 4.0 * k as f32 + 4.0 * r + 0.2 * noise;
            xy.extend([r * t.sin(), r * t.cos()]);
            labels.push(k);
        }
    }
    (Tensor::from_vec(xy, [3 * points_per_class, 2]), labels)
}
// ANCHOR_END: spiral

/// The fraction of predictions equal to their labels.
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    let correct = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
    correct as f64 / labels.len() as f64
}

// ---------------------------------------------------------------------------
// Figures: SVG only (plotters' SVG backend writes text as <text> elements,
// so no font files or system libraries are needed).

/// Colours of curves and classes: the first of matplotlib's "tab10".
pub const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),  // blue
    RGBColor(255, 127, 14),  // orange
    RGBColor(44, 160, 44),   // green
    RGBColor(214, 39, 40),   // red
    RGBColor(148, 103, 189), // purple
    RGBColor(140, 86, 75),   // brown
];

const FONT: &str = "sans-serif";

/// One curve of a [`LineChart`].
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// The (x, y) points, joined in order.
    pub points: Vec<(f64, f64)>,
    /// Its colour.
    pub color: RGBColor,
    /// Drawn dashed (a marker or a reference line) instead of solid.
    pub dashed: bool,
}

impl Series {
    /// A solid curve.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Series {
            name: name.into(),
            points,
            color,
            dashed: false,
        }
    }

    /// The same curve, dashed.
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }
}

/// Where a chart's legend goes.
pub use plotters::chart::SeriesLabelPosition as LegendPosition;

/// A chart of several curves with a title, axis labels and a legend.
pub struct LineChart {
    /// The title above the plot.
    pub title: String,
    /// The label under the x axis.
    pub x_label: String,
    /// The label left of the y axis.
    pub y_label: String,
    /// The curves, drawn in order.
    pub series: Vec<Series>,
    /// Where the legend goes.
    pub legend: LegendPosition,
    /// The y range; `None` fits the data with a 5 % margin.
    pub y_range: Option<(f64, f64)>,
}

impl LineChart {
    /// Draws the chart on a drawing area (a whole figure or a panel of one).
    pub fn draw(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result {
        let points = self.series.iter().flat_map(|s| &s.points);
        let (x0, x1) = bounds(points.clone().map(|p| p.0));
        let (y0, y1) = self.y_range.unwrap_or_else(|| {
            let (lo, hi) = bounds(points.map(|p| p.1));
            let margin = 0.05 * (hi - lo);
            (lo - margin, hi + margin)
        });
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 24))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 18))
            .max_light_lines(4)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for s in &self.series {
            let style = s.color.stroke_width(2);
            let drawn = if s.dashed {
                chart.draw_series(DashedLineSeries::new(s.points.clone(), 6, 4, style))?
            } else {
                chart.draw_series(LineSeries::new(s.points.clone(), style))?
            };
            // The legend's sample: three pieces, with gaps if dashed.
            let gap = if s.dashed { 3 } else { 0 };
            drawn.label(&s.name).legend(move |(x, y)| {
                let piece =
                    |from: i32| PathElement::new([(from, 0), (from + 6 + 2 - gap, 0)], style);
                EmptyElement::at((x, y)) + piece(0) + piece(8) + piece(16)
            });
        }
        chart
            .configure_series_labels()
            .position(self.legend.clone())
            .label_font((FONT, 15))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .draw()?;
        Ok(())
    }

    /// Draws the chart alone into an SVG file of `size` pixels.
    pub fn save(&self, path: &Path, size: (u32, u32)) -> Result {
        let root = SVGBackend::new(path, size).into_drawing_area();
        root.fill(&WHITE)?;
        self.draw(&root)?;
        root.present()?;
        Ok(())
    }
}

/// Draws charts side by side into one SVG file of `size` pixels.
pub fn save_panels(path: &Path, size: (u32, u32), charts: &[LineChart]) -> Result {
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    for (chart, panel) in charts.iter().zip(root.split_evenly((1, charts.len()))) {
        chart.draw(&panel)?;
    }
    root.present()?;
    Ok(())
}

/// A tick label: at most 4 decimals, no trailing zeros, no "−0".
fn tick(v: &f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The smallest and largest finite value (0..1 if there is none).
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// A picture of a classifier in the plane: every point of a grid over
/// `x_range` × `y_range` coloured (lightly) by its predicted class, the
/// labelled points on top in the full colour of their class.
pub struct DecisionRegions<'a> {
    /// The title above the plot.
    pub title: String,
    /// The range of the first coordinate.
    pub x_range: (f64, f64),
    /// The range of the second coordinate.
    pub y_range: (f64, f64),
    /// The data, `[n, 2]`.
    pub points: &'a Tensor,
    /// The class of each point.
    pub labels: &'a [usize],
    /// The name of each class in the legend.
    pub class_names: &'a [&'a str],
    /// The radius of the data points in pixels.
    pub point_size: u32,
}

/// Cells per side of the grid on which the classifier is evaluated.
const GRID: usize = 160;

impl DecisionRegions<'_> {
    /// Evaluates `classify` (points `[m, 2]` → one class per row) on the
    /// grid in one batch and writes the SVG file.
    pub fn save(
        &self,
        path: &Path,
        size: (u32, u32),
        classify: impl Fn(&Tensor) -> Vec<usize>,
    ) -> Result {
        let ((x0, x1), (y0, y1)) = (self.x_range, self.y_range);
        let (dx, dy) = ((x1 - x0) / GRID as f64, (y1 - y0) / GRID as f64);
        // Cell centres, row by row from the bottom.
        let mut grid = Vec::with_capacity(2 * GRID * GRID);
        for j in 0..GRID {
            for i in 0..GRID {
                let x = x0 + (i as f64 + 0.5) * dx;
                let y = y0 + (j as f64 + 0.5) * dy;
                grid.extend([x as f32, y as f32]);
            }
        }
        let classes = classify(&Tensor::from_vec(grid, [GRID * GRID, 2]));
        if classes.len() != GRID * GRID {
            return Err(format!(
                "DecisionRegions: the classifier returned {} classes for {} points",
                classes.len(),
                GRID * GRID
            )
            .into());
        }

        let root = SVGBackend::new(path, size).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, (FONT, 24))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        // One rectangle per run of equal cells in a row, not one per cell:
        // the file stays small (a few hundred rectangles instead of 25 600).
        let mut runs = Vec::new();
        for (j, row) in classes.chunks(GRID).enumerate() {
            let mut start = 0;
            for i in 1..=GRID {
                if i == GRID || row[i] != row[start] {
                    let (ya, yb) = (y0 + j as f64 * dy, y0 + (j + 1) as f64 * dy);
                    let (xa, xb) = (x0 + start as f64 * dx, x0 + i as f64 * dx);
                    let light = COLORS[row[start] % COLORS.len()].mix(0.25);
                    runs.push(Rectangle::new([(xa, ya), (xb, yb)], light.filled()));
                    start = i;
                }
            }
        }
        chart.draw_series(runs)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 18))
            .draw()?;

        let r = self.point_size;
        for (class, name) in self.class_names.iter().enumerate() {
            let color = COLORS[class % COLORS.len()];
            let points: Vec<(f64, f64)> = (0..self.labels.len())
                .filter(|&n| self.labels[n] == class)
                .map(|n| {
                    let at = |k| f64::from(self.points.at([n, k]));
                    (at(0), at(1))
                })
                .collect();
            chart
                .draw_series(points.iter().map(|&p| {
                    EmptyElement::at(p)
                        + Circle::new((0, 0), r, color.filled())
                        + Circle::new((0, 0), r, BLACK.stroke_width(1))
                }))?
                .label(*name)
                .legend(move |(x, y)| Circle::new((x + 10, y), r.max(4), color.filled()));
        }
        chart
            .configure_series_labels()
            .position(LegendPosition::UpperRight)
            .label_font((FONT, 15))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .draw()?;
        root.present()?;
        Ok(())
    }
}
