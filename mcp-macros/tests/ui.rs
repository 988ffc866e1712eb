//! Compile-time behaviour of the macros: `ui/pass` must compile, and every error message the
//! macros can emit has a case in `ui/fail` with its expected `.stderr`.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p quickmcp-macros --test ui`,
//! then review every changed `.stderr`: each must point at the user's tokens.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
