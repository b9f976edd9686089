//! `CreditCode::parse`: what it accepts is 18 characters of the GB 32100 set with a matching
//! check character, written canonically; every single-character change of an accepted code is
//! refused (the weights are non-zero modulo the prime 31, so the check catches each one); and
//! each refusal names the right reason.
#![no_main]

use app::domain::credit_code::{CreditCode, CreditCodeError};
use libfuzzer_sys::fuzz_target;

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn check_accepted(input: &str, code: &CreditCode) {
    let text = code.as_str();
    assert_eq!(
        text,
        input.trim().to_ascii_uppercase(),
        "canonical form of {input:?}"
    );
    assert_eq!(text.len(), 18, "{text:?}");
    assert!(text.chars().all(|c| CHARSET.contains(c)), "{text:?}");
    assert_eq!(
        CreditCode::parse(text).as_ref(),
        Ok(code),
        "re-parse of {text:?}"
    );
    assert_eq!(
        CreditCode::parse(&text.to_ascii_lowercase()).as_ref(),
        Ok(code)
    );
    assert_eq!(CreditCode::try_from(text.to_string()).as_ref(), Ok(code));
    assert_eq!(
        CreditCode::complete(&text[..17]).as_ref(),
        Ok(code),
        "{text:?}"
    );
    assert_eq!(code.to_string(), text);
    let chars: Vec<char> = text.chars().collect();
    for i in 0..18 {
        for other in CHARSET.chars().filter(|&c| c != chars[i]) {
            let mut changed = chars.clone();
            changed[i] = other;
            let changed: String = changed.into_iter().collect();
            assert_eq!(
                CreditCode::parse(&changed),
                Err(CreditCodeError::Check),
                "{changed:?} (position {i} of {text:?} changed) was not refused"
            );
        }
    }
}

fn check_refused(input: &str, error: &CreditCodeError) {
    let code = input.trim().to_ascii_uppercase();
    let len = code.chars().count();
    match *error {
        CreditCodeError::Length(n) => {
            assert_eq!(n, len, "{input:?}");
            assert_ne!(n, 18, "{input:?}");
        }
        CreditCodeError::Character(c) => {
            assert_eq!(len, 18, "{input:?}");
            assert!(!CHARSET.contains(c) && code.contains(c), "{input:?}: {c:?}");
        }
        CreditCodeError::Check => {
            assert_eq!(len, 18, "{input:?}");
            assert!(code.chars().all(|c| CHARSET.contains(c)), "{input:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // The input as typed.
    let input = String::from_utf8_lossy(data);
    match CreditCode::parse(&input) {
        Ok(code) => check_accepted(&input, &code),
        Err(e) => check_refused(&input, &e),
    }
    // A code built from the input's bytes, so most runs also exercise the accepting path.
    if data.len() >= 17 {
        let first17: String = data[..17]
            .iter()
            .map(|b| CHARSET.as_bytes()[usize::from(*b) % CHARSET.len()] as char)
            .collect();
        let code = CreditCode::complete(&first17).expect("17 characters of the set complete");
        check_accepted(code.as_str(), &code);
        let typed = format!(" \t{}\u{3000}", code.as_str().to_ascii_lowercase());
        assert_eq!(CreditCode::parse(&typed), Ok(code), "{typed:?}");
    }
});
