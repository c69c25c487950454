//! A small hand-written JSON client for the account operations, shared by the
//! `emulator_account_*` tests (included with `#[path]`; as a test target of its own it has no
//! tests). It builds on `emulator_flows_support` (SECRET_HASH, SRP) and does one request per call.

#![allow(dead_code, reason = "each test binary uses a different part")]
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "emulator_flows_support/mod.rs"]
mod emulator_flows_support;

pub(crate) use emulator_flows_support::*;

use cognito_tests::pool::{Reply, UserPool};
use serde_json::{Value, json};

/// A password the default policy accepts, other than [`PASSWORD`].
pub(crate) const NEW_PASSWORD: &str = "N3w-Passw0rd!";

impl Client {
    /// A body with `ClientId`, `Username` and, with a secret, `SecretHash` over `username`, plus
    /// the members of `extra`.
    pub(crate) fn named_body(&self, username: &str, extra: Value) -> Value {
        let mut body = extra;
        body["ClientId"] = json!(self.id);
        body["Username"] = json!(username);
        if let Some(hash) = self.hash(username) {
            body["SecretHash"] = json!(hash);
        }
        body
    }

    /// `SignUp` with `attributes` as `UserAttributes`.
    pub(crate) fn sign_up(
        &self,
        pool: &mut UserPool,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
    ) -> Reply {
        let attributes: Vec<Value> = attributes
            .iter()
            .map(|(name, value)| json!({ "Name": name, "Value": value }))
            .collect();
        let body = self.named_body(
            username,
            json!({ "Password": password, "UserAttributes": attributes, "ClientMetadata": {} }),
        );
        pool.call("SignUp", &body)
    }

    /// `ConfirmSignUp`, with the sign-up Session when given.
    pub(crate) fn confirm_sign_up(
        &self,
        pool: &mut UserPool,
        username: &str,
        code: &str,
        session: Option<&str>,
    ) -> Reply {
        let mut body = self.named_body(username, json!({ "ConfirmationCode": code }));
        if let Some(session) = session {
            body["Session"] = json!(session);
        }
        pool.call("ConfirmSignUp", &body)
    }

    /// An operation that takes `ClientId`, `Username` and `SecretHash` (ResendConfirmationCode,
    /// ForgotPassword, ConfirmForgotPassword).
    pub(crate) fn call_named(
        &self,
        pool: &mut UserPool,
        operation: &str,
        username: &str,
        extra: Value,
    ) -> Reply {
        let body = self.named_body(username, extra);
        pool.call(operation, &body)
    }

    /// A full USER_SRP_AUTH sign-in that must end with tokens; returns `AuthenticationResult`.
    pub(crate) fn srp_tokens(
        &mut self,
        pool: &mut UserPool,
        username: &str,
        password: &str,
    ) -> Value {
        let (reply, _) = self.srp(pool, username, password, None);
        expect_tokens(&reply)
    }

    /// USER_PASSWORD_AUTH.
    pub(crate) fn password_auth(
        &self,
        pool: &mut UserPool,
        username: &str,
        password: &str,
    ) -> Reply {
        self.initiate(
            pool,
            "USER_PASSWORD_AUTH",
            username,
            json!({ "PASSWORD": password }),
        )
    }

    /// `GetTokensFromRefreshToken` with this client's secret.
    pub(crate) fn refresh(&self, pool: &mut UserPool, refresh_token: &str) -> Reply {
        let mut body = json!({ "RefreshToken": refresh_token, "ClientId": self.id });
        if let Some(secret) = &self.secret {
            body["ClientSecret"] = json!(secret);
        }
        pool.call("GetTokensFromRefreshToken", &body)
    }

    /// `RevokeToken` with this client's secret.
    pub(crate) fn revoke(&self, pool: &mut UserPool, token: &str) -> Reply {
        let mut body = json!({ "Token": token, "ClientId": self.id });
        if let Some(secret) = &self.secret {
            body["ClientSecret"] = json!(secret);
        }
        pool.call("RevokeToken", &body)
    }
}

/// An operation with `AccessToken` added to `extra`.
pub(crate) fn with_token(
    pool: &mut UserPool,
    operation: &str,
    access_token: &str,
    extra: Value,
) -> Reply {
    let mut body = extra;
    body["AccessToken"] = json!(access_token);
    pool.call(operation, &body)
}

/// The access token of an `AuthenticationResult`.
pub(crate) fn access(result: &Value) -> String {
    str_of(&result["AccessToken"]).to_owned()
}

/// `UserAttributes` of a GetUser reply as (name, value) pairs.
pub(crate) fn attributes_of(body: &Value) -> Vec<(String, String)> {
    body["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                str_of(&a["Name"]).to_owned(),
                str_of(&a["Value"]).to_owned(),
            )
        })
        .collect()
}

/// The value of attribute `name` in a GetUser reply.
pub(crate) fn attribute<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body["UserAttributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == name)
        .and_then(|a| a["Value"].as_str())
}
