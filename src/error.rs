//! Errors of starting and running a server.

use std::io;

/// What can stop a server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// Why.
        source: io::Error,
    },
    /// The transport failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// `Result<T, quickmcp::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
