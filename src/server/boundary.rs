//! [ssr] The one place upstream and internal errors become what a trader
//! sees. Details are logged here, as structured events with a hashed
//! identifier; the trader gets a fixed `PortalError`.

use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::error::PortalError;

/// Map an upstream failure that has no step-specific meaning.
pub fn upstream(endpoint: Endpoint, ident: &str, err: &AutoSharesError) -> PortalError {
    match err {
        AutoSharesError::AppKeyRejected => {
            tracing::error!(
                event = "upstream_app_key_rejected",
                %endpoint,
                "AutoShares rejected the portal's app key: fix AUTOSHARES_APP_KEY; every reset fails until then"
            );
            PortalError::Unavailable
        }
        AutoSharesError::Unavailable(reason) => {
            tracing::warn!(event = "upstream_unavailable", %endpoint, ident, reason = %reason);
            PortalError::Unavailable
        }
        AutoSharesError::Rejected { codes, .. } => {
            tracing::warn!(event = "upstream_rejected", %endpoint, ident, codes = ?codes);
            PortalError::CouldNotStart
        }
    }
}
