//! The /api/v1 error: a JSON body naming the parameter to fix; 5xx say nothing of the cause.

use app::error::AppError;
use app::i18n::Text;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The body of every /api/v1 error.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorDetail {
    /// `bad_parameter`, `not_found`, `rate_limited`, `unavailable`, `internal`.
    #[schema(value_type = String)]
    pub code: &'static str,
    /// The query parameter or path segment to fix, when one is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    pub message: String,
    pub message_zh: String,
}

/// An /api/v1 error as a response: 4xx say what to fix, 5xx say nothing of the cause.
#[derive(Debug)]
pub enum ApiError {
    BadParameter { parameter: String, message: Text },
    NotFound,
    App(AppError),
}

impl ApiError {
    pub fn bad(parameter: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            parameter: parameter.into(),
            message: Text::new(zh.into(), en.into()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, parameter, message) = match self {
            ApiError::BadParameter { parameter, message } => (
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                Some(parameter),
                message,
            ),
            ApiError::NotFound | ApiError::App(AppError::NotFound) => (
                StatusCode::NOT_FOUND,
                "not_found",
                None,
                Text::new("没有这一项。", "Not found."),
            ),
            ApiError::App(AppError::Unavailable) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                None,
                Text::new(
                    "服务暂时不可用，请稍后重试。",
                    "Temporarily unavailable: retry shortly.",
                ),
            ),
            ApiError::App(e) => {
                tracing::error!(error = %e, "api request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    None,
                    Text::new("服务器内部错误。", "Internal error."),
                )
            }
        };
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code,
                parameter,
                message: message.en,
                message_zh: message.zh,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}
