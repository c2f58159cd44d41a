//! Reductions: sum, mean, max, min, argmax, over everything or along one axis.
//!
//! Reducing along `axis` removes that axis: a `[4, 3]` matrix summed along
//! axis 0 gives the 3 column sums, along axis 1 the 4 row sums. The
//! `_keepdims` forms keep it with length 1 (`[1, 3]`, `[4, 1]`), so that the
//! result still broadcasts against the input: `x - x.mean_keepdims(1)`
//! centres every row.

use ndarray::Axis;

use crate::tensor::fail;
use crate::{Float, Tensor};

impl<T: Float> Tensor<T> {
    /// The sum of all elements (0 for an empty tensor).
    pub fn sum(&self) -> T {
        self.array().sum()
    }

    /// The mean of all elements.
    ///
    /// # Panics
    /// If the tensor is empty.
    #[track_caller]
    pub fn mean(&self) -> T {
        if self.is_empty() {
            fail(
                "mean",
                format_args!("of an empty tensor {:?}", self.shape()),
            );
        }
        self.sum() / T::from_usize(self.len())
    }

    /// The largest element (NaN if any element is NaN).
    ///
    /// # Panics
    /// If the tensor is empty.
    #[track_caller]
    pub fn max(&self) -> T {
        self.fold_nonempty("max", |a, b| if a >= b || a.is_nan() { a } else { b })
    }

    /// The smallest element (NaN if any element is NaN).
    ///
    /// # Panics
    /// If the tensor is empty.
    #[track_caller]
    pub fn min(&self) -> T {
        self.fold_nonempty("min", |a, b| if a <= b || a.is_nan() { a } else { b })
    }

    #[track_caller]
    fn fold_nonempty(&self, op: &str, f: impl Fn(T, T) -> T) -> T {
        let mut it = self.array().iter().copied();
        let Some(first) = it.next() else {
            fail(op, format_args!("of an empty tensor {:?}", self.shape()))
        };
        it.fold(first, f)
    }

    /// The row-major position of the largest element (the first, on ties).
    ///
    /// # Panics
    /// If the tensor is empty.
    #[track_caller]
    pub fn argmax(&self) -> usize {
        if self.is_empty() {
            fail(
                "argmax",
                format_args!("of an empty tensor {:?}", self.shape()),
            );
        }
        first_max(self.array().iter().copied())
    }

    /// Sums along `axis`, removing it.
    ///
    /// # Panics
    /// If `axis >= ndim`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    /// assert_eq!(x.sum_axis(0).to_vec(), vec![5.0, 7.0, 9.0]); // column sums
    /// assert_eq!(x.sum_axis(1).to_vec(), vec![6.0, 15.0]); // row sums
    /// ```
    #[track_caller]
    pub fn sum_axis(&self, axis: usize) -> Self {
        self.check_axis("sum_axis", axis);
        Self::from_array(self.array().sum_axis(Axis(axis)))
    }

    /// Sums along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis >= ndim`.
    #[track_caller]
    pub fn sum_keepdims(&self, axis: usize) -> Self {
        self.check_axis("sum_keepdims", axis);
        self.sum_axis(axis).keep_axis(axis)
    }

    /// Averages along `axis`, removing it.
    ///
    /// # Panics
    /// If `axis >= ndim` or the axis has length 0.
    #[track_caller]
    pub fn mean_axis(&self, axis: usize) -> Self {
        self.check_nonempty_axis("mean_axis", axis);
        let n = self.shape()[axis];
        // Divide (not multiply by 1/n): correctly rounded, and equal to `mean`.
        self.sum_axis(axis) / T::from_usize(n)
    }

    /// Averages along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis >= ndim` or the axis has length 0.
    #[track_caller]
    pub fn mean_keepdims(&self, axis: usize) -> Self {
        self.check_nonempty_axis("mean_keepdims", axis);
        self.mean_axis(axis).keep_axis(axis)
    }

    /// The largest value along `axis`, removing it.
    ///
    /// # Panics
    /// If `axis >= ndim` or the axis has length 0.
    #[track_caller]
    pub fn max_axis(&self, axis: usize) -> Self {
        self.check_nonempty_axis("max_axis", axis);
        Self::from_array(self.array().map_axis(Axis(axis), |lane| {
            lane.iter().copied().fold(
                T::neg_infinity(),
                |a, b| if b > a || b.is_nan() { b } else { a },
            )
        }))
    }

    /// The largest value along `axis`, keeping it with length 1.
    ///
    /// # Panics
    /// If `axis >= ndim` or the axis has length 0.
    #[track_caller]
    pub fn max_keepdims(&self, axis: usize) -> Self {
        self.check_nonempty_axis("max_keepdims", axis);
        self.max_axis(axis).keep_axis(axis)
    }

    /// The position of the largest value along `axis` (the first, on ties),
    /// for every other index, in row-major order of the remaining axes. For
    /// a `[batch, classes]` matrix of scores, `argmax_axis(1)` is the
    /// predicted class of every row.
    ///
    /// # Panics
    /// If `axis >= ndim` or the axis has length 0.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let scores = Tensor::from([[0.1, 2.0, 0.3], [5.0, 1.0, 0.0]]);
    /// assert_eq!(scores.argmax_axis(1), vec![1, 0]);
    /// ```
    #[track_caller]
    pub fn argmax_axis(&self, axis: usize) -> Vec<usize> {
        self.check_nonempty_axis("argmax_axis", axis);
        self.array()
            .map_axis(Axis(axis), |lane| first_max(lane.iter().copied()))
            .iter()
            .copied()
            .collect()
    }

    /// Panics unless `axis` exists and has at least one element; `op` names
    /// the public operation, so `mean_keepdims` does not report `mean_axis`.
    #[track_caller]
    fn check_nonempty_axis(&self, op: &str, axis: usize) {
        self.check_axis(op, axis);
        if self.shape()[axis] == 0 {
            fail(
                op,
                format_args!("axis {axis} of {:?} is empty", self.shape()),
            );
        }
    }

    /// Inserts an axis of length 1 at position `axis` (the inverse of a
    /// reduction's removal of that axis).
    ///
    /// # Panics
    /// If `axis > ndim`.
    #[track_caller]
    pub fn keep_axis(&self, axis: usize) -> Self {
        if axis > self.ndim() {
            fail(
                "keep_axis",
                format_args!(
                    "axis {axis} out of range for a tensor of shape {:?}",
                    self.shape()
                ),
            );
        }
        let mut shape = self.shape().to_vec();
        shape.insert(axis, 1);
        self.reshape(shape)
    }
}

/// Index of the first largest value (NaN counts as largest, as in NumPy).
fn first_max<T: Float>(values: impl Iterator<Item = T>) -> usize {
    let mut best = (0, T::neg_infinity());
    for (i, v) in values.enumerate() {
        if best.1.is_nan() {
            break;
        }
        if v > best.1 || v.is_nan() || i == 0 {
            best = (i, v);
        }
    }
    best.0
}
