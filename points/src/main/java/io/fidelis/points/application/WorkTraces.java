package io.fidelis.points.application;

import java.util.List;
import java.util.function.Supplier;

/**
 * The trace a change belongs to, when tracing is on. A change is answered on its request's
 * thread and settled later, in a batch, by the relay; the settling and the module listeners it
 * wakes join the request's trace. Origins are opaque here: the adapter knows what they are.
 */
public interface WorkTraces {

	/** Tracing off: no origins, the work just runs. */
	WorkTraces NONE = new WorkTraces() {

		@Override
		public Object current() {
			return null;
		}

		@Override
		public <T> T within(String name, List<Object> origins, Supplier<T> work) {
			return work.get();
		}
	};

	/** The calling thread's trace, or null when it has none (or tracing is off). */
	Object current();

	/**
	 * Runs {@code work} as a step named {@code name} of the first origin's trace (a trace of its
	 * own when there is none); the batch's other origins are counted on it.
	 */
	<T> T within(String name, List<Object> origins, Supplier<T> work);
}
