//! Which passphrases Hearth accepts: zxcvbn's estimate must reach "safely unguessable" (score 3 of
//! 4), and the passphrase may not contain the account's or the organisation's name (the first
//! things someone who knows the shelter would try).

use serde::Serialize;

use crate::crypto::Passphrase;

/// The least zxcvbn score accepted (0 = too guessable ... 4 = very unguessable).
pub const MIN_SCORE: u8 = 3;

/// Names shorter than this are not searched for inside passphrases: a two-letter name would
/// forbid too many good passphrases by accident.
const SHORTEST_NAME_CHECKED: usize = 3;

/// What zxcvbn thinks of a passphrase, for a live strength meter and for error messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "PassphraseAssessment.ts")
)]
pub struct PassphraseAssessment {
    /// zxcvbn's score, 0 to 4.
    pub score: u8,
    /// Whether Hearth accepts it (score and names).
    pub acceptable: bool,
    /// What is wrong, if anything.
    pub warning: Option<String>,
    /// How to do better.
    pub suggestions: Vec<String>,
}

/// Why a new passphrase was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PassphraseProblem {
    /// zxcvbn scored it below [`MIN_SCORE`].
    #[error("this passphrase is too easy to guess{}", advice(.warning, .suggestions))]
    TooWeak {
        /// zxcvbn's warning.
        warning: Option<String>,
        /// zxcvbn's suggestions.
        suggestions: Vec<String>,
    },
    /// It contains the account's or the organisation's name.
    #[error("the passphrase may not contain the {0}")]
    ContainsName(&'static str),
}

fn advice(warning: &Option<String>, suggestions: &[String]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(warning) = warning {
        parts.push(warning);
    }
    parts.extend(suggestions.iter().map(String::as_str));
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(" "))
    }
}

/// Rates a passphrase. `account_name` and `organisation_name` are the names it may not contain.
pub fn assess_passphrase(
    passphrase: &str,
    account_name: &str,
    organisation_name: &str,
) -> PassphraseAssessment {
    let names = [
        ("account name", account_name),
        ("organisation name", organisation_name),
    ];
    let contained = contained_name(passphrase, &names);
    let estimate = zxcvbn::zxcvbn(passphrase, &[account_name, organisation_name]);
    let score = u8::from(estimate.score());
    let feedback = estimate.feedback();
    let mut warning = feedback
        .and_then(|f| f.warning())
        .map(|warning| warning.to_string());
    if let Some(which) = contained {
        warning = Some(PassphraseProblem::ContainsName(which).to_string());
    }
    PassphraseAssessment {
        score,
        acceptable: score >= MIN_SCORE && contained.is_none(),
        warning,
        suggestions: feedback
            .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    }
}

fn contained_name(passphrase: &str, names: &[(&'static str, &str)]) -> Option<&'static str> {
    let folded = passphrase.to_lowercase();
    names.iter().find_map(|(which, name)| {
        let name = name.trim().to_lowercase();
        (name.chars().count() >= SHORTEST_NAME_CHECKED && folded.contains(&name)).then_some(*which)
    })
}

/// Accepts or refuses a new passphrase for an account.
pub(crate) fn check_new_passphrase(
    passphrase: &Passphrase,
    account_name: &str,
    organisation_name: &str,
) -> Result<(), PassphraseProblem> {
    let secret = passphrase.expose_secret();
    let names = [
        ("account name", account_name),
        ("organisation name", organisation_name),
    ];
    if let Some(which) = contained_name(secret, &names) {
        return Err(PassphraseProblem::ContainsName(which));
    }
    let assessment = assess_passphrase(secret, account_name, organisation_name);
    if assessment.acceptable {
        Ok(())
    } else {
        Err(PassphraseProblem::TooWeak {
            warning: assessment.warning,
            suggestions: assessment.suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(passphrase: &str) -> Result<(), PassphraseProblem> {
        check_new_passphrase(
            &Passphrase::new(passphrase.to_owned()),
            "Mirela",
            "Safe Harbour",
        )
    }

    #[test]
    fn weak_passphrases_are_refused_with_the_estimators_advice() {
        for weak in ["", "password", "12345678", "qwertyuiop", "mirela1990"] {
            let problem = check(weak).unwrap_err();
            assert!(
                matches!(
                    problem,
                    PassphraseProblem::TooWeak { .. } | PassphraseProblem::ContainsName(_)
                ),
                "{weak}"
            );
        }
        let message = check("password").unwrap_err().to_string();
        assert!(
            message.starts_with("this passphrase is too easy to guess: "),
            "{message}"
        );
    }

    #[test]
    fn strong_passphrases_pass() {
        for strong in ["violet kettle orbit pasture", "Tr4vel-lantern-quietly-87"] {
            assert_eq!(check(strong), Ok(()), "{strong}");
        }
    }

    #[test]
    fn names_inside_a_passphrase_are_refused_even_when_strong() {
        assert_eq!(
            check("violet MIRELA orbit pasture"),
            Err(PassphraseProblem::ContainsName("account name"))
        );
        assert_eq!(
            check("violet safe harbour orbit pasture"),
            Err(PassphraseProblem::ContainsName("organisation name"))
        );
    }

    #[test]
    fn assessment_reports_score_for_a_meter() {
        let weak = assess_passphrase("abc", "x", "y");
        let strong = assess_passphrase("violet kettle orbit pasture", "x", "y");
        assert!(weak.score < strong.score);
        assert!(!weak.acceptable);
        assert!(strong.acceptable);
    }
}
