//! The words around a subject that decide whether it is demanded: comparisons, demands,
//! negations, lacks, consequences and contrasts, in Chinese and English (normalised text:
//! lower case, simplified characters, numerals as digits).
//!
//! Phrases are matched leftmost-longest, so "不得少于" is a comparison, not "不得", and "无需" a
//! negation, not "无".

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

/// What a cue does to a subject in its clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// A comparison: 不少于, 以上, at least, no fewer than. A demand, and it ends a negation's reach.
    Compare,
    /// A negation or permission: 不设, 无需, 不得以, not required, regardless of.
    Negation,
    /// A lack: 无, 未提供, without, fewer than. With a consequence, a condition; alone, a negation.
    Lack,
    /// A strong demand: 须, 应, 要求, 得分, must, shall, points. Ends a negation's reach.
    Demand,
    /// A weak demand: 具有, 提供, have, provide, a number. Does not end a negation's reach.
    Weak,
    /// A contrast: 但, however. Ends a negation's reach.
    Contrast,
    /// A consequence: 否决, 不得分, rejected, 0 points. Makes a lack a condition.
    Consequence,
    /// A permission after the subject: 同样可以参加, may also bid. Denies the subject unless the
    /// clause restricts ("only", 仅, 方可).
    Permission,
    /// A restriction: only, 仅, 只有, 方可. Turns a permission into a condition.
    Restriction,
}

/// One cue found in a clause, as a byte range of the normalised text.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub cue: Cue,
    pub start: usize,
    pub end: usize,
}

const COMPARE: &str = "不得少于|不得低于|不得小于|不应少于|不应低于|不能少于|不能低于|不少于|不低于|不小于|不短于|不晚于|至少|最少|最低|以上|及以上|或以上|超过|多于|高于|大于|达到|早于|之前|以前|≥|>=|≧|\
not less than|no less than|not fewer than|no fewer than|no later than|not later than|at least|a minimum of|minimum of|minimum|min.|more than|greater than|in excess of|exceeding|exceeds|exceed|or more|or above|and above|or over|above|over|before|prior to";

const NEGATION: &str = "不因|不会因|不得因|不应因|不得设置|不得设定|不得设立|不得以|不得将|不得把|不得要求|不得限定|不得限制|不得作为|不得提出|不得对|不得规定|不得含有|不得列为|不设置|不设定|不设|不以|不将|不把|不对|不就|不会|不作出|不做出|不提出|不含|不包含|不包括|无需|毋需|无须|毋须|不需要|不需|不必|不要求|不作要求|不做要求|不作限制|不做限制|不作硬性要求|不作为|不做为|不考虑|不予考虑|不限制|不限|不论|无论|不问|不计分|不计入|不纳入|不予计分|不作评审|不进行评审|不予评审|不参与评审|不区分|不涉及|不再|不属于|不影响|没有要求|无要求|无任何要求|无特别要求|并非|非必须|不是必须|不是|禁止|严禁|免于|免除|均可|一律|取消|\
not required|not be required|no requirement|not a requirement|not needed|not necessary|need not|needn't|no need|does not need|do not need|don't need|doesn't need|does not require|do not require|doesn't require|don't require|will not|shall not|may not|must not|does not|do not|did not|doesn't|don't|won't|cannot be|can't be|is not|are not|isn't|aren't|not considered|not scored|not assessed|not evaluated|not used|not taken into account|not a condition|not a criterion|not a factor|not relevant|not counted|not affect|no effect|no bearing|no impact|irrelevant|regardless of|irrespective of|without regard to|no matter|not limited|no restriction|no restrictions|no minimum|no threshold|there is no|there are no|of any size|of all sizes|any size|neither|nor|none|prohibited|forbidden|disregarded|ignored|waived|open to all|whether or not|not|no";

const LACK: &str = "不具备|不具有|不能提供|未能提供|无法提供|未提供|未取得|未获得|未达到|达不到|没有|缺少|缺乏|少于|低于|不足|不满|未满|无|未|\
without|with no|lacking|lacks|lack|fewer than|cannot evidence|unable to evidence|cannot prove|unable to prove|less than|under|below|unable to|cannot provide|cannot show|cannot demonstrate|cannot submit|can't provide|do not have|does not have|don't have|doesn't have|did not|not having|fail to|fails to|failing to|not provided|not submitted|not supplied|are not provided|is not provided|are not submitted|is not submitted|not attached|is missing|are missing|missing";

const DEMAND: &str = "必须|须|应当|应|需要|需|要求|得分|加分|计分|分值|满分|评分|打分|优先|门槛|限于|只接受|仅接受|须为|应为|否则|\
must|shall|should|required|requires|require|requirement|requirements|need to|needs to|points|point|scores|score|scored|scoring|marks|weighting|weighted|bonus|preference|preferred|prefer|priority|limited to|eligible|eligibility|threshold|acceptable";

const WEAK: &str = "具有|具备|拥有|持有|提供|提交|出具|获得|取得|荣获|曾获|完成|承接|承担|实施|资格|条件|\
have|has|having|hold|holds|possess|possesses|provide|provides|submit|submits|demonstrate|demonstrates|show|evidence|proof|completed|delivered|with|qualify|qualified|qualification|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|hundred|thousand|million|billion";

/// Contrasts and conditionals end a negation's reach: "不设业绩门槛，但…", "no points if …".
const CONTRAST: &str = "但是|但|然而|不过|而是|如果|如|若|凡|对于|however|but|whereas|although|though|yet|instead|if|unless|where|when|whose|provided that";

const PERMISSION: &str = "同样可以|同样可|也可以|也可|亦可|均可|均可以|都可以|可以参加|可参加|可以投标|可投标|欢迎|\
may also|may bid|may participate|may take part|may apply|may submit|may tender|can also|can bid|can participate|are welcome|is welcome|are also welcome|are eligible|is eligible|are also eligible|remain eligible|has been removed|have been removed|been removed|been deleted|been withdrawn|no longer";

const RESTRICTION: &str = "仅限|仅|只有|只|方可|才能|才可|始得|始可|限于|\
only|solely|exclusively";

const CONSEQUENCE: &str = "不得参加|不得参与|不得投标|不得入围|不能参加|不能参与|不予受理|不予通过|不予认可|不予考虑|不予|无效|作废|否决|废标|不合格|不通过|淘汰|拒绝|零分|不得分|不计分|扣分|不能中标|不得中标|不享受|\
non-responsive|nonresponsive|not responsive|rejected|reject|rejection|disqualified|disqualify|disqualification|ineligible|not eligible|not be eligible|not qualify|excluded|exclude|eliminated|invalid|not be considered|not be accepted|not accepted|not acceptable|unacceptable|zero points|no points|lose points|deducted|deduct|penalised|penalized|fail the|score of zero|scored zero";

/// Negations read only in contract terms (issue #33): how a contract says a term does not
/// apply ("不接受商业汇票", "付款不取决于上级拨款"). Kept out of the tender check, whose
/// measured corpus they would move.
const CONTRACT_NEGATION: &str = "不能以|不能因|不可以|不可因|不可|不接受|不采用|不使用|不采取|不取决于|不依赖于|不依赖|不受|不延迟|不推迟|不顺延|不暂停|不延长|不变|不受影响|照常|unchanged|unaffected";

/// "No payment … until", "not paid before": in contract terms a negation that a later "until"
/// or "before" answers states a condition; it denies nothing.
pub const NOT_UNTIL: &str =
    r"\b(?:no|not|never|nothing)\b[^.;]{0,40}?\b(?:until|till|before|prior to)\b";

/// In contract terms, time taken out of the payment term ("审核时间不计入付款期限", "not
/// counted in the payment term") stretches it: a demand, not a negation, whatever the words.
const CONTRACT_STRETCH: &str = "不计入|不计算在|不计算入|不算入|不计在|不包括在|不含在|不纳入|not counted|not be counted|excluded from|not included in|does not count|do not count|shall not count|will not count|does not run|do not run|shall not run|will not run";

/// Consequences that exclude the bidder: a negation they overlap ("are not eligible") is theirs.
pub fn excludes_the_bidder(phrase: &str) -> bool {
    [
        "eligib",
        "qualify",
        "reject",
        "exclu",
        "invalid",
        "non respons",
        "不得参",
        "不得投标",
        "不能参",
        "否决",
        "无效",
        "不合格",
        "淘汰",
        "废标",
    ]
    .iter()
    .any(|w| phrase.contains(w))
}

/// Cues written with numbers: "得3分", "满5", "10+", "每提供一个…得".
const PATTERNED: &str = r"(?P<demand>(?:得|加|计|扣|最高|共)\d+(?:\.\d+)?分|\d+(?:\.\d+)?分|每[^，,。；]{1,12}?(?:得|加|计)|\b\d+(?:\.\d+)? points?\b)|(?P<compare>满\d|\b\d+\+)|(?P<consequence>\b0 points?\b|扣\d+(?:\.\d+)?分|\b0分)|(?P<weak>\d+(?:\.\d+)?)";

struct Lexicon {
    phrases: AhoCorasick,
    /// Consequences, matched apart: "will not be considered" is a negation and a consequence.
    consequences: AhoCorasick,
    kinds: Vec<Cue>,
    patterned: Regex,
    contract_negations: AhoCorasick,
    contract_stretch: AhoCorasick,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut phrases = Vec::new();
    let mut kinds = Vec::new();
    for (list, cue) in [
        (COMPARE, Cue::Compare),
        (NEGATION, Cue::Negation),
        (LACK, Cue::Lack),
        (DEMAND, Cue::Demand),
        (WEAK, Cue::Weak),
        (CONTRAST, Cue::Contrast),
        (PERMISSION, Cue::Permission),
        (RESTRICTION, Cue::Restriction),
    ] {
        // As normalised: a hyphen between letters is a space.
        for phrase in list.split('|').map(|p| p.replace('-', " ")) {
            // A phrase in two lists keeps its first kind.
            if !phrases.contains(&phrase) {
                phrases.push(phrase);
                kinds.push(cue);
            }
        }
    }
    Lexicon {
        // The lists are constants: a failure here is a programming error caught by every test.
        phrases: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .expect("barrier cues build"),
        kinds,
        consequences: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(CONSEQUENCE.split('|').map(|p| p.replace('-', " ")))
            .expect("barrier consequences build"),
        patterned: Regex::new(PATTERNED).expect("barrier cue patterns compile"),
        contract_negations: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(CONTRACT_NEGATION.split('|'))
            .expect("contract negations build"),
        contract_stretch: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(CONTRACT_STRETCH.split('|'))
            .expect("contract stretch phrases build"),
    }
});

/// Every cue in `text[start..end]`, in order.
pub fn cues(text: &str, start: usize, end: usize) -> Vec<Found> {
    let lexicon = &*LEXICON;
    let clause = &text[start..end];
    let mut found: Vec<Found> = lexicon
        .phrases
        .find_iter(clause)
        .map(|m| Found {
            cue: lexicon.kinds[m.pattern().as_usize()],
            start: start + m.start(),
            end: start + m.end(),
        })
        .filter(|f| whole_word(text, f.start, f.end))
        .filter(|f| !inside_a_word(text, f.start, f.end))
        .collect();
    found.extend(
        lexicon
            .consequences
            .find_iter(clause)
            .map(|m| Found {
                cue: Cue::Consequence,
                start: start + m.start(),
                end: start + m.end(),
            })
            .filter(|f| whole_word(text, f.start, f.end)),
    );
    for caps in lexicon.patterned.captures_iter(clause) {
        for (name, cue) in [
            ("demand", Cue::Demand),
            ("compare", Cue::Compare),
            ("consequence", Cue::Consequence),
            ("weak", Cue::Weak),
        ] {
            if let Some(m) = caps.name(name) {
                found.push(Found {
                    cue,
                    start: start + m.start(),
                    end: start + m.end(),
                });
            }
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// The negations of contract terms in `text[start..end]` (see [`CONTRACT_NEGATION`]).
pub fn contract_negations(text: &str, start: usize, end: usize) -> Vec<Found> {
    LEXICON
        .contract_negations
        .find_iter(&text[start..end])
        .map(|m| Found {
            cue: Cue::Negation,
            start: start + m.start(),
            end: start + m.end(),
        })
        .filter(|f| whole_word(text, f.start, f.end))
        .collect()
}

/// Phrases of contract terms that take time out of the payment term (see
/// [`CONTRACT_STRETCH`]), as demands.
pub fn contract_stretch(text: &str, start: usize, end: usize) -> Vec<Found> {
    LEXICON
        .contract_stretch
        .find_iter(&text[start..end])
        .map(|m| Found {
            cue: Cue::Demand,
            start: start + m.start(),
            end: start + m.end(),
        })
        .filter(|f| whole_word(text, f.start, f.end))
        .collect()
}

/// An English phrase matches whole words only ("no" is not in "note", "over" not in "overall").
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let word = &text[start..end];
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return true;
    }
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A Chinese cue that is only part of another word: 应 in 供应商, 响应, 相应; 需 in 需求; 无 in
/// 无线; 未 in 未来; 以上 in 以上内容 is still "above" and harmless.
fn inside_a_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    match &text[start..end] {
        "应" | "应当" => {
            before.is_some_and(|c| "供响相对适反答效理回呼".contains(c))
                || after.is_some_and(|c| "用急标聘".contains(c))
        }
        "需" => after == Some('求'),
        "无" => after.is_some_and(|c| "线锡人机效论害偿故法形关".contains(c)),
        "未" => after.is_some_and(|c| "来经".contains(c)),
        "不是" => after == Some('必'),
        _ => false,
    }
}
