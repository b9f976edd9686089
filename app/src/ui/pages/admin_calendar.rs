//! The working-day calendar on /admin (issue #34): the years every count uses, where each comes
//! from, and the form that uploads a year's file. A plain form posting the file's text: it works
//! without JavaScript. The server refuses it to anyone but the platform administrator.

use crate::i18n::{format_datetime, tr};
use crate::model::calendar::{CalendarYearView, YearOrigin};
use crate::server_fns::accounts::{calendar_years, UploadCalendar};
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;

#[component]
pub(crate) fn CalendarAdmin(upload: ServerAction<UploadCalendar>) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(upload.value());
    let years = Resource::new(move || upload.version().get(), |_| calendar_years());
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.for_field(field).map(|m| m.get(lang.get()).to_string()))
        }
    };
    view! {
        <section aria-labelledby="calendar-title">
            <h2 id="calendar-title">{move || tr(lang.get(), "工作日日历", "Working-day calendar")}</h2>
            <p>
                {move || tr(
                    lang.get(),
                    "所有按工作日计算的期限都使用这里的日历。上传的文件立即用于之后的计算；已经确定的期限不会因此缩短。",
                    "Every deadline counted in working days uses this calendar. An uploaded file is used by every later count at once; a deadline already set never gets shorter.",
                )}
            </p>
            <Suspense fallback=move || view! { <p>{move || tr(lang.get(), "加载中…", "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match years.await {
                        Ok(list) => view! {
                            <ul data-testid="calendar-years">
                                {list.into_iter().map(|y| view! { <YearLine y /> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=upload attr:class="form" attr:data-testid="calendar-upload-form">
                <FormError error />
                <div class="field">
                    <label for="f-cal-year">{move || tr(lang.get(), "年份", "Year")}</label>
                    <input id="f-cal-year" name="year" inputmode="numeric" autocomplete="off" aria-describedby="f-cal-year-error" />
                    <p class="field-error" id="f-cal-year-error" role="status">{field_error("year")}</p>
                </div>
                <div class="field">
                    <label for="f-cal-file">
                        {move || tr(
                            lang.get(),
                            "日历文件（TOML，按国务院办公厅放假安排通知填写 source、holidays、working_weekends）",
                            "Calendar file (TOML from the State Council's holiday notice: source, holidays, working_weekends)",
                        )}
                    </label>
                    <textarea id="f-cal-file" name="file" rows="10" spellcheck="false" aria-describedby="f-cal-file-error"></textarea>
                    <p class="field-error" id="f-cal-file-error" role="status">{field_error("file")}</p>
                </div>
                <button type="submit">{move || tr(lang.get(), "检查并上传", "Check and upload")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn YearLine(y: CalendarYearView) -> impl IntoView {
    let lang = use_lang();
    let source = y.source.clone();
    let origin = y.origin.clone();
    view! {
        <li data-testid=format!("calendar-year-{}", y.year)>
            <strong>{y.year}</strong>
            " · "
            {move || match &origin {
                YearOrigin::BuiltIn => tr(lang.get(), "平台内置文件", "built-in file").to_string(),
                YearOrigin::ServerFolder => tr(lang.get(), "服务器日历目录中的文件", "file in the server's calendar folder").to_string(),
                YearOrigin::Uploaded { by, at, sha256 } => {
                    let by = by.clone().unwrap_or_else(|| "—".into());
                    let short = sha256.get(..12).unwrap_or(sha256);
                    match lang.get() {
                        crate::i18n::Lang::ZhCn => format!("由 {by} 于 {} 上传（SHA-256 {short}…）", format_datetime(*at)),
                        crate::i18n::Lang::En => format!("uploaded by {by} at {} (SHA-256 {short}…)", format_datetime(*at)),
                    }
                }
                YearOrigin::Provisional => tr(lang.get(), "暂定（尚无该年文件）", "provisional (no file for the year yet)").to_string(),
            }}
            <br />
            <span class="muted">{move || source.get(lang.get()).to_string()}</span>
        </li>
    }
}
