package dev.caravan.source.file;

/** A JSON object or array found as a value in a JSON record, as its JSON text. */
record JsonText(String json) {
}
