//! One error type for server functions and HTTP handlers.
//!
//! 4xx errors carry a message the user can act on, in both languages, and the field it concerns.
//! 5xx errors are opaque to the client: they carry only the request id, and the cause is logged on
//! the server under the same id.

use http::StatusCode;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::i18n::{Lang, Text};

/// One field's problem, in both languages; `field` is the form field's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: Text) -> Self {
        FieldError {
            field: field.into(),
            message,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Several fields of a form are wrong: every problem at once, so the person fixes them in one go.
    #[error("invalid input: {}", errors.iter().map(|e| format!("{}: {}", e.field, e.message.en)).collect::<Vec<_>>().join("; "))]
    Fields { errors: Vec<FieldError> },
    /// The request is wrong in a way the user can fix.
    #[error("invalid input{}: {}", field.as_deref().map(|f| format!(" ({f})")).unwrap_or_default(), message.en)]
    Invalid {
        field: Option<String>,
        message: Text,
    },
    #[error("sign-in required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (a deadline passed, a duplicate).
    #[error("conflict: {}", message.en)]
    Conflict { message: Text },
    /// Too many attempts (sign-ins of an account from an address or device, registrations from
    /// an address): the next one is evaluated after the wait (issue #35).
    #[error("too many attempts; retry in {retry_after_minutes} minutes")]
    TooManyAttempts { retry_after_minutes: i64 },
    /// A dependency (the database) is unavailable; retrying later may succeed.
    #[error("service temporarily unavailable")]
    Unavailable,
    /// A fault on our side. Details are in the server log under `request_id`.
    #[error("internal error")]
    Internal { request_id: Option<String> },
}

impl AppError {
    /// The message for one form field, if this error concerns it.
    pub fn for_field(&self, field: &str) -> Option<&Text> {
        match self {
            AppError::Invalid {
                field: Some(f),
                message,
            } if f == field => Some(message),
            AppError::Fields { errors } => {
                errors.iter().find(|e| e.field == field).map(|e| &e.message)
            }
            _ => None,
        }
    }

    pub fn invalid(field: impl Into<String>, message: Text) -> Self {
        AppError::Invalid {
            field: Some(field.into()),
            message,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid { .. } | AppError::Fields { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } | AppError::Fields { .. } => "invalid",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict { .. } => "conflict",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Unavailable => "unavailable",
            AppError::Internal { .. } => "internal",
        }
    }

    /// What to tell the person, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let text = match self {
            AppError::Invalid { message, .. } | AppError::Conflict { message } => message.clone(),
            AppError::Fields { errors } => Text::new(
                errors
                    .iter()
                    .map(|e| e.message.zh.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                errors
                    .iter()
                    .map(|e| e.message.en.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            AppError::Unauthenticated => Text::new("请先登录。", "Please sign in first."),
            AppError::Forbidden => Text::new(
                "您没有执行此操作的权限。",
                "You are not allowed to do this.",
            ),
            AppError::NotFound => Text::new("找不到该内容。", "That could not be found."),
            AppError::TooManyAttempts {
                retry_after_minutes: n,
            } => Text::new(
                format!("尝试次数过多，请 {n} 分钟后再试。"),
                if *n == 1 {
                    "Too many attempts. Try again in a minute.".to_string()
                } else {
                    format!("Too many attempts. Try again in {n} minutes.")
                },
            ),
            AppError::Unavailable => Text::new(
                "服务暂时不可用，请稍后重试。",
                "The service is temporarily unavailable. Please try again in a moment.",
            ),
            AppError::Internal { request_id } => {
                let id = request_id.as_deref().unwrap_or("-");
                Text::new(
                    format!("服务器内部错误。如需帮助，请提供编号 {id}。"),
                    format!("Internal error. If you contact support, quote reference {id}."),
                )
            }
        };
        text.get(lang).to_string()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request could not be read: a client-side problem the user (or their client) can fix.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::Invalid {
                field: None,
                message: Text::new(
                    "请求格式不正确，请刷新页面后重试。",
                    "The request was not in the expected form. Reload the page and try again.",
                ),
            },
            ServerFnErrorErr::Request(_) => AppError::Unavailable,
            // Anything else is our fault; its text is never sent to the client.
            _ => AppError::Internal { request_id: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_reveal_only_the_request_id() {
        let e = AppError::Internal {
            request_id: Some("abc-123".into()),
        };
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(e.message(Lang::En).contains("abc-123"));
        let from_framework = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"secret_table\" does not exist".into(),
        ));
        assert_eq!(from_framework, AppError::Internal { request_id: None });
    }

    #[test]
    fn invalid_input_names_the_field_in_both_languages() {
        let e = AppError::invalid(
            "budget",
            Text::new("预算必须大于零。", "Budget must be above zero."),
        );
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.message(Lang::ZhCn), "预算必须大于零。");
        assert_eq!(
            e.to_string(),
            "invalid input (budget): Budget must be above zero."
        );
    }
}
