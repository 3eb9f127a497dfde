package dev.caravan.source.file;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * A fast path for the date-times files hold most: {@code yyyy-MM-dd(T| )HH:mm[:ss[.f…]]} followed (for {@link #instant})
 * by {@code Z} or an offset {@code ±HH[:MM]} / {@code ±HHMM}. The formatter-based parse costs several times more and was
 * the largest part of reading a CSV file (JFR); any text outside this form gives null and the caller falls back to the
 * formatters, which also report the error.
 */
public final class IsoTimes {
    private IsoTimes() {
    }

    /** The instant of {@code s}, or null when it is not in the fast form with an offset. */
    public static Instant instant(String s) {
        long[] parts = parse(s, true);
        if (parts == null) {
            return null;
        }
        long epochSecond = LocalDate.of((int) parts[0], (int) parts[1], (int) parts[2]).toEpochDay() * 86_400L
                + parts[3] * 3_600L + parts[4] * 60L + parts[5] - parts[7];
        return Instant.ofEpochSecond(epochSecond, parts[6]);
    }

    /** The local date-time of {@code s}, or null when it is not in the fast form without an offset. */
    public static LocalDateTime localDateTime(String s) {
        long[] parts = parse(s, false);
        return parts == null ? null
                : LocalDateTime.of((int) parts[0], (int) parts[1], (int) parts[2], (int) parts[3], (int) parts[4], (int) parts[5], (int) parts[6]);
    }

    /** year, month, day, hour, minute, second, nanos, offset seconds; null when not in the form or out of range. */
    private static long[] parse(String s, boolean withOffset) {
        int n = s.length();
        if (n < 16 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':') {
            return null;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't' && t != ' ') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if ((year | month | day | hour | minute) < 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59
                || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int pos = 16;
        int second = 0;
        if (pos < n && s.charAt(pos) == ':') {
            second = pos + 3 <= n ? digits(s, pos + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            pos += 3;
        }
        int nanos = 0;
        if (pos < n && s.charAt(pos) == '.') {
            int start = ++pos;
            while (pos < n && pos - start < 9 && Character.isDigit(s.charAt(pos))) {
                nanos = nanos * 10 + (s.charAt(pos++) - '0');
            }
            if (pos == start) {
                return null;
            }
            for (int k = pos - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        long offset = 0;
        if (pos == n) {
            if (withOffset) {
                return null;
            }
        } else {
            if (!withOffset) {
                return null;
            }
            char sign = s.charAt(pos);
            if ((sign == 'Z' || sign == 'z') && pos + 1 == n) {
                offset = 0;
            } else if (sign == '+' || sign == '-') {
                int rest = n - pos - 1;
                int oh = rest >= 2 ? digits(s, pos + 1, 2) : -1;
                int om = rest == 2 ? 0 : rest == 5 && s.charAt(pos + 3) == ':' ? digits(s, pos + 4, 2) : rest == 4 ? digits(s, pos + 3, 2) : -1;
                if (oh < 0 || om < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                    return null;
                }
                offset = (oh * 3_600L + om * 60L) * (sign == '-' ? -1 : 1);
            } else {
                return null;
            }
        }
        return new long[] {year, month, day, hour, minute, second, nanos, offset};
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
