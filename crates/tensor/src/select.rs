//! Picking rows (minibatches) and joining tensors.

use ndarray::Axis;

use crate::tensor::fail;
use crate::{Float, Tensor};

impl<T: Float> Tensor<T> {
    /// The rows (entries along axis 0) at `indices`, in that order; an
    /// index may repeat. This is how a minibatch is drawn from a dataset.
    ///
    /// # Panics
    /// If the tensor is 0-d or an index is out of range:
    /// `select_rows: index 12 out of range for 10 rows`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
    /// let batch = x.select_rows(&[2, 0]);
    /// assert_eq!(batch.to_vec(), vec![2.0, 2.0, 0.0, 0.0]);
    /// ```
    #[track_caller]
    pub fn select_rows(&self, indices: &[usize]) -> Self {
        if self.ndim() == 0 {
            fail("select_rows", format_args!("a 0-d tensor has no rows"));
        }
        let rows = self.shape()[0];
        if let Some(&bad) = indices.iter().find(|&&i| i >= rows) {
            fail(
                "select_rows",
                format_args!("index {bad} out of range for {rows} rows"),
            );
        }
        Self::from_array(self.array().select(Axis(0), indices))
    }

    /// Joins tensors along an existing axis; all other axes must agree.
    ///
    /// # Panics
    /// If `tensors` is empty, `axis` is out of range, or the other axes
    /// differ: `concat: shapes [2, 3] and [2, 4] differ outside axis 0`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let a = Tensor::from([[1.0, 2.0]]);
    /// let b = Tensor::from([[3.0, 4.0]]);
    /// assert_eq!(Tensor::concat(&[a.clone(), b.clone()], 0).shape(), &[2, 2]);
    /// assert_eq!(Tensor::concat(&[a, b], 1).shape(), &[1, 4]);
    /// ```
    #[track_caller]
    pub fn concat(tensors: &[Self], axis: usize) -> Self {
        let Some(first) = tensors.first() else {
            fail("concat", format_args!("needs at least one tensor"))
        };
        first.check_axis("concat", axis);
        for t in tensors {
            let same = t.ndim() == first.ndim()
                && t.shape()
                    .iter()
                    .zip(first.shape())
                    .enumerate()
                    .all(|(i, (a, b))| i == axis || a == b);
            if !same {
                fail(
                    "concat",
                    format_args!(
                        "shapes {:?} and {:?} differ outside axis {axis}",
                        first.shape(),
                        t.shape()
                    ),
                );
            }
        }
        let views: Vec<_> = tensors.iter().map(Tensor::view).collect();
        Self::from_array(ndarray::concatenate(Axis(axis), &views).expect("shapes checked"))
    }

    /// Joins tensors of equal shape along a new axis at position `axis`:
    /// stacking `B` vectors of length `N` along axis 0 gives a `[B, N]`
    /// minibatch matrix.
    ///
    /// # Panics
    /// If `tensors` is empty, the shapes differ, or `axis > ndim`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let rows = [Tensor::from([1.0, 2.0]), Tensor::from([3.0, 4.0]), Tensor::from([5.0, 6.0])];
    /// assert_eq!(Tensor::stack(&rows, 0).shape(), &[3, 2]);
    /// ```
    #[track_caller]
    pub fn stack(tensors: &[Self], axis: usize) -> Self {
        let Some(first) = tensors.first() else {
            fail("stack", format_args!("needs at least one tensor"))
        };
        if axis > first.ndim() {
            fail(
                "stack",
                format_args!(
                    "axis {axis} out of range for stacking shape {:?}",
                    first.shape()
                ),
            );
        }
        if let Some(t) = tensors.iter().find(|t| t.shape() != first.shape()) {
            fail(
                "stack",
                format_args!("shapes differ: {:?} and {:?}", first.shape(), t.shape()),
            );
        }
        let views: Vec<_> = tensors.iter().map(Tensor::view).collect();
        Self::from_array(ndarray::stack(Axis(axis), &views).expect("shapes checked"))
    }
}
