//! 统一社会信用代码 (unified social credit code): 18 characters, the last a check character
//! computed per GB 32100-2015.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::i18n::Text;

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("must be 18 characters, got {0}")]
    Length(usize),
    #[error("character {0:?} is not allowed")]
    Character(char),
    #[error("check character does not match")]
    Check,
}

impl CreditCodeError {
    pub fn text(&self) -> Text {
        match self {
            CreditCodeError::Length(n) => Text::new(
                format!("统一社会信用代码应为 18 位，您输入了 {n} 位。"),
                format!("A unified social credit code has 18 characters; you entered {n}."),
            ),
            CreditCodeError::Character(c) => Text::new(
                format!("统一社会信用代码不能包含字符“{c}”（不使用 I、O、Z、S、V）。"),
                format!("A unified social credit code cannot contain {c:?} (I, O, Z, S and V are never used)."),
            ),
            CreditCodeError::Check => Text::new(
                "统一社会信用代码的校验位不正确，请核对营业执照。",
                "The check character does not match: compare the code with the business licence.",
            ),
        }
    }
}

fn value(c: char) -> Option<u32> {
    CHARSET
        .iter()
        .position(|&b| b as char == c)
        .map(|p| p as u32)
}

/// The check character for the first 17 characters.
fn check_char(first17: &str) -> Result<char, CreditCodeError> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c).ok_or(CreditCodeError::Character(c))? * w;
    }
    let check = (31 - sum % 31) % 31;
    Ok(CHARSET[check as usize] as char)
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code: String = input.trim().to_ascii_uppercase();
        let len = code.chars().count();
        if len != 18 {
            return Err(CreditCodeError::Length(len));
        }
        if let Some(bad) = code.chars().find(|c| value(*c).is_none()) {
            return Err(CreditCodeError::Character(bad));
        }
        if check_char(&code[..17])? != code.chars().last().unwrap_or_default() {
            return Err(CreditCodeError::Check);
        }
        Ok(CreditCode(code))
    }

    /// Completes 17 characters with their check character (for demo and test data).
    pub fn complete(first17: &str) -> Result<CreditCode, CreditCodeError> {
        let len = first17.chars().count();
        if len != 17 {
            return Err(CreditCodeError::Length(len + 1));
        }
        CreditCode::parse(&format!("{first17}{}", check_char(first17)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes_and_lowercase() {
        // Published codes of well-known firms.
        for code in [
            "91350100M000100Y43",
            "914403001922038216",
            "91110000802100433b",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn refuses_wrong_length_characters_and_check() {
        assert_eq!(
            CreditCode::parse("9135010"),
            Err(CreditCodeError::Length(7))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100I43"),
            Err(CreditCodeError::Character('I'))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::Check)
        );
    }

    #[test]
    fn completes_the_check_character() {
        assert_eq!(
            CreditCode::complete("91350100M000100Y4").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }
}
