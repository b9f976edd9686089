//! The plain axum routes (not Leptos pages or server functions): document upload and download,
//! the public /api/v1 with its OpenAPI document and CSV exports, the OCDS open data and
//! /payments.csv. Each handler reads the request (path, query, headers, multipart body), calls a
//! use case of `app::services` with parsed values, and writes the response (status, headers,
//! body).

pub mod api_v1;
pub mod documents;
pub mod ocds;
pub mod payments_csv;
