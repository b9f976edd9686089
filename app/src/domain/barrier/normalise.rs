//! The text as the checker reads it: NFKC, lower case, traditional characters simplified,
//! invisible characters gone, dashes and spaces unified, Chinese numerals read as numbers.
//! Every character remembers where it came from, so a finding quotes the text as written.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// A normalised text and, for each of its characters, the bytes of the original it came from.
#[derive(Clone, Debug)]
pub struct Normalised {
    text: String,
    /// Per character of `text`: its byte offset in `text` and its source bytes in the original.
    chars: Vec<(usize, Range<usize>)>,
}

impl Normalised {
    pub fn new(original: &str) -> Normalised {
        let mut out: Vec<(char, Range<usize>)> = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            if is_invisible(c) {
                continue;
            }
            let source = i..i + c.len_utf8();
            for k in c.nfkc() {
                for l in k.to_lowercase() {
                    out.push((unify(l), source.clone()));
                }
            }
        }
        simplify(&mut out);
        let out = squeeze(out);
        let out = read_numerals(out);
        let mut text = String::with_capacity(out.len() * 2);
        let mut chars = Vec::with_capacity(out.len());
        for (c, source) in out {
            chars.push((text.len(), source));
            text.push(c);
        }
        Normalised { text, chars }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The bytes of the original that a byte range of the normalised text came from.
    pub fn original_range(&self, range: Range<usize>) -> (usize, usize) {
        let first = self.chars.partition_point(|(at, _)| *at < range.start);
        let last = self.chars.partition_point(|(at, _)| *at < range.end);
        match (
            self.chars.get(first),
            last.checked_sub(1).and_then(|l| self.chars.get(l)),
        ) {
            (Some((_, a)), Some((_, b))) if first < last => (a.start, b.end),
            _ => (0, 0),
        }
    }
}

/// Format and other invisible characters that can hide a word: zero-width spaces and joiners,
/// direction marks, the byte-order mark, the soft hyphen, variation selectors.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// Dashes and hyphens become `-`, every kind of space a plain one, Chinese brackets and
/// quotes their plain forms.
fn unify(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{30FC}'
        | '\u{2043}' => '-',
        '\u{301C}' => '~',
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => '\'',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// Traditional characters to simplified, one character for one (so positions hold).
fn simplify(out: &mut [(char, Range<usize>)]) {
    if !out.iter().any(|(c, _)| is_cjk(*c)) {
        return;
    }
    let text: String = out.iter().map(|(c, _)| *c).collect();
    let simplified = fast2s::convert(&text);
    if simplified.chars().count() == out.len() {
        for ((c, _), s) in out.iter_mut().zip(simplified.chars()) {
            *c = s;
        }
    }
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇')
}

/// Spaces and dashes that split a word: dropped next to Chinese ("注 册 资 本", "业-绩"),
/// a dash between letters becomes a space ("track-record"), runs of spaces become one.
fn squeeze(chars: Vec<(char, Range<usize>)>) -> Vec<(char, Range<usize>)> {
    let mut out: Vec<(char, Range<usize>)> = Vec::with_capacity(chars.len());
    for (i, (c, source)) in chars.iter().enumerate() {
        if *c == ' ' || *c == '-' {
            let before = out.last().map(|(b, _)| *b);
            let after = chars[i + 1..]
                .iter()
                .map(|(a, _)| *a)
                .find(|a| *a != ' ' && *a != '-');
            // Dropped between Chinese characters and digits; kept between Chinese and Latin
            // letters, so English words stay words ("投标人 registered capital 须").
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
            let cjk_side = (before.is_some_and(is_cjk) && !latin(after))
                || (after.is_some_and(is_cjk) && !latin(before));
            if before.is_none() || before == Some(' ') || cjk_side {
                continue;
            }
            if before.is_some_and(is_cjk) || after.is_some_and(is_cjk) {
                out.push((' ', source.clone()));
                continue;
            }
            if *c == '-' {
                let letters = before.is_some_and(|b| b.is_alphabetic())
                    && after.is_some_and(|a| a.is_alphabetic());
                out.push((if letters { ' ' } else { '-' }, source.clone()));
            } else {
                out.push((' ', source.clone()));
            }
            continue;
        }
        // A Latin letter touching a Chinese character gets a space between them.
        let touching = out.last().is_some_and(|(b, _)| {
            (is_cjk(*b) && c.is_ascii_alphabetic()) || (b.is_ascii_alphabetic() && is_cjk(*c))
        });
        if touching {
            out.push((' ', source.start..source.start));
        }
        out.push((*c, source.clone()));
    }
    while out.last().is_some_and(|(c, _)| *c == ' ') {
        out.pop();
    }
    out
}

fn numeral_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn numeral_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1_000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

fn is_numeral(c: char) -> bool {
    numeral_digit(c).is_some() || numeral_unit(c).is_some()
}

/// The value of a run of Chinese numerals: "三" 3, "十五" 15, "五百万" 5,000,000, "二〇二〇"
/// 2020 (digits only, read one by one).
pub(super) fn numeral_value(run: &[char]) -> Option<u64> {
    if run.iter().all(|c| numeral_digit(*c).is_some()) {
        return run.iter().try_fold(0u64, |v, c| {
            v.checked_mul(10)?.checked_add(numeral_digit(*c)?)
        });
    }
    let (mut total, mut section, mut number) = (0u64, 0u64, None::<u64>);
    for c in run {
        if let Some(d) = numeral_digit(*c) {
            number = Some(d);
        } else if let Some(unit) = numeral_unit(*c) {
            if unit >= 10_000 {
                section = section.checked_add(number.take().unwrap_or(0))?;
                if section == 0 {
                    section = 1;
                }
                total = total.checked_add(section)?.checked_mul(unit)?;
                section = 0;
            } else {
                section = section.checked_add(number.take().unwrap_or(1).checked_mul(unit)?)?;
            }
        }
    }
    total.checked_add(section)?.checked_add(number.unwrap_or(0))
}

/// Words after which a run of Chinese numerals is a count, not part of a word ("三年",
/// "两个", "十家"); "一般" and "统一" stay as they are.
fn counts_something(next: Option<char>) -> bool {
    next.is_some_and(|c| {
        "年个项家名人份次元台套周月天日时件座所处位级倍笔张类种万亿千百十期".contains(c)
    })
}

/// Chinese numerals become digits where they count something or follow a comparison.
fn read_numerals(chars: Vec<(char, Range<usize>)>) -> Vec<(char, Range<usize>)> {
    let mut out: Vec<(char, Range<usize>)> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_numeral(chars[i].0) {
            out.push(chars[i].clone());
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_numeral(chars[i].0) {
            i += 1;
        }
        let run: Vec<char> = chars[start..i].iter().map(|(c, _)| *c).collect();
        let next = chars.get(i).map(|(c, _)| *c);
        let before: String = out
            .iter()
            .rev()
            .take(3)
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let compared = ["于", "少", "满", "达", "过", "至少", "超", "足"]
            .iter()
            .any(|w| before.ends_with(w));
        // "十分重要" is "very important", not ten points.
        let adverb = run == ['十']
            && next == Some('分')
            && chars.get(i + 1).is_some_and(|(c, _)| is_cjk(*c));
        let value = (counts_something(next) || compared || run.len() > 1)
            .then(|| numeral_value(&run))
            .flatten()
            .filter(|_| {
                !(adverb || (run.len() > 1 && run.iter().all(|c| *c == '一' || *c == '万')))
            });
        match value {
            Some(v) => {
                let source = chars[start].1.start..chars[i - 1].1.end;
                for d in v.to_string().chars() {
                    out.push((d, source.clone()));
                }
            }
            None => out.extend(chars[start..i].iter().cloned()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        Normalised::new(s).as_str().to_string()
    }

    #[test]
    fn full_width_and_case_are_folded() {
        assert_eq!(n("ＩＳＯ９００１"), "iso9001");
        assert_eq!(n("Track Record"), "track record");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(n("业\u{200B}绩"), "业绩");
        assert_eq!(n("track\u{00AD}record\u{FEFF}"), "trackrecord");
        assert_eq!(n("注\u{2060}册资本"), "注册资本");
    }

    #[test]
    fn traditional_characters_are_simplified() {
        assert_eq!(n("註冊資本"), "注册资本");
        assert_eq!(n("類似項目業績"), "类似项目业绩");
        assert_eq!(n("從業人員"), "从业人员");
    }

    #[test]
    fn spaces_and_dashes_are_unified() {
        assert_eq!(n("注 册 资 本"), "注册资本");
        assert_eq!(n("业—绩"), "业绩");
        assert_eq!(n("track‐record"), "track record");
        assert_eq!(n("years  in\toperation"), "years in operation");
        assert_eq!(n("成立 3 年"), "成立3年");
    }

    #[test]
    fn chinese_numerals_are_read_as_numbers() {
        assert_eq!(n("成立三年以上"), "成立3年以上");
        assert_eq!(n("不少于两个"), "不少于2个");
        assert_eq!(n("注册资本五百万元"), "注册资本5000000元");
        assert_eq!(n("一千二百万"), "12000000");
        assert_eq!(n("十五家"), "15家");
        assert_eq!(n("贰拾年"), "20年");
        assert_eq!(n("二〇二〇年"), "2020年");
        // Words that contain a numeral stay words.
        assert_eq!(n("一般要求"), "一般要求");
        assert_eq!(n("统一部署"), "统一部署");
        assert_eq!(n("十分重要"), "十分重要");
    }

    #[test]
    fn ranges_point_back_to_the_text_as_written() {
        let text = "须具有類似項目業績三个";
        let nm = Normalised::new(text);
        let at = nm.as_str().find("类似").unwrap();
        let (s, e) = nm.original_range(at..nm.as_str().len());
        assert_eq!(&text[s..e], "類似項目業績三个");
    }
}
