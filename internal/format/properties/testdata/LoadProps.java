// LoadProps loads .properties files with java.util.Properties and prints
// each as one JSON object per line, so tests compare tolk's reading and
// writing with Java's own. Usage: java LoadProps.java ENCODING FILE ...
// (pairs of a charset name and a path).
import java.io.*;
import java.nio.charset.Charset;
import java.nio.file.*;
import java.util.*;

public class LoadProps {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            Properties p = new Properties();
            try (BufferedReader r = Files.newBufferedReader(Paths.get(args[i + 1]), Charset.forName(args[i]))) {
                // tolk does not count a UTF-8 byte order mark as part of the
                // first key (Properties.load would); skip it to compare the rest.
                r.mark(1);
                if (r.read() != 0xfeff) r.reset();
                p.load(r);
            }
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (String k : new TreeSet<>(p.stringPropertyNames())) {
                if (!first) sb.append(',');
                first = false;
                quote(sb, k);
                sb.append(':');
                quote(sb, p.getProperty(k));
            }
            System.out.println(sb.append('}'));
        }
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
