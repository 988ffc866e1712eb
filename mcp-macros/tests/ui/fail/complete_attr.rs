use quickmcp::prelude::*;

fn languages(prefix: &str) -> Vec<String> {
    vec![prefix.to_owned()]
}

/// `complete` is a list.
#[prompt(complete = languages)]
fn not_a_list(language: String) -> String {
    language
}

/// Every problem inside complete(...), in source order: two completers for one argument,
/// entries that are not `argument = path`, and a name that is no argument.
#[prompt(complete(
    language = languages,
    language = languages,
    style = "languages",
    level,
    a::b = languages,
    lang = languages,
))]
fn review(language: String, style: String, level: Option<u8>) -> String {
    format!("{language}{style}{level:?}")
}

/// No argument at all.
#[prompt(complete(language = languages))]
fn no_arguments() -> String {
    String::new()
}

/// A syntax error.
#[prompt(complete(language = ))]
fn syntax(language: String) -> String {
    language
}

// A resource template's completers name its placeholders.
#[resource("code://{language}/{file}", complete(lang = languages))]
fn file(language: String, file: String) -> String {
    language + &file
}

fn main() {}
