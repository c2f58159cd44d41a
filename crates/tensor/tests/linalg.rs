//! Matrix products, transpose, permute, reshape.

use tensor::Tensor;

fn a23() -> Tensor<f64> {
    Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
}

// ----- matmul: the four 1-d / 2-d combinations --------------------------------

#[test]
fn matrix_times_matrix() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let b = Tensor::from([[5.0, 6.0], [7.0, 8.0]]);
    assert_eq!(a.matmul(&b), Tensor::from([[19.0, 22.0], [43.0, 50.0]]));
    assert_eq!(b.matmul(&a), Tensor::from([[23.0, 34.0], [31.0, 46.0]]));
    // Rectangular: [2, 3] x [3, 1] → [2, 1].
    let c = a23().matmul(&Tensor::from([[1.0], [0.0], [-1.0]]));
    assert_eq!(c, Tensor::from([[-2.0], [-2.0]]));
}

#[test]
fn matrix_times_matrix_f32() {
    let a = Tensor::from([[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    let b = Tensor::from([[1.0f32, 0.5], [0.0, 1.0], [2.0, -1.0]]);
    assert_eq!(a.matmul(&b), Tensor::from([[7.0f32, -0.5], [16.0, 1.0]]));
}

#[test]
fn matrix_times_vector() {
    // W is 3 x 2: it maps R² to R³.
    let w = Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    let y = w.matmul(&Tensor::from([1.0, 1.0]));
    assert_eq!(y.shape(), &[3]);
    assert_eq!(y.to_vec(), vec![3.0, 7.0, 11.0]);
    let f = Tensor::from([[2.0f32, 0.0], [0.0, 3.0]]).matmul(&Tensor::from([1.0f32, -1.0]));
    assert_eq!(f.to_vec(), vec![2.0f32, -3.0]);
}

#[test]
fn vector_times_matrix() {
    let w = Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    let y = Tensor::from([1.0, 1.0, 1.0]).matmul(&w);
    assert_eq!(y.shape(), &[2]);
    assert_eq!(y.to_vec(), vec![9.0, 12.0]);
    let z = Tensor::from([1.0, 0.0, -1.0]).matmul(&w);
    assert_eq!(z.to_vec(), vec![-4.0, -4.0]);
}

#[test]
fn vector_times_vector_is_the_dot_product() {
    let d = Tensor::from([1.0, 2.0, 3.0]).matmul(&Tensor::from([4.0, 5.0, 6.0]));
    assert_eq!(d.shape(), &[] as &[usize]);
    assert_eq!(d.item(), 32.0);
    let f = Tensor::from([0.5f32, 2.0]).matmul(&Tensor::from([4.0f32, 1.0]));
    assert_eq!(f.item(), 4.0f32);
}

#[test]
fn matmul_with_empty_inner_dimension_is_zero() {
    let a: Tensor<f64> = Tensor::zeros([2, 0]);
    let b: Tensor<f64> = Tensor::zeros([0, 3]);
    assert_eq!(a.matmul(&b), Tensor::zeros([2, 3]));
}

#[test]
fn matmul_of_transposed_operands() {
    let a = a23();
    // Aᵀ A: [3, 2] x [2, 3], the left operand a strided view.
    assert_eq!(
        a.t().matmul(&a),
        Tensor::from([[17.0, 22.0, 27.0], [22.0, 29.0, 36.0], [27.0, 36.0, 45.0]])
    );
    // A Aᵀ: the right operand a strided view.
    assert_eq!(a.matmul(&a.t()), Tensor::from([[14.0, 32.0], [32.0, 77.0]]));
    // Both transposed: Bᵀ Aᵀ = (A B)ᵀ.
    let b = Tensor::from([[1.0, 0.0], [2.0, 1.0], [0.0, -1.0]]);
    assert_eq!(b.t().matmul(&a.t()), a.matmul(&b).t());
    assert_eq!(a.matmul(&b), Tensor::from([[5.0, -1.0], [14.0, -1.0]]));
    // A transposed matrix times a vector.
    assert_eq!(
        a.t().matmul(&Tensor::from([1.0, -1.0])).to_vec(),
        vec![-3.0, -3.0, -3.0]
    );
    assert_eq!(
        Tensor::from([1.0, 1.0, 1.0]).matmul(&a.t()).to_vec(),
        vec![6.0, 15.0]
    );
}

#[test]
fn matmul_into_computes_alpha_ab_plus_beta_out() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let b = Tensor::from([[5.0, 6.0], [7.0, 8.0]]);
    let mut out = Tensor::from([[1.0, 1.0], [1.0, 1.0]]);
    a.matmul_into(&b, 2.0, 3.0, &mut out);
    assert_eq!(out, Tensor::from([[41.0, 47.0], [89.0, 103.0]]));
    // beta = 0 overwrites, even garbage.
    let mut out = Tensor::full([2, 2], f64::NAN);
    a.matmul_into(&b, 1.0, 0.0, &mut out);
    assert_eq!(out, a.matmul(&b));
    // beta = 1 accumulates: the gradient dW += Xᵀ dY.
    let mut acc = Tensor::from([[1.0, 0.0], [0.0, 1.0]]);
    a.matmul_into(&b, 1.0, 1.0, &mut acc);
    assert_eq!(acc, Tensor::from([[20.0, 22.0], [43.0, 51.0]]));
    // Transposed operands and f32.
    let x = Tensor::from([[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]]); // [3, 2]
    let dy = Tensor::from([[1.0f32], [0.0], [-1.0]]); // [3, 1]
    let mut dw: Tensor = Tensor::zeros([2, 1]);
    x.t().matmul_into(&dy, 1.0, 0.0, &mut dw);
    assert_eq!(dw, Tensor::from([[-4.0f32], [-4.0]]));
}

#[test]
fn matmul_into_copies_a_shared_output_first() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let mut out: Tensor<f64> = Tensor::zeros([2, 2]);
    let keep = out.clone();
    a.matmul_into(&a, 1.0, 0.0, &mut out);
    assert_eq!(out, Tensor::from([[7.0, 10.0], [15.0, 22.0]]));
    assert_eq!(keep, Tensor::zeros([2, 2]));
}

// ----- transpose, permute ---------------------------------------------------------

#[test]
fn transpose() {
    let a = a23();
    let t = a.t();
    assert_eq!(t.shape(), &[3, 2]);
    assert_eq!(t, Tensor::from([[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]));
    assert_eq!(t.at([2, 1]), 6.0);
    assert_eq!(t.t(), a);
    // A vector and a scalar are unchanged.
    let v = Tensor::from([1.0, 2.0]);
    assert_eq!(v.t(), v);
    assert_eq!(Tensor::scalar(3.0).t().item(), 3.0);
    // 3-d: all axes reversed.
    let c: Tensor = Tensor::arange(24).reshape([2, 3, 4]);
    let ct = c.t();
    assert_eq!(ct.shape(), &[4, 3, 2]);
    assert_eq!(ct.at([3, 1, 0]), c.at([0, 1, 3]));
    assert_eq!(ct.at([1, 2, 1]), c.at([1, 2, 1]));
}

#[test]
fn permute_reorders_axes() {
    let x: Tensor<f64> = Tensor::arange(24).reshape([2, 3, 4]);
    let p = x.permute([2, 0, 1]);
    assert_eq!(p.shape(), &[4, 2, 3]);
    for i in 0..2 {
        for j in 0..3 {
            for k in 0..4 {
                assert_eq!(p.at([k, i, j]), x.at([i, j, k]));
            }
        }
    }
    assert_eq!(x.permute([0, 1, 2]), x);
    assert_eq!(a23().permute([1, 0]), a23().t());
    assert_eq!(x.permute([2, 0, 1]).permute([1, 2, 0]), x);
    assert_eq!(p.to_vec()[..6], [0.0, 4.0, 8.0, 12.0, 16.0, 20.0]);
}

// ----- reshape ---------------------------------------------------------------------

#[test]
fn reshape_keeps_row_major_order() {
    let a: Tensor<f64> = Tensor::arange(6).reshape([2, 3]);
    assert_eq!(a, Tensor::from([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]));
    assert_eq!(
        a.reshape([3, 2]),
        Tensor::from([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    );
    assert_eq!(a.reshape([6]).to_vec(), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(a.reshape([1, 6, 1]).shape(), &[1, 6, 1]);
    assert_eq!(a.reshape(vec![2, 3]), a);
    assert_eq!(Tensor::from([5.0]).reshape([] as [usize; 0]).item(), 5.0);
    assert_eq!(Tensor::scalar(5.0f32).reshape([1, 1]).shape(), &[1, 1]);
}

#[test]
fn reshape_of_a_transposed_view_uses_its_logical_order() {
    // aᵀ = [[0, 3], [1, 4], [2, 5]]: reshaping reads it row by row, as NumPy
    // does, not in the memory order of `a`.
    let a: Tensor<f64> = Tensor::arange(6).reshape([2, 3]);
    let t = a.t();
    assert_eq!(t.reshape([6]).to_vec(), vec![0.0, 3.0, 1.0, 4.0, 2.0, 5.0]);
    assert_eq!(
        t.reshape([2, 3]),
        Tensor::from([[0.0, 3.0, 1.0], [4.0, 2.0, 5.0]])
    );
    // The copy does not alias `a`.
    assert!(!t.reshape([6]).shares_storage_with(&a));
    let p: Tensor<f32> = Tensor::arange(8).reshape([2, 2, 2]).permute([1, 0, 2]);
    assert_eq!(
        p.reshape([8]).to_vec(),
        vec![0.0f32, 1.0, 4.0, 5.0, 2.0, 3.0, 6.0, 7.0]
    );
}

#[test]
fn to_contiguous_copies_views_in_logical_order() {
    let t = a23().t();
    let c = t.to_contiguous();
    assert_eq!(c, t);
    assert_eq!(c.as_slice(), Some(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0][..]));
}
