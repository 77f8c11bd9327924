package io.fidelis.points.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import org.springframework.stereotype.Component;

import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.PointsAccount;

/**
 * How many points this node moved, counted when a change is written (never at settlement, which
 * two nodes may both do for one entry, nor on a replay): per program, entry type and channel,
 * bounded sets all three. Read by the metrics adapter.
 */
@Component
public class PointsFigures {

	/** @param channel the source's channel, {@code NONE} for work without one (expiry, activation, adjustments) */
	public record Key(String program, String type, String channel) {
	}

	/** @param movements entries written; @param points the sum of their deltas' sizes */
	public record Figure(LongAdder movements, LongAdder points) {
	}

	private final Map<Key, Figure> figures = new ConcurrentHashMap<>();
	private volatile BiConsumer<Key, Figure> onNew = (k, f) -> {
	};

	/** Counts the entries of a change just written. */
	void applied(PointsAccount.Change change) {
		for (Entry e : change.entries()) {
			Key key = new Key(change.account().programId(), e.type().name(),
					e.source() == null ? "NONE" : e.source().channel().name());
			Figure figure = figures.get(key);
			if (figure == null) {
				figure = figures.computeIfAbsent(key, k -> new Figure(new LongAdder(), new LongAdder()));
				onNew.accept(key, figure);
			}
			figure.movements().increment();
			figure.points().add(Math.abs(e.delta()));
		}
	}

	/** Hands every figure kept so far, and each new one as it appears, to {@code each}. */
	public synchronized void eachFigure(BiConsumer<Key, Figure> each) {
		BiConsumer<Key, Figure> before = onNew;
		onNew = (k, f) -> {
			before.accept(k, f);
			each.accept(k, f);
		};
		figures.forEach(each);
	}
}
