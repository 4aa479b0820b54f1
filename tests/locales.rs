//! The interface speaks English and Bahasa Indonesia: no message may be missing from either
//! language, differ in its variables, be named by the code without existing, or be left
//! behind unused; and no text a person reads may be written into a component instead of the
//! Fluent files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const LOCALES: [&str; 2] = ["en", "id"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Message id → the variables (`$name`) its text uses, after checking the file parses.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = root().join(format!("src/locales/{lang}/onboard.ftl"));
    let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if let Err((_, errors)) = fluent_syntax::parser::parse(source.as_str()) {
        panic!("{lang}: Fluent syntax errors: {errors:?}");
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            current = None;
            continue;
        }
        if !line.starts_with(' ') {
            let (id, _) = line
                .split_once(" =")
                .unwrap_or_else(|| panic!("{lang}: not a message: {line}"));
            assert!(
                out.insert(id.to_string(), BTreeSet::new()).is_none(),
                "{lang}: {id} is defined twice"
            );
            current = Some(id.to_string());
        }
        let id = current.clone().expect("continuation belongs to a message");
        let vars = out.get_mut(&id).unwrap();
        let mut rest = line;
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            vars.insert(name);
            rest = &rest[at + 1..];
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Source lines that are code, not comments, with their file.
fn code_lines() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut lines = Vec::new();
    for f in files {
        let name = f.strip_prefix(root()).unwrap().display().to_string();
        for line in fs::read_to_string(&f).unwrap().lines() {
            if !line.trim_start().starts_with("//") {
                lines.push((name.clone(), line.to_string()));
            }
        }
    }
    lines
}

/// The keys named in `t!(lang, "key" ...)` calls.
fn keys_used() -> BTreeSet<(String, String)> {
    let mut used = BTreeSet::new();
    for (file, line) in code_lines() {
        for (at, _) in line.match_indices("t!(") {
            // `t!(`, not the tail of `format!(` or `print!(`.
            if line[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let rest = &line[at..];
            let Some(open) = rest.find('"') else { continue };
            let key: String = rest[open + 1..].chars().take_while(|c| *c != '"').collect();
            used.insert((file.clone(), key));
        }
    }
    used
}

#[test]
fn both_languages_define_the_same_messages_with_the_same_variables() {
    let en = messages("en");
    let id = messages("id");
    let missing_in_id: Vec<_> = en.keys().filter(|k| !id.contains_key(*k)).collect();
    let missing_in_en: Vec<_> = id.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(missing_in_id.is_empty(), "missing in id: {missing_in_id:?}");
    assert!(missing_in_en.is_empty(), "missing in en: {missing_in_en:?}");
    for (key, vars) in &en {
        assert_eq!(vars, &id[key], "{key}: variables differ between en and id");
    }
    assert!(en.len() > 150, "only {} messages found", en.len());
}

#[test]
fn every_key_the_code_names_exists_in_every_language() {
    let used = keys_used();
    assert!(used.len() > 150, "only {} uses found", used.len());
    for lang in LOCALES {
        let defined = messages(lang);
        let missing: Vec<_> = used
            .iter()
            .filter(|(_, k)| !defined.contains_key(k))
            .collect();
        assert!(
            missing.is_empty(),
            "{lang}: undefined keys used: {missing:?}"
        );
    }
}

#[test]
fn no_message_is_left_unused() {
    let source: String = code_lines()
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n");
    let unused: Vec<_> = messages("en")
        .into_keys()
        .filter(|k| !source.contains(&format!("\"{k}\"")))
        .collect();
    assert!(unused.is_empty(), "messages nothing uses: {unused:?}");
}

/// Text nodes and readable attributes in `view!` markup must come from `t!`. The brand and
/// the CSV header (a format, not prose) are the only literal words on a page.
#[test]
fn components_do_not_hard_code_text() {
    const ALLOWED: [&str; 5] = [
        "onboard",
        "ob",
        "email,role,division,expires_at",
        "email,role,division,expires_at&#10;ana@example.com,staff,sales,",
        "new.hire@example.com",
    ];
    let mut found = Vec::new();
    for (file, line) in code_lines() {
        if !file.starts_with("src/app/") {
            continue;
        }
        let starts = line
            .match_indices(">\"")
            .map(|(i, _)| i + 2)
            .chain(
                ["placeholder=\"", "aria-label=\"", "title=\"", "alt=\""]
                    .iter()
                    .flat_map(|attr| line.match_indices(attr).map(|(i, _)| i + attr.len())),
            )
            .collect::<Vec<_>>();
        for start in starts {
            let text: String = line[start..].chars().take_while(|c| *c != '"').collect();
            let has_words = text.chars().any(|c| c.is_alphabetic());
            if has_words && !ALLOWED.contains(&text.as_str()) {
                found.push(format!("{file}: {text:?}"));
            }
        }
    }
    assert!(found.is_empty(), "hard-coded text: {found:#?}");
}

/// `build.rs` compiles the catalogues into plain tables, so neither half runs Fluent. Every
/// message must still read exactly as Fluent's own resolver reads it: with text, with numbers
/// that reach every plural form and exact-number variant, and with its variables missing.
#[test]
fn compiled_catalogues_read_exactly_as_fluent_resolves_them() {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
    use onboard::domain::Lang;
    use onboard::i18n::{text_with, Arg};

    for (lang, code) in [("en", Lang::En), ("id", Lang::Id)] {
        let path = root().join(format!("src/locales/{lang}/onboard.ftl"));
        let resource = FluentResource::try_new(fs::read_to_string(path).unwrap())
            .unwrap_or_else(|(_, e)| panic!("{lang}: {e:?}"));
        let mut bundle = FluentBundle::new(vec![lang
            .parse::<unic_langid::LanguageIdentifier>()
            .unwrap()]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).unwrap();
        let mut checked = 0;
        for (key, vars) in messages(lang) {
            let mut scenarios: Vec<Vec<(String, Arg<'static>)>> = vec![Vec::new()];
            scenarios.push(
                vars.iter()
                    .map(|v| (v.clone(), Arg::from("Ana <a@b>")))
                    .collect(),
            );
            if !vars.is_empty() {
                for n in [-1, 0, 1, 2, 3, 5, 11, 21, 100, 1_000, 123_456] {
                    scenarios.push(vars.iter().map(|v| (v.clone(), Arg::Number(n))).collect());
                }
            }
            let pattern = bundle.get_message(&key).and_then(|m| m.value()).unwrap();
            for values in scenarios {
                let mut fluent = FluentArgs::new();
                for (name, value) in &values {
                    match value {
                        Arg::Text(text) => fluent.set(name.as_str(), text.to_string()),
                        Arg::Number(n) => fluent.set(name.as_str(), *n),
                    }
                }
                let mut errors = Vec::new();
                let want = bundle.format_pattern(pattern, Some(&fluent), &mut errors);
                let args: Vec<(&str, Arg)> = values
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.clone()))
                    .collect();
                assert_eq!(
                    text_with(code, &key, &args),
                    want,
                    "{lang} {key} {values:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "{lang}: only {checked} renderings compared");
    }
    // An unknown id shows itself, in either language.
    assert_eq!(
        text_with(Lang::Id, "no-such-message", &[]),
        "no-such-message"
    );
}
