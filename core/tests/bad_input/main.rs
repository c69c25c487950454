//! The table of bad input (`core/docs/bad-input.md`, the `cognito_core::bad_input` docs page),
//! checked row by row: each row names an input the core must refuse and the typed error it
//! produces; here each row's input is built and fed to the public API, and the error must be the
//! one the table names. The table and this file must list the same rows: a row without a case,
//! or a case without a row, fails too. (Rows of class "HTTP framing" belong to
//! `cognito-embassy`'s reply reader and are checked in `adapters/embassy/tests/bad_input.rs`.)

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc
)]

#[allow(dead_code)]
#[path = "../auth/support.rs"]
mod support;

mod cases;

use std::collections::BTreeSet;

/// The table, as the docs show it.
const TABLE: &str = include_str!("../../docs/bad-input.md");

/// One row of the table: its id, class and the error column (`Type: Debug`).
#[derive(Debug)]
struct Row {
    id: String,
    class: String,
    error: String,
}

/// The rows of the table: lines `| id | class | input | error |` whose id is a letter and digits.
fn rows() -> Vec<Row> {
    TABLE
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().strip_prefix('|')?.split(" | ").collect();
            let id = cells.first()?.trim();
            let is_id = id.len() >= 2
                && id.starts_with(|c: char| c.is_ascii_uppercase())
                && id[1..].chars().all(|c| c.is_ascii_digit());
            if !is_id || cells.len() != 4 {
                return None;
            }
            let error = cells[3].trim().trim_end_matches('|').trim();
            Some(Row {
                id: id.to_owned(),
                class: cells[1].trim().to_owned(),
                error: error.trim_matches('`').to_owned(),
            })
        })
        .collect()
}

#[test]
fn every_row_of_the_table_gives_its_error() {
    let rows = rows();
    assert!(rows.len() >= 50, "the table has {} rows", rows.len());
    let mut failures = Vec::new();
    for row in rows.iter().filter(|r| r.class != "HTTP framing") {
        let Some(case) = cases::CASES.iter().find(|c| c.id == row.id) else {
            failures.push(format!(
                "{}: no case in core/tests/bad_input/cases.rs",
                row.id
            ));
            continue;
        };
        let got = (case.run)();
        if got != row.error {
            failures.push(format!(
                "{}: the table says `{}`, the core gives `{got}`",
                row.id, row.error
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_has_a_row_and_ids_are_unique() {
    let rows = rows();
    let ids: BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "an id appears twice in the table");
    let cases: BTreeSet<&str> = cases::CASES.iter().map(|c| c.id).collect();
    assert_eq!(
        cases.len(),
        cases::CASES.len(),
        "an id appears twice in the cases"
    );
    let orphans: Vec<&&str> = cases.difference(&ids).collect();
    assert!(orphans.is_empty(), "cases without a row: {orphans:?}");
}

#[test]
fn every_class_has_rows() {
    let rows = rows();
    for class in [
        "JSON",
        "SRP values",
        "base64 / hex",
        "tokens",
        "dates",
        "HTTP framing",
        "oversized fields",
        "server misbehaviour",
        "OAuth",
    ] {
        assert!(
            rows.iter().any(|r| r.class == class),
            "no row of class {class}"
        );
    }
}
