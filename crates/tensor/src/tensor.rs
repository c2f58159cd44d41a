//! The `Tensor` type: constructors, shape queries, element access, display.

use std::fmt;

use ndarray::{ArcArray, Array, ArrayD, ArrayViewD, ArrayViewMutD, Dimension, IxDyn};
use rand::Rng;

use crate::Float;

/// An n-dimensional array of numbers: a scalar (0-d), a vector (1-d), a
/// matrix (2-d), a minibatch of matrices, ...
///
/// `T` is `f32` unless said otherwise: `Tensor` in a type means
/// `Tensor<f32>`. In an expression the element type is inferred from how the
/// tensor is used (a float literal that nothing else constrains becomes
/// `f64`, as everywhere in Rust).
///
/// Storage is an ndarray `ArcArray` in row-major order: cloning a tensor is
/// cheap (a reference count), and the data is copied only when a shared
/// tensor is written to.
///
/// ```
/// use tensor::Tensor;
/// let x = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(x.shape(), &[2, 3]);
/// assert_eq!(x.at([1, 2]), 6.0);
/// ```
#[derive(Clone, PartialEq)]
pub struct Tensor<T: Float = f32> {
    data: ArcArray<T, IxDyn>,
}

/// Panics with `op: message` from the caller's line.
#[track_caller]
pub(crate) fn fail(op: &str, message: fmt::Arguments<'_>) -> ! {
    panic!("{op}: {message}")
}

impl<T: Float> Tensor<T> {
    // ----- constructors -------------------------------------------------

    /// A tensor of the given shape from row-major data.
    ///
    /// # Panics
    /// If `data.len()` is not the product of `shape`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]);
    /// assert_eq!(x.at([1, 0]), 4.0);
    /// ```
    #[track_caller]
    pub fn from_vec(data: Vec<T>, shape: impl AsRef<[usize]>) -> Self {
        let shape = shape.as_ref();
        let n: usize = shape.iter().product();
        if n != data.len() {
            fail(
                "from_vec",
                format_args!(
                    "{} values cannot fill shape {shape:?} ({n} elements)",
                    data.len()
                ),
            );
        }
        Self::from_array(ArrayD::from_shape_vec(IxDyn(shape), data).expect("length checked"))
    }

    /// Wraps an ndarray array of any dimension.
    pub fn from_array<D: Dimension>(array: Array<T, D>) -> Self {
        Tensor {
            data: array.into_dyn().into_shared(),
        }
    }

    pub(crate) fn from_shared(data: ArcArray<T, IxDyn>) -> Self {
        Tensor { data }
    }

    /// A 0-dimensional tensor holding one number.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let s = Tensor::scalar(2.5);
    /// assert_eq!(s.shape(), &[] as &[usize]);
    /// assert_eq!(s.item(), 2.5);
    /// ```
    pub fn scalar(value: T) -> Self {
        Self::from_array(ndarray::arr0(value))
    }

    /// A tensor of zeros.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let z: Tensor = Tensor::zeros([2, 3]);
    /// assert_eq!(z.sum(), 0.0);
    /// ```
    pub fn zeros(shape: impl AsRef<[usize]>) -> Self {
        Self::full(shape, T::zero())
    }

    /// A tensor of ones.
    pub fn ones(shape: impl AsRef<[usize]>) -> Self {
        Self::full(shape, T::one())
    }

    /// A tensor with every element equal to `value`.
    pub fn full(shape: impl AsRef<[usize]>, value: T) -> Self {
        Self::from_array(ArrayD::from_elem(IxDyn(shape.as_ref()), value))
    }

    /// A zero tensor with the shape of `other`.
    pub fn zeros_like(other: &Self) -> Self {
        Self::zeros(other.shape())
    }

    /// The `n x n` identity matrix.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let i: Tensor = Tensor::eye(3);
    /// assert_eq!(i.at([1, 1]), 1.0);
    /// assert_eq!(i.at([1, 2]), 0.0);
    /// ```
    pub fn eye(n: usize) -> Self {
        Self::from_array(Array::eye(n))
    }

    /// The vector `[0, 1, ..., n-1]`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let a: Tensor = Tensor::arange(4);
    /// assert_eq!(a.to_vec(), vec![0.0, 1.0, 2.0, 3.0]);
    /// ```
    pub fn arange(n: usize) -> Self {
        Self::from_vec((0..n).map(T::from_usize).collect(), [n])
    }

    /// `n` evenly spaced numbers from `start` to `end`, both included.
    ///
    /// # Panics
    /// If `n < 2`.
    #[track_caller]
    pub fn linspace(start: T, end: T, n: usize) -> Self {
        if n < 2 {
            fail("linspace", format_args!("needs at least 2 points, got {n}"));
        }
        let step = (end - start) / T::from_usize(n - 1);
        let mut v: Vec<T> = (0..n).map(|i| start + step * T::from_usize(i)).collect();
        v[n - 1] = end;
        Self::from_vec(v, [n])
    }

    /// Samples from the standard normal distribution N(0, 1).
    ///
    /// The same seed gives the same tensor, bit for bit:
    /// ```
    /// # use tensor::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let a: Tensor = Tensor::randn([2, 2], &mut StdRng::seed_from_u64(7));
    /// let b: Tensor = Tensor::randn([2, 2], &mut StdRng::seed_from_u64(7));
    /// assert_eq!(a, b);
    /// ```
    pub fn randn<R: Rng + ?Sized>(shape: impl AsRef<[usize]>, rng: &mut R) -> Self {
        let n: usize = shape.as_ref().iter().product();
        Self::from_vec(
            (0..n).map(|_| T::sample_standard_normal(rng)).collect(),
            shape,
        )
    }

    /// Samples from the normal distribution N(mean, std²).
    ///
    /// # Panics
    /// If `std` is negative or not finite.
    #[track_caller]
    pub fn rand_normal<R: Rng + ?Sized>(
        shape: impl AsRef<[usize]>,
        mean: T,
        std: T,
        rng: &mut R,
    ) -> Self {
        if !(std >= T::zero() && std.is_finite()) {
            fail(
                "rand_normal",
                format_args!("std must be finite and >= 0, got {std}"),
            );
        }
        Self::randn(shape, rng).map(|z| mean + std * z)
    }

    /// Samples uniformly from the interval `[low, high)`.
    ///
    /// # Panics
    /// If `low >= high` or `high - low` is not finite.
    #[track_caller]
    pub fn rand_uniform<R: Rng + ?Sized>(
        shape: impl AsRef<[usize]>,
        low: T,
        high: T,
        rng: &mut R,
    ) -> Self {
        if low.is_nan() || high.is_nan() || low >= high {
            fail(
                "rand_uniform",
                format_args!("needs low < high, got [{low}, {high})"),
            );
        }
        // rand rejects an infinite interval (or one whose width overflows).
        if !(high - low).is_finite() {
            fail(
                "rand_uniform",
                format_args!("needs a finite interval, got [{low}, {high})"),
            );
        }
        let n: usize = shape.as_ref().iter().product();
        Self::from_vec((0..n).map(|_| rng.random_range(low..high)).collect(), shape)
    }

    // ----- shape queries ------------------------------------------------

    /// The length of every axis, outermost first: `[rows, cols]` for a matrix.
    pub fn shape(&self) -> &[usize] {
        self.data.shape()
    }

    /// The number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix.
    pub fn ndim(&self) -> usize {
        self.data.ndim()
    }

    /// The number of elements (the product of the shape).
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the tensor has no elements (some axis has length 0).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The length of one axis.
    ///
    /// # Panics
    /// If `axis >= self.ndim()`.
    #[track_caller]
    pub fn dim(&self, axis: usize) -> usize {
        self.check_axis("dim", axis);
        self.shape()[axis]
    }

    #[track_caller]
    pub(crate) fn check_axis(&self, op: &str, axis: usize) {
        if axis >= self.ndim() {
            fail(
                op,
                format_args!(
                    "axis {axis} out of range for a tensor of shape {:?}",
                    self.shape()
                ),
            );
        }
    }

    // ----- element access -------------------------------------------------

    /// The element at a multi-index, e.g. `x.at([row, col])`.
    ///
    /// # Panics
    /// If the index has the wrong length or is out of range.
    #[track_caller]
    pub fn at(&self, index: impl AsRef<[usize]>) -> T {
        let index = index.as_ref();
        match self.data.get(IxDyn(index)) {
            Some(&v) => v,
            None => fail(
                "at",
                format_args!("index {index:?} out of range for shape {:?}", self.shape()),
            ),
        }
    }

    /// The single element of a tensor with exactly one element (any shape).
    ///
    /// # Panics
    /// If the tensor has more or fewer than one element.
    #[track_caller]
    pub fn item(&self) -> T {
        if self.len() != 1 {
            fail(
                "item",
                format_args!("needs exactly one element, shape is {:?}", self.shape()),
            );
        }
        *self.data.iter().next().expect("one element")
    }

    /// The elements in row-major order.
    pub fn to_vec(&self) -> Vec<T> {
        self.data.iter().copied().collect()
    }

    /// The elements as a slice, when the storage is contiguous and row-major.
    /// `None` after `t()` or `permute`, and for results computed from such a
    /// view (they keep its memory order); [`Tensor::to_contiguous`] makes a
    /// row-major copy.
    pub fn as_slice(&self) -> Option<&[T]> {
        self.data.as_slice()
    }

    /// A read-only ndarray view, for code that wants ndarray's full API.
    pub fn view(&self) -> ArrayViewD<'_, T> {
        self.data.view()
    }

    /// A writable ndarray view. Copies the data first if it is shared with
    /// another tensor (copy on write), so other clones never change.
    pub fn view_mut(&mut self) -> ArrayViewMutD<'_, T> {
        self.data.view_mut()
    }

    /// The underlying shared array.
    pub fn array(&self) -> &ArcArray<T, IxDyn> {
        &self.data
    }

    /// Unwraps into an owned ndarray array (copies only if shared).
    pub fn into_array(self) -> ArrayD<T> {
        self.data.into_owned()
    }

    /// Gives back the storage as a `Vec` when no other tensor shares it, so
    /// that its memory can be reused (the tape's buffer pool does this).
    /// The order of the numbers in the `Vec` is the storage order, which is
    /// row-major only for a tensor in standard layout. A shared tensor is
    /// returned unchanged in `Err`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from([1.0, 2.0]);
    /// let y = x.clone(); // shares storage
    /// let x = x.into_buffer().unwrap_err();
    /// drop(y);
    /// assert_eq!(x.into_buffer().unwrap(), vec![1.0, 2.0]);
    /// ```
    pub fn into_buffer(self) -> Result<Vec<T>, Self> {
        match self.data.try_into_owned_nocopy() {
            Ok(owned) => Ok(owned.into_raw_vec_and_offset().0),
            Err(shared) => Err(Self::from_shared(shared)),
        }
    }

    /// Rows `start..end` (along axis 0) as a view that shares this tensor's
    /// storage: no numbers are copied. Consecutive rows of a row-major
    /// tensor are one contiguous block, so this is how a data set is walked
    /// in minibatches in order.
    ///
    /// # Panics
    /// If the tensor is 0-d or the range is not within its rows:
    /// `slice_rows: rows 8..12 out of range for 10 rows`.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
    /// let tail = x.slice_rows(1..3);
    /// assert_eq!(tail.to_vec(), vec![1.0, 1.0, 2.0, 2.0]);
    /// assert_eq!(tail.shape(), &[2, 2]);
    /// ```
    #[track_caller]
    pub fn slice_rows(&self, rows: std::ops::Range<usize>) -> Self {
        if self.ndim() == 0 {
            fail("slice_rows", format_args!("a 0-d tensor has no rows"));
        }
        let n = self.shape()[0];
        if rows.start > rows.end || rows.end > n {
            fail(
                "slice_rows",
                format_args!("rows {rows:?} out of range for {n} rows"),
            );
        }
        let mut data = self.data.clone();
        data.slice_axis_inplace(ndarray::Axis(0), ndarray::Slice::from(rows));
        Self::from_shared(data)
    }

    /// Whether two tensors share the same storage (no copy was made).
    pub fn shares_storage_with(&self, other: &Self) -> bool {
        self.data.as_ptr() == other.data.as_ptr() && self.len() == other.len()
    }

    /// Converts every element to another float type (`f32` ↔ `f64`).
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x: Tensor = Tensor::from([0.5, 1.5]);
    /// let y: Tensor<f64> = x.cast();
    /// assert_eq!(y.to_vec(), vec![0.5, 1.5]);
    /// ```
    pub fn cast<U: Float>(&self) -> Tensor<U> {
        Tensor::from_array(self.data.mapv(|v| U::from_f64(v.to_f64())))
    }
}

// ----- conversions from Rust arrays and vectors ---------------------------

impl<T: Float> From<Vec<T>> for Tensor<T> {
    /// A vector (1-d tensor).
    fn from(v: Vec<T>) -> Self {
        let n = v.len();
        Self::from_vec(v, [n])
    }
}

impl<T: Float> From<&[T]> for Tensor<T> {
    /// A vector (1-d tensor), copying the slice.
    fn from(v: &[T]) -> Self {
        Self::from(v.to_vec())
    }
}

impl<T: Float, const N: usize> From<[T; N]> for Tensor<T> {
    /// A vector from `[a, b, c]`.
    fn from(v: [T; N]) -> Self {
        Self::from_vec(v.to_vec(), [N])
    }
}

impl<T: Float, const M: usize, const N: usize> From<[[T; N]; M]> for Tensor<T> {
    /// A matrix from nested arrays, one inner array per row.
    fn from(rows: [[T; N]; M]) -> Self {
        Self::from_vec(rows.iter().flatten().copied().collect(), [M, N])
    }
}

impl<T: Float, const L: usize, const M: usize, const N: usize> From<[[[T; N]; M]; L]>
    for Tensor<T>
{
    /// A 3-d tensor from nested arrays.
    fn from(v: [[[T; N]; M]; L]) -> Self {
        Self::from_vec(v.iter().flatten().flatten().copied().collect(), [L, M, N])
    }
}

impl<T: Float, D: Dimension> From<Array<T, D>> for Tensor<T> {
    fn from(a: Array<T, D>) -> Self {
        Self::from_array(a)
    }
}

// ----- display --------------------------------------------------------------

impl<T: Float> fmt::Display for Tensor<T> {
    /// Prints the elements as nested rows, like NumPy. A precision is passed
    /// on: `format!("{x:.2}")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.data, f)
    }
}

impl<T: Float> fmt::Debug for Tensor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tensor<{}>{:?} ", T::NAME, self.shape())?;
        fmt::Display::fmt(&self.data, f)
    }
}

// ----- approximate equality (for tests) --------------------------------------

impl<T: Float> approx::AbsDiffEq for Tensor<T> {
    type Epsilon = T;
    fn default_epsilon() -> T {
        T::default_epsilon()
    }
    /// Equal shapes and every pair of elements within `epsilon`.
    fn abs_diff_eq(&self, other: &Self, epsilon: T) -> bool {
        self.shape() == other.shape()
            && self
                .data
                .iter()
                .zip(other.data.iter())
                .all(|(a, b)| a.abs_diff_eq(b, epsilon))
    }
}

impl<T: Float> approx::RelativeEq for Tensor<T> {
    fn default_max_relative() -> T {
        T::default_max_relative()
    }
    fn relative_eq(&self, other: &Self, epsilon: T, max_relative: T) -> bool {
        self.shape() == other.shape()
            && self
                .data
                .iter()
                .zip(other.data.iter())
                .all(|(a, b)| a.relative_eq(b, epsilon, max_relative))
    }
}

impl<T: Float> approx::UlpsEq for Tensor<T> {
    fn default_max_ulps() -> u32 {
        T::default_max_ulps()
    }
    fn ulps_eq(&self, other: &Self, epsilon: T, max_ulps: u32) -> bool {
        self.shape() == other.shape()
            && self
                .data
                .iter()
                .zip(other.data.iter())
                .all(|(a, b)| a.ulps_eq(b, epsilon, max_ulps))
    }
}
