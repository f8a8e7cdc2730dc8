// PropsCheck loads each .properties file named on the command line with
// java.util.Properties, exactly as a Java application would, and prints its
// entries for the Go test to compare: a line "FILE <path>", then one line
// per key, sorted: base64(key) SPACE base64(value), both UTF-8.
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import java.util.TreeSet;

public class PropsCheck {
    public static void main(String[] args) throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder out = new StringBuilder();
        for (String file : args) {
            Properties props = new Properties();
            // load(InputStream) reads ISO-8859-1 as ResourceBundle did before Java 9.
            try (InputStream in = new FileInputStream(file)) {
                props.load(in);
            }
            out.append("FILE ").append(file).append('\n');
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                out.append(b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))).append(' ')
                   .append(b64.encodeToString(props.getProperty(key).getBytes(StandardCharsets.UTF_8))).append('\n');
            }
        }
        System.out.print(out);
    }
}
