//! Recovery codes (issue #35): the way in for an owner whose password sign-in is kept waiting
//! (or whose password is lost). Shown once, usable once, stored as digests.

use crate::error::AppError;
use crate::model::accounts::{RecoveryCodesView, Session};
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;

/// Signs in with the e-mail and one unused recovery code, which is then used up.
#[server(endpoint = "login/recovery")]
pub async fn login_with_recovery_code(email: String, code: String) -> Result<Session, AppError> {
    respond(async move {
        use crate::server_fns::session::{client_address, set_cookie, sign_in};
        let state = state()?;
        let signed =
            crate::services::sign_in::with_recovery_code(&state, &email, &code, &client_address())
                .await?;
        let session = sign_in(&state, &signed.person)?;
        set_cookie(&signed.device_cookie)?;
        crate::server_fns::respond::on_success_go_to("/account");
        Ok(session)
    })
    .await
}

/// The signed-in person makes a new set of recovery codes (the earlier ones stop working),
/// confirming with the current password. They are returned, and shown once on the account page.
#[server(endpoint = "account/recovery-codes")]
pub async fn new_recovery_codes(recovery_password: String) -> Result<Vec<String>, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let session = crate::server_fns::session::require(Action::ManageOwnAccount).await?;
        let state = state()?;
        let codes = crate::services::sign_in::replace_recovery_codes(
            &state,
            session.person_id.into(),
            recovery_password,
        )
        .await?;
        crate::server_fns::respond::on_success_go_to("/account#recovery");
        Ok(codes)
    })
    .await
}

/// For the account page: new codes waiting to be shown (taken, so shown once) and the number of
/// unused ones.
#[server(endpoint = "account/recovery-codes/view")]
pub async fn recovery_codes_for_page() -> Result<RecoveryCodesView, AppError> {
    respond(async move {
        let Some(session) = crate::server_fns::session::current_session().await? else {
            return Ok(RecoveryCodesView::default());
        };
        let state = state()?;
        let person = session.person_id.into();
        let new_codes = state.recovery_flash.take(person, state.clock.now());
        let unused = crate::services::sign_in::unused_recovery_codes(&state.db, person).await?;
        Ok(RecoveryCodesView { new_codes, unused })
    })
    .await
}
