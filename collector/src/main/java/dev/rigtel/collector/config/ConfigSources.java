package dev.rigtel.collector.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line: the environment first
 * ({@code RIGTEL_MQTT_PORT} for {@code --mqtt-port}), then the config file ({@code mqtt-port=1883}
 * in Java properties syntax), then the default declared on the option.
 *
 * <p>The config file is named by {@code --config FILE} or {@code RIGTEL_CONFIG}. Unknown keys in
 * the file are an error, so a typo does not silently fall back to a default.
 */
public final class ConfigSources implements CommandLine.IDefaultValueProvider {

    public static final String CONFIG_ENV = "RIGTEL_CONFIG";
    private static final String PREFIX = "RIGTEL_";

    private final Map<String, String> env;
    private final Properties file;
    private final Path fileName;

    private ConfigSources(Map<String, String> env, Properties file, Path fileName) {
        this.env = env;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * Reads the config file named in {@code args} ({@code --config F} or {@code --config=F}) or in
     * the environment, if any.
     */
    public static ConfigSources from(String[] args, Map<String, String> env) {
        Path config = configPath(args, env);
        Properties properties = new Properties();
        if (config != null) {
            try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + config + ": " + e.getMessage());
            }
        }
        return new ConfigSources(env, properties, config);
    }

    private static Path configPath(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    /** The environment variable that sets an option, e.g. {@code RIGTEL_MQTT_PORT}. */
    public static String envName(String longOption) {
        return PREFIX + key(longOption).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String key(String longOption) {
        return longOption.replaceFirst("^--", "");
    }

    /** Fails on keys in the config file that no option of {@code spec} knows. */
    public void checkFileKeys(CommandLine.Model.CommandSpec spec) {
        for (String name : file.stringPropertyNames()) {
            if (name.equals("config") || spec.findOption("--" + name) == null) {
                throw new ConfigException("unknown key '" + name + "' in config file " + fileName);
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.longestName().equals("--config")) {
            return argSpec.defaultValue();
        }
        String longName = option.longestName();
        return Optional.ofNullable(env.get(envName(longName)))
                .or(() -> Optional.ofNullable(file.getProperty(key(longName))))
                .map(String::trim)
                .orElse(argSpec.defaultValue());
    }
}
