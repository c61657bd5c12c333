package dev.eddy.testsupport;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes, for assertions on exact log lines. Use in try-with-resources.
 * <p>Thread-safe for appends (Logback's appender is synchronized); read after the code under test
 * has finished.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture(String loggerName) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerName);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/**
	 * Starts capturing a logger.
	 * @param loggerName the logger's name, e.g. {@code dev.eddy.loop}
	 * @return the capture
	 */
	public static LogCapture of(String loggerName) {
		return new LogCapture(loggerName);
	}

	/** @return the events so far, oldest first */
	public List<ILoggingEvent> events() {
		synchronized (this.appender) {
			return new ArrayList<>(this.appender.list);
		}
	}

	/**
	 * @param level the level
	 * @return formatted messages at that level
	 */
	public List<String> messages(Level level) {
		return events().stream().filter((event) -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
