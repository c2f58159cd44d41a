//! Checkpoints: bit-exact round trips, all-or-nothing loading with every
//! problem listed, the safetensors format byte by byte, hostile and
//! damaged files (truncated at every length, every bit flipped, headers
//! that lie), and atomic saving (a failed save leaves the old file intact).
//!
//! Every file lives in a fresh directory under the system's temporary
//! directory, removed at the end of its test.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use std::any::Any;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use autograd::{Graph, ParamId};
use layers::{Linear, Mlp, Module, Sequential};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};
use regularize::{BatchNorm1d, Recipe};
use tensor::{Float, Tensor};
use train::checkpoint::{
    CheckpointError, Problem, load, read_metadata, read_tensors, save, save_with_metadata,
    write_atomically,
};

// ----- helpers ------------------------------------------------------------

/// A fresh directory, removed when dropped.
struct TestDir(PathBuf);

impl TestDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "gradschool-ckpt-test-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TestDir(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    /// The names of the entries in the directory, sorted: temporary files
    /// left behind would show here.
    fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The bits of every element (f32 bits widened, not converted).
fn bits<T: Float>(t: &Tensor<T>) -> Vec<u64> {
    t.to_vec()
        .into_iter()
        .map(|x| {
            let x: &dyn Any = &x;
            match (x.downcast_ref::<f32>(), x.downcast_ref::<f64>()) {
                (Some(v), _) => u64::from(v.to_bits()),
                (_, Some(v)) => v.to_bits(),
                _ => unreachable!(),
            }
        })
        .collect()
}

/// Every parameter and buffer: name, shape, bits.
fn snapshot<T: Float>(m: &dyn Module<T>) -> Vec<(String, Vec<usize>, Vec<u64>)> {
    let mut out = Vec::new();
    m.visit_params("", &mut |name, p| {
        out.push((name.to_string(), p.shape().to_vec(), bits(p.value())))
    });
    m.visit_buffers("", &mut |name, b| {
        out.push((name.to_string(), b.shape().to_vec(), bits(b)))
    });
    out
}

fn ids<T: Float>(m: &dyn Module<T>) -> Vec<ParamId> {
    m.params().iter().map(|p| p.id()).collect()
}

fn mlp<T: Float>(sizes: &[usize], seed: u64) -> Sequential<T> {
    Mlp::new(sizes).build(&mut StdRng::seed_from_u64(seed))
}

/// The recipe's network (Linear, BatchNorm1d, ReLU, Linear) after a few
/// training batches, so that its running statistics are no longer 0 and 1,
/// then switched to evaluation.
fn trained_recipe<T: Float>(seed: u64) -> Sequential<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut net: Sequential<T> = Recipe::new(&[4, 8, 3]).build(&mut rng);
    for _ in 0..3 {
        let g = Graph::new();
        net.forward(g.input(Tensor::randn([16, 4], &mut rng)));
    }
    net.eval();
    net
}

fn predict<T: Float>(m: &dyn Module<T>, x: &Tensor<T>) -> Tensor<T> {
    let g = Graph::inference();
    m.forward(g.input(x.clone())).value()
}

/// The message, with the path replaced by `<path>`.
fn message(err: &CheckpointError, path: &Path) -> String {
    err.to_string()
        .replace(&path.display().to_string(), "<path>")
}

/// Writes `bytes` to `path` (plainly: these are test files, some broken).
fn put(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
}

/// A file by the specification: the header length (u64, little-endian),
/// the JSON header, the data.
fn safetensors_file(header: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn f32_le(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

// ----- round trips --------------------------------------------------------

#[test]
fn round_trip_is_bit_exact_in_f32() {
    let dir = TestDir::new("round-f32");
    let path = dir.path("net.safetensors");
    let net = trained_recipe::<f32>(1);
    save(&net, &path).unwrap();

    let mut other = trained_recipe::<f32>(2);
    assert_ne!(snapshot(&other), snapshot(&net));
    load(&mut other, &path).unwrap();
    assert_eq!(snapshot(&other), snapshot(&net));
    // The buffers were really saved: the running statistics have moved.
    let running_mean = &net.named_buffers()[0].1;
    assert!(running_mean.to_vec().iter().any(|&v| v != 0.0));
}

#[test]
fn round_trip_is_bit_exact_in_f64() {
    let dir = TestDir::new("round-f64");
    let path = dir.path("net.safetensors");
    let net = trained_recipe::<f64>(1);
    save(&net, &path).unwrap();
    let mut other = trained_recipe::<f64>(2);
    load(&mut other, &path).unwrap();
    assert_eq!(snapshot(&other), snapshot(&net));
}

/// NaN (with a payload), ±0, ±∞, subnormals and the extremes survive bit
/// for bit: the values are copied as bits, never converted.
#[test]
fn special_values_round_trip_bit_for_bit() {
    let dir = TestDir::new("special");
    let path = dir.path("special.safetensors");

    let specials32 = [
        f32::from_bits(0x7fc0_1234),
        -0.0,
        0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(1),
        f32::MAX,
        f32::MIN_POSITIVE,
        -1.5,
        f32::from_bits(0xffc0_0001),
        f32::EPSILON,
        1.0 / 3.0,
    ];
    let mut net: Sequential<f32> = mlp(&[3, 4, 2], 0);
    net.visit_params_mut("", &mut |name, p| {
        if name == "0.weight" {
            p.set(Tensor::from_vec(specials32.to_vec(), [3, 4]));
        }
    });
    save(&net, &path).unwrap();
    let mut other: Sequential<f32> = mlp(&[3, 4, 2], 1);
    load(&mut other, &path).unwrap();
    assert_eq!(snapshot(&other), snapshot(&net));
    let w = &other.params()[0];
    assert_eq!(bits(w.value())[0], 0x7fc0_1234);

    let specials64: Vec<f64> = vec![
        f64::from_bits(0x7ff8_0000_dead_beef),
        -0.0,
        f64::INFINITY,
        f64::from_bits(1),
        f64::MAX,
        0.1,
        -f64::MIN_POSITIVE,
        f64::NEG_INFINITY,
        1e-300,
        2.0,
        f64::EPSILON,
        -7.25,
    ];
    let mut net: Sequential<f64> = mlp(&[3, 4, 2], 0);
    net.visit_params_mut("", &mut |name, p| {
        if name == "0.weight" {
            p.set(Tensor::from_vec(specials64.clone(), [3, 4]));
        }
    });
    save(&net, &path).unwrap();
    let mut other: Sequential<f64> = mlp(&[3, 4, 2], 1);
    load(&mut other, &path).unwrap();
    assert_eq!(snapshot(&other), snapshot(&net));
}

#[test]
fn predictions_are_identical_after_reload_into_a_fresh_model() {
    let dir = TestDir::new("predict");
    let x32: Tensor<f32> = Tensor::randn([5, 3], &mut StdRng::seed_from_u64(9));

    let path = dir.path("mlp.safetensors");
    let net: Sequential<f32> = mlp(&[3, 4, 2], 1);
    save(&net, &path).unwrap();
    let mut fresh: Sequential<f32> = mlp(&[3, 4, 2], 2);
    assert_ne!(bits(&predict(&fresh, &x32)), bits(&predict(&net, &x32)));
    load(&mut fresh, &path).unwrap();
    assert_eq!(bits(&predict(&fresh, &x32)), bits(&predict(&net, &x32)));

    // With batch normalisation in evaluation mode, the running statistics
    // are part of the prediction: they must come back too.
    let x64: Tensor<f64> = Tensor::randn([5, 4], &mut StdRng::seed_from_u64(9));
    let path = dir.path("recipe.safetensors");
    let net = trained_recipe::<f64>(1);
    save(&net, &path).unwrap();
    let mut fresh: Sequential<f64> = Recipe::new(&[4, 8, 3]).build(&mut StdRng::seed_from_u64(5));
    fresh.eval();
    load(&mut fresh, &path).unwrap();
    assert_eq!(bits(&predict(&fresh, &x64)), bits(&predict(&net, &x64)));
}

#[test]
fn loading_keeps_the_parameter_ids() {
    let dir = TestDir::new("ids");
    let path = dir.path("net.safetensors");
    save(&trained_recipe::<f32>(1), &path).unwrap();
    let mut net = trained_recipe::<f32>(2);
    let before = ids(&net);
    load(&mut net, &path).unwrap();
    assert_eq!(ids(&net), before);
}

#[test]
fn a_lone_batch_norm_round_trips_its_buffers() {
    let dir = TestDir::new("bn");
    let path = dir.path("bn.safetensors");
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(2);
    bn.forward(Graph::new().input(Tensor::from([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]])));
    save(&bn, &path).unwrap();
    let names: Vec<String> = read_tensors::<f64>(&path)
        .unwrap()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["weight", "bias", "running_mean", "running_var"]);
    let mut fresh: BatchNorm1d<f64> = BatchNorm1d::new(2);
    load(&mut fresh, &path).unwrap();
    assert_eq!(bits(&fresh.running_mean()), bits(&bn.running_mean()));
    assert_eq!(bits(&fresh.running_var()), bits(&bn.running_var()));
}

#[test]
fn an_empty_model_round_trips() {
    let dir = TestDir::new("empty");
    let path = dir.path("empty.safetensors");
    let mut net: Sequential<f32> = Sequential::new();
    save(&net, &path).unwrap();
    // 8 bytes of length, then "{}" padded to 8 bytes.
    assert_eq!(fs::read(&path).unwrap(), b"\x08\0\0\0\0\0\0\0{}      ");
    load(&mut net, &path).unwrap();
    assert!(read_tensors::<f32>(&path).unwrap().is_empty());
}

#[test]
fn read_tensors_gives_every_tensor_in_the_models_order() {
    let dir = TestDir::new("read");
    let path = dir.path("net.safetensors");
    let net = trained_recipe::<f32>(1);
    save(&net, &path).unwrap();
    let tensors = read_tensors::<f32>(&path).unwrap();
    let expected = snapshot(&net);
    assert_eq!(tensors.len(), expected.len());
    for ((name, t), (e_name, e_shape, e_bits)) in tensors.iter().zip(&expected) {
        assert_eq!((name, t.shape(), &bits(t)), (e_name, &e_shape[..], e_bits));
    }
    assert_eq!(
        tensors.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        [
            "0.weight",
            "0.bias",
            "1.weight",
            "1.bias",
            "3.weight",
            "3.bias",
            "1.running_mean",
            "1.running_var"
        ]
    );
}

#[test]
fn metadata_round_trips_and_defaults_to_none() {
    let dir = TestDir::new("meta");
    let path = dir.path("net.safetensors");
    let net: Sequential<f32> = mlp(&[3, 4, 2], 0);
    save(&net, &path).unwrap();
    assert!(read_metadata(&path).unwrap().is_empty());

    let tricky = "quotes \" and \\ and\nnewlines, ünïcödé";
    save_with_metadata(
        &net,
        &path,
        &[("lr", "0.001"), ("epoch", "12"), ("note", tricky)],
    )
    .unwrap();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|&(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        read_metadata(&path).unwrap(),
        pairs(&[("epoch", "12"), ("lr", "0.001"), ("note", tricky)])
    );
    // Metadata does not get in the way of loading.
    let mut other: Sequential<f32> = mlp(&[3, 4, 2], 1);
    load(&mut other, &path).unwrap();
    assert_eq!(snapshot(&other), snapshot(&net));
}

// ----- mismatches: all or nothing, every problem listed --------------------

#[test]
fn loading_into_another_architecture_lists_every_problem_and_changes_nothing() {
    let dir = TestDir::new("arch");
    let path = dir.path("recipe.safetensors");
    save(&trained_recipe::<f32>(1), &path).unwrap();

    let mut net: Sequential<f32> = mlp(&[4, 6, 3], 0);
    let before = snapshot(&net);
    let err = load(&mut net, &path).unwrap_err();
    assert_eq!(
        message(&err, &path),
        "checkpoint <path> does not match the model (10 problems):\n  \
         wrong shape: 0.weight, expected [4, 6], found [4, 8]\n  \
         wrong shape: 0.bias, expected [6], found [8]\n  \
         missing:     2.weight, expected shape [6, 3]\n  \
         missing:     2.bias, expected shape [3]\n  \
         unexpected:  1.weight, shape [8]\n  \
         unexpected:  1.bias, shape [8]\n  \
         unexpected:  3.weight, shape [8, 3]\n  \
         unexpected:  3.bias, shape [3]\n  \
         unexpected:  1.running_mean, shape [8]\n  \
         unexpected:  1.running_var, shape [8]"
    );
    let CheckpointError::Mismatch { problems, .. } = &err else {
        panic!("expected a mismatch, got {err:?}");
    };
    assert_eq!(
        problems[2],
        Problem::Missing {
            name: "2.weight".into(),
            shape: vec![6, 3]
        }
    );
    assert_eq!(snapshot(&net), before);
}

/// The only wrong tensors come last in the model's order: a loader that
/// changed tensors as it went would already have replaced the first layer.
#[test]
fn a_problem_in_the_last_tensor_leaves_the_first_ones_unchanged() {
    let dir = TestDir::new("last");
    let path = dir.path("mlp.safetensors");
    save(&mlp::<f32>(&[3, 4, 2], 1), &path).unwrap();
    let mut net: Sequential<f32> = mlp(&[3, 4, 5], 2);
    let before = snapshot(&net);
    let err = load(&mut net, &path).unwrap_err();
    assert_eq!(
        message(&err, &path),
        "checkpoint <path> does not match the model (2 problems):\n  \
         wrong shape: 2.weight, expected [4, 5], found [4, 2]\n  \
         wrong shape: 2.bias, expected [5], found [2]"
    );
    assert_eq!(snapshot(&net), before);
}

#[test]
fn a_model_with_buffers_the_file_lacks_is_refused() {
    let dir = TestDir::new("buffers");
    let path = dir.path("bn.safetensors");
    let bn: BatchNorm1d<f32> = BatchNorm1d::new(3);
    // Only the parameters, written by hand: a checkpoint of a model that
    // kept no running statistics.
    let header = r#"{"weight":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"bias":{"dtype":"F32","shape":[3],"data_offsets":[12,24]}}"#;
    put(&path, &safetensors_file(header, &[0; 24]));
    let mut fresh: BatchNorm1d<f32> = BatchNorm1d::new(3);
    let err = load(&mut fresh, &path).unwrap_err();
    assert_eq!(
        message(&err, &path),
        "checkpoint <path> does not match the model (2 problems):\n  \
         missing:     running_mean, expected shape [3]\n  \
         missing:     running_var, expected shape [3]"
    );
    assert_eq!(snapshot(&fresh), snapshot(&bn));
}

#[test]
fn a_checkpoint_saved_in_f64_does_not_load_into_f32() {
    let dir = TestDir::new("dtype");
    let path = dir.path("f64.safetensors");
    save(&mlp::<f64>(&[3, 4, 2], 1), &path).unwrap();
    let mut net: Sequential<f32> = mlp(&[3, 4, 2], 2);
    let before = snapshot(&net);
    let err = load(&mut net, &path).unwrap_err();
    assert_eq!(
        message(&err, &path),
        "checkpoint <path> does not match the model (4 problems):\n  \
         wrong dtype: 0.weight, expected F32, found F64\n  \
         wrong dtype: 0.bias, expected F32, found F64\n  \
         wrong dtype: 2.weight, expected F32, found F64\n  \
         wrong dtype: 2.bias, expected F32, found F64\n\
         (a checkpoint keeps the element type it was saved with: load it into a model of \
         that type, or read it with read_tensors and cast)"
    );
    assert_eq!(snapshot(&net), before);

    let err = read_tensors::<f32>(&path).unwrap_err();
    assert!(
        message(&err, &path).starts_with(
            "checkpoint <path> does not match Tensor<f32> (4 problems):\n  \
             wrong dtype: 0.weight, expected F32, found F64\n"
        ),
        "{err}"
    );
    // Read as f64 and cast: the way across.
    let as_f32: Vec<Tensor<f32>> = read_tensors::<f64>(&path)
        .unwrap()
        .iter()
        .map(|(_, t)| t.cast())
        .collect();
    assert_eq!(as_f32.len(), 4);
}

#[test]
fn other_dtypes_and_shapes_at_once_are_all_reported() {
    let dir = TestDir::new("bf16");
    let path = dir.path("lin.safetensors");
    // weight stored as BF16 [2, 3] (right shape, wrong type); bias as F32 [4].
    let header = r#"{"weight":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,12]},"bias":{"dtype":"F32","shape":[4],"data_offsets":[12,28]}}"#;
    put(&path, &safetensors_file(header, &[0; 28]));
    let mut lin: Linear<f32> = Linear::new(2, 3, &mut StdRng::seed_from_u64(0));
    let err = load(&mut lin, &path).unwrap_err();
    assert_eq!(
        message(&err, &path),
        "checkpoint <path> does not match the model (2 problems):\n  \
         wrong dtype: weight, expected F32, found BF16\n  \
         wrong shape: bias, expected [3], found [4]\n\
         (a checkpoint keeps the element type it was saved with: load it into a model of \
         that type, or read it with read_tensors and cast)"
    );
}

// ----- the format, byte by byte -------------------------------------------

/// A file written by hand from the specification, not by this library:
/// header keys in another order than the data, metadata, padding spaces.
#[test]
fn a_file_built_by_hand_from_the_specification_loads() {
    let dir = TestDir::new("by-hand");
    let path = dir.path("linear.safetensors");
    // The data holds the bias first (3 × F32 = 12 bytes), then the weight
    // (2 × 3 × F32 = 24 bytes), both little-endian, the weight row-major.
    let mut data = f32_le(&[0.5, -0.25, 8.0]);
    data.extend(f32_le(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
    let header = concat!(
        r#"{"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[12,36]},"#,
        r#""__metadata__":{"format":"pt","made":"by hand"},"#,
        r#""bias":{"data_offsets":[0,12],"shape":[3],"dtype":"F32"}}"#,
        "     ",
    );
    put(&path, &safetensors_file(header, &data));

    let mut lin: Linear<f32> = Linear::new(2, 3, &mut StdRng::seed_from_u64(0));
    load(&mut lin, &path).unwrap();
    assert_eq!(lin.weight.value().to_vec(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(lin.weight.value().at([1, 0]), 4.0); // row-major: row 1 starts at the 4th
    assert_eq!(
        lin.bias.as_ref().unwrap().value().to_vec(),
        [0.5, -0.25, 8.0]
    );
    assert_eq!(
        read_metadata(&path).unwrap(),
        [
            ("format".to_string(), "pt".to_string()),
            ("made".to_string(), "by hand".to_string())
        ]
    );
    // read_tensors follows the data: bias, then weight.
    let names: Vec<String> = read_tensors::<f32>(&path)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["bias", "weight"]);
}

/// What `save` writes, read back by hand: the header length, the header
/// (JSON, in the model's order, padded with spaces to a multiple of 8), and
/// the values, little-endian, one tensor after the other.
#[test]
fn save_writes_the_specified_bytes() {
    let dir = TestDir::new("bytes");
    let path = dir.path("mlp.safetensors");
    let net: Sequential<f32> = mlp(&[3, 4, 2], 0);
    save(&net, &path).unwrap();
    let bytes = fs::read(&path).unwrap();

    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    assert_eq!(n % 8, 0);
    let header = std::str::from_utf8(&bytes[8..8 + n]).unwrap();
    assert_eq!(
        header.trim_end_matches(' '),
        concat!(
            r#"{"0.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]},"#,
            r#""0.bias":{"dtype":"F32","shape":[4],"data_offsets":[48,64]},"#,
            r#""2.weight":{"dtype":"F32","shape":[4,2],"data_offsets":[64,96]},"#,
            r#""2.bias":{"dtype":"F32","shape":[2],"data_offsets":[96,104]}}"#
        )
    );
    let mut data = Vec::new();
    for p in net.params() {
        data.extend(f32_le(&p.value().to_vec()));
    }
    assert_eq!(&bytes[8 + n..], &data[..]);
}

// ----- damaged and hostile files ------------------------------------------

/// Every proper prefix of a valid checkpoint is refused (the last tensor's
/// bytes are missing, or the header is cut, or the length itself), without
/// a panic and without touching the model.
#[test]
fn a_checkpoint_truncated_at_any_length_is_an_error() {
    let dir = TestDir::new("truncated");
    let good = dir.path("good.safetensors");
    let bad = dir.path("bad.safetensors");
    save_with_metadata(&trained_recipe::<f32>(1), &good, &[("epoch", "3")]).unwrap();
    let bytes = fs::read(&good).unwrap();

    let mut net = trained_recipe::<f32>(2);
    let before = snapshot(&net);
    for len in 0..bytes.len() {
        put(&bad, &bytes[..len]);
        let err = load(&mut net, &bad).expect_err("a truncated file must not load");
        assert!(
            matches!(err, CheckpointError::Corrupt { .. }),
            "length {len}: {err}"
        );
        assert!(read_tensors::<f32>(&bad).is_err());
        assert!(read_metadata(&bad).is_err());
    }
    assert_eq!(snapshot(&net), before);
    // One byte too many is refused too.
    let mut longer = bytes.clone();
    longer.push(0);
    put(&bad, &longer);
    assert!(load(&mut net, &bad).is_err());

    // Two messages, for the reader who meets them.
    put(&bad, &bytes[..5]);
    let err = load(&mut net, &bad).unwrap_err();
    assert_eq!(
        message(&err, &bad),
        "checkpoint <path> is not a valid safetensors file: \
         it has 5 bytes, fewer than the 8 of the header length"
    );
    put(&bad, &bytes[..bytes.len() - 1]);
    let err = load(&mut net, &bad).unwrap_err();
    assert!(
        message(&err, &bad).starts_with(
            "checkpoint <path> is not a valid safetensors file: the tensors end at byte"
        ),
        "{err}"
    );
}

/// Every single bit of a valid checkpoint, flipped in turn: loading may
/// succeed (a flipped bit in the data is just another number) or fail, but
/// it never panics, and a failed load changes nothing.
#[test]
fn every_single_bit_flip_is_handled() {
    let dir = TestDir::new("flips");
    let good = dir.path("good.safetensors");
    let bad = dir.path("bad.safetensors");
    save(&mlp::<f32>(&[3, 4, 2], 1), &good).unwrap();
    let bytes = fs::read(&good).unwrap();
    let header_end = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;

    let (mut loaded, mut refused) = (0, 0);
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            put(&bad, &flipped);
            let mut net: Sequential<f32> = mlp(&[3, 4, 2], 2);
            let before = snapshot(&net);
            match load(&mut net, &bad) {
                Ok(()) => loaded += 1,
                Err(_) => {
                    // The format has no checksum: a flip in the data is
                    // just another number, so only header flips fail.
                    assert!(i < header_end, "byte {i} bit {bit} is data, yet refused");
                    assert_eq!(snapshot(&net), before, "byte {i} bit {bit}");
                    refused += 1;
                }
            }
            let _ = read_tensors::<f32>(&bad);
        }
    }
    assert!(loaded > 0 && refused > 0);
}

/// The header length, the first 8 bytes, claims far more than the file
/// holds: refused at once, before anything is allocated for it (a claim of
/// 2⁶⁴ − 1 bytes would abort the test if it were).
#[test]
fn a_header_length_beyond_the_file_is_refused_without_allocating() {
    let dir = TestDir::new("length");
    let path = dir.path("liar.safetensors");
    let body = b"{}      ";
    for claim in [9, 1 << 20, 1 << 32, 1 << 40, 1 << 62, u64::MAX] {
        let mut bytes = claim.to_le_bytes().to_vec();
        bytes.extend_from_slice(body);
        put(&path, &bytes);
        let mut net: Sequential<f32> = Sequential::new();
        let err = load(&mut net, &path).unwrap_err();
        assert_eq!(
            message(&err, &path),
            format!(
                "checkpoint <path> is not a valid safetensors file: \
                 the header length says {claim} bytes, but only 8 bytes follow"
            )
        );
    }
}

/// Headers that lie in every way a hand-crafted file can: each gives a
/// `Corrupt` error naming the fault.
#[test]
fn hostile_headers_are_refused_with_a_reason() {
    let dir = TestDir::new("hostile");
    let path = dir.path("hostile.safetensors");
    let big = (1u64 << 61) - 1;
    // Eight tensors of 2⁶¹ − 1 bytes each: offsets that add up to nearly
    // 2⁶⁴. (safetensors 0.8.0 overflows on this file, with a panic in
    // builds with overflow checks.)
    let huge_total: String = {
        let entries: Vec<String> = (0..8u64)
            .map(|i| {
                format!(
                    r#""t{i}":{{"dtype":"U8","shape":[{big}],"data_offsets":[{},{}]}}"#,
                    i * big,
                    (i + 1) * big
                )
            })
            .collect();
        format!("{{{}}}", entries.join(","))
    };
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let t = |entry: &str| format!(r#"{{"x":{entry}}}"#);
    let cases: Vec<(String, Vec<u8>, &str)> = vec![
        (t(r#"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#), vec![0; 4], "the tensors end at byte 8 of the data, but the data has 4 bytes"),
        (t(r#"{"dtype":"F32","shape":[3],"data_offsets":[0,8]}"#), vec![0; 8], "tensor `x` has data offsets [0, 8), but shape [3] of F32 needs 12 bytes"),
        (t(r#"{"dtype":"F32","shape":[2],"data_offsets":[8,0]}"#), vec![0; 8], "tensor `x` has data offsets [8, 0), but shape [2] of F32 needs 8 bytes"),
        (t(r#"{"dtype":"F32","shape":[2],"data_offsets":[4,12]}"#), vec![0; 12], "tensor `x` starts at byte 4 of the data, where byte 0 was expected"),
        (
            r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#.to_string(),
            vec![0; 12],
            "tensor `b` starts at byte 4 of the data, where byte 8 was expected",
        ),
        (t(r#"{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}"#), vec![], "tensor `x` has shape [4294967296, 4294967296], too large to exist"),
        (t(r#"{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}"#), vec![], "tensor `x` has shape [0, 18446744073709551615], too large to exist"),
        (t(r#"{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}"#), vec![], "too large to exist"),
        (t(r#"{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,0]}"#), vec![], "tensor `x` has no `shape` list of non-negative integers"),
        (t(r#"{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}"#), vec![], "tensor `x` has no `shape` list of non-negative integers"),
        (t(r#"{"dtype":"F32","shape":[2.5],"data_offsets":[0,0]}"#), vec![], "tensor `x` has no `shape` list"),
        (t(r#"{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}"#), vec![0; 8], "tensor `x` has no `data_offsets` pair of non-negative integers"),
        (t(r#"{"dtype":"F32","shape":[1]}"#), vec![0; 4], "tensor `x` has no `data_offsets` pair"),
        (t(r#"{"shape":[1],"data_offsets":[0,4]}"#), vec![0; 4], "tensor `x` has no `dtype` string"),
        (t(r#"{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}"#), vec![0; 4], "tensor `x` has the unknown dtype `Q4`"),
        (t("[1, 2]"), vec![], "tensor `x` has no `dtype` string"),
        (r#"{"__metadata__":{"epoch":12}}"#.to_string(), vec![], "`__metadata__` maps `epoch` to 12, not to a string"),
        (r#"{"__metadata__":[]}"#.to_string(), vec![], "`__metadata__` is not a JSON object"),
        ("[]".to_string(), vec![], "the header is not a JSON object"),
        ("{\"x\":".to_string(), vec![], "the header is not a JSON object"),
        ("".to_string(), vec![], "the header is not a JSON object"),
        (deep, vec![], "the header is not a JSON object"),
        (huge_total, vec![], "the tensors end at byte 18446744073709551608 of the data, but the data has 0 bytes"),
    ];
    for (header, data, reason) in &cases {
        put(&path, &safetensors_file(header, data));
        let mut net: Sequential<f32> = Sequential::new();
        let err = load(&mut net, &path).unwrap_err();
        let msg = message(&err, &path);
        assert!(
            msg.starts_with("checkpoint <path> is not a valid safetensors file: ")
                && msg.contains(reason),
            "header {header:.80}: {msg}"
        );
        assert!(read_tensors::<f64>(&path).is_err());
    }

    // A tensor with no element but an enormous axis is valid, and costs
    // nothing.
    let header = r#"{"x":{"dtype":"F32","shape":[4611686018427387903,0],"data_offsets":[0,0]}}"#;
    put(&path, &safetensors_file(header, &[]));
    let tensors = read_tensors::<f32>(&path).unwrap();
    assert_eq!(tensors[0].1.shape(), [4611686018427387903, 0]);

    // A header that is not UTF-8.
    let mut bytes = 4u64.to_le_bytes().to_vec();
    bytes.extend_from_slice(&[b'{', 0xff, 0xfe, b'}']);
    put(&path, &bytes);
    let err = read_tensors::<f32>(&path).unwrap_err();
    assert!(
        message(&err, &path).contains("the header is not UTF-8"),
        "{err}"
    );
}

fn entry_strategy() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        0u64..20,
        Just(u64::MAX),
        Just(1 << 61),
        Just((1 << 61) - 1),
        Just(1 << 63),
        any::<u64>(),
    ];
    let dtype = prop::sample::select(vec!["F32", "F64", "U8", "BF16", "F4", "XX"]);
    (
        dtype,
        prop::collection::vec(number.clone(), 0..4),
        prop::collection::vec(number, 0..4),
    )
        .prop_map(|(dtype, shape, offsets)| {
            let list = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
            format!(
                r#"{{"dtype":"{dtype}","shape":[{}],"data_offsets":[{}]}}"#,
                list(&shape),
                list(&offsets)
            )
        })
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// Random bytes written over a valid checkpoint, or a random cut with
    /// garbage after it: never a panic, and a failed load changes nothing.
    #[test]
    fn random_damage_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        tail in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let dir = TestDir::new(&format!("damage-{:?}", std::thread::current().id()));
        let path = dir.path("net.safetensors");
        save(&trained_recipe::<f32>(1), &path).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        for (at, byte) in &edits {
            let i = at.index(bytes.len());
            bytes[i] = *byte;
        }
        let mut net = trained_recipe::<f32>(2);
        let before = snapshot(&net);
        put(&path, &bytes);
        if load(&mut net, &path).is_err() {
            prop_assert_eq!(snapshot(&net), before.clone());
        }
        let _ = read_tensors::<f32>(&path);

        let mut cut_bytes = bytes[..cut.index(bytes.len())].to_vec();
        cut_bytes.extend(&tail);
        put(&path, &cut_bytes);
        let mut net = trained_recipe::<f32>(2);
        if load(&mut net, &path).is_err() {
            prop_assert_eq!(snapshot(&net), before);
        }
    }

    /// Headers made of random dtypes, shapes and offsets, many of them huge:
    /// the checks never overflow, never panic, never allocate what is
    /// claimed.
    #[test]
    fn random_headers_never_panic(
        entries in prop::collection::vec(entry_strategy(), 0..4),
        data_len in 0usize..64,
    ) {
        let dir = TestDir::new(&format!("headers-{:?}", std::thread::current().id()));
        let path = dir.path("h.safetensors");
        let body: Vec<String> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| format!(r#""t{i}":{e}"#))
            .collect();
        let header = format!("{{{}}}", body.join(","));
        put(&path, &safetensors_file(&header, &vec![7; data_len]));
        let _ = read_tensors::<f32>(&path);
        let _ = read_tensors::<f64>(&path);
        let mut net: Sequential<f32> = Sequential::new();
        let _ = load(&mut net, &path);
    }
}

// ----- atomic saving ------------------------------------------------------

#[test]
fn saving_over_a_checkpoint_replaces_it_and_leaves_no_temporary_file() {
    let dir = TestDir::new("replace");
    let path = dir.path("net.safetensors");
    save(&mlp::<f32>(&[3, 4, 2], 1), &path).unwrap();
    let second: Sequential<f32> = mlp(&[3, 4, 2], 2);
    save(&second, &path).unwrap();
    assert_eq!(dir.listing(), ["net.safetensors"]);
    let mut net: Sequential<f32> = mlp(&[3, 4, 2], 3);
    load(&mut net, &path).unwrap();
    assert_eq!(snapshot(&net), snapshot(&second));
}

#[test]
fn saving_onto_a_directory_fails_and_leaves_it_intact() {
    let dir = TestDir::new("onto-dir");
    let target = dir.path("net.safetensors");
    fs::create_dir(&target).unwrap();
    put(&target.join("inside.txt"), b"keep me");

    let err = save(&mlp::<f32>(&[3, 4, 2], 1), &target).unwrap_err();
    let msg = message(&err, &target);
    assert!(
        msg.starts_with("checkpoint <path>: could not replace it with the temporary file "),
        "{msg}"
    );
    assert!(target.is_dir());
    assert_eq!(fs::read(target.join("inside.txt")).unwrap(), b"keep me");
    assert_eq!(dir.listing(), ["net.safetensors"]);
}

#[test]
fn saving_into_a_missing_directory_fails() {
    let dir = TestDir::new("missing-dir");
    let path = dir.path("no/such/dir/net.safetensors");
    let err = save(&mlp::<f32>(&[3, 4, 2], 1), &path).unwrap_err();
    let msg = message(&err, &path);
    assert!(
        msg.starts_with("checkpoint <path>: could not create the temporary file "),
        "{msg}"
    );
    assert!(
        matches!(&err, CheckpointError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    );
    assert!(std::error::Error::source(&err).is_some());
    assert!(dir.listing().is_empty());
}

#[test]
fn a_path_without_a_file_name_is_an_error() {
    let err = save(&mlp::<f32>(&[3, 4, 2], 1), "..").unwrap_err();
    assert_eq!(
        err.to_string(),
        "checkpoint ..: could not write it: the path does not end in a file name"
    );
}

#[test]
fn loading_a_missing_file_names_it() {
    let dir = TestDir::new("no-file");
    let path = dir.path("nothing.safetensors");
    let mut net: Sequential<f32> = mlp(&[3, 4, 2], 1);
    let err = load(&mut net, &path).unwrap_err();
    assert!(
        message(&err, &path).starts_with("checkpoint <path>: could not read it: "),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_directory_leaves_the_old_checkpoint() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new("read-only");
    let path = dir.path("net.safetensors");
    let old: Sequential<f32> = mlp(&[3, 4, 2], 1);
    save(&old, &path).unwrap();
    let old_bytes = fs::read(&path).unwrap();

    fs::set_permissions(&dir.0, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: then there is nothing to test here (the
    // other atomicity tests still run).
    let probe = dir.path("probe");
    let root = fs::write(&probe, b"").is_ok();
    let result = save(&mlp::<f32>(&[3, 4, 2], 2), &path);
    fs::set_permissions(&dir.0, fs::Permissions::from_mode(0o755)).unwrap();
    if root {
        let _ = fs::remove_file(probe);
        return;
    }
    let err = result.unwrap_err();
    assert!(
        message(&err, &path).starts_with("checkpoint <path>: could not create the temporary file"),
        "{err}"
    );
    assert_eq!(fs::read(&path).unwrap(), old_bytes);
    assert_eq!(dir.listing(), ["net.safetensors"]);
}

/// A writer that accepts `budget` bytes, then fails: a disk that fills up
/// in the middle of a save.
struct FailAfter<'a> {
    inner: &'a mut fs::File,
    budget: usize,
}

impl Write for FailAfter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::other("simulated full disk"));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        self.inner.write(&buf[..n])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[test]
fn a_failure_in_the_middle_of_writing_leaves_the_old_checkpoint() {
    let dir = TestDir::new("mid-write");
    let path = dir.path("net.safetensors");
    let old: Sequential<f32> = mlp(&[3, 4, 2], 1);
    save(&old, &path).unwrap();
    let old_bytes = fs::read(&path).unwrap();

    // The new checkpoint's bytes, as `save` would write them.
    let scratch = TestDir::new("mid-write-scratch");
    save(&trained_recipe::<f32>(2), scratch.path("new")).unwrap();
    let new_bytes = fs::read(scratch.path("new")).unwrap();

    for budget in [0, 1, 8, 100, new_bytes.len() / 2, new_bytes.len() - 1] {
        let err = write_atomically(&path, |file| {
            FailAfter {
                inner: file,
                budget,
            }
            .write_all(&new_bytes)
        })
        .unwrap_err();
        let msg = message(&err, &path);
        assert!(
            msg.starts_with("checkpoint <path>: could not write the temporary file ")
                && msg.ends_with(": simulated full disk"),
            "{msg}"
        );
        assert_eq!(fs::read(&path).unwrap(), old_bytes, "budget {budget}");
        assert_eq!(dir.listing(), ["net.safetensors"], "budget {budget}");
    }
    let mut net: Sequential<f32> = mlp(&[3, 4, 2], 3);
    load(&mut net, &path).unwrap();
    assert_eq!(snapshot(&net), snapshot(&old));
}

#[test]
fn a_panic_in_the_middle_of_writing_leaves_the_old_checkpoint() {
    let dir = TestDir::new("panic");
    let path = dir.path("net.safetensors");
    save(&mlp::<f32>(&[3, 4, 2], 1), &path).unwrap();
    let old_bytes = fs::read(&path).unwrap();

    let (msg, _) = support::panic_of(|| {
        let _ = write_atomically(&path, |file| {
            file.write_all(b"half a checkpoint")?;
            panic!("the process dies mid-write");
        });
    });
    assert_eq!(msg, "the process dies mid-write");
    assert_eq!(fs::read(&path).unwrap(), old_bytes);
    assert_eq!(dir.listing(), ["net.safetensors"]);
}
