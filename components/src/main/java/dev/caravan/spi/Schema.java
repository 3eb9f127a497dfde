package dev.caravan.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered fields of a stream; row arrays in a {@link RecordBatch} follow this order. */
public final class Schema {
    private final List<Field> fields;
    private final Map<String, Integer> indexByName;

    public Schema(List<Field> fields) {
        this.fields = List.copyOf(fields);
        this.indexByName = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            if (indexByName.put(this.fields.get(i).name(), i) != null) {
                throw new IllegalArgumentException("duplicate field '" + this.fields.get(i).name() + "'");
            }
        }
    }

    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public Field field(int index) {
        return fields.get(index);
    }

    public Optional<Field> field(String name) {
        Integer index = indexByName.get(name);
        return index == null ? Optional.empty() : Optional.of(fields.get(index));
    }

    /** Index of the field, or -1 when absent. */
    public int indexOf(String name) {
        return indexByName.getOrDefault(name, -1);
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(fields.size());
        for (Field f : fields) {
            names.add(f.name());
        }
        return names;
    }

    /** The fields named, in this schema's order; unknown names are ignored (validate them first). */
    public Schema project(List<String> selected) {
        List<Field> kept = new ArrayList<>();
        for (Field f : fields) {
            if (selected.contains(f.name())) {
                kept.add(f);
            }
        }
        return new Schema(kept);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
