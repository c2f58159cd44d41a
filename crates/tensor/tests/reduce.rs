//! Reductions over everything and along one axis.

use tensor::Tensor;

fn a23() -> Tensor<f64> {
    Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
}

fn cube() -> Tensor<f64> {
    Tensor::arange(24).reshape([2, 3, 4])
}

// ----- over all elements ------------------------------------------------------

#[test]
fn sum_mean_max_min_argmax() {
    let a = a23();
    assert_eq!(a.sum(), 21.0);
    assert_eq!(a.mean(), 3.5);
    assert_eq!(a.max(), 6.0);
    assert_eq!(a.min(), 1.0);
    assert_eq!(a.argmax(), 5);
    let b = Tensor::from([[3.0f32, -7.0], [9.0, 0.5]]);
    assert_eq!(b.sum(), 5.5f32);
    assert_eq!(b.mean(), 1.375f32);
    assert_eq!(b.max(), 9.0f32);
    assert_eq!(b.min(), -7.0f32);
    assert_eq!(b.argmax(), 2);
    // A transposed view: argmax is the position in its own row-major order.
    assert_eq!(b.t().argmax(), 1);
    let s = Tensor::scalar(4.0);
    assert_eq!(
        (s.sum(), s.mean(), s.max(), s.min(), s.argmax()),
        (4.0, 4.0, 4.0, 4.0, 0)
    );
}

#[test]
fn sum_of_an_empty_tensor_is_zero() {
    let e: Tensor<f64> = Tensor::zeros([0, 3]);
    assert_eq!(e.sum(), 0.0);
    assert_eq!(e.sum_axis(0).to_vec(), vec![0.0, 0.0, 0.0]);
    assert_eq!(e.sum_axis(1).shape(), &[0]);
}

#[test]
fn argmax_picks_the_first_of_ties() {
    assert_eq!(Tensor::from([3.0, 1.0, 3.0]).argmax(), 0);
    assert_eq!(Tensor::from([1.0, 3.0, 3.0]).argmax(), 1);
    assert_eq!(Tensor::from([2.0, 2.0, 2.0]).argmax(), 0);
    let m = Tensor::from([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]);
    assert_eq!(m.argmax_axis(1), vec![1, 0]);
    assert_eq!(m.argmax_axis(0), vec![1, 0, 0]);
    assert_eq!(m.argmax(), 1);
}

#[test]
fn argmax_with_infinities() {
    let ninf = f64::NEG_INFINITY;
    assert_eq!(Tensor::from([ninf, ninf]).argmax(), 0);
    assert_eq!(Tensor::from([ninf, ninf, -1.0]).argmax(), 2);
    assert_eq!(
        Tensor::from([1.0, f64::INFINITY, f64::INFINITY]).argmax(),
        1
    );
    assert_eq!(
        Tensor::from([[ninf, ninf], [ninf, 0.0]]).argmax_axis(1),
        vec![0, 1]
    );
}

#[test]
fn argmax_treats_nan_as_the_largest() {
    // As NumPy: the first NaN wins.
    assert_eq!(Tensor::from([1.0, f64::NAN, 5.0]).argmax(), 1);
    assert_eq!(Tensor::from([f64::NAN, 5.0]).argmax(), 0);
    assert_eq!(Tensor::from([1.0, 5.0, f64::NAN, f64::NAN]).argmax(), 2);
    let m = Tensor::from([
        [1.0f32, f32::NAN, 5.0],
        [f32::NAN, f32::NAN, 0.0],
        [0.0, 2.0, 1.0],
    ]);
    assert_eq!(m.argmax_axis(1), vec![1, 0, 1]);
    assert_eq!(m.argmax_axis(0), vec![1, 0, 0]);
}

#[test]
fn max_min_propagate_nan_wherever_it_is() {
    for data in [
        [f64::NAN, 1.0, 2.0],
        [1.0, f64::NAN, 2.0],
        [1.0, 2.0, f64::NAN],
    ] {
        let x = Tensor::from(data);
        assert!(x.max().is_nan(), "max of {data:?}");
        assert!(x.min().is_nan(), "min of {data:?}");
        assert!(x.max_axis(0).item().is_nan(), "max_axis of {data:?}");
        assert!(x.sum().is_nan());
    }
    let m = Tensor::from([[f64::NAN, 1.0], [2.0, 3.0]]).max_axis(1);
    assert!(m.at([0]).is_nan());
    assert_eq!(m.at([1]), 3.0);
}

// ----- along an axis ----------------------------------------------------------------

#[test]
fn sum_axis_and_keepdims() {
    let a = a23();
    assert_eq!(a.sum_axis(0), Tensor::from([5.0, 7.0, 9.0]));
    assert_eq!(a.sum_axis(1), Tensor::from([6.0, 15.0]));
    assert_eq!(a.sum_keepdims(0), Tensor::from([[5.0, 7.0, 9.0]]));
    assert_eq!(a.sum_keepdims(1), Tensor::from([[6.0], [15.0]]));
    let v = Tensor::from([1.0f32, 2.0, 3.5]);
    let s = v.sum_axis(0);
    assert_eq!(s.shape(), &[] as &[usize]);
    assert_eq!(s.item(), 6.5f32);
    assert_eq!(v.sum_keepdims(0).shape(), &[1]);
    assert_eq!(v.sum_keepdims(0).to_vec(), vec![6.5f32]);
}

#[test]
fn sum_axis_three_dimensional() {
    let c = cube();
    // c[i, j, k] = 12 i + 4 j + k
    assert_eq!(
        c.sum_axis(0),
        Tensor::from([
            [12.0, 14.0, 16.0, 18.0],
            [20.0, 22.0, 24.0, 26.0],
            [28.0, 30.0, 32.0, 34.0]
        ])
    );
    assert_eq!(
        c.sum_axis(1),
        Tensor::from([[12.0, 15.0, 18.0, 21.0], [48.0, 51.0, 54.0, 57.0]])
    );
    assert_eq!(
        c.sum_axis(2),
        Tensor::from([[6.0, 22.0, 38.0], [54.0, 70.0, 86.0]])
    );
    assert_eq!(c.sum_keepdims(1).shape(), &[2, 1, 4]);
    assert_eq!(c.sum_keepdims(1).reshape([2, 4]), c.sum_axis(1));
}

#[test]
fn reductions_of_transposed_views() {
    let t = a23().t(); // [[1, 4], [2, 5], [3, 6]]
    assert_eq!(t.sum_axis(0), Tensor::from([6.0, 15.0]));
    assert_eq!(t.sum_axis(1), Tensor::from([5.0, 7.0, 9.0]));
    assert_eq!(t.sum_keepdims(1), Tensor::from([[5.0], [7.0], [9.0]]));
    assert_eq!(t.max_axis(0), Tensor::from([3.0, 6.0]));
    assert_eq!(t.argmax_axis(0), vec![2, 2]);
    assert_eq!(t.argmax_axis(1), vec![1, 1, 1]);
    assert_eq!(t.mean_keepdims(0), Tensor::from([[2.0, 5.0]]));
}

#[test]
fn mean_axis_and_keepdims() {
    let a = a23();
    assert_eq!(a.mean_axis(0), Tensor::from([2.5, 3.5, 4.5]));
    assert_eq!(a.mean_axis(1), Tensor::from([2.0, 5.0]));
    assert_eq!(a.mean_keepdims(0), Tensor::from([[2.5, 3.5, 4.5]]));
    assert_eq!(a.mean_keepdims(1), Tensor::from([[2.0], [5.0]]));
    let f = Tensor::from([[1.0f32, 2.0], [4.0, 8.0]]);
    assert_eq!(f.mean_axis(0).to_vec(), vec![2.5f32, 5.0]);
    assert_eq!(f.mean_keepdims(1), Tensor::from([[1.5f32], [6.0]]));
    let c = cube();
    assert_eq!(
        c.mean_axis(2),
        Tensor::from([[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]])
    );
    assert_eq!(c.mean_keepdims(0).shape(), &[1, 3, 4]);
    assert_eq!(c.mean_keepdims(0).at([0, 2, 3]), 17.0);
}

#[test]
fn mean_axis_of_a_vector_is_the_mean() {
    // The same division as `mean`, so the two agree to the last bit:
    // 7 / 10 = 0.7, whereas 7 · (1/10) = 0.7000000000000001.
    let x = Tensor::from([3.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(x.mean(), 0.7);
    assert_eq!(x.mean_axis(0).item(), x.mean());
    assert_eq!(x.mean_keepdims(0).item(), x.mean());
    let y = Tensor::from([[0.1f32, 0.2, 0.4]]);
    assert_eq!(y.mean_axis(1).item(), y.mean());
}

#[test]
fn centring_with_mean_keepdims() {
    let x = Tensor::from([[1.0, 2.0, 6.0], [0.0, 4.0, 8.0]]);
    let centred = &x - &x.mean_keepdims(1);
    assert_eq!(centred, Tensor::from([[-2.0, -1.0, 3.0], [-4.0, 0.0, 4.0]]));
    let centred = &x - &x.mean_keepdims(0);
    assert_eq!(centred, Tensor::from([[0.5, -1.0, -1.0], [-0.5, 1.0, 1.0]]));
}

#[test]
fn max_axis_and_keepdims() {
    let a = Tensor::from([[1.0, 9.0, 3.0], [4.0, 5.0, -6.0]]);
    assert_eq!(a.max_axis(0), Tensor::from([4.0, 9.0, 3.0]));
    assert_eq!(a.max_axis(1), Tensor::from([9.0, 5.0]));
    assert_eq!(a.max_keepdims(0), Tensor::from([[4.0, 9.0, 3.0]]));
    assert_eq!(a.max_keepdims(1), Tensor::from([[9.0], [5.0]]));
    // All negative, including -∞: the fold's start value never leaks out.
    let n = Tensor::from([[-3.0f32, -1.0], [f32::NEG_INFINITY, f32::NEG_INFINITY]]);
    assert_eq!(n.max_axis(1).to_vec(), vec![-1.0f32, f32::NEG_INFINITY]);
    assert_eq!(
        cube().max_axis(1),
        Tensor::from([[8.0, 9.0, 10.0, 11.0], [20.0, 21.0, 22.0, 23.0]])
    );
    // Softmax's stability shift: every row's maximum becomes 0.
    let shifted = &a - &a.max_keepdims(1);
    assert_eq!(shifted.max_axis(1).to_vec(), vec![0.0, 0.0]);
}

#[test]
fn argmax_axis_gives_the_predicted_classes() {
    let scores = Tensor::from([[0.1, 2.0, 0.3], [5.0, 1.0, 0.0], [0.0, 0.0, 0.5]]);
    assert_eq!(scores.argmax_axis(1), vec![1, 0, 2]);
    assert_eq!(scores.argmax_axis(0), vec![1, 0, 2]);
    // 3-d: the remaining axes in row-major order.
    let c = cube();
    assert_eq!(c.argmax_axis(2), vec![3; 6]);
    assert_eq!(c.argmax_axis(1), vec![2; 8]);
    assert_eq!(c.argmax_axis(0), vec![1; 12]);
    let d = Tensor::from([[[0.0, 9.0], [1.0, 2.0]], [[5.0, 3.0], [4.0, 8.0]]]);
    assert_eq!(d.argmax_axis(1), vec![1, 0, 0, 1]);
    assert_eq!(d.argmax_axis(2), vec![1, 1, 0, 1]);
    assert_eq!(Tensor::from([0.0f32, 3.0, 1.0]).argmax_axis(0), vec![1]);
}

#[test]
fn keep_axis_inserts_a_length_one_axis() {
    let a = a23();
    assert_eq!(a.keep_axis(0).shape(), &[1, 2, 3]);
    assert_eq!(a.keep_axis(1).shape(), &[2, 1, 3]);
    assert_eq!(a.keep_axis(2).shape(), &[2, 3, 1]);
    assert_eq!(a.keep_axis(1).to_vec(), a.to_vec());
    assert_eq!(Tensor::scalar(1.0).keep_axis(0).shape(), &[1]);
    // On a view, the logical order is kept.
    assert_eq!(
        a.t().keep_axis(0),
        Tensor::from([[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]])
    );
}
