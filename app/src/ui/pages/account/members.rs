//! The people of the organisation on the account page (issue #35): a supplier's owner sees its
//! members and open invitations and removes or revokes them; an agency's administrator does the
//! same for its officers and turns separation of duties on or off. Every form is a plain post
//! to a server function, which decides on the server who may act and on whom.

use crate::error::AppError;
use crate::i18n::tr;
use crate::model::accounts::MembersView;
use crate::server_fns::members::{
    DisableOfficer, RemoveMember, RevokeMemberInvitation, RevokeOfficerInvitation,
    SetSeparationOfDuties,
};
use crate::ui::components::forms::{done, last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;

/// The members (or officers) of the signed-in person's organisation, if they manage them.
pub(crate) type MembersResource = Resource<Result<Option<MembersView>, AppError>>;

/// Made at the top of the page (leptos-rs/leptos#3398): the list for a supplier's owner or an
/// agency's administrator, nothing for anyone else.
pub(crate) fn members_resource() -> MembersResource {
    Resource::new(
        || (),
        |_| async move {
            use crate::domain::auth::Role;
            match crate::server_fns::accounts::get_session().await? {
                Some(s) if s.role == Role::SupplierOwner => {
                    crate::server_fns::members::supplier_members()
                        .await
                        .map(Some)
                }
                Some(s) if s.role == Role::AgencyAdmin => {
                    crate::server_fns::members::agency_officers()
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        },
    )
}

/// The list with its forms. `agency`: officers of an agency (disable, separation of duties),
/// else members of a firm (remove).
#[component]
pub fn MembersList(members: MembersResource, agency: bool) -> impl IntoView {
    let lang = use_lang();
    let remove = ServerAction::<RemoveMember>::new();
    let disable = ServerAction::<DisableOfficer>::new();
    let revoke_member = ServerAction::<RevokeMemberInvitation>::new();
    let revoke_officer = ServerAction::<RevokeOfficerInvitation>::new();
    let duties = ServerAction::<SetSeparationOfDuties>::new();
    let remove_error = last_error(if agency {
        disable.value()
    } else {
        remove.value()
    });
    let revoke_error = last_error(if agency {
        revoke_officer.value()
    } else {
        revoke_member.value()
    });
    let duties_error = last_error(duties.value());
    let removed = if agency {
        done::<DisableOfficer>()
    } else {
        done::<RemoveMember>()
    };
    let revoked = done::<RevokeMemberInvitation>() || done::<RevokeOfficerInvitation>();
    view! {
        <section aria-labelledby="people-title" data-testid="people">
            <h2 id="people-title">
                {move || if agency { tr(lang.get(), "本单位人员", "Officers of the agency") } else { tr(lang.get(), "本单位成员", "Members of the firm") }}
            </h2>
            <p>
                {move || if agency {
                    tr(lang.get(), "停用的人员立即退出所有设备，不能再登录；其操作记录保留。", "A disabled officer is signed out everywhere at once and cannot sign in again; what they did stays on record.")
                } else {
                    tr(lang.get(), "移除的成员立即退出所有设备，不能再登录；其操作记录保留。", "A removed member is signed out everywhere at once and cannot sign in again; what they did stays on record.")
                }}
            </p>
            <Show when=move || removed>
                <p class="notice" role="status" data-testid="member-removed">
                    {move || tr(lang.get(), "已移除，其登录已全部失效。", "Removed: every session of theirs has ended.")}
                </p>
            </Show>
            <Show when=move || revoked>
                <p class="notice" role="status" data-testid="invitation-revoked">
                    {move || tr(lang.get(), "邀请已撤销，链接不再有效。", "Invitation revoked: its link no longer works.")}
                </p>
            </Show>
            <FormError error=remove_error />
            <FormError error=revoke_error />
            <Suspense fallback=move || view! { <p>{move || crate::i18n::texts(lang.get()).loading}</p> }>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(Some(view)) => {
                            let separation = view.separation_of_duties;
                            let next = if separation { "false" } else { "true" };
                            let rows = view
                                .members
                                .into_iter()
                                .map(|m| {
                                    let role = m.role;
                                    let status = m.disabled_at.is_some();
                                    let email = m.email.clone();
                                    let form = m.removable.then(|| {
                                        let id = m.id.to_string();
                                        if agency {
                                            view! {
                                                <ActionForm action=disable attr:class="inline" attr:data-testid="disable-officer-form">
                                                    <input type="hidden" name="id" value=id />
                                                    <button type="submit" data-testid="disable-officer">{move || tr(lang.get(), "停用", "Disable")}</button>
                                                </ActionForm>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=remove attr:class="inline" attr:data-testid="remove-member-form">
                                                    <input type="hidden" name="id" value=id />
                                                    <button type="submit" data-testid="remove-member">{move || tr(lang.get(), "移除", "Remove")}</button>
                                                </ActionForm>
                                            }
                                                .into_any()
                                        }
                                    });
                                    view! {
                                        <li data-testid="member" data-email=email>
                                            {m.display_name}" · "{m.email}" · "{move || role.name(lang.get())}
                                            {status.then(|| view! {
                                                " · "<strong data-testid="member-disabled">{move || tr(lang.get(), "已停用", "Disabled")}</strong>
                                            })}
                                            {form}
                                        </li>
                                    }
                                })
                                .collect_view();
                            let invitations = view
                                .invitations
                                .into_iter()
                                .map(|i| {
                                    let role = i.role;
                                    let id = i.id.to_string();
                                    let expires = i.expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
                                    let email = i.email.clone();
                                    let form = if agency {
                                        view! {
                                            <ActionForm action=revoke_officer attr:class="inline" attr:data-testid="revoke-invitation-form">
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" data-testid="revoke-invitation">{move || tr(lang.get(), "撤销邀请", "Revoke")}</button>
                                            </ActionForm>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=revoke_member attr:class="inline" attr:data-testid="revoke-invitation-form">
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" data-testid="revoke-invitation">{move || tr(lang.get(), "撤销邀请", "Revoke")}</button>
                                            </ActionForm>
                                        }
                                            .into_any()
                                    };
                                    view! {
                                        <li data-testid="pending-invitation" data-email=email>
                                            {i.email}" · "{move || role.name(lang.get())}" · "
                                            {move || tr(lang.get(), "有效期至 ", "valid until ")}{expires.clone()}
                                            {form}
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                <ul data-testid="members">{rows}</ul>
                                <h3>{move || tr(lang.get(), "未使用的邀请", "Invitations not yet used")}</h3>
                                <ul data-testid="pending-invitations">{invitations}</ul>
                                {agency.then(|| view! {
                                    <h3>{move || tr(lang.get(), "不相容岗位分离", "Separation of duties")}</h3>
                                    <p data-testid="duties-status">
                                        {move || match (separation, lang.get()) {
                                            (true, l) => tr(l, "已开启：验收节点的人员不能支付该节点的款项；开标人不能是唯一的评审人。", "On: whoever accepts a milestone cannot release its payment; the officer who opens the bids cannot be the only evaluator."),
                                            (false, l) => tr(l, "未开启。", "Off."),
                                        }}
                                    </p>
                                    <ActionForm action=duties attr:class="form" attr:data-testid="duties-form">
                                        <FormError error=duties_error />
                                        <input type="hidden" name="on" value=next />
                                        <button type="submit" data-testid="duties-toggle">
                                            {move || if separation { tr(lang.get(), "关闭岗位分离", "Turn separation of duties off") } else { tr(lang.get(), "开启岗位分离", "Turn separation of duties on") }}
                                        </button>
                                    </ActionForm>
                                })}
                            }
                                .into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
