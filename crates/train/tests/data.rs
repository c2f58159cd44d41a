//! Data sets, splits, standardisation, batches and the bundled digits.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;
use train::{Dataset, Standardizer, batches, iterations_per_epoch, synthetic};

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

#[test]
fn iterations_per_epoch_as_the_lecture_counts_them() {
    assert_eq!(iterations_per_epoch(1000, 64, false), 16);
    assert_eq!(iterations_per_epoch(1000, 64, true), 15);
    assert_eq!(iterations_per_epoch(1024, 64, false), 16);
    assert_eq!(iterations_per_epoch(0, 64, false), 0);
    let mut rng = StdRng::seed_from_u64(0);
    let epoch = batches(1000, 64, false, &mut rng);
    assert_eq!(epoch.len(), 16);
    assert_eq!(epoch.last().unwrap().len(), 1000 - 15 * 64);
}

#[test]
fn every_epoch_has_a_new_order_and_the_seed_fixes_them_all() {
    let run = |seed| {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..3)
            .map(|_| batches(50, 8, false, &mut rng))
            .collect::<Vec<_>>()
    };
    let (a, b, c) = (run(1), run(1), run(2));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a[0], a[1]);
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// Every sample is in exactly one batch (all but the last are full).
    #[test]
    fn batches_cover_every_sample_once(n in 0usize..300, size in 1usize..70, seed in any::<u64>()) {
        let epoch = batches(n, size, false, &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(epoch.len(), iterations_per_epoch(n, size, false));
        let mut seen: Vec<usize> = epoch.concat();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
        for b in epoch.iter().rev().skip(1) {
            prop_assert_eq!(b.len(), size);
        }
        let dropped = batches(n, size, true, &mut StdRng::seed_from_u64(seed));
        prop_assert!(dropped.iter().all(|b| b.len() == size));
        prop_assert_eq!(dropped.len(), n / size);
    }

    /// A stratified split puts every sample in exactly one part, and each
    /// class's count in a part is its share rounded down or up.
    #[test]
    fn stratified_split_partitions_and_keeps_proportions(
        labels in prop::collection::vec(0usize..4, 1..200),
        seed in any::<u64>(),
    ) {
        let n = labels.len();
        // Feature = the sample's index, to trace where each sample went.
        let features = Tensor::from_vec((0..n).map(|i| i as f32).collect(), [n, 1]);
        let data = Dataset::classification_with(features, labels.clone(), 4);
        let fractions = [0.6, 0.2, 0.2];
        let parts = data.split(&fractions, &mut StdRng::seed_from_u64(seed));
        let mut seen: Vec<usize> = parts.iter().flat_map(|p| p.features().to_vec()).map(|v| v as usize).collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
        for part in &parts {
            for (i, &v) in part.features().to_vec().iter().enumerate() {
                prop_assert_eq!(part.labels().unwrap()[i], labels[v as usize]); // labels travel with features
            }
        }
        let totals = data.class_counts().unwrap();
        for (part, f) in parts.iter().zip(fractions) {
            for (count, total) in part.class_counts().unwrap().iter().zip(&totals) {
                let share = f * *total as f64;
                prop_assert!((*count as f64 - share).abs() < 1.0 + 1e-9, "{count} vs {share}");
            }
        }
    }

    /// Garbage never makes the digits parser panic.
    #[test]
    fn parse_digits_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = train::parse_digits(&bytes);
    }
}

#[test]
fn regression_splits_are_not_stratified_but_still_partition() {
    let data = synthetic::noisy_sine(101, 0.1, &mut StdRng::seed_from_u64(0));
    let parts = data.split(&[0.5, 0.5], &mut StdRng::seed_from_u64(1));
    assert_eq!(parts.iter().map(Dataset::len).collect::<Vec<_>>(), [51, 50]);
}

#[test]
fn standardizer_fitted_on_train_gives_mean_0_std_1_there_only() {
    let mut rng = StdRng::seed_from_u64(0);
    let train = Tensor::<f32>::randn([500, 3], &mut rng) * 5.0 + 20.0;
    let test = Tensor::<f32>::randn([500, 3], &mut rng) * 5.0 + 25.0; // shifted
    let s = Standardizer::fit(&train);
    let z = s.transform(&train);
    for m in z.mean_axis(0).to_vec() {
        assert!(m.abs() < 1e-4, "{m}");
    }
    for v in z.powi(2).mean_axis(0).to_vec() {
        assert!((v - 1.0).abs() < 1e-4, "{v}");
    }
    // The test split keeps its shift, measured in training standard deviations.
    for m in s.transform(&test).mean_axis(0).to_vec() {
        assert!((0.7..1.3).contains(&m), "{m}");
    }
}

#[test]
fn the_bundled_digits() {
    let digits = train::digits();
    assert_eq!(digits.len(), train::DIGITS_LEN);
    let x = digits.features().to_vec();
    assert!(x.iter().all(|&v| (0.0..=1.0).contains(&v)));
    // The first image is a 0: its first row is 0 0 5 13 9 1 0 0 (in sixteenths).
    assert_eq!(
        &x[..8],
        &[
            0.0,
            0.0,
            5.0 / 16.0,
            13.0 / 16.0,
            9.0 / 16.0,
            1.0 / 16.0,
            0.0,
            0.0
        ]
    );
    assert_eq!(digits.labels().unwrap()[..3], [0, 1, 2]);
}

#[test]
fn corrupt_digits_give_errors_naming_the_line() {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;
    let gz = |text: &str| {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let row = |label: &str| format!("{}{label}\n", "0,".repeat(64));
    assert_eq!(
        train::parse_digits(&gz(&(row("3") + &row("4"))))
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        train::parse_digits(&gz(&(row("3") + "1,2,3\n"))).unwrap_err(),
        "digits: line 2: 3 values, expected 65"
    );
    assert_eq!(
        train::parse_digits(&gz(&row("12"))).unwrap_err(),
        "digits: line 1: label 12 is not a digit"
    );
    assert_eq!(
        train::parse_digits(&gz(&row("x"))).unwrap_err(),
        "digits: line 1, value 65: 'x' is not a small integer"
    );
    assert!(
        train::parse_digits(b"not gzip")
            .unwrap_err()
            .starts_with("digits: cannot decompress")
    );
}

#[test]
fn synthetic_sets_have_their_shapes() {
    let mut rng = StdRng::seed_from_u64(0);
    assert_eq!(synthetic::xor().labels().unwrap(), [0, 1, 1, 0]);
    assert_eq!(synthetic::and().labels().unwrap(), [0, 0, 0, 1]);
    assert_eq!(synthetic::or().labels().unwrap(), [0, 1, 1, 1]);
    let moons = synthetic::moons(50, 0.1, &mut rng);
    assert_eq!(
        (moons.len(), moons.class_counts().unwrap()),
        (100, vec![50, 50])
    );
    let blobs = synthetic::blobs(30, 4, 0.5, &mut rng);
    assert_eq!(blobs.class_counts().unwrap(), [30, 30, 30, 30]);
    let spiral = synthetic::spiral(100, 3, &mut rng);
    assert_eq!(spiral.class_counts().unwrap(), [100, 100, 100]);
}

#[test]
fn mismatched_data_panics_naming_the_sizes() {
    let (panic, line) = panic_site!(Dataset::classification(
        Tensor::zeros([4, 2]),
        vec![0, 1, 0]
    ));
    assert_eq!(panic.0, "Dataset: 4 feature rows but 3 labels");
    assert_here!(panic.clone(), line);
    let (panic, _) = panic_site!(Dataset::classification_with(
        Tensor::zeros([2, 2]),
        vec![0, 5],
        3
    ));
    assert_eq!(
        panic.0,
        "Dataset: label 5 is not below the number of classes, 3"
    );
    let data = Dataset::classification(Tensor::zeros([4, 2]), vec![0, 1, 0, 1]);
    let (panic, _) = panic_site!(data.split(&[0.5, 0.6], &mut StdRng::seed_from_u64(0)));
    assert_eq!(
        panic.0,
        "Dataset::split: fractions must be ≥ 0 and sum to 1, got [0.5, 0.6]"
    );
}
