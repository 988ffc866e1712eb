use quickmcp::prelude::*;

/// Unsafe.
#[tool]
unsafe fn danger() -> String {
    String::new()
}

/// Extern.
#[tool]
extern "C" fn foreign() -> u32 {
    1
}

/// Const.
#[tool]
const fn constant() -> u32 {
    1
}

fn main() {}
