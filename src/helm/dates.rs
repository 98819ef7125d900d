//! Sprig's date functions (`now`, `date`, `dateInZone`, `toDate`, `dateModify`, `duration`,
//! ...) and the Go `time.Time` value they compute with: Go's layout formatting and parsing,
//! `time.Duration` parsing and printing, and time zones read from the system's TZif files
//! as Go's `time.LoadLocation` reads them.

use crate::template::value::Object;
use crate::template::{FnError, FnResult, Func, Ty, Value};
use std::rc::Rc;

const NANOS_PER_SEC: i64 = 1_000_000_000;
/// Seconds from 0001-01-01 to 1970-01-01: Go's zero time as Unix seconds.
const ZERO_UNIX: i64 = -62_135_596_800;

// ---------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, days counted from 1970-01-01). Go's int64
// arithmetic wraps on overflow, so absurd dates (a year of 2^62) wrap here too rather
// than panic; the parts that stay in range (month, day within an era) cannot overflow.

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y.wrapping_sub(1) } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = ((153 * mp + 2) / 5).wrapping_add(d).wrapping_sub(1);
    let doe = (yoe * 365 + yoe / 4 - yoe / 100).wrapping_add(doy);
    era.wrapping_mul(146_097).wrapping_add(doe).wrapping_sub(719_468)
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z.wrapping_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era.wrapping_mul(400).wrapping_add(yoe);
    (if m <= 2 { year.wrapping_add(1) } else { year }, m, d)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const LONG_DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// ---------------------------------------------------------------------------------------
// Locations.

#[derive(Debug, Clone)]
struct Zone {
    name: String,
    offset: i64,
    is_dst: bool,
}

/// A POSIX TZ rule's transition date: `Jn`, `n` or `Mm.w.d`, at a local time.
#[derive(Debug, Clone, Copy)]
enum RuleDay {
    Julian(i64),
    Zero(i64),
    Month(i64, i64, i64),
}

/// A rule's day and the local time of day (seconds) it switches at.
type RuleTime = (RuleDay, i64);

#[derive(Debug, Clone)]
struct Rule {
    std: Zone,
    /// The summer zone, and when it starts and ends.
    dst: Option<(Zone, RuleTime, RuleTime)>,
}

/// Go's `*time.Location`: zones and the transitions between them.
#[derive(Debug)]
pub struct Location {
    zones: Vec<Zone>,
    transitions: Vec<(i64, usize)>,
    extend: Option<Rule>,
}

impl Location {
    pub fn utc() -> Rc<Location> {
        thread_local!(static UTC: Rc<Location> = Rc::new(Location { zones: vec![], transitions: vec![], extend: None }));
        UTC.with(Rc::clone)
    }

    fn fixed(name: &str, offset: i64) -> Rc<Location> {
        let zone = Zone { name: name.to_string(), offset, is_dst: false };
        Rc::new(Location { zones: vec![zone], transitions: vec![(i64::MIN, 0)], extend: None })
    }

    /// Go's `time.Local`: `$TZ` ("" is UTC), else /etc/localtime; UTC when unreadable.
    pub fn local() -> Rc<Location> {
        thread_local!(static LOCAL: Rc<Location> = {
            let loaded = match std::env::var("TZ") {
                Ok(tz) if tz.is_empty() => None,
                Ok(tz) => {
                    let tz = tz.strip_prefix(':').unwrap_or(&tz).to_string();
                    if tz.starts_with('/') {
                        std::fs::read(&tz).ok().and_then(|b| parse_tzif(&b))
                    } else if tz != "UTC" {
                        load_zone_file(&tz)
                    } else {
                        None
                    }
                }
                Err(_) => std::fs::read("/etc/localtime").ok().and_then(|b| parse_tzif(&b)),
            };
            loaded.map(Rc::new).unwrap_or_else(Location::utc)
        });
        LOCAL.with(Rc::clone)
    }

    /// Go's `time.LoadLocation`.
    pub fn load(name: &str) -> Result<Rc<Location>, String> {
        match name {
            "" | "UTC" => return Ok(Location::utc()),
            "Local" => return Ok(Location::local()),
            _ => {}
        }
        let bad = name.starts_with('/') || name.starts_with('\\') || name.split(['/', '\\']).any(|p| p == "..");
        if bad {
            return Err("time: invalid location name".into());
        }
        load_zone_file(name).map(Rc::new).ok_or_else(|| format!("unknown time zone {name}"))
    }

    /// The zone in effect at Unix second `sec`: abbreviation and offset east of UTC.
    fn lookup(&self, sec: i64) -> (&str, i64) {
        if self.zones.is_empty() {
            return ("UTC", 0);
        }
        if self.transitions.is_empty() || sec < self.transitions[0].0 {
            let z = &self.zones[self.first_zone()];
            return (&z.name, z.offset);
        }
        let idx = self.transitions.partition_point(|&(t, _)| t <= sec) - 1;
        if idx == self.transitions.len() - 1 {
            if let Some(rule) = &self.extend {
                if let Some(z) = rule_zone(rule, sec) {
                    return (&z.name, z.offset);
                }
            }
        }
        let z = &self.zones[self.transitions[idx].1];
        (&z.name, z.offset)
    }

    /// Go's `lookupFirstZone`: the zone before the first transition.
    fn first_zone(&self) -> usize {
        if let Some(&(_, first)) = self.transitions.first() {
            if self.zones[first].is_dst {
                if let Some(z) = (0..first).rev().find(|&z| !self.zones[z].is_dst) {
                    return z;
                }
            }
        }
        self.zones.iter().position(|z| !z.is_dst).unwrap_or(0)
    }

    /// Go's `lookupName`: the offset of a zone abbreviation, preferring the one in
    /// effect at `sec`.
    fn lookup_name(&self, name: &str, sec: i64) -> Option<i64> {
        for z in self.zones.iter().filter(|z| z.name == name) {
            if self.lookup(sec.wrapping_sub(z.offset)).0 == name {
                return Some(z.offset);
            }
        }
        self.zones.iter().find(|z| z.name == name).map(|z| z.offset)
    }
}

fn rule_zone(rule: &Rule, sec: i64) -> Option<&Zone> {
    let Some((dst, start, end)) = &rule.dst else { return Some(&rule.std) };
    let (year, _, _) = civil_from_days(sec.wrapping_add(rule.std.offset).div_euclid(86_400));
    let year_start = days_from_civil(year, 1, 1).wrapping_mul(86_400);
    let at = |(day, time): RuleTime, offset: i64| -> i64 {
        let yday = match day {
            RuleDay::Julian(n) => {
                let mut d = n - 1;
                if is_leap(year) && n >= 60 {
                    d += 1;
                }
                d
            }
            RuleDay::Zero(n) => n,
            RuleDay::Month(m, w, d) => {
                let first = days_from_civil(year, m, 1);
                let wd_first = first.wrapping_add(4).rem_euclid(7);
                let mut day = (d - wd_first).rem_euclid(7) + 1 + (w - 1) * 7;
                if w == 5 {
                    while day > days_in(m, year) {
                        day -= 7;
                    }
                }
                first.wrapping_sub(days_from_civil(year, 1, 1)) + day - 1
            }
        };
        year_start.wrapping_add(yday * 86_400).wrapping_add(time).wrapping_sub(offset)
    };
    let start_sec = at(*start, rule.std.offset);
    let end_sec = at(*end, dst.offset);
    let in_dst =
        if start_sec < end_sec { sec >= start_sec && sec < end_sec } else { !(sec >= end_sec && sec < start_sec) };
    Some(if in_dst { dst } else { &rule.std })
}

fn load_zone_file(name: &str) -> Option<Location> {
    let mut dirs: Vec<String> = Vec::new();
    if let Ok(z) = std::env::var("ZONEINFO") {
        dirs.push(z);
    }
    dirs.extend(
        ["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"].map(String::from),
    );
    dirs.iter().find_map(|d| std::fs::read(format!("{d}/{name}")).ok().and_then(|b| parse_tzif(&b)))
}

/// Reads a TZif file (version 1, or the 64-bit data and footer rule of versions 2+).
fn parse_tzif(data: &[u8]) -> Option<Location> {
    struct Reader<'a>(&'a [u8]);
    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Option<&'a [u8]> {
            if self.0.len() < n {
                return None;
            }
            let (head, rest) = self.0.split_at(n);
            self.0 = rest;
            Some(head)
        }
        fn u32(&mut self) -> Option<u32> {
            self.take(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
    }
    let mut r = Reader(data);
    let header = |r: &mut Reader| -> Option<(u8, [usize; 6])> {
        if r.take(4)? != b"TZif" {
            return None;
        }
        let version = r.take(16)?[0];
        let mut counts = [0usize; 6];
        for c in counts.iter_mut() {
            *c = r.u32()? as usize;
        }
        Some((version, counts))
    };
    let (version, mut counts) = header(&mut r)?;
    let mut time_size = 4;
    if version >= b'2' {
        let [isut, isstd, leap, time, typ, chars] = counts;
        r.take(time * 5 + typ * 6 + chars + leap * 8 + isstd + isut)?;
        counts = header(&mut r)?.1;
        time_size = 8;
    }
    let [isut, isstd, leap, time_count, type_count, char_count] = counts;
    let times = r.take(time_count * time_size)?;
    let indexes = r.take(time_count)?;
    let types = r.take(type_count * 6)?;
    let chars = r.take(char_count)?;
    r.take(leap * (time_size + 4) + isstd + isut)?;
    let zones: Vec<Zone> = types
        .chunks(6)
        .map(|t| {
            let offset = i32::from_be_bytes([t[0], t[1], t[2], t[3]]) as i64;
            let start = (t[5] as usize).min(chars.len());
            let end = chars[start..].iter().position(|&c| c == 0).map_or(chars.len(), |p| start + p);
            Zone { name: String::from_utf8_lossy(&chars[start..end]).into_owned(), offset, is_dst: t[4] != 0 }
        })
        .collect();
    if zones.is_empty() {
        return None;
    }
    let mut transitions = Vec::with_capacity(time_count);
    for (i, &zi) in indexes.iter().enumerate() {
        let b = &times[i * time_size..(i + 1) * time_size];
        let t = if time_size == 8 {
            i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        } else {
            i32::from_be_bytes([b[0], b[1], b[2], b[3]]) as i64
        };
        if (zi as usize) >= zones.len() {
            return None;
        }
        transitions.push((t, zi as usize));
    }
    let extend = if version >= b'2' {
        let footer = String::from_utf8_lossy(r.0);
        footer.trim_start_matches('\n').split('\n').next().and_then(parse_posix_tz)
    } else {
        None
    };
    if transitions.is_empty() {
        // A location with one zone and no transitions: that zone always.
        transitions.push((i64::MIN, 0));
    }
    Some(Location { zones, transitions, extend })
}

/// A POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0` or `<+03>-3`.
fn parse_posix_tz(s: &str) -> Option<Rule> {
    fn name(s: &str) -> Option<(String, &str)> {
        if let Some(rest) = s.strip_prefix('<') {
            let end = rest.find('>')?;
            return Some((rest[..end].to_string(), &rest[end + 1..]));
        }
        let n = s.bytes().take_while(|c| c.is_ascii_alphabetic()).count();
        (n >= 3).then(|| (s[..n].to_string(), &s[n..]))
    }
    /// `[+-]hh[:mm[:ss]]` in seconds.
    fn clock(s: &str) -> Option<(i64, &str)> {
        let (neg, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let mut total = 0i64;
        let mut rest = s;
        for (i, mult) in [3600, 60, 1].into_iter().enumerate() {
            if i > 0 {
                match rest.strip_prefix(':') {
                    Some(r) => rest = r,
                    None => break,
                }
            }
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            total += rest[..n].parse::<i64>().ok()? * mult;
            rest = &rest[n..];
        }
        Some((if neg { -total } else { total }, rest))
    }
    fn rule_day(s: &str) -> Option<(RuleTime, &str)> {
        let num = |s: &str| -> Option<(i64, usize)> {
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            Some((s[..n].parse().ok()?, n))
        };
        let (day, mut rest) = if let Some(r) = s.strip_prefix('J') {
            let (n, len) = num(r)?;
            (RuleDay::Julian(n), &r[len..])
        } else if let Some(r) = s.strip_prefix('M') {
            let (m, l1) = num(r)?;
            let r = r[l1..].strip_prefix('.')?;
            let (w, l2) = num(r)?;
            let r = r[l2..].strip_prefix('.')?;
            let (d, l3) = num(r)?;
            (RuleDay::Month(m, w, d), &r[l3..])
        } else {
            let (n, len) = num(s)?;
            (RuleDay::Zero(n), &s[len..])
        };
        let mut time = 7200;
        if let Some(r) = rest.strip_prefix('/') {
            let (t, r) = clock(r)?;
            time = t;
            rest = r;
        }
        Some(((day, time), rest))
    }
    let (std_name, rest) = name(s)?;
    let (std_off, rest) = clock(rest)?;
    let std = Zone { name: std_name, offset: -std_off, is_dst: false };
    if rest.is_empty() {
        return Some(Rule { std, dst: None });
    }
    let (dst_name, mut rest) = name(rest)?;
    let mut dst_offset = std.offset + 3600;
    if !rest.starts_with(',') && !rest.is_empty() {
        let (off, r) = clock(rest)?;
        dst_offset = -off;
        rest = r;
    }
    let dst = Zone { name: dst_name, offset: dst_offset, is_dst: true };
    // Without a rule, POSIX's default is the US rule.
    let rest = if rest.is_empty() { ",M3.2.0,M11.1.0" } else { rest };
    let (start, rest) = rule_day(rest.strip_prefix(',')?)?;
    let (end, _) = rule_day(rest.strip_prefix(',')?)?;
    Some(Rule { std, dst: Some((dst, start, end)) })
}

// ---------------------------------------------------------------------------------------
// Time.

/// Go's `time.Time` (without the monotonic reading): an instant and a location.
#[derive(Debug, Clone)]
pub struct Time {
    pub sec: i64,
    pub nsec: i64,
    pub loc: Rc<Location>,
}

/// A time's calendar fields in its location.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    yday: i64,
    weekday: usize,
    zone: String,
    offset: i64,
}

impl Time {
    pub fn zero() -> Time {
        Time { sec: ZERO_UNIX, nsec: 0, loc: Location::utc() }
    }

    pub fn now() -> Time {
        let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Time { sec: d.as_secs() as i64, nsec: d.subsec_nanos() as i64, loc: Location::local() }
    }

    pub fn unix(sec: i64) -> Time {
        Time { sec, nsec: 0, loc: Location::local() }
    }

    /// Go's `time.Date`: normalizes out-of-range fields, then resolves the local time.
    #[allow(clippy::too_many_arguments)]
    fn date(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64, nsec: i64, loc: Rc<Location>) -> Time {
        let m0 = month.wrapping_sub(1);
        let year = year.wrapping_add(m0.div_euclid(12));
        let month = m0.rem_euclid(12) + 1;
        let sec = sec.wrapping_add(nsec.div_euclid(NANOS_PER_SEC));
        let nsec = nsec.rem_euclid(NANOS_PER_SEC);
        let local = days_from_civil(year, month, 1)
            .wrapping_mul(86_400)
            .wrapping_add(day.wrapping_sub(1).wrapping_mul(86_400))
            .wrapping_add(hour.wrapping_mul(3600))
            .wrapping_add(min.wrapping_mul(60))
            .wrapping_add(sec);
        let guess = loc.lookup(local).1;
        let offset = loc.lookup(local.wrapping_sub(guess)).1;
        Time { sec: local.wrapping_sub(offset), nsec, loc }
    }

    fn fields(&self) -> Fields {
        let (zone, offset) = self.loc.lookup(self.sec);
        let local = self.sec.wrapping_add(offset);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Fields {
            year,
            month,
            day,
            hour: secs / 3600,
            min: secs % 3600 / 60,
            sec: secs % 60,
            yday: days.wrapping_sub(days_from_civil(year, 1, 1)).wrapping_add(1),
            weekday: (days + 4).rem_euclid(7) as usize,
            zone: zone.to_string(),
            offset,
        }
    }

    pub fn with_loc(&self, loc: Rc<Location>) -> Time {
        Time { loc, ..self.clone() }
    }

    pub fn add(&self, nanos: i64) -> Time {
        let total = self.nsec + nanos.rem_euclid(NANOS_PER_SEC);
        Time {
            sec: self.sec.wrapping_add(nanos.div_euclid(NANOS_PER_SEC)).wrapping_add(total / NANOS_PER_SEC),
            nsec: total % NANOS_PER_SEC,
            loc: self.loc.clone(),
        }
    }

    /// Nanoseconds from `other` to `self`, saturating as Go's `Sub` does.
    pub fn sub(&self, other: &Time) -> i64 {
        let secs = self.sec as i128 - other.sec as i128;
        let n = secs * NANOS_PER_SEC as i128 + (self.nsec - other.nsec) as i128;
        n.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }

    /// Go's `Time.String()`.
    pub fn string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// Go's `Time.Format`.
    pub fn format(&self, layout: &str) -> String {
        let f = self.fields();
        let mut out = String::with_capacity(layout.len() + 10);
        let mut rest = layout;
        while !rest.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(rest);
            out.push_str(prefix);
            let Some(std) = std else { break };
            rest = suffix;
            format_std(&mut out, std, &f, self.nsec);
        }
        out
    }
}

fn pad(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    let s = n.unsigned_abs().to_string();
    for _ in s.len()..width {
        out.push('0');
    }
    out.push_str(&s);
}

fn format_std(out: &mut String, std: Std, f: &Fields, nsec: i64) {
    use Std::*;
    match std {
        Year => pad(out, f.year.rem_euclid(100), 2),
        LongYear => pad(out, f.year, 4),
        Month => out.push_str(&LONG_MONTHS[f.month as usize - 1][..3]),
        LongMonth => out.push_str(LONG_MONTHS[f.month as usize - 1]),
        NumMonth => pad(out, f.month, 0),
        ZeroMonth => pad(out, f.month, 2),
        WeekDay => out.push_str(&LONG_DAYS[f.weekday][..3]),
        LongWeekDay => out.push_str(LONG_DAYS[f.weekday]),
        Day => pad(out, f.day, 0),
        UnderDay => {
            if f.day < 10 {
                out.push(' ');
            }
            pad(out, f.day, 0);
        }
        ZeroDay => pad(out, f.day, 2),
        UnderYearDay => {
            if f.yday < 100 {
                out.push(' ');
                if f.yday < 10 {
                    out.push(' ');
                }
            }
            pad(out, f.yday, 0);
        }
        ZeroYearDay => pad(out, f.yday, 3),
        Hour => pad(out, f.hour, 2),
        Hour12 | ZeroHour12 => {
            let h = if f.hour % 12 == 0 { 12 } else { f.hour % 12 };
            pad(out, h, if std == Hour12 { 0 } else { 2 });
        }
        Minute => pad(out, f.min, 0),
        ZeroMinute => pad(out, f.min, 2),
        Second => pad(out, f.sec, 0),
        ZeroSecond => pad(out, f.sec, 2),
        PM => out.push_str(if f.hour >= 12 { "PM" } else { "AM" }),
        Pm => out.push_str(if f.hour >= 12 { "pm" } else { "am" }),
        Iso(kind) | Num(kind) => {
            if matches!(std, Iso(_)) && f.offset == 0 {
                out.push('Z');
                return;
            }
            let zone = f.offset / 60;
            let abs = zone.abs();
            out.push(if zone < 0 { '-' } else { '+' });
            pad(out, abs / 60, 2);
            if matches!(kind, TzKind::Colon | TzKind::ColonSeconds) {
                out.push(':');
            }
            if kind != TzKind::Short {
                pad(out, abs % 60, 2);
            }
            if matches!(kind, TzKind::Seconds | TzKind::ColonSeconds) {
                if kind == TzKind::ColonSeconds {
                    out.push(':');
                }
                pad(out, f.offset.abs() % 60, 2);
            }
        }
        TZ => {
            if !f.zone.is_empty() {
                out.push_str(&f.zone);
                return;
            }
            let zone = f.offset / 60;
            out.push(if zone < 0 { '-' } else { '+' });
            pad(out, zone.abs() / 60, 2);
            pad(out, zone.abs() % 60, 2);
        }
        Frac { digits, trim, sep } => {
            if trim && nsec == 0 {
                return;
            }
            let all = format!("{nsec:09}");
            let mut d = &all[..digits.min(9)];
            if trim {
                d = d.trim_end_matches('0');
                if d.is_empty() {
                    return;
                }
            }
            out.push(sep as char);
            out.push_str(d);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Layouts.

#[derive(Clone, Copy, PartialEq, Debug)]
enum TzKind {
    /// `-0700`
    Plain,
    /// `-07`
    Short,
    /// `-07:00`
    Colon,
    /// `-070000`
    Seconds,
    /// `-07:00:00`
    ColonSeconds,
}

/// One element of a Go layout.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    /// `Z07:00` and friends: `Z` for UTC.
    Iso(TzKind),
    /// `-07:00` and friends.
    Num(TzKind),
    /// `.000` (exact digits) or `.999` (trailing zeros trimmed), with `.` or `,`.
    Frac {
        digits: usize,
        trim: bool,
        sep: u8,
    },
}

/// Splits a layout at its first element: the literal text before it, the element, and
/// the rest.
fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let has = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s);
    let lower_at = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_lowercase());
    let digit_at = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    for i in 0..b.len() {
        let found: Option<(Std, usize)> = match b[i] {
            b'J' if has(i, "Jan") => {
                if has(i, "January") {
                    Some((Std::LongMonth, 7))
                } else if !lower_at(i + 3) {
                    Some((Std::Month, 3))
                } else {
                    None
                }
            }
            b'M' if has(i, "Mon") => {
                if has(i, "Monday") {
                    Some((Std::LongWeekDay, 6))
                } else if !lower_at(i + 3) {
                    Some((Std::WeekDay, 3))
                } else {
                    None
                }
            }
            b'M' if has(i, "MST") => Some((Std::TZ, 3)),
            b'0' if matches!(b.get(i + 1), Some(b'1'..=b'6')) => {
                let std = [Std::ZeroMonth, Std::ZeroDay, Std::ZeroHour12, Std::ZeroMinute, Std::ZeroSecond, Std::Year]
                    [(b[i + 1] - b'1') as usize];
                Some((std, 2))
            }
            b'0' if has(i, "002") => Some((Std::ZeroYearDay, 3)),
            b'1' if has(i, "15") => Some((Std::Hour, 2)),
            b'1' => Some((Std::NumMonth, 1)),
            b'2' if has(i, "2006") => Some((Std::LongYear, 4)),
            b'2' => Some((Std::Day, 1)),
            b'_' if has(i, "_2") => {
                if has(i + 1, "2006") {
                    // `_2006` is a literal underscore and a year.
                    return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                }
                Some((Std::UnderDay, 2))
            }
            b'_' if has(i, "__2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if has(i, "PM") => Some((Std::PM, 2)),
            b'p' if has(i, "pm") => Some((Std::Pm, 2)),
            b'-' | b'Z' => {
                let kinds = [
                    ("07:00:00", TzKind::ColonSeconds),
                    ("070000", TzKind::Seconds),
                    ("0700", TzKind::Plain),
                    ("07:00", TzKind::Colon),
                    ("07", TzKind::Short),
                ];
                kinds
                    .iter()
                    .find(|(s, _)| has(i + 1, s))
                    .map(|&(s, k)| (if b[i] == b'Z' { Std::Iso(k) } else { Std::Num(k) }, s.len() + 1))
            }
            b'.' | b',' if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if digit_at(j) {
                    None
                } else {
                    Some((Std::Frac { digits: j - (i + 1), trim: ch == b'9', sep: b[i] }, j - i))
                }
            }
            _ => None,
        };
        if let Some((std, len)) = found {
            return (&layout[..i], Some(std), &layout[i + len..]);
        }
    }
    (layout, None, "")
}

/// The `time` package's quoting in error messages: non-ASCII bytes as `\x..`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
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

/// Go's `time.ParseError` text.
fn parse_error(layout: &str, value: &str, layout_elem: &str, value_elem: &str, message: &str) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value),
            time_quote(layout),
            time_quote(value_elem),
            time_quote(layout_elem)
        )
    } else {
        format!("parsing time {}{message}", time_quote(value))
    }
}

/// Go's `skip`: matches literal layout text, where a space matches any run of spaces.
fn skip<'a>(mut value: &'a str, mut prefix: &str) -> Option<&'a str> {
    while !prefix.is_empty() {
        if prefix.starts_with(' ') {
            if !value.is_empty() && !value.starts_with(' ') {
                return None;
            }
            prefix = prefix.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        // Go compares bytes; whole characters compare the same in UTF-8 and keep the
        // slices on character boundaries.
        let c = prefix.chars().next().expect("prefix is not empty");
        if !value.starts_with(c) {
            return None;
        }
        prefix = &prefix[c.len_utf8()..];
        value = &value[c.len_utf8()..];
    }
    Some(value)
}

/// One or two digits (exactly two when `fixed`).
fn getnum(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        if fixed {
            return None;
        }
        return Some(((b[0] - b'0') as i64, &s[1..]));
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as i64, &s[2..]))
}

/// One to three digits (exactly three when `fixed`).
fn getnum3(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let n = s.bytes().take(3).take_while(u8::is_ascii_digit).count();
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// Case-insensitive prefix match against a table of names.
fn lookup_name(names: &[&str], value: &str, len: Option<usize>) -> Option<(usize, usize)> {
    for (i, name) in names.iter().enumerate() {
        let name = &name[..len.unwrap_or(name.len())];
        if value.len() >= name.len() && value.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some((i, name.len()));
        }
    }
    None
}

/// Go's `parseNanoseconds`: `value[0]` is the separator, then `n - 1` digits.
fn parse_nanos(value: &str, n: usize) -> Result<i64, Option<&'static str>> {
    if !matches!(value.as_bytes().first(), Some(b'.' | b',')) {
        return Err(None);
    }
    let n = n.min(10);
    let digits = value.get(1..n).ok_or(None)?;
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(None);
    }
    let mut ns: i64 = digits.parse().map_err(|_| None)?;
    for _ in 0..(10 - n) {
        ns *= 10;
    }
    Ok(ns)
}

/// Go's `parseSignedOffset`: the length of a `+hh`-style offset, 0 when there is none.
fn parse_signed_offset(value: &str) -> usize {
    if !matches!(value.as_bytes().first(), Some(b'+' | b'-')) {
        return 0;
    }
    let n = value[1..].bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 18 {
        return 0;
    }
    match value[1..1 + n].parse::<u64>() {
        Ok(x) if x <= 23 => 1 + n,
        _ => 0,
    }
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = value.strip_prefix("GMT") {
        return Some(3 + parse_signed_offset(rest));
    }
    if b[0] == b'+' || b[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = b.iter().take(6).take_while(|c| c.is_ascii_uppercase()).count();
    match upper {
        3 => Some(3),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        5 if b[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `time.ParseInLocation`, with Go's error messages.
pub fn parse(layout: &str, value: &str, default_loc: Rc<Location>) -> Result<Time, String> {
    let (alayout, avalue) = (layout, value);
    let mut layout = layout;
    let mut value = value;
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut utc = false;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name = String::new();
    let (mut pm_set, mut am_set) = (false, false);
    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let std_str = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).ok_or_else(|| parse_error(alayout, avalue, prefix, value, ""))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(parse_error(alayout, avalue, "", value, &format!(": extra text: {}", time_quote(value))));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err: Option<&str> = None;
        let ok: Option<()> = (|| {
            use Std::*;
            match std {
                Year => {
                    let p = value.get(..2)?;
                    let y: i64 = p.parse().ok().filter(|_| p.bytes().all(|c| c.is_ascii_digit()))?;
                    value = value.get(2..)?;
                    year = if y >= 69 { y + 1900 } else { y + 2000 };
                }
                LongYear => {
                    let p = value.get(..4)?;
                    if !p.bytes().all(|c| c.is_ascii_digit()) {
                        return None;
                    }
                    year = p.parse().ok()?;
                    value = value.get(4..)?;
                }
                Month | LongMonth => {
                    let (m, n) = lookup_name(&LONG_MONTHS, value, (std == Month).then_some(3))?;
                    month = m as i64 + 1;
                    value = value.get(n..)?;
                }
                NumMonth | ZeroMonth => {
                    let (m, rest) = getnum(value, std == ZeroMonth)?;
                    month = m;
                    value = rest;
                    if !(1..=12).contains(&m) {
                        range_err = Some("month");
                    }
                }
                WeekDay | LongWeekDay => {
                    let (_, n) = lookup_name(&LONG_DAYS, value, (std == WeekDay).then_some(3))?;
                    value = value.get(n..)?;
                }
                Day | UnderDay | ZeroDay => {
                    if std == UnderDay && value.starts_with(' ') {
                        value = value.get(1..)?;
                    }
                    let (d, rest) = getnum(value, std == ZeroDay)?;
                    day = d;
                    value = rest;
                }
                UnderYearDay | ZeroYearDay => {
                    for _ in 0..2 {
                        if std == UnderYearDay && value.starts_with(' ') {
                            value = value.get(1..)?;
                        }
                    }
                    let (d, rest) = getnum3(value, std == ZeroYearDay)?;
                    yday = d;
                    value = rest;
                }
                Hour => {
                    let (h, rest) = getnum(value, false)?;
                    hour = h;
                    value = rest;
                    if h >= 24 {
                        range_err = Some("hour");
                    }
                }
                Hour12 | ZeroHour12 => {
                    let (h, rest) = getnum(value, std == ZeroHour12)?;
                    hour = h;
                    value = rest;
                    if h > 12 {
                        range_err = Some("hour");
                    }
                }
                Minute | ZeroMinute => {
                    let (m, rest) = getnum(value, std == ZeroMinute)?;
                    min = m;
                    value = rest;
                    if m >= 60 {
                        range_err = Some("minute");
                    }
                }
                Second | ZeroSecond => {
                    let (s, rest) = getnum(value, std == ZeroSecond)?;
                    sec = s;
                    value = rest;
                    if s >= 60 {
                        range_err = Some("second");
                        return Some(());
                    }
                    let b = value.as_bytes();
                    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                        if matches!(next_std_chunk(layout).1, Some(Frac { .. })) {
                            return Some(());
                        }
                        let n = 2 + b[2..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = parse_nanos(value, n).ok()?;
                        value = value.get(n..)?;
                    }
                }
                PM | Pm => {
                    let p = value.get(..2)?;
                    let (am, pmw) = if std == PM { ("AM", "PM") } else { ("am", "pm") };
                    if p == pmw {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return None;
                    }
                    value = value.get(2..)?;
                }
                Iso(_) | Num(_) => {
                    if matches!(std, Iso(_)) && value.starts_with('Z') {
                        value = value.get(1..)?;
                        utc = true;
                        return Some(());
                    }
                    let kind = match std {
                        Iso(k) | Num(k) => k,
                        _ => unreachable!(),
                    };
                    let b = value.as_bytes();
                    let (sign, h, m, s, len) = match kind {
                        TzKind::Colon => {
                            if b.len() < 6 || b[3] != b':' {
                                return None;
                            }
                            (b[0], value.get(1..3)?, value.get(4..6)?, "00", 6)
                        }
                        TzKind::Short => {
                            if b.len() < 3 {
                                return None;
                            }
                            (b[0], value.get(1..3)?, "00", "00", 3)
                        }
                        TzKind::ColonSeconds => {
                            if b.len() < 9 || b[3] != b':' || b[6] != b':' {
                                return None;
                            }
                            (b[0], value.get(1..3)?, value.get(4..6)?, value.get(7..9)?, 9)
                        }
                        TzKind::Seconds => {
                            if b.len() < 7 {
                                return None;
                            }
                            (b[0], value.get(1..3)?, value.get(3..5)?, value.get(5..7)?, 7)
                        }
                        TzKind::Plain => {
                            if b.len() < 5 {
                                return None;
                            }
                            (b[0], value.get(1..3)?, value.get(3..5)?, "00", 5)
                        }
                    };
                    let hr = getnum(h, true)?.0;
                    let mm = getnum(m, true)?.0;
                    let ss = getnum(s, true)?.0;
                    value = value.get(len..)?;
                    if hr > 24 {
                        range_err = Some("time zone offset hour");
                    }
                    if mm > 60 {
                        range_err = Some("time zone offset minute");
                    }
                    if ss > 60 {
                        range_err = Some("time zone offset second");
                    }
                    let off = (hr * 60 + mm) * 60 + ss;
                    zone_offset = Some(match sign {
                        b'+' => off,
                        b'-' => -off,
                        _ => return None,
                    });
                }
                TZ => {
                    if value.starts_with("UTC") {
                        utc = true;
                        value = value.get(3..)?;
                        return Some(());
                    }
                    let n = parse_time_zone(value)?;
                    zone_name = value[..n].to_string();
                    value = value.get(n..)?;
                }
                Frac { digits, trim: false, .. } => {
                    let n = 1 + digits;
                    if value.len() < n {
                        return None;
                    }
                    match parse_nanos(value, n) {
                        Ok(ns) => nsec = ns,
                        Err(_) => return None,
                    }
                    value = value.get(n..)?;
                }
                Frac { trim: true, .. } => {
                    let b = value.as_bytes();
                    if b.len() < 2 || !matches!(b[0], b'.' | b',') || !b[1].is_ascii_digit() {
                        return Some(());
                    }
                    let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nsec = parse_nanos(value, n).ok()?;
                    value = value.get(n..)?;
                }
            }
            Some(())
        })();
        if let Some(what) = range_err {
            return Err(parse_error(alayout, avalue, std_str, value, &format!(": {what} out of range")));
        }
        if ok.is_none() {
            return Err(parse_error(alayout, avalue, std_str, hold, ""));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }
    if yday >= 0 {
        let mut yd = yday;
        let mut m = 0;
        let mut d = 0;
        if is_leap(year) {
            if yd == 31 + 29 {
                m = 2;
                d = 29;
            } else if yd > 31 + 29 {
                yd -= 1;
            }
        }
        if !(1..=365).contains(&yd) {
            return Err(parse_error(alayout, avalue, "", value, ": day-of-year out of range"));
        }
        if m == 0 {
            const BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
            m = (yd - 1) / 31 + 1;
            if BEFORE[m as usize] < yd {
                m += 1;
            }
            d = yd - BEFORE[m as usize - 1];
        }
        if month >= 0 && month != m {
            return Err(parse_error(alayout, avalue, "", value, ": day-of-year does not match month"));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(parse_error(alayout, avalue, "", value, ": day-of-year does not match day"));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return Err(parse_error(alayout, avalue, "", value, ": day out of range"));
    }
    if utc {
        return Ok(Time::date(year, month, day, hour, min, sec, nsec, Location::utc()));
    }
    if let Some(offset) = zone_offset {
        let mut t = Time::date(year, month, day, hour, min, sec, nsec, Location::utc());
        t.sec -= offset;
        let local = Location::local();
        let (name, local_offset) = local.lookup(t.sec);
        if local_offset == offset && (zone_name.is_empty() || name == zone_name) {
            return Ok(t.with_loc(local.clone()));
        }
        return Ok(t.with_loc(Location::fixed(&zone_name, offset)));
    }
    if !zone_name.is_empty() {
        let mut t = Time::date(year, month, day, hour, min, sec, nsec, Location::utc());
        let local = Location::local();
        if let Some(offset) = local.lookup_name(&zone_name, t.sec) {
            t.sec -= offset;
            return Ok(t.with_loc(local.clone()));
        }
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = zone_name[3..].parse::<i64>().unwrap_or(0) * 3600;
        }
        t.sec -= offset;
        return Ok(t.with_loc(Location::fixed(&zone_name, offset)));
    }
    Ok(Time::date(year, month, day, hour, min, sec, nsec, default_loc))
}

// ---------------------------------------------------------------------------------------
// Durations.

/// Go's `time.Duration.String()`.
pub fn duration_string(d: i64) -> String {
    let neg = d < 0;
    let u = d.unsigned_abs();
    let frac = |mut v: u64, prec: u32| -> (String, u64) {
        let mut digits = String::new();
        let mut printed = false;
        for _ in 0..prec {
            let digit = v % 10;
            printed = printed || digit != 0;
            if printed {
                digits.insert(0, char::from(b'0' + digit as u8));
            }
            v /= 10;
        }
        if printed {
            digits.insert(0, '.');
        }
        (digits, v)
    };
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (prec, unit) = match u {
            0 => return "0s".into(),
            u if u < 1_000 => (0, "ns"),
            u if u < 1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        let (f, whole) = frac(u, prec);
        out.push_str(&format!("{whole}{f}{unit}"));
    } else {
        let (f, secs) = frac(u, 9);
        let (mins, s) = (secs / 60, secs % 60);
        if mins > 0 {
            let (hours, m) = (mins / 60, mins % 60);
            if hours > 0 {
                out.push_str(&format!("{hours}h"));
            }
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&format!("{s}{f}s"));
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Go's `time.ParseDuration`, with Go's error messages.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.as_bytes().first() {
        if *c == b'-' || *c == b'+' {
            neg = *c == b'-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut d: u64 = 0;
    while !s.is_empty() {
        let c = s.as_bytes()[0];
        if !(c == b'.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        // Integer part.
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for c in s[..n].bytes() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + (c - b'0') as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        let pre = n > 0;
        s = &s[n..];
        // Fraction.
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for c in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + (c - b'0') as u64;
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &s[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let n = s.bytes().take_while(|c| *c != b'.' && !c.is_ascii_digit()).count();
        if n == 0 {
            return Err(format!("time: missing unit in duration {}", time_quote(orig)));
        }
        let u = &s[..n];
        s = &s[n..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(format!("time: unknown unit {} in duration {}", time_quote(u), time_quote(orig))),
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d += v;
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Go's `Duration.Round(m)`: halves away from zero, saturating.
fn round_duration(d: i64, m: i64) -> i64 {
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if r + r < m {
            return d + r;
        }
        return d.checked_sub(m - r).filter(|&v| v < d).unwrap_or(i64::MIN);
    }
    if r + r < m {
        return d - r;
    }
    d.checked_add(m - r).filter(|&v| v > d).unwrap_or(i64::MAX)
}

/// Sprig's `durationRound`: the most significant unit, truncated.
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".into()
}

// ---------------------------------------------------------------------------------------
// The template value.

/// A `time.Time` in a template.
#[derive(Debug)]
pub struct TimeValue(pub Time);

impl TimeValue {
    pub fn value(t: Time) -> Value {
        Value::Object(Rc::new(TimeValue(t)))
    }
}

/// RFC 3339 with nanoseconds, as Go's JSON and YAML encoders write a time.
pub fn rfc3339_nano(t: &Time) -> String {
    t.format("2006-01-02T15:04:05.999999999Z07:00")
}

impl Object for TimeValue {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind(&self) -> &'static str {
        "struct"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Year"
                | "Month"
                | "Day"
                | "Hour"
                | "Minute"
                | "Second"
                | "Nanosecond"
                | "YearDay"
                | "Weekday"
                | "Unix"
                | "UnixMilli"
                | "UnixNano"
                | "Format"
                | "UTC"
                | "Local"
                | "String"
                | "IsZero"
                | "Add"
                | "AddDate"
        )
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let t = &self.0;
        let f = t.fields();
        let int = |i: usize| match args.get(i) {
            Some(Value::Int(n)) => Ok(*n),
            Some(v) => Err(format!("wrong type for value; expected int; got {}", v.type_name())),
            None => Err(format!("wrong number of args for {name}: want {} got {}", i + 1, args.len())),
        };
        let want = |n: usize| {
            if args.len() != n {
                Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
            } else {
                Ok(())
            }
        };
        let result = (|| -> Result<Value, String> {
            Ok(match name {
                "Format" => {
                    want(1)?;
                    match &args[0] {
                        Value::Str(layout) => Value::str(t.format(layout)),
                        v => return Err(format!("wrong type for value; expected string; got {}", v.type_name())),
                    }
                }
                "Add" => {
                    want(1)?;
                    TimeValue::value(t.add(int(0)?))
                }
                "AddDate" => {
                    want(3)?;
                    let (y, m, d) = (int(0)?, int(1)?, int(2)?);
                    let secs = f.hour * 3600 + f.min * 60 + f.sec;
                    let (year, month, day) = (f.year.wrapping_add(y), f.month.wrapping_add(m), f.day.wrapping_add(d));
                    TimeValue::value(Time::date(year, month, day, 0, 0, secs, t.nsec, t.loc.clone()))
                }
                _ => {
                    want(0)?;
                    match name {
                        "Year" => Value::Int(f.year),
                        "Month" => Value::str(LONG_MONTHS[f.month as usize - 1]),
                        "Day" => Value::Int(f.day),
                        "Hour" => Value::Int(f.hour),
                        "Minute" => Value::Int(f.min),
                        "Second" => Value::Int(f.sec),
                        "Nanosecond" => Value::Int(t.nsec),
                        "YearDay" => Value::Int(f.yday),
                        "Weekday" => Value::str(LONG_DAYS[f.weekday]),
                        "Unix" => Value::Int(t.sec),
                        "UnixMilli" => Value::Int(t.sec.wrapping_mul(1000).wrapping_add(t.nsec / 1_000_000)),
                        "UnixNano" => Value::Int(t.sec.wrapping_mul(NANOS_PER_SEC).wrapping_add(t.nsec)),
                        "UTC" => TimeValue::value(t.with_loc(Location::utc())),
                        "Local" => TimeValue::value(t.with_loc(Location::local())),
                        "String" => Value::str(t.string()),
                        "IsZero" => Value::Bool(t.sec == ZERO_UNIX && t.nsec == 0),
                        _ => return Err(format!("can't evaluate field {name} in type time.Time")),
                    }
                }
            })
        })();
        Some(result)
    }

    fn display(&self) -> String {
        self.0.string()
    }

    fn to_data(&self) -> Value {
        Value::str(rfc3339_nano(&self.0))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

// ---------------------------------------------------------------------------------------
// The functions.

fn arg_str(a: &[Value], n: usize) -> &str {
    a[n].as_str().unwrap_or_default()
}

/// The time a template value holds, if it is one.
pub fn time_arg(v: &Value) -> Option<Time> {
    match v {
        Value::Object(o) => o.as_any()?.downcast_ref::<TimeValue>().map(|t| t.0.clone()),
        _ => None,
    }
}

/// Sprig's `dateInZone`: a time, or Unix seconds as int; anything else is now. An
/// unknown zone is UTC.
fn date_in_zone(layout: &str, date: &Value, zone: &str) -> FnResult {
    let t = match date {
        Value::Int(sec) => Time::unix(*sec),
        v => time_arg(v).unwrap_or_else(Time::now),
    };
    let loc = Location::load(zone).unwrap_or_else(|_| Location::utc());
    Ok(Value::str(t.with_loc(loc).format(layout)))
}

fn to_date(a: &[Value]) -> Result<Time, String> {
    parse(arg_str(a, 0), arg_str(a, 1), Location::local())
}

fn date_modify(a: &[Value], must: bool) -> FnResult {
    let t = time_arg(&a[1]).unwrap_or_else(Time::zero);
    match parse_duration(arg_str(a, 0)) {
        Ok(d) => Ok(TimeValue::value(t.add(d))),
        Err(e) if must => Err(FnError::Msg(e)),
        Err(_) => Ok(a[1].clone()),
    }
}

fn duration(v: &Value) -> String {
    let n = match v {
        // strconv.ParseInt(s, 10, 64): out of range gives the nearest bound.
        Value::Str(s) => s.parse::<i64>().ok().or_else(|| {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            (!digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())).then(|| {
                if s.starts_with('-') {
                    i64::MIN
                } else {
                    i64::MAX
                }
            })
        }),
        Value::Int(n) => Some(*n),
        _ => None,
    };
    duration_string(n.unwrap_or(0).wrapping_mul(NANOS_PER_SEC))
}

pub static DATES: &[Func] = &[
    Func { name: "now", params: &[], variadic: None, call: |_, _| Ok(TimeValue::value(Time::now())) },
    Func {
        name: "date",
        params: &[Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| date_in_zone(arg_str(&a, 0), &a[1], "Local"),
    },
    Func {
        name: "dateInZone",
        params: &[Ty::Str, Ty::Any, Ty::Str],
        variadic: None,
        call: |_, a| date_in_zone(arg_str(&a, 0), &a[1], arg_str(&a, 2)),
    },
    Func {
        name: "date_in_zone",
        params: &[Ty::Str, Ty::Any, Ty::Str],
        variadic: None,
        call: |_, a| date_in_zone(arg_str(&a, 0), &a[1], arg_str(&a, 2)),
    },
    Func {
        name: "htmlDate",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| date_in_zone("2006-01-02", &a[0], "Local"),
    },
    Func {
        name: "htmlDateInZone",
        params: &[Ty::Any, Ty::Str],
        variadic: None,
        call: |_, a| date_in_zone("2006-01-02", &a[0], arg_str(&a, 1)),
    },
    Func { name: "dateModify", params: &[Ty::Str, Ty::Time], variadic: None, call: |_, a| date_modify(&a, false) },
    Func { name: "date_modify", params: &[Ty::Str, Ty::Time], variadic: None, call: |_, a| date_modify(&a, false) },
    Func { name: "mustDateModify", params: &[Ty::Str, Ty::Time], variadic: None, call: |_, a| date_modify(&a, true) },
    Func { name: "must_date_modify", params: &[Ty::Str, Ty::Time], variadic: None, call: |_, a| date_modify(&a, true) },
    Func {
        name: "ago",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let t = match &a[0] {
                Value::Int(sec) => Time::unix(*sec),
                v => time_arg(v).unwrap_or_else(Time::now),
            };
            let since = Time::now().sub(&t);
            Ok(Value::str(duration_string(round_duration(since, NANOS_PER_SEC))))
        },
    },
    Func {
        name: "toDate",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| Ok(TimeValue::value(to_date(&a).unwrap_or_else(|_| Time::zero()))),
    },
    Func {
        name: "mustToDate",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| to_date(&a).map(TimeValue::value).map_err(FnError::Msg),
    },
    Func {
        name: "unixEpoch",
        params: &[Ty::Time],
        variadic: None,
        call: |_, a| Ok(Value::str(time_arg(&a[0]).unwrap_or_else(Time::zero).sec.to_string())),
    },
    Func { name: "duration", params: &[Ty::Any], variadic: None, call: |_, a| Ok(Value::str(duration(&a[0]))) },
    Func {
        name: "durationRound",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let d = match &a[0] {
                Value::Str(s) => parse_duration(s).unwrap_or(0),
                Value::Int(n) => *n,
                v => time_arg(v).map_or(0, |t| Time::now().sub(&t)),
            };
            Ok(Value::str(duration_round(d)))
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Time {
        parse("2006-01-02T15:04:05.999999999Z07:00", s, Location::utc()).unwrap()
    }

    #[test]
    fn formats_the_reference_layouts() {
        let t = utc("2020-03-04T05:06:07.0891Z");
        assert_eq!(t.string(), "2020-03-04 05:06:07.0891 +0000 UTC");
        assert_eq!(t.format("Mon Jan _2 15:04:05 2006"), "Wed Mar  4 05:06:07 2020");
        assert_eq!(
            t.format("Monday, 02-January-06 3:4:5 PM .000 ,999 __2 002"),
            "Wednesday, 04-March-20 5:6:7 AM .089 ,089  64 064"
        );
        assert_eq!(t.format("Z07:00 -07 -070000 MST"), "Z +00 +000000 UTC");
        assert_eq!(t.format("_2006 Janet"), "_2020 Janet");
    }

    #[test]
    fn parses_with_go_errors() {
        let t = parse("2006-01-02 15:04 -0700", "2021-12-31 23:59 +0130", Location::utc()).unwrap();
        assert_eq!(t.string(), "2021-12-31 23:59:00 +0130 +0130");
        assert_eq!(
            parse("2006-01-02", "2020-13-01", Location::utc()).unwrap_err(),
            "parsing time \"2020-13-01\": month out of range"
        );
        assert_eq!(
            parse("2006-01-02", "bad", Location::utc()).unwrap_err(),
            "parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
        assert_eq!(parse("2006", "2020x", Location::utc()).unwrap_err(), "parsing time \"2020x\": extra text: \"x\"");
        assert_eq!(parse("15:04", "10:30", Location::utc()).unwrap().string(), "0000-01-01 10:30:00 +0000 UTC");
    }

    #[test]
    fn durations_print_and_parse_as_go() {
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(1500), "1.5µs");
        assert_eq!(duration_string(90 * NANOS_PER_SEC), "1m30s");
        assert_eq!(duration_string(-3_723_500_000_000), "-1h2m3.5s");
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400 * NANOS_PER_SEC);
        assert_eq!(parse_duration("-1.5h").unwrap(), -5_400 * NANOS_PER_SEC);
        assert_eq!(parse_duration("1").unwrap_err(), "time: missing unit in duration \"1\"");
        assert_eq!(parse_duration("1x").unwrap_err(), "time: unknown unit \"x\" in duration \"1x\"");
        assert_eq!(round_duration(1_500_000_000, NANOS_PER_SEC), 2_000_000_000);
        assert_eq!(duration_round(400 * 3600 * NANOS_PER_SEC), "16d");
    }

    #[test]
    fn posix_rules_pick_the_zone() {
        let rule = parse_posix_tz("EST5EDT,M3.2.0,M11.1.0").unwrap();
        // 2040-07-01 12:00 UTC is in summer time; 2040-01-01 in winter.
        let summer = days_from_civil(2040, 7, 1) * 86_400 + 43_200;
        let winter = days_from_civil(2040, 1, 1) * 86_400 + 43_200;
        assert_eq!(rule_zone(&rule, summer).unwrap().name, "EDT");
        assert_eq!(rule_zone(&rule, winter).unwrap().name, "EST");
    }
}
