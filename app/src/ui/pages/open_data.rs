//! `/open-data`: what fairtender publishes for machines (issue #7), for the people who will use
//! it: the public API, its OpenAPI document, the OCDS feed and bulk file, and the CSV exports.
//! Plain links, no data loaded: it reads the same with or without JavaScript.

use crate::i18n::tr;
use crate::paths::api;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;

/// One published resource: its address, what it is, and whether it downloads as a file.
struct Resource {
    href: &'static str,
    zh: &'static str,
    en: &'static str,
    download: bool,
}

const API: &[Resource] = &[
    Resource {
        href: api::OPENAPI_JSON_HREF,
        zh: "接口说明（OpenAPI 3.1）",
        en: "API description (OpenAPI 3.1)",
        download: false,
    },
    Resource {
        href: api::TENDERS_HREF,
        zh: "采购项目（可按关键词、品目、地区、预算、中小企业预留筛选）",
        en: "Tenders (filter by keywords, category, region, budget, SME reservation)",
        download: false,
    },
    Resource {
        href: api::AWARDS_HREF,
        zh: "中标结果（含中标人规模）",
        en: "Awards (with the winner's size)",
        download: false,
    },
    Resource {
        href: api::CONTRACTS_HREF,
        zh: "合同及付款节点",
        en: "Contracts and their milestones",
        download: false,
    },
    Resource {
        href: api::TIMELINESS_HREF,
        zh: "采购人付款及时情况",
        en: "How promptly buyers pay",
        download: false,
    },
];

const OCDS: &[Resource] = &[
    Resource {
        href: api::OCDS_RELEASES_HREF,
        zh: "OCDS 发布流（按时间排序，分页）",
        en: "OCDS release feed (in date order, paged)",
        download: false,
    },
    Resource {
        href: api::OCDS_RECORDS_JSONL_HREF,
        zh: "全部 OCDS 记录（JSON Lines，一行一个项目）",
        en: "Every OCDS record (JSON Lines, one process per line)",
        download: true,
    },
];

const CSV: &[Resource] = &[
    Resource {
        href: api::TENDERS_CSV_HREF,
        zh: "采购项目",
        en: "Tenders",
        download: true,
    },
    Resource {
        href: api::AWARDS_CSV_HREF,
        zh: "中标结果",
        en: "Awards",
        download: true,
    },
    Resource {
        href: api::CONTRACTS_CSV_HREF,
        zh: "合同付款节点",
        en: "Contract milestones",
        download: true,
    },
    Resource {
        href: api::TIMELINESS_CSV_HREF,
        zh: "付款及时情况",
        en: "Payment timeliness",
        download: true,
    },
];

#[component]
fn Links(items: &'static [Resource]) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="link-list">
            {items.iter().map(|r| {
                let name = move || tr(lang.get(), r.zh, r.en);
                // rel=external: the router leaves these to the browser (they are not pages).
                if r.download {
                    view! { <li><a href=r.href rel="external" download="">{name}</a>" "<code>{r.href}</code></li> }.into_any()
                } else {
                    view! { <li><a href=r.href rel="external">{name}</a>" "<code>{r.href}</code></li> }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr(lang.get(), "开放数据", "Open data")}</h1>
        <p>{move || tr(lang.get(),
            "平台公开的一切信息也以机器可读的形式提供，任何人无需注册即可使用。投标截止前，任何数据都不会透露投标的存在、价格或内容（R-BID-01）。",
            "Everything public on the platform is also published machine-readably, for anyone, without an account. Before a tender's deadline nothing says anything about its bids: not their existence, price or content (R-BID-01).")}</p>
        <section aria-labelledby="api-title">
            <h2 id="api-title">{move || tr(lang.get(), "公开接口", "Public API")}</h2>
            <p>{move || tr(lang.get(),
                "JSON 格式，按时间倒序分页（next_cursor），支持 ETag 缓存；每个客户端地址有请求频率限制，超出时返回 429 和 Retry-After。金额为两位小数的人民币元字符串。",
                "JSON, newest first, paged by next_cursor, with ETags; each client address is rate limited (429 with Retry-After beyond). Amounts are strings of yuan with two decimals.")}</p>
            <Links items=API />
        </section>
        <section aria-labelledby="ocds-title">
            <h2 id="ocds-title">{move || tr(lang.get(), "开放合同数据标准（OCDS 1.1）", "Open Contracting Data Standard (OCDS 1.1)")}</h2>
            <p>{move || tr(lang.get(),
                "每个公开事件（发布、澄清或修改、终止、开标统计、中标、合同签订与变更、验收、付款）都是一条发布，按项目汇编为记录。",
                "Each public event (publication, clarification or amendment, cancellation, the opening's statistics, award, contract signed and amended, acceptance, payment) is one release; each process's releases compile into its record.")}</p>
            <Links items=OCDS />
        </section>
        <section aria-labelledby="csv-title">
            <h2 id="csv-title">{move || tr(lang.get(), "表格下载（CSV）", "Spreadsheets (CSV)")}</h2>
            <Links items=CSV />
        </section>
    }
}
