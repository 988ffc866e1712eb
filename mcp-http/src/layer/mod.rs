//! Tower layers of the HTTP app, one folder each.

pub(crate) mod host_guard;
