package dev.eddy.unobserved;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker table as {@link TrackerTableSizeTests} and {@link DetectorBoundaryTests} read it:
 * through the detector's private fields ({@code slots}, {@code usedSlots}, {@code freeCount}, and
 * the reaper and the table's lock),
 * and filled with plain trackers. Test-only; one thread.
 */
final class TrackerTableInternals {

	private TrackerTableInternals() {
	}

	/** @return the length of the detector's slot array */
	static int slots(UnobservedFailureDetector detector) throws ReflectiveOperationException {
		return ((Object[]) field("slots").get(detector)).length;
	}

	/** @return the value of one of the detector's private {@code int} fields */
	static int intField(UnobservedFailureDetector detector, String name) throws ReflectiveOperationException {
		return (int) fieldValue(detector, name);
	}

	/** @return the value of one of the detector's private fields */
	static Object fieldValue(UnobservedFailureDetector detector, String name) throws ReflectiveOperationException {
		return field(name).get(detector);
	}

	private static Field field(String name) throws NoSuchFieldException {
		Field field = UnobservedFailureDetector.class.getDeclaredField(name);
		field.setAccessible(true);
		return field;
	}

	/**
	 * Tracks {@code count} failures, each of a fresh future kept strongly reachable in
	 * {@code futures} (so that none is reported while the test reads the table).
	 */
	static List<UnobservedFailureDetector.Tracker> track(UnobservedFailureDetector detector, List<Object> futures, int count) {
		List<UnobservedFailureDetector.Tracker> trackers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Object future = new Object();
			futures.add(future);
			trackers.add(detector.track(future, new IllegalStateException("failure " + i), "main", "F", null));
		}
		return trackers;
	}

}
