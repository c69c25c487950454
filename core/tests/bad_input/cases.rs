//! One case per row of the bad-input table: the input built and fed to the public API, the
//! error it gave rendered as `Type: Debug` (a service error as its kind and status).

use std::fmt::Debug;

use cognito_core::auth::{AuthReply, Refresh, SignIn, Step};
use cognito_core::capacity::Limits;
use cognito_core::http_date::parse_http_date;
use cognito_core::oauth::{
    AuthorizeOptions, HostedSignIn, OAuthClient, PoolDomain, Scopes, read_redirect,
    read_token_reply,
};
use cognito_core::srp::{ServerChallenge, SrpEphemeral, SrpIdentity, password_claim};
use cognito_core::time::UnixTime;
use cognito_core::token::{
    Claims, Expectations, ExpectedUse, Jwks, Jwt, JwtHeader, MAX_EXPONENT_LEN, MAX_MODULUS_LEN,
    TokenSet, check_claims, decode_claims,
};
use cognito_core::totp::{Totp, otpauth_uri};
use cognito_core::wire::{HttpResponse, read_response};
use cognito_core::{Error, Misuse};
use serde_json::{Value, json};

use crate::support::{NOW, challenge, config, eph, srp_case, text, tokens, verifier_params};

/// A row's input, run.
pub(crate) struct Case {
    pub(crate) id: &'static str,
    pub(crate) run: fn() -> String,
}

/// `Type: Debug` of an error; `ok` when there was none (a row whose input is accepted).
fn outcome<T, E: Debug>(ty: &str, result: Result<T, E>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("{ty}: {e:?}"),
    }
}

/// The core's [`Error`], with a service error shortened to its kind and status.
fn core_error<T>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Service(e)) => format!("Error: Service({:?}, {})", e.kind(), e.status()),
        other => outcome("Error", other),
    }
}

/// A 2xx body read as a reply object.
fn read_200(body: &[u8]) -> String {
    core_error(read_response(&HttpResponse::new(200, body)))
}

/// A sign-in reply read.
fn auth_reply(body: &Value) -> String {
    let body = serde_json::to_vec(body).unwrap();
    core_error(AuthReply::read(&HttpResponse::new(200, &body)))
}

/// An `AuthenticationResult` with `field` set to `value` (or removed when `Null`).
fn result_with(field: &str, value: Value) -> String {
    let mut reply = tokens();
    match value {
        Value::Null => {
            reply["AuthenticationResult"]
                .as_object_mut()
                .unwrap()
                .remove(field);
        }
        v => reply["AuthenticationResult"][field] = v,
    }
    auth_reply(&reply)
}

/// The password claim of the reference case `pub-01-basic` with its `SRP_B` / `SALT` /
/// `SECRET_BLOCK` replaced where given.
fn claim(b: Option<&str>, salt: Option<&str>, block: Option<&str>) -> String {
    let case = srp_case("pub-01-basic");
    let identity = SrpIdentity {
        realm: text(case, "pool_name"),
        user_id: text(case, "user_id_for_srp"),
        password: text(case, "password"),
    };
    let challenge = ServerChallenge {
        srp_b_hex: b.unwrap_or(text(case, "srp_b_hex")),
        salt_hex: salt.unwrap_or(text(case, "salt_hex")),
        secret_block_b64: block.unwrap_or(text(case, "secret_block_b64")),
    };
    outcome(
        "ProtocolError",
        password_claim(&eph(3), &identity, &challenge, NOW),
    )
}

/// N, the RFC 3526 3072-bit prime, in hex.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879",
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B",
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836",
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804",
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6",
    "955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226",
    "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// A sign-in with `SignIn::srp` that has sent `InitiateAuth`, fed `reply`.
fn srp_sign_in(reply: &Value) -> String {
    let mut flow: SignIn = SignIn::srp(config(), "alice", "correct horse", eph(5)).unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    flow.write_request(&mut buf).unwrap();
    let body = serde_json::to_vec(reply).unwrap();
    core_error(flow.handle_response(&HttpResponse::new(200, &body), NOW))
}

/// The same with a status and raw body.
fn srp_sign_in_raw(status: u16, body: &[u8]) -> String {
    let mut flow: SignIn = SignIn::srp(config(), "alice", "correct horse", eph(5)).unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    flow.write_request(&mut buf).unwrap();
    core_error(flow.handle_response(&HttpResponse::new(status, body), NOW))
}

/// A password sign-in with small capacities (`Session` 64, names 16), fed `reply`.
fn small_sign_in(reply: &Value) -> String {
    type Small = Limits<64, 64, 16, 32, 0, 64>;
    let mut flow: SignIn<Small> = SignIn::password(config(), "alice", "pw").unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    flow.write_request(&mut buf).unwrap();
    let body = serde_json::to_vec(reply).unwrap();
    core_error(flow.handle_response(&HttpResponse::new(200, &body), NOW))
}

/// A password sign-in that keeps receiving `SMS_MFA` challenges it answers, `rounds` times.
fn challenge_loop(rounds: usize) -> String {
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    flow.write_request(&mut buf).unwrap();
    let reply = serde_json::to_vec(&challenge(
        "SMS_MFA",
        Some("session-0123456789"),
        json!({"USERNAME": "alice", "CODE_DELIVERY_DESTINATION": "+*******1234"}),
    ))
    .unwrap();
    for _ in 0..rounds {
        match flow.handle_response(&HttpResponse::new(200, &reply), NOW) {
            Ok(Step::Challenge(_)) => {}
            other => return core_error(other.map(|_| ())),
        }
        if let Err(e) = flow.answer(&cognito_core::auth::Answer::Code("123456"), &mut buf) {
            return core_error::<()>(Err(e));
        }
    }
    "ok".to_owned()
}

/// A JWT of the given header and payload JSON (unsigned).
fn jwt(header: &str, payload: &str) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    format!(
        "{}.{}.sig",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    )
}

/// The claims of a token, decoded into a 4 KiB buffer, then the claim `read` asks for.
fn claims<T>(
    token: &str,
    read: impl Fn(&cognito_core::token::Claims<'_>) -> Result<T, cognito_core::token::TokenError>,
) -> String {
    let mut buf = [0u8; 4096];
    outcome(
        "TokenError",
        decode_claims(token, &mut buf).and_then(|c| read(&c)),
    )
}

fn date(text: &str) -> String {
    outcome("HttpDateError", parse_http_date(text))
}

fn base32(secret: &str) -> String {
    outcome("TotpError", Totp::from_base32(secret))
}

/// A token set from a reply whose `AuthenticationResult` has `field` set to `value`.
fn token_set_with(field: &str, value: &str) -> String {
    let mut reply = tokens();
    reply["AuthenticationResult"][field] = json!(value);
    let body = serde_json::to_vec(&reply).unwrap();
    let Ok(AuthReply::Authenticated(result)) = AuthReply::read(&HttpResponse::new(200, &body))
    else {
        panic!("the reply is read");
    };
    outcome(
        "TokenError",
        TokenSet::<8192, 8192, 8192>::from_auth_result(&result, NOW),
    )
}

/// A refresh fed `reply`.
fn refresh(reply: &Value) -> String {
    let mut flow: Refresh = Refresh::new(config(), "refresh-token").unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    flow.write_request(&mut buf).unwrap();
    let body = serde_json::to_vec(reply).unwrap();
    core_error(
        flow.handle_response(&HttpResponse::new(200, &body), NOW)
            .map(|_| ()),
    )
}

pub(crate) const CASES: &[Case] = &[
    // JSON
    Case {
        id: "J01",
        run: || read_200(b"{\"a\":"),
    },
    Case {
        id: "J02",
        run: || read_200(b"[]"),
    },
    Case {
        id: "J03",
        run: || read_200(b"{} {}"),
    },
    Case {
        id: "J04",
        run: || read_200(&[b"{\"a\":".repeat(65), b"1".to_vec(), b"}".repeat(65)].concat()),
    },
    Case {
        id: "J05",
        run: || read_200(b"{\"a\":\"\xff\"}"),
    },
    Case {
        id: "J06",
        run: || read_200(b"{\"a\":\"\\ud800\"}"),
    },
    Case {
        id: "J07",
        run: || read_200(b"{\"a\":01}"),
    },
    Case {
        id: "J08",
        run: || read_200(b"{\"a\":\"line\nbreak\"}"),
    },
    Case {
        id: "J09",
        run: || read_200(b"{\"a\":\"\\x41\"}"),
    },
    Case {
        id: "J10",
        run: || read_200(b"{\"a\":NaN}"),
    },
    Case {
        id: "J11",
        run: || read_200(b"{'a':1}"),
    },
    Case {
        id: "J12",
        run: || read_200(b"{\"a\":1,}"),
    },
    Case {
        id: "J13",
        run: || auth_reply(&json!({"AuthenticationResult": "tokens"})),
    },
    Case {
        id: "J14",
        run: || auth_reply(&json!({"ChallengeName": "SMS_MFA", "ChallengeParameters": []})),
    },
    Case {
        id: "J15",
        run: || result_with("ExpiresIn", json!(-1)),
    },
    Case {
        id: "J16",
        run: || result_with("ExpiresIn", json!("3600")),
    },
    Case {
        id: "J17",
        run: || result_with("AccessToken", Value::Null),
    },
    Case {
        id: "J18",
        run: || auth_reply(&json!({"ChallengeName": 7})),
    },
    // SRP values
    Case {
        id: "S01",
        run: || claim(Some("0"), None, None),
    },
    Case {
        id: "S02",
        run: || claim(Some(N_HEX), None, None),
    },
    Case {
        id: "S03",
        run: || {
            let two_n = num_bigint::BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap() * 2u32;
            claim(Some(&two_n.to_str_radix(16)), None, None)
        },
    },
    Case {
        id: "S04",
        run: || claim(None, Some("-3bd20719"), None),
    },
    Case {
        id: "S05",
        run: || claim(Some(&"f".repeat(1000)), None, None),
    },
    Case {
        id: "S06",
        run: || claim(Some(""), None, None),
    },
    Case {
        id: "S07",
        run: || {
            srp_sign_in(&challenge("PASSWORD_VERIFIER", None, {
                let mut p = verifier_params();
                p.as_object_mut().unwrap().remove("SRP_B");
                p
            }))
        },
    },
    Case {
        id: "S08",
        run: || {
            srp_sign_in(&challenge("PASSWORD_VERIFIER", None, {
                let mut p = verifier_params();
                p.as_object_mut().unwrap().remove("USER_ID_FOR_SRP");
                p
            }))
        },
    },
    Case {
        id: "S09",
        run: || outcome("Misuse", SrpEphemeral::from_secret_bytes(&[0; 128])),
    },
    Case {
        id: "S10",
        run: || {
            srp_sign_in(&challenge("PASSWORD_VERIFIER", None, {
                let mut p = verifier_params();
                p["SRP_B"] = json!(12345);
                p
            }))
        },
    },
    // base64 / hex
    Case {
        id: "E01",
        run: || claim(Some("12g4"), None, None),
    },
    Case {
        id: "E02",
        run: || claim(Some("0x1234"), None, None),
    },
    Case {
        id: "E03",
        run: || claim(None, Some("3bd2 0719"), None),
    },
    Case {
        id: "E04",
        run: || claim(None, None, Some("ecPPwllx3mUvko+bow2UTWd7bAFiTRK!")),
    },
    Case {
        id: "E05",
        run: || claim(None, None, Some("ecPPwllx3mUvko+bow2UTWd7bAFiTRK")),
    },
    Case {
        id: "E06",
        run: || claim(None, None, Some("ec=Pwllx3mUvko+bow2UTWd7bAFiTRKC")),
    },
    Case {
        id: "E07",
        run: || base32("JBSWY3DPEHPK3PX1"),
    },
    Case {
        id: "E08",
        run: || base32("JBSW=Y3DPEHPK3PXP"),
    },
    Case {
        id: "E09",
        run: || base32(""),
    },
    Case {
        id: "E10",
        run: || base32(&"A".repeat(200)),
    },
    Case {
        id: "E11",
        run: || {
            let mut buf = [0u8; 256];
            outcome(
                "TotpError",
                otpauth_uri("Acme", "a:b", "JBSWY3DPEHPK3PXP", &mut buf),
            )
        },
    },
    // tokens
    Case {
        id: "T01",
        run: || outcome("TokenError", Jwt::parse("header.payload")),
    },
    Case {
        id: "T02",
        run: || outcome("TokenError", Jwt::parse("a.b.c.d")),
    },
    Case {
        id: "T03",
        run: || outcome("TokenError", Jwt::parse(".eyJ9.sig")),
    },
    Case {
        id: "T04",
        run: || outcome("TokenError", Jwt::parse("eyJ9.ey+J9.sig")),
    },
    Case {
        id: "T05",
        run: || claims("eyJhbGciOiJub25lIn0.eyJzdWIiOiJh.", |c| c.sub().map(|_| ())),
    },
    Case {
        id: "T06",
        run: || claims(&jwt("{}", "not json"), |c| c.sub().map(|_| ())),
    },
    Case {
        id: "T07",
        run: || claims(&jwt("{}", "[1,2]"), |c| c.sub().map(|_| ())),
    },
    Case {
        id: "T08",
        run: || {
            claims(&jwt("{}", r#"{"exp":"2000000000"}"#), |c| {
                c.exp().map(|_| ())
            })
        },
    },
    Case {
        id: "T09",
        run: || {
            claims(&jwt("{}", r#"{"token_use":5}"#), |c| {
                c.token_use().map(|_| ())
            })
        },
    },
    Case {
        id: "T10",
        run: || {
            claims(&jwt("{}", r#"{"email_verified":"maybe"}"#), |c| {
                c.email_verified().map(|_| ())
            })
        },
    },
    Case {
        id: "T11",
        run: || claims(&jwt("{}", r#"{"exp":-5}"#), |c| c.exp().map(|_| ())),
    },
    Case {
        id: "T12",
        run: || {
            let token = jwt("{}", &format!(r#"{{"sub":"{}"}}"#, "x".repeat(100)));
            let mut buf = [0u8; 16];
            outcome(
                "TokenError",
                Jwt::parse(&token).and_then(|j| j.decode_payload(&mut buf).map(|_| ())),
            )
        },
    },
    // dates
    Case {
        id: "D01",
        run: || date("Mon, 06 Nov 1994 08:49:37 GMT"),
    },
    Case {
        id: "D02",
        run: || date("Fri, 30 Feb 2024 08:49:37 GMT"),
    },
    Case {
        id: "D03",
        run: || date("Sun, 06 Nov 1994 24:00:00 GMT"),
    },
    Case {
        id: "D04",
        run: || date("Wed, 31 Dec 1969 23:59:59 GMT"),
    },
    Case {
        id: "D05",
        run: || date("Sun, 06 Nov 1994 08:49:37 UTC"),
    },
    Case {
        id: "D06",
        run: || date("Sun, 06 Foo 1994 08:49:37 GMT"),
    },
    Case {
        id: "D07",
        run: || date(""),
    },
    Case {
        id: "D08",
        run: || date("Sun, 6 Nov 1994 08:49:37 GMT"),
    },
    Case {
        id: "D09",
        run: || date("Sun, 06 Nov 1994 08:49:37 GMT+1"),
    },
    Case {
        id: "D10",
        run: || date("Fri, 31 Dec 9999 23:59:60 GMT"),
    },
    // oversized fields
    Case {
        id: "O01",
        run: || {
            small_sign_in(&challenge(
                "SMS_MFA",
                Some(&"s".repeat(65)),
                json!({"USERNAME": "alice"}),
            ))
        },
    },
    Case {
        id: "O02",
        run: || {
            small_sign_in(&challenge(
                "SMS_MFA",
                Some("session-0123456789"),
                json!({"USERNAME": "a".repeat(17)}),
            ))
        },
    },
    Case {
        id: "O03",
        run: || {
            let p = json!({"SALT": "3bd2", "SRP_B": "dac9", "SECRET_BLOCK": "A".repeat(8200), "USER_ID_FOR_SRP": "u", "USERNAME": "u"});
            srp_sign_in(&challenge("PASSWORD_VERIFIER", None, p))
        },
    },
    Case {
        id: "O04",
        run: || {
            let big = "a".repeat(2000);
            outcome(
                "Error",
                SignIn::<Limits<64, 64, 16, 32, 0, 64>>::password(config(), "alice", &big)
                    .map(|_| ()),
            )
        },
    },
    Case {
        id: "O05",
        run: || token_set_with("AccessToken", &"a".repeat(9000)),
    },
    Case {
        id: "O06",
        run: || {
            let mut r = tokens();
            r["AuthenticationResult"]["NewDeviceMetadata"] =
                json!({"DeviceKey": "k".repeat(200), "DeviceGroupKey": "g"});
            let body = serde_json::to_vec(&r).unwrap();
            let Ok(AuthReply::Authenticated(result)) =
                AuthReply::read(&HttpResponse::new(200, &body))
            else {
                panic!()
            };
            outcome(
                "TokenError",
                TokenSet::<8192, 8192, 8192>::from_auth_result(&result, NOW),
            )
        },
    },
    Case {
        id: "O07",
        run: || {
            outcome(
                "Misuse",
                SignIn::<Limits<64, 64, 16, 32, 0, 64>>::password(config(), &"u".repeat(17), "pw")
                    .map(|_| ())
                    .map_err(|e| match e {
                        Error::Misuse(m) => m,
                        _ => Misuse::OutOfOrder,
                    }),
            )
        },
    },
    // server misbehaviour
    Case {
        id: "M01",
        run: || srp_sign_in_raw(302, b""),
    },
    Case {
        id: "M02",
        run: || srp_sign_in_raw(100, b""),
    },
    Case {
        id: "M03",
        run: || srp_sign_in_raw(200, br#"{"__type":"NotAuthorizedException","message":"m"}"#),
    },
    Case {
        id: "M04",
        run: || srp_sign_in(&json!({})),
    },
    Case {
        id: "M05",
        run: || srp_sign_in(&challenge("DEVICE_PASSWORD_VERIFIER", Some("s"), json!({}))),
    },
    Case {
        id: "M06",
        run: || challenge_loop(40),
    },
    Case {
        id: "M07",
        run: || srp_sign_in_raw(500, b"<html>Internal error</html>"),
    },
    Case {
        id: "M08",
        run: || srp_sign_in_raw(400, b""),
    },
    Case {
        id: "M09",
        run: || srp_sign_in(&tokens()),
    },
    Case {
        id: "M10",
        run: || refresh(&challenge("SMS_MFA", Some("s"), json!({}))),
    },
    Case {
        id: "M11",
        run: || {
            srp_sign_in(
                &json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600, "TokenType": "Bearer"}, "ChallengeName": "SMS_MFA"}),
            )
        },
    },
    Case {
        id: "A01",
        run: || redirect("/callback?code=c&state=forged"),
    },
    Case {
        id: "A02",
        run: || redirect("/callback?code=c&state=s1&state=forged"),
    },
    Case {
        id: "A03",
        run: || redirect("/callback?code=c"),
    },
    Case {
        id: "A04",
        run: || redirect("/callback?code=c&state=s%zz"),
    },
    Case {
        id: "A05",
        run: || redirect("/callback?code=%FF&state=s1"),
    },
    Case {
        id: "A06",
        run: || redirect(&format!("/callback?code={}&state=s1", "c".repeat(513))),
    },
    Case {
        id: "A07",
        run: || {
            token_reply(
                200,
                r#"{"access_token":"a.b.c","expires_in":3600,"token_type":"mac"}"#,
            )
        },
    },
    Case {
        id: "A08",
        run: || token_reply(200, r#"{"access_token":"a.b.c","token_type":"Bearer"}"#),
    },
    Case {
        id: "A09",
        run: || {
            token_reply(
                200,
                r#"{"access_token":"a b","expires_in":3600,"token_type":"Bearer"}"#,
            )
        },
    },
    Case {
        id: "A10",
        run: hosted_reply_with_foreign_nonce,
    },
    Case {
        id: "A11",
        run: || token_reply(302, ""),
    },
    Case {
        id: "A12",
        run: || outcome("Misuse", Scopes::new("openid  email").validate()),
    },
    // verification
    Case {
        id: "V01",
        run: || header(r#"{"alg":"none","kid":"k"}"#),
    },
    Case {
        id: "V02",
        run: || header(r#"{"alg":"HS256","kid":"k"}"#),
    },
    Case {
        id: "V03",
        run: || header(r#"{"alg":"RS256"}"#),
    },
    Case {
        id: "V04",
        run: || header(r#"{"alg":"RS256","kid":"k","crit":["b64"]}"#),
    },
    Case {
        id: "V05",
        run: || outcome("VerifyError", Jwks::parse(br#"{"keys":"k"}"#)),
    },
    Case {
        id: "V06",
        run: || rs256_key(r#"{"kid":"k","kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#),
    },
    Case {
        id: "V07",
        run: || {
            // A 1024-bit modulus (odd).
            let n = "x".repeat(170) + "w";
            rs256_key(&format!(
                r#"{{"kid":"k","kty":"RSA","n":"{n}","e":"AQAB"}}"#
            ))
        },
    },
    Case {
        id: "V08",
        run: || checked(r#"{"exp":1767600000}"#, ExpectedUse::Either),
    },
    Case {
        id: "V09",
        run: || checked(r#"{"iat":1767700000}"#, ExpectedUse::Either),
    },
    Case {
        id: "V10",
        run: || {
            checked(
                r#"{"iss":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Evil"}"#,
                ExpectedUse::Either,
            )
        },
    },
    Case {
        id: "V11",
        run: || checked(r#"{"client_id":"another-client"}"#, ExpectedUse::Either),
    },
    Case {
        id: "V12",
        run: || checked(r#"{}"#, ExpectedUse::Id),
    },
];

/// The header of a token with `header` as its JSON, checked for verification.
fn header(header: &str) -> String {
    let token = jwt(header, "{}");
    let jwt = Jwt::parse(&token).unwrap();
    outcome("VerifyError", JwtHeader::decode(&jwt, &mut [0u8; 512]))
}

/// The key of a key set holding `jwk`, read as an RS256 key.
fn rs256_key(jwk: &str) -> String {
    let jwks = format!(r#"{{"keys":[{jwk}]}}"#);
    let jwks = Jwks::parse(jwks.as_bytes()).unwrap();
    let key = jwks.find("k").unwrap();
    let (mut n, mut e) = ([0u8; MAX_MODULUS_LEN], [0u8; MAX_EXPONENT_LEN]);
    outcome("VerifyError", key.rs256_key(&mut n, &mut e))
}

/// A valid access token's claims at 1767600100 with the members of `changes` replaced,
/// checked against the pool's issuer and app client, `token_use` as `expected`.
fn checked(changes: &str, expected: ExpectedUse) -> String {
    let mut claims = json!({
        "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
        "token_use": "access",
        "client_id": "client",
        "exp": 1_767_603_600u64,
        "iat": 1_767_600_000u64,
    });
    let changes: Value = serde_json::from_str(changes).unwrap();
    for (name, value) in changes.as_object().unwrap() {
        claims[name] = value.clone();
    }
    let json = claims.to_string();
    let claims = Claims::from_json(json.as_bytes()).unwrap();
    let expect = Expectations::new("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC")
        .client_ids(&["client"])
        .token_use(expected);
    outcome(
        "VerifyError",
        check_claims(&claims, &expect, UnixTime::from_secs(1_767_600_100)),
    )
}

/// A redirect read against the state `s1`.
fn redirect(url: &str) -> String {
    core_error(read_redirect(url, "s1"))
}

/// A `/oauth2/token` reply read.
fn token_reply(status: u16, body: &str) -> String {
    core_error(read_token_reply(&HttpResponse::new(
        status,
        body.as_bytes(),
    )))
}

/// A hosted-UI sign-in whose token reply carries an ID token with another nonce.
fn hosted_reply_with_foreign_nonce() -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let mut rng = rand::rngs::OsRng;
    let mut sign_in = HostedSignIn::new(
        OAuthClient::public("client"),
        "http://127.0.0.1:8400/callback",
        Scopes::new("openid"),
        &mut rng,
    )
    .unwrap();
    let domain = PoolDomain::parse("https://auth.example.com").unwrap();
    let mut buf = [0u8; 1024];
    let url = sign_in
        .authorize_url(&domain, AuthorizeOptions::default(), &mut buf)
        .unwrap()
        .to_owned();
    let state = url
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    sign_in
        .accept_redirect(&format!("/callback?code=c&state={state}"))
        .unwrap();
    sign_in.write_token_request(&mut [0u8; 1024]).unwrap();
    let payload = Base64UrlUnpadded::encode_string(br#"{"sub":"s","nonce":"someone-else"}"#);
    let body = format!(
        r#"{{"id_token":"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln","access_token":"a.b.c","expires_in":3600,"token_type":"Bearer"}}"#
    );
    core_error(
        sign_in.handle_token_reply(&HttpResponse::new(200, body.as_bytes()), &mut [0u8; 256]),
    )
}
