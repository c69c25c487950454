//! Where a sign-in stands.

/// A request the flow writes by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Auto {
    Initiate,
    PasswordVerifier,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    /// `RespondToAuthChallenge(MFA_SETUP)` after `VerifySoftwareToken` succeeded.
    MfaSetupComplete,
}

/// The reply a caller's answer waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Answered {
    /// `RespondToAuthChallenge`; `srp_a` when the answer carried `SRP_A` (`PASSWORD_SRP`).
    Challenge {
        srp_a: bool,
    },
    AssociateSoftwareToken,
    VerifySoftwareToken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    /// An automatic request is ready; `sent` once it was written.
    Auto {
        next: Auto,
        sent: bool,
    },
    /// A challenge is with the caller; `totp_secret_shown` after `AssociateSoftwareToken`.
    WithCaller {
        totp_secret_shown: bool,
    },
    /// The caller's answer was written; its reply is awaited.
    Answered(Answered),
    Done,
    Failed,
}

impl State {
    /// An automatic request, not written yet.
    pub(super) fn auto(next: Auto) -> Self {
        State::Auto { next, sent: false }
    }
}

/// What SRP expects after the last request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Expect {
    PasswordVerifier,
    DevicePasswordVerifier,
    Anything,
}
