//! Transports over byte streams that the core can drive without a web stack.

pub(crate) mod stdio;
