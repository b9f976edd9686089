//! The layer rule of `app/src` (issue #32, README "Where things are"), checked by a test:
//! `ui` -> `server_fns` -> `services` -> `infra` -> `domain`, with `model`, `i18n`, `error` and
//! `paths` beside `domain`. A file may name its own layer and any layer below it, never one
//! above. `domain` and `model` also stay free of the database and HTTP crates, and `domain`
//! does not name `model` (the view types are built from the rules, not the other way round).
//!
//! Lines of comments and a file's `#[cfg(test)]` part are not read: a test may reach anywhere.

use std::fs;
use std::path::Path;

/// The layers, lowest first; the number is the height.
const LAYERS: &[(&str, u8)] = &[
    ("domain", 0),
    ("model", 0),
    ("i18n", 0),
    ("error", 0),
    ("paths", 0),
    ("infra", 1),
    ("services", 2),
    ("server_fns", 3),
    ("ui", 4),
];

/// Crates that belong to infrastructure and the server, never to the pure layers.
const SERVER_CRATES: &[&str] = &["sea_orm", "axum", "leptos_axum", "object_store", "sqlx"];

fn height(layer: &str) -> Option<u8> {
    LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, h)| *h)
}

/// The layer of a file, from its path below `app/src` (`services/bids/submit.rs` -> services).
fn layer_of(relative: &str) -> Option<&str> {
    let first = relative.split('/').next()?;
    let layer = first.strip_suffix(".rs").unwrap_or(first);
    height(layer).map(|_| layer)
}

/// What is wrong in one file: each line that names a layer above the file's own.
pub fn violations_in(relative: &str, source: &str) -> Vec<String> {
    let Some(layer) = layer_of(relative) else {
        return Vec::new();
    };
    let own = height(layer).unwrap_or(0);
    let code = source.split("\n#[cfg(test)]").next().unwrap_or(source);
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let mut complain = |what: String| {
            found.push(format!(
                "app/src/{relative}:{}: {what}: {trimmed}",
                number + 1
            ))
        };
        for named in crate_paths(line) {
            match height(named) {
                Some(h) if h > own => complain(format!("{layer} may not use {named}")),
                _ if layer == "domain" && named == "model" => {
                    complain("domain may not use model".into())
                }
                _ => {}
            }
        }
        if matches!(layer, "domain" | "model") {
            for krate in SERVER_CRATES {
                if names_crate(line, krate) {
                    complain(format!("{layer} may not use {krate}"));
                }
            }
        }
    }
    found
}

/// The first segment after each `crate::` on a line.
fn crate_paths(line: &str) -> Vec<&str> {
    line.match_indices("crate::")
        .filter(|(at, _)| {
            // `crate::` itself, not the end of another word (`my_crate::`).
            !line[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(at, _)| {
            let rest = &line[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

fn names_crate(line: &str, krate: &str) -> bool {
    line.match_indices(krate).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = &line[at + krate.len()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            && after.starts_with("::")
    })
}

/// Every violation below `src` (the app crate's `src` folder).
pub fn violations(src: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    walk(src, src, &mut found)?;
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(root, &path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source =
                fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .replace('\\', "/");
            found.extend(violations_in(&relative, &source));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_crate_keeps_its_layers_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
        let found = violations(&src).expect("app/src is readable");
        assert!(
            found.is_empty(),
            "lower layers name higher ones (README, \"Where things are\"):\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn a_lower_layer_naming_a_higher_one_is_reported_with_its_line() {
        let source = "use crate::domain::Money;\n\
                      // crate::ui in a comment is fine\n\
                      fn f() { crate::server_fns::session::require(); }\n";
        let found = violations_in("services/bids/award.rs", source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0]
            .starts_with("app/src/services/bids/award.rs:3: services may not use server_fns"));
        assert!(violations_in("ui/pages/home.rs", source).is_empty());
    }

    #[test]
    fn the_pure_layers_name_no_database_or_http_crate_and_domain_no_view_type() {
        assert_eq!(
            violations_in("model/bids.rs", "use sea_orm::EntityTrait;\n").len(),
            1
        );
        assert_eq!(
            violations_in(
                "domain/bid.rs",
                "fn v() -> crate::model::bids::BidDesk {}\n"
            )
            .len(),
            1
        );
        assert!(violations_in("infra/db.rs", "use sea_orm::EntityTrait;\n").is_empty());
        // A name that merely ends like a crate is not that crate.
        assert!(violations_in("domain/x.rs", "use my_axum::Thing;\n").is_empty());
    }

    #[test]
    fn test_code_may_reach_any_layer() {
        let source = "pub fn f() {}\n#[cfg(test)]\nmod tests { use crate::ui::App; }\n";
        assert!(violations_in("domain/x.rs", source).is_empty());
    }
}
