//! `DELETE /mcp`: the client ends its session.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::SESSION_HEADER;
use crate::response::HttpError;
use crate::state::HttpState;

pub(crate) async fn handle(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    end(&state, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn end(state: &HttpState, request: Request) -> Result<Response, HttpError> {
    let (parts, _) = request.into_parts();
    if state.stateless {
        return Err(HttpError::method_not_allowed(
            "this server is stateless: there is no session to delete",
        ));
    }
    let id = parts.headers.get(SESSION_HEADER).ok_or_else(no_session)?;
    let id = id.to_str().map_err(|_| HttpError::session_not_found())?;
    if state.service.end_session(id).await {
        tracing::debug!(session = id, "session deleted");
        Ok(StatusCode::OK.into_response())
    } else {
        Err(HttpError::session_not_found())
    }
}

/// 405 without `Mcp-Session-Id`: the 2026 wire has no DELETE, and there is nothing to end.
pub(crate) fn no_session() -> HttpError {
    HttpError::method_not_allowed(
        "no Mcp-Session-Id: only 2025 sessions can be deleted or streamed",
    )
}
