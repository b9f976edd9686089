//! How a contract's payment terms that PAY Arts. 9, 11, 12 and 14 forbid are written (issue
//! #33), in Chinese and English (normalised text, as in `patterns`). Read only in
//! [`super::Context::ContractTerms`], where a term names what payment waits on without a demand
//! word, so each subject counts unless the clause denies it ("付款不因法定代表人变更而延迟").
//!
//! Each subject is written as a *dependence* (funds arriving, an audit done, an approval given,
//! a leader changed, a bill issued) in a clause about paying; a bare mention ("乙方应配合审计",
//! "the funds are secured") is not a term about payment.

use std::sync::LazyLock;

use super::patterns::{p, with, Pattern};
use super::Subject;

/// The clause is about paying or settling.
const PAYING: &str = r"支付|付款|付清|付给|结算|结清|拨付|价款|款项|货款|尾款|余款|费用|付|价|金额|退还|退回|扣减|扣除|\brefund\w*|\bdeduct\w*|\brepa(?:y|id|ys|ying|yment)\b|\bprices?\b|\bsums?\b|\bamounts?\b|\bprevail\w*|\bfinal accounts?\b|\bpa(?:y|ys|id|ying|yment|yments|yable)\b|\binvoices?\b|\bsettle\w*|\binstal?l?ments?\b|\bbalance\b|\bretention\b";

/// The clause is about paying, or about putting it off.
const PAYING_OR_DELAY: &str = r"支付|付款|付清|结算|结清|拨付|价款|款项|货款|尾款|余款|付|延迟|延期|延后|顺延|推迟|暂停|暂缓|中止|迟延|拖延|\bpa(?:y|ys|id|ying|yment|yments|yable)\b|\binvoices?\b|\bsettle\w*|\bdelay\w*|\bpostpon\w*|\bsuspend\w*|\bdefer\w*|\bwithh[oe]ld\w*";

/// Who the agency may wait on for money: a higher authority, the finance department, an owner.
const THIRD: &str = r"(?:上级主管部门|上级部门|上级单位|上级|主管部门|财政部门|财政局|财政厅|财政委|业主|建设单位|发包人|总包单位|总包方|总承包人|最终用户|用户单位|委托方|委托人|出资方|资金方|拨款单位)";

/// An audit or final accounts, by whoever does them.
const AUDIT: &str = r"(?:审计|决算|财政评审|财政投资评审|财政审核|评审中心|结算审核|造价审核|审价)";

/// Every payment-term pattern; only in contract terms.
pub static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    use Subject::*;
    let c = |s: &str| s.replace("THIRD", THIRD).replace("AUDIT", AUDIT);
    vec![
        // R-PAY-09 (PAY Art. 9): payment waiting on funds from a third party.
        p(
            ThirdPartyFunds,
            r"背靠背|\bback to back\b|\bpa(?:y|id|yment) (?:when|if) paid\b|\bpay (?:when|if) (?:you are |we are |the agency is |the buyer is )?paid\b",
        ),
        with(
            p(
                ThirdPartyFunds,
                &c(
                    r"(?:资金|拨款|财政款|经费|专项款|补助款|补助资金|预算资金|预算)[^,，。；;]{0,8}?(?:到位|到账|下达|下拨|划拨|拨入|拨到|回笼|批复)[^,，。；;]{0,4}?(?:后|之后|以后|时|前|为前提|前提|为条件|条件|情况|比例|进度|而定)|(?:资金|拨款|经费|专项款|财政款|预算)[^,，。；;]{0,4}?(?:未|没有|尚未|不|未能|无法)(?:到位|到账|拨付|拨款|拨|下达|下拨|落实)|(?:按|按照|根据|视|依据|依照|取决于|参照)[^,，。；;]{0,10}?(?:上级|财政|专项|主管部门|拨款)[^,，。；;]{0,6}?(?:到位|到账|下达|下拨|拨款|拨付|资金)[^,，。；;]{0,3}?(?:情况|进度|比例|而定|后)|THIRD[^,，。；;]{0,10}?(?:拨款|拨付|付款|支付|回款|结算|付清|资金|经费|款项|款|拨)[^,，。；;]{0,4}?(?:后|之后|以后|前|为前提|前提|为条件|条件|情况|比例|进度|到位|到账)|(?:收到|收讫|取得|获得|到账)[^,，。；;]{0,10}?(?:上级|财政|主管部门|业主|建设单位|发包人|总包|最终用户|用户单位|委托方|拨款单位|第三方)[^,，。；;]{0,10}?(?:拨款|拨付|资金|经费|款项|付款|款|回款)|(?:回款|资金回笼)[^,，。；;]{0,6}?(?:后|前提|条件|前|情况|比例)",
                ),
            ),
            Some(PAYING),
            None,
        ),
        // Funds that come to the agency (a higher level's subsidy, a budget, a loan) with
        // payment following them: after, according to, in step with.
        with(
            p(
                ThirdPartyFunds,
                r"(?:资金|拨款|补助|补贴|预算|贷款|经费|财政|投资|国债|债券|融资)[^,，。；;]{0,10}?(?:到位|到账|下达|下拨|拨入|划入|转入|拨到|落实|批复|筹集|筹措|回笼)[^,，。；;]{0,12}?(?:后|之后|以后|为准|进度|情况|比例|一致|挂钩|同步|而定|为前提|前提|为条件|条件)|(?:上级|财政|政府|中央|省级|市级|区级|县级|主管部门|补助|补贴|专项|预算内|国债)[^,，。；;]{0,8}?(?:拨付|划拨|下拨|拨款|拨)[^,，。；;]{0,12}?(?:后|之后|以后|为准|进度|情况|比例|一致|挂钩|同步|而定|为前提|前提|为条件|条件)",
            ),
            Some(PAYING),
            // Money the agency pays on to the supplier is the payment itself.
            Some(
                r"(?:拨付|划拨|转入|汇入|支付)(?:至|到|给|予)(?:乙方|供应商|中标人|成交人|承包人)",
            ),
        ),
        with(
            p(
                ThirdPartyFunds,
                r"(?:取得|获得|收到|筹集|筹措|申请到|争取到)[^,，。；;]{0,8}?(?:资金|拨款|补助|补贴|预算|贷款|经费|财政|投资|国债|融资)[^,，。；;]{0,6}?(?:后|之后|以后|为准|为前提|前提|为条件|条件)",
            ),
            Some(PAYING),
            // The supplier receiving its money is the payment itself.
            Some(r"(?:乙方|供应商|中标人|成交人|承包人)(?:在)?(?:收到|取得|获得)"),
        ),
        with(
            p(
                ThirdPartyFunds,
                r"\b(?:subject to|conditional (?:up)?on|contingent (?:up)?on|dependent on|depends on|depending on|pending|after|once|when|until|upon|following) (?:the )?(?:[\w']+ ){0,4}?(?:releas\w*|transfer\w*|allocat\w*|disburs\w*|appropriat\w*|grant\w*) (?:of )?(?:the |its |their )?(?:[\w']+ ){0,2}?(?:funds?|funding|grants?|budget|allocations?|appropriations?|subsid\w*|money)\b",
            ),
            Some(PAYING),
            None,
        ),
        with(
            p(
                ThirdPartyFunds,
                r"\b(?:subject to|conditional (?:up)?on|contingent (?:up)?on|dependent (?:up)?on|depends? (?:up)?on|depending (?:up)?on|pending|after|once|when|until|upon|following|if|as soon as|days of|weeks of|months of) (?:the )?(?:(?:availability|receipt|release|allocation|arrival|disbursement|appropriation|transfer) of )(?:the )?(?:[\w']+ ){0,2}?(?:funds?|funding|budget|appropriations?|allocations?|grants?)\b|\b(?:once|when|after|until|if|unless|as soon as|pending|provided) (?:the )?(?:[\w']+ ){0,3}?(?:funds?|funding|budget|allocations?|appropriations?|grants?) (?:[\w']+ ){0,3}?(?:is |are |has been |have been |being |gets? |was |were )?(?:received|released|allocated|available|disbursed|transferred|appropriated|paid)\b|\b(?:subject to|conditional (?:up)?on|contingent (?:up)?on|dependent (?:up)?on|depends? (?:up)?on|depending (?:up)?on|pending|after|once|when|until|upon|following|if|as soon as|days of|weeks of|months of) (?:the )?(?:[\w']+ ){0,3}?(?:receiv\w*|obtain\w*|gets?|getting) (?:the )?(?:[\w']+ ){0,2}?(?:funds?|funding|money|payment|allocations?|budget|grants?) from\b|\b(?:after|once|when|upon|until|following|before) (?:the )?(?:agency|buyer|purchaser|employer|client|purchasing entity|owner|ministry|bureau|government)(?:'s)? (?:[\w']+ ){0,2}?(?:receives?|receipt of|has received|obtains?|is paid|has been paid|gets?)\b|\b(?:after|once|when|until|upon|following|if) (?:the )?(?:[\w']+ ){0,2}?(?:government|ministry|bureau|treasury|authority|department|owner|employer|client|funder|sponsor|donor)s? (?:has |have )?(?:paid|pays|transfers?|transferred|releases?|released|funds?|funded|remits?|remitted)\b|\b(?:contingent|conditional|dependent|depends|depending) (?:up)?on (?:the )?(?:[\w']+ ){0,3}?(?:funds?|funding|budget|allocations?|appropriations?|grants?)\b",
            ),
            Some(PAYING),
            None,
        ),
        // R-PAY-09 (PAY Art. 11), R-PAY-03 (PAY Art. 14): an audit or final accounts as the
        // settlement basis or a condition of payment. The decree excepts what a law or an
        // administrative regulation requires; no such law is named on a contract form, so the
        // reading that protects the SME is to refuse the term and let the contract rest on its
        // price and acceptance (an audit may still be done: "审计不影响付款期限").
        with(
            p(
                AuditBasis,
                &c(
                    r"AUDIT(?:部门|机关|单位|机构|中心|局)?[^,，。；;]{0,12}?(?:结果|结论|报告|意见|审定|核定|定案|审核|确认)[^,，。；;]{0,10}?(?:为准|为依据|为结算|作为|作准|确定|结算|调整|为最终|支付|付款|核减)|AUDIT[^,，。；;]{0,10}?(?:后|之后|以后|完成|结束|通过|完毕|办结|出具|确认|定案)[^,，。；;]{0,12}?(?:支付|付款|付清|结算|结清|拨付|付|支)|(?:经|经过|通过|待|须经|需经|需要经过|视)[^,，。；;]{0,6}?AUDIT|审定(?:价|金额|造价|结算|值|数|的金额)|审计(?:核减|调减|审减|扣减|调整|为准|金额|价)|审减|决算",
                ),
            ),
            Some(PAYING),
            // An audit the supplier delivers (a contract for audit services) is its deliverable.
            Some(
                r"(?:乙方|供应商|中标人|成交人|承包人|服务商|服务机构)[^,，。；;]{0,6}?(?:提交|出具|完成|交付|提供)[^,，。；;]{0,8}?审计|\b(?:supplier|contractor|consultant|auditor) (?:[\w']+ ){0,2}?(?:delivers|submits|provides|completes|issues) (?:the |its |an? )?(?:[\w']+ ){0,2}?audit",
            ),
        ),
        with(
            p(
                AuditBasis,
                r"\bsubject to (?:an? |the |any )?(?:[\w']+ ){0,2}?(?:audit|auditing|final accounts)\b|\b(?:after|upon|following|until|pending|once|when|on) (?:the )?(?:(?:completion|conclusion|approval|issue|issuance|receipt|outcome|results?|findings) of )?(?:the |an |any )?(?:[\w']+ ){0,2}?(?:audit|final accounts)\b|\b(?:based on|on the basis of|according to|in accordance with|adjusted to|adjusted by|determined by|as determined by|in line with|per) (?:the )?(?:[\w']+ ){0,4}?(?:audit|final accounts)\b|\baudit(?:ed)? (?:results?|findings?|figures?|amounts?|value|outcome|conclusions?|determination|price|sum|valuation)\b|\b(?:results?|findings?|figures?|outcome|conclusions?|determination) of (?:the |an )?(?:[\w']+ ){0,2}?audit\b|\b(?:conditional|contingent|dependent|depends|depending) (?:up)?on (?:an? |the |any )?(?:[\w']+ ){0,2}?(?:audit|final accounts)\b|\b(?:delayed|held|withheld|deferred|postponed) (?:by|for|until|pending) (?:an? |the |any )?(?:[\w']+ ){0,2}?(?:audit|final accounts)\b|\b(?:confirmed|approved|determined|verified|fixed|set|reviewed|validated|certified|checked|adjusted) by (?:the |an? )?(?:[\w']+ ){0,3}?(?:audit\w*|final accounts)\b",
            ),
            Some(PAYING),
            Some(
                r"\b(?:supplier|contractor|consultant|auditor) (?:[\w']+ ){0,2}?(?:delivers|submits|provides|completes|issues) (?:the |its |an? )?(?:[\w']+ ){0,2}?audit",
            ),
        ),
        // R-PAY-09 (PAY Art. 12): commercial bills and receivable e-vouchers. Lawful only as the
        // supplier's own choice: a pre-printed "with the supplier's consent" is what the decree
        // calls forcing, so consent alone does not make it lawful.
        with(
            p(
                CommercialBills,
                r"商业汇票|商业承兑|银行承兑|承兑汇票|商票|银票|应收账款电子凭证|电子应收账款凭证|应收账款凭证|电子债权凭证|数字债权凭证|债权凭证|供应链票据|供应链金融|(?:以|用|采用|通过|使用)[^,，。；;]{0,4}?票据(?:方式)?(?:支付|结算|付款)|远期支票|期票|\bcommercial (?:acceptance )?(?:bills?|drafts?|paper|notes?)\b|\btrade acceptances?\b|\bbills? of exchange\b|\bbanker'?s'? acceptances?\b|\bbank acceptance (?:bills?|drafts?|notes?)\b|\bacceptance (?:bills?|drafts?)\b|\bpromissory notes?\b|\b(?:electronic|digital|e) (?:receivables? |debt |credit |payables? )?(?:vouchers?|debt instruments?|claims? certificates?)\b|\breceivables? (?:e |electronic |digital )?(?:vouchers?|certificates?)\b|\bsupply chain (?:finance )?(?:vouchers?|bills?|notes?)\b|\bpost dated che(?:que|ck)s?\b|\b\d+[ -]?days? (?:bills?|drafts?|notes?|paper)\b|\bbills? (?:accepted|drawn)\b",
            ),
            Some(PAYING),
            Some(
                r"(?:乙方|供应商|中标人|成交人)(?:可|可以|有权)?(?:自愿|自主)?(?:选择|要求|申请)|\bat the (?:supplier|contractor|seller)'?s? (?:own )?(?:request|option|choice|election)\b|\bif the (?:supplier|contractor|seller) (?:so )?(?:requests|chooses|elects|opts|asks)\b|\bthe (?:supplier|contractor|seller) may (?:choose|elect|opt|ask|request)\b",
            ),
        ),
        // R-PAY-03 (PAY Art. 14): payment waiting on internal approval or payment procedures.
        // Internal steps done within the payment term are lawful.
        with(
            p(
                InternalApproval,
                r"(?:内部|单位内部)[^,，。；;]{0,6}?(?:审批|审核|签批|会签|报批|流程|程序|手续|报账|报销|决策|批准)|(?:付款|支付|报账|报销|财务|资金|用款)(?:部门)?(?:审批|签批|会签|报批)(?:流程|程序|手续)?|财务(?:部门)?审核(?:通过|完成|完毕)?(?:后|之后)|(?:领导|局长|主任|院长|校长|处长|分管|主管|负责人)[^,，。；;]{0,4}?(?:签字|签批|审批|批准|签发|审签)|(?:审批|签批|会签|报批|批准)(?:流程|程序|手续)?(?:完成|完毕|办结|结束|通过)?(?:后|之后|以后|时间为准)|会签|(?:付款|支付|报账|报销|财务|审批)(?:流程|程序|手续)[^,，。；;]{0,6}?(?:后|之后|以后|完成|完毕|办结|结束|为准|需要|需|时间|周期|较长|一般|通常)|\bapproval (?:workflow|process|procedure|chain|cycle)s?\b|\binternal (?:[\w']+ ){0,2}?(?:approvals?|procedures?|process(?:es)?|sign ?offs?|authori[sz]ations?|reviews?|workflows?|formalities|paperwork)\b|\b(?:director|head|manager|leadership|management|minister|chief|board|finance department|finance office)(?:'s)? (?:approval|sign ?off|signature|authori[sz]ation|consent)\b|\bapproval (?:of|by) the (?:director|head|leadership|management|finance department|finance office|minister|chief)\b|\bsign ?off\b",
            ),
            Some(PAYING),
            Some(
                r"(?:期限|期|日|天)内(?:完成|办结|办理完毕|办理)|期限内(?:支付|付款|付清)|(?:^|[^不])计入(?:付款)?期限|\bwithin the (?:payment )?(?:term|period)\b|\b(?:is|are|shall be|will be) counted (?:in|towards|within) the (?:payment )?term\b",
            ),
        ),
        // A collective decision of the agency (a party committee, an office meeting, a budget
        // committee) that payment waits on is internal approval too.
        with(
            p(
                InternalApproval,
                r"(?:党委|党组|办公会|常委会|领导小组|局务会|院务会|校务会|所务会|主任会|会议|集体|班子|委员会|董事会)[^,，。；;]{0,6}?(?:研究|审议|审定|讨论|通过|同意|批准|决定|决策)|研究同意|审议通过|集体研究|\b(?:after|once|when|until|upon|following|subject to|pending) (?:the )?(?:(?:agency|buyer|purchaser|employer|client)'?s? |its |our )?(?:[\w']+ ){0,2}?(?:committee|board|council|meeting|director|head|leadership|management|finance (?:office|department|division|unit)|budget (?:office|unit))\b",
            ),
            Some(PAYING),
            Some(r"验收|\bacceptance\b|\bwithin the (?:payment )?(?:term|period)\b"),
        ),
        // R-PAY-03 (PAY Art. 14): payment delayed by a change of legal representative or
        // leadership. The supplier's project manager is another matter.
        with(
            p(
                LeadershipChange,
                r"(?:法定代表人|法人代表|法人|主要负责人|单位负责人|领导|领导班子|领导层|分管领导|主管领导|班子|管理层|机构)[^,，。；;]{0,2}?(?:变更|变动|更换|调整|更替|换届|离任|调离|改组|改革|交接)|换届|新任(?:法定代表人|领导|负责人)|\bchanges? (?:of|in|to) (?:the |its |their )?(?:(?:agency|buyer|purchaser|employer)'?s? )?(?:legal representative|leadership|management|director|head|principal|officials?|senior management|administration|leaders?)\b|\b(?:legal representative|leadership|management|director|head)(?: of the (?:agency|buyer|purchaser))? (?:changes?|is replaced|is changed|turnover|reshuffles?|transition)\b|\b(?:re ?organi[sz]ations?|restructuring|reshuffles?)\b|\bnew (?:head|director|leadership|legal representative|management)\b|\b(?:legal representatives?|leadership|management|director|head|leaders?)\b[^.;,]{0,20}?\b(?:chang\w*|replac\w*|reshuffl\w*|reorgani[sz]\w*|turnover|transition)\b",
            ),
            Some(PAYING_OR_DELAY),
            // The supplier's project manager is another matter; a successor who carries on
            // the contract changes nothing.
            Some(
                r"项目负责人|项目经理|继续履行|承继|\bproject (?:manager|lead|leader)\b|\bsuccessor\b",
            ),
        ),
    ]
});
