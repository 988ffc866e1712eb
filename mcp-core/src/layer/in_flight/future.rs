use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;
use tower::BoxError;

use super::Permit;
use crate::error::Rejection;
use crate::service::McpResponse;

pin_project! {
    /// The future of [`InFlightLimit`](super::InFlightLimit): the inner call holding its place
    /// in the counts until it ends or is dropped, or a refusal.
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    #[derive(Debug)]
    enum State<F> {
        Admitted { #[pin] inner: F, permit: Permit },
        Refused { refusal: Option<Rejection> },
    }
}

impl<F> ResponseFuture<F> {
    pub(super) fn admitted(inner: F, permit: Permit) -> Self {
        Self {
            state: State::Admitted { inner, permit },
        }
    }

    pub(super) fn refused(refusal: Rejection) -> Self {
        Self {
            state: State::Refused {
                refusal: Some(refusal),
            },
        }
    }
}

impl<F> Future for ResponseFuture<F>
where
    F: Future<Output = Result<McpResponse, BoxError>>,
{
    type Output = Result<McpResponse, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Admitted { inner, .. } => inner.poll(cx),
            StateProj::Refused { refusal } => Poll::Ready(Err(refusal
                .take()
                .expect("a refused future is polled once")
                .into())),
        }
    }
}
