//! The IDX reader: small files written by the tests (raw and gzipped),
//! round trips, every error with its message, fuzzing (random bytes,
//! mutations and truncations of valid files, never a panic and `Ok` only
//! for well-formed input), hostile headers, and the bundled MNIST test set.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use proptest::test_runner::Config;
use train::idx::{
    IdxArray, IdxError, Split, decode_idx, load_mnist_dir, load_pair, mnist_images, mnist_labels,
    mnist_t10k, parse_idx, read_idx,
};

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

// ----- helpers ------------------------------------------------------------

/// A fresh folder under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gradschool-idx-{}-{test}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes `bytes` to `name` in this folder and returns its path.
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An IDX file of unsigned bytes, written by hand (independently of
/// `IdxArray::to_bytes`): `00 00 08 d`, the sizes big-endian, the data.
fn idx(shape: &[u32], data: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0x08, shape.len() as u8];
    for d in shape {
        bytes.extend(d.to_be_bytes());
    }
    bytes.extend(data);
    bytes
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The reference decompressor for the fuzz tests: the whole stream, capped
/// (the inputs are tiny; deflate expands at most about 1000-fold).
fn reference_gunzip(gz: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    MultiGzDecoder::new(gz)
        .take(1 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// The definition of a well-formed IDX file of unsigned bytes, written
/// independently of the reader: the array it holds, or `None`.
fn well_formed(bytes: &[u8]) -> Option<IdxArray> {
    if bytes.len() < 4 || bytes[..3] != [0, 0, 0x08] || bytes[3] == 0 {
        return None;
    }
    let header_len = 4 + 4 * bytes[3] as usize;
    let sizes = bytes.get(4..header_len)?;
    let shape: Vec<usize> = sizes
        .chunks(4)
        .map(|c| u32::from_be_bytes(c.try_into().unwrap()) as usize)
        .collect();
    let elements = shape
        .iter()
        .try_fold(1u128, |acc, &d| acc.checked_mul(d as u128))?;
    (bytes.len() as u128 == header_len as u128 + elements).then(|| IdxArray {
        shape,
        data: bytes[header_len..].to_vec(),
    })
}

/// What `decode_idx` must return: gzip input is judged after decompression.
fn expected_decode(bytes: &[u8]) -> Option<IdxArray> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        well_formed(&reference_gunzip(bytes)?)
    } else {
        well_formed(bytes)
    }
}

/// The fuzz tests' configuration: parsing a small file takes microseconds,
/// so they run 256 cases each (proptest's own default) rather than the
/// workspace's 32; `PROPTEST_CASES` still sets the depth of a long run.
fn fuzz_config() -> Config {
    let base = support::proptest_config();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            256
        },
        ..base
    }
}

// ----- reading valid files ------------------------------------------------

#[test]
fn parses_a_labels_file_written_by_hand() {
    let a = parse_idx(&[0, 0, 0x08, 1, 0, 0, 0, 4, 7, 2, 1, 0]).unwrap();
    assert_eq!(a.shape, [4]);
    assert_eq!(a.data, [7, 2, 1, 0]);
}

#[test]
fn parses_an_images_file_row_major() {
    // Two 2×3 images: the last index varies fastest.
    let data: Vec<u8> = (0..12).collect();
    let a = parse_idx(&idx(&[2, 2, 3], &data)).unwrap();
    assert_eq!(a.shape, [2, 2, 3]);
    assert_eq!(a.data, data);
    let x = mnist_images(a).unwrap();
    assert_eq!(x.shape(), [2, 6]);
    assert_eq!(x.at([1, 4]), 10.0 / 255.0);
}

#[test]
fn empty_arrays_are_well_formed() {
    let a = parse_idx(&idx(&[0, 28, 28], &[])).unwrap();
    assert_eq!((a.shape.as_slice(), a.data.len()), (&[0, 28, 28][..], 0));
    assert_eq!(mnist_images(a).unwrap().shape(), [0, 784]);
    assert_eq!(
        mnist_labels(parse_idx(&idx(&[0], &[])).unwrap()).unwrap(),
        Vec::<usize>::new()
    );
}

#[test]
fn to_bytes_matches_the_format_and_round_trips() {
    for (shape, data) in [
        (vec![1usize], vec![9u8]),
        (vec![3], vec![7, 2, 1]),
        (vec![2, 3], (0..6).collect()),
        (vec![2, 1, 2, 2], (10..18).collect()),
        (vec![0, 5], vec![]),
    ] {
        let a = IdxArray {
            shape: shape.clone(),
            data: data.clone(),
        };
        let dims: Vec<u32> = shape.iter().map(|&d| d as u32).collect();
        assert_eq!(a.to_bytes(), idx(&dims, &data));
        assert_eq!(parse_idx(&a.to_bytes()).unwrap(), a);
        assert_eq!(decode_idx(&gzip(&a.to_bytes())).unwrap(), a);
    }
}

#[test]
fn to_bytes_panics_on_an_inconsistent_array() {
    let (message, _) = support::panic_of(|| {
        let _ = IdxArray {
            shape: vec![2, 3],
            data: vec![0; 5],
        }
        .to_bytes();
    });
    assert_eq!(
        message,
        "IdxArray::to_bytes: shape [2, 3] holds 6 bytes but data has 5"
    );
    let (message, _) = support::panic_of(|| {
        let _ = IdxArray {
            shape: vec![],
            data: vec![0],
        }
        .to_bytes();
    });
    assert_eq!(
        message,
        "IdxArray::to_bytes: an IDX array has 1 to 255 dimensions, the shape [] has 0"
    );
}

#[test]
fn read_idx_reads_raw_and_gzipped_files_recognised_by_content() {
    let dir = TempDir::new("read");
    let raw = idx(&[2, 2], &[1, 2, 3, 4]);
    let expected = parse_idx(&raw).unwrap();
    for (name, bytes) in [
        ("a-idx2-ubyte", raw.clone()),
        ("a-idx2-ubyte.gz", gzip(&raw)),
        // Gzip data without the suffix, and a `.gz` name over raw data (a
        // browser that decompressed the download): the content decides.
        ("b-idx2-ubyte", gzip(&raw)),
        ("b-idx2-ubyte.gz", raw.clone()),
        // `cat a.gz b.gz` is a valid gzip file: the members are joined.
        (
            "c-idx2-ubyte.gz",
            [gzip(&raw[..5]), gzip(&raw[5..])].concat(),
        ),
    ] {
        let path = dir.write(name, &bytes);
        assert_eq!(read_idx(&path).unwrap(), expected, "{name}");
    }
}

#[test]
fn load_pair_scales_pixels_and_reads_labels() {
    let dir = TempDir::new("pair");
    let images = dir.write(
        "images.gz",
        &gzip(&idx(&[3, 2, 2], &[0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8])),
    );
    let labels = dir.write("labels", &idx(&[3], &[9, 0, 4]));
    let (x, y) = load_pair(&images, &labels).unwrap();
    assert_eq!(x.shape(), [3, 4]);
    assert_eq!(x.to_vec()[..4], [0.0, 1.0, 0.2, 0.4]);
    approx::assert_relative_eq!(x.at([2, 3]), 8.0 / 255.0);
    assert_eq!(y, [9, 0, 4]);
}

#[test]
fn load_mnist_dir_finds_the_standard_names_raw_gzipped_or_dotted() {
    // Fashion-MNIST ships under the same names as MNIST: one folder layout.
    let images = idx(&[2, 28, 28], &[128; 2 * 784]);
    let labels = idx(&[2], &[3, 8]);
    for (image_name, image_bytes, label_name, label_bytes) in [
        (
            "train-images-idx3-ubyte",
            images.clone(),
            "train-labels-idx1-ubyte",
            labels.clone(),
        ),
        (
            "train-images-idx3-ubyte.gz",
            gzip(&images),
            "train-labels-idx1-ubyte.gz",
            gzip(&labels),
        ),
        (
            "train-images.idx3-ubyte",
            images.clone(),
            "train-labels.idx1-ubyte.gz",
            gzip(&labels),
        ),
    ] {
        let dir = TempDir::new("dir");
        dir.write(image_name, &image_bytes);
        dir.write(label_name, &label_bytes);
        let (x, y) = load_mnist_dir(&dir.0, Split::Train).unwrap();
        assert_eq!(x.shape(), [2, 784]);
        assert!(x.to_vec().iter().all(|&v| v == 128.0 / 255.0));
        assert_eq!(y, [3, 8]);
        // The other split is not there.
        assert!(matches!(
            load_mnist_dir(&dir.0, Split::Test),
            Err(IdxError::MissingFile {
                split: Split::Test,
                kind: "images",
                ..
            })
        ));
    }
}

// ----- every error, with its message ---------------------------------------

/// The error of `parse_idx` on `bytes`, as read from a file named `file`.
fn parse_error(bytes: &[u8]) -> String {
    parse_idx(bytes)
        .unwrap_err()
        .with_path("file-idx3-ubyte")
        .to_string()
}

#[test]
fn io_error_names_the_file() {
    let dir = TempDir::new("io");
    let path = dir.0.join("missing-idx1-ubyte");
    let err = read_idx(&path).unwrap_err();
    assert!(matches!(&err, IdxError::Io { path: p, .. } if *p == path));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read: No such file or directory (os error 2)",
            path.display()
        )
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn corrupt_gzip_is_an_error_naming_where_it_failed() {
    let dir = TempDir::new("gzip");
    let raw = idx(&[4], &[1, 2, 3, 4]);
    // Cut inside the 8-byte trailer (CRC-32 and length): all 12 bytes
    // decompress, then the stream ends early.
    let mut gz = gzip(&raw);
    gz.truncate(gz.len() - 4);
    let path = dir.write("cut.gz", &gz);
    let err = read_idx(&path).unwrap_err();
    assert!(matches!(
        err,
        IdxError::Gzip {
            decompressed: 12,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: corrupt gzip data after 12 decompressed bytes: unexpected end of file",
            path.display()
        )
    );
    assert!(std::error::Error::source(&err).is_some());
    // A wrong checksum.
    let mut gz = gzip(&raw);
    let crc = gz.len() - 8;
    gz[crc] ^= 0xff;
    let err = decode_idx(&gz).unwrap_err();
    assert_eq!(
        err.to_string(),
        "IDX data: corrupt gzip data after 12 decompressed bytes: \
         corrupt gzip stream does not have a matching checksum"
    );
    // Bytes after the gzip stream that do not start another member.
    let gz = [gzip(&raw), vec![0, 0, 0]].concat();
    // (flate2 reads them as a truncated member header.)
    assert_eq!(
        decode_idx(&gz).unwrap_err().to_string(),
        "IDX data: corrupt gzip data after 12 decompressed bytes: unexpected end of file"
    );
    // The first deflate block declares the reserved block type 3.
    let mut gz = gzip(&raw);
    gz[10] |= 0b110;
    assert_eq!(
        decode_idx(&gz).unwrap_err().to_string(),
        "IDX data: corrupt gzip data after 0 decompressed bytes: corrupt deflate stream"
    );
    // The gzip magic and nothing else.
    assert!(matches!(
        decode_idx(&[0x1f, 0x8b]),
        Err(IdxError::Gzip {
            decompressed: 0,
            ..
        })
    ));
}

#[test]
fn truncated_header_messages() {
    assert_eq!(
        parse_error(&[0, 0, 8]),
        "file-idx3-ubyte: truncated header: an IDX file starts with a 4-byte magic number, \
         the file has 3 bytes"
    );
    assert_eq!(
        parse_error(&[0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0]),
        "file-idx3-ubyte: truncated header: 3 dimensions need a 16-byte header \
         (4 + 4 × 3), the file has 10 bytes"
    );
    assert!(matches!(
        parse_idx(&[]),
        Err(IdxError::TruncatedHeader {
            ndim: None,
            needed: 4,
            found: 0,
            ..
        })
    ));
    // Through gzip, the counts are of decompressed bytes.
    assert!(matches!(
        decode_idx(&gzip(&[0, 0, 8, 2, 0, 0, 0, 1])),
        Err(IdxError::TruncatedHeader {
            ndim: Some(2),
            needed: 12,
            found: 8,
            ..
        })
    ));
}

#[test]
fn bad_magic_message() {
    assert_eq!(
        parse_error(b"PK\x03\x04"),
        "file-idx3-ubyte: not an IDX file: bytes 0-1 should be 00 00, found 50 4b"
    );
    assert!(matches!(
        parse_idx(&[0, 1, 8, 1, 0, 0, 0, 0]),
        Err(IdxError::BadMagic { found: [0, 1], .. })
    ));
}

#[test]
fn unsupported_type_messages() {
    assert_eq!(
        parse_error(&[0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]),
        "file-idx3-ubyte: byte 2: element type 0x0d (32-bit float) is not supported; \
         this reader reads 0x08 (unsigned byte), the type of MNIST"
    );
    assert_eq!(
        parse_error(&[0, 0, 0x07, 1, 0, 0, 0, 0]),
        "file-idx3-ubyte: byte 2: 0x07 is not an IDX element type \
         (0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e; this reader reads 0x08)"
    );
    for code in (0..=255u8).filter(|&c| c != 0x08) {
        assert!(matches!(
            parse_idx(&[0, 0, code, 1, 0, 0, 0, 0]),
            Err(IdxError::UnsupportedType { code: c, .. }) if c == code
        ));
    }
}

#[test]
fn zero_dimensions_message() {
    assert_eq!(
        parse_error(&[0, 0, 8, 0, 42]),
        "file-idx3-ubyte: byte 3: the header declares 0 dimensions; an IDX array has at least 1"
    );
}

#[test]
fn size_overflow_message() {
    let huge = [u32::MAX; 3];
    assert_eq!(
        parse_error(&idx(&huge, &[])),
        "file-idx3-ubyte: the header declares a 4294967295 × 4294967295 × 4294967295 array, \
         more bytes than this machine can address"
    );
}

#[test]
fn truncated_data_message() {
    let bytes = idx(&[10000, 28, 28], &[0; 123]);
    assert_eq!(
        parse_idx(&bytes)
            .unwrap_err()
            .with_path("t10k-images-idx3-ubyte.gz")
            .to_string(),
        "t10k-images-idx3-ubyte.gz: truncated: the header declares 10000 × 28 × 28 = 7840000 \
         bytes of data, the file has 123 after the header"
    );
    assert_eq!(
        parse_error(&idx(&[10], &[1, 2])),
        "file-idx3-ubyte: truncated: the header declares 10 bytes of data, \
         the file has 2 after the header"
    );
    assert!(matches!(
        decode_idx(&gzip(&bytes)),
        Err(IdxError::Truncated {
            declared: 7_840_000,
            found: 123,
            ..
        })
    ));
}

#[test]
fn trailing_bytes_message() {
    assert_eq!(
        parse_error(&idx(&[2, 2], &[1, 2, 3, 4, 5, 6])),
        "file-idx3-ubyte: 2 unexpected bytes from byte offset 16: the header declares \
         2 × 2 = 4 bytes of data, the file has more"
    );
    assert!(matches!(
        decode_idx(&gzip(&idx(&[3], &[1, 2, 3, 4]))),
        Err(IdxError::TrailingBytes {
            declared: 3,
            extra: 1,
            offset: 11,
            ..
        })
    ));
}

#[test]
fn not_images_and_not_labels_messages() {
    let labels = parse_idx(&idx(&[3], &[1, 2, 3])).unwrap();
    let images = parse_idx(&idx(&[1, 2, 2], &[0; 4])).unwrap();
    assert_eq!(
        mnist_images(labels).unwrap_err().to_string(),
        "IDX data: expected images of 3 dimensions [count, rows, columns], \
         found shape [3] (a labels file?)"
    );
    assert_eq!(
        mnist_labels(images).unwrap_err().to_string(),
        "IDX data: expected labels of 1 dimension [count], found shape [1, 2, 2] (an images file?)"
    );
    let matrix = parse_idx(&idx(&[2, 2], &[0; 4])).unwrap();
    assert_eq!(
        mnist_images(matrix.clone()).unwrap_err().to_string(),
        "IDX data: expected images of 3 dimensions [count, rows, columns], found shape [2, 2]"
    );
    assert_eq!(
        mnist_labels(matrix).unwrap_err().to_string(),
        "IDX data: expected labels of 1 dimension [count], found shape [2, 2]"
    );
}

#[test]
fn label_out_of_range_names_the_file_index_and_offset() {
    let dir = TempDir::new("label");
    let images = dir.write("images", &idx(&[3, 1, 1], &[0, 0, 0]));
    let labels = dir.write("labels.gz", &gzip(&idx(&[3], &[1, 9, 10])));
    let err = load_pair(&images, &labels).unwrap_err();
    assert!(matches!(
        err,
        IdxError::LabelOutOfRange {
            index: 2,
            offset: 10,
            value: 10,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the label at index 2 (byte offset 10) is 10, not a class 0-9",
            labels.display()
        )
    );
}

#[test]
fn count_mismatch_names_both_counts_and_both_files() {
    let dir = TempDir::new("count");
    let images = dir.write("imgs-idx3-ubyte", &idx(&[3, 1, 1], &[0, 0, 0]));
    let labels = dir.write("labs-idx1-ubyte", &idx(&[2], &[1, 2]));
    assert_eq!(
        load_pair(&images, &labels).unwrap_err().to_string(),
        format!(
            "3 images in {} but 2 labels in {}: the two files should come from the same split",
            images.display(),
            labels.display()
        )
    );
}

#[test]
fn missing_files_list_the_names_looked_for() {
    let dir = TempDir::new("missing");
    assert_eq!(
        load_mnist_dir(&dir.0, Split::Test).unwrap_err().to_string(),
        format!(
            "{}: found no MNIST test images: looked for t10k-images-idx3-ubyte, \
             t10k-images-idx3-ubyte.gz, t10k-images.idx3-ubyte, t10k-images.idx3-ubyte.gz",
            dir.0.display()
        )
    );
    dir.write("train-images-idx3-ubyte.gz", &gzip(&idx(&[0, 28, 28], &[])));
    assert_eq!(
        load_mnist_dir(&dir.0, Split::Train)
            .unwrap_err()
            .to_string(),
        format!(
            "{}: found no MNIST training labels: looked for train-labels-idx1-ubyte, \
             train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz",
            dir.0.display()
        )
    );
    let nowhere = dir.0.join("no-such-folder");
    assert_eq!(
        load_mnist_dir(&nowhere, Split::Train)
            .unwrap_err()
            .to_string(),
        format!(
            "{}: no such folder (looking for the MNIST training images: train-images-idx3-ubyte, \
             train-images-idx3-ubyte.gz, train-images.idx3-ubyte, train-images.idx3-ubyte.gz)",
            nowhere.display()
        )
    );
}

#[test]
fn with_path_keeps_the_first_path() {
    let err = parse_idx(&[1])
        .unwrap_err()
        .with_path("inner")
        .with_path("outer");
    assert!(err.to_string().starts_with("inner: truncated header"));
}

// ----- hostile headers -------------------------------------------------------

/// A header may declare any size; the reader compares it with the bytes
/// present before allocating. Were it to allocate what these headers claim
/// (2⁴⁰ bytes and more), the allocation would fail and abort the test
/// process, or at the very least take far longer than the time allowed.
#[test]
fn huge_declared_sizes_on_tiny_files_fail_fast_without_allocating() {
    let start = Instant::now();
    let shapes: [&[u32]; 5] = [
        &[1 << 20, 1 << 20],                   // 2⁴⁰ bytes
        &[u32::MAX, u32::MAX],                 // about 2⁶⁴, still a valid usize
        &[u32::MAX, u32::MAX, u32::MAX],       // overflows
        &[1 << 16, 1 << 16, 1 << 16, 1 << 16], // 2⁶⁴ exactly: overflows
        &[u32::MAX; 255],                      // the largest header there is
    ];
    for shape in shapes {
        let bytes = idx(shape, &[1, 2, 3]);
        let raw = parse_idx(&bytes).unwrap_err();
        let gz = decode_idx(&gzip(&bytes)).unwrap_err();
        for err in [raw, gz] {
            assert!(
                matches!(
                    err,
                    IdxError::Truncated { found: 3, .. } | IdxError::SizeOverflow { .. }
                ),
                "{err}"
            );
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
}

/// A "gzip bomb": a header declaring 10 bytes, then 64 MiB of zeros, which
/// compress to about 64 KiB. The reader keeps the 10 bytes it was promised
/// and only counts the rest.
#[test]
fn data_beyond_the_declared_size_is_counted_not_stored() {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&idx(&[10], &[0; 10])).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let gz = encoder.finish().unwrap();
    assert!(gz.len() < 100_000, "{} bytes", gz.len());
    assert!(matches!(
        decode_idx(&gz),
        Err(IdxError::TrailingBytes { declared: 10, extra, offset: 18, .. }) if extra == 64 << 20
    ));
}

// ----- fuzzing -------------------------------------------------------------------

/// A valid small array: 1 to 3 dimensions of 0 to 4, random bytes.
fn valid_array() -> impl Strategy<Value = IdxArray> {
    prop::collection::vec(0usize..=4, 1..=3).prop_flat_map(|shape| {
        let n: usize = shape.iter().product();
        prop::collection::vec(any::<u8>(), n).prop_map(move |data| IdxArray {
            shape: shape.clone(),
            data,
        })
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// XOR one byte with a non-zero mask.
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 1..=255u8).prop_map(|(i, m)| Mutation::Flip(i, m)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => any::<usize>().prop_map(Mutation::Remove),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Applies the mutations, positions taken modulo the current length.
fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match *m {
            Mutation::Flip(i, mask) if len > 0 => bytes[i % len] ^= mask,
            Mutation::Insert(i, b) => bytes.insert(i % (len + 1), b),
            Mutation::Remove(i) if len > 0 => {
                bytes.remove(i % len);
            }
            Mutation::Truncate(i) => bytes.truncate(i % (len + 1)),
            _ => {}
        }
    }
    bytes
}

/// Bytes that often begin like an IDX file (so the fuzzing reaches past
/// the magic number), followed by random bytes.
fn idx_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop_oneof![
        Just(vec![]),
        Just(vec![0, 0]),
        Just(vec![0, 0, 0x08]),
        (1..=4u8).prop_map(|d| vec![0, 0, 0x08, d]),
        (1..=4u8, 0..=3u8).prop_map(|(d, s)| vec![0, 0, 0x08, d, 0, 0, 0, s]),
    ];
    (prefix, prop::collection::vec(any::<u8>(), 0..48)).prop_map(|(mut p, tail)| {
        p.extend(tail);
        p
    })
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn random_bytes_parse_without_panicking_and_only_when_well_formed(bytes in idx_like_bytes()) {
        prop_assert_eq!(parse_idx(&bytes).ok(), well_formed(&bytes));
        prop_assert_eq!(decode_idx(&bytes).ok(), well_formed(&bytes));
    }

    #[test]
    fn random_bytes_after_the_gzip_magic_decode_without_panicking(
        tail in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let bytes = [&[0x1f, 0x8b, 0x08][..], &tail].concat();
        prop_assert_eq!(decode_idx(&bytes).ok(), expected_decode(&bytes));
    }

    #[test]
    fn mutations_of_a_valid_file_parse_only_when_well_formed(
        array in valid_array(),
        mutations in prop::collection::vec(mutation(), 1..=4),
    ) {
        let bytes = mutate(array.to_bytes(), &mutations);
        let parsed = parse_idx(&bytes);
        prop_assert_eq!(parsed.ok(), well_formed(&bytes));
        if let Ok(labels) = parse_idx(&bytes) {
            // Whatever parses, the MNIST converters handle without panicking.
            let _ = mnist_images(labels.clone());
            let _ = mnist_labels(labels);
        }
    }

    #[test]
    fn mutations_of_a_valid_gzipped_file_decode_only_when_well_formed(
        array in valid_array(),
        mutations in prop::collection::vec(mutation(), 1..=4),
    ) {
        let bytes = mutate(gzip(&array.to_bytes()), &mutations);
        prop_assert_eq!(decode_idx(&bytes).ok(), expected_decode(&bytes));
    }

    #[test]
    fn every_truncation_of_a_valid_file_is_an_error(array in valid_array()) {
        let bytes = array.to_bytes();
        let header = 4 + 4 * array.shape.len();
        for len in 0..bytes.len() {
            match parse_idx(&bytes[..len]) {
                Err(IdxError::TruncatedHeader { found, .. }) => {
                    prop_assert!(len < header);
                    prop_assert_eq!(found, len);
                }
                Err(IdxError::Truncated { declared, found, .. }) => {
                    prop_assert!(len >= header);
                    prop_assert_eq!((declared, found), (array.data.len(), (len - header) as u64));
                }
                other => prop_assert!(false, "prefix of {} bytes: {:?}", len, other),
            }
        }
        prop_assert_eq!(parse_idx(&bytes).unwrap(), array);
    }

    #[test]
    fn every_truncation_of_a_gzipped_valid_file_is_an_error(array in valid_array()) {
        let gz = gzip(&array.to_bytes());
        for len in 0..gz.len() {
            prop_assert!(decode_idx(&gz[..len]).is_err(), "prefix of {} bytes", len);
        }
        prop_assert_eq!(decode_idx(&gz).unwrap(), array);
    }

    #[test]
    fn valid_arrays_round_trip_raw_and_gzipped(array in valid_array()) {
        let bytes = array.to_bytes();
        prop_assert_eq!(&parse_idx(&bytes).unwrap(), &array);
        prop_assert_eq!(&decode_idx(&gzip(&bytes)).unwrap(), &array);
    }

    #[test]
    fn labels_are_accepted_exactly_when_all_are_digits(
        labels in prop::collection::vec(0u8..=12, 0..32),
    ) {
        let result = mnist_labels(IdxArray { shape: vec![labels.len()], data: labels.clone() });
        match labels.iter().position(|&v| v > 9) {
            None => prop_assert_eq!(
                result.unwrap(),
                labels.iter().map(|&v| v as usize).collect::<Vec<_>>()
            ),
            Some(first) => {
                let is_first_bad = matches!(
                    result,
                    Err(IdxError::LabelOutOfRange { index, offset, value, .. })
                        if index == first && offset == 8 + first && value == labels[first]
                );
                prop_assert!(is_first_bad);
            }
        }
    }
}

// ----- the bundled MNIST test set ------------------------------------------------

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/mnist")
        .join(name)
}

#[test]
fn bundled_t10k_has_10000_images_in_the_unit_interval_and_their_labels() {
    let (x, y) = mnist_t10k().unwrap();
    assert_eq!(x.shape(), [10000, 784]);
    let pixels = x.as_slice().unwrap();
    assert!(pixels.iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert_eq!(pixels.iter().copied().fold(f32::MIN, f32::max), 1.0);
    assert_eq!(y.len(), 10000);
    assert_eq!(y[..10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let mut counts = [0usize; 10];
    for &label in &y {
        counts[label] += 1;
    }
    assert_eq!(
        counts,
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
}

#[test]
fn bundled_t10k_files_read_from_disk_match_the_embedded_copy() {
    let images = read_idx(&bundled("t10k-images-idx3-ubyte.gz")).unwrap();
    assert_eq!(images.shape, [10000, 28, 28]);
    // The sum of all pixel bytes, computed once from the original file.
    let sum: u64 = images.data.iter().map(|&b| u64::from(b)).sum();
    assert_eq!(sum, 264_923_200);
    let from_dir = load_mnist_dir(&bundled(""), Split::Test).unwrap();
    assert_eq!(from_dir, mnist_t10k().unwrap());
}
