//! Whether a request may be sent again, through the pair's loop: the driver checks each
//! request's `Resend` against its own rule, and resends as `Resend::verdict` says when an attempt
//! is throttled, answered 503 or loses its reply (`Fault`).

use cognito_core::Error;
use cognito_core::account::{ChangePassword, ForgotPassword, GetUser};
use cognito_core::auth::{ClientConfig, FirstFactor, SignIn};
use cognito_core::exchange::Flow;
use cognito_core::time::UnixTime;
use cognito_core::wire::{ErrorKind, HttpResponse, Operation, Request, Resend};
use cognito_tests::fixtures::driver::{DriveError, Fault, MAX_ATTEMPTS, Pair, UserAnswer};
use cognito_tests::pool::{CustomAuthScript, CustomRound, FirstAuthFactor, UserOptions, UserPool};

use crate::support::{delivery_medium, eph, kind, rng};

const POOL_ID: &str = "us-west-2_ResendPool";
const CLIENT_ID: &str = "resendclient00000000000000";
const PASSWORD: &str = "Passw0rd!";
const EMAIL: &str = "dave@example.com";

fn pair(seed: u64) -> Pair {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    let user = UserOptions {
        email: Some(EMAIL.into()),
        email_verified: true,
        ..UserOptions::default()
    };
    pool.add_user_with("dave", PASSWORD, user);
    Pair::new(pool)
}

fn config() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

/// An access token of dave's.
fn access_token(pair: &mut Pair, seed: u64) -> String {
    let mut flow: SignIn = SignIn::srp(&config(), "dave", PASSWORD, eph(&mut rng(seed))).unwrap();
    pair.sign_in(&mut flow, |_, _| None)
        .unwrap()
        .tokens
        .access_token
}

/// The statuses of the attempts from `from` on (`None`: the reply was lost).
fn statuses(pair: &Pair, from: usize) -> Vec<Option<u16>> {
    pair.sent()[from..].iter().map(|s| s.status).collect()
}

#[test]
fn a_lost_reply_is_resent_only_where_harmless() {
    let mut pair = pair(1);
    let mut rng = rng(1);
    // The InitiateAuth that only starts SRP reached the pool, its reply was lost: sent again.
    pair.inject(&[Fault::LostReply]);
    let mut flow: SignIn = SignIn::srp(&config(), "dave", PASSWORD, eph(&mut rng)).unwrap();
    let signed = pair.sign_in(&mut flow, |_, _| None).unwrap();
    assert!(
        pair.pool
            .verify_access_token(&signed.tokens.access_token)
            .is_some()
    );
    assert_eq!(
        pair.transcript(),
        [
            "InitiateAuth",
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );
    assert_eq!(statuses(&pair, 0), [None, Some(200), Some(200)]);
    assert_eq!(pair.sent()[0].resend, Resend::AfterAnyFailure);
    assert_eq!(
        pair.pool.operations().len(),
        3,
        "the lost one reached the pool"
    );

    // The password claim's reply lost: it may have counted, so the outcome is unknown.
    pair.inject(&[Fault::Deliver, Fault::LostReply]);
    let mut flow: SignIn = SignIn::srp(&config(), "dave", PASSWORD, eph(&mut rng)).unwrap();
    match pair.sign_in(&mut flow, |_, _| None) {
        Err(DriveError::OutcomeUnknown(sent)) => {
            assert_eq!(sent.to_string(), "RespondToAuthChallenge PASSWORD_VERIFIER");
            assert_eq!(sent.resend, Resend::OnlyIfUnreceived);
            assert_eq!(sent.status, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(statuses(&pair, 3), [Some(200), None]);

    // Every reply lost, even where resending is harmless: the driver gives up.
    let from = pair.sent().len();
    pair.inject(&[Fault::LostReply; MAX_ATTEMPTS]);
    let mut flow: SignIn = SignIn::srp(&config(), "dave", PASSWORD, eph(&mut rng)).unwrap();
    match pair.sign_in(&mut flow, |_, _| None) {
        Err(DriveError::NoReply(sent)) => assert_eq!(sent.operation, Operation::InitiateAuth),
        other => panic!("{other:?}"),
    }
    assert_eq!(statuses(&pair, from), [None; MAX_ATTEMPTS]);
}

#[test]
fn throttled_requests_are_resent_by_everyone_within_the_budget() {
    let mut pair = pair(2);
    // Throttled, the pool did not act: even a request that sends a code is sent again, and one
    // code goes out.
    pair.inject(&[Fault::Throttle]);
    let forgot = ForgotPassword {
        username: "dave",
        ..ForgotPassword::default()
    };
    let medium = pair.call(&config(), forgot, delivery_medium).unwrap();
    assert_eq!(medium.as_deref(), Some("EMAIL"));
    assert_eq!(pair.transcript(), ["ForgotPassword", "ForgotPassword"]);
    assert_eq!(statuses(&pair, 0), [Some(400), Some(200)]);
    assert_eq!(pair.pool.operations(), ["ForgotPassword"]);
    assert_eq!(pair.pool.sent_messages().len(), 1);

    // Throttled every time: the budget spent, the last reply goes to the call, which reports it.
    let token = access_token(&mut pair, 2);
    let from = pair.sent().len();
    pair.inject(&[Fault::Throttle; MAX_ATTEMPTS]);
    let get_user = GetUser {
        access_token: &token,
    };
    assert_eq!(
        kind(pair.call(&config(), get_user, |_| ())),
        ErrorKind::TooManyRequests
    );
    assert_eq!(statuses(&pair, from), [Some(400); MAX_ATTEMPTS]);
    assert!(!pair.pool.operations().contains(&"GetUser"));
}

#[test]
fn an_unavailable_pool_is_asked_again_only_for_reads() {
    let mut pair = pair(3);
    let token = access_token(&mut pair, 3);
    let from = pair.sent().len();
    pair.inject(&[Fault::Unavailable]);
    let get_user = GetUser {
        access_token: &token,
    };
    let name = pair
        .call(&config(), get_user, |user| user.username.raw().to_owned())
        .unwrap();
    assert_eq!(name, "dave");
    assert_eq!(statuses(&pair, from), [Some(503), Some(200)]);

    // A change may have happened behind a 503: not sent again.
    pair.inject(&[Fault::Unavailable]);
    let change = ChangePassword {
        access_token: &token,
        previous_password: Some(PASSWORD),
        proposed_password: "N3w-Passw0rd!",
    };
    match pair.call(&config(), change, |()| ()) {
        Err(DriveError::OutcomeUnknown(sent)) => {
            assert_eq!(sent.operation, Operation::ChangePassword);
            assert_eq!(sent.status, Some(503));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pair.transcript().last().unwrap(), "ChangePassword");
    assert_eq!(pair.transcript().len(), from + 3);
}

/// A flow that claims its change of password may be resent after any failure.
struct Careless {
    sent: bool,
}

impl Flow for Careless {
    type Step<'r> = ();

    fn has_request(&self) -> bool {
        !self.sent
    }

    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        buf[..2].copy_from_slice(b"{}");
        self.sent = true;
        Ok(Request::new(
            Operation::ChangePassword,
            &buf[..2],
            Resend::AfterAnyFailure,
        ))
    }

    fn handle_response(&mut self, _: &HttpResponse<'_>, _: UnixTime) -> Result<(), Error> {
        Ok(())
    }
}

#[test]
fn a_request_that_claims_a_resend_it_may_not_have_is_not_sent() {
    let mut pair = pair(4);
    match pair.drive(&mut Careless { sent: false }, |()| ()) {
        Err(DriveError::Resend { sent, allowed }) => {
            assert_eq!(sent.operation, Operation::ChangePassword);
            assert_eq!(sent.resend, Resend::AfterAnyFailure);
            assert_eq!(allowed, Resend::OnlyIfUnreceived);
        }
        other => panic!("{other:?}"),
    }
    assert!(pair.sent().is_empty() && pair.pool.requests().is_empty());
}

#[test]
fn initiate_auth_resends_only_when_it_starts_srp_or_offers_a_choice() {
    let mut pair = pair(5);
    pair.pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: false,
        rounds: vec![CustomRound::new(&[("q", "x")], "y")],
        max_wrong_answers: 1,
    }));
    pair.pool
        .set_allowed_first_auth_factors(&[FirstAuthFactor::EmailOtp]);
    let config = config();
    let mut rng = rng(5);
    let flows: Vec<(SignIn, Resend)> = vec![
        (
            SignIn::srp(&config, "dave", PASSWORD, eph(&mut rng)).unwrap(),
            Resend::AfterAnyFailure,
        ),
        (
            SignIn::custom_with_srp(&config, "dave", PASSWORD, eph(&mut rng)).unwrap(),
            Resend::AfterAnyFailure,
        ),
        (
            SignIn::choice(&config, "dave", None, None, None).unwrap(),
            Resend::AfterAnyFailure,
        ),
        (
            SignIn::choice(
                &config,
                "dave",
                Some(FirstFactor::PasswordSrp),
                Some(PASSWORD),
                Some(eph(&mut rng)),
            )
            .unwrap(),
            Resend::AfterAnyFailure,
        ),
        (
            SignIn::password(&config, "dave", PASSWORD).unwrap(),
            Resend::OnlyIfUnreceived,
        ),
        (
            SignIn::custom(&config, "dave").unwrap(),
            Resend::OnlyIfUnreceived,
        ),
        (
            SignIn::choice(&config, "dave", Some(FirstFactor::EmailOtp), None, None).unwrap(),
            Resend::OnlyIfUnreceived,
        ),
        (
            SignIn::after_sign_up(&config, "dave", "a-sign-up-session", None).unwrap(),
            Resend::OnlyIfUnreceived,
        ),
    ];
    for (mut flow, expected) in flows {
        let from = pair.sent().len();
        // Whatever it leads to (the pool refuses the made-up sign-up Session), the first
        // request went through the driver's check.
        let _ = pair.sign_in(&mut flow, |_, _| Some(UserAnswer::Custom("y".into())));
        let first = &pair.sent()[from];
        assert_eq!(first.operation, Operation::InitiateAuth);
        assert_eq!(first.resend, expected, "{flow:?}");
    }
}
