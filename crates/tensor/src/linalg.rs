//! Matrix products and the operations that only move elements: transpose,
//! permute, reshape.

use ndarray::{ArrayView2, ArrayViewD, Ix1, Ix2, IxDyn};

use crate::tensor::fail;
use crate::{Float, Tensor};

impl<T: Float> Tensor<T> {
    /// The matrix product, following NumPy's `@` for 1-d and 2-d operands:
    ///
    /// | `self` | `other` | result |
    /// |---|---|---|
    /// | `[m, k]` | `[k, n]` | `[m, n]` — e.g. a minibatch of `m` rows times a weight matrix |
    /// | `[m, k]` | `[k]` | `[m]` — a matrix applied to a vector, `W x` |
    /// | `[k]` | `[k, n]` | `[n]` — a row vector times a matrix |
    /// | `[k]` | `[k]` | `[]` — the dot product |
    ///
    /// # Panics
    /// If an operand is not 1-d or 2-d, or the inner dimensions differ:
    /// `matmul: inner dimensions differ: [128, 784] x [256, 10]`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let w = Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]); // 3 x 2: R² → R³
    /// let x = Tensor::from([1.0, 1.0]);
    /// assert_eq!(w.matmul(&x).to_vec(), vec![3.0, 7.0, 11.0]);
    /// ```
    #[track_caller]
    pub fn matmul(&self, other: &Self) -> Self {
        let (a, b) = (self.shape(), other.shape());
        if !(1..=2).contains(&a.len()) || !(1..=2).contains(&b.len()) {
            fail(
                "matmul",
                format_args!("expects 1-d or 2-d tensors, got {a:?} x {b:?}"),
            );
        }
        let k_left = a[a.len() - 1];
        let k_right = b[0];
        if k_left != k_right {
            fail(
                "matmul",
                format_args!("inner dimensions differ: {a:?} x {b:?}"),
            );
        }
        let av = self.view();
        let bv = other.view();
        match (a.len(), b.len()) {
            (2, 2) => Self::from_array(as2(&av).dot(&as2(&bv))),
            (2, 1) => {
                Self::from_array(as2(&av).dot(&bv.into_dimensionality::<Ix1>().expect("1-d")))
            }
            (1, 2) => {
                Self::from_array(av.into_dimensionality::<Ix1>().expect("1-d").dot(&as2(&bv)))
            }
            _ => {
                let d = av
                    .into_dimensionality::<Ix1>()
                    .expect("1-d")
                    .dot(&bv.into_dimensionality::<Ix1>().expect("1-d"));
                Self::scalar(d)
            }
        }
    }

    /// Writes the 2-d product `alpha · self · other + beta · out` into `out`,
    /// without allocating (ndarray's `general_mat_mul`).
    ///
    /// # Panics
    /// If any operand is not 2-d or the shapes do not fit
    /// `[m, k] x [k, n] -> [m, n]`.
    #[track_caller]
    pub fn matmul_into(&self, other: &Self, alpha: T, beta: T, out: &mut Self) {
        let (a, b, c) = (
            self.shape().to_vec(),
            other.shape().to_vec(),
            out.shape().to_vec(),
        );
        if a.len() != 2 || b.len() != 2 || c.len() != 2 {
            fail(
                "matmul_into",
                format_args!("expects 2-d tensors, got {a:?} x {b:?} -> {c:?}"),
            );
        }
        if a[1] != b[0] || c[0] != a[0] || c[1] != b[1] {
            fail(
                "matmul_into",
                format_args!("shapes do not fit: {a:?} x {b:?} -> {c:?}"),
            );
        }
        let mut o = out.view_mut().into_dimensionality::<Ix2>().expect("2-d");
        ndarray::linalg::general_mat_mul(
            alpha,
            &as2(&self.view()),
            &as2(&other.view()),
            beta,
            &mut o,
        );
    }

    /// The transpose: the order of the axes reversed (NumPy's `.T`). A
    /// matrix `[m, n]` becomes `[n, m]`; a vector is unchanged. No data is
    /// copied: the result is a view with swapped strides.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let a = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    /// assert_eq!(a.t().shape(), &[3, 2]);
    /// assert_eq!(a.t().at([2, 1]), 6.0);
    /// ```
    pub fn t(&self) -> Self {
        Self::from_shared(self.array().clone().reversed_axes())
    }

    /// Reorders the axes: axis `i` of the result is axis `axes[i]` of `self`.
    ///
    /// # Panics
    /// If `axes` is not a permutation of `0..ndim`.
    #[track_caller]
    pub fn permute(&self, axes: impl AsRef<[usize]>) -> Self {
        let axes = axes.as_ref();
        let mut seen = vec![false; self.ndim()];
        let ok = axes.len() == self.ndim()
            && axes
                .iter()
                .all(|&a| a < seen.len() && !std::mem::replace(&mut seen[a], true));
        if !ok {
            fail(
                "permute",
                format_args!(
                    "{axes:?} is not a permutation of the axes of {:?}",
                    self.shape()
                ),
            );
        }
        Self::from_shared(self.array().clone().permuted_axes(IxDyn(axes)))
    }

    /// The same elements, in row-major order, under a new shape.
    ///
    /// # Panics
    /// If the element counts differ:
    /// `reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let a: Tensor = Tensor::arange(6).reshape([2, 3]);
    /// assert_eq!(a.at([1, 0]), 3.0);
    /// ```
    #[track_caller]
    pub fn reshape(&self, shape: impl AsRef<[usize]>) -> Self {
        let shape = shape.as_ref();
        let n: usize = shape.iter().product();
        if n != self.len() {
            fail(
                "reshape",
                format_args!(
                    "cannot reshape {:?} ({} elements) into {shape:?} ({n} elements)",
                    self.shape(),
                    self.len()
                ),
            );
        }
        if self.array().is_standard_layout() {
            let a = self
                .array()
                .clone()
                .into_shape_with_order(IxDyn(shape))
                .expect("count checked");
            return Self::from_shared(a);
        }
        Self::from_vec(self.to_vec(), shape)
    }

    /// A copy in standard row-major layout (after `t()` or `permute`).
    pub fn to_contiguous(&self) -> Self {
        if self.array().is_standard_layout() {
            return self.clone();
        }
        Self::from_vec(self.to_vec(), self.shape())
    }
}

fn as2<'a, T: Float>(v: &ArrayViewD<'a, T>) -> ArrayView2<'a, T> {
    v.clone().into_dimensionality::<Ix2>().expect("2-d")
}
