//! What a server serves: tools now; resources and prompts join the same pattern.

pub mod tool;
