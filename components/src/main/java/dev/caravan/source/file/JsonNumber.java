package dev.caravan.source.file;

/**
 * A JSON number with a fraction or an exponent, as written: typed as a double by inference, converted exactly to a
 * decimal column ({@code 1234567890123456.78} would not survive a double).
 */
record JsonNumber(String text) {
}
