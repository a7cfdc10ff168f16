//! Go `time.Duration` text (`1m30s`, `1500ms`): KubeFedConfig stores durations in this form.
//!
//! Values are nanoseconds in an `i64`, like Go, so parsing and printing round-trip exactly what
//! a KubeFed controller-manager would have read or written.

const NANO: i64 = 1;
const MICRO: i64 = 1_000 * NANO;
const MILLI: i64 = 1_000 * MICRO;
const SECOND: i64 = 1_000 * MILLI;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// Parses Go duration text into nanoseconds. Errors use Go's wording
/// (`time: invalid duration "x"`), since users compare them with KubeFed's.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let mut rest = text;
    let mut negative = false;
    if let Some(r) = rest.strip_prefix('-') {
        negative = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(r) = rest.strip_prefix('.') {
            let frac_len = r.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &r[..frac_len];
            rest = &r[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale: i64 = match unit {
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            "ns" => NANO,
            "us" | "µs" | "μs" => MICRO,
            "ms" => MILLI,
            "s" => SECOND,
            "m" => MINUTE,
            "h" => HOUR,
            other => return Err(format!("time: unknown unit {other:?} in duration {text:?}")),
        };
        let whole: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse::<i128>().map_err(|_| invalid())?
        };
        let mut value = whole * scale as i128;
        if !frac_part.is_empty() {
            let digits = frac_part.len().min(18);
            let frac: i128 = frac_part[..digits].parse().map_err(|_| invalid())?;
            value += frac * scale as i128 / 10i128.pow(digits as u32);
        }
        total += value;
        if total > i64::MAX as i128 + 1 {
            return Err(invalid());
        }
    }
    let signed = if negative { -total } else { total };
    i64::try_from(signed).map_err(|_| invalid())
}

/// Formats nanoseconds the way Go's `Duration.String` does (`1m0s`, `1.5s`, `500ms`, `0s`).
pub fn format_go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let negative = nanos < 0;
    let u = nanos.unsigned_abs();
    let mut out = String::new();
    if u < SECOND as u64 {
        let (unit, prec) = if u < MICRO as u64 {
            ("ns", 0)
        } else if u < MILLI as u64 {
            ("µs", 3)
        } else {
            ("ms", 6)
        };
        out.push_str(&with_fraction(u, prec));
        out.push_str(unit);
    } else {
        let whole_seconds = u / SECOND as u64;
        let frac = u % SECOND as u64;
        let seconds = whole_seconds % 60;
        let minutes = (whole_seconds / 60) % 60;
        let hours = whole_seconds / 3600;
        if hours > 0 {
            out.push_str(&format!("{hours}h"));
        }
        if hours > 0 || minutes > 0 {
            out.push_str(&format!("{minutes}m"));
        }
        out.push_str(&with_fraction(seconds * SECOND as u64 + frac, 9));
        out.push('s');
    }
    if negative {
        out.insert(0, '-');
    }
    out
}

/// `value / 10^prec` printed with the fraction's trailing zeros (and a bare dot) removed.
fn with_fraction(value: u64, prec: u32) -> String {
    let scale = 10u64.pow(prec);
    let whole = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_compound_units() {
        assert_eq!(parse_go_duration("20s"), Ok(20 * SECOND));
        assert_eq!(parse_go_duration("1500ms"), Ok(1500 * MILLI));
        assert_eq!(parse_go_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_go_duration("1m0s"), Ok(MINUTE));
        assert_eq!(parse_go_duration("2us"), Ok(2 * MICRO));
        assert_eq!(parse_go_duration("2µs"), Ok(2 * MICRO));
    }

    #[test]
    fn parses_fractions_signs_and_bare_zero() {
        assert_eq!(parse_go_duration("1.5s"), Ok(1500 * MILLI));
        assert_eq!(parse_go_duration(".5m"), Ok(30 * SECOND));
        assert_eq!(parse_go_duration("-10s"), Ok(-10 * SECOND));
        assert_eq!(parse_go_duration("+3s"), Ok(3 * SECOND));
        assert_eq!(parse_go_duration("0"), Ok(0));
    }

    #[test]
    fn rejects_malformed_text_with_go_messages() {
        assert_eq!(
            parse_go_duration("10"),
            Err("time: missing unit in duration \"10\"".to_string())
        );
        assert_eq!(
            parse_go_duration("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".to_string())
        );
        assert_eq!(
            parse_go_duration(""),
            Err("time: invalid duration \"\"".to_string())
        );
        assert_eq!(
            parse_go_duration("s"),
            Err("time: invalid duration \"s\"".to_string())
        );
        assert!(parse_go_duration("99999999999999h").is_err());
    }

    #[test]
    fn formats_like_go_duration_string() {
        assert_eq!(format_go_duration(0), "0s");
        assert_eq!(format_go_duration(20 * SECOND), "20s");
        assert_eq!(format_go_duration(60 * SECOND), "1m0s");
        assert_eq!(format_go_duration(5 * MINUTE), "5m0s");
        assert_eq!(format_go_duration(HOUR + 2 * SECOND), "1h0m2s");
        assert_eq!(format_go_duration(1500 * MILLI), "1.5s");
        assert_eq!(format_go_duration(500 * MILLI), "500ms");
        assert_eq!(format_go_duration(1500 * MICRO), "1.5ms");
        assert_eq!(format_go_duration(7), "7ns");
        assert_eq!(format_go_duration(-90 * SECOND), "-1m30s");
    }

    #[test]
    fn formatting_then_parsing_round_trips() {
        for n in [1, 999, 1_000_001, 59 * SECOND, 61 * MINUTE + 250 * MILLI] {
            assert_eq!(parse_go_duration(&format_go_duration(n)), Ok(n));
        }
    }
}
