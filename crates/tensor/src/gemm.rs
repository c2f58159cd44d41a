//! A packed matrix product for `f32`: the way BLAS libraries (and
//! matrixmultiply, ndarray's own) compute `C = A B`, written in safe Rust.
//! It is an option, off unless `GRADSCHOOL_MATMUL=packed` is set: it keeps
//! its buffers, so a training step allocates nothing large, but on the
//! machine of the book's appendix E it trains more slowly than
//! matrixmultiply, which stays the default.
//!
//! Three ideas make a matrix product fast, and all three are here:
//!
//! 1. **A register tile.** The kernel computes a 6 × 16 block of `C` at once,
//!    keeping its 96 sums in twelve 8-wide vector registers for the whole
//!    inner loop. Each step `p` loads 6 numbers of `A` and 16 of `B` and does
//!    96 multiply-adds: arithmetic, not memory traffic, sets the pace.
//! 2. **Packing.** Before the kernel runs, a block of `A` is copied into
//!    strips of 6 rows and a block of `B` into strips of 16 columns, each in
//!    the exact order the kernel reads them. The kernel then streams through
//!    contiguous memory whatever the layout of the operands (a transposed
//!    weight, a transposed activation), and the copies are small enough to
//!    stay in the CPU's caches while they are reused.
//! 3. **Blocking.** The inner dimension is cut into blocks of 256 terms, the
//!    rows of `A` into blocks of 96: a packed block of `B` (256 × `n`) is
//!    reused by every block of rows, a packed block of `A` (96 × 256) by
//!    every strip of `B`.
//!
//! The packing buffers belong to the thread (`thread_local!`) and keep their
//! capacity, so after the first product of a given size a training step
//! allocates nothing here. Large products are split over
//! `MATMUL_NUM_THREADS` threads (the variable matrixmultiply reads too): the
//! calling thread and a [rayon](https://docs.rs/rayon) pool of the others,
//! each taking a band of rows of `C` with its own buffers.
//!
//! Two kinds of product are left to matrixmultiply, which was measured faster
//! on them: thin ones, with fewer than [`MIN_DEPTH`] terms per element, and
//! those above [`MAX_WORK`] multiply-adds (inference on large batches).
//!
//! **Same numbers as matrixmultiply.** Every element of `C` is the same
//! sequence of roundings as in matrixmultiply's kernel: a chain of fused
//! multiply-adds over `p`, in order, starting from zero, in blocks of 256
//! terms whose sums are then added to `C` one block after the other. So the
//! results are identical to the last bit (a test checks it), and switching
//! from ndarray's product to this one changed no number in the book.

use std::cell::RefCell;
use std::sync::OnceLock;

use ndarray::{ArrayView2, ArrayViewMut2};

/// Rows of `C` computed by one call of the kernel.
const MR: usize = 6;
/// Columns of `C` computed by one call of the kernel.
const NR: usize = 16;
/// Terms of the inner dimension per block: matrixmultiply's `KC` for f32,
/// which the direct loop of `linalg.rs` uses too, so that all three products
/// round alike.
pub(crate) const KC: usize = 256;
/// Rows of `A` packed at a time.
const MC: usize = 96;
/// Columns of `B` packed at a time.
const NC: usize = 1024;

/// Products up to this many multiply-adds (m·k·n): every product of a
/// training step on minibatches of 128. Beyond it (inference on batches of
/// 1000 rows, whose output no longer fits the L2 cache) matrixmultiply's
/// blocking was measured faster on this kind of machine, and it keeps them.
const MAX_WORK: usize = 1 << 25;

/// Products with fewer terms per element than this stay with matrixmultiply:
/// with so few multiply-adds per tile, writing the tile to `C` costs as much
/// as computing it, and matrixmultiply's kernel, which writes from its
/// registers, was measured faster ([128, 10] × [10, 256]: 14 µs against
/// 24 µs). Its packing buffers for such a thin product stay under 64 KiB.
const MIN_DEPTH: usize = 16;

/// A read-only matrix: element `(i, j)` is `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
struct Matrix<'a> {
    data: &'a [f32],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
}

impl<'a> Matrix<'a> {
    /// The view's memory as a slice, when it is one contiguous block
    /// (row-major, or column-major as after a transpose) with no negative
    /// stride.
    fn of(view: &ArrayView2<'a, f32>) -> Option<Self> {
        let (rows, cols) = view.dim();
        let strides = view.strides();
        let rs = usize::try_from(strides[0]).ok()?;
        let cs = usize::try_from(strides[1]).ok()?;
        let data = view.to_slice_memory_order()?;
        Some(Matrix {
            data,
            rows,
            cols,
            rs,
            cs,
        })
    }

    /// The transpose: no copy, the strides swap.
    fn t(self) -> Self {
        Matrix {
            data: self.data,
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
        }
    }

    /// Rows `from..` (or columns, for `axis` 1), without copying.
    fn tail(self, axis: usize, from: usize) -> Self {
        let (step, rows, cols) = match axis {
            0 => (self.rs, self.rows - from, self.cols),
            _ => (self.cs, self.rows, self.cols - from),
        };
        let start = (from * step).min(self.data.len());
        Matrix {
            data: &self.data[start..],
            rows,
            cols,
            ..self
        }
    }

    fn at(&self, i: usize, j: usize) -> f32 {
        self.data[i * self.rs + j * self.cs]
    }
}

/// The output: element `(i, j)` is `data[i * rs + j * cs]`.
struct Output<'a> {
    data: &'a mut [f32],
    rs: usize,
    cs: usize,
}

thread_local! {
    /// This thread's packed blocks of `A` and `B`, kept between products.
    static PACKED: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The variable that switches the packed product on, and the value that does.
const SWITCH: (&str, &str) = ("GRADSCHOOL_MATMUL", "packed");

/// Whether `GRADSCHOOL_MATMUL=packed` was set when the first product ran.
fn switched_on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| is_switch(std::env::var(SWITCH.0).ok().as_deref()))
}

/// Whether a value of the variable switches the packed product on.
fn is_switch(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case(SWITCH.1))
}

/// `c = a · b` by the packed product, when it is switched on
/// (`GRADSCHOOL_MATMUL=packed`): returns false (leaving `c` alone) when it is
/// off, or for operands it does not take, which the caller then gives to
/// matrixmultiply.
///
/// It is an option, not the default: on the machine of the book's appendix
/// E it makes a W1 training step allocate nothing large, but trains more
/// slowly than matrixmultiply (the appendix gives the numbers).
pub(crate) fn matmul(
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    c: &mut ArrayViewMut2<'_, f32>,
) -> bool {
    switched_on() && packed(a, b, c)
}

/// `c = a · b` by the packed product: returns false (leaving `c` alone) for
/// operands it does not take (too thin, too large, empty, or not one
/// contiguous block of memory).
fn packed(
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    c: &mut ArrayViewMut2<'_, f32>,
) -> bool {
    let (m, n) = c.dim();
    let k = a.dim().1;
    if m == 0 || n == 0 || k < MIN_DEPTH || m * k * n > MAX_WORK {
        return false;
    }
    let (Some(a), Some(b)) = (Matrix::of(a), Matrix::of(b)) else {
        return false;
    };
    let Some(data) = c.as_slice_mut() else {
        return false;
    };
    // Work as many threads as matrixmultiply would: one per 2^15 elements
    // of the operands, up to the pool's size.
    let threads = pool_threads().min(((m * k + k * n) >> 15).max(1));
    // A `C` narrower than a kernel tile wastes most of the tile's columns:
    // compute `Cᵀ = Bᵀ Aᵀ` instead, whose rows are the long side.
    if n < NR && m > n {
        let out = Output { data, rs: 1, cs: n };
        run(b.t(), a.t(), out, threads);
    } else {
        let out = Output { data, rs: n, cs: 1 };
        run(a, b, out, threads);
    }
    true
}

/// Splits the product into bands of `C`'s rows in memory (rows of the
/// problem, or its columns when it was transposed): the calling thread
/// computes the first band while the pool's threads take the others.
fn run(a: Matrix<'_>, b: Matrix<'_>, c: Output<'_>, threads: usize) {
    let (axis, len, tile, ld) = if c.cs == 1 {
        (0, a.rows, MR, c.rs)
    } else {
        (1, b.cols, NR, c.cs)
    };
    let first = (len / threads.max(1)).div_ceil(tile) * tile;
    if threads <= 1 || first >= len {
        PACKED.with_borrow_mut(|(pa, pb)| product(a, b, c, pa, pb));
        return;
    }
    let (mine, rest) = c.data.split_at_mut(first * ld);
    let (mine, rest) = (Output { data: mine, ..c }, Output { data: rest, ..c });
    let ((a1, b1), (a2, b2)) = if axis == 0 {
        ((Matrix { rows: first, ..a }, b), (a.tail(0, first), b))
    } else {
        ((a, Matrix { cols: first, ..b }), (a, b.tail(1, first)))
    };
    pool().in_place_scope(|s| {
        s.spawn(move |_| run(a2, b2, rest, threads - 1));
        run(a1, b1, mine, 1);
    });
}

/// The number of threads products may use: `MATMUL_NUM_THREADS`, or else
/// the number of CPUs.
fn pool_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("MATMUL_NUM_THREADS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    })
}

/// The helpers: one thread fewer than [`pool_threads`], since the thread
/// that asks for the product computes a band itself.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads((pool_threads() - 1).max(1))
            .thread_name(|i| format!("gemm-{i}"))
            .build()
            .expect("cannot start the matrix product's threads")
    })
}

// ANCHOR: product
/// `C = A B` on one thread: the blocking loops around the kernel.
fn product(a: Matrix<'_>, b: Matrix<'_>, c: Output<'_>, pa: &mut Vec<f32>, pb: &mut Vec<f32>) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    for j0 in (0..n).step_by(NC) {
        let nc = NC.min(n - j0);
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            pack::<NR>(b.t(), j0, nc, p0, kc, pb);
            for i0 in (0..m).step_by(MC) {
                let mc = MC.min(m - i0);
                pack::<MR>(a, i0, mc, p0, kc, pa);
                for (jp, b_strip) in aligned(pb)
                    .chunks_exact(kc * NR)
                    .take(nc.div_ceil(NR))
                    .enumerate()
                {
                    for (ip, a_strip) in aligned(pa)
                        .chunks_exact(kc * MR)
                        .take(mc.div_ceil(MR))
                        .enumerate()
                    {
                        let sums = kernel(a_strip, b_strip);
                        let (i, j) = (i0 + ip * MR, j0 + jp * NR);
                        let (h, w) = (MR.min(m - i), NR.min(n - j));
                        store(
                            &sums,
                            h,
                            w,
                            &mut *c.data,
                            i * c.rs + j * c.cs,
                            (c.rs, c.cs),
                            p0 == 0,
                        );
                    }
                }
            }
        }
    }
}

/// The 6 × 16 tile `Σ_p a[:, p] b[p, :]` from a strip of packed `A`
/// (6 numbers per `p`) and one of packed `B` (16 per `p`). The sums stay in
/// registers: the compiler turns the two inner loops into twelve 8-wide
/// fused multiply-adds per `p`.
#[inline(always)]
fn kernel(a: &[f32], b: &[f32]) -> [[f32; NR]; MR] {
    let mut sums = [[0.0; NR]; MR];
    for (a, b) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        let a: &[f32; MR] = a.try_into().expect("a strip holds MR per step");
        let b: &[f32; NR] = b.try_into().expect("a strip holds NR per step");
        for i in 0..MR {
            for j in 0..NR {
                sums[i][j] = a[i].mul_add(b[j], sums[i][j]);
            }
        }
    }
    sums
}
// ANCHOR_END: product

/// Writes the tile's top-left `h × w` into `c` at `at`: the first block of
/// the inner dimension sets `C`, each later block adds its sums to it.
fn store(
    sums: &[[f32; NR]; MR],
    h: usize,
    w: usize,
    c: &mut [f32],
    at: usize,
    (rs, cs): (usize, usize),
    first: bool,
) {
    for (i, row) in sums.iter().enumerate().take(h) {
        let start = at + i * rs;
        if cs == 1 && w == NR {
            // A whole row of the tile: a fixed-length copy, which the
            // compiler turns into two vector stores (a copy of a length it
            // does not know would be a call to `memcpy`).
            let out: &mut [f32; NR] = (&mut c[start..start + NR])
                .try_into()
                .expect("a range of NR numbers");
            if first {
                *out = *row;
            } else {
                for (c, &s) in out.iter_mut().zip(row) {
                    *c += s;
                }
            }
        } else {
            for (j, &s) in row.iter().enumerate().take(w) {
                let c = &mut c[start + j * cs];
                *c = if first { s } else { s + *c };
            }
        }
    }
}

/// Packs rows `r0..r0 + rows`, columns `p0..p0 + kc` of `m` into strips of
/// `W` rows: strip by strip, `p` by `p`, the strip's `W` numbers of column
/// `p` (zeros below the last row). A block of `A` is packed with `W = MR`;
/// a block of `B` is a block of `Bᵀ` packed with `W = NR`.
fn pack<const W: usize>(
    m: Matrix<'_>,
    r0: usize,
    rows: usize,
    p0: usize,
    kc: usize,
    out: &mut Vec<f32>,
) {
    let strips = rows.div_ceil(W);
    let out = grow(out, strips * W * kc);
    let (steps, _) = out.as_chunks_mut::<W>();
    // Strips of `W` whole rows; a last, shorter strip is padded with zeros.
    let whole = if m.rs == 1 || m.cs == 1 { rows / W } else { 0 };
    if m.rs == 1 {
        // The strip's numbers are neighbours in memory (a transposed
        // activation in `A`, a row-major weight in `B`). Walk each column
        // `p` of the block once, in memory order, handing `W` numbers to
        // every strip: the reads stream. (The writes do not: consecutive
        // ones land a whole strip apart, which appendix E, section 5, finds
        // costly inside a training step.)
        for p in 0..kc {
            let line = &m.data[(p0 + p) * m.cs + r0..][..whole * W];
            let (chunks, _) = line.as_chunks::<W>();
            for (s, chunk) in chunks.iter().enumerate() {
                steps[s * kc + p] = *chunk;
            }
        }
    } else if m.cs == 1 {
        // Each row is a run in memory: read it in order, write every
        // `W`-th place of its strip.
        for s in 0..whole {
            let strip = &mut steps[s * kc..][..kc];
            for i in 0..W {
                let row = &m.data[(r0 + s * W + i) * m.rs + p0..][..kc];
                for (x, step) in row.iter().zip(strip.iter_mut()) {
                    step[i] = *x;
                }
            }
        }
    }
    for s in whole..strips {
        let r = r0 + s * W;
        let h = W.min(r0 + rows - r);
        for (p, step) in steps[s * kc..][..kc].iter_mut().enumerate() {
            for (i, x) in step.iter_mut().enumerate() {
                *x = if i < h { m.at(r + i, p0 + p) } else { 0.0 };
            }
        }
    }
}

/// The part of `buffer` that starts on a 64-byte boundary (a cache line):
/// the kernel's 32-byte loads then never straddle two lines.
fn aligned(buffer: &[f32]) -> &[f32] {
    let skip = buffer.as_ptr().align_offset(64).min(buffer.len());
    &buffer[skip..]
}

/// `len` numbers of `buffer`, starting on a cache line. The buffer never
/// shrinks, so one that has held the largest block of a training step is
/// never allocated again.
fn grow(buffer: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if buffer.len() < len + 16 {
        buffer.resize(len + 16, 0.0);
    }
    let skip = buffer.as_ptr().align_offset(64);
    &mut buffer[skip..skip + len]
}

#[cfg(test)]
pub(crate) mod tests {
    use ndarray::{Array2, ShapeBuilder};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    /// A `rows × cols` matrix of numbers in [-1, 1), row- or column-major
    /// (the layout of a transposed view); the direct loop's tests use it too.
    pub(crate) fn random(
        rng: &mut StdRng,
        rows: usize,
        cols: usize,
        column_major: bool,
    ) -> Array2<f32> {
        let data: Vec<f32> = (0..rows * cols)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        if column_major {
            Array2::from_shape_vec((rows, cols).f(), data).unwrap()
        } else {
            Array2::from_shape_vec((rows, cols), data).unwrap()
        }
    }

    /// The packed product gives matrixmultiply's results to the last bit, for
    /// every layout of the operands, edges that are not whole tiles, more
    /// than one block of 256 terms, narrow outputs (computed transposed) and
    /// sizes split over threads.
    #[test]
    fn packed_product_equals_matrixmultiply_bit_for_bit() {
        let mut rng = StdRng::seed_from_u64(5);
        let shapes = [
            (128, 784, 256),
            (1000, 256, 10),
            (256, 128, 10),
            (300, 100, 3),
            (7, 16, 3),
            (1, 16, 1),
            (97, 513, 33),
            (6, 300, 16),
            (2, 40, 1100),
        ];
        for (m, k, n) in shapes {
            for layout in 0..4 {
                let (a_cm, b_cm) = (layout & 1 == 1, layout & 2 == 2);
                let a = random(&mut rng, m, k, a_cm);
                let b = random(&mut rng, k, n, b_cm);
                let mut ours = Array2::<f32>::from_elem((m, n), f32::NAN);
                assert!(packed(&a.view(), &b.view(), &mut ours.view_mut()));
                let mut theirs = Array2::<f32>::zeros((m, n));
                ndarray::linalg::general_mat_mul(1.0, &a, &b, 0.0, &mut theirs);
                let same = ours.iter().zip(&theirs).all(|(x, y)| x == y);
                assert!(
                    same,
                    "[{m}, {k}] x [{k}, {n}], column-major a {a_cm}, b {b_cm}"
                );
            }
        }
    }

    /// Splitting over threads gives the same bits as one thread.
    #[test]
    fn bands_over_threads_equal_one_thread() {
        let mut rng = StdRng::seed_from_u64(6);
        for (m, k, n, a_cm) in [(200, 300, 100, false), (100, 300, 5, true)] {
            let a = random(&mut rng, m, k, a_cm);
            let b = random(&mut rng, k, n, false);
            let (am, bm) = (
                Matrix::of(&a.view()).unwrap(),
                Matrix::of(&b.view()).unwrap(),
            );
            let mut one = vec![0.0; m * n];
            let mut three = vec![0.0; m * n];
            let (am, bm, rs, cs) = if n < NR {
                (bm.t(), am.t(), 1, n)
            } else {
                (am, bm, n, 1)
            };
            run(
                am,
                bm,
                Output {
                    data: &mut one,
                    rs,
                    cs,
                },
                1,
            );
            run(
                am,
                bm,
                Output {
                    data: &mut three,
                    rs,
                    cs,
                },
                3,
            );
            assert_eq!(one, three, "[{m}, {k}] x [{k}, {n}]");
        }
    }

    /// Only `packed` (any case, surrounding spaces ignored) switches the
    /// packed product on.
    #[test]
    fn only_packed_switches_it_on() {
        assert!(is_switch(Some("packed")));
        assert!(is_switch(Some(" Packed\n")));
        assert!(!is_switch(None));
        assert!(!is_switch(Some("")));
        assert!(!is_switch(Some("matrixmultiply")));
        assert!(!is_switch(Some("1")));
    }

    /// A product with fewer than `MIN_DEPTH` terms per element is left to
    /// matrixmultiply.
    #[test]
    fn thin_products_are_declined() {
        let a = Array2::<f32>::ones((128, MIN_DEPTH - 1));
        let b = Array2::<f32>::ones((MIN_DEPTH - 1, 256));
        let mut c = Array2::<f32>::zeros((128, 256));
        assert!(!packed(&a.view(), &b.view(), &mut c.view_mut()));
        assert!(c.iter().all(|&x| x == 0.0));
        let a = Array2::<f32>::ones((128, MIN_DEPTH));
        let b = Array2::<f32>::ones((MIN_DEPTH, 256));
        assert!(packed(&a.view(), &b.view(), &mut c.view_mut()));
        assert!(c.iter().all(|&x| x == MIN_DEPTH as f32));
    }

    /// A view that is not one block of memory is left to matrixmultiply.
    #[test]
    fn strided_views_are_declined() {
        let a = Array2::<f32>::ones((8, 8));
        let every_other = a.slice_axis(ndarray::Axis(1), ndarray::Slice::new(0, None, 2));
        let mut c = Array2::<f32>::zeros((8, 8));
        assert!(!packed(&every_other.t(), &every_other, &mut c.view_mut()));
        assert!(c.iter().all(|&x| x == 0.0));
    }
}
