//! Calendar dates as case records hold them: `YYYY-MM-DD` in the proleptic Gregorian calendar,
//! with no time of day and no time zone (a birth date or a date identified is a day, not an
//! instant). The calendar arithmetic is jiff's; this type fixes the one shape records accept.

use std::fmt;

use jiff::civil;
use jiff::{ToSpan, Unit};

/// A calendar day, 1900 to 2999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(civil::Date);

/// The first day the day counts of [`Date::from_days_since_epoch`] start from.
const EPOCH: civil::Date = civil::date(1970, 1, 1);

impl Date {
    /// Reads `YYYY-MM-DD` (exactly that shape, a real day, years 1900 to 2999). jiff reads more
    /// shapes than that (signed years, week dates); records take only the one people type.
    pub fn parse(text: &str) -> Option<Date> {
        let day = shaped_day(text)?;
        (1900..=2999).contains(&day.year()).then_some(Date(day))
    }

    /// Whether `text` is a real `YYYY-MM-DD` day before [`Date::EARLIEST`]: a date people may
    /// well type (an old document, a mistyped century), refused for what it is rather than as
    /// "not a date".
    pub fn is_before_earliest(text: &str) -> bool {
        shaped_day(text).is_some_and(|day| day < Date::EARLIEST.0)
    }

    /// The earliest day records hold: 1900-01-01.
    pub const EARLIEST: Date = Date(civil::date(1900, 1, 1));

    /// The same day `years` years earlier (29 February becomes 28 February in a common year).
    pub fn years_before(&self, years: i16) -> Date {
        Date(
            self.0
                .checked_sub(i32::from(years).years())
                .unwrap_or(Date::EARLIEST.0),
        )
    }

    /// Today where the laptop is: its clock in its time zone (from the system's time zone
    /// database; UTC if it has none). A shelter in Tirana entering today's date just after local
    /// midnight must not be told that it lies in the future, nor tomorrow's date at noon be let
    /// through.
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }

    /// The day `days` after 1970-01-01 (clamped to the days jiff can name).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let days = days.clamp(-700_000, 2_900_000);
        Date(EPOCH.checked_add(days.days()).unwrap_or(EPOCH))
    }

    /// Days from 1970-01-01 to this day.
    pub fn days_since_epoch(&self) -> i64 {
        EPOCH
            .until((Unit::Day, self.0))
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }

    /// The year.
    pub fn year(&self) -> i32 {
        i32::from(self.0.year())
    }

    /// Whole months from `self` to `on` (negative if `on` is earlier).
    pub fn months_until(&self, on: Date) -> i32 {
        self.0
            .until((Unit::Month, on.0))
            .map(|span| span.get_months())
            .unwrap_or(0)
    }

    /// The day `ms` milliseconds after the Unix epoch fell on, in UTC (a change's stamp).
    pub fn of_epoch_ms(ms: u64) -> Date {
        let days = i64::try_from(ms / 86_400_000).unwrap_or(i64::MAX);
        Date::from_days_since_epoch(days)
    }

    /// Whole years from `self` (a birth date) to `on`: the person's age that day.
    pub fn years_until(&self, on: Date) -> i32 {
        self.0
            .until((Unit::Year, on.0))
            .map(|span| i32::from(span.get_years()))
            .unwrap_or(0)
    }
}

/// `text` read as a day if it has exactly the shape `YYYY-MM-DD` and is a real day.
fn shaped_day(text: &str) -> Option<civil::Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Days from 1970-01-01 to today (where the laptop is).
pub fn today_since_epoch() -> i64 {
    Date::today().days_since_epoch()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_in_the_exact_shape_parse() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-04-01",
            "2024/04/01",
            "2024-4-01x",
            "1899-12-31",
            "+024-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_since_the_epoch_become_calendar_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        let born = Date::parse("2008-06-15").unwrap();
        assert_eq!(born.years_until(Date::parse("2026-06-14").unwrap()), 17);
        assert_eq!(born.years_until(Date::parse("2026-06-15").unwrap()), 18);
        // Born on 29 February: a year older on 1 March of a common year, not on 28 February.
        let leap = Date::parse("2008-02-29").unwrap();
        assert_eq!(leap.years_until(Date::parse("2026-02-28").unwrap()), 17);
        assert_eq!(leap.years_until(Date::parse("2026-03-01").unwrap()), 18);
    }

    #[test]
    fn day_counts_go_both_ways() {
        for text in ["1900-01-01", "1969-12-31", "2024-02-29", "2999-12-31"] {
            let day = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(day.days_since_epoch()), day);
        }
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
    }
}
