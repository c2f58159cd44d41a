//! Element-wise arithmetic with broadcasting, in-place updates and
//! copy-on-write.

use approx::assert_relative_eq;
use tensor::{Tensor, broadcast_shape};

fn m23() -> Tensor<f64> {
    Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
}

// ----- broadcast_shape ----------------------------------------------------------

#[test]
fn broadcast_shape_follows_numpy() {
    assert_eq!(broadcast_shape(&[2, 3], &[2, 3]), Some(vec![2, 3]));
    assert_eq!(broadcast_shape(&[4, 3], &[3]), Some(vec![4, 3]));
    assert_eq!(broadcast_shape(&[3], &[4, 3]), Some(vec![4, 3]));
    assert_eq!(broadcast_shape(&[4, 1], &[1, 3]), Some(vec![4, 3]));
    assert_eq!(broadcast_shape(&[4, 1], &[3]), Some(vec![4, 3]));
    assert_eq!(broadcast_shape(&[2, 1, 5], &[3, 1]), Some(vec![2, 3, 5]));
    assert_eq!(broadcast_shape(&[], &[2, 3]), Some(vec![2, 3]));
    assert_eq!(broadcast_shape(&[], &[]), Some(vec![]));
    assert_eq!(broadcast_shape(&[1], &[]), Some(vec![1]));
    // A length-0 axis broadcasts against 1 (and only against 1 or 0).
    assert_eq!(broadcast_shape(&[0, 3], &[1, 3]), Some(vec![0, 3]));
    assert_eq!(broadcast_shape(&[0], &[3]), None);
    assert_eq!(broadcast_shape(&[4, 3], &[4]), None);
    assert_eq!(broadcast_shape(&[2, 3], &[3, 2]), None);
    assert_eq!(broadcast_shape(&[2, 3, 4], &[5, 4]), None);
}

// ----- the four operators, same shape -------------------------------------------

#[test]
fn operators_on_equal_shapes_f64() {
    let a = m23();
    let b = Tensor::from([[6.0, 5.0, 4.0], [3.0, 2.0, 1.0]]);
    assert_eq!(&a + &b, Tensor::from([[7.0; 3]; 2]));
    assert_eq!(&a - &b, Tensor::from([[-5.0, -3.0, -1.0], [1.0, 3.0, 5.0]]));
    assert_eq!(
        &a * &b,
        Tensor::from([[6.0, 10.0, 12.0], [12.0, 10.0, 6.0]])
    );
    assert_eq!(
        &a / &b,
        Tensor::from([[1.0 / 6.0, 0.4, 0.75], [4.0 / 3.0, 2.5, 6.0]])
    );
}

#[test]
fn operators_on_equal_shapes_f32() {
    let a = Tensor::from([1.0f32, 2.0, 3.0]);
    let b = Tensor::from([4.0f32, 5.0, 8.0]);
    assert_eq!((&a + &b).to_vec(), vec![5.0f32, 7.0, 11.0]);
    assert_eq!((&a - &b).to_vec(), vec![-3.0f32, -3.0, -5.0]);
    assert_eq!((&a * &b).to_vec(), vec![4.0f32, 10.0, 24.0]);
    assert_eq!((&a / &b).to_vec(), vec![0.25f32, 0.4, 0.375]);
}

#[test]
fn every_owned_and_borrowed_combination() {
    let a = Tensor::from([1.0, 2.0]);
    let b = Tensor::from([10.0, 20.0]);
    let expected = Tensor::from([11.0, 22.0]);
    assert_eq!(&a + &b, expected);
    assert_eq!(a.clone() + &b, expected);
    assert_eq!(&a + b.clone(), expected);
    assert_eq!(a.clone() + b.clone(), expected);
    assert_eq!(a.clone() - b.clone(), Tensor::from([-9.0, -18.0]));
    assert_eq!(&a - b.clone(), Tensor::from([-9.0, -18.0]));
    assert_eq!(a.clone() * &b, Tensor::from([10.0, 40.0]));
    assert_eq!(&a * b.clone(), Tensor::from([10.0, 40.0]));
    assert_eq!(b.clone() / a.clone(), Tensor::from([10.0, 10.0]));
    assert_eq!(b.clone() / &a, Tensor::from([10.0, 10.0]));
    // Operands are not consumed by the borrowed forms.
    assert_eq!(a.to_vec(), vec![1.0, 2.0]);
}

#[test]
fn negation() {
    let a = Tensor::from([1.0, -2.0, 0.0]);
    assert_eq!((-&a).to_vec(), vec![-1.0, 2.0, 0.0]);
    assert_eq!((-a).to_vec(), vec![-1.0, 2.0, 0.0]);
    assert_eq!((-Tensor::from([3.0f32])).to_vec(), vec![-3.0f32]);
}

// ----- broadcasting through every operator -----------------------------------------

#[test]
fn row_vector_broadcasts_over_rows() {
    let a = m23();
    let r = Tensor::from([10.0, 20.0, 30.0]);
    assert_eq!(
        &a + &r,
        Tensor::from([[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]])
    );
    assert_eq!(
        &r + &a,
        Tensor::from([[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]])
    );
    assert_eq!(
        &a - &r,
        Tensor::from([[-9.0, -18.0, -27.0], [-6.0, -15.0, -24.0]])
    );
    assert_eq!(
        &r - &a,
        Tensor::from([[9.0, 18.0, 27.0], [6.0, 15.0, 24.0]])
    );
    assert_eq!(
        &a * &r,
        Tensor::from([[10.0, 40.0, 90.0], [40.0, 100.0, 180.0]])
    );
    assert_eq!(&r / &a, Tensor::from([[10.0, 10.0, 10.0], [2.5, 4.0, 5.0]]));
    assert_eq!(&a / &r, Tensor::from([[0.1, 0.1, 0.1], [0.4, 0.25, 0.2]]));
}

#[test]
fn column_vector_broadcasts_over_columns() {
    let a = m23();
    let c = Tensor::from([[1.0], [2.0]]); // [2, 1]
    assert_eq!(&a + &c, Tensor::from([[2.0, 3.0, 4.0], [6.0, 7.0, 8.0]]));
    assert_eq!(&a - &c, Tensor::from([[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]]));
    assert_eq!(&a * &c, Tensor::from([[1.0, 2.0, 3.0], [8.0, 10.0, 12.0]]));
    assert_eq!(&a / &c, Tensor::from([[1.0, 2.0, 3.0], [2.0, 2.5, 3.0]]));
    assert_eq!(
        &c / &a,
        Tensor::from([[1.0, 0.5, 1.0 / 3.0], [0.5, 0.4, 1.0 / 3.0]])
    );
}

#[test]
fn outer_sum_and_product_of_column_and_row() {
    let c = Tensor::from([[1.0f32], [2.0], [3.0]]); // [3, 1]
    let r = Tensor::from([[10.0f32, 20.0]]); // [1, 2]
    let s = &c + &r;
    assert_eq!(s.shape(), &[3, 2]);
    assert_eq!(s.to_vec(), vec![11.0f32, 21.0, 12.0, 22.0, 13.0, 23.0]);
    let p = &r * &c;
    assert_eq!(p.shape(), &[3, 2]);
    assert_eq!(p.to_vec(), vec![10.0f32, 20.0, 20.0, 40.0, 30.0, 60.0]);
    // A 1-d vector against a column: [3, 1] op [2] → [3, 2].
    let d = &c - &Tensor::from([1.0f32, 2.0]);
    assert_eq!(d.shape(), &[3, 2]);
    assert_eq!(d.to_vec(), vec![0.0f32, -1.0, 1.0, 0.0, 2.0, 1.0]);
}

#[test]
fn zero_dimensional_tensor_broadcasts_everywhere() {
    let a = m23();
    let s = Tensor::scalar(2.0);
    assert_eq!(&a * &s, &a * 2.0);
    assert_eq!(&s * &a, &a * 2.0);
    assert_eq!(
        &s - &a,
        Tensor::from([[1.0, 0.0, -1.0], [-2.0, -3.0, -4.0]])
    );
    assert_eq!(&a / &s, Tensor::from([[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]));
    let ss = &s + &Tensor::scalar(3.0);
    assert_eq!(ss.ndim(), 0);
    assert_eq!(ss.item(), 5.0);
}

#[test]
fn three_dimensional_broadcast() {
    // [2, 1, 3] + [2, 1] → [2, 2, 3]
    let a = Tensor::from([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]]);
    let b = Tensor::from([[10.0], [20.0]]);
    let c = &a + &b;
    assert_eq!(c.shape(), &[2, 2, 3]);
    assert_eq!(
        c.to_vec(),
        vec![
            11.0, 12.0, 13.0, 21.0, 22.0, 23.0, 14.0, 15.0, 16.0, 24.0, 25.0, 26.0
        ]
    );
}

#[test]
fn broadcasting_with_an_empty_axis() {
    let e: Tensor<f64> = Tensor::zeros([0, 3]);
    let r = Tensor::from([1.0, 2.0, 3.0]);
    let s = &e + &r;
    assert_eq!(s.shape(), &[0, 3]);
    assert!(s.is_empty());
}

#[test]
fn operators_on_transposed_views() {
    let a = m23();
    let b = Tensor::from([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]);
    // a.t() is [3, 2] with strides; the arithmetic is logical.
    assert_eq!(
        &a.t() + &b,
        Tensor::from([[2.0, 5.0], [4.0, 7.0], [6.0, 9.0]])
    );
    assert_eq!(
        &a.t() * &a.t(),
        Tensor::from([[1.0, 16.0], [4.0, 25.0], [9.0, 36.0]])
    );
    assert_eq!(
        &a.t() - &Tensor::from([1.0, 4.0]),
        Tensor::from([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    );
}

// ----- scalars on either side -------------------------------------------------------

#[test]
fn scalar_on_the_right() {
    let a = Tensor::from([1.0, 2.0, 4.0]);
    assert_eq!((&a + 1.0).to_vec(), vec![2.0, 3.0, 5.0]);
    assert_eq!((&a - 1.0).to_vec(), vec![0.0, 1.0, 3.0]);
    assert_eq!((&a * 3.0).to_vec(), vec![3.0, 6.0, 12.0]);
    assert_eq!((&a / 2.0).to_vec(), vec![0.5, 1.0, 2.0]);
    assert_eq!((a.clone() + 1.0).to_vec(), vec![2.0, 3.0, 5.0]);
    assert_eq!((a.clone() - 1.0).to_vec(), vec![0.0, 1.0, 3.0]);
    assert_eq!((a.clone() * 3.0).to_vec(), vec![3.0, 6.0, 12.0]);
    assert_eq!((a / 2.0).to_vec(), vec![0.5, 1.0, 2.0]);
}

#[test]
fn scalar_on_the_left_f64() {
    let t: Tensor<f64> = Tensor::from([1.0, 2.0, 4.0]);
    assert_eq!((2.0 * &t).to_vec(), vec![2.0, 4.0, 8.0]);
    assert_eq!((1.0 + &t).to_vec(), vec![2.0, 3.0, 5.0]);
    // Not commutative: the scalar is the left operand.
    assert_eq!((1.0 - &t).to_vec(), vec![0.0, -1.0, -3.0]);
    assert_eq!((8.0 / &t).to_vec(), vec![8.0, 4.0, 2.0]);
    assert_eq!((2.0 * t.clone()).to_vec(), vec![2.0, 4.0, 8.0]);
    assert_eq!((1.0 + t.clone()).to_vec(), vec![2.0, 3.0, 5.0]);
    assert_eq!((1.0 - t.clone()).to_vec(), vec![0.0, -1.0, -3.0]);
    assert_eq!((8.0 / t).to_vec(), vec![8.0, 4.0, 2.0]);
}

#[test]
fn scalar_on_the_left_f32() {
    let t: Tensor = Tensor::from([1.0, 2.0, 4.0]);
    assert_eq!((2.0 * &t).to_vec(), vec![2.0f32, 4.0, 8.0]);
    assert_eq!((1.0 + &t).to_vec(), vec![2.0f32, 3.0, 5.0]);
    assert_eq!((1.0 - &t).to_vec(), vec![0.0f32, -1.0, -3.0]);
    assert_eq!((8.0 / &t).to_vec(), vec![8.0f32, 4.0, 2.0]);
    assert_eq!((2.0 * t.clone()).to_vec(), vec![2.0f32, 4.0, 8.0]);
    assert_eq!((1.0 + t.clone()).to_vec(), vec![2.0f32, 3.0, 5.0]);
    assert_eq!((1.0 - t.clone()).to_vec(), vec![0.0f32, -1.0, -3.0]);
    assert_eq!((8.0 / t).to_vec(), vec![8.0f32, 4.0, 2.0]);
}

#[test]
fn scalar_ops_keep_the_shape() {
    let a = m23();
    assert_eq!((2.0 * &a).shape(), &[2, 3]);
    assert_eq!(
        (&a.t() * 2.0),
        Tensor::from([[2.0, 8.0], [4.0, 10.0], [6.0, 12.0]])
    );
    let s = Tensor::scalar(3.0f32);
    assert_eq!((1.0 - &s).item(), -2.0);
}

// ----- zip_map and map -----------------------------------------------------------------

#[test]
fn zip_map_broadcasts() {
    let a = Tensor::from([[1.0, 5.0], [7.0, 2.0]]);
    let b = Tensor::from([3.0, 4.0]);
    assert_eq!(
        a.zip_map(&b, f64::max),
        Tensor::from([[3.0, 5.0], [7.0, 4.0]])
    );
    assert_eq!(
        b.zip_map(&a, |x, y| x - y),
        Tensor::from([[2.0, -1.0], [-4.0, 2.0]])
    );
}

#[test]
fn map_applies_to_every_element() {
    let a = Tensor::from([[1.0f32, -2.0], [3.0, -4.0]]);
    assert_eq!(
        a.map(|v| v * v + 1.0),
        Tensor::from([[2.0f32, 5.0], [10.0, 17.0]])
    );
    assert_eq!(
        a.t().map(|v| v * 10.0),
        Tensor::from([[10.0f32, 30.0], [-20.0, -40.0]])
    );
}

// ----- in-place updates --------------------------------------------------------------------

#[test]
fn add_assign_and_sub_assign() {
    let mut a = m23();
    a += &Tensor::from([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]);
    assert_eq!(a, Tensor::from([[2.0, 3.0, 4.0], [6.0, 7.0, 8.0]]));
    // The right side broadcasts to the left's shape.
    a += &Tensor::from([10.0, 20.0, 30.0]);
    assert_eq!(a, Tensor::from([[12.0, 23.0, 34.0], [16.0, 27.0, 38.0]]));
    a -= &Tensor::from([[2.0], [6.0]]);
    assert_eq!(a, Tensor::from([[10.0, 21.0, 32.0], [10.0, 21.0, 32.0]]));
    a -= &Tensor::scalar(10.0);
    assert_eq!(a, Tensor::from([[0.0, 11.0, 22.0], [0.0, 11.0, 22.0]]));

    let mut f = Tensor::from([1.0f32, 2.0]);
    f += &Tensor::from([0.5f32, 0.25]);
    assert_eq!(f.to_vec(), vec![1.5f32, 2.25]);
    f -= &Tensor::from([1.5f32, 0.25]);
    assert_eq!(f.to_vec(), vec![0.0f32, 2.0]);
}

#[test]
fn gradients_accumulate_with_add_assign() {
    // Adding twice is adding the sum: `+=` never overwrites.
    let mut g: Tensor<f64> = Tensor::zeros([2]);
    let d = Tensor::from([1.0, -2.0]);
    g += &d;
    g += &d;
    assert_eq!(g.to_vec(), vec![2.0, -4.0]);
}

#[test]
fn mul_assign_scales() {
    let mut a = Tensor::from([1.0, -2.0, 3.0]);
    a *= 0.5;
    assert_eq!(a.to_vec(), vec![0.5, -1.0, 1.5]);
    let mut b = Tensor::from([[2.0f32]]);
    b *= -3.0;
    assert_eq!(b.to_vec(), vec![-6.0f32]);
}

#[test]
fn scaled_add_is_the_sgd_update() {
    let mut w = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let dw = Tensor::from([[1.0, -1.0], [2.0, 0.0]]);
    w.scaled_add(-0.5, &dw);
    assert_eq!(w, Tensor::from([[0.5, 2.5], [2.0, 4.0]]));
    // Broadcast right-hand side.
    w.scaled_add(2.0, &Tensor::from([1.0, 10.0]));
    assert_eq!(w, Tensor::from([[2.5, 22.5], [4.0, 24.0]]));
    let mut f = Tensor::from([1.0f32]);
    f.scaled_add(3.0, &Tensor::scalar(2.0f32));
    assert_eq!(f.to_vec(), vec![7.0f32]);
}

#[test]
fn assign_fill_map_inplace() {
    let mut a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    a.assign(&Tensor::from([[5.0, 6.0], [7.0, 8.0]]));
    assert_eq!(a, Tensor::from([[5.0, 6.0], [7.0, 8.0]]));
    // Assigning a transposed view copies in logical order.
    let b = a.t();
    a.assign(&b);
    assert_eq!(a, Tensor::from([[5.0, 7.0], [6.0, 8.0]]));
    a.fill(0.25);
    assert_eq!(a.to_vec(), vec![0.25; 4]);
    a.map_inplace(|v| v * 4.0 + 1.0);
    assert_eq!(a.to_vec(), vec![2.0; 4]);
    let mut f = Tensor::from([1.0f32, 4.0]);
    f.map_inplace(f32::sqrt);
    assert_eq!(f.to_vec(), vec![1.0f32, 2.0]);
}

#[test]
fn in_place_ops_on_a_transposed_view_keep_logical_order() {
    let mut t = m23().t(); // [3, 2], strided
    t += &Tensor::from([100.0, 200.0]);
    assert_eq!(
        t,
        Tensor::from([[101.0, 204.0], [102.0, 205.0], [103.0, 206.0]])
    );
}

// ----- copy on write --------------------------------------------------------------------------

#[test]
fn clone_shares_storage_until_written() {
    let a = m23();
    let b = a.clone();
    assert!(a.shares_storage_with(&b));
    assert!(b.shares_storage_with(&a));
    let c = m23();
    assert!(!a.shares_storage_with(&c));
    // Views made without copying share storage.
    assert!(a.t().shares_storage_with(&a));
    assert!(a.reshape([3, 2]).shares_storage_with(&a));
    assert!(a.reshape([6]).shares_storage_with(&a));
    assert!(a.permute([1, 0]).shares_storage_with(&a));
    // Operations that compute something make new storage.
    assert!(!(&a + 0.0).shares_storage_with(&a));
    assert!(!a.select_rows(&[0, 1]).shares_storage_with(&a));
    assert!(!a.t().to_contiguous().shares_storage_with(&a));
    assert!(a.to_contiguous().shares_storage_with(&a));
}

#[test]
fn in_place_ops_never_change_a_clone() {
    type Update = fn(&mut Tensor<f64>);
    let updates: [(&str, Update); 8] = [
        ("+=", |x| *x += &Tensor::scalar(1.0)),
        ("-=", |x| *x -= &Tensor::scalar(1.0)),
        ("*=", |x| *x *= 2.0),
        ("scaled_add", |x| x.scaled_add(2.0, &Tensor::ones([3]))),
        ("assign", |x| x.assign(&Tensor::zeros([2, 3]))),
        ("fill", |x| x.fill(9.0)),
        ("map_inplace", |x| x.map_inplace(|v| -v)),
        ("view_mut", |x| x.view_mut()[[0, 0]] = 42.0),
    ];
    for (name, update) in updates {
        let mut a = m23();
        let b = a.clone();
        let t = a.t();
        update(&mut a);
        assert_ne!(a, m23(), "{name} did not change the tensor");
        assert_eq!(b, m23(), "{name} changed a clone");
        assert_eq!(t, m23().t(), "{name} changed a transposed view");
        assert!(!a.shares_storage_with(&b), "{name} still shares storage");
    }
}

#[test]
fn a_unique_tensor_is_updated_without_copying() {
    let mut a = m23();
    let before = a.as_slice().unwrap().as_ptr();
    a += &Tensor::scalar(1.0);
    a *= 2.0;
    a.scaled_add(1.0, &Tensor::ones([3]));
    a.fill(0.0);
    assert_eq!(a.as_slice().unwrap().as_ptr(), before);
}

#[test]
fn written_clone_keeps_values_of_the_original() {
    let a = Tensor::from([1.0f32, 2.0]);
    let mut b = a.clone();
    b += &a;
    assert_eq!(a.to_vec(), vec![1.0f32, 2.0]);
    assert_eq!(b.to_vec(), vec![2.0f32, 4.0]);
}

#[test]
fn relative_results_of_mixed_operations() {
    // (a - mean) / std: broadcasting a keepdims reduction, as in normalisation.
    let x = Tensor::from([[1.0, 3.0], [2.0, 6.0]]);
    let mu = x.mean_keepdims(0); // [[1.5, 4.5]]
    let centred = &x - &mu;
    assert_eq!(centred, Tensor::from([[-0.5, -1.5], [0.5, 1.5]]));
    let sd = centred.powi(2).mean_keepdims(0).sqrt(); // [[0.5, 1.5]]
    assert_relative_eq!(&centred / &sd, Tensor::from([[-1.0, -1.0], [1.0, 1.0]]));
}
