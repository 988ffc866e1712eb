//! What user code and the macros touch: the context of a call, the traits every handler kind
//! implements, and the guard that turns a handler's panic into its request's error.

mod context;

pub(crate) use context::CallState;
pub use context::{CallContext, CallControl, RequestCx, TaskControl};
