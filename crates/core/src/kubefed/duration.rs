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

/// Parses Go duration text into nanoseconds: a port of Go's `time.ParseDuration`, checks in the same
/// order, fractions rounded through the same float arithmetic, errors in Go's wording and quoting
/// (`time: invalid duration "x"`), since users compare them with KubeFed's. The one difference: Go
/// wraps two components of 2^63 ns each around to `0s`; here that is an invalid duration.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    const LIMIT: u64 = 1 << 63;
    let invalid = || format!("time: invalid duration {}", go_time_quote(text));
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
    let mut total: u64 = 0;
    while !rest.is_empty() {
        if !rest.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let whole = leading_int(&rest[..int_len]).ok_or_else(invalid)?;
        rest = &rest[int_len..];
        let mut fraction = (0, 1.0);
        let mut frac_len = 0;
        if let Some(r) = rest.strip_prefix('.') {
            frac_len = r.bytes().take_while(u8::is_ascii_digit).count();
            fraction = leading_fraction(&r[..frac_len]);
            rest = &r[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale: u64 = match unit {
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    go_time_quote(text)
                ))
            }
            "ns" => NANO as u64,
            "us" | "µs" | "μs" => MICRO as u64,
            "ms" => MILLI as u64,
            "s" => SECOND as u64,
            "m" => MINUTE as u64,
            "h" => HOUR as u64,
            other => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_time_quote(other),
                    go_time_quote(text)
                ))
            }
        };
        if whole > LIMIT / scale {
            return Err(invalid());
        }
        let mut value = whole * scale;
        let (frac, frac_scale) = fraction;
        if frac > 0 {
            // Go goes through float64 here (nanosecond-accurate for fractions of an hour) and truncates.
            value += (frac as f64 * (scale as f64 / frac_scale)) as u64;
            if value > LIMIT {
                return Err(invalid());
            }
        }
        total = total
            .checked_add(value)
            .filter(|t| *t <= LIMIT)
            .ok_or_else(invalid)?;
    }
    if negative {
        // -2^63 is the one value whose magnitude is not an i64.
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// Go's `leadingInt` over a run of ASCII digits: `None` beyond 2^63.
fn leading_int(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |x, c| {
        if x > (1 << 63) / 10 {
            return None;
        }
        Some(x * 10 + u64::from(c - b'0')).filter(|x| *x <= 1 << 63)
    })
}

/// Go's `leadingFraction` over a run of ASCII digits: the digits as an integer and 10^(digits taken);
/// digits past what fits in 2^63 are ignored.
fn leading_fraction(digits: &str) -> (u64, f64) {
    let mut x: u64 = 0;
    let mut scale = 1.0;
    for c in digits.bytes() {
        if x > (i64::MAX as u64) / 10 {
            break;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            break;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale)
}

/// Go's `time.quote`: like `strconv.Quote`, except that every byte of a non-ASCII or control character
/// is written as `\xNN`.
fn go_time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c < ' ' || !c.is_ascii() {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
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
    fn a_duration_too_large_for_any_integer_is_an_error_not_an_overflow_panic() {
        // Found by the go_duration fuzz target: 10^29 minutes overflowed the i128 product.
        let text = "1h305555555555555555555555555555m";
        assert_eq!(
            parse_go_duration(text),
            Err(format!("time: invalid duration {text:?}"))
        );
        assert!(parse_go_duration(&format!("{}h", "9".repeat(38))).is_err());
        assert!(parse_go_duration(&format!("-{}ns", "9".repeat(39))).is_err());
    }

    #[test]
    fn fractions_round_through_floats_as_in_go() {
        // Differences found by comparing with Go 1.26's time.ParseDuration on random input.
        assert_eq!(parse_go_duration(".4799999999999999999999μs"), Ok(480));
        assert_eq!(
            parse_go_duration("-1154695.26286400917000h"),
            Ok(-4_156_902_946_310_433_011)
        );
        assert_eq!(parse_go_duration("0.3h"), Ok(18 * MINUTE));
        assert_eq!(parse_go_duration("1.0000000000000000000001s"), Ok(SECOND));
    }

    #[test]
    fn errors_check_and_quote_like_go() {
        // Go rejects an oversized number before it looks at the unit.
        assert_eq!(
            parse_go_duration("99999999999999999999999x"),
            Err("time: invalid duration \"99999999999999999999999x\"".to_string())
        );
        assert_eq!(
            parse_go_duration("1\u{ff}\u{2028}s"),
            Err(r#"time: unknown unit "\xc3\xbf\xe2\x80\xa8s" in duration "1\xc3\xbf\xe2\x80\xa8s""#.to_string())
        );
        assert_eq!(
            parse_go_duration("a\"b\\c\nd"),
            Err(r#"time: invalid duration "a\"b\\c\x0ad""#.to_string())
        );
    }

    #[test]
    fn the_extremes_of_an_i64_parse_and_a_wrapped_sum_is_invalid() {
        assert_eq!(parse_go_duration("-9223372036854775808ns"), Ok(i64::MIN));
        assert!(parse_go_duration("9223372036854775808ns").is_err());
        assert_eq!(parse_go_duration("9223372036854775807ns"), Ok(i64::MAX));
        // Go wraps this sum to 0s; it is no duration anyone meant.
        assert!(parse_go_duration("9223372036854775808ns9223372036854775808ns").is_err());
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
