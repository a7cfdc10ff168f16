//! Kubernetes resource quantities (`250m`, `1Gi`, `1e3`): parsing, exact comparison, and the canonical
//! form the API server stores (`0.25` → `250m`, `1024Mi` → `1Gi`, `1000000000` → `1G`), as
//! `k8s.io/apimachinery/pkg/api/resource` writes it.

use std::cmp::Ordering;

/// How a quantity was written, which decides how its canonical form is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, … (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, ``, `k`, `M`, … (powers of 1000).
    DecimalSI,
    /// `1e3`, `5E-3`.
    DecimalExponent,
}

/// A quantity held exactly, in nano units (10⁻⁹), as the API server rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    nanos: i128,
    pub format: Format,
}

const NANO: i128 = 1_000_000_000;

fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

impl Quantity {
    /// Parses a quantity as the API server accepts it; `None` for anything else (or too large to hold).
    pub fn parse(text: &str) -> Option<Quantity> {
        let s = text.trim();
        if s.is_empty() || s != text {
            return None;
        }
        let (negative, rest) = match s.as_bytes()[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, frac) = match number.split_once('.') {
            Some((w, f)) => (w, f),
            None => (number, ""),
        };
        if (whole.is_empty() && frac.is_empty()) || frac.contains('.') {
            return None;
        }
        // digits × 10^-scale
        let digits: String = format!("{whole}{frac}");
        let digits = digits.trim_start_matches('0');
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            if digits.len() > 36 {
                return None;
            }
            digits.parse().ok()?
        };
        let mut scale: i32 = frac.len() as i32;
        let (format, exp10, exp2): (Format, i32, u32) = match suffix {
            "" => (Format::DecimalSI, 0, 0),
            "n" => (Format::DecimalSI, -9, 0),
            "u" => (Format::DecimalSI, -6, 0),
            "m" => (Format::DecimalSI, -3, 0),
            "k" => (Format::DecimalSI, 3, 0),
            "M" => (Format::DecimalSI, 6, 0),
            "G" => (Format::DecimalSI, 9, 0),
            "T" => (Format::DecimalSI, 12, 0),
            "P" => (Format::DecimalSI, 15, 0),
            "E" => (Format::DecimalSI, 18, 0),
            "Ki" => (Format::BinarySI, 0, 10),
            "Mi" => (Format::BinarySI, 0, 20),
            "Gi" => (Format::BinarySI, 0, 30),
            "Ti" => (Format::BinarySI, 0, 40),
            "Pi" => (Format::BinarySI, 0, 50),
            "Ei" => (Format::BinarySI, 0, 60),
            s if s.starts_with(['e', 'E']) => {
                let e: i32 = s[1..].parse().ok()?;
                if !(-100..=100).contains(&e) || s[1..].starts_with('+') && s.len() == 2 {
                    return None;
                }
                (Format::DecimalExponent, e, 0)
            }
            _ => return None,
        };
        mantissa = mantissa.checked_mul(1i128.checked_shl(exp2)?)?;
        scale -= exp10;
        // To nano units, rounding anything finer up (away from zero), as the server does.
        let shift = 9 - scale;
        let nanos = if shift >= 0 {
            mantissa.checked_mul(pow10(shift as u32)?)?
        } else {
            let div = pow10((-shift) as u32)?;
            let q = mantissa / div;
            if mantissa % div != 0 {
                q + 1
            } else {
                q
            }
        };
        Some(Quantity {
            nanos: if negative { -nanos } else { nanos },
            format,
        })
    }

    /// The value in nano units.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The form the API server stores and returns.
    pub fn canonical(&self) -> String {
        let mut format = self.format;
        if format == Format::BinarySI {
            let integral = self.nanos % NANO == 0;
            let small = self.nanos.abs() < 1024 * NANO;
            if small || !integral {
                format = Format::DecimalSI;
            }
        }
        if self.nanos == 0 {
            return "0".into();
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.abs();
        match format {
            Format::BinarySI => {
                let mut n = abs / NANO;
                let mut power = 0;
                while power < 6 && n % 1024 == 0 {
                    n /= 1024;
                    power += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
                format!("{sign}{n}{suffix}")
            }
            Format::DecimalSI | Format::DecimalExponent => {
                // The largest exponent, a multiple of 3, that leaves an integral mantissa.
                let mut n = abs;
                let mut exp: i32 = -9;
                while n % 1000 == 0 && exp < 18 {
                    n /= 1000;
                    exp += 3;
                }
                if format == Format::DecimalExponent {
                    return if exp == 0 {
                        format!("{sign}{n}")
                    } else {
                        format!("{sign}{n}e{exp}")
                    };
                }
                let suffix = match exp {
                    -9 => "n",
                    -6 => "u",
                    -3 => "m",
                    0 => "",
                    3 => "k",
                    6 => "M",
                    9 => "G",
                    12 => "T",
                    15 => "P",
                    _ => "E",
                };
                format!("{sign}{n}{suffix}")
            }
        }
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.nanos.cmp(&other.nanos))
    }
}

impl Quantity {
    /// Rounded up (away from zero) to a multiple of 10⁻³, as the API server stores every value of a core
    /// `ResourceList` (container requests and limits, quotas, capacities): `0.0001` becomes `1m`.
    pub fn rounded_to_milli(self) -> Quantity {
        let step = NANO / 1000;
        let r = self.nanos % step;
        let nanos = if r == 0 {
            self.nanos
        } else if self.nanos > 0 {
            self.nanos - r + step
        } else {
            self.nanos - r - step
        };
        Quantity { nanos, ..self }
    }
}

/// Whether two written quantities hold the same amount (`0.25` and `250m`); `false` when either is not a
/// quantity.
pub fn same_amount(a: &str, b: &str) -> bool {
    match (Quantity::parse(a), Quantity::parse(b)) {
        (Some(a), Some(b)) => a.nanos == b.nanos,
        _ => false,
    }
}

/// Like [`same_amount`], after rounding both to milli-units as a `ResourceList` stores them.
pub fn same_resource_amount(a: &str, b: &str) -> bool {
    match (Quantity::parse(a), Quantity::parse(b)) {
        (Some(a), Some(b)) => a.rounded_to_milli().nanos == b.rounded_to_milli().nanos,
        _ => false,
    }
}

/// The canonical form of a written quantity, or `None` when it is not one. A canonical quantity written
/// with a leading `+` is kept as written, as the API server keeps it.
pub fn canonical(text: &str) -> Option<String> {
    let q = Quantity::parse(text)?;
    let c = q.canonical();
    match text.strip_prefix('+') {
        Some(rest) if rest == c => Some(text.to_string()),
        _ => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_match_the_api_server() {
        // Pairs as kube-apiserver returns them (resource.Quantity's String()).
        for (input, want) in [
            ("0.25", "250m"),
            ("1000000000", "1G"),
            ("1024Mi", "1Gi"),
            ("1000Mi", "1000Mi"),
            ("0.5Gi", "512Mi"),
            ("1.5Gi", "1536Mi"),
            ("1.5", "1500m"),
            ("100m", "100m"),
            ("0.1", "100m"),
            ("1", "1"),
            ("1500", "1500"),
            ("1000", "1k"),
            ("1e3", "1e3"),
            ("12e3", "12e3"),
            ("1.5e3", "1500"),
            ("0", "0"),
            ("0Mi", "0"),
            ("1Ki", "1Ki"),
            ("1.5Ki", "1536"),
            ("2048Ki", "2Mi"),
            ("512Ki", "512Ki"),
            ("0.5Ki", "512"),
            ("100Gi", "100Gi"),
            ("0.0001", "100u"),
            ("0.0000000001", "1n"),
            ("5e-3", "5e-3"),
            ("-250m", "-250m"),
            ("2E", "2E"),
            ("1200000", "1200k"),
            ("64Mi", "64Mi"),
            ("+1", "+1"),
            ("+0.5", "500m"),
            (".5", "500m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn canonical_forms_match_apimachinery_tests() {
        // apimachinery pkg/api/resource/quantity_test.go: TestQuantityParseEmit, and the `alternate`
        // spellings of TestQuantityString, which must print as its `expect`.
        let cases = [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
            ("307200Ki", "300Mi"),
            ("1025024Mi", "1001Gi"),
            ("1024Gi", "1Ti"),
            ("5000m", "5"),
            ("0.5", "500m"),
            ("0.001T", "1G"),
            ("1000u", "1m"),
            ("1.08", "1080m"),
            ("1080000000n", "1080m"),
            (".001e12", "1e9"),
            ("0.001e0", "1e-3"),
            ("1000e-12", "1e-9"),
            ("00", "0"),
            ("6Ki", "6Ki"),
            ("1001Gi", "1001Gi"),
            ("300M", "300M"),
            ("1234567M", "1234567M"),
            ("3k", "3k"),
            ("1025", "1025"),
            ("80e-3", "80e-3"),
            ("300e6", "300e6"),
            ("1e12", "1e12"),
            ("3e3", "3e3"),
            ("80n", "80n"),
            ("1080u", "1080u"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
            if want != "0" {
                let neg = format!("-{want}");
                assert_eq!(
                    canonical(&format!("-{input}")).as_deref(),
                    Some(neg.as_str()),
                    "-{input}"
                );
            }
        }
        // TestQuantityParse's invalid inputs.
        for bad in [
            "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1",
            "1 ",
        ] {
            assert_eq!(canonical(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn amounts_compare_exactly_across_forms() {
        assert!(same_amount("0.25", "250m"));
        assert!(same_amount("1Gi", "1024Mi"));
        assert!(same_amount("1000000000", "1G"));
        assert!(same_amount("1e3", "1k"));
        assert!(!same_amount("1G", "1Gi"));
        assert!(!same_amount("100m", "101m"));
        assert!(!same_amount("blue", "blue"), "not quantities");
    }

    #[test]
    fn resource_lists_round_up_to_milli_units() {
        assert!(same_resource_amount("0.0001", "1m"));
        assert!(same_resource_amount("0.0000000001", "1m"));
        assert!(!same_amount("0.0001", "1m"));
        assert!(!same_resource_amount("2m", "1m"));
        assert_eq!(
            Quantity::parse("0.0001")
                .unwrap()
                .rounded_to_milli()
                .canonical(),
            "1m"
        );
    }

    #[test]
    fn anything_else_is_not_a_quantity() {
        for bad in [
            "", " 1", "1 ", "1.2.3", "1x", "Gi", "--1", "1Kib", "1e", "e3", ".", "1.5.Gi",
        ] {
            assert!(Quantity::parse(bad).is_none(), "{bad:?}");
        }
    }
}
