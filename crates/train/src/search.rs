//! Hyperparameter search: choosing the learning rate, the dropout rate, the
//! width of a layer — the numbers that training does not learn — by
//! training with several values and keeping the one that does best on the
//! *validation* data (never the test data: a test set used to choose is no
//! longer a test set).
//!
//! A search has three parts: a [`Space`] that says which values each
//! hyperparameter may take; an *objective* that trains one model with one
//! [`Params`] and reports its [`Outcome`] (validation accuracy and loss);
//! and a strategy that decides which points of the space to try —
//! [`grid_search`], [`random_search`] or [`coarse_to_fine`]. Every trial is
//! kept in the [`SearchResults`], failed ones (a loss that became NaN)
//! included, and prints as a table.
//!
//! ## Grid or random?
//!
//! Grid search tries every combination of a few values per hyperparameter.
//! It looks systematic, but it wastes most of its budget when — as usual —
//! only one or two of the hyperparameters really matter. Take the learning
//! rate, which matters a lot, and the dropout rate, which (say) hardly
//! does. A 3 × 3 grid trains nine models but tries only *three* learning
//! rates, each three times with dropout values that barely change the
//! result: six of the nine runs tell us almost nothing new. Nine random
//! trials try *nine* learning rates (and nine dropout rates): the same
//! budget looks three times more finely along the axis that matters, and
//! we did not have to know in advance which axis that would be. In general
//! a grid of n values for each of d hyperparameters costs nᵈ runs and
//! still tries only n values of any one of them; nᵈ random trials try nᵈ.
//! This is the argument of Bergstra and Bengio, "Random Search for
//! Hyper-Parameter Optimization" (JMLR 13, 2012).
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use train::search::{Outcome, Space, grid_search, random_search};
//! // Validation accuracy that depends on the learning rate only.
//! let objective = |p: &train::search::Params| {
//!     let x = p.get("lr").log10() + 2.3;
//!     Ok(Outcome::new(0.95 - 0.05 * x * x, 0.2, 1))
//! };
//! let grid = Space::new()
//!     .grid("lr", &[1e-4, 1e-3, 1e-2])
//!     .grid("dropout", &[0.0, 0.25, 0.5]);
//! let random = Space::new()
//!     .log_uniform("lr", 1e-4, 1e-2)
//!     .uniform("dropout", 0.0, 0.5);
//! let by_grid = grid_search(&grid, objective);
//! let at_random = random_search(&random, 9, &mut StdRng::seed_from_u64(0), objective);
//! let distinct = |r: &train::search::SearchResults| {
//!     let mut lrs: Vec<f64> = r.trials.iter().map(|t| t.params.get("lr")).collect();
//!     lrs.sort_by(f64::total_cmp);
//!     lrs.dedup();
//!     lrs.len()
//! };
//! assert_eq!((by_grid.trials.len(), distinct(&by_grid)), (9, 3)); // 9 runs, 3 learning rates
//! assert_eq!((at_random.trials.len(), distinct(&at_random)), (9, 9)); // 9 runs, 9 learning rates
//! ```
//!
//! ## Sampling on a log scale
//!
//! Going from a learning rate of 10⁻⁴ to 10⁻³ changes training as much as
//! going from 10⁻² to 10⁻¹: what matters is the *ratio*, so the scale to
//! sample on is the exponent. Drawn uniformly from [10⁻⁴, 10⁻¹], 90 % of
//! the learning rates would land in the top decade [10⁻², 10⁻¹] and under
//! 1 % in the bottom one. [`Space::log_uniform`] draws the exponent
//! uniformly instead, lr = 10ᵘ with u ~ U(−4, −1), so each decade gets a
//! third of the trials. The same holds for any hyperparameter whose effect
//! is multiplicative (a penalty's λ, a weight scale); one that lives on a
//! bounded interval, like the dropout probability, is sampled uniformly
//! ([`Space::uniform`]).
//!
//! ## Coarse to fine
//!
//! Search in two stages ([`coarse_to_fine`]). First a wide range with few
//! epochs per trial — a handful of epochs is enough to tell a learning rate
//! that learns from one that does not, and a bad trial wastes little time.
//! Then narrow the range around the best trials of the first stage and
//! search there again, training longer. The narrowing rule is
//! [`Space::narrowed`]: the span of the k best values, widened on each side
//! by a fraction of the original range, never beyond the original range.
//! A best value at the edge of the original range is a warning: the
//! optimum may lie beyond it, so widen the range and search again rather
//! than trust the second stage.
//!
//! ## With the training loop
//!
//! An objective is a closure that builds a fresh model from the params,
//! trains it and reports how it did on the validation data;
//! [`Outcome::from_history`] reads that from the [`Trainer`](crate::Trainer)'s
//! history.
//!
//! ```
//! use layers::Sequential;
//! use rand::{SeedableRng, rngs::StdRng};
//! use regularize::Recipe;
//! use train::search::{Outcome, Space, random_search};
//! use train::{Progress, Trainer};
//! let mut rng = StdRng::seed_from_u64(0);
//! let parts = train::synthetic::blobs(60, 3, 0.5, &mut rng).split(&[0.7, 0.3], &mut rng);
//! let (train_set, val_set) = (&parts[0], &parts[1]);
//! let space = Space::new().log_uniform("lr", 1e-4, 1e-1);
//! let results = random_search(&space, 3, &mut rng, |p| {
//!     let recipe = Recipe::new(&[2, 16, 3]);
//!     let mut model: Sequential = recipe.build(&mut StdRng::seed_from_u64(1)); // same start for every trial
//!     let history = Trainer::new(5)
//!         .progress(Progress::Quiet)
//!         .fit(&mut model, &mut recipe.optimizer(p.get("lr")), train_set, Some(val_set))?;
//!     Outcome::from_history(&history)
//! });
//! assert_eq!(results.trials.len(), 3);
//! let best = results.best().unwrap();
//! assert!(best.val_accuracy > 0.8, "{results}");
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::time::Instant;

use rand::Rng;

use crate::{History, TrainError};

// ---------------------------------------------------------------------------
// Params

/// The values of the hyperparameters of one trial, by name, in the order
/// they were added (for a trial of a search: the order of its [`Space`]).
/// Every value is an `f64`; a whole number such as a layer width is stored
/// as one (`128.0`) and converted where it is used
/// (`p.get("hidden") as usize`).
///
/// ```
/// use train::search::Params;
/// let p = Params::new().with("lr", 3e-3).with("hidden", 128.0);
/// assert_eq!(p.get("lr"), 3e-3);
/// assert_eq!(p.get("hidden") as usize, 128);
/// assert_eq!(p.to_string(), "lr = 3e-3, hidden = 128");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    entries: Vec<(String, f64)>,
}

impl Params {
    /// No values yet.
    ///
    /// ```
    /// assert!(train::search::Params::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Params::default()
    }

    /// The same params with `name` set to `value` (replacing a value of
    /// the same name, which keeps its place).
    ///
    /// ```
    /// use train::search::Params;
    /// let p = Params::new().with("lr", 0.1).with("lr", 0.01);
    /// assert_eq!((p.len(), p.get("lr")), (1, 0.01));
    /// ```
    pub fn with(mut self, name: &str, value: f64) -> Self {
        self.insert(name, value);
        self
    }

    /// Sets `name` to `value` (replacing a value of the same name, which
    /// keeps its place).
    ///
    /// ```
    /// let mut p = train::search::Params::new();
    /// p.insert("dropout", 0.2);
    /// assert_eq!(p.get("dropout"), 0.2);
    /// ```
    pub fn insert(&mut self, name: &str, value: f64) {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name.to_string(), value)),
        }
    }

    /// The value of `name`.
    ///
    /// ```
    /// let p = train::search::Params::new().with("lr", 0.01);
    /// assert_eq!(p.get("lr"), 0.01);
    /// ```
    ///
    /// # Panics
    /// If there is no value of that name, naming it and the ones there are:
    /// `Params::get: no hyperparameter named 'momentum'; this trial has lr, dropout`.
    #[track_caller]
    pub fn get(&self, name: &str) -> f64 {
        match self.try_get(name) {
            Some(value) => value,
            None => {
                let names: Vec<&str> = self.names().collect();
                let has = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                panic!("Params::get: no hyperparameter named '{name}'; this trial has {has}")
            }
        }
    }

    /// The value of `name`, if there is one.
    ///
    /// ```
    /// let p = train::search::Params::new().with("lr", 0.01);
    /// assert_eq!((p.try_get("lr"), p.try_get("momentum")), (Some(0.01), None));
    /// ```
    pub fn try_get(&self, name: &str) -> Option<f64> {
        self.entries.iter().find(|(n, _)| n == name).map(|e| e.1)
    }

    /// The names, in order.
    ///
    /// ```
    /// let p = train::search::Params::new().with("lr", 0.01).with("dropout", 0.1);
    /// assert_eq!(p.names().collect::<Vec<_>>(), ["lr", "dropout"]);
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The (name, value) pairs, in order.
    ///
    /// ```
    /// let p = train::search::Params::new().with("lr", 0.01).with("dropout", 0.1);
    /// assert_eq!(p.iter().collect::<Vec<_>>(), [("lr", 0.01), ("dropout", 0.1)]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.entries.iter().map(|(n, v)| (n.as_str(), *v))
    }

    /// The number of values.
    ///
    /// ```
    /// assert_eq!(train::search::Params::new().with("lr", 0.01).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no values.
    ///
    /// ```
    /// assert!(!train::search::Params::new().with("lr", 0.01).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `name = value` pairs separated by commas, each value in the short form
/// of [`Domain`]'s display.
impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{name} = {}", short(value))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Domains and spaces

/// The values one hyperparameter may take, and how random search draws
/// them.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::search::Domain;
/// let lr = Domain::LogUniform { low: 1e-4, high: 1e-1 };
/// let x = lr.sample(&mut StdRng::seed_from_u64(0));
/// assert!(lr.contains(x));
/// assert_eq!(lr.to_string(), "10^U(-4, -1)");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// 10ᵘ with u uniform in [log₁₀ `low`, log₁₀ `high`]: each decade of
    /// the range is equally likely (0 < `low` < `high`).
    LogUniform {
        /// The smallest value.
        low: f64,
        /// The largest value.
        high: f64,
    },
    /// Uniform in [`low`, `high`].
    Uniform {
        /// The smallest value.
        low: f64,
        /// The largest value.
        high: f64,
    },
    /// One of these values, each equally likely (for random search), or
    /// each in turn (for grid search).
    Choice(Vec<f64>),
    /// The values of a grid search, each in turn; random search picks one
    /// of them, each equally likely, as for [`Domain::Choice`].
    Grid(Vec<f64>),
}

impl Domain {
    /// A value drawn at random: uniform in the exponent for
    /// [`LogUniform`](Domain::LogUniform), uniform for
    /// [`Uniform`](Domain::Uniform), one of the listed values (each equally
    /// likely) for [`Choice`](Domain::Choice) and [`Grid`](Domain::Grid).
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// use train::search::Domain;
    /// let mut rng = StdRng::seed_from_u64(0);
    /// let widths = Domain::Choice(vec![64.0, 128.0, 256.0]);
    /// assert!([64.0, 128.0, 256.0].contains(&widths.sample(&mut rng)));
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Domain::LogUniform { low, high } => {
                let (a, b) = (low.log10(), high.log10());
                10f64.powf(a + (b - a) * rng.random::<f64>())
            }
            Domain::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Domain::Choice(values) | Domain::Grid(values) => {
                values[rng.random_range(0..values.len())]
            }
        }
    }

    /// Whether `value` is one the domain can give: inside the range (ends
    /// included), or one of the listed values.
    ///
    /// ```
    /// use train::search::Domain;
    /// assert!(Domain::Uniform { low: 0.0, high: 0.5 }.contains(0.5));
    /// assert!(!Domain::Grid(vec![0.1, 0.01]).contains(0.05));
    /// ```
    pub fn contains(&self, value: f64) -> bool {
        match self {
            Domain::LogUniform { low, high } | Domain::Uniform { low, high } => {
                *low <= value && value <= *high
            }
            Domain::Choice(values) | Domain::Grid(values) => values.contains(&value),
        }
    }
}

/// `10^U(a, b)` (with a, b the base-10 exponents), `U(low, high)`,
/// `one of {…}` or `grid {…}`.
///
/// ```
/// use train::search::Domain;
/// assert_eq!(Domain::Uniform { low: 0.0, high: 0.5 }.to_string(), "U(0, 0.5)");
/// assert_eq!(Domain::Choice(vec![64.0, 128.0]).to_string(), "one of {64, 128}");
/// assert_eq!(Domain::Grid(vec![1e-3, 1e-2]).to_string(), "grid {1e-3, 0.01}");
/// ```
impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |values: &[f64]| {
            let items: Vec<String> = values.iter().map(|&v| short(v)).collect();
            items.join(", ")
        };
        match self {
            Domain::LogUniform { low, high } => {
                write!(
                    f,
                    "10^U({}, {})",
                    decimals(low.log10()),
                    decimals(high.log10())
                )
            }
            Domain::Uniform { low, high } => write!(f, "U({}, {})", short(*low), short(*high)),
            Domain::Choice(values) => write!(f, "one of {{{}}}", list(values)),
            Domain::Grid(values) => write!(f, "grid {{{}}}", list(values)),
        }
    }
}

/// The hyperparameters of a search, each with its [`Domain`], in the order
/// they were added (the order of the columns of a results table, and of
/// the nested loops of a grid).
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::search::Space;
/// let space = Space::new()
///     .log_uniform("lr", 1e-4, 1e-1)
///     .uniform("dropout", 0.0, 0.5)
///     .choice("hidden", &[64.0, 128.0, 256.0]);
/// let p = space.sample(&mut StdRng::seed_from_u64(0));
/// assert_eq!(p.names().collect::<Vec<_>>(), ["lr", "dropout", "hidden"]);
/// assert!(space.contains(&p));
/// assert_eq!(space.to_string(), "lr ~ 10^U(-4, -1), dropout ~ U(0, 0.5), hidden ~ one of {64, 128, 256}");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Space {
    dims: Vec<(String, Domain)>,
}

impl Space {
    /// A space with no hyperparameters yet.
    ///
    /// ```
    /// assert!(train::search::Space::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Space::default()
    }

    /// Adds `name`, drawn as 10ᵘ with u uniform in [log₁₀ `low`,
    /// log₁₀ `high`] — the way to sample a learning rate.
    ///
    /// ```
    /// let space = train::search::Space::new().log_uniform("lr", 1e-4, 1e-1);
    /// assert_eq!(space.to_string(), "lr ~ 10^U(-4, -1)");
    /// ```
    ///
    /// # Panics
    /// Unless 0 < `low` < `high` (both finite), or if `name` is already in
    /// the space.
    #[track_caller]
    pub fn log_uniform(self, name: &str, low: f64, high: f64) -> Self {
        if !(low > 0.0 && low < high && high.is_finite()) {
            panic!("Space::log_uniform: '{name}' needs 0 < low < high, got low {low}, high {high}");
        }
        self.push(name, Domain::LogUniform { low, high })
    }

    /// Adds `name`, drawn uniformly from [`low`, `high`].
    ///
    /// ```
    /// let space = train::search::Space::new().uniform("dropout", 0.0, 0.5);
    /// assert_eq!(space.to_string(), "dropout ~ U(0, 0.5)");
    /// ```
    ///
    /// # Panics
    /// Unless `low` < `high` (both finite), or if `name` is already in the
    /// space.
    #[track_caller]
    pub fn uniform(self, name: &str, low: f64, high: f64) -> Self {
        if !(low.is_finite() && high.is_finite() && low < high) {
            panic!("Space::uniform: '{name}' needs finite low < high, got low {low}, high {high}");
        }
        self.push(name, Domain::Uniform { low, high })
    }

    /// Adds `name`, one of `values`: drawn with equal probabilities by
    /// random search, each taken in turn by grid search.
    ///
    /// ```
    /// let space = train::search::Space::new().choice("hidden", &[64.0, 128.0]);
    /// assert_eq!(space.grid_points().len(), 2);
    /// ```
    ///
    /// # Panics
    /// If `values` is empty or holds a non-finite value, or if `name` is
    /// already in the space.
    #[track_caller]
    pub fn choice(self, name: &str, values: &[f64]) -> Self {
        check_values("Space::choice", name, values);
        self.push(name, Domain::Choice(values.to_vec()))
    }

    /// Adds `name` with the values a grid search takes in turn (random
    /// search draws one of them, each equally likely).
    ///
    /// ```
    /// let space = train::search::Space::new()
    ///     .grid("lr", &[1e-3, 1e-2, 1e-1])
    ///     .grid("dropout", &[0.0, 0.5]);
    /// assert_eq!(space.grid_points().len(), 3 * 2);
    /// ```
    ///
    /// # Panics
    /// If `values` is empty or holds a non-finite value, or if `name` is
    /// already in the space.
    #[track_caller]
    pub fn grid(self, name: &str, values: &[f64]) -> Self {
        check_values("Space::grid", name, values);
        self.push(name, Domain::Grid(values.to_vec()))
    }

    #[track_caller]
    fn push(mut self, name: &str, domain: Domain) -> Self {
        if self.domain(name).is_some() {
            panic!("Space: '{name}' is already in the space ({self})");
        }
        self.dims.push((name.to_string(), domain));
        self
    }

    /// The domain of `name`, if it is in the space.
    ///
    /// ```
    /// use train::search::{Domain, Space};
    /// let space = Space::new().uniform("dropout", 0.0, 0.5);
    /// assert_eq!(space.domain("dropout"), Some(&Domain::Uniform { low: 0.0, high: 0.5 }));
    /// assert_eq!(space.domain("lr"), None);
    /// ```
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.dims.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    /// The (name, domain) pairs, in order.
    ///
    /// ```
    /// let space = train::search::Space::new().log_uniform("lr", 1e-4, 1e-1).uniform("dropout", 0.0, 0.5);
    /// let names: Vec<&str> = space.iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["lr", "dropout"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Domain)> + '_ {
        self.dims.iter().map(|(n, d)| (n.as_str(), d))
    }

    /// The number of hyperparameters.
    ///
    /// ```
    /// assert_eq!(train::search::Space::new().uniform("dropout", 0.0, 0.5).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.dims.len()
    }

    /// Whether the space has no hyperparameters.
    ///
    /// ```
    /// assert!(!train::search::Space::new().uniform("dropout", 0.0, 0.5).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.dims.is_empty()
    }

    /// One point drawn at random: each hyperparameter drawn from its
    /// domain ([`Domain::sample`]), in order.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let space = train::search::Space::new().log_uniform("lr", 1e-4, 1e-1);
    /// let lr = space.sample(&mut StdRng::seed_from_u64(0)).get("lr");
    /// assert!((1e-4..=1e-1).contains(&lr));
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Params {
        let mut params = Params::new();
        for (name, domain) in &self.dims {
            params.insert(name, domain.sample(rng));
        }
        params
    }

    /// Whether every hyperparameter of the space has a value in `params`
    /// that its domain can give ([`Domain::contains`]).
    ///
    /// ```
    /// use train::search::{Params, Space};
    /// let space = Space::new().log_uniform("lr", 1e-4, 1e-1);
    /// assert!(space.contains(&Params::new().with("lr", 1e-2)));
    /// assert!(!space.contains(&Params::new().with("lr", 1.0)));
    /// assert!(!space.contains(&Params::new()));
    /// ```
    pub fn contains(&self, params: &Params) -> bool {
        self.iter()
            .all(|(name, domain)| params.try_get(name).is_some_and(|v| domain.contains(v)))
    }

    /// Every combination of the listed values — the Cartesian product, each
    /// combination exactly once — in the order of nested loops with the
    /// first hyperparameter outermost.
    ///
    /// ```
    /// let space = train::search::Space::new().grid("lr", &[0.1, 0.01]).grid("dropout", &[0.0, 0.5]);
    /// let points: Vec<String> = space.grid_points().iter().map(|p| p.to_string()).collect();
    /// assert_eq!(points, [
    ///     "lr = 0.1, dropout = 0",
    ///     "lr = 0.1, dropout = 0.5",
    ///     "lr = 0.01, dropout = 0",
    ///     "lr = 0.01, dropout = 0.5",
    /// ]);
    /// ```
    ///
    /// # Panics
    /// If a hyperparameter has a continuous range (log-uniform or uniform),
    /// which has no list of values to loop over:
    /// `grid search: 'lr' is 10^U(-4, -1), a continuous range; give it a list of values with Space::grid`.
    #[track_caller]
    pub fn grid_points(&self) -> Vec<Params> {
        let mut points = vec![Params::new()];
        for (name, domain) in &self.dims {
            let values = match domain {
                Domain::Choice(values) | Domain::Grid(values) => values,
                continuous => panic!(
                    "grid search: '{name}' is {continuous}, a continuous range; give it a list \
                     of values with Space::grid"
                ),
            };
            points = points
                .iter()
                .flat_map(|p| values.iter().map(move |&v| p.clone().with(name, v)))
                .collect();
        }
        points
    }

    /// The space narrowed around `best` (the params of the best trials of a
    /// first search) — the rule of [`coarse_to_fine`]. For each
    /// hyperparameter, over the values that the `best` params give it:
    ///
    /// - **log-uniform** on [a, b]: with lo and hi the smallest and largest
    ///   log₁₀ of those values, the new range is
    ///   10^U(max(log₁₀ a, lo − m), min(log₁₀ b, hi + m)) with the margin
    ///   m = `widen` · (log₁₀ b − log₁₀ a): the decades the best values
    ///   span, widened on each side by the fraction `widen` of the original
    ///   range's decades, clipped to the original range;
    /// - **uniform** on [a, b]: the same in the values themselves,
    ///   U(max(a, lo − m), min(b, hi + m)) with m = `widen` · (b − a);
    /// - **choice** and **grid**: only the listed values that some of the
    ///   `best` params have, in their original order.
    ///
    /// The new range always holds every one of the `best` values and, for
    /// values drawn from the space, is never wider than the original. A hyperparameter that none of the
    /// `best` params has keeps its domain (so an empty `best` gives the
    /// space unchanged). With `widen` = 0 and a single best value, the
    /// range shrinks to that value.
    ///
    /// ```
    /// use train::search::{Params, Space};
    /// let space = Space::new().log_uniform("lr", 1e-4, 1e-1).uniform("dropout", 0.0, 0.5);
    /// let best = [
    ///     Params::new().with("lr", 1e-3).with("dropout", 0.1),
    ///     Params::new().with("lr", 1e-2).with("dropout", 0.2),
    /// ];
    /// // lr: decades -3..-2, widened by 0.1 × 3 = 0.3 decades on each side;
    /// // dropout: 0.1..0.2, widened by 0.1 × 0.5 = 0.05 on each side.
    /// let narrow = space.narrowed(&[&best[0], &best[1]], 0.1);
    /// assert_eq!(narrow.to_string(), "lr ~ 10^U(-3.3, -1.7), dropout ~ U(0.05, 0.25)");
    /// ```
    ///
    /// # Panics
    /// If `widen` is negative or not finite.
    #[track_caller]
    pub fn narrowed(&self, best: &[&Params], widen: f64) -> Space {
        if !(widen.is_finite() && widen >= 0.0) {
            panic!("Space::narrowed: widen must be a finite fraction ≥ 0, got {widen}");
        }
        let dims = self
            .dims
            .iter()
            .map(|(name, domain)| {
                let values: Vec<f64> = best.iter().filter_map(|p| p.try_get(name)).collect();
                let domain = if values.is_empty() {
                    domain.clone()
                } else {
                    narrow(domain, &values, widen)
                };
                (name.clone(), domain)
            })
            .collect();
        Space { dims }
    }
}

/// One domain narrowed to the span of `values` (not empty), widened by
/// the fraction `widen` of its range on each side, within the original.
fn narrow(domain: &Domain, values: &[f64], widen: f64) -> Domain {
    let span = |values: &mut dyn Iterator<Item = f64>| {
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
    };
    match domain {
        Domain::LogUniform { low, high } => {
            let (a, b) = (low.log10(), high.log10());
            let (lo, hi) = span(&mut values.iter().map(|v| v.log10()));
            let m = widen * (b - a);
            // Powers of ten of the clipped ends are the original ends
            // exactly, not 10^log10(a), which may differ in the last bit.
            let low = if lo - m <= a {
                *low
            } else {
                10f64.powf(lo - m)
            };
            let high = if hi + m >= b {
                *high
            } else {
                10f64.powf(hi + m)
            };
            // A value of `best` must stay inside even after rounding.
            let (min, max) = span(&mut values.iter().copied());
            Domain::LogUniform {
                low: low.min(min),
                high: high.max(max),
            }
        }
        Domain::Uniform { low, high } => {
            let (lo, hi) = span(&mut values.iter().copied());
            let m = widen * (high - low);
            Domain::Uniform {
                low: low.max(lo - m),
                high: high.min(hi + m),
            }
        }
        Domain::Choice(list) => Domain::Choice(kept(list, values)),
        Domain::Grid(list) => Domain::Grid(kept(list, values)),
    }
}

/// The values of `list` that appear in `used`, in the order of `list`.
fn kept(list: &[f64], used: &[f64]) -> Vec<f64> {
    list.iter().copied().filter(|v| used.contains(v)).collect()
}

#[track_caller]
fn check_values(what: &str, name: &str, values: &[f64]) {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        panic!("{what}: '{name}' needs at least one value, all finite, got {values:?}");
    }
}

/// `name ~ domain` pairs separated by commas.
///
/// ```
/// let space = train::search::Space::new().log_uniform("lr", 1e-3, 1e-1).grid("hidden", &[64.0, 128.0]);
/// assert_eq!(space.to_string(), "lr ~ 10^U(-3, -1), hidden ~ grid {64, 128}");
/// ```
impl fmt::Display for Space {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, domain)) in self.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{name} ~ {domain}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Trials and results

/// What the objective reports for one trained model: how it does on the
/// validation data.
///
/// ```
/// let outcome = train::search::Outcome::new(0.97, 0.11, 10);
/// assert_eq!((outcome.val_accuracy, outcome.val_loss, outcome.epochs), (0.97, 0.11, 10));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// The fraction of the validation samples classified correctly.
    pub val_accuracy: f64,
    /// The loss on the validation data.
    pub val_loss: f64,
    /// The epochs trained.
    pub epochs: usize,
}

impl Outcome {
    /// An outcome from its three numbers.
    ///
    /// ```
    /// let outcome = train::search::Outcome::new(0.5, 1.2, 3);
    /// assert_eq!(outcome.epochs, 3);
    /// ```
    pub fn new(val_accuracy: f64, val_loss: f64, epochs: usize) -> Self {
        Outcome {
            val_accuracy,
            val_loss,
            epochs,
        }
    }

    /// The outcome of a run of the [`Trainer`](crate::Trainer): the
    /// validation accuracy and loss of the epoch whose weights the model
    /// holds at the end ([`History::best`]: the last epoch, or the best one
    /// with early stopping), and the number of epochs run.
    ///
    /// ```
    /// use train::{EpochRecord, History};
    /// let epoch = |epoch, val_loss, val_accuracy| EpochRecord {
    ///     epoch,
    ///     train_loss: 0.5,
    ///     train_accuracy: Some(0.9),
    ///     val_loss: Some(val_loss),
    ///     val_accuracy: Some(val_accuracy),
    ///     lr: 0.01,
    ///     seconds: 0.1,
    /// };
    /// let history = History { epochs: vec![epoch(1, 0.4, 0.88), epoch(2, 0.3, 0.91)], best_epoch: 2, stopped_early: false };
    /// let outcome = train::search::Outcome::from_history(&history).unwrap();
    /// assert_eq!((outcome.val_accuracy, outcome.val_loss, outcome.epochs), (0.91, 0.3, 2));
    /// ```
    ///
    /// # Errors
    /// [`TrainError::Data`] if the history has no validation accuracy (the
    /// run had no validation data, or regression targets): a search ranks
    /// its trials by validation accuracy.
    pub fn from_history(history: &History) -> Result<Outcome, TrainError> {
        let record = history.best();
        match record.and_then(|r| r.val_accuracy.zip(r.val_loss)) {
            Some((val_accuracy, val_loss)) => Ok(Outcome {
                val_accuracy,
                val_loss,
                epochs: history.epochs.len(),
            }),
            None => Err(TrainError::Data(
                "search: the run has no validation accuracy; pass validation data of classes \
                 to Trainer::fit"
                    .into(),
            )),
        }
    }
}

/// One trial of a search: the params tried and what came of them.
///
/// ```
/// use train::search::{Params, Trial};
/// let trial = Trial {
///     number: 1,
///     params: Params::new().with("lr", 0.01),
///     val_accuracy: 0.95,
///     val_loss: 0.2,
///     epochs: 5,
///     seconds: 0.4,
///     error: None,
/// };
/// assert!(!trial.failed());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// The trial's number, from 1, in the order the trials were run
    /// (across both stages of [`coarse_to_fine`]).
    pub number: usize,
    /// The hyperparameters tried.
    pub params: Params,
    /// The validation accuracy (NaN if the trial failed).
    pub val_accuracy: f64,
    /// The validation loss (NaN if the trial failed).
    pub val_loss: f64,
    /// The epochs trained (for a failed trial: the epoch where the loss
    /// stopped being finite, or 0 if that is not known).
    pub epochs: usize,
    /// The wall-clock time of the objective, in seconds.
    pub seconds: f64,
    /// Why the trial failed, if it did: the objective's error, such as
    /// [`TrainError::NonFinite`] when the loss became NaN, or an outcome
    /// that was not a finite number.
    pub error: Option<TrainError>,
}

impl Trial {
    /// Whether the trial failed (it has an [`error`](Trial::error)).
    ///
    /// ```
    /// use train::TrainError;
    /// use train::search::{Params, Trial};
    /// let trial = Trial {
    ///     number: 1,
    ///     params: Params::new().with("lr", 10.0),
    ///     val_accuracy: f64::NAN,
    ///     val_loss: f64::NAN,
    ///     epochs: 1,
    ///     seconds: 0.1,
    ///     error: Some(TrainError::NonFinite { epoch: 1, step: 3, loss: f64::INFINITY }),
    /// };
    /// assert!(trial.failed());
    /// ```
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// The trial that ran `params` and came to `outcome` in `seconds`.
    fn new(
        number: usize,
        params: Params,
        outcome: Result<Outcome, TrainError>,
        seconds: f64,
    ) -> Trial {
        let outcome = outcome.and_then(|o| {
            if o.val_accuracy.is_finite() && o.val_loss.is_finite() {
                Ok(o)
            } else {
                Err(TrainError::Data(format!(
                    "the objective reported validation accuracy {} and loss {}",
                    o.val_accuracy, o.val_loss
                )))
            }
        });
        match outcome {
            Ok(o) => Trial {
                number,
                params,
                val_accuracy: o.val_accuracy,
                val_loss: o.val_loss,
                epochs: o.epochs,
                seconds,
                error: None,
            },
            Err(error) => Trial {
                number,
                params,
                val_accuracy: f64::NAN,
                val_loss: f64::NAN,
                epochs: match error {
                    TrainError::NonFinite { epoch, .. } => epoch,
                    TrainError::Data(_) => 0,
                },
                seconds,
                error: Some(error),
            },
        }
    }
}

/// The order of a results table: trials that succeeded first, by
/// validation accuracy (highest first), then validation loss (lowest
/// first), then number; failed trials last, by number.
fn rank(a: &Trial, b: &Trial) -> Ordering {
    a.failed()
        .cmp(&b.failed())
        .then(b.val_accuracy.total_cmp(&a.val_accuracy))
        .then(a.val_loss.total_cmp(&b.val_loss))
        .then(a.number.cmp(&b.number))
}

/// The trials of a search, in the order they were run.
///
/// ```
/// use train::search::{Outcome, Space, grid_search};
/// let space = Space::new().grid("lr", &[1e-3, 1e-2, 1e-1]);
/// let results = grid_search(&space, |p| {
///     let x = p.get("lr").log10() + 2.3;
///     Ok(Outcome::new(0.9 - 0.1 * x * x, 0.3, 1))
/// });
/// assert_eq!(results.trials.len(), 3);
/// assert_eq!(results.best().unwrap().params.get("lr"), 1e-2);
/// assert_eq!(results.sorted().trials[2].params.get("lr"), 1e-1);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// The trials, failed ones included.
    pub trials: Vec<Trial>,
}

impl SearchResults {
    /// The same trials sorted best first: by validation accuracy, highest
    /// first (ties: lower validation loss first, then the earlier trial),
    /// with the failed trials last, in the order they were run.
    ///
    /// ```
    /// use train::search::{Outcome, Space, grid_search};
    /// let space = Space::new().grid("hidden", &[16.0, 64.0, 32.0]);
    /// let results = grid_search(&space, |p| Ok(Outcome::new(p.get("hidden") / 100.0, 0.1, 1)));
    /// let order: Vec<usize> = results.sorted().trials.iter().map(|t| t.number).collect();
    /// assert_eq!(order, [2, 3, 1]);
    /// ```
    pub fn sorted(&self) -> SearchResults {
        let mut trials = self.trials.clone();
        trials.sort_by(rank);
        SearchResults { trials }
    }

    /// The best trial that did not fail (highest validation accuracy,
    /// ties as in [`sorted`](Self::sorted)); `None` if every trial failed
    /// or there are none.
    ///
    /// ```
    /// use train::search::{Outcome, Space, grid_search};
    /// let space = Space::new().grid("lr", &[1e-3, 1e-2]);
    /// let results = grid_search(&space, |p| Ok(Outcome::new(p.get("lr") * 10.0, 0.1, 1)));
    /// assert_eq!(results.best().unwrap().number, 2);
    /// ```
    pub fn best(&self) -> Option<&Trial> {
        self.top(1).into_iter().next()
    }

    /// The `k` best trials that did not fail, best first (fewer if fewer
    /// succeeded).
    ///
    /// ```
    /// use train::search::{Outcome, Space, grid_search};
    /// let space = Space::new().grid("lr", &[1e-3, 1e-2, 1e-1]);
    /// let results = grid_search(&space, |p| Ok(Outcome::new(p.get("lr"), 0.1, 1)));
    /// let top: Vec<usize> = results.top(2).iter().map(|t| t.number).collect();
    /// assert_eq!(top, [3, 2]);
    /// ```
    pub fn top(&self, k: usize) -> Vec<&Trial> {
        let mut ok: Vec<&Trial> = self.trials.iter().filter(|t| !t.failed()).collect();
        ok.sort_by(|a, b| rank(a, b));
        ok.truncate(k);
        ok
    }

    /// The number of failed trials.
    ///
    /// ```
    /// use train::TrainError;
    /// use train::search::{Outcome, Space, grid_search};
    /// let space = Space::new().grid("lr", &[0.01, 10.0]);
    /// let results = grid_search(&space, |p| match p.get("lr") {
    ///     lr if lr > 1.0 => Err(TrainError::NonFinite { epoch: 1, step: 2, loss: f64::NAN }),
    ///     _ => Ok(Outcome::new(0.9, 0.3, 5)),
    /// });
    /// assert_eq!(results.failures(), 1);
    /// ```
    pub fn failures(&self) -> usize {
        self.trials.iter().filter(|t| t.failed()).count()
    }
}

/// An aligned table, one row per trial in the stored order (print
/// [`sorted`](SearchResults::sorted) for the best first): the trial's
/// number, one column per hyperparameter, the validation accuracy and
/// loss, the epochs and the time. A failed trial shows `failed` and why.
/// A hyperparameter column is written in whole numbers if all its values
/// are whole, in scientific notation if one of them is below 0.01 or
/// above 10⁴ (a learning rate), else with three decimals.
///
/// ```
/// use train::TrainError;
/// use train::search::{Params, SearchResults, Trial};
/// let trial = |number, lr: f64, hidden: f64, acc: f64, loss: f64| Trial {
///     number,
///     params: Params::new().with("lr", lr).with("hidden", hidden),
///     val_accuracy: acc,
///     val_loss: loss,
///     epochs: 5,
///     seconds: 0.25,
///     error: None,
/// };
/// let mut failed = trial(3, 0.5, 64.0, f64::NAN, f64::NAN);
/// failed.epochs = 1;
/// failed.error = Some(TrainError::NonFinite { epoch: 1, step: 7, loss: f64::NAN });
/// let results = SearchResults { trials: vec![trial(1, 3e-3, 128.0, 0.9625, 0.1234), trial(2, 0.02, 64.0, 0.9, 0.3), failed] };
/// assert_eq!(results.to_string(), "\
/// ##       lr  hidden  val acc  val loss  epochs    time
/// 1  3.00e-3     128  96.25 %    0.1234       5  0.25 s
/// 2  2.00e-2      64  90.00 %    0.3000       5  0.25 s
/// 3  5.00e-1      64   failed         -       1  0.25 s  loss NaN at epoch 1, step 7
/// ");
/// ```
impl fmt::Display for SearchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.trials.is_empty() {
            return writeln!(f, "no trials");
        }
        // Every name that some trial has, in order of first appearance.
        let mut names: Vec<&str> = Vec::new();
        for trial in &self.trials {
            for name in trial.params.names() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let styles: Vec<Style> = names
            .iter()
            .map(|name| Style::of(self.trials.iter().filter_map(|t| t.params.try_get(name))))
            .collect();

        let mut header: Vec<String> = vec!["#".into()];
        header.extend(names.iter().map(|n| n.to_string()));
        header.extend(["val acc", "val loss", "epochs", "time"].map(String::from));
        let mut rows = vec![header];
        let mut notes = vec![String::new()];
        for t in &self.trials {
            let mut row = vec![t.number.to_string()];
            row.extend(names.iter().zip(&styles).map(|(name, style)| {
                t.params
                    .try_get(name)
                    .map_or("-".into(), |v| style.format(v))
            }));
            match &t.error {
                None => row.extend([
                    format!("{:.2} %", 100.0 * t.val_accuracy),
                    format!("{:.4}", t.val_loss),
                ]),
                Some(_) => row.extend(["failed".into(), "-".into()]),
            }
            row.extend([t.epochs.to_string(), format!("{:.2} s", t.seconds)]);
            rows.push(row);
            notes.push(match &t.error {
                None => String::new(),
                Some(TrainError::NonFinite { epoch, step, loss }) => {
                    format!("  loss {loss} at epoch {epoch}, step {step}")
                }
                Some(TrainError::Data(message)) => format!("  {message}"),
            });
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for (row, note) in rows.iter().zip(&notes) {
            let mut line = String::new();
            for (c, (cell, width)) in row.iter().zip(&widths).enumerate() {
                let gap = if c == 0 { "" } else { "  " };
                line += &format!("{gap}{cell:>width$}");
            }
            writeln!(f, "{line}{note}")?;
        }
        Ok(())
    }
}

/// How a column of hyperparameter values is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Style {
    Whole,
    Scientific,
    Fixed,
}

impl Style {
    /// Whole numbers if every value is one; scientific notation if a value
    /// is below 0.01 or above 10⁴ in size (but not 0); else fixed.
    fn of(mut values: impl Iterator<Item = f64> + Clone) -> Style {
        if values.clone().all(|v| v.fract() == 0.0 && v.abs() < 1e9) {
            Style::Whole
        } else if values.any(|v| v != 0.0 && !(1e-2..=1e4).contains(&v.abs())) {
            Style::Scientific
        } else {
            Style::Fixed
        }
    }

    fn format(self, v: f64) -> String {
        match self {
            Style::Whole => format!("{v:.0}"),
            Style::Scientific => format!("{v:.2e}"),
            Style::Fixed => format!("{v:.3}"),
        }
    }
}

/// A value in a short form, with at most 4 significant digits: whole
/// numbers as such; scientific notation below 0.01 or above 10⁴ (4.5e-3);
/// else decimals (0.0109, 0.25), without trailing zeros.
fn short(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else if v != 0.0 && !(1e-2..=1e4).contains(&v.abs()) {
        let s = format!("{v:.3e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    } else {
        let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 5) as usize;
        trim(format!("{v:.digits$}"))
    }
}

/// At most 3 decimals, without trailing zeros.
fn decimals(v: f64) -> String {
    trim(format!("{v:.3}"))
}

/// A number without trailing zeros after its decimal point, nor "−0".
fn trim(s: String) -> String {
    let t = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if t == "-0" { "0".into() } else { t.into() }
}

// ---------------------------------------------------------------------------
// Strategies

/// Runs `objective` on each point, timing it, numbering the trials from
/// `first`.
fn run_trials<F>(points: Vec<Params>, first: usize, mut objective: F) -> SearchResults
where
    F: FnMut(&Params) -> Result<Outcome, TrainError>,
{
    let trials = points
        .into_iter()
        .enumerate()
        .map(|(i, params)| {
            let start = Instant::now();
            let outcome = objective(&params);
            Trial::new(first + i, params, outcome, start.elapsed().as_secs_f64())
        })
        .collect();
    SearchResults { trials }
}

/// Grid search: runs `objective` once on every combination of the values
/// of the space ([`Space::grid_points`]: the Cartesian product, first
/// hyperparameter outermost). Every hyperparameter needs a list of values
/// ([`Space::grid`] or [`Space::choice`]). A trial whose objective returns
/// an error is recorded as failed and the search goes on.
///
/// ```
/// use train::search::{Outcome, Space, grid_search};
/// let space = Space::new().grid("lr", &[1e-3, 1e-2]).grid("dropout", &[0.0, 0.5]);
/// let results = grid_search(&space, |p| Ok(Outcome::new(1.0 - p.get("dropout"), 0.1, 1)));
/// assert_eq!(results.trials.len(), 4);
/// assert_eq!(results.best().unwrap().params.to_string(), "lr = 1e-3, dropout = 0");
/// ```
///
/// # Panics
/// If a hyperparameter has a continuous range (see
/// [`Space::grid_points`]).
#[track_caller]
pub fn grid_search<F>(space: &Space, objective: F) -> SearchResults
where
    F: FnMut(&Params) -> Result<Outcome, TrainError>,
{
    run_trials(space.grid_points(), 1, objective)
}

/// Random search: runs `objective` on `trials` points drawn independently
/// from the space ([`Space::sample`], with `rng`; the same seed gives the
/// same points). A trial whose objective returns an error is recorded as
/// failed and the search goes on.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::search::{Outcome, Space, random_search};
/// let space = Space::new().log_uniform("lr", 1e-4, 1e-1);
/// let objective = |p: &train::search::Params| Ok(Outcome::new(-p.get("lr").log10(), 0.1, 1));
/// let a = random_search(&space, 5, &mut StdRng::seed_from_u64(7), objective);
/// let b = random_search(&space, 5, &mut StdRng::seed_from_u64(7), objective);
/// let lrs = |r: &train::search::SearchResults| r.trials.iter().map(|t| t.params.get("lr")).collect::<Vec<_>>();
/// assert_eq!(lrs(&a), lrs(&b)); // reproducible
/// ```
pub fn random_search<R, F>(space: &Space, trials: usize, rng: &mut R, objective: F) -> SearchResults
where
    R: Rng + ?Sized,
    F: FnMut(&Params) -> Result<Outcome, TrainError>,
{
    let points = (0..trials).map(|_| space.sample(rng)).collect();
    run_trials(points, 1, objective)
}

/// One stage of a [`coarse_to_fine`] search, as its objective sees it.
///
/// ```
/// use train::search::CoarseToFine;
/// let plan = CoarseToFine::new().coarse(20, 5).fine(10, 20);
/// assert_eq!((plan.stages()[1].number, plan.stages()[1].epochs), (2, 20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    /// 1 for the coarse stage, 2 for the fine one.
    pub number: usize,
    /// The number of trials of the stage.
    pub trials: usize,
    /// The epochs each trial of the stage should train for.
    pub epochs: usize,
}

/// The plan of a [`coarse_to_fine`] search: how many trials and epochs in
/// each stage, and how to narrow the space between them
/// ([`Space::narrowed`] around the `keep` best coarse trials, widened by
/// the fraction `widen`).
///
/// ```
/// use train::search::CoarseToFine;
/// let plan = CoarseToFine::new().coarse(16, 3).fine(8, 10).keep(4).widen(0.05);
/// assert_eq!((plan.stages()[0].trials, plan.stages()[0].epochs), (16, 3));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CoarseToFine {
    coarse: Stage,
    fine: Stage,
    keep: usize,
    widen: f64,
}

impl Default for CoarseToFine {
    fn default() -> Self {
        CoarseToFine {
            coarse: Stage {
                number: 1,
                trials: 20,
                epochs: 5,
            },
            fine: Stage {
                number: 2,
                trials: 10,
                epochs: 20,
            },
            keep: 3,
            widen: 0.1,
        }
    }
}

impl CoarseToFine {
    /// The default plan: 20 trials of 5 epochs, then 10 trials of 20
    /// epochs in the space narrowed around the 3 best, widened by 0.1.
    ///
    /// ```
    /// use train::search::CoarseToFine;
    /// assert_eq!(CoarseToFine::new(), CoarseToFine::default());
    /// ```
    pub fn new() -> Self {
        CoarseToFine::default()
    }

    /// The coarse stage: `trials` trials of `epochs` epochs.
    ///
    /// ```
    /// let plan = train::search::CoarseToFine::new().coarse(30, 2);
    /// assert_eq!(plan.stages()[0].trials, 30);
    /// ```
    ///
    /// # Panics
    /// If `trials` or `epochs` is 0.
    #[track_caller]
    pub fn coarse(mut self, trials: usize, epochs: usize) -> Self {
        check_stage("coarse", trials, epochs);
        self.coarse = Stage {
            number: 1,
            trials,
            epochs,
        };
        self
    }

    /// The fine stage: `trials` trials of `epochs` epochs.
    ///
    /// ```
    /// let plan = train::search::CoarseToFine::new().fine(5, 40);
    /// assert_eq!(plan.stages()[1].epochs, 40);
    /// ```
    ///
    /// # Panics
    /// If `trials` or `epochs` is 0.
    #[track_caller]
    pub fn fine(mut self, trials: usize, epochs: usize) -> Self {
        check_stage("fine", trials, epochs);
        self.fine = Stage {
            number: 2,
            trials,
            epochs,
        };
        self
    }

    /// The number of best coarse trials the fine range is drawn around.
    ///
    /// ```
    /// use train::search::CoarseToFine;
    /// assert_ne!(CoarseToFine::new().keep(5), CoarseToFine::new()); // the default keeps 3
    /// ```
    ///
    /// # Panics
    /// If `keep` is 0.
    #[track_caller]
    pub fn keep(mut self, keep: usize) -> Self {
        if keep == 0 {
            panic!("CoarseToFine::keep: needs at least one trial to narrow around");
        }
        self.keep = keep;
        self
    }

    /// The margin added on each side of the best trials' span, as a
    /// fraction of the original range (in decades for a log-uniform range);
    /// see [`Space::narrowed`].
    ///
    /// ```
    /// use train::search::CoarseToFine;
    /// assert_ne!(CoarseToFine::new().widen(0.2), CoarseToFine::new()); // the default widens by 0.1
    /// ```
    ///
    /// # Panics
    /// If `widen` is negative or not finite.
    #[track_caller]
    pub fn widen(mut self, widen: f64) -> Self {
        if !(widen.is_finite() && widen >= 0.0) {
            panic!("CoarseToFine::widen: needs a finite fraction ≥ 0, got {widen}");
        }
        self.widen = widen;
        self
    }

    /// The two stages, coarse then fine.
    ///
    /// ```
    /// let [coarse, fine] = train::search::CoarseToFine::new().stages();
    /// assert!(coarse.epochs < fine.epochs);
    /// ```
    pub fn stages(&self) -> [Stage; 2] {
        [self.coarse, self.fine]
    }
}

#[track_caller]
fn check_stage(which: &str, trials: usize, epochs: usize) {
    if trials == 0 || epochs == 0 {
        panic!(
            "CoarseToFine::{which}: needs at least one trial of at least one epoch, got \
             {trials} trials of {epochs} epochs"
        );
    }
}

/// What a [`coarse_to_fine`] search found: both stages' trials and the
/// narrowed space of the second.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::search::{CoarseToFine, Outcome, Space, coarse_to_fine};
/// let space = Space::new().log_uniform("lr", 1e-5, 1.0);
/// let plan = CoarseToFine::new().coarse(10, 1).fine(5, 3);
/// let run = coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(0), |p, _| {
///     let x = p.get("lr").log10() + 2.3;
///     Ok(Outcome::new(1.0 - x * x / 25.0, x * x, 1))
/// });
/// assert_eq!((run.coarse.trials.len(), run.fine.trials.len()), (10, 5));
/// assert!(run.fine.trials.iter().all(|t| run.narrowed.contains(&t.params)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CoarseToFineResults {
    /// The trials of the coarse stage, numbered from 1.
    pub coarse: SearchResults,
    /// The numbers of the best coarse trials the space was narrowed
    /// around, best first (the plan's `keep`, or fewer if fewer succeeded).
    pub around: Vec<usize>,
    /// The space of the fine stage: the original narrowed around the best
    /// coarse trials ([`Space::narrowed`]).
    pub narrowed: Space,
    /// The trials of the fine stage, numbered on from the coarse ones.
    pub fine: SearchResults,
}

impl CoarseToFineResults {
    /// The best trial of both stages (the fine stage's on a tie, since it
    /// trained longer); `None` if every trial failed.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// use train::search::{CoarseToFine, Outcome, Space, coarse_to_fine};
    /// let space = Space::new().uniform("x", 0.0, 1.0);
    /// let plan = CoarseToFine::new().coarse(8, 1).fine(8, 2);
    /// let run = coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(0), |p, _| {
    ///     Ok(Outcome::new(1.0 - (p.get("x") - 0.3).abs(), 0.1, 1))
    /// });
    /// let best = run.best().unwrap();
    /// assert!((best.params.get("x") - 0.3).abs() < 0.05);
    /// ```
    pub fn best(&self) -> Option<&Trial> {
        match (self.coarse.best(), self.fine.best()) {
            (Some(c), Some(f)) => Some(if c.val_accuracy > f.val_accuracy {
                c
            } else {
                f
            }),
            (c, f) => f.or(c),
        }
    }
}

/// Coarse-to-fine random search, in two stages:
///
/// 1. **coarse**: random search of `space` ([`random_search`]) with the
///    plan's coarse number of trials, the objective told to train for the
///    coarse (few) epochs;
/// 2. **fine**: random search of the space narrowed around the `keep` best
///    coarse trials that did not fail ([`Space::narrowed`], with the plan's
///    `widen`), the objective told to train for the fine (more) epochs.
///    If no coarse trial succeeded, the fine stage searches the original
///    space.
///
/// The objective receives the params and the [`Stage`] (its number,
/// trials and epochs). Both stages draw from `rng`, coarse first.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::search::{CoarseToFine, Outcome, Space, coarse_to_fine};
/// // A validation accuracy that peaks at lr = 10^-2.3.
/// let space = Space::new().log_uniform("lr", 1e-5, 1.0);
/// let plan = CoarseToFine::new().coarse(20, 2).fine(10, 10).keep(3).widen(0.05);
/// let run = coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(1), |p, stage| {
///     let x = p.get("lr").log10() + 2.3;
///     Ok(Outcome::new(0.99 - 0.02 * x * x, 0.1, stage.epochs))
/// });
/// assert!(run.fine.trials.iter().all(|t| t.epochs == 10));
/// let (lo, hi) = match run.narrowed.domain("lr") {
///     Some(train::search::Domain::LogUniform { low, high }) => (*low, *high),
///     _ => unreachable!(),
/// };
/// assert!(hi / lo < 1e5); // narrower than the five decades searched first
/// assert!(run.fine.best().unwrap().val_accuracy >= run.coarse.best().unwrap().val_accuracy - 0.01);
/// ```
pub fn coarse_to_fine<R, F>(
    space: &Space,
    plan: &CoarseToFine,
    rng: &mut R,
    mut objective: F,
) -> CoarseToFineResults
where
    R: Rng + ?Sized,
    F: FnMut(&Params, Stage) -> Result<Outcome, TrainError>,
{
    let [coarse_stage, fine_stage] = plan.stages();
    let coarse = random_search(space, coarse_stage.trials, rng, |p| {
        objective(p, coarse_stage)
    });
    let best = coarse.top(plan.keep);
    let around = best.iter().map(|t| t.number).collect();
    let best: Vec<&Params> = best.into_iter().map(|t| &t.params).collect();
    let narrowed = space.narrowed(&best, plan.widen);
    let points = (0..fine_stage.trials)
        .map(|_| narrowed.sample(rng))
        .collect();
    let fine = run_trials(points, coarse.trials.len() + 1, |p| {
        objective(p, fine_stage)
    });
    CoarseToFineResults {
        coarse,
        around,
        narrowed,
        fine,
    }
}
