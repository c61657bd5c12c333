package dev.eddy.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StreamUtils;

/**
 * Fails startup on a key under {@code eddy.} that no Eddy property has (a typo such as
 * {@code eddy.executors.io.max-sze} would otherwise be ignored and the default used), naming the
 * key, where it was set, and the nearest known key. The known keys are those of the configuration
 * metadata on the class path ({@code META-INF/spring-configuration-metadata.json} and the
 * additional metadata), so that every module adding {@code eddy.*} keys is covered; under
 * {@code eddy.executors.<name>.} the keys of {@code eddy.executor-defaults.} are known. Keys under a
 * first element that is neither a known group nor within two edits of one ({@code eddy.demo.*})
 * belong to someone else and are left alone; {@code eddy.lopp.debug} is reported.
 * A bean factory post-processor, so it runs with and without Spring AOT.
 */
final class UnknownEddyProperties implements BeanFactoryPostProcessor, EnvironmentAware {

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

	private static final Logger logger = LoggerFactory.getLogger(UnknownEddyProperties.class);

	/** The name of a group or property; metadata is machine-written, so a pattern is enough (no JSON library needed). */
	private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"(eddy\\.[^\"]+)\"");

	private static final ConfigurationPropertyName EDDY = ConfigurationPropertyName.of("eddy");

	private static final ConfigurationPropertyName EXECUTORS = ConfigurationPropertyName.of("eddy.executors");

	private static final String DEFAULTS_PREFIX = "eddy.executor-defaults.";

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (this.environment != null) {
			ClassLoader classLoader = beanFactory.getBeanClassLoader();
			check(this.environment, (classLoader != null) ? classLoader : UnknownEddyProperties.class.getClassLoader());
		}
	}

	/**
	 * Checks every {@code eddy.*} key of an environment.
	 * @param environment the environment
	 * @param classLoader where the metadata is read from
	 * @throws UnknownEddyPropertyException on the first unknown key
	 */
	static void check(Environment environment, ClassLoader classLoader) {
		Set<String> known = knownKeys(classLoader);
		if (known.isEmpty()) {
			logger.debug("No Eddy configuration metadata on the class path; unknown eddy.* keys are not checked");
			return;
		}
		List<ConfigurationPropertyName> knownNames = known.stream().map(ConfigurationPropertyName::of).toList();
		Set<String> groups = new LinkedHashSet<>();
		knownNames.forEach((name) -> groups.add(name.getElement(1, ConfigurationPropertyName.Form.DASHED)));
		List<String> executorKeys = known.stream()
			.filter((key) -> key.startsWith(DEFAULTS_PREFIX))
			.map((key) -> key.substring(DEFAULTS_PREFIX.length()))
			.toList();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			for (ConfigurationPropertyName name : iterable) {
				if (!EDDY.isAncestorOf(name) || isKnown(name, knownNames, executorKeys) || isOtherNamespace(name, groups)) {
					continue;
				}
				ConfigurationProperty property = source.getConfigurationProperty(name);
				Origin origin = (property != null) ? property.getOrigin() : null;
				if (EXECUTORS.isAncestorOf(name) && name.getNumberOfElements() > 4
						&& isKnown(EXECUTORS.append("x").append(name.getLastElement(ConfigurationPropertyName.Form.DASHED)),
								knownNames, executorKeys)) {
					String executorName = name.subName(2).chop(name.getNumberOfElements() - 3).toString();
					throw UnknownEddyPropertyException.dottedExecutorName(name.toString(), executorName,
							name.getLastElement(ConfigurationPropertyName.Form.DASHED), (origin != null) ? origin.toString() : null);
				}
				throw new UnknownEddyPropertyException(name.toString(), nearest(name, known, executorKeys),
						(origin != null) ? origin.toString() : null);
			}
		}
	}

	/**
	 * Whether a key is under a group that is not Eddy's and not a typo of one (a first element
	 * at least 3 edits from every known group, such as {@code eddy.demo.*} system properties of a
	 * test harness): those are left alone.
	 */
	private static boolean isOtherNamespace(ConfigurationPropertyName name, Set<String> groups) {
		String group = name.getElement(1, ConfigurationPropertyName.Form.DASHED);
		if (groups.contains(group)) {
			return false;
		}
		return groups.stream().allMatch((known) -> distance(group, known) > 2);
	}

	private static boolean isKnown(ConfigurationPropertyName name, List<ConfigurationPropertyName> known,
			List<String> executorKeys) {
		if (known.contains(name)) {
			return true;
		}
		if (EXECUTORS.isAncestorOf(name) && name.getNumberOfElements() == 4) {
			String uniform = name.getLastElement(ConfigurationPropertyName.Form.UNIFORM);
			return executorKeys.stream().anyMatch((key) -> key.replace("-", "").equalsIgnoreCase(uniform));
		}
		return false;
	}

	private static String nearest(ConfigurationPropertyName name, Set<String> known, List<String> executorKeys) {
		String key = name.toString();
		List<String> candidates = new ArrayList<>(known);
		// Under eddy.executors.<name>. (or a typo of 'executors': eddy.exectors.io.max-size), offer the keys of that
		// executor, keeping the user's name, rather than those of the default executor 'executor'.
		if (name.getNumberOfElements() >= 3 && (EXECUTORS.isAncestorOf(name)
				|| distance(name.getElement(1, ConfigurationPropertyName.Form.DASHED), "executors") <= 2)) {
			String prefix = "eddy.executors." + name.getElement(2, ConfigurationPropertyName.Form.DASHED) + ".";
			executorKeys.forEach((suffix) -> candidates.add(prefix + suffix));
		}
		String best = candidates.get(0);
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = distance(key, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	static Set<String> knownKeys(ClassLoader classLoader) {
		Set<String> known = new LinkedHashSet<>();
		for (String resource : new String[] { METADATA, ADDITIONAL_METADATA }) {
			Enumeration<URL> urls;
			try {
				urls = classLoader.getResources(resource);
			}
			catch (IOException ex) {
				logger.debug("Could not list {}; unknown eddy.* keys are checked against what was read", resource, ex);
				continue;
			}
			while (urls.hasMoreElements()) {
				URL url = urls.nextElement();
				try (InputStream in = url.openStream()) {
					String json = StreamUtils.copyToString(in, StandardCharsets.UTF_8);
					if (!json.contains("\"eddy.")) {
						continue; // another library's metadata: not parsed
					}
					int hints = json.indexOf("\"hints\"");
					Matcher names = NAME.matcher((hints >= 0) ? json.substring(0, hints) : json);
					while (names.find()) {
						known.add(names.group(1));
					}
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Could not read {}; unknown eddy.* keys are checked against what was read", url, ex);
				}
			}
		}
		return known;
	}

}
