//! What every page knows about the deployment: the broker's brand, the
//! sign-in link, the password policy, and whether this is the sandbox.

use serde::{Deserialize, Serialize};

use crate::password_policy::PasswordPolicy;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub broker_name: String,
    pub logo_url: String,
    pub sign_in_url: String,
    pub sandbox: bool,
    pub policy: PasswordPolicy,
}
