//! The book and the code are one source of truth: these tests fail when a
//! chapter names something the code does not have, or the other way round.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every distinct word `grad_...` in `text` (letters, digits, underscores).
fn grad_names(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        let start = i + prefix.len() - "grad_".len();
        let word: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `grad_<op>` in prose is a pattern, not a name.
        if word.len() > "grad_".len() {
            names.insert(word);
        }
    }
    names
}

#[test]
fn chapter_2_op_table_names_exactly_the_gradient_tests() {
    let chapter = read("book/src/02-autograd.md");
    let tests = read("crates/autograd/tests/grad_ops.rs");
    // The table's last column names the test, as `grad_<op>` in backticks.
    let in_book = grad_names(&chapter, "`grad_");
    // Tests are `fn grad_<op>` or entries `grad_<op>: strategy, check;` of
    // the file's test-generating macro.
    let mut in_code = grad_names(&tests, "fn grad_");
    for line in tests.lines().map(str::trim_start) {
        if let Some((name, _)) = line.split_once(':')
            && name.starts_with("grad_")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            in_code.insert(name.to_string());
        }
    }
    assert!(
        in_code.len() >= 30,
        "expected one gradient test per op, found {in_code:?}"
    );
    let missing_in_code: Vec<_> = in_book.difference(&in_code).collect();
    let missing_in_book: Vec<_> = in_code.difference(&in_book).collect();
    assert!(
        missing_in_code.is_empty(),
        "the chapter 2 table names tests that do not exist: {missing_in_code:?}"
    );
    assert!(
        missing_in_book.is_empty(),
        "gradient tests missing from the chapter 2 table: {missing_in_book:?}"
    );
}

#[test]
fn grad_names_finds_whole_words() {
    let names = grad_names("a `grad_add` b `grad_log_softmax`, `grad_add`", "`grad_");
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        vec!["grad_add", "grad_log_softmax"]
    );
}
