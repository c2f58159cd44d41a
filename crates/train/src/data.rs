//! Data sets in memory: features with class labels or regression targets,
//! seeded splits, and standardisation fitted on the training split.

use rand::Rng;
use rand::seq::SliceRandom;
use tensor::Tensor;

/// What a data set's samples are labelled with.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// One class index per sample, in `0..classes`.
    Classes {
        /// The class of each sample.
        labels: Vec<usize>,
        /// The number of classes.
        classes: usize,
    },
    /// One row of real values per sample, `[n, outputs]`.
    Values(Tensor),
}

/// A data set held in memory: `features` `[n, d]`, one row per sample, and
/// their targets.
///
/// ```
/// use tensor::Tensor;
/// use train::Dataset;
/// let data = Dataset::classification(
///     Tensor::from([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
///     vec![0, 1, 1, 0],
/// );
/// assert_eq!((data.len(), data.dim(), data.classes()), (4, 2, Some(2)));
/// let odd = data.select(&[1, 3]);
/// assert_eq!(odd.labels(), Some(&[1, 0][..]));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    features: Tensor,
    targets: Targets,
}

impl Dataset {
    /// A classification set; the number of classes is one more than the
    /// largest label.
    ///
    /// # Panics
    /// If `features` is not 2-d or its rows do not match the labels:
    /// `Dataset: 4 feature rows but 3 labels`.
    #[track_caller]
    pub fn classification(features: Tensor, labels: Vec<usize>) -> Self {
        let classes = labels.iter().max().map_or(0, |&m| m + 1);
        Self::classification_with(features, labels, classes)
    }

    /// A classification set with `classes` classes (some may be absent
    /// from this set, e.g. a small split).
    ///
    /// # Panics
    /// As [`classification`](Self::classification), or if a label is not
    /// below `classes`.
    #[track_caller]
    pub fn classification_with(features: Tensor, labels: Vec<usize>, classes: usize) -> Self {
        check_rows(&features, labels.len(), "labels");
        if let Some(&bad) = labels.iter().find(|&&l| l >= classes) {
            panic!("Dataset: label {bad} is not below the number of classes, {classes}");
        }
        Dataset {
            features,
            targets: Targets::Classes { labels, classes },
        }
    }

    /// A regression set: `targets` `[n, outputs]`.
    ///
    /// # Panics
    /// If either is not 2-d or their rows differ.
    #[track_caller]
    pub fn regression(features: Tensor, targets: Tensor) -> Self {
        if targets.ndim() != 2 {
            panic!(
                "Dataset: targets must be [n, outputs], got {:?}",
                targets.shape()
            );
        }
        check_rows(&features, targets.dim(0), "target rows");
        Dataset {
            features,
            targets: Targets::Values(targets),
        }
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.features.dim(0)
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of features per sample.
    pub fn dim(&self) -> usize {
        self.features.dim(1)
    }

    /// The features, `[n, d]`.
    pub fn features(&self) -> &Tensor {
        &self.features
    }

    /// The targets.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// The class labels, for a classification set.
    pub fn labels(&self) -> Option<&[usize]> {
        match &self.targets {
            Targets::Classes { labels, .. } => Some(labels),
            Targets::Values(_) => None,
        }
    }

    /// The number of classes, for a classification set.
    pub fn classes(&self) -> Option<usize> {
        match &self.targets {
            Targets::Classes { classes, .. } => Some(*classes),
            Targets::Values(_) => None,
        }
    }

    /// The samples at `indices`, in that order (a batch, or a split).
    ///
    /// # Panics
    /// If an index is out of range.
    #[track_caller]
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let features = self.features.select_rows(indices);
        let targets = match &self.targets {
            Targets::Classes { labels, classes } => Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                classes: *classes,
            },
            Targets::Values(values) => Targets::Values(values.select_rows(indices)),
        };
        Dataset { features, targets }
    }

    /// The same samples with new features (e.g. standardised ones).
    ///
    /// # Panics
    /// If the number of rows differs.
    #[track_caller]
    pub fn with_features(&self, features: Tensor) -> Dataset {
        check_rows(&features, self.len(), "samples");
        Dataset {
            features,
            targets: self.targets.clone(),
        }
    }

    /// How many samples each class has (classification).
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        let Targets::Classes { labels, classes } = &self.targets else {
            return None;
        };
        let mut counts = vec![0; *classes];
        for &l in labels {
            counts[l] += 1;
        }
        Some(counts)
    }

    /// Splits into parts of the given fractions (which must sum to 1), after
    /// a seeded shuffle. A classification set is split *per class* —
    /// stratified — so every part has the classes in the same proportions
    /// as the whole (up to rounding); a regression set is split as a whole.
    /// Every sample lands in exactly one part.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// use tensor::Tensor;
    /// use train::Dataset;
    /// let labels: Vec<usize> = (0..100).map(|i| if i < 80 { 0 } else { 1 }).collect();
    /// let data = Dataset::classification(Tensor::zeros([100, 3]), labels);
    /// let parts = data.split(&[0.5, 0.25, 0.25], &mut StdRng::seed_from_u64(0));
    /// let counts: Vec<Vec<usize>> = parts.iter().map(|p| p.class_counts().unwrap()).collect();
    /// assert_eq!(counts, [vec![40, 10], vec![20, 5], vec![20, 5]]); // 80:20 in every part
    /// ```
    ///
    /// # Panics
    /// If a fraction is negative or they do not sum to 1 (within 1e-9).
    #[track_caller]
    pub fn split<R: Rng + ?Sized>(&self, fractions: &[f64], rng: &mut R) -> Vec<Dataset> {
        let total: f64 = fractions.iter().sum();
        if fractions.is_empty()
            || fractions.iter().any(|&f| f.is_nan() || f < 0.0)
            || (total - 1.0).abs() > 1e-9
        {
            panic!("Dataset::split: fractions must be ≥ 0 and sum to 1, got {fractions:?}");
        }
        let mut parts: Vec<Vec<usize>> = vec![Vec::new(); fractions.len()];
        let groups: Vec<Vec<usize>> = match &self.targets {
            Targets::Classes { labels, classes } => {
                let mut groups = vec![Vec::new(); *classes];
                for (i, &l) in labels.iter().enumerate() {
                    groups[l].push(i);
                }
                groups
            }
            Targets::Values(_) => vec![(0..self.len()).collect()],
        };
        for mut group in groups {
            group.shuffle(rng);
            let sizes = part_sizes(group.len(), fractions);
            let mut start = 0;
            for (part, size) in parts.iter_mut().zip(sizes) {
                part.extend_from_slice(&group[start..start + size]);
                start += size;
            }
        }
        // Mix the classes within each part (they were appended class by class).
        parts
            .into_iter()
            .map(|mut indices| {
                indices.shuffle(rng);
                self.select(&indices)
            })
            .collect()
    }
}

/// Sizes of parts of `n` items in the given fractions: each part gets the
/// floor of its share, and the items left over go one each to the parts
/// with the largest remainders (ties to the earlier part), so the sizes sum
/// to `n`.
fn part_sizes(n: usize, fractions: &[f64]) -> Vec<usize> {
    let shares: Vec<f64> = fractions.iter().map(|f| f * n as f64).collect();
    let mut sizes: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut left = n - sizes.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..fractions.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (shares[a] - shares[a].floor(), shares[b] - shares[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &k in order.iter().cycle() {
        if left == 0 {
            break;
        }
        sizes[k] += 1;
        left -= 1;
    }
    sizes
}

#[track_caller]
fn check_rows(features: &Tensor, n: usize, what: &str) {
    if features.ndim() != 2 {
        panic!(
            "Dataset: features must be [n, d], got {:?}",
            features.shape()
        );
    }
    if features.dim(0) != n {
        panic!("Dataset: {} feature rows but {n} {what}", features.dim(0));
    }
}

/// Standardisation: each feature shifted and scaled to mean 0 and standard
/// deviation 1 *on the data it was fitted to*. Fit it on the training split
/// only and apply the same transform to validation and test data —
/// fitting on all the data would let the held-out samples leak into
/// training.
///
/// ```
/// use tensor::Tensor;
/// use train::Standardizer;
/// let train = Tensor::from([[1.0, 10.0], [3.0, 10.0]]);
/// let s = Standardizer::fit(&train);
/// assert_eq!(s.transform(&train), Tensor::from([[-1.0, 0.0], [1.0, 0.0]])); // constant column: left at 0
/// assert_eq!(s.transform(&Tensor::from([[5.0, 12.0]])), Tensor::from([[3.0, 2.0]]));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    mean: Tensor,
    std: Tensor,
}

impl Standardizer {
    /// Fits the per-feature mean and standard deviation of `features`
    /// `[n, d]`. A feature with standard deviation 0 (constant, such as the
    /// always-blank corner pixels of the digits) is only shifted.
    ///
    /// # Panics
    /// If `features` is not 2-d or has no rows.
    #[track_caller]
    pub fn fit(features: &Tensor) -> Self {
        if features.ndim() != 2 || features.dim(0) == 0 {
            panic!(
                "Standardizer::fit: needs [n ≥ 1, d] features, got {:?}",
                features.shape()
            );
        }
        let mean = features.mean_axis(0);
        let var = (features - &mean).powi(2).mean_axis(0);
        let std = var.map(|v| if v > 0.0 { v.sqrt() } else { 1.0 });
        Standardizer { mean, std }
    }

    /// (x − mean) / std, per feature.
    ///
    /// # Panics
    /// If `features` does not have the fitted number of columns.
    #[track_caller]
    pub fn transform(&self, features: &Tensor) -> Tensor {
        if features.ndim() != 2 || features.dim(1) != self.mean.dim(0) {
            panic!(
                "Standardizer::transform: fitted on {} features, got shape {:?}",
                self.mean.dim(0),
                features.shape()
            );
        }
        (features - &self.mean) / &self.std
    }

    /// The fitted means.
    pub fn mean(&self) -> &Tensor {
        &self.mean
    }

    /// The fitted standard deviations (1 for constant features).
    pub fn std(&self) -> &Tensor {
        &self.std
    }
}
