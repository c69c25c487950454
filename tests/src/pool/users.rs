//! Users: identity (username, sub) and the SRP credentials the server keeps (salt, verifier).

use alloc::collections::BTreeMap;
use alloc::string::String;

use num_bigint::BigUint;

use crate::srp;

/// One user. The password itself is never stored: only the salt and `v = g^x mod N`.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// The name the user types (an alias of the sub, as in real pools).
    pub(crate) username: String,
    /// The immutable id; also USER_ID_FOR_SRP and the challenge USERNAME.
    pub(crate) sub: String,
    /// The SRP salt as an integer (16 random bytes; leading zero bytes vanish like in Java).
    pub(crate) salt: BigUint,
    /// The SRP verifier.
    pub(crate) verifier: BigUint,
    /// The user's DeviceGroupKey, made when its first device is registered.
    pub(crate) device_group_key: Option<String>,
}

/// All users, by sub, with an index from username to sub.
#[derive(Debug, Clone, Default)]
pub(crate) struct Users {
    by_sub: BTreeMap<String, User>,
    sub_by_username: BTreeMap<String, String>,
}

impl Users {
    /// Finds a user by username or by sub.
    pub(crate) fn find(&self, name: &str) -> Option<&User> {
        self.sub_by_username
            .get(name)
            .and_then(|sub| self.by_sub.get(sub))
            .or_else(|| self.by_sub.get(name))
    }

    pub(crate) fn by_sub(&self, sub: &str) -> Option<&User> {
        self.by_sub.get(sub)
    }

    pub(crate) fn by_sub_mut(&mut self, sub: &str) -> Option<&mut User> {
        self.by_sub.get_mut(sub)
    }

    /// The sub of an existing user with this username, if any.
    pub(crate) fn sub_of_username(&self, username: &str) -> Option<&str> {
        self.sub_by_username.get(username).map(String::as_str)
    }

    pub(crate) fn insert(&mut self, user: User) {
        self.sub_by_username
            .insert(user.username.clone(), user.sub.clone());
        self.by_sub.insert(user.sub.clone(), user);
    }
}

impl User {
    /// Sets new SRP credentials for `password` under `pool_name`, keyed by the sub.
    pub(crate) fn set_password(&mut self, pool_name: &str, salt: BigUint, password: &str) {
        self.verifier = srp::verifier(&salt, pool_name, &self.sub, password);
        self.salt = salt;
    }
}
