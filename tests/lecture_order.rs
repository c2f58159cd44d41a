//! The lecture-order rule (DESIGN.md): a chapter crate may depend only on
//! crates of earlier chapters. Read from `cargo metadata`, so it cannot
//! silently break.

use serde_json::Value;

/// The chapters, in the order the book teaches them.
const ORDER: [&str; 8] = [
    "tensor",
    "autograd",
    "layers",
    "losses",
    "init",
    "optim",
    "regularize",
    "train",
];

/// Every dependency of a chapter crate on a chapter that is not earlier.
fn violations(metadata: &Value) -> Vec<String> {
    let rank = |name: &str| ORDER.iter().position(|&c| c == name);
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("name");
        let Some(own) = rank(name) else { continue };
        for dep in package["dependencies"].as_array().expect("dependencies") {
            let dep_name = dep["name"].as_str().expect("dependency name");
            if let Some(other) = rank(dep_name)
                && other >= own
            {
                found.push(format!(
                    "{name} (chapter {}) depends on {dep_name} (chapter {})",
                    own + 1,
                    other + 1
                ));
            }
        }
    }
    found
}

fn workspace_metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn chapter_crates_depend_only_on_earlier_chapters() {
    let metadata = workspace_metadata();
    let v = violations(&metadata);
    assert!(
        v.is_empty(),
        "the lecture-order rule is broken:\n{}",
        v.join("\n")
    );
}

#[test]
fn every_workspace_crate_is_a_chapter_in_the_order() {
    let metadata = workspace_metadata();
    let names: Vec<&str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .filter(|&n| n != "gradschool")
        .collect();
    assert!(
        names.contains(&"tensor") && names.contains(&"autograd"),
        "chapters 1 and 2 exist: {names:?}"
    );
    for name in names {
        assert!(
            ORDER.contains(&name),
            "crate {name} is not a chapter of the book (DESIGN.md layout)"
        );
    }
}

#[test]
fn the_check_catches_a_dependency_on_a_later_chapter() {
    let metadata: Value = serde_json::json!({ "packages": [
        { "name": "autograd", "dependencies": [{ "name": "tensor" }] },
        { "name": "tensor", "dependencies": [{ "name": "ndarray" }, { "name": "layers" }] },
        { "name": "layers", "dependencies": [{ "name": "layers" }] },
    ]});
    assert_eq!(
        violations(&metadata),
        vec![
            "tensor (chapter 1) depends on layers (chapter 3)".to_string(),
            "layers (chapter 3) depends on layers (chapter 3)".to_string(),
        ]
    );
}
