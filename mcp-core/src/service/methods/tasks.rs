//! `tasks/get`, `tasks/update` and `tasks/cancel` (the tasks extension, 2026 wire).

use std::sync::Arc;

use crate::jsonrpc::Request;
use crate::protocol::v2026::RequestMeta;
use crate::service::invoke::Answer;
use crate::service::Engine;

impl Engine {
    pub(crate) fn task_method(
        self: &Arc<Self>,
        request: Request,
        meta: Arc<RequestMeta>,
    ) -> Answer {
        let engine = self.clone();
        Answer::Running(Box::pin(async move {
            let method = &*request.method;
            let params = request.params.as_deref();
            Some(
                engine
                    .tasks
                    .serve_method(method, &request.id, params, &meta)
                    .await,
            )
        }))
    }
}
