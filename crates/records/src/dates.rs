//! Calendar dates as case records hold them: `YYYY-MM-DD` in the proleptic Gregorian calendar,
//! with no time of day and no time zone (a birth date or a date identified is a day, not an
//! instant). Small enough to keep here rather than pull in a date-time crate.

use std::fmt;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Reads `YYYY-MM-DD` (exactly that shape, a real day, years 1900 to 2999).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        if !(1900..=2999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Today where the laptop is: its clock in its time zone (from the system's time zone
    /// database; UTC if it has none). A shelter in Tirana entering today's date just after local
    /// midnight must not be told that it lies in the future, nor tomorrow's date at noon be let
    /// through.
    pub fn today() -> Date {
        let local = jiff::Zoned::now().date();
        Date {
            year: i32::from(local.year()),
            month: u8::try_from(local.month()).unwrap_or(1),
            day: u8::try_from(local.day()).unwrap_or(1),
        }
    }

    /// The day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days from 1970-01-01 to this day (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(&self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let shifted_month = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Whole years from `self` (a birth date) to `on`: the person's age that day.
    pub fn years_until(&self, on: Date) -> i32 {
        let had_birthday = (on.month, on.day) >= (self.month, self.day);
        on.year - self.year - i32::from(!had_birthday)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days from 1970-01-01 to today (where the laptop is).
pub fn today_since_epoch() -> i64 {
    Date::today().days_since_epoch()
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
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
    }
}
