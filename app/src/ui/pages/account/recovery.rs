//! The account page's recovery codes (issue #35): new ones shown this once, how many are left,
//! and a form to make a new set (the current password confirms it).

use crate::i18n::tr;
use crate::server_fns::recovery::{recovery_codes_for_page, NewRecoveryCodes};
use crate::ui::components::forms::{last_error, Field, FormError};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;

#[component]
pub fn RecoverySection(
    codes: Resource<Result<crate::model::accounts::RecoveryCodesView, crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let make = ServerAction::<NewRecoveryCodes>::new();
    let error = last_error(make.value());
    view! {
        <section aria-labelledby="recovery-title" id="recovery">
            <h2 id="recovery-title">{move || tr(lang.get(), "恢复码", "Recovery codes")}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    let v = codes.await.unwrap_or_default();
                    let fresh = (!v.new_codes.is_empty()).then(|| view! {
                        <div class="notice" role="status">
                            <p>{move || tr(lang.get(),
                                "请立即抄下或打印这些恢复码并妥善保管：它们只显示这一次。密码登录被拦或忘记密码时，每个恢复码可登录一次。",
                                "Write these recovery codes down or print them now and keep them safe: they are shown this once. When password sign-in is held up or the password is lost, each signs you in once.")}</p>
                            <ul data-testid="recovery-codes">
                                {v.new_codes.into_iter().map(|c| view! { <li><code data-testid="recovery-code">{c}</code></li> }).collect_view()}
                            </ul>
                        </div>
                    });
                    let unused = v.unused;
                    view! {
                        {fresh}
                        <p data-testid="recovery-unused">{move || match lang.get() {
                            crate::i18n::Lang::ZhCn => format!("未使用的恢复码：{unused} 个。"),
                            crate::i18n::Lang::En => format!("Unused recovery codes: {unused}."),
                        }}</p>
                    }
                })}
            </Suspense>
            <ActionForm action=make attr:class="form" attr:data-testid="recovery-codes-form">
                <FormError error />
                <Field name="recovery_password" field="recovery_password" label=Signal::derive(move || tr(lang.get(), "当前密码", "Current password")) error kind="password" autocomplete="current-password" />
                <button type="submit">{move || tr(lang.get(), "生成新的恢复码（旧的作废）", "Make new recovery codes (the old ones stop working)")}</button>
            </ActionForm>
        </section>
    }
}

/// The resource the page creates at its top (leptos-rs/leptos#3398).
pub fn recovery_resource(
) -> Resource<Result<crate::model::accounts::RecoveryCodesView, crate::error::AppError>> {
    Resource::new(|| (), |_| recovery_codes_for_page())
}
