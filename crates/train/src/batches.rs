//! Mini-batches: a seeded shuffle every epoch, then consecutive slices.

use rand::Rng;
use rand::seq::SliceRandom;

/// The number of iterations (parameter updates) in one epoch of `n`
/// samples in batches of `batch_size`: ⌈n / batch_size⌉, or
/// ⌊n / batch_size⌋ when the last, smaller batch is dropped.
///
/// ```
/// // The lecture's example: 1000 samples, batches of 64.
/// assert_eq!(train::iterations_per_epoch(1000, 64, false), 16); // 15 full batches and one of 40
/// assert_eq!(train::iterations_per_epoch(1000, 64, true), 15);
/// ```
///
/// # Panics
/// If `batch_size` is 0.
#[track_caller]
pub fn iterations_per_epoch(n: usize, batch_size: usize, drop_last: bool) -> usize {
    if batch_size == 0 {
        panic!("iterations_per_epoch: batch_size must be positive");
    }
    if drop_last {
        n / batch_size
    } else {
        n.div_ceil(batch_size)
    }
}

/// Splits `0..n` into mini-batches of indices for one epoch: shuffled by
/// `rng` (a new order every epoch: call it once per epoch with the same
/// generator), then cut into consecutive batches of `batch_size`; the last
/// batch is smaller unless `drop_last`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let epoch = train::batches(10, 4, false, &mut rng);
/// assert_eq!(epoch.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 2]);
/// let mut seen: Vec<usize> = epoch.concat();
/// seen.sort();
/// assert_eq!(seen, (0..10).collect::<Vec<_>>()); // every sample once
/// assert_eq!(train::batches(10, 4, true, &mut rng).len(), 2);
/// ```
///
/// # Panics
/// If `batch_size` is 0.
#[track_caller]
pub fn batches<R: Rng + ?Sized>(
    n: usize,
    batch_size: usize,
    drop_last: bool,
    rng: &mut R,
) -> Vec<Vec<usize>> {
    if batch_size == 0 {
        panic!("batches: batch_size must be positive");
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
        .chunks(batch_size)
        .filter(|chunk| !drop_last || chunk.len() == batch_size)
        .map(<[usize]>::to_vec)
        .collect()
}
