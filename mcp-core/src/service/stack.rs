//! The server's MCP-level layers ([`McpServer::layer`](crate::McpServer::layer)), built once
//! into one stack that every connection and transport shares: a limit or a rate counts the
//! whole server, not one connection.
//!
//! The stack is a type-erased tower service behind a mutex, held only to ask it for readiness
//! and to start a call (the engine's own work starts on the call's first poll, outside the
//! lock). A call that finds the stack not ready waits in a list that any readiness change
//! wakes whole, so no waiter is lost when several connections wait at once (tower services
//! remember one waker each). Without layers, none of this runs: the engine is called directly.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::task::{Context, Poll, Wake, Waker};

use parking_lot::Mutex;
use tower::util::BoxService;
use tower::{BoxError, Service};

use super::{trace, Engine, McpRequest, McpResponse, Outgoing, Reply, Running};
use crate::error::{McpError, Rejection};
use crate::jsonrpc::RequestId;

/// The type-erased stack of MCP-level layers a server runs requests through.
pub type BoxMcpService = BoxService<McpRequest, McpResponse, BoxError>;

/// A layer, kept so that the stack can be built again when another is added.
pub(crate) type Wrap = Arc<dyn Fn(BoxMcpService) -> BoxMcpService + Send + Sync>;

/// The built stack.
pub(crate) struct Stack {
    service: Mutex<BoxMcpService>,
    waiters: Arc<Waiters>,
    /// Wakes every waiter: the waker the stack's readiness is polled with, built once.
    wake_all: Waker,
}

impl Stack {
    /// Builds the stack: the engine, then each layer around the previous ones (the last
    /// added runs first).
    pub(crate) fn build(engine: &Arc<Engine>, layers: &[Wrap]) -> Self {
        let base = BoxService::new(EngineService(Arc::downgrade(engine)));
        let service = layers.iter().fold(base, |inner, wrap| wrap(inner));
        let waiters = Arc::<Waiters>::default();
        Self {
            service: Mutex::new(service),
            wake_all: Waker::from(waiters.clone()),
            waiters,
        }
    }
}

/// Runs `request` through the server's layers to the engine, inside the request's span.
pub(crate) fn call(engine: &Arc<Engine>, request: McpRequest) -> Outgoing {
    let watch = trace::watch(engine, &request);
    let outgoing = watch.span().in_scope(|| match engine.stack.load_full() {
        None => match engine.dispatch(request) {
            Outgoing::Running(running) => poll_once(running, |running| running),
            done => done,
        },
        Some(stack) => {
            let id = request.request.id.clone();
            let call = SharedCall {
                stack,
                id,
                state: CallState::Waiting(Some(request)),
            };
            poll_once(call, |call| Box::pin(call))
        }
    });
    trace::follow(watch, outgoing)
}

/// Most handlers finish on their first poll (an async tool that awaits nothing slow): they
/// are answered at once, in one flush, as a sync handler is. The future is polled where it
/// is and boxed only if it runs on.
fn poll_once<F>(mut future: F, boxed: impl FnOnce(F) -> Running) -> Outgoing
where
    F: Future<Output = Reply> + Unpin,
{
    match Pin::new(&mut future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(reply) => Outgoing::Ready(reply),
        Poll::Pending => Outgoing::Running(boxed(future)),
    }
}

/// The engine as the innermost service of the stack. It holds the engine weakly: the engine
/// holds the stack.
struct EngineService(Weak<Engine>);

impl Service<McpRequest> for EngineService {
    type Response = McpResponse;
    type Error = BoxError;
    type Future = EngineFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: McpRequest) -> EngineFuture {
        // Nothing runs here, under the stack's lock: the engine starts on the first poll.
        EngineFuture::Start(self.0.clone(), Some(request))
    }
}

/// The engine's answer as a future: started on its first poll.
#[expect(
    clippy::large_enum_variant,
    reason = "the request moves in once; boxing it would cost an allocation per request"
)]
enum EngineFuture {
    Start(Weak<Engine>, Option<McpRequest>),
    Running(Running),
}

impl Future for EngineFuture {
    type Output = Result<McpResponse, BoxError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match &mut *self {
                Self::Start(engine, request) => {
                    let Some(request) = request.take() else {
                        return Poll::Ready(Err("polled after completion".into()));
                    };
                    let Some(engine) = engine.upgrade() else {
                        let gone = McpError::internal("the server is shutting down");
                        return Poll::Ready(Err(Box::new(Rejection::new(gone))));
                    };
                    match engine.dispatch(request) {
                        Outgoing::Ready(reply) => return Poll::Ready(reply.map_err(Into::into)),
                        Outgoing::Running(running) => *self = Self::Running(running),
                        Outgoing::Accepted => return Poll::Ready(Ok(McpResponse::none())),
                    }
                }
                Self::Running(running) => {
                    return running.as_mut().poll(cx).map_err(Into::into);
                }
            }
        }
    }
}

/// A call through the shared stack: waits for its readiness, then runs the call it starts.
struct SharedCall {
    stack: Arc<Stack>,
    id: RequestId,
    state: CallState,
}

#[expect(
    clippy::large_enum_variant,
    reason = "the request moves in once; boxing it would cost an allocation per request"
)]
enum CallState {
    Waiting(Option<McpRequest>),
    Running(Pin<Box<dyn Future<Output = Result<McpResponse, BoxError>> + Send>>),
}

impl Future for SharedCall {
    type Output = Reply;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
        let this = &mut *self;
        if let CallState::Waiting(request) = &mut this.state {
            let mut service = this.stack.service.lock();
            match poll_ready(&mut service, &this.stack, cx.waker()) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(error)) => {
                    return Poll::Ready(Err(reject(error, &this.id)));
                }
                Poll::Ready(Ok(())) => {
                    let Some(request) = request.take() else {
                        return Poll::Ready(Err(reject(
                            "polled after completion".into(),
                            &this.id,
                        )));
                    };
                    let future = service.call(request);
                    drop(service);
                    this.state = CallState::Running(future);
                }
            }
        }
        let CallState::Running(future) = &mut this.state else {
            unreachable!("started above")
        };
        future
            .as_mut()
            .poll(cx)
            .map_err(|error| reject(error, &this.id))
    }
}

/// Asks the stack for readiness. A call that must wait joins the waiters and asks once more:
/// a readiness change between the two polls wakes it; one after is seen by the second poll.
/// A ready stack (the usual case) costs no registration.
fn poll_ready(
    service: &mut BoxMcpService,
    stack: &Stack,
    waker: &Waker,
) -> Poll<Result<(), BoxError>> {
    let mut wake_all = Context::from_waker(&stack.wake_all);
    match service.poll_ready(&mut wake_all) {
        Poll::Pending => {
            stack.waiters.register(waker);
            service.poll_ready(&mut wake_all)
        }
        ready => ready,
    }
}

fn reject(error: BoxError, id: &RequestId) -> Rejection {
    let rejection = Rejection::from_error(error);
    match rejection.id() {
        Some(_) => rejection,
        None => rejection.with_id(Some(id.clone())),
    }
}

/// The calls waiting for the stack's readiness, all woken by any change.
#[derive(Default)]
struct Waiters(Mutex<Vec<Waker>>);

impl Waiters {
    fn register(&self, waker: &Waker) {
        let mut waiting = self.0.lock();
        if !waiting.iter().any(|w| w.will_wake(waker)) {
            waiting.push(waker.clone());
        }
    }

    fn wake_all(&self) {
        let waiting = std::mem::take(&mut *self.0.lock());
        waiting.into_iter().for_each(Waker::wake);
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_all();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_all();
    }
}
