package dev.roster.bulk;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records: fields separated by commas, quoted with {@code "} (doubled inside), line breaks allowed in quotes. */
final class CsvReader {
    private final Reader in;
    private int line = 1;
    private int recordLine = 1;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the last record started on. */
    int recordLine() {
        return recordLine;
    }

    /** The next record, or null at the end. */
    List<String> next() throws IOException {
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    in.mark(1);
                    int after = in.read();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (after != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
            } else if (ch == '"' && field.isEmpty()) {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                line++;
                fields.add(stripCr(field));
                return fields;
            } else {
                field.append(ch);
            }
        }
        if (!any) {
            return null;
        }
        if (quoted) {
            throw new IOException("line " + recordLine + ": a quoted field is not closed");
        }
        fields.add(stripCr(field));
        return fields;
    }

    private static String stripCr(StringBuilder field) {
        int end = field.length();
        if (end > 0 && field.charAt(end - 1) == '\r') {
            end--;
        }
        return field.substring(0, end);
    }
}
