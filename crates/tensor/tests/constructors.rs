//! Constructors, shape queries, element access, conversions, printing and
//! approximate equality.

use approx::{assert_abs_diff_eq, assert_relative_eq, assert_relative_ne, assert_ulps_eq};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;
use tensor::ndarray::{Array, ArrayD, IxDyn, array};

// ----- constructors -----------------------------------------------------

#[test]
fn from_vec_is_row_major() {
    let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]);
    assert_eq!(x.shape(), &[2, 3]);
    assert_eq!(x.at([0, 0]), 1.0);
    assert_eq!(x.at([0, 2]), 3.0);
    assert_eq!(x.at([1, 0]), 4.0);
    assert_eq!(x.at([1, 2]), 6.0);
    // The shape may be a Vec or a slice as well as an array.
    let y = Tensor::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], vec![2, 2]);
    assert_eq!(y.at([1, 1]), 4.0f32);
    let z = Tensor::from_vec(vec![7.0f64], &[] as &[usize]);
    assert_eq!(z.ndim(), 0);
    assert_eq!(z.item(), 7.0);
}

#[test]
fn from_vec_with_an_empty_axis() {
    let x: Tensor = Tensor::from_vec(vec![], [0, 3]);
    assert_eq!(x.shape(), &[0, 3]);
    assert_eq!(x.len(), 0);
    assert!(x.is_empty());
    assert_eq!(x.to_vec(), Vec::<f32>::new());
}

#[test]
fn from_nested_arrays() {
    let v = Tensor::from([1.0, 2.0, 3.0]);
    assert_eq!(v.shape(), &[3]);
    assert_eq!(v.to_vec(), vec![1.0, 2.0, 3.0]);

    let m = Tensor::from([[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    assert_eq!(m.shape(), &[3, 2]);
    assert_eq!(m.to_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(m.at([2, 0]), 5.0);

    let c = Tensor::from([
        [[1.0, 2.0], [3.0, 4.0]],
        [[5.0, 6.0], [7.0, 8.0]],
        [[9.0, 10.0], [11.0, 12.0]],
    ]);
    assert_eq!(c.shape(), &[3, 2, 2]);
    assert_eq!(c.at([0, 1, 0]), 3.0);
    assert_eq!(c.at([2, 0, 1]), 10.0);
    assert_eq!(c.to_vec(), (1..=12).map(f64::from).collect::<Vec<_>>());
}

#[test]
fn from_vec_slice_and_ndarray() {
    let a = Tensor::from(vec![1.0f32, 2.0]);
    assert_eq!(a.shape(), &[2]);
    assert_eq!(a.to_vec(), vec![1.0f32, 2.0]);

    let data = [3.0f64, 4.0, 5.0];
    let b = Tensor::from(&data[..]);
    assert_eq!(b.shape(), &[3]);
    assert_eq!(b.to_vec(), vec![3.0, 4.0, 5.0]);

    let c = Tensor::from(array![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(c.shape(), &[2, 2]);
    assert_eq!(c, Tensor::from([[1.0, 2.0], [3.0, 4.0]]));

    let d = Tensor::from_array(Array::from_elem((2, 1, 3), 0.5f32));
    assert_eq!(d.shape(), &[2, 1, 3]);
    assert_eq!(d.to_vec(), vec![0.5f32; 6]);
}

#[test]
fn default_element_type_is_f32() {
    // `Tensor` in a type means `Tensor<f32>`.
    let x: Tensor = Tensor::zeros([2]);
    let v: Vec<f32> = x.to_vec();
    assert_eq!(v, vec![0.0f32, 0.0]);
}

#[test]
fn scalar_is_zero_dimensional() {
    let s = Tensor::scalar(2.5);
    assert_eq!(s.shape(), &[] as &[usize]);
    assert_eq!(s.ndim(), 0);
    assert_eq!(s.len(), 1);
    assert!(!s.is_empty());
    assert_eq!(s.item(), 2.5);
    assert_eq!(s.at([]), 2.5);
    assert_eq!(s.to_vec(), vec![2.5]);
}

#[test]
fn zeros_ones_full_zeros_like() {
    let z: Tensor<f64> = Tensor::zeros([2, 3]);
    assert_eq!(z.shape(), &[2, 3]);
    assert_eq!(z.to_vec(), vec![0.0; 6]);

    let o: Tensor<f32> = Tensor::ones([3]);
    assert_eq!(o.to_vec(), vec![1.0f32; 3]);

    let f = Tensor::full([2, 2], -1.5f64);
    assert_eq!(f.to_vec(), vec![-1.5; 4]);

    let zl = Tensor::zeros_like(&f);
    assert_eq!(zl.shape(), &[2, 2]);
    assert_eq!(zl.to_vec(), vec![0.0; 4]);

    let s: Tensor = Tensor::ones([]);
    assert_eq!(s.ndim(), 0);
    assert_eq!(s.item(), 1.0);
}

#[test]
fn eye_is_the_identity() {
    let i: Tensor<f64> = Tensor::eye(3);
    assert_eq!(i.shape(), &[3, 3]);
    assert_eq!(
        i.to_vec(),
        vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    );
    let a = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert_eq!(a.matmul(&i), a);
    let i0: Tensor = Tensor::eye(0);
    assert_eq!(i0.shape(), &[0, 0]);
}

#[test]
fn arange_counts_from_zero() {
    let a: Tensor<f64> = Tensor::arange(5);
    assert_eq!(a.shape(), &[5]);
    assert_eq!(a.to_vec(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    let e: Tensor = Tensor::arange(0);
    assert_eq!(e.shape(), &[0]);
}

#[test]
fn linspace_includes_both_ends() {
    let l = Tensor::linspace(0.0f64, 1.0, 5);
    assert_eq!(l.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    let l = Tensor::linspace(-1.0f32, 1.0, 3);
    assert_eq!(l.to_vec(), vec![-1.0f32, 0.0, 1.0]);
    // Descending works, and the last point is exactly `end` even when the
    // step is not representable.
    let l = Tensor::linspace(1.0f64, 0.0, 4);
    assert_eq!(l.len(), 4);
    assert_eq!(l.at([0]), 1.0);
    assert_eq!(l.at([3]), 0.0);
    let l = Tensor::linspace(0.0f32, 0.7, 8);
    assert_eq!(l.at([7]), 0.7f32);
    assert_relative_eq!(l.at([1]), 0.1f32);
}

#[test]
fn randn_is_reproducible_and_standard() {
    let a: Tensor<f64> = Tensor::randn([100, 100], &mut StdRng::seed_from_u64(1));
    let b: Tensor<f64> = Tensor::randn([100, 100], &mut StdRng::seed_from_u64(1));
    let c: Tensor<f64> = Tensor::randn([100, 100], &mut StdRng::seed_from_u64(2));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.shape(), &[100, 100]);
    // 10 000 draws: the mean is within 4 standard errors (0.01) of 0 and the
    // variance close to 1.
    let mean = a.mean();
    let var = (&a - mean).powi(2).mean();
    assert!(mean.abs() < 0.04, "mean {mean}");
    assert!((var - 1.0).abs() < 0.05, "variance {var}");

    let f: Tensor<f32> = Tensor::randn([3], &mut StdRng::seed_from_u64(1));
    let g: Tensor<f32> = Tensor::randn([3], &mut StdRng::seed_from_u64(1));
    assert_eq!(f, g);
}

#[test]
fn rand_normal_shifts_and_scales() {
    let mut rng = StdRng::seed_from_u64(3);
    let x: Tensor<f64> = Tensor::rand_normal([10_000], 5.0, 2.0, &mut rng);
    let mean = x.mean();
    let std = (&x - mean).powi(2).mean().sqrt();
    assert!((mean - 5.0).abs() < 0.08, "mean {mean}");
    assert!((std - 2.0).abs() < 0.08, "std {std}");
    // It is exactly mean + std * randn with the same seed.
    let z: Tensor<f64> = Tensor::randn([10_000], &mut StdRng::seed_from_u64(3));
    assert_eq!(x, z * 2.0 + 5.0);
    // std = 0 is allowed: every sample is the mean.
    let c = Tensor::rand_normal([4], 1.5f32, 0.0, &mut rng);
    assert_eq!(c.to_vec(), vec![1.5f32; 4]);
}

#[test]
fn rand_uniform_stays_in_range() {
    let mut rng = StdRng::seed_from_u64(4);
    let x: Tensor<f64> = Tensor::rand_uniform([10_000], -2.0, 3.0, &mut rng);
    assert!(x.min() >= -2.0);
    assert!(x.max() < 3.0);
    assert!((x.mean() - 0.5).abs() < 0.05, "mean {}", x.mean());
    let a: Tensor<f32> = Tensor::rand_uniform([5], 0.0, 1.0, &mut StdRng::seed_from_u64(9));
    let b: Tensor<f32> = Tensor::rand_uniform([5], 0.0, 1.0, &mut StdRng::seed_from_u64(9));
    assert_eq!(a, b);
    assert!(a.min() >= 0.0 && a.max() < 1.0);
}

// ----- shape queries ------------------------------------------------------

#[test]
fn shape_ndim_len_dim() {
    let x: Tensor = Tensor::zeros([2, 3, 4]);
    assert_eq!(x.shape(), &[2, 3, 4]);
    assert_eq!(x.ndim(), 3);
    assert_eq!(x.len(), 24);
    assert!(!x.is_empty());
    assert_eq!(x.dim(0), 2);
    assert_eq!(x.dim(1), 3);
    assert_eq!(x.dim(2), 4);
}

// ----- element access -------------------------------------------------------

#[test]
fn at_item_to_vec() {
    let x = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(x.at([0, 1]), 2.0);
    assert_eq!(x.at(vec![1, 0]), 3.0);
    assert_eq!(x.at(&[1, 1][..]), 4.0);
    assert_eq!(x.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
    // `item` works on any one-element tensor, whatever its shape.
    assert_eq!(Tensor::from([[9.0f32]]).item(), 9.0);
    assert_eq!(Tensor::from([3.0f64]).item(), 3.0);
    assert_eq!(x.sum_axis(0).sum_axis(0).item(), 10.0);
}

#[test]
fn to_vec_follows_the_logical_row_major_order_of_views() {
    let x = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert_eq!(x.t().to_vec(), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
}

#[test]
fn as_slice_view_array_into_array() {
    let x = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(x.as_slice(), Some(&[1.0, 2.0, 3.0, 4.0][..]));
    // The transpose is a strided view: not a row-major slice.
    assert_eq!(x.t().as_slice(), None);
    assert_eq!(
        x.t().to_contiguous().as_slice(),
        Some(&[1.0, 3.0, 2.0, 4.0][..])
    );

    let v = x.view();
    assert_eq!(v.shape(), &[2, 2]);
    assert_eq!(v[[1, 0]], 3.0);
    assert_eq!(x.array()[[0, 1]], 2.0);

    let a: ArrayD<f64> = x.clone().into_array();
    assert_eq!(a, array![[1.0, 2.0], [3.0, 4.0]].into_dyn());
    assert_eq!(a.shape(), &[2, 2]);
    // Unwrapping a shared tensor copies; the other clone is untouched.
    let mut b = x.clone().into_array();
    b[[0, 0]] = 100.0;
    assert_eq!(x.at([0, 0]), 1.0);
}

#[test]
fn view_mut_writes_and_copies_on_write() {
    let mut x = Tensor::from([1.0, 2.0, 3.0]);
    let y = x.clone();
    assert!(x.shares_storage_with(&y));
    x.view_mut()[[1]] = 20.0;
    assert_eq!(x.to_vec(), vec![1.0, 20.0, 3.0]);
    assert_eq!(y.to_vec(), vec![1.0, 2.0, 3.0]);
    assert!(!x.shares_storage_with(&y));
    let mut d = x.view_mut();
    d[IxDyn(&[2])] = 30.0;
    assert_eq!(x.to_vec(), vec![1.0, 20.0, 30.0]);
}

#[test]
fn cast_between_f32_and_f64() {
    let x: Tensor<f32> = Tensor::from([0.5, -1.25, 3.0]);
    let y: Tensor<f64> = x.cast();
    assert_eq!(y.to_vec(), vec![0.5, -1.25, 3.0]);
    assert_eq!(y.shape(), &[3]);

    // f64 → f32 rounds to nearest.
    let z: Tensor<f64> = Tensor::from([[0.1, 1.0 / 3.0]]);
    let w: Tensor<f32> = z.cast();
    assert_eq!(w.shape(), &[1, 2]);
    assert_eq!(w.to_vec(), vec![0.1f32, 1.0f32 / 3.0]);
    // Casting to the same type is the identity.
    assert_eq!(z.cast::<f64>(), z);
    // A transposed view casts in its logical order.
    let m = Tensor::from([[1.0f64, 2.0], [3.0, 4.0]]);
    assert_eq!(m.t().cast::<f32>().to_vec(), vec![1.0f32, 3.0, 2.0, 4.0]);
}

// ----- printing -------------------------------------------------------------

#[test]
fn display_prints_nested_rows() {
    let x = Tensor::from([[1.0f32, 2.0], [3.0, 4.0]]);
    assert_eq!(format!("{x:.1}"), "[[1.0, 2.0],\n [3.0, 4.0]]");
    assert_eq!(format!("{x}"), "[[1, 2],\n [3, 4]]");
    assert_eq!(
        format!("{:.2}", Tensor::from([0.5f64, -1.0])),
        "[0.50, -1.00]"
    );
    assert_eq!(format!("{}", Tensor::scalar(2.5f64)), "2.5");
}

#[test]
fn debug_names_the_type_and_shape() {
    let x = Tensor::from([[1.0f32, 2.0], [3.0, 4.0]]);
    assert_eq!(format!("{x:?}"), "Tensor<f32>[2, 2] [[1, 2],\n [3, 4]]");
    let y = Tensor::from([0.5f64]);
    assert_eq!(format!("{y:?}"), "Tensor<f64>[1] [0.5]");
    assert_eq!(format!("{:?}", Tensor::scalar(1.0f64)), "Tensor<f64>[] 1");
}

// ----- equality -------------------------------------------------------------

#[test]
fn partial_eq_compares_shape_and_values() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(a, a.clone());
    assert_ne!(a, Tensor::from([[1.0, 2.0], [3.0, 5.0]]));
    // Same elements, different shape: not equal.
    assert_ne!(a, Tensor::from([1.0, 2.0, 3.0, 4.0]));
    // A transposed view equals the contiguous transpose.
    assert_eq!(a.t(), Tensor::from([[1.0, 3.0], [2.0, 4.0]]));
}

#[test]
fn approx_traits_on_tensors() {
    let a = Tensor::from([0.1 + 0.2, 1.0]);
    let b = Tensor::from([0.3, 1.0]);
    assert_ne!(a, b);
    assert_relative_eq!(a, b);
    assert_abs_diff_eq!(a, b);
    assert_ulps_eq!(a, b);
    assert_relative_eq!(a, Tensor::from([0.31, 1.0]), epsilon = 0.02);
    assert_relative_ne!(a, Tensor::from([0.31, 1.0]));
    assert_abs_diff_eq!(a, Tensor::from([0.35, 1.0]), epsilon = 0.1);
    assert_ulps_eq!(
        Tensor::from([1.0f32]),
        Tensor::from([1.0f32 + f32::EPSILON]),
        max_ulps = 1
    );

    // f32 with its own default epsilon.
    let c = Tensor::from([0.1f32 + 0.2]);
    assert_relative_eq!(c, Tensor::from([0.3f32]));
}

#[test]
fn approx_unequal_shapes_are_never_equal() {
    use approx::{AbsDiffEq, RelativeEq, UlpsEq};
    let row = Tensor::from([[1.0, 2.0]]);
    let col = Tensor::from([[1.0], [2.0]]);
    let flat = Tensor::from([1.0, 2.0]);
    assert!(!row.abs_diff_eq(&col, 1e9));
    assert!(!row.relative_eq(&flat, 1e9, 1e9));
    assert!(!row.ulps_eq(&flat, 1e9, u32::MAX));
    assert_relative_ne!(row, col, epsilon = 1e9);
    // A prefix must not compare equal to a longer tensor either.
    assert!(!Tensor::from([1.0]).abs_diff_eq(&Tensor::from([1.0, 1.0]), 1e9));
    assert!(Tensor::from([1.0]).abs_diff_eq(&Tensor::from([1.0]), 0.0));
}

#[test]
fn approx_sees_nan_as_unequal() {
    let a = Tensor::from([f64::NAN]);
    assert_relative_ne!(a, a.clone());
}

// ----- the Float trait --------------------------------------------------------

/// A function generic over the element type needs only `T: Float`.
fn mean_of_squares<T: tensor::Float>(x: &Tensor<T>) -> T {
    x.map(|v| v * v).sum() / T::from_usize(x.len())
}

#[test]
fn float_trait_for_f32_and_f64() {
    use tensor::Float;
    assert_eq!(<f32 as Float>::NAME, "f32");
    assert_eq!(<f64 as Float>::NAME, "f64");
    assert_eq!(<f32 as Float>::from_f64(0.1), 0.1f32);
    assert_eq!(<f64 as Float>::from_f64(0.1), 0.1f64);
    assert_eq!(Float::to_f64(0.1f32), 0.10000000149011612);
    assert_eq!(<f64 as Float>::from_usize(7), 7.0);
    assert_eq!(mean_of_squares(&Tensor::from([1.0f32, 3.0])), 5.0f32);
    assert_eq!(mean_of_squares(&Tensor::from([1.0f64, 2.0])), 2.5f64);
    let a = <f64 as Float>::sample_standard_normal(&mut StdRng::seed_from_u64(5));
    let b = <f64 as Float>::sample_standard_normal(&mut StdRng::seed_from_u64(5));
    assert_eq!(a, b);
    assert!(a.is_finite());
}
