//! [`HostGuardLayer`]: the check in front of the MCP endpoints.

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use tower::{Layer, Service};

use super::HostGuard;

/// Refuses, with a 403 naming the setting, requests whose `Host` or `Origin` this server does
/// not answer to.
#[derive(Clone)]
pub(crate) struct HostGuardLayer(pub(crate) Arc<HostGuard>);

impl<S> Layer<S> for HostGuardLayer {
    type Service = HostGuarded<S>;

    fn layer(&self, inner: S) -> HostGuarded<S> {
        HostGuarded {
            guard: self.0.clone(),
            inner,
        }
    }
}

/// The service [`HostGuardLayer`] puts in front of an endpoint.
#[derive(Clone)]
pub(crate) struct HostGuarded<S> {
    guard: Arc<HostGuard>,
    inner: S,
}

impl<S> Service<Request> for HostGuarded<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<std::future::Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match self.guard.check(request.headers(), request.uri()) {
            Ok(()) => Either::Right(self.inner.call(request)),
            Err(refused) => Either::Left(std::future::ready(Ok(refused.into_response()))),
        }
    }
}
