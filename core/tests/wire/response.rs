//! Tests of `read_response`: successes, Cognito errors in their various spellings, odd statuses.

use cognito_core::wire::{
    ErrorKind, HttpResponse, MAX_ERROR_MESSAGE_LEN, ServiceError, error_type_name, read_response,
};
use cognito_core::{Error, ProtocolError};

fn service(resp: HttpResponse<'_>) -> ServiceError {
    match read_response(&resp) {
        Err(Error::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn success() {
    let resp = HttpResponse::new(
        200,
        br#"{"ChallengeName":"PASSWORD_VERIFIER","Session":null}"#,
    );
    let obj = read_response(&resp).unwrap();
    assert!(
        obj.require_str("ChallengeName")
            .unwrap()
            .eq_str("PASSWORD_VERIFIER")
    );
    assert!(
        read_response(&HttpResponse::new(204, b"{}"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn empty_success_body_is_an_empty_object() {
    for body in [b"".as_slice(), b"  \r\n"] {
        let obj = read_response(&HttpResponse::new(200, body)).unwrap();
        assert!(obj.is_empty());
        assert_eq!(obj.raw(), "{}");
    }
}

#[test]
fn malformed_success_body() {
    assert_eq!(
        read_response(&HttpResponse::new(200, b"{\"a\":")).unwrap_err(),
        Error::Protocol(ProtocolError::MalformedJson)
    );
    assert_eq!(
        read_response(&HttpResponse::new(200, b"[]")).unwrap_err(),
        Error::Protocol(ProtocolError::NotAnObject("body"))
    );
}

#[test]
fn error_body_despite_200() {
    let e = service(HttpResponse::new(
        200,
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    ));
    assert_eq!(e.kind(), ErrorKind::NotAuthorized);
    assert_eq!(e.status(), 200);
    assert_eq!(e.name(), "NotAuthorizedException");
    assert_eq!(e.message(), "Incorrect username or password.");
    assert_eq!(
        e.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
    // A non-string `__type` is just data.
    assert!(read_response(&HttpResponse::new(200, br#"{"__type":1}"#)).is_ok());
}

#[test]
fn error_from_header() {
    let e = service(
        HttpResponse::new(400, br#"{"message":"Incorrect username or password."}"#)
            .with_error_type("NotAuthorizedException:"),
    );
    assert_eq!(e.kind(), ErrorKind::NotAuthorized);
    assert_eq!(e.name(), "NotAuthorizedException");
    assert_eq!(e.status(), 400);
    assert_eq!(e.message(), "Incorrect username or password.");

    // The header wins over the body.
    let e = service(
        HttpResponse::new(400, br#"{"__type":"CodeMismatchException"}"#)
            .with_error_type(Some("ExpiredCodeException:http://internal.amazon.com/x")),
    );
    assert_eq!(e.kind(), ErrorKind::ExpiredCode);
    // An empty header is ignored.
    let e = service(
        HttpResponse::new(400, br#"{"__type":"CodeMismatchException"}"#).with_error_type(" "),
    );
    assert_eq!(e.kind(), ErrorKind::CodeMismatch);
}

#[test]
fn error_from_qualified_type() {
    let e = service(HttpResponse::new(
        400,
        br#"{"__type":"com.amazonaws.cognito#CodeMismatchException","message":"Invalid verification code provided, please try again."}"#,
    ));
    assert_eq!(e.kind(), ErrorKind::CodeMismatch);
    assert_eq!(e.name(), "CodeMismatchException");
    assert_eq!(
        e.message(),
        "Invalid verification code provided, please try again."
    );
}

#[test]
fn error_from_code_and_capitalized_message() {
    let e = service(HttpResponse::new(
        400,
        br#"{"__type":"Other","code":"UserNotFoundException","Message":"User does not exist."}"#,
    ));
    assert_eq!(e.kind(), ErrorKind::UserNotFound);
    assert_eq!(e.message(), "User does not exist.");
    let e = service(HttpResponse::new(
        400,
        br#"{"__type":"TooManyRequestsException","message":"lower","Message":"upper"}"#,
    ));
    assert_eq!(e.message(), "lower");
    assert!(e.is_retryable());
    assert!(e.kind().is_retryable());
}

#[test]
fn unknown_name_is_kept() {
    let e = service(HttpResponse::new(
        400,
        br#"{"__type":"BrandNewException","message":"Something \"new\"\n"}"#,
    ));
    assert_eq!(e.kind(), ErrorKind::Unknown);
    assert_eq!(e.name(), "BrandNewException");
    assert_eq!(e.message(), "Something \"new\"\n");
    assert!(!e.is_retryable());
}

#[test]
fn long_message_is_truncated_at_a_char_boundary() {
    let message = format!("x{}", "€".repeat(200));
    let body = format!(r#"{{"__type":"InvalidParameterException","message":"{message}"}}"#);
    let e = service(HttpResponse::new(400, body.as_bytes()));
    assert!(e.message_truncated());
    assert!(e.message().len() <= MAX_ERROR_MESSAGE_LEN);
    assert!(e.message().len() > MAX_ERROR_MESSAGE_LEN - 3);
    assert!(message.starts_with(e.message()));
    assert!(e.to_string().ends_with('…'));

    let e = ServiceError::new("InvalidParameterException", "short", 400);
    assert!(!e.message_truncated());
    assert_eq!(e.kind(), ErrorKind::InvalidParameter);
}

#[test]
fn html_error_body() {
    let e = service(HttpResponse::new(
        500,
        b"<html><body>Internal Server Error</body></html>",
    ));
    assert_eq!(e.kind(), ErrorKind::Unknown);
    assert_eq!(e.name(), "");
    assert_eq!(e.message(), "");
    assert_eq!(e.status(), 500);
    assert!(e.is_retryable());
    assert_eq!(e.to_string(), "HTTP 500");

    let e = service(
        HttpResponse::new(503, b"Service Unavailable").with_error_type("InternalErrorException"),
    );
    assert_eq!(e.kind(), ErrorKind::InternalError);
    assert_eq!(e.status(), 503);
    let e = service(HttpResponse::new(429, b""));
    assert!(e.is_retryable());
}

#[test]
fn unexpected_statuses() {
    for status in [
        0u16,
        99,
        100,
        101,
        199,
        301,
        302,
        304,
        399,
        600,
        999,
        u16::MAX,
    ] {
        assert_eq!(
            read_response(&HttpResponse::new(status, b"{}")).unwrap_err(),
            Error::Protocol(ProtocolError::UnexpectedStatus(status)),
        );
    }
}

#[test]
fn error_type_names() {
    assert_eq!(
        error_type_name("NotAuthorizedException:"),
        "NotAuthorizedException"
    );
    assert_eq!(
        error_type_name(
            "com.amazonaws.cognito#NotAuthorizedException:http://internal.amazon.com/coral/x#y/"
        ),
        "NotAuthorizedException"
    );
    assert_eq!(error_type_name("a#b#C"), "C");
    assert_eq!(error_type_name(""), "");
    assert_eq!(error_type_name(":"), "");
}

#[test]
fn every_kind_round_trips() {
    assert_eq!(ErrorKind::ALL.len(), 44);
    for &kind in ErrorKind::ALL {
        let name = kind.name().unwrap();
        assert_eq!(ErrorKind::from_name(name), kind);
        let body = format!(r#"{{"__type":"{name}","message":"m"}}"#);
        assert_eq!(
            service(HttpResponse::new(400, body.as_bytes())).kind(),
            kind
        );
    }
}
