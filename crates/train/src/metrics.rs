//! Metrics of a classifier: accuracy, the confusion matrix, and per-class
//! precision and recall.

use std::fmt;

/// The fraction of predictions equal to their labels (0 for no samples).
///
/// ```
/// assert_eq!(train::accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2]), 0.75);
/// ```
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    if predicted.len() != labels.len() {
        panic!(
            "accuracy: {} predictions but {} labels",
            predicted.len(),
            labels.len()
        );
    }
    if labels.is_empty() {
        return 0.0;
    }
    let correct = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    correct as f64 / labels.len() as f64
}

/// Counts of (true class, predicted class) pairs: row i, column j is the
/// number of samples of class i predicted as j. The diagonal holds the
/// correct predictions; everything off it is a confusion, and *which* pairs
/// are confused (a 4 taken for a 9) says more than the accuracy does.
///
/// ```
/// use train::ConfusionMatrix;
/// let m = ConfusionMatrix::new(&[0, 1, 1, 2, 2, 2], &[0, 1, 2, 2, 2, 1], 3); // (predicted, labels)
/// assert_eq!(m.count(2, 1), 1); // one 2 predicted as 1
/// assert_eq!(m.count(1, 2), 1); // one 1 predicted as 2
/// assert_eq!(m.accuracy(), 4.0 / 6.0);
/// assert_eq!(m.recall(2), 2.0 / 3.0); // of the three 2s, two were found
/// assert_eq!(m.precision(2), 2.0 / 3.0); // of the three predicted 2s, two were right
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionMatrix {
    classes: usize,
    counts: Vec<usize>,
}

impl ConfusionMatrix {
    /// The matrix of `predicted` against `labels`, for `classes` classes.
    ///
    /// # Panics
    /// If the lengths differ or a class is not below `classes`.
    #[track_caller]
    pub fn new(predicted: &[usize], labels: &[usize], classes: usize) -> Self {
        if predicted.len() != labels.len() {
            panic!(
                "ConfusionMatrix: {} predictions but {} labels",
                predicted.len(),
                labels.len()
            );
        }
        let mut counts = vec![0; classes * classes];
        for (&p, &l) in predicted.iter().zip(labels) {
            if p >= classes || l >= classes {
                panic!("ConfusionMatrix: class {} is not below {classes}", p.max(l));
            }
            counts[l * classes + p] += 1;
        }
        ConfusionMatrix { classes, counts }
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// How many samples of class `truth` were predicted as `predicted`.
    pub fn count(&self, truth: usize, predicted: usize) -> usize {
        self.counts[truth * self.classes + predicted]
    }

    /// The number of samples.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The fraction on the diagonal.
    pub fn accuracy(&self) -> f64 {
        let correct: usize = (0..self.classes).map(|k| self.count(k, k)).sum();
        ratio(correct, self.total())
    }

    /// Of the samples predicted as class k, the fraction that are k
    /// (0 if none was predicted as k).
    pub fn precision(&self, k: usize) -> f64 {
        let predicted: usize = (0..self.classes).map(|t| self.count(t, k)).sum();
        ratio(self.count(k, k), predicted)
    }

    /// Of the samples of class k, the fraction predicted as k (0 if there
    /// are none).
    pub fn recall(&self, k: usize) -> f64 {
        let actual: usize = (0..self.classes).map(|p| self.count(k, p)).sum();
        ratio(self.count(k, k), actual)
    }

    /// The largest off-diagonal count, as (true class, predicted class,
    /// count): the most frequent confusion (ties: the first in row order),
    /// or `None` if there is none.
    pub fn worst_confusion(&self) -> Option<(usize, usize, usize)> {
        let mut worst = None;
        for t in 0..self.classes {
            for p in 0..self.classes {
                let c = self.count(t, p);
                if t != p && c > 0 && worst.is_none_or(|(_, _, w)| c > w) {
                    worst = Some((t, p, c));
                }
            }
        }
        worst
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The matrix as a table, true classes down, predictions across, followed
/// by each class's precision and recall.
impl fmt::Display for ConfusionMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .counts
            .iter()
            .max()
            .map_or(1, |m| m.to_string().len())
            .max(3);
        write!(f, "true\\pred")?;
        for p in 0..self.classes {
            write!(f, " {p:>width$}")?;
        }
        writeln!(f, "   precision  recall")?;
        for t in 0..self.classes {
            write!(f, "{t:>9}")?;
            for p in 0..self.classes {
                write!(f, " {:>width$}", self.count(t, p))?;
            }
            writeln!(
                f,
                "   {:>8.1} %  {:>5.1} %",
                100.0 * self.precision(t),
                100.0 * self.recall(t)
            )?;
        }
        Ok(())
    }
}
