//! Figures as SVG files: curves with a legend (on a linear or logarithmic
//! axis), histograms side by side, the decision regions of a classifier,
//! the training curves of a [`History`](crate::History) and a confusion
//! matrix as a heat map.
//!
//! SVG only: plotters' SVG backend writes text as `<text>` elements laid
//! out by an estimate of the glyph widths, so drawing needs no font files
//! and no system libraries (its default features need fontconfig). That is
//! why plotters is built here with `default-features = false` and only
//! `svg_backend` and `line_series`.

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use tensor::Tensor;

/// What drawing returns: plotters' and the file system's errors, boxed.
pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// Colours of curves and classes: the first of matplotlib's "tab10".
pub const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),  // blue
    RGBColor(255, 127, 14),  // orange
    RGBColor(44, 160, 44),   // green
    RGBColor(214, 39, 40),   // red
    RGBColor(148, 103, 189), // purple
    RGBColor(140, 86, 75),   // brown
];

/// The font family of every figure's text (the viewer picks the face).
pub const FONT: &str = "sans-serif";

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
        let (x0, x1) = self.x_bounds();
        let (y0, y1) = self.y_range.unwrap_or_else(|| {
            let (lo, hi) = bounds(self.points().map(|p| p.1));
            let margin = 0.05 * (hi - lo);
            (lo - margin, hi + margin)
        });
        let mut chart = self.builder(area).build_cartesian_2d(x0..x1, y0..y1)?;
        self.draw_on(
            &mut chart,
            &tick,
            self.series.iter().map(|s| s.points.clone()),
        )
    }

    /// Draws the chart with a logarithmic y axis (ticks at powers of 10).
    /// `y_range`, if given, must be positive; by default the axis fits the
    /// data with a margin. Points with y ≤ 0 cannot be drawn on
    /// this axis and are left out (a curve breaks there).
    pub fn draw_log_y(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result {
        let (x0, x1) = self.x_bounds();
        let (y0, y1) = match self.y_range {
            Some((lo, hi)) if 0.0 < lo && lo < hi => (lo, hi),
            Some((lo, hi)) => {
                return Err(format!(
                    "LineChart::draw_log_y: the y range must be positive and increasing, \
                     got ({lo}, {hi})"
                )
                .into());
            }
            None => {
                // The data with a margin of 5 % of the axis on either side;
                // at least one power of ten in view.
                let positive = self.points().map(|p| p.1).filter(|&y| y > 0.0);
                let (lo, hi) = bounds(positive);
                let (lo, hi) = if lo > 0.0 { (lo, hi) } else { (0.1, 1.0) };
                let (lo, hi) = (lo.log10(), hi.log10().max(lo.log10().floor() + 1.0));
                let margin = 0.05 * (hi - lo);
                (10f64.powf(lo - margin), 10f64.powf(hi + margin))
            }
        };
        let mut chart = self
            .builder(area)
            .build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
        // A curve is drawn in pieces, split where it leaves the axis (y ≤ 0).
        let pieces = self.series.iter().map(|s| {
            s.points
                .iter()
                .copied()
                .filter(|p| p.1 > 0.0 && p.1.is_finite())
                .collect::<Vec<_>>()
        });
        self.draw_on(&mut chart, &power_tick, pieces)
    }

    /// Every point of every curve.
    fn points(&self) -> impl Iterator<Item = &(f64, f64)> + Clone {
        self.series.iter().flat_map(|s| &s.points)
    }

    /// The x range: that of the data.
    fn x_bounds(&self) -> (f64, f64) {
        bounds(self.points().map(|p| p.0))
    }

    /// The chart's frame: caption, margins, room for the axis labels.
    fn builder<'a, 'b>(
        &self,
        area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    ) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
        let mut builder = ChartBuilder::on(area);
        builder
            .caption(&self.title, (FONT, 24))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64);
        builder
    }

    /// Draws the mesh, the curves (the points of each series, in order) and
    /// the legend on a chart whose y axis may be linear or logarithmic.
    fn draw_on<'a, Y>(
        &self,
        chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<RangedCoordf64, Y>>,
        y_tick: &dyn Fn(&f64) -> String,
        curves: impl Iterator<Item = Vec<(f64, f64)>>,
    ) -> Result
    where
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&tick)
            .y_label_formatter(y_tick)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 18))
            .max_light_lines(4)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (s, points) in self.series.iter().zip(curves) {
            let style = s.color.stroke_width(2);
            let drawn = if s.dashed {
                chart.draw_series(DashedLineSeries::new(points, 6, 4, style))?
            } else {
                chart.draw_series(LineSeries::new(points, style))?
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

    /// Draws the chart alone, with a logarithmic y axis
    /// ([`draw_log_y`](Self::draw_log_y)), into an SVG file.
    pub fn save_log_y(&self, path: &Path, size: (u32, u32)) -> Result {
        let root = SVGBackend::new(path, size).into_drawing_area();
        root.fill(&WHITE)?;
        self.draw_log_y(&root)?;
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

/// Draws charts in a grid of `grid.0` rows and `grid.1` columns, filled row
/// by row, into one SVG file of `size` pixels, under a `title` (none if
/// empty).
pub fn save_grid(
    path: &Path,
    size: (u32, u32),
    grid: (usize, usize),
    title: &str,
    charts: &[LineChart],
) -> Result {
    let (rows, cols) = grid;
    if rows * cols < charts.len() {
        return Err(format!(
            "save_grid: {} charts do not fit a grid of {rows} × {cols}",
            charts.len()
        )
        .into());
    }
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    let root = if title.is_empty() {
        root
    } else {
        root.titled(title, (FONT, 26))?
    };
    for (chart, panel) in charts.iter().zip(root.split_evenly(grid)) {
        chart.draw(&panel)?;
    }
    root.present()?;
    Ok(())
}

/// One panel of [`HistogramPanels`]: a histogram, drawn as bars.
pub struct Bars {
    /// The caption above the panel.
    pub title: String,
    /// The bin edges, increasing: one more than `heights`.
    pub edges: Vec<f64>,
    /// The height of each bin's bar (a count, a fraction, a density: the
    /// figure's y label says which).
    pub heights: Vec<f64>,
}

/// The heights of a histogram (`counts[i]` values in `[edges[i], edges[i + 1])`)
/// on other bins, `new_edges`: each bin's count is spread evenly over its
/// width and shared among the new bins it overlaps. Exact when the new
/// bins are unions of the old ones (or the same); otherwise a value may
/// move by up to one new bin. What falls outside `new_edges` is dropped.
/// Panels share their x axis this way when each histogram came with its
/// own range.
pub fn rebin(edges: &[f64], counts: &[f64], new_edges: &[f64]) -> Vec<f64> {
    assert_eq!(
        edges.len(),
        counts.len() + 1,
        "rebin: needs one more edge than counts, got {} edges for {} counts",
        edges.len(),
        counts.len()
    );
    let mut heights = vec![0.0; new_edges.len().saturating_sub(1)];
    for (old, &count) in edges.windows(2).zip(counts) {
        let width = old[1] - old[0];
        for (new, h) in new_edges.windows(2).zip(&mut heights) {
            let overlap = old[1].min(new[1]) - old[0].max(new[0]);
            if width <= 0.0 {
                // A bin of zero width: all of it goes where it lies.
                if new[0] <= old[0] && old[0] < new[1] {
                    *h += count;
                }
            } else if overlap > 0.0 {
                *h += count * overlap / width;
            }
        }
    }
    heights
}

/// A figure of histograms side by side, one panel per histogram, in a grid
/// of `grid.0` rows and `grid.1` columns filled row by row, all on the
/// same axes so that their shapes can be compared at a glance (the classic
/// picture of a network's activations, layer by layer).
pub struct HistogramPanels {
    /// The title above the whole figure.
    pub title: String,
    /// The label under the x axis of the bottom row.
    pub x_label: String,
    /// The label left of the y axis of the first column.
    pub y_label: String,
    /// The panels, first row first.
    pub panels: Vec<Bars>,
    /// Rows and columns.
    pub grid: (usize, usize),
    /// The x range shared by every panel; `None`: from the first edge to
    /// the last of all the panels, with 2 % to spare on either side.
    pub x_range: Option<(f64, f64)>,
    /// The top of the y axis shared by every panel (the bottom is 0);
    /// `None`: the tallest bar plus 5 %. A bar that does not fit is cut
    /// at the top and its height written next to it.
    pub y_max: Option<f64>,
    /// Written after a cut bar's height, e.g. `" %"`.
    pub unit: String,
    /// The colour of the bars.
    pub color: RGBColor,
}

impl HistogramPanels {
    /// Draws the figure into an SVG file of `size` pixels.
    pub fn save(&self, path: &Path, size: (u32, u32)) -> Result {
        let (rows, cols) = self.grid;
        if rows * cols < self.panels.len() {
            return Err(format!(
                "HistogramPanels: {} panels do not fit a grid of {rows} × {cols}",
                self.panels.len()
            )
            .into());
        }
        let (x0, x1) = self.x_range.unwrap_or_else(|| {
            let (lo, hi) = bounds(self.panels.iter().flat_map(|p| {
                [p.edges.first(), p.edges.last()]
                    .into_iter()
                    .flatten()
                    .copied()
            }));
            // A little room, so that the bars at the ends stand clear of the axis.
            let pad = 0.02 * (hi - lo);
            (lo - pad, hi + pad)
        });
        let y1 = self.y_max.unwrap_or_else(|| {
            let (_, hi) = bounds(self.panels.iter().flat_map(|p| p.heights.iter().copied()));
            1.05 * hi.max(0.0)
        });
        let y1 = if y1 > 0.0 { y1 } else { 1.0 };

        let root = SVGBackend::new(path, size).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.titled(&self.title, (FONT, 24))?;
        let cells = root.split_evenly((rows, cols));
        for (k, (bars, cell)) in self.panels.iter().zip(&cells).enumerate() {
            let (row, col) = (k / cols, k % cols);
            let bottom = row + 1 == rows || k + cols >= self.panels.len();
            let mut chart = ChartBuilder::on(cell)
                .caption(&bars.title, (FONT, 17))
                .margin(6)
                .margin_right(14)
                .x_label_area_size(if bottom { 44 } else { 24 })
                .y_label_area_size(48)
                .build_cartesian_2d(x0..x1, 0.0..y1)?;
            let mut mesh = chart.configure_mesh();
            mesh.disable_x_mesh()
                .x_labels(5)
                .y_labels(5)
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 15))
                .max_light_lines(0)
                .bold_line_style(RGBColor(230, 230, 230));
            if bottom {
                mesh.x_desc(&self.x_label);
            }
            if col == 0 {
                mesh.y_desc(&self.y_label);
            }
            mesh.draw()?;
            let visible = |l: f64, r: f64| r > x0 && l < x1;
            // The bars as one filled outline, a staircase: no seams between
            // neighbouring bars when the figure is scaled, and a small file.
            let mut outline = Vec::new();
            for (e, &h) in bars.edges.windows(2).zip(&bars.heights) {
                if visible(e[0], e[1]) {
                    let (l, r, h) = (e[0].max(x0), e[1].min(x1), h.clamp(0.0, y1));
                    if outline.is_empty() {
                        outline.push((l, 0.0));
                    }
                    outline.extend([(l, h), (r, h)]);
                }
            }
            if let Some(&(right, _)) = outline.last() {
                outline.push((right, 0.0));
                chart.draw_series([Polygon::new(outline, self.color.filled())])?;
            }
            // The bars cut at the top: their heights beside them (a label
            // that would overlap the one before is left out).
            let style = (FONT, 13).into_font().color(&BLACK);
            let mut free_from = i32::MIN;
            let mut labels = Vec::new();
            for (e, &h) in bars.edges.windows(2).zip(&bars.heights) {
                if h > y1 && visible(e[0], e[1]) {
                    let at = (e[1].min(x1), y1);
                    let x = chart.backend_coord(&at).0;
                    if x >= free_from {
                        let label = format!("{}{}", significant(h), self.unit);
                        free_from = x + 8 * label.chars().count() as i32;
                        labels.push(EmptyElement::at(at) + Text::new(label, (4, 2), style.clone()));
                    }
                }
            }
            chart.draw_series(labels)?;
        }
        root.present()?;
        Ok(())
    }
}

/// A tick label: at most 4 decimals, no trailing zeros, no "−0".
pub fn tick(v: &f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A number with 3 significant digits: 54.6, 0.123, 100, 1.23e-5.
fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    match magnitude {
        -3..=2 => format!("{v:.*}", (2 - magnitude) as usize),
        _ => format!("{v:.2e}"),
    }
}

/// A tick label of a logarithmic axis: powers of ten as 10⁻³, 1, 10, 10²;
/// other values (between the powers) in the short form of [`tick`] or as
/// 2·10⁻³.
fn power_tick(v: &f64) -> String {
    if !(v.is_finite() && *v > 0.0) {
        return tick(v);
    }
    let exponent = v.log10().floor();
    let mantissa = v / 10f64.powf(exponent);
    let mantissa = (mantissa * 1e6).round() / 1e6; // 1.0000000002 → 1
    let power = match exponent as i32 {
        0 => return tick(v),
        1 if mantissa == 1.0 => return "10".into(),
        e => format!("10{}", superscript(e)),
    };
    if mantissa == 1.0 {
        power
    } else if (-3..=3).contains(&(exponent as i32)) {
        tick(v)
    } else {
        format!("{}·{power}", tick(&mantissa))
    }
}

/// An integer in superscript digits: −12 → ⁻¹².
fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits = n.unsigned_abs().to_string();
    let digits = digits.chars().map(|d| DIGITS[d as usize - '0' as usize]);
    if n < 0 {
        std::iter::once('⁻').chain(digits).collect()
    } else {
        digits.collect()
    }
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

/// The two charts of a training run: the loss per epoch (training dashed,
/// validation solid) and, for a classifier, the accuracy per epoch. The
/// training values are those measured during each epoch (see
/// [`EpochRecord`](crate::EpochRecord)).
///
/// ```
/// use layers::{Mlp, Sequential};
/// use optim::Adam;
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::{Progress, Trainer, plot};
/// let mut rng = StdRng::seed_from_u64(0);
/// let parts = train::synthetic::spiral(50, 3, &mut rng).split(&[0.8, 0.2], &mut rng);
/// let mut model: Sequential = Mlp::new(&[2, 32, 3]).build(&mut rng);
/// let history = Trainer::new(5).progress(Progress::Quiet)
///     .fit(&mut model, &mut Adam::new(0.01), &parts[0], Some(&parts[1])).unwrap();
/// let charts = plot::history_charts(&history);
/// assert_eq!(charts.len(), 2); // loss, accuracy
/// assert_eq!(charts[0].series[1].points.len(), 5); // one validation point per epoch
/// ```
pub fn history_charts(history: &crate::History) -> Vec<LineChart> {
    let curve = |f: &dyn Fn(&crate::EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .epochs
            .iter()
            .filter_map(|e| f(e).map(|v| (e.epoch as f64, v)))
            .collect()
    };
    let pair = |train: Vec<(f64, f64)>, val: Vec<(f64, f64)>| {
        let mut series =
            vec![Series::new("training (during the epoch)", train, COLORS[0]).dashed()];
        if !val.is_empty() {
            series.push(Series::new("validation", val, COLORS[1]));
        }
        series
    };
    let mut charts = vec![LineChart {
        title: "loss".into(),
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series: pair(curve(&|e| Some(e.train_loss)), curve(&|e| e.val_loss)),
        legend: LegendPosition::UpperRight,
        y_range: None,
    }];
    let accuracy = curve(&|e| e.train_accuracy);
    if !accuracy.is_empty() {
        charts.push(LineChart {
            title: "accuracy".into(),
            x_label: "epoch".into(),
            y_label: "fraction correct".into(),
            series: pair(accuracy, curve(&|e| e.val_accuracy)),
            legend: LegendPosition::LowerRight,
            y_range: None,
        });
    }
    charts
}

/// Writes the loss and accuracy curves of a run side by side into an SVG
/// file ([`history_charts`]).
pub fn save_history(history: &crate::History, path: &Path, size: (u32, u32)) -> Result {
    save_panels(path, size, &history_charts(history))
}

/// Writes a confusion matrix as a heat map: one cell per (true class,
/// predicted class), shaded by the fraction of the true class's samples
/// it holds (each row sums to 1), with the count written in every non-zero
/// cell. The diagonal is the correct predictions; a dark cell off it is a
/// frequent confusion.
pub fn save_confusion(
    matrix: &crate::ConfusionMatrix,
    title: &str,
    path: &Path,
    size: (u32, u32),
) -> Result {
    let k = matrix.classes();
    if k == 0 {
        return Err("save_confusion: the matrix has no classes".into());
    }
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((0..k - 1).into_segmented(), (0..k - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("predicted class")
        .y_desc("true class")
        .x_labels(k)
        .y_labels(k)
        .x_label_formatter(&|v| segment_label(v, k, false))
        .y_label_formatter(&|v| segment_label(v, k, true))
        .label_style((FONT, 12))
        .draw()?;
    for truth in 0..k {
        let row: usize = (0..k).map(|p| matrix.count(truth, p)).sum();
        for predicted in 0..k {
            let count = matrix.count(truth, predicted);
            let share = if row == 0 {
                0.0
            } else {
                count as f64 / row as f64
            };
            // White to blue; the top row is class 0.
            let shade = |full: u8| (255.0 - share * (255.0 - f64::from(full))) as u8;
            let color = RGBColor(shade(31), shade(119), shade(180));
            let y = k - 1 - truth;
            let corner = |x: usize, y: usize| (SegmentValue::Exact(x), SegmentValue::Exact(y));
            chart.draw_series(std::iter::once(Rectangle::new(
                [corner(predicted, y), corner(predicted + 1, y + 1)],
                color.filled(),
            )))?;
            if count > 0 {
                let ink = if share > 0.5 { WHITE } else { BLACK };
                let cell = chart.backend_coord(&corner(predicted, y + 1));
                let next = chart.backend_coord(&corner(predicted + 1, y));
                let centre = ((cell.0 + next.0) / 2, (cell.1 + next.1) / 2);
                root.draw(&Text::new(
                    count.to_string(),
                    (centre.0 - 6, centre.1 - 6),
                    (FONT, 12).into_font().color(&ink),
                ))?;
            }
        }
    }
    root.present()?;
    Ok(())
}

/// The class written under the centre of a cell of the heat map, of `k`
/// classes; `flip` for the vertical axis, whose top row is class 0.
fn segment_label(v: &SegmentValue<usize>, k: usize, flip: bool) -> String {
    match v {
        SegmentValue::CenterOf(c) if *c < k => (if flip { k - 1 - c } else { *c }).to_string(),
        _ => String::new(),
    }
}
