//! The floors of `quickmcp-core` and `quickmcp-http` (docs/architecture.md): every path a module
//! names inside its own crate (`crate::…`, `super::…`, `self::…`, in a `use` or in code) must
//! lead to a module on the same floor or a lower one, so imports only point down and no cycle
//! can form between floors. Paths through the crate root's re-exports count as paths to the
//! module they re-export (`use crate::McpServer` is an import of `server`).
//!
//! Every module must have a floor: a new module fails this test until it is placed in a table
//! below, which is where its place in the design gets decided.
//!
//! Also the house style's size limit: no source file over 500 lines of code (docs, comments,
//! blank lines and the unit tests at its end not counted). Functions over 60 lines are
//! clippy's `too_many_lines` (clippy.toml).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// mcp-core's floors, lowest first; a module takes the floor of its longest listed prefix.
const CORE_FLOORS: &[(&str, &[&str])] = &[
    (
        "wire",
        &["error", "jsonrpc", "protocol", "schema", "cursor"],
    ),
    (
        "data",
        &[
            "principal",
            "otel",
            "sink",
            "visibility",
            "session::events",
            "session::ready",
            "session::state",
            "session::store",
            "tasks::record",
            "tasks::store",
        ],
    ),
    // `session` holds the live handles: `session::live`, `manager`, `connection`.
    ("plumbing", &["exchange", "session"]),
    ("handler API", &["handler", "extract", "response", "guard"]),
    ("registry", &["registry", "log_bridge"]),
    ("engine parts", &["notify", "tasks"]),
    ("service", &["service"]),
    ("server", &["server", "layer"]),
    ("transports", &["transport", "client"]),
];

/// mcp-http's floors, lowest first.
const HTTP_FLOORS: &[(&str, &[&str])] = &[
    ("responses", &["response", "route"]),
    ("auth", &["auth"]),
    ("options", &["options"]),
    ("layers", &["layer"]),
    (
        "SSE and connection tables",
        &["sse", "sse_legacy::connections"],
    ),
    ("state", &["state"]),
    ("wires", &["streamable", "v2026", "sse_legacy"]),
    ("router", &["router"]),
    ("serve", &["serve"]),
];

#[test]
fn mcp_core_imports_point_down() {
    assert_floors("mcp-core/src", CORE_FLOORS);
}

#[test]
fn mcp_http_imports_point_down() {
    assert_floors("mcp-http/src", HTTP_FLOORS);
}

#[test]
fn impl_mcp_server_lives_under_server() {
    let mut strays = Vec::new();
    for file in rust_files(&repo().join("mcp-core/src")) {
        let ast = parse(&file);
        for item in &ast.items {
            if let syn::Item::Impl(imp) = item {
                if names_mcp_server(&imp.self_ty) && !file.to_string_lossy().contains("/server/") {
                    strays.push(file.display().to_string());
                }
            }
        }
    }
    assert!(
        strays.is_empty(),
        "`impl McpServer` belongs in mcp-core/src/server/ only, found in: {strays:?}"
    );
}

#[test]
fn a_path_through_a_reexport_is_an_import_of_its_module() {
    let source = syn::parse_file("pub use server::McpServer; pub use error::code;").unwrap();
    let modules = ["server", "error"].map(|m| vec![m.to_owned()]).to_vec();
    let reexports = root_reexports(&source, &modules);
    let target = resolve(&["McpServer".to_owned()], &modules, &reexports);
    assert_eq!(target, Some(vec!["server".to_owned()]));
    let floors = Floors::new(CORE_FLOORS);
    let importer = floors.of(&["session".to_owned()]).unwrap();
    let imported = floors.of(&target.unwrap()).unwrap();
    assert!(
        imported.0 > importer.0,
        "the check would miss `use crate::McpServer`"
    );
}

#[test]
fn no_source_file_is_over_500_lines_of_code() {
    let mut big = Vec::new();
    for crate_src in ["src", "mcp-core/src", "mcp-http/src", "mcp-macros/src"] {
        for file in rust_files(&repo().join(crate_src)) {
            let text = fs::read_to_string(&file).unwrap();
            let code = lines_of_code(&text);
            if code > 500 {
                big.push(format!("{} ({code} lines)", file.display()));
            }
        }
    }
    assert!(big.is_empty(), "split by concept: {big:?}");
}

#[test]
fn lines_of_code_leave_out_docs_comments_and_unit_tests() {
    let text = "//! doc\n\nfn a() {}\n// why\n/// doc\nfn b() {}\n#[cfg(test)]\nmod tests {\n}\n";
    assert_eq!(lines_of_code(text), 2);
}

/// Non-blank lines that are not comments, up to the file's `#[cfg(test)]` module.
fn lines_of_code(text: &str) -> usize {
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .filter(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with("//")
        })
        .count()
}

fn names_mcp_server(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "McpServer"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse(file: &Path) -> syn::File {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module a file holds: `a/b.rs` and `a/b/mod.rs` are `a::b`, `lib.rs` is the root (empty).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

struct Floors {
    prefixes: Vec<(Vec<String>, usize, &'static str)>,
}

impl Floors {
    fn new(table: &'static [(&'static str, &'static [&'static str])]) -> Self {
        let mut prefixes = Vec::new();
        for (level, (name, modules)) in table.iter().enumerate() {
            for module in *modules {
                let path = module.split("::").map(str::to_owned).collect();
                prefixes.push((path, level, *name));
            }
        }
        Floors { prefixes }
    }

    /// The floor of `module`: its level and name, from the longest listed prefix.
    fn of(&self, module: &[String]) -> Option<(usize, &'static str)> {
        self.prefixes
            .iter()
            .filter(|(prefix, _, _)| module.starts_with(prefix))
            .max_by_key(|(prefix, _, _)| prefix.len())
            .map(|&(_, level, name)| (level, name))
    }
}

fn assert_floors(src: &str, table: &'static [(&'static str, &'static [&'static str])]) {
    let src = repo().join(src);
    let floors = Floors::new(table);
    let files = rust_files(&src);
    let modules: Vec<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let reexports = root_reexports(&parse(&src.join("lib.rs")), &modules);
    let mut problems = Vec::new();
    for (file, module) in files.iter().zip(&modules) {
        if module.is_empty() {
            continue; // the crate root re-exports from every floor
        }
        let Some(own) = floors.of(module) else {
            problems.push(format!(
                "{}: module `{}` has no floor",
                file.display(),
                module.join("::")
            ));
            continue;
        };
        let mut paths = PathCollector {
            module: module.clone(),
            paths: Vec::new(),
        };
        paths.visit_file(&parse(file));
        for path in paths.paths {
            let Some(target) = resolve(&path, &modules, &reexports) else {
                continue;
            };
            match floors.of(&target) {
                Some(theirs) if theirs.0 > own.0 => problems.push(format!(
                    "{} ({} floor) names crate::{} ({} floor)",
                    file.strip_prefix(repo()).unwrap().display(),
                    own.1,
                    path.join("::"),
                    theirs.1
                )),
                _ => {}
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "imports must point down:\n  {}",
        problems.join("\n  ")
    );
}

/// The crate root's `pub use module::…::Name` items, by the name they export.
fn root_reexports(lib: &syn::File, modules: &[Vec<String>]) -> BTreeMap<String, Vec<String>> {
    let mut found = Vec::new();
    for item in &lib.items {
        if let syn::Item::Use(item) = item {
            flatten(&item.tree, Vec::new(), &mut found);
        }
    }
    let mut reexports = BTreeMap::new();
    for (path, name) in found {
        if let Some(module) = longest_module(&path, modules) {
            reexports.insert(name, module);
        }
    }
    reexports
}

/// Every leaf of a `use` tree as (full path, the name it binds).
fn flatten(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    let with = |ident: &syn::Ident| {
        let mut path = prefix.clone();
        path.push(ident.to_string());
        path
    };
    match tree {
        syn::UseTree::Path(p) => flatten(&p.tree, with(&p.ident), out),
        syn::UseTree::Name(n) => out.push((with(&n.ident), n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push((with(&r.ident), r.rename.to_string())),
        syn::UseTree::Glob(_) => out.push((prefix.clone(), "*".to_owned())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix.clone(), out)),
    }
}

fn longest_module(path: &[String], modules: &[Vec<String>]) -> Option<Vec<String>> {
    modules
        .iter()
        .filter(|m| !m.is_empty() && path.starts_with(m))
        .max_by_key(|m| m.len())
        .cloned()
}

/// The module a crate-absolute path (without `crate`) leads to, through root re-exports.
fn resolve(
    path: &[String],
    modules: &[Vec<String>],
    reexports: &BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    longest_module(path, modules).or_else(|| reexports.get(path.first()?).cloned())
}

/// Collects every crate-relative path a file names, made absolute (without `crate`).
struct PathCollector {
    module: Vec<String>,
    paths: Vec<Vec<String>>,
}

impl PathCollector {
    /// `segments` made crate-absolute, or `None` for a path outside the crate.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let mut base = match segments.first()?.as_str() {
            "crate" => Vec::new(),
            "self" | "super" => self.module.clone(),
            _ => return None,
        };
        let mut rest = segments;
        if rest[0] == "crate" || rest[0] == "self" {
            rest = &rest[1..];
        }
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }
}

impl<'ast> Visit<'ast> for PathCollector {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            self.module.push(item.ident.to_string());
            syn::visit::visit_item_mod(self, item);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        flatten(&item.tree, Vec::new(), &mut leaves);
        for (path, _) in leaves {
            if let Some(absolute) = self.absolute(&path) {
                self.paths.push(absolute);
            }
        }
    }

    /// `pub(super)` and `pub(in crate::…)` name who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(absolute) = self.absolute(&segments) {
            self.paths.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }
}
