//! Every misuse panics with a message naming the operation and the shapes or
//! values involved. Each message is pinned here in full.

use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

fn m(rows: usize, cols: usize) -> Tensor<f64> {
    Tensor::zeros([rows, cols])
}

fn v(n: usize) -> Tensor<f64> {
    Tensor::zeros([n])
}

fn rng() -> StdRng {
    StdRng::seed_from_u64(0)
}

// ----- constructors -------------------------------------------------------

#[test]
#[should_panic(expected = "from_vec: 5 values cannot fill shape [2, 3] (6 elements)")]
fn from_vec_wrong_length() {
    Tensor::from_vec(vec![1.0; 5], [2, 3]);
}

#[test]
#[should_panic(expected = "from_vec: 0 values cannot fill shape [] (1 elements)")]
fn from_vec_empty_scalar() {
    Tensor::<f32>::from_vec(vec![], [] as [usize; 0]);
}

#[test]
#[should_panic(expected = "linspace: needs at least 2 points, got 1")]
fn linspace_one_point() {
    Tensor::linspace(0.0, 1.0, 1);
}

#[test]
#[should_panic(expected = "linspace: needs at least 2 points, got 0")]
fn linspace_no_points() {
    Tensor::linspace(0.0f32, 1.0, 0);
}

#[test]
#[should_panic(expected = "rand_uniform: needs low < high, got [1, 1)")]
fn rand_uniform_empty_interval() {
    Tensor::rand_uniform([2], 1.0, 1.0, &mut rng());
}

#[test]
#[should_panic(expected = "rand_uniform: needs low < high, got [2, -1.5)")]
fn rand_uniform_reversed_interval() {
    Tensor::rand_uniform([2], 2.0f32, -1.5, &mut rng());
}

#[test]
#[should_panic(expected = "rand_uniform: needs low < high, got [NaN, 1)")]
fn rand_uniform_nan_bound() {
    Tensor::rand_uniform([2], f64::NAN, 1.0, &mut rng());
}

#[test]
#[should_panic(expected = "rand_uniform: needs a finite interval, got [-inf, 0)")]
fn rand_uniform_infinite_bound() {
    Tensor::rand_uniform([2], f64::NEG_INFINITY, 0.0, &mut rng());
}

#[test]
#[should_panic(
    expected = "rand_uniform: needs a finite interval, got [-200000000000000000000000000000000000000, 200000000000000000000000000000000000000)"
)]
fn rand_uniform_overflowing_width() {
    // Both bounds are finite f32 numbers but the width 4e38 is not.
    Tensor::rand_uniform([2], -2e38f32, 2e38, &mut rng());
}

#[test]
#[should_panic(expected = "rand_normal: std must be finite and >= 0, got -1")]
fn rand_normal_negative_std() {
    Tensor::rand_normal([2], 0.0, -1.0, &mut rng());
}

#[test]
#[should_panic(expected = "rand_normal: std must be finite and >= 0, got NaN")]
fn rand_normal_nan_std() {
    Tensor::rand_normal([2], 0.0f32, f32::NAN, &mut rng());
}

#[test]
#[should_panic(expected = "rand_normal: std must be finite and >= 0, got inf")]
fn rand_normal_infinite_std() {
    Tensor::rand_normal([2], 0.0, f64::INFINITY, &mut rng());
}

// ----- shape queries and element access ---------------------------------------------

#[test]
#[should_panic(expected = "dim: axis 2 out of range for a tensor of shape [3, 4]")]
fn dim_out_of_range() {
    m(3, 4).dim(2);
}

#[test]
#[should_panic(expected = "at: index [2, 0] out of range for shape [2, 3]")]
fn at_out_of_range() {
    m(2, 3).at([2, 0]);
}

#[test]
#[should_panic(expected = "at: index [0] out of range for shape [2, 3]")]
fn at_too_few_indices() {
    m(2, 3).at([0]);
}

#[test]
#[should_panic(expected = "at: index [0, 0, 0] out of range for shape [2, 3]")]
fn at_too_many_indices() {
    m(2, 3).at([0, 0, 0]);
}

#[test]
#[should_panic(expected = "item: needs exactly one element, shape is [2]")]
fn item_of_a_vector() {
    v(2).item();
}

#[test]
#[should_panic(expected = "item: needs exactly one element, shape is [0, 1]")]
fn item_of_an_empty_tensor() {
    m(0, 1).item();
}

// ----- element-wise arithmetic ------------------------------------------------------------

#[test]
#[should_panic(expected = "add: shapes [2, 3] and [4] cannot be broadcast together")]
fn add_incompatible() {
    let _ = m(2, 3) + v(4);
}

#[test]
#[should_panic(expected = "add: shapes [2, 3] and [3, 2] cannot be broadcast together")]
fn add_borrowed_incompatible() {
    let _ = &m(2, 3) + &m(3, 2);
}

#[test]
#[should_panic(expected = "sub: shapes [4] and [2, 3] cannot be broadcast together")]
fn sub_incompatible() {
    let _ = &v(4) - m(2, 3);
}

#[test]
#[should_panic(expected = "mul: shapes [2, 3] and [2] cannot be broadcast together")]
fn mul_incompatible() {
    let _ = m(2, 3) * &v(2);
}

#[test]
#[should_panic(expected = "div: shapes [3, 1] and [2, 2] cannot be broadcast together")]
fn div_incompatible() {
    let _ = m(3, 1) / m(2, 2);
}

#[test]
#[should_panic(expected = "zip_map: shapes [2] and [3] cannot be broadcast together")]
fn zip_map_incompatible() {
    v(2).zip_map(&v(3), f64::max);
}

#[test]
#[should_panic(expected = "add_assign: shape [2, 3] cannot be broadcast to [3]")]
fn add_assign_cannot_grow_the_left_side() {
    let mut a = v(3);
    a += &m(2, 3);
}

#[test]
#[should_panic(expected = "sub_assign: shape [2] cannot be broadcast to [2, 3]")]
fn sub_assign_incompatible() {
    let mut a = m(2, 3);
    a -= &v(2);
}

#[test]
#[should_panic(expected = "scaled_add: shape [4] cannot be broadcast to [2, 3]")]
fn scaled_add_incompatible() {
    let mut a = m(2, 3);
    a.scaled_add(1.0, &v(4));
}

#[test]
#[should_panic(expected = "assign: shapes differ: [2, 3] and [3]")]
fn assign_does_not_broadcast() {
    let mut a = m(2, 3);
    a.assign(&v(3));
}

#[test]
#[should_panic(expected = "clamp: min 2 is larger than max 1")]
fn clamp_reversed_bounds() {
    v(2).clamp(2.0, 1.0);
}

#[test]
#[should_panic(expected = "gt: shapes [2] and [3] cannot be broadcast together")]
fn gt_incompatible() {
    v(2).gt(&v(3));
}

#[test]
#[should_panic(expected = "ge: shapes [2] and [3] cannot be broadcast together")]
fn ge_incompatible() {
    v(2).ge(&v(3));
}

#[test]
#[should_panic(expected = "lt: shapes [2] and [3] cannot be broadcast together")]
fn lt_incompatible() {
    v(2).lt(&v(3));
}

#[test]
#[should_panic(expected = "le: shapes [2] and [3] cannot be broadcast together")]
fn le_incompatible() {
    v(2).le(&v(3));
}

#[test]
#[should_panic(expected = "eq_mask: shapes [2] and [3] cannot be broadcast together")]
fn eq_mask_incompatible() {
    v(2).eq_mask(&v(3));
}

// ----- matmul, permute, reshape -----------------------------------------------------------------

#[test]
#[should_panic(expected = "matmul: inner dimensions differ: [128, 784] x [256, 10]")]
fn matmul_inner_dimensions() {
    m(128, 784).matmul(&m(256, 10));
}

#[test]
#[should_panic(expected = "matmul: inner dimensions differ: [2, 3] x [2]")]
fn matmul_matrix_vector_mismatch() {
    m(2, 3).matmul(&v(2));
}

#[test]
#[should_panic(expected = "matmul: inner dimensions differ: [3] x [2, 3]")]
fn matmul_vector_matrix_mismatch() {
    v(3).matmul(&m(2, 3));
}

#[test]
#[should_panic(expected = "matmul: inner dimensions differ: [3] x [4]")]
fn matmul_dot_mismatch() {
    v(3).matmul(&v(4));
}

#[test]
#[should_panic(expected = "matmul: expects 1-d or 2-d tensors, got [2, 2, 2] x [2, 2]")]
fn matmul_3d() {
    Tensor::<f64>::zeros([2, 2, 2]).matmul(&m(2, 2));
}

#[test]
#[should_panic(expected = "matmul: expects 1-d or 2-d tensors, got [2] x []")]
fn matmul_scalar() {
    v(2).matmul(&Tensor::scalar(1.0));
}

#[test]
#[should_panic(expected = "matmul_into: shapes do not fit: [2, 3] x [3, 4] -> [2, 3]")]
fn matmul_into_wrong_output() {
    let mut out = m(2, 3);
    m(2, 3).matmul_into(&m(3, 4), 1.0, 0.0, &mut out);
}

#[test]
#[should_panic(expected = "matmul_into: shapes do not fit: [2, 3] x [2, 4] -> [2, 4]")]
fn matmul_into_inner_dimensions() {
    let mut out = m(2, 4);
    m(2, 3).matmul_into(&m(2, 4), 1.0, 0.0, &mut out);
}

#[test]
#[should_panic(expected = "matmul_into: expects 2-d tensors, got [3] x [3, 2] -> [2]")]
fn matmul_into_vector() {
    let mut out = v(2);
    v(3).matmul_into(&m(3, 2), 1.0, 0.0, &mut out);
}

#[test]
#[should_panic(expected = "permute: [0, 0] is not a permutation of the axes of [2, 3]")]
fn permute_repeated_axis() {
    m(2, 3).permute([0, 0]);
}

#[test]
#[should_panic(expected = "permute: [1, 2] is not a permutation of the axes of [2, 3]")]
fn permute_axis_out_of_range() {
    m(2, 3).permute([1, 2]);
}

#[test]
#[should_panic(expected = "permute: [0] is not a permutation of the axes of [2, 3]")]
fn permute_too_few_axes() {
    m(2, 3).permute([0]);
}

#[test]
#[should_panic(expected = "reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)")]
fn reshape_wrong_count() {
    m(2, 3).reshape([4, 2]);
}

#[test]
#[should_panic(expected = "reshape: cannot reshape [3, 2] (6 elements) into [5] (5 elements)")]
fn reshape_transposed_wrong_count() {
    m(2, 3).t().reshape([5]);
}

// ----- reductions ---------------------------------------------------------------------------------

#[test]
#[should_panic(expected = "sum_axis: axis 2 out of range for a tensor of shape [3, 4]")]
fn sum_axis_out_of_range() {
    m(3, 4).sum_axis(2);
}

#[test]
#[should_panic(expected = "sum_keepdims: axis 2 out of range for a tensor of shape [3, 4]")]
fn sum_keepdims_out_of_range() {
    m(3, 4).sum_keepdims(2);
}

#[test]
#[should_panic(expected = "mean_axis: axis 1 out of range for a tensor of shape [3]")]
fn mean_axis_out_of_range() {
    v(3).mean_axis(1);
}

#[test]
#[should_panic(expected = "mean_keepdims: axis 5 out of range for a tensor of shape [3, 4]")]
fn mean_keepdims_out_of_range() {
    m(3, 4).mean_keepdims(5);
}

#[test]
#[should_panic(expected = "max_axis: axis 0 out of range for a tensor of shape []")]
fn max_axis_of_a_scalar() {
    Tensor::scalar(1.0).max_axis(0);
}

#[test]
#[should_panic(expected = "max_keepdims: axis 2 out of range for a tensor of shape [3, 4]")]
fn max_keepdims_out_of_range() {
    m(3, 4).max_keepdims(2);
}

#[test]
#[should_panic(expected = "argmax_axis: axis 2 out of range for a tensor of shape [3, 4]")]
fn argmax_axis_out_of_range() {
    m(3, 4).argmax_axis(2);
}

#[test]
#[should_panic(expected = "keep_axis: axis 3 out of range for a tensor of shape [3, 4]")]
fn keep_axis_out_of_range() {
    m(3, 4).keep_axis(3);
}

#[test]
#[should_panic(expected = "mean: of an empty tensor [0]")]
fn mean_of_empty() {
    v(0).mean();
}

#[test]
#[should_panic(expected = "max: of an empty tensor [0, 2]")]
fn max_of_empty() {
    m(0, 2).max();
}

#[test]
#[should_panic(expected = "min: of an empty tensor [2, 0]")]
fn min_of_empty() {
    m(2, 0).min();
}

#[test]
#[should_panic(expected = "argmax: of an empty tensor [0]")]
fn argmax_of_empty() {
    v(0).argmax();
}

#[test]
#[should_panic(expected = "mean_axis: axis 0 of [0, 3] is empty")]
fn mean_axis_empty_axis() {
    m(0, 3).mean_axis(0);
}

#[test]
#[should_panic(expected = "mean_keepdims: axis 1 of [3, 0] is empty")]
fn mean_keepdims_empty_axis() {
    m(3, 0).mean_keepdims(1);
}

#[test]
#[should_panic(expected = "max_axis: axis 0 of [0, 3] is empty")]
fn max_axis_empty_axis() {
    m(0, 3).max_axis(0);
}

#[test]
#[should_panic(expected = "max_keepdims: axis 0 of [0] is empty")]
fn max_keepdims_empty_axis() {
    v(0).max_keepdims(0);
}

#[test]
#[should_panic(expected = "argmax_axis: axis 1 of [2, 0] is empty")]
fn argmax_axis_empty_axis() {
    m(2, 0).argmax_axis(1);
}

// ----- selection and joining ------------------------------------------------------------------

#[test]
#[should_panic(expected = "select_rows: index 12 out of range for 10 rows")]
fn select_rows_out_of_range() {
    m(10, 2).select_rows(&[0, 12, 3]);
}

#[test]
#[should_panic(expected = "select_rows: index 10 out of range for 10 rows")]
fn select_rows_one_past_the_end() {
    v(10).select_rows(&[10]);
}

#[test]
#[should_panic(expected = "select_rows: a 0-d tensor has no rows")]
fn select_rows_of_a_scalar() {
    Tensor::scalar(1.0).select_rows(&[0]);
}

#[test]
#[should_panic(expected = "concat: needs at least one tensor")]
fn concat_nothing() {
    Tensor::<f32>::concat(&[], 0);
}

#[test]
#[should_panic(expected = "concat: shapes [2, 3] and [2, 4] differ outside axis 0")]
fn concat_mismatch() {
    Tensor::concat(&[m(2, 3), m(2, 4)], 0);
}

#[test]
#[should_panic(expected = "concat: shapes [2, 3] and [3] differ outside axis 1")]
fn concat_different_ndim() {
    Tensor::concat(&[m(2, 3), v(3)], 1);
}

#[test]
#[should_panic(expected = "concat: axis 2 out of range for a tensor of shape [2, 3]")]
fn concat_axis_out_of_range() {
    Tensor::concat(&[m(2, 3), m(2, 3)], 2);
}

#[test]
#[should_panic(expected = "stack: needs at least one tensor")]
fn stack_nothing() {
    Tensor::<f64>::stack(&[], 0);
}

#[test]
#[should_panic(expected = "stack: shapes differ: [2] and [3]")]
fn stack_mismatch() {
    Tensor::stack(&[v(2), v(2), v(3)], 0);
}

#[test]
#[should_panic(expected = "stack: axis 3 out of range for stacking shape [2, 3]")]
fn stack_axis_out_of_range() {
    Tensor::stack(&[m(2, 3), m(2, 3)], 3);
}
