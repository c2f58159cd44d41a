//! Matrix products and the operations that only move elements: transpose,
//! permute, reshape.

use ndarray::{ArrayView2, ArrayViewD, ArrayViewMut2, Axis, Ix1, Ix2, IxDyn};

// The direct loop sums the inner dimension in blocks of `KC` terms and adds
// the blocks' sums up, as matrixmultiply and the packed product do, so that
// all three round alike.
use crate::gemm::KC;
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
            (2, 2) => {
                let mut out = Self::zeros([a[0], b[1]]);
                self.matmul_into(other, T::one(), T::zero(), &mut out);
                out
            }
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

    /// Writes the 2-d product `alpha · self · other + beta · out` into `out`.
    ///
    /// A plain product (`alpha` 1, `beta` 0) goes to the direct loop when it
    /// is small; everything else to ndarray's `general_mat_mul`
    /// (matrixmultiply), unless the environment variable
    /// `GRADSCHOOL_MATMUL=packed` switches on the crate's own packed product
    /// for `f32` on a CPU with fused multiply-add (`gemm.rs`), which keeps its
    /// buffers between calls. All three give the same numbers to the last bit.
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
        let (av, bv) = (self.view(), other.view());
        let (a, b) = (as2(&av), as2(&bv));
        if alpha == T::one()
            && beta == T::zero()
            && (direct_matmul(&a, &b, &mut o) || T::packed_matmul(&a, &b, &mut o))
        {
            return;
        }
        ndarray::linalg::general_mat_mul(alpha, &a, &b, beta, &mut o);
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

/// Products up to this many multiply-adds (m·k·n) may take the direct loop.
const DIRECT_MAX_WORK: usize = 1 << 17;

/// `c = a · b` by a direct loop, for products too small for a packed GEMM:
/// returns false (and leaves `c` alone) when the product is not one.
///
/// A GEMM such as matrixmultiply copies ("packs") blocks of both operands
/// into a layout its kernel streams through; for `[300, 2] x [2, 100]` the
/// copying costs more than the arithmetic. Here each row of `c` is built as
/// `c[i, :] = Σ_p a[i, p] · b[p, :]`, a fused multiply-add over a contiguous
/// row of `b` that the compiler vectorises. The sums are taken in the same
/// order as matrixmultiply's kernel (one fused multiply-add per `p`,
/// starting from zero, in blocks of 256 terms whose sums are then added), so
/// the results are the same to the last bit, which a test checks.
///
/// Only when the target has FMA instructions (`-C target-cpu=native` on any
/// recent x86 or ARM CPU, see `.cargo/config.toml`): without them
/// `mul_add` is a slow library call, and matrixmultiply's own kernel
/// rounds differently.
fn direct_matmul<T: Float>(
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    c: &mut ArrayViewMut2<'_, T>,
) -> bool {
    if !cfg!(target_feature = "fma") {
        return false;
    }
    let (m, k) = a.dim();
    let n = b.dim().1;
    if k == 0 || m * k * n > DIRECT_MAX_WORK || !c.is_standard_layout() {
        return false;
    }
    // Wide rows of `c`: built from rows of `b` (copied to row-major first
    // when `b` is a small transposed weight, as in `dY Wᵀ`).
    if n >= 8 {
        if let Some(b_rows) = b.as_slice() {
            rows_of_b(a, b_rows, c);
            return true;
        }
        if k * n <= 4096 {
            let copy = b.as_standard_layout();
            rows_of_b(a, copy.as_slice().expect("standard layout"), c);
            return true;
        }
    }
    // A narrow `c` and a transposed activation, as in `dW = Hᵀ dY`: built
    // column by column from the columns of `a`.
    if m >= 8
        && n < 8
        && let Some(a_cols) = a.t().to_slice()
    {
        columns_of_a(a_cols, m, b, c);
        return true;
    }
    false
}

// ANCHOR: rows_of_b
/// `sum = Σ_p x_p · row_p`: one fused multiply-add per term, in order,
/// starting from zero (matrixmultiply's kernel does exactly this).
fn chain<'r, T: Float + 'r>(sum: &mut [T], terms: impl Iterator<Item = (T, &'r [T])>) {
    for (p, (x, row)) in terms.enumerate() {
        if p == 0 {
            for (s, &r) in sum.iter_mut().zip(row) {
                *s = x.mul_add(r, T::zero());
            }
        } else {
            for (s, &r) in sum.iter_mut().zip(row) {
                *s = x.mul_add(r, *s);
            }
        }
    }
}

/// `c[i, :] = Σ_p a[i, p] · b[p, :]`, for a row-major `b` (as a slice).
fn rows_of_b<T: Float>(a: &ArrayView2<'_, T>, b: &[T], c: &mut ArrayViewMut2<'_, T>) {
    let n = c.dim().1;
    let mut block = vec![T::zero(); n];
    for (a_row, mut c_row) in a.rows().into_iter().zip(c.rows_mut()) {
        let c_row = c_row.as_slice_mut().expect("standard layout");
        let blocks = a_row.axis_chunks_iter(Axis(0), KC).zip(b.chunks(KC * n));
        for (first, (a_part, b_part)) in blocks.enumerate().map(|(i, x)| (i == 0, x)) {
            let terms = a_part.iter().copied().zip(b_part.chunks_exact(n));
            if first {
                chain(c_row, terms);
            } else {
                // A later block of 256 terms: its own sum, then added.
                chain(&mut block, terms);
                for (c, &s) in c_row.iter_mut().zip(&block) {
                    *c = s + *c;
                }
            }
        }
    }
}
// ANCHOR_END: rows_of_b

/// Column by column, `c[:, j] = Σ_p a[:, p] · b[p, j]`, for an `a` whose
/// columns are contiguous (`a_cols`, column-major, `m` rows).
fn columns_of_a<T: Float>(
    a_cols: &[T],
    m: usize,
    b: &ArrayView2<'_, T>,
    c: &mut ArrayViewMut2<'_, T>,
) {
    let mut column = vec![T::zero(); m];
    let mut block = vec![T::zero(); m];
    for (j, b_col) in b.columns().into_iter().enumerate() {
        let blocks = a_cols
            .chunks(KC * m)
            .zip(b_col.axis_chunks_iter(Axis(0), KC));
        for (first, (a_part, b_part)) in blocks.enumerate().map(|(i, x)| (i == 0, x)) {
            let terms = b_part.iter().copied().zip(a_part.chunks_exact(m));
            if first {
                chain(&mut column, terms);
            } else {
                chain(&mut block, terms);
                for (c, &s) in column.iter_mut().zip(&block) {
                    *c = s + *c;
                }
            }
        }
        for (out, &v) in c.column_mut(j).iter_mut().zip(&column) {
            *out = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::gemm::tests::random;

    /// The direct loop gives matrixmultiply's results to the last bit, for
    /// the layouts a training step uses: `X W`, `Xᵀ dY`, `dY Wᵀ`.
    #[test]
    fn direct_products_equal_matrixmultiply_bit_for_bit() {
        let mut rng = StdRng::seed_from_u64(3);
        // (m, k, n, a column-major, b column-major, whether the direct loop
        // should take it): the three layouts of the spiral's training step,
        // X W, Hᵀ dY and dY Wᵀ, then products it leaves to matrixmultiply.
        let cases = [
            (300, 2, 100, false, false, true),
            (100, 300, 3, true, false, true), // k > 256: two blocks
            (2, 300, 100, true, false, true),
            (2, 600, 100, false, false, true), // three blocks
            (100, 200, 3, true, false, true),
            (300, 3, 100, false, true, true),
            (32, 256, 10, false, false, true),
            (2, 250, 100, true, false, true),
            (300, 100, 3, false, false, false), // narrow c, row-major a
            (128, 784, 256, false, false, false), // too much work
        ];
        for (m, k, n, a_cm, b_cm, direct_expected) in cases {
            let a = random(&mut rng, m, k, a_cm);
            let b = random(&mut rng, k, n, b_cm);
            let mut direct = Array2::<f32>::zeros((m, n));
            let took = direct_matmul(&a.view(), &b.view(), &mut direct.view_mut());
            let fma = cfg!(target_feature = "fma");
            assert_eq!(took, direct_expected && fma, "[{m}, {k}] x [{k}, {n}]");
            let mut packed = Array2::<f32>::zeros((m, n));
            ndarray::linalg::general_mat_mul(1.0, &a, &b, 0.0, &mut packed);
            if took {
                let same = direct.iter().zip(&packed).all(|(x, y)| x == y);
                assert!(
                    same,
                    "[{m}, {k}] x [{k}, {n}], column-major a {a_cm}, b {b_cm}"
                );
            }
        }
    }
}
