//! CUSTOM_AUTH: plain and SRP-first, rounds, parameters passed through, wrong answers, Session
//! rotation, and the script's SRP requirement.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{CustomAuthScript, CustomRound, MfaConfiguration, MfaMode, UserPool};
use serde_json::json;

fn two_rounds() -> CustomAuthScript {
    CustomAuthScript {
        rounds: vec![
            CustomRound::new(&[("question", "2+2"), ("hint", "small")], "4"),
            CustomRound::new(&[("question", "capital of France")], "Paris"),
        ],
        ..CustomAuthScript::default()
    }
}

fn custom_pool(seed: u64, secret: Option<&str>, script: CustomAuthScript) -> (UserPool, String) {
    let (mut pool, sub) = pool(seed, secret);
    pool.set_custom_auth(Some(script));
    (pool, sub)
}

#[test]
fn without_a_script_custom_auth_is_not_configured() {
    let (mut pool, _) = pool(1, None);
    let client = RawClient::new(CLIENT_ID, None, 1);
    let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
    assert_eq!(
        expect_error(&reply, "InvalidParameterException"),
        "Custom auth lambda trigger is not configured for the user pool."
    );
}

#[test]
fn plain_custom_auth_two_rounds_with_a_wrong_answer() {
    for secret in [None, Some(SECRET)] {
        let (mut pool, sub) = custom_pool(2, secret, two_rounds());
        let client = RawClient::new(CLIENT_ID, secret, 2);
        let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
        let (params, first) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
        assert_eq!(
            params,
            json!({ "USERNAME": sub, "question": "2+2", "hint": "small" })
        );

        // Wrong answer: the same round again, with a fresh Session.
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "5" }),
            Some(&first),
        );
        let (again, second) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
        assert_eq!(again, params);
        assert_ne!(second, first);
        // The first Session is spent.
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "4" }),
            Some(&first),
        );
        expect_error(&reply, "NotAuthorizedException");
        // The newest Session still works.
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "4" }),
            Some(&second),
        );
        let (params, third) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
        assert_eq!(
            params,
            json!({ "USERNAME": sub, "question": "capital of France" })
        );
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "Paris" }),
            Some(&third),
        );
        expect_tokens(&reply);
        assert_eq!(
            pool.operations(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
            ]
        );
    }
}

#[test]
fn too_many_wrong_answers_fail_the_sign_in() {
    let script = CustomAuthScript {
        max_wrong_answers: 2,
        ..two_rounds()
    };
    let (mut pool, sub) = custom_pool(3, None, script);
    let client = RawClient::new(CLIENT_ID, None, 3);
    let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
    let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({ "ANSWER": "4" }),
        Some(&session),
    );
    let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({ "ANSWER": "Lyon" }),
        Some(&session),
    );
    let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({ "ANSWER": "Marseille" }),
        Some(&session),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Incorrect username or password."
    );
    // Missing ANSWER.
    let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
    let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({}),
        Some(&session),
    );
    expect_error(&reply, "InvalidParameterException");
}

#[test]
fn srp_first_then_custom_rounds() {
    for secret in [None, Some(SECRET)] {
        let script = CustomAuthScript {
            require_srp: true,
            ..two_rounds()
        };
        let (mut pool, sub) = custom_pool(4, secret, script);
        let mut client = RawClient::new(CLIENT_ID, secret, 4);

        // Plain CUSTOM_AUTH is refused when the script wants SRP first.
        let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
        expect_error(&reply, "NotAuthorizedException");

        let eph = client.ephemeral();
        let reply = client.initiate(
            &mut pool,
            "CUSTOM_AUTH",
            "alice",
            json!({ "CHALLENGE_NAME": "SRP_A", "SRP_A": eph.hex() }),
        );
        let (params, session) = expect_challenge(&reply, "PASSWORD_VERIFIER");
        assert_eq!(params["USER_ID_FOR_SRP"], sub.as_str());
        let answer = client
            .password_claim_now(&pool, &params, &eph, PASSWORD)
            .unwrap();
        let reply = client.respond_raw(&mut pool, "PASSWORD_VERIFIER", answer, Some(&session));
        let (params, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
        assert_eq!(params["question"], "2+2");
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "4" }),
            Some(&session),
        );
        let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
        let reply = client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &sub,
            json!({ "ANSWER": "Paris" }),
            Some(&session),
        );
        expect_tokens(&reply);
    }
}

#[test]
fn srp_first_password_verifier_needs_its_session_and_the_right_password() {
    let (mut pool, _) = custom_pool(5, None, two_rounds());
    let mut client = RawClient::new(CLIENT_ID, None, 5);
    for (password, session_ok) in [(PASSWORD, false), ("wrong", true)] {
        let eph = client.ephemeral();
        let reply = client.initiate(
            &mut pool,
            "CUSTOM_AUTH",
            "alice",
            json!({ "CHALLENGE_NAME": "SRP_A", "SRP_A": eph.hex() }),
        );
        let (params, session) = expect_challenge(&reply, "PASSWORD_VERIFIER");
        let answer = client
            .password_claim_now(&pool, &params, &eph, password)
            .unwrap();
        let sent = session_ok.then_some(session.as_str());
        let reply = client.respond_raw(&mut pool, "PASSWORD_VERIFIER", answer, sent);
        expect_error(&reply, "NotAuthorizedException");
    }
    let reply = client.initiate(
        &mut pool,
        "CUSTOM_AUTH",
        "alice",
        json!({ "CHALLENGE_NAME": "PASSWORD_VERIFIER" }),
    );
    expect_error(&reply, "InvalidParameterException");
    let reply = client.initiate(
        &mut pool,
        "CUSTOM_AUTH",
        "alice",
        json!({ "CHALLENGE_NAME": "SRP_A" }),
    );
    expect_error(&reply, "InvalidParameterException");
}

#[test]
fn no_rounds_and_no_pool_mfa() {
    let (mut pool, _) = custom_pool(6, None, CustomAuthScript::default());
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        ..MfaConfiguration::default()
    });
    let mut client = RawClient::new(CLIENT_ID, None, 6);
    // Plain with no rounds: tokens at once.
    let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
    expect_tokens(&reply);
    // SRP first with no rounds: tokens after the password, no MFA_SETUP.
    let eph = client.ephemeral();
    let reply = client.initiate(
        &mut pool,
        "CUSTOM_AUTH",
        "alice",
        json!({ "CHALLENGE_NAME": "SRP_A", "SRP_A": eph.hex() }),
    );
    let (params, session) = expect_challenge(&reply, "PASSWORD_VERIFIER");
    let answer = client
        .password_claim_now(&pool, &params, &eph, PASSWORD)
        .unwrap();
    let reply = client.respond_raw(&mut pool, "PASSWORD_VERIFIER", answer, Some(&session));
    expect_tokens(&reply);
    // The same password by USER_SRP_AUTH does need MFA.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_challenge(&reply, "MFA_SETUP");
}

#[test]
fn username_is_always_the_sub_and_the_answer_is_exact() {
    let script = CustomAuthScript {
        rounds: vec![CustomRound::new(
            &[("USERNAME", "shown-name")],
            "Exact Answer",
        )],
        ..CustomAuthScript::default()
    };
    let (mut pool, sub) = custom_pool(7, None, script);
    let client = RawClient::new(CLIENT_ID, None, 7);
    let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
    let (params, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    assert_eq!(params, json!({ "USERNAME": sub }));
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({ "ANSWER": "exact answer" }),
        Some(&session),
    );
    let (_, session) = expect_challenge(&reply, "CUSTOM_CHALLENGE");
    let reply = client.respond(
        &mut pool,
        "CUSTOM_CHALLENGE",
        &sub,
        json!({ "ANSWER": "Exact Answer" }),
        Some(&session),
    );
    expect_tokens(&reply);
}
