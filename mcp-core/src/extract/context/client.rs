//! Requests a tool sends the client and awaits like function calls: sampling, elicitation,
//! roots. Each checks the client's declared capabilities first and sends nothing without them.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::Context;
use crate::exchange::{ClientExchange, ClientRequest, ExchangeError, StreamExchange};
use crate::jsonrpc;
use crate::protocol::elicitation::{
    CompleteParams, ElicitAction, ElicitResult, Elicitation, FormParams, UrlParams,
};
use crate::protocol::initialize::ClientCapabilities;
use crate::protocol::roots::{ListRootsResult, Root};
use crate::protocol::sampling::{
    CreateMessageParams, CreateMessageResult, IncludeContext, SamplingMessage,
};
use crate::schema::elicitation::elicitation_schema;

/// A client capability a request needs.
#[derive(Clone, Copy)]
enum Needs {
    Sampling,
    SamplingTools,
    SamplingContext,
    Form,
    Url,
    Roots,
}

impl Needs {
    fn name(self) -> &'static str {
        match self {
            Self::Sampling => "sampling",
            Self::SamplingTools => "sampling.tools",
            Self::SamplingContext => "sampling.context",
            Self::Form => "elicitation",
            Self::Url => "elicitation.url",
            Self::Roots => "roots",
        }
    }

    fn declared(self, caps: &ClientCapabilities) -> bool {
        match self {
            Self::Sampling => caps.sampling,
            Self::SamplingTools => caps.sampling_tools,
            Self::SamplingContext => caps.sampling_context,
            Self::Form => caps.elicitation_form,
            Self::Url => caps.elicitation_url,
            Self::Roots => caps.roots,
        }
    }
}

impl Context {
    /// Asks the client's model for a completion (`sampling/createMessage`). Needs the client's
    /// `sampling` capability, and `sampling.tools` to offer tools, `sampling.context` to ask
    /// for MCP context.
    ///
    /// ```
    /// use quickmcp_core::protocol::sampling::{CreateMessageParams, SamplingMessage};
    /// use quickmcp_core::{Context, ExchangeError};
    ///
    /// async fn summarize(ctx: Context, text: String) -> Result<String, ExchangeError> {
    ///     let params = CreateMessageParams::new(200)
    ///         .system_prompt("Summarize in one sentence.")
    ///         .message(SamplingMessage::user(text));
    ///     Ok(ctx.sample(params).await?.text())
    /// }
    /// ```
    pub async fn sample(
        &self,
        params: CreateMessageParams,
    ) -> Result<CreateMessageResult, ExchangeError> {
        let needs = if !params.tools.is_empty() || params.tool_choice.is_some() {
            Needs::SamplingTools
        } else if params
            .include_context
            .is_some_and(|c| c != IncludeContext::None)
        {
            Needs::SamplingContext
        } else {
            Needs::Sampling
        };
        let raw = self.ask(needs, "sampling/createMessage", &params).await?;
        parse(&raw)
    }

    /// Asks the client's model to answer `prompt` in at most `max_tokens`, and returns its text.
    ///
    /// ```
    /// use quickmcp_core::{Context, ExchangeError};
    ///
    /// async fn haiku(ctx: Context, topic: String) -> Result<String, ExchangeError> {
    ///     ctx.sample_text(format!("Write a haiku about {topic}"), 100).await
    /// }
    /// ```
    pub async fn sample_text(
        &self,
        prompt: impl Into<String>,
        max_tokens: u32,
    ) -> Result<String, ExchangeError> {
        let params = CreateMessageParams::new(max_tokens).message(SamplingMessage::user(prompt));
        Ok(self.sample(params).await?.text())
    }

    /// Asks the user to fill in a form for a `T` (`elicitation/create`, form mode). `T` must be
    /// a flat struct of strings, numbers, booleans, enums and `Vec<enum>`; its doc comments
    /// become descriptions and its `#[serde(default)]` values the form's defaults. Another
    /// shape is [`ExchangeError::InvalidSchema`], and nothing is sent.
    ///
    /// ```
    /// use quickmcp_core::protocol::elicitation::Elicitation;
    /// use quickmcp_core::{Context, ExchangeError};
    /// use schemars::JsonSchema;
    /// use serde::Deserialize;
    ///
    /// #[derive(Deserialize, JsonSchema)]
    /// struct Booking {
    ///     /// How many seats.
    ///     seats: u8,
    ///     window: bool,
    /// }
    ///
    /// async fn book(ctx: Context) -> Result<String, ExchangeError> {
    ///     Ok(match ctx.elicit::<Booking>("How should we book it?").await? {
    ///         Elicitation::Accept(b) => format!("booked {} seats (window: {})", b.seats, b.window),
    ///         Elicitation::Decline | Elicitation::Cancel => "not booked".into(),
    ///     })
    /// }
    /// ```
    pub async fn elicit<T: DeserializeOwned + JsonSchema>(
        &self,
        message: impl AsRef<str>,
    ) -> Result<Elicitation<T>, ExchangeError> {
        let schema = elicitation_schema::<T>()?;
        let answer = self.elicit_schema(message, schema).await?;
        Ok(match answer.action {
            ElicitAction::Accept => {
                let content = Value::Object(answer.content.unwrap_or_default());
                Elicitation::Accept(serde_json::from_value(content).map_err(|e| {
                    ExchangeError::InvalidResult(format!("the submitted form does not fit: {e}"))
                })?)
            }
            ElicitAction::Decline => Elicitation::Decline,
            ElicitAction::Cancel => Elicitation::Cancel,
        })
    }

    /// Asks the user to fill in a form described by a hand-written `requestedSchema`, sent as
    /// is; the answer's `content` is returned untyped.
    ///
    /// ```
    /// use quickmcp_core::{Context, ExchangeError};
    /// use serde_json::json;
    ///
    /// async fn pick(ctx: Context) -> Result<String, ExchangeError> {
    ///     let schema = json!({"type": "object", "properties": {
    ///         "color": {"type": "string", "enum": ["red", "green"], "enumNames": ["Red", "Green"]}
    ///     }});
    ///     let answer = ctx.elicit_schema("Pick a color", schema).await?;
    ///     Ok(format!("{:?}: {:?}", answer.action, answer.content))
    /// }
    /// ```
    pub async fn elicit_schema(
        &self,
        message: impl AsRef<str>,
        schema: Value,
    ) -> Result<ElicitResult, ExchangeError> {
        let params = FormParams {
            message: message.as_ref(),
            requested_schema: &schema,
        };
        let raw = self.ask(Needs::Form, "elicitation/create", &params).await?;
        parse(&raw)
    }

    /// Asks the user to open `url` (`elicitation/create`, URL mode, 2025-11-25), for what must
    /// not pass through the client: credentials, payments, OAuth. `elicitation_id` identifies
    /// the interaction; call [`elicitation_complete`](Self::elicitation_complete) with it when
    /// it is done.
    ///
    /// ```
    /// use quickmcp_core::protocol::elicitation::ElicitAction;
    /// use quickmcp_core::{Context, ExchangeError};
    ///
    /// async fn connect(ctx: Context) -> Result<&'static str, ExchangeError> {
    ///     let action = ctx
    ///         .elicit_url("Sign in to continue", "https://example.com/login?s=42", "login-42")
    ///         .await?;
    ///     Ok(if action == ElicitAction::Accept { "opened" } else { "skipped" })
    /// }
    /// ```
    pub async fn elicit_url(
        &self,
        message: impl AsRef<str>,
        url: impl AsRef<str>,
        elicitation_id: impl AsRef<str>,
    ) -> Result<ElicitAction, ExchangeError> {
        let params = UrlParams {
            mode: "url",
            message: message.as_ref(),
            url: url.as_ref(),
            elicitation_id: elicitation_id.as_ref(),
        };
        let raw = self.ask(Needs::Url, "elicitation/create", &params).await?;
        Ok(parse::<ElicitResult>(&raw)?.action)
    }

    /// Tells the client that the URL-mode elicitation `elicitation_id` is complete
    /// (`notifications/elicitation/complete`), on the call's stream or the session's.
    pub async fn elicitation_complete(&self, elicitation_id: impl AsRef<str>) {
        let message = jsonrpc::notification(
            "notifications/elicitation/complete",
            &CompleteParams {
                elicitation_id: elicitation_id.as_ref(),
            },
        );
        let sink = self
            .sink
            .clone()
            .or_else(|| self.session.as_ref()?.stream());
        if let Some(sink) = sink {
            sink.send(message);
        }
    }

    /// The roots the client exposes (`roots/list`).
    ///
    /// ```
    /// use quickmcp_core::{Context, ExchangeError};
    ///
    /// async fn workspace(ctx: Context) -> Result<String, ExchangeError> {
    ///     let roots = ctx.list_roots().await?;
    ///     Ok(roots.iter().map(|r| r.uri.as_str()).collect::<Vec<_>>().join(", "))
    /// }
    /// ```
    pub async fn list_roots(&self) -> Result<Vec<Root>, ExchangeError> {
        let raw = self.ask(Needs::Roots, "roots/list", &Map::new()).await?;
        Ok(parse::<ListRootsResult>(&raw)?.roots)
    }

    /// What the client declared it supports, when known.
    pub fn client_capabilities(&self) -> Option<ClientCapabilities> {
        self.capabilities
    }

    /// Checks the capability, then sends through the call's exchange.
    async fn ask(
        &self,
        needs: Needs,
        method: &'static str,
        params: &impl Serialize,
    ) -> Result<Box<RawValue>, ExchangeError> {
        let exchange = self.exchange()?;
        let caps = self.capabilities.ok_or(ExchangeError::Unavailable(
            "the client's capabilities are unknown (no session): the 2025 wire needs a session"
                .into(),
        ))?;
        if !needs.declared(&caps) {
            tracing::debug!(
                method,
                capability = needs.name(),
                "client lacks the capability"
            );
            if let Some(meta) = &self.v2026 {
                meta.record_missing(needs.name());
            }
            return Err(ExchangeError::MissingCapability(needs.name()));
        }
        let params = serde_json::value::to_raw_value(params)
            .map_err(|e| ExchangeError::InvalidResult(format!("params not serializable: {e}")))?;
        let key = self.input_key.as_deref().map(str::to_owned);
        exchange
            .request(ClientRequest {
                method,
                params,
                key,
            })
            .await
    }

    fn exchange(&self) -> Result<Arc<dyn ClientExchange>, ExchangeError> {
        if let Some(exchange) = &self.exchange {
            return Ok(exchange.clone());
        }
        match (&self.session, &self.pending) {
            (Some(session), Some(pending)) => Ok(Arc::new(StreamExchange {
                pending: pending.clone(),
                session: session.clone(),
                sink: self.sink.clone(),
                cancel: self.cancel.clone(),
            })),
            _ => Err(ExchangeError::Unavailable(
                "this call has no session, so the client's answer could not be matched \
                 (stateless HTTP cannot send server-to-client requests)"
                    .into(),
            )),
        }
    }
}

fn parse<T: DeserializeOwned>(raw: &RawValue) -> Result<T, ExchangeError> {
    serde_json::from_str(raw.get()).map_err(|e| ExchangeError::InvalidResult(e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;
    use serde::Deserialize;
    use serde_json::json;
    use tokio::sync::mpsc;

    use super::*;
    use crate::exchange::PendingRequests;
    use crate::extract::FromCallContext;
    use crate::handler::{CallContext, CallState, RequestCx};
    use crate::jsonrpc::{RequestId, Response};
    use crate::protocol::ProtocolVersion;
    use crate::session::Session;
    use crate::sink::MessageSink;

    struct Sink(mpsc::UnboundedSender<Bytes>);

    impl MessageSink for Sink {
        fn send(&self, message: Bytes) -> bool {
            self.0.send(message).is_ok()
        }
    }

    struct Harness {
        ctx: Context,
        session: Arc<Session>,
        pending: Arc<PendingRequests>,
        sent: mpsc::UnboundedReceiver<Bytes>,
    }

    fn harness(caps: Value, own_stream: bool) -> Harness {
        let caps: ClientCapabilities = serde_json::from_value(caps).unwrap();
        let session = Arc::new(Session::new(
            "s1".into(),
            ProtocolVersion::LATEST,
            caps,
            None,
        ));
        let pending = Arc::new(PendingRequests::default());
        let (tx, sent) = mpsc::unbounded_channel();
        let sink: Arc<dyn MessageSink> = Arc::new(Sink(tx));
        if !own_stream {
            assert!(session.try_attach_stream(sink.clone()));
        }
        let request = RequestCx {
            session: Some(session.clone()),
            sink: own_stream.then_some(sink),
            ..RequestCx::default()
        };
        let call = CallState {
            pending: Some(pending.clone()),
            ..CallState::default()
        };
        let (id, state) = (RequestId::Number(7), http::Extensions::new());
        let cx = CallContext::new(&id, &request, &state, &call);
        Harness {
            ctx: Context::from_call_context(&cx).unwrap(),
            session,
            pending,
            sent,
        }
    }

    impl Harness {
        /// The next request the tool sent, as JSON.
        async fn next_request(&mut self) -> Value {
            let bytes = self.sent.recv().await.expect("a request was sent");
            serde_json::from_slice(&bytes).unwrap()
        }

        fn answer(&self, request: &Value, outcome: Result<Value, Value>) -> bool {
            let raw = |v: Value| RawValue::from_string(v.to_string()).unwrap();
            let response = Response {
                id: RequestId::Number(request["id"].as_i64().unwrap()),
                outcome: outcome.map(raw).map_err(raw),
            };
            self.pending.resolve(self.session.id(), response)
        }
    }

    #[tokio::test]
    async fn missing_capabilities_send_nothing() {
        let mut h = harness(json!({"elicitation": {}}), true);
        let err = h.ctx.sample_text("hi", 10).await.unwrap_err();
        assert_eq!(err, ExchangeError::MissingCapability("sampling"));
        assert_eq!(
            h.ctx.list_roots().await.unwrap_err(),
            ExchangeError::MissingCapability("roots")
        );
        assert_eq!(
            h.ctx.elicit_url("m", "https://x", "e1").await.unwrap_err(),
            ExchangeError::MissingCapability("elicitation.url")
        );
        let mut sampling = harness(json!({"sampling": {}}), true);
        let with_tools = CreateMessageParams::new(5)
            .tool(json!({"name": "t", "inputSchema": {"type": "object"}}));
        assert_eq!(
            sampling.ctx.sample(with_tools).await.unwrap_err(),
            ExchangeError::MissingCapability("sampling.tools")
        );
        let with_context = CreateMessageParams::new(5).include_context(IncludeContext::ThisServer);
        assert_eq!(
            sampling.ctx.sample(with_context).await.unwrap_err(),
            ExchangeError::MissingCapability("sampling.context")
        );
        assert!(h.sent.try_recv().is_err(), "nothing went out");
        assert!(sampling.sent.try_recv().is_err());
        let url_only = harness(json!({"elicitation": {"url": {}}}), true);
        assert_eq!(
            url_only
                .ctx
                .elicit_schema("m", json!({"type": "object"}))
                .await
                .unwrap_err(),
            ExchangeError::MissingCapability("elicitation")
        );
    }

    #[tokio::test]
    async fn sampling_answers_are_matched_by_id() {
        let mut h = harness(json!({"sampling": {}}), true);
        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.sample_text("Say hi", 100).await });
        let request = h.next_request().await;
        assert_eq!(request["method"], "sampling/createMessage");
        assert_eq!(
            request["params"],
            json!({"messages": [{"role": "user", "content": {"type": "text", "text": "Say hi"}}], "maxTokens": 100})
        );
        let wrong = json!({"id": request["id"].as_i64().unwrap() + 1000});
        assert!(!h.answer(&wrong, Ok(json!({}))), "an unknown id is ignored");
        let result =
            json!({"role": "assistant", "content": {"type": "text", "text": "hi!"}, "model": "m"});
        assert!(h.answer(&request, Ok(result)));
        assert_eq!(call.await.unwrap().unwrap(), "hi!");
        assert!(h.pending.is_empty());
    }

    #[tokio::test]
    async fn client_errors_and_malformed_results_are_errors() {
        let mut h = harness(json!({"roots": {}}), true);
        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.list_roots().await });
        let request = h.next_request().await;
        h.answer(
            &request,
            Err(json!({"code": -1, "message": "user said no"})),
        );
        let err = call.await.unwrap().unwrap_err();
        assert!(
            matches!(&err, ExchangeError::Rejected(e) if e.code == -1),
            "{err}"
        );

        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.list_roots().await });
        let request = h.next_request().await;
        h.answer(&request, Ok(json!({"roots": 3})));
        assert!(matches!(
            call.await.unwrap(),
            Err(ExchangeError::InvalidResult(_))
        ));
    }

    #[tokio::test]
    async fn waits_time_out() {
        let mut h = harness(json!({"roots": {}}), true);
        h.pending.set_timeout(Duration::from_millis(30));
        let err = h.ctx.list_roots().await.unwrap_err();
        assert_eq!(err, ExchangeError::Timeout(Duration::from_millis(30)));
        assert_eq!(h.next_request().await["method"], "roots/list");
        assert!(h.pending.is_empty(), "the timed-out request is forgotten");
    }

    #[tokio::test]
    async fn cancellation_ends_the_wait_and_forgets_the_request() {
        let mut h = harness(json!({"roots": {}}), true);
        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.list_roots().await });
        h.next_request().await;
        assert_eq!(h.pending.len(), 1);
        h.ctx.cancellation_token().cancel();
        assert_eq!(call.await.unwrap().unwrap_err(), ExchangeError::Cancelled);
        assert!(h.pending.is_empty());

        // A dropped future (a tool losing a `select!`) forgets its request too.
        let h = harness(json!({"roots": {}}), true);
        tokio::select! {
            _ = h.ctx.list_roots() => unreachable!("nobody answers"),
            () = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
        assert!(h.pending.is_empty());
    }

    #[tokio::test]
    async fn a_closed_session_disconnects_its_waiters() {
        let mut h = harness(json!({"roots": {}}), true);
        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.list_roots().await });
        h.next_request().await;
        h.pending.close_session(h.session.id());
        assert_eq!(
            call.await.unwrap().unwrap_err(),
            ExchangeError::Disconnected
        );
    }

    #[derive(Deserialize, JsonSchema, Debug, PartialEq)]
    struct Contact {
        name: String,
        age: Option<u8>,
    }

    #[tokio::test]
    async fn typed_elicitation_falls_back_to_the_get_stream() {
        let mut h = harness(json!({"elicitation": {}}), false);
        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.elicit::<Contact>("Who?").await });
        let request = h.next_request().await;
        assert_eq!(request["method"], "elicitation/create");
        assert_eq!(request["params"]["message"], "Who?");
        assert_eq!(
            request["params"]["requestedSchema"]["required"],
            json!(["name"])
        );
        h.answer(
            &request,
            Ok(json!({"action": "accept", "content": {"name": "Ada"}})),
        );
        let answer = call.await.unwrap().unwrap();
        assert_eq!(
            answer,
            Elicitation::Accept(Contact {
                name: "Ada".into(),
                age: None
            })
        );

        let ctx = h.ctx.clone();
        let call = tokio::spawn(async move { ctx.elicit::<Contact>("Who?").await });
        let request = h.next_request().await;
        h.answer(&request, Ok(json!({"action": "decline"})));
        assert_eq!(call.await.unwrap().unwrap(), Elicitation::Decline);
    }

    #[tokio::test]
    async fn without_a_stream_or_session_nothing_can_be_asked() {
        let h = harness(json!({"roots": {}}), false);
        h.session.detach_stream_if(&h.session.stream().unwrap());
        assert!(matches!(
            h.ctx.list_roots().await,
            Err(ExchangeError::Unavailable(_))
        ));
        let (id, request) = (RequestId::Number(1), RequestCx::detached());
        let detached = CallContext::detached(&id, &request);
        let ctx = Context::from_call_context(&detached).unwrap();
        assert!(matches!(
            ctx.sample_text("x", 1).await,
            Err(ExchangeError::Unavailable(_))
        ));
        #[derive(Deserialize, JsonSchema)]
        struct Nested {
            _inner: Contact,
        }
        let h = harness(json!({"elicitation": {}}), true);
        assert!(matches!(
            h.ctx.elicit::<Nested>("?").await,
            Err(ExchangeError::InvalidSchema(_))
        ));
    }
}
