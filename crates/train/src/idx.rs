//! The IDX file format, in which MNIST (and Fashion-MNIST, KMNIST, ...) is
//! distributed, and the MNIST loaders built on it.
//!
//! An IDX file is a short header followed by the array's elements, row-major
//! (the last index varies fastest):
//!
//! ```text
//! offset   size      meaning
//! 0        2 bytes   zero
//! 2        1 byte    type code: 0x08 unsigned byte (MNIST), 0x09 signed byte,
//!                    0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
//! 3        1 byte    number of dimensions d
//! 4        4·d bytes the size of each dimension, big-endian u32, outermost first
//! 4 + 4·d  ...       the data: the product of the sizes, one byte each for 0x08
//! ```
//!
//! The MNIST test images start `00 00 08 03  00 00 27 10  00 00 00 1c  00 00 00 1c`
//! (unsigned bytes, 3 dimensions, 10000 × 28 × 28) and are followed by
//! 7 840 000 pixel bytes; the labels start `00 00 08 01  00 00 27 10` and are
//! followed by 10 000 bytes, each a digit 0–9.
//!
//! A file is input from the outside world: every function that reads one
//! returns [`IdxError`], never panics on a corrupt or hostile file, and
//! never allocates what a header merely claims. Sizes are multiplied with
//! overflow checks and compared with the bytes actually present before any
//! buffer is filled.
//!
//! [`mnist_t10k`] reads the 10 000 MNIST test images bundled with the
//! project, so no download is ever needed. They are the original files of
//! the MNIST database by Y. LeCun, C. Cortes and C. J. C. Burges, licensed
//! CC BY-SA 3.0 as usually stated; see `data/README.md` next to them.

use std::error::Error;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use tensor::Tensor;

/// The type code of unsigned bytes, the only element type MNIST uses.
const TYPE_U8: u8 = 0x08;

/// The first two bytes of every gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The bundled MNIST test set, gzip-compressed as distributed.
const T10K_IMAGES_GZ: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/mnist/t10k-images-idx3-ubyte.gz"
));
const T10K_LABELS_GZ: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/mnist/t10k-labels-idx1-ubyte.gz"
));

/// An array read from an IDX file: its shape (outermost first) and its
/// elements as bytes, row-major.
///
/// ```
/// use train::idx::{IdxArray, parse_idx};
/// let a = IdxArray { shape: vec![2, 3], data: vec![1, 2, 3, 4, 5, 6] };
/// assert_eq!(parse_idx(&a.to_bytes()).unwrap(), a);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxArray {
    /// The size of each dimension, outermost first: `[10000, 28, 28]` for
    /// the MNIST test images, `[10000]` for their labels.
    pub shape: Vec<usize>,
    /// The elements, row-major; `data.len()` is the product of `shape`.
    pub data: Vec<u8>,
}

impl IdxArray {
    /// The array as an IDX file of unsigned bytes (type code 0x08), the
    /// inverse of [`parse_idx`].
    ///
    /// # Panics
    /// If the shape has no dimension or more than 255, a size above
    /// `u32::MAX`, or a product that differs from `data.len()`:
    /// `IdxArray::to_bytes: shape [2, 3] holds 6 bytes but data has 5`.
    ///
    /// ```
    /// use train::idx::IdxArray;
    /// let labels = IdxArray { shape: vec![3], data: vec![7, 2, 1] };
    /// assert_eq!(labels.to_bytes(), [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
    /// ```
    #[track_caller]
    pub fn to_bytes(&self) -> Vec<u8> {
        let ndim = match u8::try_from(self.shape.len()) {
            Ok(0) | Err(_) => panic!(
                "IdxArray::to_bytes: an IDX array has 1 to 255 dimensions, the shape {:?} has {}",
                self.shape,
                self.shape.len()
            ),
            Ok(d) => d,
        };
        let elements = self
            .shape
            .iter()
            .try_fold(1usize, |acc, &d| acc.checked_mul(d));
        if elements != Some(self.data.len()) {
            panic!(
                "IdxArray::to_bytes: shape {:?} holds {} bytes but data has {}",
                self.shape,
                elements.map_or_else(|| "more".to_string(), |n| n.to_string()),
                self.data.len()
            );
        }
        let mut bytes = Vec::with_capacity(4 + 4 * self.shape.len() + self.data.len());
        bytes.extend_from_slice(&[0, 0, TYPE_U8, ndim]);
        for &d in &self.shape {
            let d = u32::try_from(d).unwrap_or_else(|_| {
                panic!(
                    "IdxArray::to_bytes: size {d} in shape {:?} does not fit the format's u32",
                    self.shape
                )
            });
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes.extend_from_slice(&self.data);
        bytes
    }
}

/// Which half of MNIST (or Fashion-MNIST) to load: the files are named
/// `train-...` (60 000 images) and `t10k-...` (10 000 images).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Split {
    /// The training set, files `train-images-idx3-ubyte` and `train-labels-idx1-ubyte`.
    Train,
    /// The test set, files `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`.
    Test,
}

impl Split {
    /// The prefix of the standard file names: `"train"` or `"t10k"`.
    ///
    /// ```
    /// use train::idx::Split;
    /// assert_eq!((Split::Train.file_prefix(), Split::Test.file_prefix()), ("train", "t10k"));
    /// ```
    pub fn file_prefix(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Test => "t10k",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Split::Train => "training",
            Split::Test => "test",
        })
    }
}

/// What was wrong with an IDX file, and where.
///
/// Errors found in the bytes carry the file's path when it is known
/// (`path: None` for bytes given to [`parse_idx`] directly; the readers fill
/// it in, and so can [`IdxError::with_path`]). Messages name the file, the
/// byte offset or the part of the header concerned, and what was expected
/// against what was found:
///
/// ```
/// use train::idx::parse_idx;
/// // MNIST's image header, 10000 × 28 × 28, followed by only 3 pixels.
/// let mut bytes = vec![0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28];
/// bytes.extend([0, 0, 0]);
/// let err = parse_idx(&bytes).unwrap_err().with_path("t10k-images-idx3-ubyte");
/// assert_eq!(
///     err.to_string(),
///     "t10k-images-idx3-ubyte: truncated: the header declares 10000 × 28 × 28 = 7840000 \
///      bytes of data, the file has 3 after the header"
/// );
/// ```
#[derive(Debug)]
pub enum IdxError {
    /// The file could not be read (missing, unreadable, ...).
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file starts like gzip but does not decompress.
    Gzip {
        /// The file, if known.
        path: Option<PathBuf>,
        /// How many bytes decompressed correctly before the failure.
        decompressed: u64,
        /// What the decompressor said.
        source: io::Error,
    },
    /// The data ends inside the header.
    TruncatedHeader {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The number of dimensions (byte 3), if the file got that far.
        ndim: Option<u8>,
        /// The header's length: 4, or 4 + 4 · `ndim`.
        needed: usize,
        /// The bytes present.
        found: usize,
    },
    /// Bytes 0 and 1 are not zero: not an IDX file.
    BadMagic {
        /// The file, if known.
        path: Option<PathBuf>,
        /// Bytes 0 and 1.
        found: [u8; 2],
    },
    /// Byte 2, the element type, is not unsigned bytes (0x08).
    UnsupportedType {
        /// The file, if known.
        path: Option<PathBuf>,
        /// Byte 2.
        code: u8,
    },
    /// Byte 3 declares an array of no dimensions.
    ZeroDimensions {
        /// The file, if known.
        path: Option<PathBuf>,
    },
    /// The product of the sizes does not fit in a `usize`.
    SizeOverflow {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The sizes declared by the header.
        shape: Vec<usize>,
    },
    /// Fewer data bytes than the header declares.
    Truncated {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The sizes declared by the header.
        shape: Vec<usize>,
        /// Their product: the data bytes the header declares.
        declared: usize,
        /// The data bytes present after the header.
        found: u64,
    },
    /// More data bytes than the header declares.
    TrailingBytes {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The sizes declared by the header.
        shape: Vec<usize>,
        /// Their product: the data bytes the header declares.
        declared: usize,
        /// The number of bytes after them.
        extra: u64,
        /// Where the extra bytes start (in the decompressed data for gzip).
        offset: u64,
    },
    /// An images file must have 3 dimensions `[count, rows, columns]`.
    NotImages {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The shape found.
        shape: Vec<usize>,
    },
    /// A labels file must have 1 dimension `[count]`.
    NotLabels {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The shape found.
        shape: Vec<usize>,
    },
    /// A label is not one of the ten classes 0–9.
    LabelOutOfRange {
        /// The file, if known.
        path: Option<PathBuf>,
        /// The label's position among the labels.
        index: usize,
        /// Its byte offset in the (decompressed) file.
        offset: usize,
        /// Its value.
        value: u8,
    },
    /// The images and labels files hold different numbers of samples.
    CountMismatch {
        /// The images file.
        images_path: PathBuf,
        /// The number of images.
        images: usize,
        /// The labels file.
        labels_path: PathBuf,
        /// The number of labels.
        labels: usize,
    },
    /// [`load_mnist_dir`] found none of the standard names for a file.
    MissingFile {
        /// The folder searched.
        dir: PathBuf,
        /// Whether that folder exists.
        dir_exists: bool,
        /// The split asked for.
        split: Split,
        /// `"images"` or `"labels"`.
        kind: &'static str,
        /// The file names tried, in order.
        looked_for: Vec<String>,
    },
}

impl IdxError {
    /// The same error, naming `path` as the file it was found in (errors
    /// that already name a file are returned unchanged).
    ///
    /// ```
    /// use train::idx::parse_idx;
    /// let err = parse_idx(b"PK\x03\x04").unwrap_err().with_path("digits.zip");
    /// assert_eq!(err.to_string(), "digits.zip: not an IDX file: bytes 0-1 should be 00 00, found 50 4b");
    /// ```
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        match &mut self {
            IdxError::Gzip { path: p, .. }
            | IdxError::TruncatedHeader { path: p, .. }
            | IdxError::BadMagic { path: p, .. }
            | IdxError::UnsupportedType { path: p, .. }
            | IdxError::ZeroDimensions { path: p }
            | IdxError::SizeOverflow { path: p, .. }
            | IdxError::Truncated { path: p, .. }
            | IdxError::TrailingBytes { path: p, .. }
            | IdxError::NotImages { path: p, .. }
            | IdxError::NotLabels { path: p, .. }
            | IdxError::LabelOutOfRange { path: p, .. } => {
                if p.is_none() {
                    *p = Some(path.into());
                }
            }
            IdxError::Io { .. } | IdxError::CountMismatch { .. } | IdxError::MissingFile { .. } => {
            }
        }
        self
    }
}

/// `10000 × 28 × 28`.
struct Dims<'a>(&'a [usize]);

impl fmt::Display for Dims<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" × ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// `10000 × 28 × 28 = 7840000 bytes`, or `10000 bytes` for one dimension.
struct DeclaredBytes<'a>(&'a [usize], usize);

impl fmt::Display for DeclaredBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.len() > 1 {
            write!(f, "{} = ", Dims(self.0))?;
        }
        write!(f, "{} bytes", self.1)
    }
}

/// The name of the element type with IDX code `code`, if it is one.
fn type_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => return None,
    })
}

impl fmt::Display for IdxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or_else(|| "IDX data".to_string(), |p| p.display().to_string())
        };
        match self {
            IdxError::Io { path, source } => {
                write!(f, "{}: cannot read: {source}", path.display())
            }
            IdxError::Gzip {
                path,
                decompressed,
                source,
            } => write!(
                f,
                "{}: corrupt gzip data after {decompressed} decompressed bytes: {source}",
                name(path)
            ),
            IdxError::TruncatedHeader {
                path,
                ndim: None,
                found,
                ..
            } => write!(
                f,
                "{}: truncated header: an IDX file starts with a 4-byte magic number, \
                 the file has {found} bytes",
                name(path)
            ),
            IdxError::TruncatedHeader {
                path,
                ndim: Some(d),
                needed,
                found,
            } => write!(
                f,
                "{}: truncated header: {d} dimensions need a {needed}-byte header \
                 (4 + 4 × {d}), the file has {found} bytes",
                name(path)
            ),
            IdxError::BadMagic { path, found } => write!(
                f,
                "{}: not an IDX file: bytes 0-1 should be 00 00, found {:02x} {:02x}",
                name(path),
                found[0],
                found[1]
            ),
            IdxError::UnsupportedType { path, code } => match type_name(*code) {
                Some(t) => write!(
                    f,
                    "{}: byte 2: element type 0x{code:02x} ({t}) is not supported; \
                     this reader reads 0x08 (unsigned byte), the type of MNIST",
                    name(path)
                ),
                None => write!(
                    f,
                    "{}: byte 2: 0x{code:02x} is not an IDX element type \
                     (0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e; this reader reads 0x08)",
                    name(path)
                ),
            },
            IdxError::ZeroDimensions { path } => write!(
                f,
                "{}: byte 3: the header declares 0 dimensions; an IDX array has at least 1",
                name(path)
            ),
            IdxError::SizeOverflow { path, shape } => write!(
                f,
                "{}: the header declares a {} array, more bytes than this machine can address",
                name(path),
                Dims(shape)
            ),
            IdxError::Truncated {
                path,
                shape,
                declared,
                found,
            } => write!(
                f,
                "{}: truncated: the header declares {} of data, the file has {found} after the header",
                name(path),
                DeclaredBytes(shape, *declared)
            ),
            IdxError::TrailingBytes {
                path,
                shape,
                declared,
                extra,
                offset,
            } => write!(
                f,
                "{}: {extra} unexpected bytes from byte offset {offset}: the header declares {} \
                 of data, the file has more",
                name(path),
                DeclaredBytes(shape, *declared)
            ),
            IdxError::NotImages { path, shape } => write!(
                f,
                "{}: expected images of 3 dimensions [count, rows, columns], found shape {shape:?}{}",
                name(path),
                if shape.len() == 1 {
                    " (a labels file?)"
                } else {
                    ""
                }
            ),
            IdxError::NotLabels { path, shape } => write!(
                f,
                "{}: expected labels of 1 dimension [count], found shape {shape:?}{}",
                name(path),
                if shape.len() == 3 {
                    " (an images file?)"
                } else {
                    ""
                }
            ),
            IdxError::LabelOutOfRange {
                path,
                index,
                offset,
                value,
            } => write!(
                f,
                "{}: the label at index {index} (byte offset {offset}) is {value}, not a class 0-9",
                name(path)
            ),
            IdxError::CountMismatch {
                images_path,
                images,
                labels_path,
                labels,
            } => write!(
                f,
                "{images} images in {} but {labels} labels in {}: \
                 the two files should come from the same split",
                images_path.display(),
                labels_path.display()
            ),
            IdxError::MissingFile {
                dir,
                dir_exists,
                split,
                kind,
                looked_for,
            } => {
                let names = looked_for.join(", ");
                if *dir_exists {
                    write!(
                        f,
                        "{}: found no MNIST {split} {kind}: looked for {names}",
                        dir.display()
                    )
                } else {
                    write!(
                        f,
                        "{}: no such folder (looking for the MNIST {split} {kind}: {names})",
                        dir.display()
                    )
                }
            }
        }
    }
}

impl Error for IdxError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            IdxError::Io { source, .. } | IdxError::Gzip { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What an IDX header declares.
struct Header {
    shape: Vec<usize>,
    /// 4 + 4 · (number of dimensions).
    len: usize,
    /// The product of the shape: the data bytes that must follow.
    data_len: usize,
}

impl Header {
    /// Reads the header at the start of `bytes` (which may hold the data
    /// too, or nothing more). Looks only at the header's own bytes.
    fn parse(bytes: &[u8]) -> Result<Header, IdxError> {
        let &[b0, b1, code, ndim, ..] = bytes else {
            return Err(IdxError::TruncatedHeader {
                path: None,
                ndim: None,
                needed: 4,
                found: bytes.len(),
            });
        };
        if [b0, b1] != [0, 0] {
            return Err(IdxError::BadMagic {
                path: None,
                found: [b0, b1],
            });
        }
        if code != TYPE_U8 {
            return Err(IdxError::UnsupportedType { path: None, code });
        }
        if ndim == 0 {
            return Err(IdxError::ZeroDimensions { path: None });
        }
        let len = 4 + 4 * usize::from(ndim);
        let Some(sizes) = bytes.get(4..len) else {
            return Err(IdxError::TruncatedHeader {
                path: None,
                ndim: Some(ndim),
                needed: len,
                found: bytes.len(),
            });
        };
        // At most 255 entries: this allocation is bounded by the format.
        let shape: Vec<usize> = sizes
            .chunks_exact(4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
            .collect();
        // A header can declare 2³² × 2³² × 2³² bytes: multiply with checks.
        let Some(data_len) = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) else {
            return Err(IdxError::SizeOverflow { path: None, shape });
        };
        Ok(Header {
            shape,
            len,
            data_len,
        })
    }

    /// Checks that exactly `data_len` bytes of data were found.
    fn check_data(&self, found: u64) -> Result<(), IdxError> {
        let declared = self.data_len as u64;
        if found < declared {
            Err(IdxError::Truncated {
                path: None,
                shape: self.shape.clone(),
                declared: self.data_len,
                found,
            })
        } else if found > declared {
            Err(IdxError::TrailingBytes {
                path: None,
                shape: self.shape.clone(),
                declared: self.data_len,
                extra: found - declared,
                offset: self.len as u64 + declared,
            })
        } else {
            Ok(())
        }
    }
}

/// Parses an uncompressed IDX file of unsigned bytes held in memory.
///
/// The data must be exactly as long as the header declares: a short file
/// is [`IdxError::Truncated`], a long one [`IdxError::TrailingBytes`]. The
/// size is checked before anything is copied, so a hostile header cannot
/// make this allocate more than `bytes.len()`.
///
/// ```
/// use train::idx::parse_idx;
/// // Two labels: unsigned bytes (0x08), 1 dimension of size 2, then 7 and 2.
/// let labels = parse_idx(&[0, 0, 0x08, 1, 0, 0, 0, 2, 7, 2])?;
/// assert_eq!((labels.shape, labels.data), (vec![2], vec![7, 2]));
/// // A header that claims 2³² × 2³² bytes is refused, not believed.
/// assert!(parse_idx(&[0, 0, 0x08, 2, 255, 255, 255, 255, 255, 255, 255, 255, 0]).is_err());
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn parse_idx(bytes: &[u8]) -> Result<IdxArray, IdxError> {
    let header = Header::parse(bytes)?;
    let data = &bytes[header.len..];
    header.check_data(data.len() as u64)?;
    Ok(IdxArray {
        shape: header.shape,
        data: data.to_vec(),
    })
}

/// Parses an IDX file held in memory, gunzipping it first if it starts with
/// the gzip magic bytes `1f 8b` (an IDX file starts with `00 00`, so the two
/// cannot be confused).
///
/// ```
/// use std::io::Write;
/// use flate2::{Compression, write::GzEncoder};
/// use train::idx::decode_idx;
/// let raw = [0, 0, 0x08, 1, 0, 0, 0, 2, 7, 2];
/// let mut gz = GzEncoder::new(Vec::new(), Compression::default());
/// gz.write_all(&raw).unwrap();
/// let gz = gz.finish().unwrap();
/// assert_eq!(decode_idx(&gz)?, decode_idx(&raw)?);
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn decode_idx(bytes: &[u8]) -> Result<IdxArray, IdxError> {
    if bytes.starts_with(&GZIP_MAGIC) {
        gunzip_idx(bytes)
    } else {
        parse_idx(bytes)
    }
}

/// Decompresses and parses a gzip-compressed IDX file.
///
/// How much to decompress: exactly what the header declares, but never
/// allocated on the header's word. The header is decompressed first (at
/// most 4 + 4 · 255 bytes), its data size computed with overflow checks,
/// and then at most that many bytes are decompressed into a buffer that
/// grows only as data actually arrives (`take` + `read_to_end`). A header
/// claiming terabytes over a tiny stream costs what the stream holds, and a
/// gzip bomb cannot grow the buffer past the declared size. A fixed cap
/// (say 100 MB) would refuse real data sets larger than MNIST, such as
/// EMNIST; the declared size is the one limit every valid file meets.
/// Bytes beyond it are counted through a fixed 8 KiB buffer, never stored,
/// to report how many there are and to reach the gzip checksum at the end;
/// deflate expands at most about 1000-fold, so this takes time in
/// proportion to the file's size.
fn gunzip_idx(gz: &[u8]) -> Result<IdxArray, IdxError> {
    let mut decoder = MultiGzDecoder::new(gz);
    let gzip_error = |decompressed: usize, source| IdxError::Gzip {
        path: None,
        decompressed: decompressed as u64,
        source,
    };
    let mut head = Vec::with_capacity(4);
    read_at_most(&mut decoder, 4, &mut head).map_err(|e| gzip_error(head.len(), e))?;
    if let [0, 0, _, ndim] = head[..] {
        read_at_most(&mut decoder, 4 * u64::from(ndim), &mut head)
            .map_err(|e| gzip_error(head.len(), e))?;
    }
    let header = Header::parse(&head)?;
    let mut data = Vec::new();
    read_at_most(&mut decoder, header.data_len as u64, &mut data)
        .map_err(|e| gzip_error(header.len + data.len(), e))?;
    let mut extra = 0u64;
    let mut scratch = [0u8; 8192];
    loop {
        match decoder.read(&mut scratch) {
            Ok(0) => break,
            Ok(n) => extra += n as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(IdxError::Gzip {
                    path: None,
                    decompressed: (header.len + data.len()) as u64 + extra,
                    source: e,
                });
            }
        }
    }
    header.check_data(data.len() as u64 + extra)?;
    Ok(IdxArray {
        shape: header.shape,
        data,
    })
}

/// Appends at most `limit` bytes from `reader` to `buf`, growing it only as
/// bytes arrive (bytes read before an error stay in `buf`).
fn read_at_most(reader: &mut impl Read, limit: u64, buf: &mut Vec<u8>) -> io::Result<usize> {
    reader.take(limit).read_to_end(buf)
}

/// Reads an IDX file, gunzipping it first if it is compressed (detected
/// from its first bytes, `1f 8b`, not from its name, so a `.gz` file that a
/// browser already decompressed is read too). Errors name the file.
///
/// ```
/// use std::path::Path;
/// use train::idx::read_idx;
/// let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
/// let labels = read_idx(&data.join("t10k-labels-idx1-ubyte.gz"))?;
/// assert_eq!(labels.shape, [10000]);
/// assert_eq!(labels.data[..5], [7, 2, 1, 0, 4]);
/// let err = read_idx(&data.join("no-such-file")).unwrap_err();
/// assert!(err.to_string().contains("no-such-file: cannot read"));
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn read_idx(path: &Path) -> Result<IdxArray, IdxError> {
    // The whole file: its real size, not a size any header claims.
    let bytes = std::fs::read(path).map_err(|source| IdxError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode_idx(&bytes).map_err(|e| e.with_path(path))
}

/// MNIST images `[count, rows, columns]` as a tensor `[count, rows · columns]`
/// (`[n, 784]` for MNIST's 28 × 28 pixels), each row one image read row by
/// row, with the pixel bytes 0..=255 scaled to [0, 1].
///
/// # Panics
/// If `images.data.len()` is not the product of `images.shape` (an array
/// built by hand; [`parse_idx`] never returns one).
///
/// ```
/// use train::idx::{IdxArray, mnist_images};
/// let two = IdxArray { shape: vec![2, 1, 2], data: vec![0, 255, 51, 102] };
/// let x = mnist_images(two)?;
/// assert_eq!(x.shape(), [2, 2]);
/// assert_eq!(x.to_vec(), [0.0, 1.0, 0.2, 0.4]);
/// # Ok::<(), train::idx::IdxError>(())
/// ```
#[track_caller]
pub fn mnist_images(images: IdxArray) -> Result<Tensor<f32>, IdxError> {
    let &[n, rows, cols] = &images.shape[..] else {
        return Err(IdxError::NotImages {
            path: None,
            shape: images.shape,
        });
    };
    let pixels = rows.checked_mul(cols);
    if pixels.and_then(|p| p.checked_mul(n)) != Some(images.data.len()) {
        panic!(
            "mnist_images: shape {:?} does not match {} data bytes",
            images.shape,
            images.data.len()
        );
    }
    let x = images.data.iter().map(|&b| f32::from(b) / 255.0).collect();
    Ok(Tensor::from_vec(x, [n, rows * cols]))
}

/// MNIST labels `[count]` as class indices, checking that each is a digit
/// 0–9 (the ten classes of MNIST and of Fashion-MNIST).
///
/// ```
/// use train::idx::{IdxArray, mnist_labels};
/// let labels = IdxArray { shape: vec![3], data: vec![7, 2, 1] };
/// assert_eq!(mnist_labels(labels)?, [7, 2, 1]);
/// let bad = IdxArray { shape: vec![2], data: vec![3, 10] };
/// assert_eq!(
///     mnist_labels(bad).unwrap_err().to_string(),
///     "IDX data: the label at index 1 (byte offset 9) is 10, not a class 0-9"
/// );
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn mnist_labels(labels: IdxArray) -> Result<Vec<usize>, IdxError> {
    if labels.shape.len() != 1 {
        return Err(IdxError::NotLabels {
            path: None,
            shape: labels.shape,
        });
    }
    if let Some((index, &value)) = labels.data.iter().enumerate().find(|&(_, &v)| v > 9) {
        return Err(IdxError::LabelOutOfRange {
            path: None,
            index,
            offset: 8 + index, // after the 8-byte header of a 1-d file
            value,
        });
    }
    Ok(labels.data.iter().map(|&v| usize::from(v)).collect())
}

/// Images and labels read from two files: `[n, rows · columns]` in [0, 1]
/// and `n` classes 0–9.
fn pair(
    images: IdxArray,
    images_path: &Path,
    labels: IdxArray,
    labels_path: &Path,
) -> Result<(Tensor<f32>, Vec<usize>), IdxError> {
    let x = mnist_images(images).map_err(|e| e.with_path(images_path))?;
    let y = mnist_labels(labels).map_err(|e| e.with_path(labels_path))?;
    if x.dim(0) != y.len() {
        return Err(IdxError::CountMismatch {
            images_path: images_path.to_path_buf(),
            images: x.dim(0),
            labels_path: labels_path.to_path_buf(),
            labels: y.len(),
        });
    }
    Ok((x, y))
}

/// Reads an images file and its labels file (raw or gzip), as
/// [`mnist_images`] and [`mnist_labels`], and checks that they hold the same
/// number of samples.
///
/// ```
/// use std::path::Path;
/// use train::idx::load_pair;
/// let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
/// let images = data.join("t10k-images-idx3-ubyte.gz");
/// let (x, y) = load_pair(&images, &data.join("t10k-labels-idx1-ubyte.gz"))?;
/// assert_eq!((x.shape(), y.len()), (&[10000, 784][..], 10000));
/// // Swapping the files is caught, and the message names the file.
/// let err = load_pair(&images, &images).unwrap_err();
/// assert!(err.to_string().ends_with(
///     "t10k-images-idx3-ubyte.gz: expected labels of 1 dimension [count], \
///      found shape [10000, 28, 28] (an images file?)"
/// ));
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn load_pair(images: &Path, labels: &Path) -> Result<(Tensor<f32>, Vec<usize>), IdxError> {
    pair(read_idx(images)?, images, read_idx(labels)?, labels)
}

/// The first of the standard names for a file that exists in `dir`.
fn find_file(dir: &Path, split: Split, kind: &'static str) -> Result<PathBuf, IdxError> {
    let prefix = split.file_prefix();
    let idx = if kind == "images" { "idx3" } else { "idx1" };
    // The original names, and the dotted ones of a common Kaggle copy.
    let looked_for = vec![
        format!("{prefix}-{kind}-{idx}-ubyte"),
        format!("{prefix}-{kind}-{idx}-ubyte.gz"),
        format!("{prefix}-{kind}.{idx}-ubyte"),
        format!("{prefix}-{kind}.{idx}-ubyte.gz"),
    ];
    for name in &looked_for {
        let path = dir.join(name);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(IdxError::MissingFile {
        dir: dir.to_path_buf(),
        dir_exists: dir.is_dir(),
        split,
        kind,
        looked_for,
    })
}

/// Loads one split of MNIST from a folder holding its files under their
/// standard names, raw or gzipped: `train-images-idx3-ubyte[.gz]` and
/// `train-labels-idx1-ubyte[.gz]` for [`Split::Train`], `t10k-...` for
/// [`Split::Test`] (also accepted: `train-images.idx3-ubyte`, ...).
/// Fashion-MNIST uses the same names and format, so it loads the same way.
///
/// Returns the images `[n, 784]` in [0, 1] and the labels 0–9. If a file is
/// missing, the error lists the names it looked for.
///
/// ```
/// use std::path::Path;
/// use train::idx::{Split, load_mnist_dir};
/// let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
/// let (x, y) = load_mnist_dir(&dir, Split::Test)?;
/// assert_eq!((x.shape(), y.len()), (&[10000, 784][..], 10000));
/// // The project bundles only the test split.
/// let err = load_mnist_dir(&dir, Split::Train).unwrap_err();
/// assert!(err.to_string().ends_with(
///     "found no MNIST training images: looked for train-images-idx3-ubyte, \
///      train-images-idx3-ubyte.gz, train-images.idx3-ubyte, train-images.idx3-ubyte.gz"
/// ));
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn load_mnist_dir(dir: &Path, split: Split) -> Result<(Tensor<f32>, Vec<usize>), IdxError> {
    let images = find_file(dir, split, "images")?;
    let labels = find_file(dir, split, "labels")?;
    load_pair(&images, &labels)
}

/// The MNIST test set bundled with the project, read from the library
/// itself (no file, no download): 10 000 images `[10000, 784]` in [0, 1]
/// and their labels 0–9, about 1000 of each digit.
///
/// The original `t10k-*-ubyte.gz` files of the MNIST database
/// (Y. LeCun, C. Cortes, C. J. C. Burges), CC BY-SA 3.0 as usually stated;
/// see `data/README.md`. The result is always `Ok` (the tests check the
/// bundled files); it is a `Result` like every other loader here.
///
/// ```
/// let (x, y) = train::idx::mnist_t10k()?;
/// assert_eq!(x.shape(), [10000, 784]);
/// assert_eq!(y[..10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
/// # Ok::<(), train::idx::IdxError>(())
/// ```
pub fn mnist_t10k() -> Result<(Tensor<f32>, Vec<usize>), IdxError> {
    let images = Path::new("data/mnist/t10k-images-idx3-ubyte.gz");
    let labels = Path::new("data/mnist/t10k-labels-idx1-ubyte.gz");
    pair(
        decode_idx(T10K_IMAGES_GZ).map_err(|e| e.with_path(images))?,
        images,
        decode_idx(T10K_LABELS_GZ).map_err(|e| e.with_path(labels))?,
        labels,
    )
}
